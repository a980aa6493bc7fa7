import { describe, expect, it } from 'vitest';
import { parseCmdline, parseLockdown, parseModprobe, parseModules, parseSysctl as parseSysctlIn } from '../src/facts/kernel.js';
import { parseIptables as parseIptablesIn } from '../src/facts/iptables.js';
import { parseChronyConf, parseFileModes, parseSestatus, parseSystemdIni } from '../src/facts/services.js';
import { parseBloodhoundReport, parseUpdateStatus } from '../src/facts/apiclient.js';
import { captureProblem } from '../src/facts/captures.js';
import { ParseError } from '../src/facts/parse-error.js';
import { userDataLines } from '../src/inputs/userdata-lines.js';
import { detectInput } from '../src/inputs/detect.js';
import { printable } from '../src/report/printable.js';
import { OPERATORS } from '../src/checks/operators.js';
import { parseKubeletConfig as parseKubeletConfigIn } from '../src/facts/kubelet.js';
import { ScanMemo } from '../src/memo.js';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// One memo for the file, as one scan of a fleet has: parsers share what consecutive inputs have in common.
const memo = new ScanMemo();
const parseIptables = (text: string) => parseIptablesIn(text, memo);
const parseKubeletConfig = (text: string) => parseKubeletConfigIn(text, memo);
const parseSysctl = (text: string) => parseSysctlIn(text, memo);

describe('sysctl', () => {
  it('keeps inner whitespace and empty values', () => {
    const map = parseSysctl(
      'net.ipv4.ip_local_port_range = 32768\t60999\nkernel.domainname = \nfs.suid_dumpable = 0\nkernel.panic_on_oops = 1',
    );
    expect(map.get('kernel.panic')).toBeUndefined();
    expect(map.get('net.ipv4.ip_local_port_range')).toBe('32768\t60999');
    expect(map.get('fs.suid_dumpable')).toBe('0');
    expect(map.get('kernel.domainname')).toBe('');
  });
  it('rejects text with no key = value lines', () => {
    expect(() => parseSysctl('sysctl: permission denied\n')).toThrow(ParseError);
  });
  it('finds the first line of each key in any order of lines, as a search from the top does', () => {
    // Keys met in earlier dumps are found in one pass over a new one; it must agree with a plain search from the
    // top on sorted and shuffled dumps, repeated keys, keys that prefix others, and keys on the first line.
    const firstValue = (text: string, key: string): string | undefined => {
      const line = ('\n' + text).split('\n').find((l) => l.startsWith(`${key} =`));
      return line?.slice(key.length + 2).trim();
    };
    const segments = [
      ['net', 'fs', 'kernel', 'n'],
      ['ipv4', 'ipv6', 'ipv4x', ''],
      ['conf', 'route', 'c'],
      ['all', 'default', 'al'],
    ];
    let seed = 11;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const keyOf = () =>
      segments
        .slice(0, 1 + random(4))
        .map((options) => options[random(options.length)])
        .join('.');
    for (let round = 0; round < 300; round++) {
      // Some values hold a carriage return or a Unicode line break followed by a key: not a line of its own.
      const valueOf = () =>
        random(3) === 0 ? '' : random(8) === 0 ? `1${['\r', '\u2028', '\r\n'][random(3)]}${keyOf()} = 9` : String(random(100));
      const lines = Array.from({ length: 1 + random(40) }, () => `${keyOf()} = ${valueOf()}`);
      if (random(2) === 0) lines.sort();
      const text = lines.join('\n') + (random(2) === 0 ? '\n' : '');
      const values = parseSysctl(text);
      for (let k = 0; k < 20; k++) {
        const key = keyOf();
        expect(values.get(key), `${key} in ${JSON.stringify(text)}`).toBe(firstValue(text, key));
      }
    }
  });
});

describe('kernel command line', () => {
  const line =
    'BOOT_IMAGE=(hd0,gpt3)/vmlinuz console=tty0 console=ttyS0,115200n8 root=/dev/dm-0 ro selinux=1 "dm-mod.create=root,,,ro,0 1884160 verity 1 PARTUUID=a/PARTNROFF=1 PARTUUID=a/PARTNROFF=2 4096 4096 235520 1 sha256 3f1d 5c2a 2 restart_on_corruption ignore_zero_blocks" -- systemd.log_color=0';
  it('groups the quoted dm-mod.create table into one token and parses it', () => {
    const cmdline = parseCmdline(line);
    expect(cmdline.params.get('console')).toEqual(['tty0', 'ttyS0,115200n8']);
    expect(cmdline.params.get('ro')).toEqual(['']);
    expect(cmdline.initTokens).toEqual(['systemd.log_color=0']);
    expect(cmdline.verity).toMatchObject({
      name: 'root',
      readOnly: true,
      target: 'verity',
      hashAlgorithm: 'sha256',
      rootHash: '3f1d',
      options: ['restart_on_corruption', 'ignore_zero_blocks'],
    });
  });
  it('has no verity table for a linear target', () => {
    expect(parseCmdline('root=/dev/dm-0 "dm-mod.create=root,,,ro,0 100 linear /dev/sda 0"').verity).toBeNull();
  });
});

