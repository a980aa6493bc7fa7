// Meta-tests over the catalogue: ids, titles, levels, folders, schema errors that name file and field.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog, parseCheckFile } from '../src/checks/loader.js';
import { DefinitionError } from '../src/errors.js';

const catalog = loadCatalog();
const reference = readFileSync(join(import.meta.dirname, '..', '..', 'shared', 'reference', 'bottlerocket.md'), 'utf8');

// CIS Bottlerocket v1.0.0 as bloodhound encodes it: id, level, mode.
const expected: [string, number, 'automated' | 'manual'][] = [
  ['1.1.1.1', 2, 'automated'], ['1.2.1', 1, 'manual'], ['1.3.1', 1, 'automated'], ['1.4.1', 1, 'automated'],
  ['1.4.2', 1, 'automated'], ['1.4.3', 1, 'automated'], ['1.4.4', 2, 'automated'], ['1.5.1', 1, 'automated'],
  ['1.5.2', 2, 'automated'], ['1.6', 1, 'manual'], ['2.1.1.1', 1, 'automated'], ['3.1.1', 2, 'automated'],
  ['3.2.1', 2, 'automated'], ['3.2.2', 2, 'automated'], ['3.2.3', 2, 'automated'], ['3.2.4', 2, 'automated'],
  ['3.2.5', 1, 'automated'], ['3.2.6', 1, 'automated'], ['3.2.7', 1, 'automated'], ['3.3.1', 2, 'automated'],
  ['3.4.1.1', 2, 'automated'], ['3.4.1.2', 2, 'automated'], ['3.4.1.3', 1, 'manual'], ['3.4.2.1', 2, 'automated'],
  ['3.4.2.2', 2, 'automated'], ['3.4.2.3', 1, 'manual'], ['4.1.1.1', 1, 'automated'], ['4.1.2', 1, 'automated'],
];

describe('CIS Bottlerocket catalogue', () => {
  const cis = catalog.checks.filter((c) => c.benchmark === 'cis-bottlerocket');

  it('has all 28 recommendations in benchmark order', () => {
    expect(cis.map((c) => c.cisId)).toEqual(expected.map(([id]) => id));
  });

  it.each(expected)('BR-%s is level %i and %s, in the folder of its level', (id, level, assessment) => {
    const check = catalog.byId.get(`BR-${id}`)!;
    expect(check.level).toBe(level);
    expect(check.assessment).toBe(assessment);
    expect(check.file).toBe(`benchmarks/cis-level${level}/BR-${id}.json`);
    expect(check.bloodhound?.id).toBe(id);
  });

  it.each(cis.map((c) => [c.id, c.title]))('%s has the exact bloodhound title', (id, title) => {
    const cisId = id.slice(3);
    expect(reference).toContain(`| ${cisId} | `);
    const row = reference.split('\n').find((l) => l.includes(`| ${cisId} | `) && /^\| br\d{8} \|/.test(l))!;
    expect(row).toContain(`| ${title} |`);
  });

  it('automated checks name what to change or why nothing can be set', () => {
    for (const check of cis.filter((c) => c.assessment === 'automated')) {
      expect(check.remediation.text.length, check.id).toBeGreaterThan(20);
      if (check.aspects?.configured) expect(check.remediation.apiclient ?? check.remediation.userData, check.id).toBeDefined();
    }
  });

  it('level 2 includes level 1', () => {
    expect(catalog.checks.filter((c) => c.level <= 1)).toHaveLength(15);
    expect(catalog.checks.filter((c) => c.level <= 2)).toHaveLength(28);
  });
});

describe('definition errors name the file and the field', () => {
  const valid = readFileSync(join(import.meta.dirname, '..', 'benchmarks', 'cis-level1', 'BR-1.4.2.json'), 'utf8');
  const mutate = (f: (c: Record<string, any>) => void) => {
    const c = JSON.parse(valid);
    f(c);
    return JSON.stringify(c);
  };
  it.each([
    ['an unknown field', mutate((c) => (c.sevrity = 'low')), 'unknown field "sevrity"'],
    ['a bad level', mutate((c) => (c.level = 3)), '/level'],
    ['an unknown operator', mutate((c) => (c.aspects.live.op = 'roughly')), '/aspects/live'],
    ['a sysctl leaf without a key', mutate((c) => delete c.aspects.live.key), 'needs "key"'],
    ['malformed JSON', '{"id": ', 'malformed JSON'],
  ])('%s', (_what, text, message) => {
    expect(() => parseCheckFile(text, 'benchmarks/cis-level1/X.json')).toThrow(DefinitionError);
    expect(() => parseCheckFile(text, 'benchmarks/cis-level1/X.json')).toThrow(/benchmarks\/cis-level1\/X\.json: .*/);
    try {
      parseCheckFile(text, 'benchmarks/cis-level1/X.json');
    } catch (err) {
      expect((err as Error).message).toContain(message);
    }
  });

  it('a check in the wrong benchmark folder or misnamed file is rejected at load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brsec-catalog-'));
    mkdirSync(join(dir, 'cis-level1'));
    writeFileSync(join(dir, 'benchmarks.json'), JSON.stringify({ benchmarks: [{ id: 'cis-bottlerocket', name: 'x', version: 'v1', folders: ['cis-level1'] }] }));
    writeFileSync(join(dir, 'cis-level1', 'BR-9.json'), valid);
    expect(() => loadCatalog({ benchmarksDir: dir })).toThrow(/does not match the file name/);
  });
});
