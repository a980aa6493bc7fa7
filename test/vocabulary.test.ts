// One vocabulary: the fact and operator tables are the source; the schema's enums and the tables of docs/checks.md
// are written from them (npm run gen:vocabulary), and the loader holds every leaf to them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { factNames, operatorNames, VALUE_SHAPES, withTables } from '../src/checks/vocabulary.js';
import { OPERATORS } from '../src/checks/operators.js';
import { parseCheckFile } from '../src/checks/loader.js';

const root = join(import.meta.dirname, '..');
const schema = JSON.parse(readFileSync(join(root, 'benchmarks', 'check.schema.json'), 'utf8'));
const DRIFT = 'run `npm run gen:vocabulary` to write it from the tables';

/** A valid check with one leaf, to which each case makes one change. */
function checkWith(leaf: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: 'ACME-leaf',
    benchmark: 'acme',
    title: 'A check with one leaf to test',
    level: 1,
    assessment: 'automated',
    severity: 'low',
    description: 'A check made by the vocabulary test.',
    rationale: 'The loader must hold every leaf to the vocabulary.',
    audit: 'Nothing to audit; this check exists only in a test.',
    remediation: { text: 'Nothing to remediate in a test.' },
    references: ['https://bottlerocket.dev/en/os/latest/'],
    aspects: { live: leaf },
    ...extra,
  });
}

describe('the check vocabulary', () => {
  it('the schema enums are the fact and operator tables', () => {
    expect(schema.definitions.assertion.properties.fact.enum, DRIFT).toEqual(factNames());
    expect(schema.definitions.assertion.properties.op.enum, DRIFT).toEqual(operatorNames());
  });

  it('the tables of docs/checks.md are written from the fact and operator tables', () => {
    const doc = readFileSync(join(root, 'docs', 'checks.md'), 'utf8');
    expect(withTables(doc) === doc, DRIFT).toBe(true);
    for (const name of [...factNames(), ...operatorNames()]) expect(doc).toContain(`| \`${name}\` |`);
  });

  it('every operator declares the shape of its value and says when it holds', () => {
    for (const [name, op] of Object.entries(OPERATORS)) {
      expect(VALUE_SHAPES[op.value], name).toBeDefined();
      expect(op.doc.length, name).toBeGreaterThan(10);
    }
  });

  // Each of these loaded fine before the vocabulary was checked, and failed only when a host was scanned.
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['gte with text', { fact: 'sysctl', key: 'a.b', op: 'gte', value: 'high' }, /\/aspects\/live\/value: operator "gte" takes a number/],
    ['in with one value', { fact: 'lockdown', key: 'active', op: 'in', value: 'integrity' }, /operator "in" takes a non-empty list/],
    ['noModeBits with a word', { fact: 'journal.files', op: 'noModeBits', value: 'rw' }, /octal permission mask/],
    ['hasRulesInOrder with no rules', { fact: 'iptables', key: 'INPUT.rules', op: 'hasRulesInOrder', value: [] }, /rule patterns/],
    ['allMatch without patterns', { fact: 'setting', path: ['x'], op: 'allMatch', value: { field: 'source' } }, /"patterns"/],
    ['ownedBy without a group', { fact: 'kubelet.files', op: 'ownedBy', value: 'root' }, /user and group/],
    ['unset with a value', { fact: 'setting', path: ['x'], op: 'unset', value: 1 }, /takes no value/],
    ['sysctl without a key', { fact: 'sysctl', op: 'eq', value: '0' }, /fact "sysctl" needs "key"/],
    ['a key for a fact that has none', { fact: 'selinux.enforce', key: 'mode', op: 'eq', value: 'enforcing' }, /takes no "key"/],
  ];
  for (const [name, leaf, message] of bad) {
    it(`rejects at load, naming the file and the leaf: ${name}`, () => {
      expect(() => parseCheckFile(checkWith(leaf), 'acme/ACME-leaf.json')).toThrow(message);
      expect(() => parseCheckFile(checkWith(leaf), 'acme/ACME-leaf.json')).toThrow(/^acme\/ACME-leaf\.json: \/aspects\/live/);
    });
  }

  it('checks a parameter reference by the parameter default, and accepts good leaves', () => {
    const parameters = { maxDays: { description: 'Days a finding may stay open.', default: 'thirty', option: '--max-days' } };
    const leaf = { fact: 'inspector.findings', key: 'criticalHighWithFix', op: 'noneOlderThan', value: { $param: 'maxDays' } };
    expect(() => parseCheckFile(checkWith(leaf, { parameters }), 'acme/ACME-leaf.json')).toThrow(/operator "noneOlderThan" takes a number/);
    const good = { ...parameters, maxDays: { ...parameters.maxDays, default: 30 } };
    expect(parseCheckFile(checkWith(leaf, { parameters: good }), 'acme/ACME-leaf.json').id).toBe('ACME-leaf');
    expect(parseCheckFile(checkWith({ fact: 'setting', path: ['x'], op: 'unset' }), 'acme/ACME-leaf.json').id).toBe('ACME-leaf');
  });
});
