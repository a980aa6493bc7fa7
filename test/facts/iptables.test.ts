// iptables and ip6tables listings: chains, policies, rules, and listings that are cut.
import { describe, expect, it } from 'vitest';
import { parseIptables as parseIptablesIn } from '../../src/facts/iptables.js';
import { ParseError } from '../../src/facts/parse-error.js';
import { ScanMemo } from '../../src/memo.js';

// One memo per file, as one scan of a fleet has: parsers share what consecutive inputs have in common.
const memo = new ScanMemo();
const parseIptables = (text: string) => parseIptablesIn(text, memo);

describe('iptables', () => {
  it('reads policies and rules with -v counters, protocol all or 0', () => {
    const fw = parseIptables(
      [
        'Chain INPUT (policy DROP 12 packets, 3456 bytes)',
        ' pkts bytes target     prot opt in     out     source               destination',
        '   10  1K ACCEPT     all  --  lo     *       0.0.0.0/0            0.0.0.0/0',
        '    0     0 DROP       0    --  *      *       127.0.0.0/8          0.0.0.0/0',
        '    5   300 ACCEPT     tcp  --  eth0   *       10.0.0.0/8           0.0.0.0/0            tcp dpt:22 /* ssh */',
        '',
        'Chain KUBE-FIREWALL (1 references)',
        ' pkts bytes target     prot opt in     out     source               destination',
        '    0     0            all  --  *      *       !127.0.0.0/8         0.0.0.0/0',
      ].join('\n'),
    );
    const input = fw.chains.get('INPUT')!;
    expect(input.policy).toBe('DROP');
    expect(input.rules.map((r) => [r.target, r.protocol, r.in, r.source])).toEqual([
      ['ACCEPT', 'all', 'lo', '0.0.0.0/0'],
      ['DROP', 'all', '*', '127.0.0.0/8'],
      ['ACCEPT', 'tcp', 'eth0', '10.0.0.0/8'],
    ]);
    expect(input.rules[2]?.extra).toBe('tcp dpt:22 /* ssh */');
    expect(fw.chains.get('KUBE-FIREWALL')).toMatchObject({ policy: null, rules: [{ target: '', source: '!127.0.0.0/8' }] });
  });
  it('reads output without -v and ip6tables without an opt column', () => {
    const v4 = parseIptables(
      'Chain OUTPUT (policy ACCEPT)\ntarget     prot opt source               destination\nACCEPT     all  --  0.0.0.0/0            0.0.0.0/0\n',
    );
    expect(v4.chains.get('OUTPUT')?.rules[0]).toMatchObject({ target: 'ACCEPT', in: '*', out: '*' });
    const v6 = parseIptables(
      'Chain INPUT (policy DROP 0 packets, 0 bytes)\n pkts bytes target prot opt in out source destination\n 0 0 ACCEPT all lo * ::/0 ::/0\n 0 0 DROP all * * ::1 ::/0\n',
    );
    expect(v6.chains.get('INPUT')?.rules.map((r) => [r.target, r.in, r.source])).toEqual([
      ['ACCEPT', 'lo', '::/0'],
      ['DROP', '*', '::1'],
    ]);
  });
  it('shares the rules of hosts whose chains differ only in their counters, and nothing else', () => {
    const dump = (counters: [string, string], rule = 'ACCEPT     all  --  lo     *       0.0.0.0/0            0.0.0.0/0') =>
      `Chain INPUT (policy DROP 0 packets, 0 bytes)\n pkts bytes target     prot opt in     out     source               destination\n${counters[0]} ${counters[1]} ${rule}\n    0     0 DROP       all  --  *      *       127.0.0.0/8          0.0.0.0/0\n`;
    const first = parseIptables(dump(['  10', '  1K'])).chains.get('INPUT')!.rules;
    const second = parseIptables(dump([' 987K', ' 623M'])).chains.get('INPUT')!.rules;
    expect(second).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first[0])).toBe(true);
    const other = parseIptables(dump(['  10', '  1K'], 'ACCEPT     all  --  eth0   *       0.0.0.0/0            0.0.0.0/0')).chains.get(
      'INPUT',
    )!.rules;
    expect(other).not.toBe(first);
    expect(other[0]).toMatchObject({ target: 'ACCEPT', in: 'eth0' });
    expect(other[1]).toBe(first[1]);
    // A rule line far longer than a real one is parsed each time rather than kept.
    const long = `ACCEPT     all  --  lo     *       0.0.0.0/0            0.0.0.0/0            /* ${'x'.repeat(1100)} */`;
    const longFirst = parseIptables(dump(['  10', '  1K'], long)).chains.get('INPUT')!.rules;
    const longSecond = parseIptables(dump(['  10', '  1K'], long)).chains.get('INPUT')!.rules;
    expect(longSecond).not.toBe(longFirst);
    expect(longSecond).toEqual(longFirst);
    // Without -v the first two columns are the target and protocol, not counters: never taken for a -v rule.
    const plain = parseIptables(
      'Chain INPUT (policy DROP)\ntarget     prot opt source               destination\nACCEPT     all  --  0.0.0.0/0            0.0.0.0/0\n',
    ).chains.get('INPUT')!.rules;
    expect(plain).toEqual([expect.objectContaining({ target: 'ACCEPT', protocol: 'all', in: '*', source: '0.0.0.0/0' })]);
  });
  it('marks a built-in chain the listing lacks, or one cut off after its header, as incomplete', () => {
    const chain = (name: string, body = ' pkts bytes target     prot opt in     out     source               destination\n') =>
      `Chain ${name} (policy DROP 0 packets, 0 bytes)\n${body}\n`;
    const whole = parseIptables(chain('INPUT') + chain('FORWARD') + chain('OUTPUT'));
    expect([...whole.incomplete.keys()]).toEqual([]);
    // A paste that lost its last chain: FORWARD and INPUT are whole, OUTPUT is not there to be judged.
    const noOutput = parseIptables(chain('INPUT') + chain('FORWARD'));
    expect([...noOutput.incomplete.keys()]).toEqual(['OUTPUT']);
    expect(noOutput.incomplete.get('OUTPUT')).toContain('no OUTPUT chain');
    // A capture cut right after a chain's header line.
    const cut = parseIptables(chain('INPUT') + chain('FORWARD') + 'Chain OUTPUT (policy DROP 0 packets, 0 bytes)\n');
    expect(cut.incomplete.get('OUTPUT')).toContain('cut off after its header');
    // Output without -v has its own column line, and user chains are not required.
    const plain = parseIptables(
      ['INPUT', 'FORWARD', 'OUTPUT']
        .map((n) => `Chain ${n} (policy ACCEPT)\ntarget     prot opt source               destination\n`)
        .join('\n'),
    );
    expect(plain.incomplete.size).toBe(0);
  });
  it('rejects text that is not iptables output', () => {
    expect(() => parseIptables('Warning: no chains\n')).toThrow(ParseError);
    expect(
      () => parseIptables('Chain INPUT (policy DROP)\ntarget prot opt source destination\nACCEPT all -- lo\n').chains.get('INPUT')?.rules,
    ).toThrow(ParseError);
  });
});