describe('lockdown, modules, modprobe', () => {
  it('reads the bracketed mode', () => {
    expect(parseLockdown('none integrity [confidentiality]\n').active).toBe('confidentiality');
    expect(() => parseLockdown('none integrity confidentiality')).toThrow(ParseError);
  });
  it('lists loaded modules', () => {
    expect([...parseModules('udf 1 0 - Live 0x0\nsctp 2 0 - Live 0x0\n')]).toEqual(['udf', 'sctp']);
  });
  it('tells disabled, loadable and already-loaded apart', () => {
    expect(parseModprobe('install /bin/true \n').disposition).toBe('disabled');
    expect(parseModprobe('insmod /lib/modules/x/udf.ko.xz \n').disposition).toBe('loadable');
    expect(parseModprobe('').disposition).toBe('nothing-to-load');
  });
});

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

describe('services', () => {
  it('sestatus fields', () => {
    expect(parseSestatus('SELinux status:                 enabled\nCurrent mode:                   enforcing\n').get('Current mode')).toBe(
      'enforcing',
    );
  });
  it('chrony directives skip comments', () => {
    expect(parseChronyConf('# c\n! x\npool a iburst\nServer b\n').map((d) => d.name)).toEqual(['pool', 'server']);
  });
  it('journald keys are Section.Key, later wins', () => {
    expect(parseSystemdIni('[Journal]\nStorage=volatile\n# x\nStorage=persistent\n').get('Journal.Storage')).toBe('persistent');
    expect(() => parseSystemdIni('Storage=persistent\n')).toThrow(ParseError);
  });
  it('file modes are octal', () => {
    expect(parseFileModes('640 root systemd-journal /var/log/journal/x/system.journal\n')[0]).toMatchObject({ mode: 0o640, owner: 'root' });
  });
});

