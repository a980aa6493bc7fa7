// A catalogue of a team's own (test/fixtures/custom-catalog: its own benchmark, profile and framework mapping) is
// what engine, writers and the fleet pipeline work from: every format names its checks, fixes and requirements,
// and scan threads load the same catalogue.
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWriter, FORMATS, loadCatalog, render, scan, type Format } from '../src/index.js';
import { schemaErrors } from './helpers/sarif.js';

const root = join(import.meta.dirname, '..');
const catalog = loadCatalog({ benchmarksDir: join(root, 'test', 'fixtures', 'custom-catalog') });
const AWS = { accountId: '123456789012', region: 'us-east-1' };
const NOW = () => new Date('2026-12-01T00:00:00Z');
const inputs = [join(root, 'examples', 'k8s-stock-full.json'), join(root, 'examples', 'ecs-gaps.json')];

async function reportsOf(): Promise<Record<Format, string>> {
  const result = await scan(inputs, { catalog, now: NOW });
  const out = {} as Record<Format, string>;
  for (const format of FORMATS) {
    out[format] = render(
      createWriter(
        format,
        { aws: AWS, updatedAt: NOW().toISOString(), ruleIds: catalog.checks.map((c) => c.id), baseDir: root },
        { catalog },
      ),
      result,
    );
  }
  return out;
}

describe('a custom catalogue', () => {
  const work = mkdtempSync(join(tmpdir(), 'brsec-custom-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is what the engine judges: only its checks, under its default profile', async () => {
    const result = await scan(inputs, { catalog, now: NOW });
    expect(result.benchmarks.map((b) => `${b.name} ${b.version}`)).toEqual(['ACME Node Baseline v2.1.0']);
    expect(result.hosts.map((h) => h.profiles)).toEqual([['acme'], ['acme']]);
    expect(result.hosts[0]!.results.map((r) => `${r.id} ${r.status}`)).toEqual(['ACME-no-admin PASS', 'ACME-redirects FAIL']);
    expect(result.hosts[0]!.requirements?.map((r) => `${r.framework} ${r.id} ${r.status}`)).toEqual([
      'acme-audit 7.1 PASS',
      'acme-audit 2.4 FAIL',
    ]);
  });

  it('names its checks, fixes and requirements in every format', async () => {
    const reports = await reportsOf();
    const sarif = JSON.parse(reports.sarif);
    expect(schemaErrors(sarif)).toEqual([]);
    const rules = sarif.runs[0].tool.driver.rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual(['ACME-no-admin', 'ACME-redirects']);
    expect(rules[1].help.markdown).toContain('ACME remediation: set net.ipv4.conf.all.send_redirects to 0.');
    expect(rules[1].properties.tags).toContain('acme-audit-2.4');
    expect(rules[1].help.markdown).toContain('Evidence for: ACME Audit Framework 2.4.');

    expect(reports.markdown).toContain('`apiclient set kernel.sysctl.net.ipv4.conf.all.send_redirects=0`');
    expect(reports.markdown).toContain('ACME: hosts send no ICMP redirects');

    const asff = JSON.parse(reports.asff) as Record<string, any>[];
    const redirect = asff.find((f) => f.Id.includes('/ACME-redirects/'))!;
    expect(redirect.Compliance.RelatedRequirements).toEqual(['ACME Audit Framework v3 2.4']);
    expect(redirect.Remediation.Recommendation.Text).toContain('ACME remediation');

    const ocsf = JSON.parse(reports.ocsf) as Record<string, any>[];
    const record = ocsf.find((r) => r.finding_info.uid.includes('/ACME-redirects/'))!;
    expect(record.compliance.requirements).toEqual(['ACME Audit Framework v3 2.4']);
    // The catalogue's own framework, never PCI DSS (the standards once named it for any mapped check).
    expect(record.compliance.standards).toEqual(['ACME Node Baseline v2.1.0', 'ACME Audit Framework v3']);

    // The fleet's roll-up names the check by its own title.
    expect(reports.text).toMatch(/1 {2}ACME-redirects +high +ACME: hosts send no ICMP redirects/);
    expect(reports.junit).toContain('ACME-redirects');
    expect(JSON.parse(reports.json).benchmarks[0].id).toBe('acme-baseline');
  });

  it('is loaded again by scan threads, which write the same reports as one thread', async () => {
    // Threads run the build (they cannot load TypeScript sources), so this part does too.
    const built = (await import(join(root, 'dist', 'src', 'index.js'))) as typeof import('../src/index.js');
    const builtCatalog = built.loadCatalog({ benchmarksDir: join(root, 'test', 'fixtures', 'custom-catalog') });
    const dir = join(work, 'fleet');
    for (let i = 0; i < 40; i++) cpSync(inputs[i % 2]!, join(dir, `host-${String(i).padStart(2, '0')}.json`));
    const written: Record<string, string> = {};
    for (const jobs of [1, 2]) {
      const path = join(work, `sarif-${jobs}.json`);
      const summary = await built.scanFleet({
        inputs: [dir],
        catalog: builtCatalog,
        jobs,
        now: NOW,
        outputs: [
          { format: 'sarif', path },
          { format: 'json', path: `${path}.json` },
        ],
      });
      expect(summary.totals.hosts).toBe(40);
      written[jobs] = readFileSync(path, 'utf8');
      expect(JSON.parse(readFileSync(`${path}.json`, 'utf8')).hosts[0].results.map((r: { id: string }) => r.id)).toEqual([
        'ACME-no-admin',
        'ACME-redirects',
      ]);
    }
    expect(JSON.parse(written[2]!).runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['ACME-no-admin', 'ACME-redirects']);
    expect(written[2]).toBe(written[1]);
  });
});

describe('the text roll-up', () => {
  it("keeps its columns aligned for ids longer than brsec's own", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brsec-long-ids-'));
    try {
      cpSync(join(root, 'test', 'fixtures', 'custom-catalog'), dir, { recursive: true });
      const long = 'ACME-REDIRECTS-NEVER-ACCEPTED-ON-ANY-INTERFACE';
      for (const file of ['acme/ACME-redirects.json', 'mappings/acme-audit.json', 'profiles.json']) {
        const path = join(dir, file);
        writeFileSync(path, readFileSync(path, 'utf8').replaceAll('ACME-redirects', long));
      }
      renameSync(join(dir, 'acme', 'ACME-redirects.json'), join(dir, 'acme', `${long}.json`));
      const longCatalog = loadCatalog({ benchmarksDir: dir });
      const result = await scan([...inputs, inputs[1]!], { catalog: longCatalog, now: NOW });
      const text = render(createWriter('text', {}, { catalog: longCatalog }), result);
      const rows = text.split('\n').filter((l) => /^\s+\d+\s{2}ACME-/.test(l));
      expect(rows.length).toBeGreaterThan(1);
      const severityAt = rows.map((l) => l.search(/ (critical|high|medium|low|info) /));
      expect(new Set(severityAt).size).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
