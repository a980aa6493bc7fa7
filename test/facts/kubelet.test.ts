// The kubelet configuration YAML, read exactly as a YAML parser reads the whole document.
import { describe, expect, it } from 'vitest';
import { parseKubeletConfig as parseKubeletConfigIn } from '../../src/facts/kubelet.js';
import { ScanMemo } from '../../src/memo.js';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// One memo per file, as one scan of a fleet has: parsers share what consecutive inputs have in common.
const memo = new ScanMemo();
const parseKubeletConfig = (text: string) => parseKubeletConfigIn(text, memo);

describe('kubelet config YAML', () => {
  const stock = JSON.parse(readFileSync(new URL('../../examples/k8s-stock-full.json', import.meta.url), 'utf8')).captures[
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
    const fixtures = join(import.meta.dirname, '../fixtures', 'checks');
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