describe('apiclient JSON', () => {
  it('bloodhound status as a string or an override object', () => {
    const report = parseBloodhoundReport(
      JSON.stringify({
        name: 'CIS Kubernetes Benchmark (Worker Node)',
        version: 'v1.11.1',
        results: {
          k8s04021000: { name: 'k8s04021000', id: '4.2.10', status: { OVERRIDE: 'PASS' }, override_reason: 'IAM auth', error: '' },
          k8s04020100: { name: 'k8s04020100', id: '4.2.1', status: 'FAIL', error: 'anonymous authentication is configured' },
        },
      }),
    );
    expect(report.type).toBe('cis-k8s');
    expect(report.get('4.2.10')).toMatchObject({ status: 'PASS', overridden: true, overrideReason: 'IAM auth' });
    expect(report.get('4.2.1', 'k8s04020100')?.status).toBe('FAIL');
    expect(report.all().map((r) => r.id)).toEqual(['4.2.10', '4.2.1']);
    expect(() => parseBloodhoundReport('{"results":{"x":{"id":"1","status":"MAYBE"}}}')).toThrow(ParseError);
  });
  it('a bloodhound report that lists fewer results than its total is incomplete', () => {
    const result = (id: string) => ({ name: `br0${id}000000`, id, status: 'PASS', error: '' });
    const doc = (total: number) =>
      JSON.stringify({
        total,
        name: 'CIS Bottlerocket Benchmark',
        version: 'v1.0.0',
        results: { br01000000: result('1'), br02000000: result('2') },
      });
    expect(parseBloodhoundReport(doc(2)).all()).toHaveLength(2);
    expect(() => parseBloodhoundReport(doc(28))).toThrow(/lists 2 result\(s\) but says "total": 28, so it is incomplete/);
  });
  it('reads text result, header and exception lines with any runs of spaces and tabs, in time linear in the line', () => {
    const report = (body: string) =>
      `Benchmark name:${' '.repeat(5000)}CIS Bottlerocket Benchmark${' '.repeat(5000)}\nVersion:\tv1.0.0\n\n${body}\n\nTotal checks:    2\n`;
    const parsed = parseBloodhoundReport(
      report(
        `[PASS]\t1.4.2${' '.repeat(10_000)}Ensure ASLR is enabled \t (Automatic)   \n[FAIL] 1.5.2 Ensure Lockdown is configured (Exception)\n\nExceptions:\n*${' '.repeat(3000)}1.5.2${' '.repeat(3000)}Declared   \n`,
      ),
    );
    expect(parsed.name).toBe('CIS Bottlerocket Benchmark');
    expect(parsed.version).toBe('v1.0.0');
    expect(parsed.get('1.4.2')).toMatchObject({ status: 'PASS', title: 'Ensure ASLR is enabled', overridden: false });
    expect(parsed.get('1.5.2')).toMatchObject({ status: 'FAIL', overridden: true, overrideReason: 'Declared' });
    // What is not a result line stays out: no mode, no space before the mode, an unknown status.
    for (const line of [
      `[PASS] 1.4.2${' '.repeat(10_000)}`,
      '[PASS] 1.4.2 Title(Automatic)',
      '[OKAY] 1.4.2 Title (Automatic)',
      '[PASS]1.4.2 Title (Automatic)',
    ]) {
      expect(() => parseBloodhoundReport(report(line))).toThrow(ParseError);
    }
  });
  it('reads the text form, and refuses one cut before its totals', () => {
    const text = (tail: string) =>
      `Benchmark name:  FIPS Security Policy\nVersion:         v1.0.0\nBenchmark level: 1\nStart time:      2025-03-04T10:00:00Z\n\n[PASS] 1.0       FIPS mode is enabled. (Automatic)\n${tail}`;
    const whole = parseBloodhoundReport(
      text('\nPassed:          1\nFailed:          0\nSkipped:         0\nTotal checks:    1\n\nCompliance check result: PASS\n'),
    );
    expect(whole.type).toBe('fips');
    expect(whole.get('1.0')?.status).toBe('PASS');
    expect(() => parseBloodhoundReport(text(''))).toThrow(/ends before its "Total checks:" line/);
    expect(() => parseBloodhoundReport(text('\nTotal checks:    3\n'))).toThrow(/lists 1 result\(s\) but says "total": 3/);
  });
  it('update status', () => {
    const status = parseUpdateStatus(
      '{"update_state":"Idle","available_updates":["1.26.1","1.25.0"],"chosen_update":null,"active_partition":{"image":{"arch":"x86_64","version":"1.25.0","variant":"aws-ecs-2"},"next_to_boot":true}}',
    );
    expect(status).toMatchObject({ updateState: 'Idle', activeVersion: '1.25.0', availableUpdates: ['1.26.1', '1.25.0'] });
  });
});

describe('unusable captures', () => {
  it.each([
    [{ stdout: 'x', exitCode: 1, stderr: 'denied' }, false, 'exit code 1 (denied)'],
    [{ stdout: '  \n', exitCode: 0 }, false, 'empty output'],
    [{ stdout: 'a = 1\n--output truncated--', exitCode: 0 }, false, 'output was cut by SSM'],
  ])('%j is unusable', (capture, allowEmpty, problem) => {
    expect(captureProblem(capture, allowEmpty)).toContain(problem);
  });
  it('empty output can be valid', () => {
    expect(captureProblem({ stdout: '', exitCode: 0 }, true)).toBeNull();
  });
});

