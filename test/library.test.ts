// The README's library example, run as written.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectInput, jsonWriter, planScan, readInput, render, scan, scanHost, selectChecks, loadCatalog } from '../src/index.js';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

describe('library', () => {
  it('the README example runs and prints what it says', async () => {
    const block = /```js library-example\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'README has a ```js library-example block').toBeDefined();
    // Run it against the built package, as a user who installed brsec would.
    const dir = mkdtempSync(join(tmpdir(), 'brsec-lib-'));
    const file = join(dir, 'example.mjs');
    const distIndex = pathToFileURL(join(import.meta.dirname, '..', 'dist', 'src', 'index.js')).href;
    writeFileSync(file, block!.replace("from 'brsec'", `from '${distIndex}'`));
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(process.execPath, [file], { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' });
    expect(out).toContain('i-0a1b2c3d4e5f67890 FAIL');
    expect(out).toContain('BR-1.1.1.1');
  });

  it("the README's scanFleet example runs, writes its reports and returns the exit code", async () => {
    const block = /```js fleet-example\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'README has a ```js fleet-example block').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'brsec-fleet-'));
    const file = join(dir, 'example.mjs');
    const distIndex = pathToFileURL(join(import.meta.dirname, '..', 'dist', 'src', 'index.js')).href;
    // The example's reports go to a folder of the test's own.
    writeFileSync(file, block!.replace("from 'brsec'", `from '${distIndex}'`).replaceAll("'/tmp/", `'${dir}/`));
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(process.execPath, [file], { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' });
    expect(out.trim()).toBe('2 hosts; exit code 1');
    expect(JSON.parse(readFileSync(join(dir, 'brsec-fleet.json'), 'utf8')).totals.hosts).toBe(2);
    expect(readFileSync(join(dir, 'brsec-summary.md'), 'utf8')).toContain('BR-1.1.1.1');
  });

  it('scan() accepts inputs that are already read, and render() writes JSON', async () => {
    const input = detectInput(readFileSync(join(import.meta.dirname, '..', 'examples', 'ecs-gaps.json'), 'utf8'), {
      source: 'ecs-gaps.json',
    });
    const result = await scan([input], { level: 1, now: () => new Date('2026-11-26T00:00:00Z') });
    expect(result.generatedAt).toBe('2026-11-26T00:00:00.000Z');
    const parsed = JSON.parse(render(jsonWriter(), result));
    expect(parsed.hosts[0].host.id).toBe('i-0c3d4e5f6a7b89012');
    expect(parsed.totals.hosts).toBe(1);
  });

  it('definitions are frozen and results are separate objects', () => {
    const checks = selectChecks(loadCatalog(), { checks: ['BR-1.4.2'] });
    expect(Object.isFrozen(checks[0])).toBe(true);
    const input = detectInput('{"settings":{"kernel":{"sysctl":{"kernel.randomize_va_space":"0"}}}}', { source: 'x' });
    expect(scanHost(input, checks).results[0]?.status).toBe('FAIL');
  });

  it("the JSON writer's byte pieces spell exactly its text, for shared and per-host results alike", async () => {
    const plan = planScan(loadCatalog(), { profiles: ['all'] });
    const files = [
      join('examples', 'k8s-stock-full.json'),
      join('examples', 'ecs-gaps.json'),
      join('test', 'fixtures', 'userdata', 'gaps.toml'),
    ];
    const root = join(import.meta.dirname, '..');
    const seen = { locations: 0, requirements: 0 };
    // Each file twice: the second host of a kind gets the results (and cached bytes) the first one made.
    for (const file of [...files, ...files]) {
      const input = await readInput(join(root, file), { locate: true, variant: file.endsWith('.toml') ? 'aws-k8s-1.31' : undefined });
      const host = scanHost(input, plan, { locate: true });
      const writer = jsonWriter();
      const text = writer.host(host);
      expect(Buffer.concat(writer.hostParts!(host)).toString('utf8')).toBe(text);
      expect(Buffer.from(writer.hostBytes!(host)).toString('utf8')).toBe(text);
      expect(Object.keys(JSON.parse(text))).toEqual(expect.arrayContaining(['host', 'results']));
      if (host.locations) seen.locations++;
      if (host.requirements) seen.requirements++;
    }
    expect(seen).toEqual({ locations: 6, requirements: 6 });
  });

  it("rolls the fleet's failures up per check: on how many hosts each FAILs, waived ones left out", async () => {
    const root = join(import.meta.dirname, '..');
    const files = ['k8s-stock-full.json', 'ecs-gaps.json', 'ecs-gaps.json'].map((f) => join(root, 'examples', f));
    const dir = mkdtempSync(join(tmpdir(), 'brsec-rollup-'));
    const waivers = join(dir, 'waivers.yaml');
    writeFileSync(
      waivers,
      'waivers:\n  - check: BR-1.5.2\n    reason: lockdown is tracked in RISK-42\n    owner: platform@example.com\n    expires: 2999-01-01\n',
    );
    const result = await scan(files, { waivers });
    const expected: Record<string, number> = {};
    for (const h of result.hosts)
      for (const r of h.results) if (r.status === 'FAIL' && r.waiver?.state !== 'active') expected[r.id] = (expected[r.id] ?? 0) + 1;
    expect(result.totals.failedChecks).toEqual(expected);
    expect(result.totals.failedChecks['BR-3.4.1.1']).toBe(3);
    expect(result.totals.failedChecks['BR-1.5.2']).toBeUndefined();
  });
});
