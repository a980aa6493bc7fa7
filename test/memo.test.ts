// The memo's key contract (src/memo.ts): what hosts of one scan share changes no byte of any report. Every fixture
// case, the examples and the real-world fixtures are scanned as one shuffled fleet with one memo for all hosts and
// with a fresh memo per host, through every format; and a scan leaves nothing behind for the next one.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createWriter, detectInput, FORMATS, loadCatalog, render, scan, ScanMemo, type HostInput, type ScanOptions } from '../src/index.js';
import { inputFromCase, type FixtureCase } from './helpers/cases.js';

const root = join(import.meta.dirname, '..');
const NOW = () => new Date('2026-12-01T00:00:00Z');
const AWS = { accountId: '123456789012', region: 'us-east-1' };

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Every input the repository holds: fixture cases, examples, real-world and sample captures. */
function everyInput(): HostInput[] {
  const inputs: HostInput[] = [];
  const checks = join(root, 'test', 'fixtures', 'checks');
  for (const name of readdirSync(checks).sort()) {
    const fixture = JSON.parse(readFileSync(join(checks, name), 'utf8')) as { cases: FixtureCase[] };
    // Parameters bind into the plan, so cases that set them are scanned by their own tests; every other case is here.
    for (const c of fixture.cases) if (!c.parameters) inputs.push(inputFromCase(c, `${name}:${c.name}`));
  }
  const files = [
    ...filesUnder(join(root, 'examples')),
    ...filesUnder(join(root, 'test', 'fixtures', 'real-world')).filter((f) => f.endsWith('.json') && !f.endsWith('expected.json')),
    ...filesUnder(join(root, 'test', 'fixtures', 'samples')).filter((f) => f.endsWith('.json')),
  ];
  for (const file of files.sort()) {
    try {
      inputs.push(detectInput(readFileSync(file, 'utf8'), { source: file.slice(root.length + 1) }));
    } catch {
      // Files that are not inputs (expected verdicts, partial captures) are not hosts.
    }
  }
  return inputs;
}

/** A fixed shuffle, so neighbouring hosts differ in the ways a memo between hosts would notice. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  const random = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Every format's report of one scan; writers share the scan's memo, or get one that no two hosts share. */
async function reports(inputs: readonly HostInput[], options: ScanOptions): Promise<string[]> {
  const catalog = loadCatalog();
  const result = await scan(inputs, { ...options, now: NOW, catalog });
  const memo = new ScanMemo(options.memo !== false);
  return FORMATS.map((format) =>
    render(
      createWriter(
        format,
        { aws: AWS, updatedAt: NOW().toISOString(), ruleIds: catalog.checks.map((c) => c.id), baseDir: root, hostCount: inputs.length },
        { catalog, memo },
      ),
      result,
    ),
  );
}

describe('the scan memo', () => {
  const inputs = everyInput();

  it('holds many hosts of every kind', () => {
    expect(inputs.length).toBeGreaterThan(400);
  });

  for (const profiles of [undefined, ['all']]) {
    it(`changes no byte of any report: a shuffled fleet with one memo and with none (${profiles ? profiles.join(',') : 'default profiles'})`, async () => {
      const fleet = shuffled(inputs, profiles ? 2 : 1);
      const options: ScanOptions = profiles ? { profiles } : {};
      const shared = await reports(fleet, options);
      const fresh = await reports(fleet, { ...options, memo: false });
      // Compared as booleans first: a diff of two reports of hundreds of hosts would take longer than the scan.
      FORMATS.forEach((format, i) => expect(shared[i] === fresh[i], format).toBe(true));
    }, 120_000);
  }

  it('shares work between hosts when it is on, and none when it is off', async () => {
    const catalog = loadCatalog();
    const fleet = shuffled(inputs, 3).slice(0, 50);
    const shared = await scan(fleet, { now: NOW, catalog, profiles: ['all'] });
    const fresh = await scan(fleet, { now: NOW, catalog, profiles: ['all'], memo: false });
    // Equal results are one frozen object with a memo, and a new one per host without.
    const objects = (result: typeof shared) => new Set(result.hosts.flatMap((h) => h.results)).size;
    expect(objects(shared)).toBeLessThan(objects(fresh));
    expect(JSON.stringify(shared)).toBe(JSON.stringify(fresh));
  });

  it('leaves nothing behind: a scan after another gives what it gives in a fresh process', async () => {
    const catalog = loadCatalog();
    const later = shuffled(inputs, 4).slice(0, 80);
    await scan(shuffled(inputs, 5), { now: NOW, catalog, profiles: ['all'] });
    const afterAnother = await reports(later, { profiles: ['all'] });
    vi.resetModules();
    const fresh = await import('../src/index.js');
    const freshCatalog = fresh.loadCatalog();
    const result = await fresh.scan(later, { now: NOW, catalog: freshCatalog, profiles: ['all'] });
    const alone = fresh.FORMATS.map((format) =>
      fresh.render(
        fresh.createWriter(
          format,
          {
            aws: AWS,
            updatedAt: NOW().toISOString(),
            ruleIds: freshCatalog.checks.map((c) => c.id),
            baseDir: root,
            hostCount: later.length,
          },
          { catalog: freshCatalog },
        ),
        result,
      ),
    );
    expect(afterAnother).toEqual(alone);
  });

  it('gives a fresh memo per host only when not shared', () => {
    const shared = new ScanMemo();
    expect(shared.forHost()).toBe(shared);
    const apart = new ScanMemo(false);
    expect(apart.forHost()).not.toBe(apart);
    expect(apart.forHost().shared).toBe(false);
  });
});
