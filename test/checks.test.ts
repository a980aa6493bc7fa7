// One generic harness runs every check's fixture cases (test/fixtures/checks/<id>.json).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/checks/loader.js';
import { scanHost } from '../src/scan.js';
import { bindParameters } from '../src/checks/plan.js';
import { inputFromCase, type FixtureCase } from './helpers/cases.js';

const catalog = loadCatalog();
const fixtureDir = join(import.meta.dirname, 'fixtures', 'checks');
const fixtures = new Map<string, FixtureCase[]>(
  readdirSync(fixtureDir).map((f) => {
    const doc = JSON.parse(readFileSync(join(fixtureDir, f), 'utf8')) as { check: string; cases: FixtureCase[] };
    return [doc.check, doc.cases];
  }),
);
const automated = catalog.checks.filter((c) => c.assessment === 'automated');

describe('fixtures cover every automated check', () => {
  it.each(automated.map((c) => c.id))('%s has PASS, FAIL, NOT_ASSESSED and ERROR cases', (id) => {
    const statuses = new Set((fixtures.get(id) ?? []).map((c) => c.expect));
    expect([...statuses].sort()).toEqual(expect.arrayContaining(['ERROR', 'FAIL', 'NOT_ASSESSED', 'PASS']));
  });

  it('every fixture file names a check that exists', () => {
    for (const id of fixtures.keys()) expect(catalog.byId.has(id), id).toBe(true);
  });
});

const allCases = [...fixtures].flatMap(([id, cases]) => cases.map((c) => [id, c.name, c] as const));

describe('check fixtures', () => {
  it.each(allCases)('%s: %s', (id, _name, fixture) => {
    const check = bindParameters(catalog.byId.get(id)!, fixture.parameters);
    const [result] = scanHost(inputFromCase(fixture), [check]).results;
    expect(result?.status, JSON.stringify(result, null, 1)).toBe(fixture.expect);
    if (result?.status === 'PASS') expect(result.reason).toBeUndefined();
    else expect(result?.reason, 'every status but PASS has a reason').toMatch(/\w/);
    for (const text of fixture.reasonIncludes ?? []) expect(result?.reason).toContain(text);
    for (const text of fixture.notesInclude ?? []) expect((result?.notes ?? []).join(' ')).toContain(text);
  });
});

describe('manual checks', () => {
  it.each(catalog.checks.filter((c) => c.assessment === 'manual').map((c) => c.id))('%s is MANUAL with its audit steps', (id) => {
    const [result] = scanHost(inputFromCase({ name: 'x', expect: 'MANUAL', captures: { 'sysctl -a': 'a = 1\n' } }), [catalog.byId.get(id)!]).results;
    expect(result?.status).toBe('MANUAL');
    expect(result?.audit).toBe(catalog.byId.get(id)!.audit);
  });
});