describe('kubelet config YAML', () => {
  const stock = JSON.parse(readFileSync(new URL('../examples/k8s-stock-full.json', import.meta.url), 'utf8')).captures[
    'cat /etc/kubernetes/kubelet/config'
  ].stdout as string;
  const whole = (text: string) => loadYaml(text, { schema: CORE_SCHEMA });

  // The config is read as one YAML document, as js-yaml reads it: a hand-made split once read invalid ones.
  const documents: Record<string, string> = {
    'a stock node': stock,
    'another node of the same fleet': stock
      .replace(/providerID: .*/, 'providerID: aws:///us-west-2a/i-0fffffffffffffff0')
      .replace(/maxPods: \d+/, 'maxPods: 110'),
    'CRLF line ends': stock.replace(/\n/g, '\r\n'),
    'comments, blank lines and a keep-chomped block scalar':
      '# header\n\nkind: KubeletConfiguration\n# between\nnote: |+\n  line one\n\n\nreadOnlyPort: 0\n',
    'a plain scalar over several lines': 'a: one\n  two\nb: 2\n',
    'an anchor and an alias in different entries': 'a: &x {k: 1}\nb: *x\n',
    'a flow sequence over several lines': 'a: [1,\n2]\nb: 3\n',
    'a quoted string over several lines': 'a: "one\n two"\nb: 3\n',
    'a null value': 'a:\nb: 1\n',
    'sequence items at column 0': 'clusterDNS:\n- 10.100.0.10\n- 10.100.0.11\nmaxPods: 1\n',
  };
  for (const [name, text] of Object.entries(documents)) {
    it(`reads ${name} as js-yaml reads the whole text`, () => {
      expect(parseKubeletConfig(text)).toEqual(whole(text));
    });
  }

  it('reads one-line scalars as the core schema does, whichever way they are parsed', () => {
    // Plain strings and decimal integers are read without js-yaml; everything that only looks like one is not.
    const values = [
      'aws:///us-west-2b/i-0a1b',
      'Webhook',
      'yes',
      'off',
      'a.b-c_d',
      '0',
      '110',
      '123456789012345',
      '1234567890123456',
      '017',
      '0x1F',
      '0o17',
      '1e3',
      '1_000',
      '.inf',
      '-1',
      '+1',
      'true',
      'True',
      'FALSE',
      'null',
      'NULL',
      '~',
      'a:',
      'a::b',
      'a:b',
      'a #b',
      'a#b',
      '"q"',
      "'q'",
      '[a]',
      '{a: 1}',
      'a b',
    ];
    for (const value of values) {
      for (const end of ['\n', '\r\n', '']) {
        const text = `kind: KubeletConfiguration${end}k: ${value}${end}`;
        let expected: unknown;
        try {
          expected = whole(text);
        } catch {
          expect(() => parseKubeletConfig(text), text).toThrow();
          continue;
        }
        expect(parseKubeletConfig(text), text).toStrictEqual(expected);
      }
    }
  });

  it('agrees with a whole parse on thousands of mutated configs, errors included', () => {
    // Fixture configs with lines inserted, removed or repeated by a seeded generator: the same value, or an error
    // exactly when a whole parse errors.
    const fixtures = join(import.meta.dirname, 'fixtures', 'checks');
    const configs = readdirSync(fixtures).flatMap((f) =>
      (JSON.parse(readFileSync(join(fixtures, f), 'utf8')).cases as { captures?: Record<string, unknown> }[])
        .map((c) => c.captures?.['cat /etc/kubernetes/kubelet/config'])
        .map((x) => (typeof x === 'string' ? x : (x as { stdout?: string } | undefined)?.stdout))
        .filter((x): x is string => typeof x === 'string'),
    );
    expect(configs.length).toBeGreaterThan(10);
    const pieces = [
      'a: &x 1',
      'b: *x',
      '  - item',
      '- top',
      '"q": "v',
      'k: [1,',
      '2]',
      '# c',
      '',
      '---',
      '...',
      'dup: 1',
      'dup: 1',
      'k: |',
      '  text',
      'x:',
      '  y: 1',
      '? c',
      ': d',
      '%YAML 1.2',
      '__proto__: {p: 1}',
      '\tbad: 1',
      'long: >-',
      ' folded',
      'n: ~',
      'o: 0o17',
      'bool: yes',
      '\uFEFF---',
      '\uFEFFkind: KubeletConfiguration',
      'maxPods: \uFEFF29',
      'note: "open',
      'close"',
      'maxPods: 29',
      'providerID: aws:///x',
      'maxPods: brsec-skeleton-value-0',
      '  brsec-skeleton-value-1',
      'readOnlyPort: 10255',
      'k: v #c',
      'flow: {a: 1,',
      'b: 2}',
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const outcome = (parse: () => unknown) => {
      try {
        return JSON.stringify(parse());
      } catch {
        return 'error';
      }
    };
    let compared = 0;
    const mismatches: string[] = [];
    for (const config of configs) {
      for (let k = 0; k < 400; k++) {
        const lines = config.split('\n');
        for (let e = 0; e < 1 + Math.floor(random() * 3); e++) {
          const at = Math.floor(random() * (lines.length + 1));
          const r = random();
          if (r < 0.5) lines.splice(at, 0, pieces[Math.floor(random() * pieces.length)] as string);
          else if (r < 0.75) lines.splice(at, 1);
          else lines.splice(at, 0, lines[Math.floor(random() * lines.length)] ?? '');
        }
        const text = lines.join('\n');
        const wholeParse = () => {
          const doc = whole(text);
          if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('not a mapping');
          return doc;
        };
        if (outcome(() => parseKubeletConfig(text)) !== outcome(wholeParse)) mismatches.push(text);
        compared++;
      }
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(compared).toBeGreaterThan(4_000);
  });

  it('reads lines that look like one-line entries but are not, as a whole parse does', () => {
    const texts = [
      // Inside a multi-line quoted string, a flow collection, a plain scalar continued on the next line.
      `${stock}note: "first\nmaxPods: 29\nlast"\n`,
      `${stock.replace(/maxPods: \d+\n/, '')}flow: [1,\nmaxPods: 29\n]\n`,
      `${stock.replace(/providerID: .*\n/, 'providerID: aws:///a\n  continued\n')}`,
      // The line inside a string, and the key's real value planted as the placeholder text a skeleton would use.
      `note: "x\nmaxPods: 29\n"\nmaxPods:\n  brsec-skeleton-value-0\n`,
      // A repeated key, null and boolean words, a key whose value is on the next line.
      `${stock}maxPods: 30\n`,
      `kind: K\nmode: null\nflag: True\nname: x\n`,
      `kind: K\nname:\n  x\n`,
    ];
    for (const text of texts) {
      let expected: string;
      try {
        const doc = whole(text);
        expected = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? JSON.stringify(doc) : 'error';
      } catch {
        expected = 'error';
      }
      let got: string;
      try {
        got = JSON.stringify(parseKubeletConfig(text));
      } catch {
        got = 'error';
      }
      expect(got, JSON.stringify(text.slice(-80))).toBe(expected);
    }
  });

  it('reads a byte-order mark as a YAML parser does: an invalid document stays invalid', () => {
    const bom = '\uFEFF';
    for (const text of [
      `${bom}---\n${stock}`,
      `kind: K\n${bom}---\nreadOnlyPort: 0\n`,
      `kind: K\n${bom}readOnlyPort: 1\n`,
      `${bom}kind: K\n`,
    ]) {
      let expected: unknown;
      try {
        expected = whole(text);
      } catch {
        expect(() => parseKubeletConfig(text), JSON.stringify(text.slice(0, 40))).toThrow();
        continue;
      }
      if (typeof expected === 'object' && expected !== null && !Array.isArray(expected)) expect(parseKubeletConfig(text)).toEqual(expected);
      else expect(() => parseKubeletConfig(text)).toThrow();
    }
  });

  it('reports a repeated key, as a whole parse does', () => {
    expect(() => parseKubeletConfig('a: 1\nb: 2\na: 3\n')).toThrow(/duplicated mapping key/);
  });

  it('never turns a __proto__ key into a prototype', () => {
    const doc = parseKubeletConfig('__proto__:\n  polluted: true\na: 1\n');
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect((doc as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('rejects what is not a YAML mapping', () => {
    expect(() => parseKubeletConfig('- a\n- b\n')).toThrow('not a YAML mapping');
    expect(() => parseKubeletConfig('a: [1,\n')).toThrow(/^not YAML/);
  });
});

describe('user data TOML', () => {
  it('finds the lines of quoted keys with escapes and raw tabs, which TOML allows and JSON does not', () => {
    const text = '[settings.kernel.sysctl]\n"a\tb" = "1"\n"kernel.\\u0070anic" = "1"\n"x\\\\y\\"z" = "2"\n';
    const lines = userDataLines(text);
    expect(lines['kernel\u0000sysctl\u0000a\tb']).toBe(2);
    expect(lines['kernel\u0000sysctl\u0000kernel.panic']).toBe(3);
    expect(lines['kernel\u0000sysctl\u0000x\\y"z']).toBe(4);
  });

  it('is read by detectInput without a TOML parser handed in (the library loads one)', () => {
    const input = detectInput('[settings.kernel]\nlockdown = "integrity"\n', { source: 'ud.toml', variant: 'aws-k8s-1.30' });
    expect(input.kind).toBe('user-data');
    expect(input.userData?.settings).toEqual({ kernel: { lockdown: 'integrity' } });
  });
});

describe('printable', () => {
  it('shows control characters and bidi overrides as escapes and leaves other text alone', () => {
    expect(printable('a\u001b[2Jb\u0007c\rd\ne\u009bf\u202eg\u2066h')).toBe('a\\x1b[2Jb\\x07c\\x0dd\\x0ae\\x9bf\\u202eg\\u2066h');
    expect(printable('tab\there · ✓ ünïcode 雪')).toBe('tab\there · ✓ ünïcode 雪');
  });
});

describe("allowlist matching of hosts' values", () => {
  const allMatch = OPERATORS.allMatch!;
  const spec = { patterns: ['public.ecr.aws/bottlerocket/**', '*a*a*a*a*a*a*a*a*b'] };
  it('never matches a value longer than 4,096 characters, so a long value fails closed and cannot make a glob backtrack', () => {
    expect(allMatch.test('public.ecr.aws/bottlerocket/admin:v1', spec)).toBe(true);
    expect(allMatch.test(`public.ecr.aws/bottlerocket/${'x'.repeat(5000)}`, spec)).toBe(false);
    expect(allMatch.test('a'.repeat(5000), spec)).toBe(false);
  });
  it('shows a long value cut, with any credentials in it redacted before the cut', () => {
    const secret = `https://robot:${'s'.repeat(300)}@registry.example.com/image`;
    const actual = allMatch.actual!({ admin: secret }, spec);
    expect(actual).not.toContain('sss');
    expect(actual).toContain('https://***@registry.example.com/image');
    const long = allMatch.actual!([`evil.example/${'y'.repeat(1000)}`], spec);
    expect(long).toMatch(/… \(1013 characters\)$/);
  });
  it('noneMatch fails on any value that matches, and a value too long to be an image counts as matching', () => {
    const noneMatch = OPERATORS.noneMatch!;
    const plain = { field: 'source', patterns: ['*.dkr.ecr.us-east-1.amazonaws.com/**'] };
    expect(noneMatch.test({ admin: { source: '328549459982.dkr.ecr-fips.us-east-1.amazonaws.com/bottlerocket-admin:v1' } }, plain)).toBe(
      true,
    );
    expect(noneMatch.test({ admin: { source: '328549459982.dkr.ecr.us-east-1.amazonaws.com/bottlerocket-admin:v1' } }, plain)).toBe(false);
    expect(noneMatch.test({ admin: { source: `x/${'a'.repeat(5000)}` } }, plain)).toBe(false);
    expect(noneMatch.actual!({ admin: { source: '328549459982.dkr.ecr.us-east-1.amazonaws.com/a:1' } }, plain)).toBe(
      'admin: 328549459982.dkr.ecr.us-east-1.amazonaws.com/a:1',
    );
    expect(noneMatch.actual!(undefined, plain)).toBe('none configured');
  });
  it('a long default list is named by its label in the expected value', () => {
    const labelled = { field: 'source', patterns: ['a/**', 'b/**'], label: "Bottlerocket's own registries" };
    expect(OPERATORS.allMatch!.expected(labelled)).toBe("every source matching Bottlerocket's own registries");
    expect(OPERATORS.allMatch!.expected({ field: 'source', patterns: ['a/**', 'b/**'] })).toBe('every source matching a/** or b/**');
  });
  it('recorded holds whenever there is a value, and states its expectation in words', () => {
    expect(OPERATORS.recorded!.test(0, 'x')).toBe(true);
    expect(OPERATORS.recorded!.test(undefined, 'x')).toBe(false);
    expect(OPERATORS.recorded!.expected('a level that captures events')).toBe('a level that captures events');
  });
});

describe('sameData', () => {
  it('holds parsed values equal only when every item, entry and key order is', async () => {
    const { sameData } = await import('../src/values.js');
    expect(sameData({ a: [1, { b: 'x' }], c: null }, { a: [1, { b: 'x' }], c: null })).toBe(true);
    expect(sameData({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameData({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameData({ a: [1] }, { a: { 0: 1 } })).toBe(false);
    expect(sameData({ a: 1 }, { a: '1' })).toBe(false);
    expect(sameData({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameData({ a: { b: { c: true } } }, { a: { b: { c: false } } })).toBe(false);
    expect(sameData(null, {})).toBe(false);
    // Dates (TOML datetimes) have no keys of their own: equal only when they are one object.
    expect(sameData({ at: new Date(0) }, { at: new Date(1) })).toBe(false);
    const date = new Date(0);
    expect(sameData({ at: date }, { at: date })).toBe(true);
    // Nesting far deeper than any setting is called different instead of exhausting the stack.
    const nested = (depth: number): unknown => JSON.parse('{"a":'.repeat(depth) + '{}' + '}'.repeat(depth));
    expect(sameData(nested(100_000), nested(100_000))).toBe(false);
    expect(sameData(nested(10), nested(10))).toBe(true);
  });
});
