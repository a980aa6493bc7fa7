// The shared example snapshots reach the verdicts of the bloodhound report inside them, except where the
// reference documents a bloodhound false result.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../src/index.js';

const shared = join(import.meta.dirname, '..', '..', 'shared', 'samples');
const bloodhoundToBrsec: Record<string, string> = { PASS: 'PASS', FAIL: 'FAIL', SKIP: 'MANUAL' };

describe.each(['k8s-stock-full.json', 'ecs-gaps.json'])('shared sample %s', (file) => {
  const path = join(shared, 'snapshots', file);
  const snapshot = JSON.parse(readFileSync(path, 'utf8'));
  const report = JSON.parse(snapshot.captures['apiclient report cis -f json -l 2'].stdout);

  it('reaches bloodhound verdicts for all 28 recommendations', async () => {
    const result = await scan([path], { level: 2 });
    const host = result.hosts[0]!;
    expect(host.results).toHaveLength(28);
    for (const verdict of Object.values(report.results) as { id: string; status: string }[]) {
      const mine = host.results.find((r) => r.cisId === verdict.id);
      expect(mine?.status, `BR-${verdict.id}`).toBe(bloodhoundToBrsec[verdict.status]);
    }
    expect(host.totals.PASS).toBe(report.passed);
    expect(host.totals.FAIL).toBe(report.failed);
    expect(host.totals.MANUAL).toBe(report.skipped);
  });

  it('states the variant from the host', async () => {
    const result = await scan([path]);
    expect(result.hosts[0]?.variant.source).toBe('os');
    expect(result.hosts[0]?.variant.id).toBe(JSON.parse(snapshot.captures['apiclient get'].stdout).os.variant_id);
  });
});

describe('raw apiclient and bloodhound outputs', () => {
  it('a raw bloodhound report stands in for the live aspect', async () => {
    const path = join(shared, 'aws-k8s-1.30-default', 'report-cis-l2.json');
    const result = await scan([path]);
    const host = result.hosts[0]!;
    expect(host.inputKind).toBe('bloodhound-report');
    expect(host.totals).toMatchObject({ PASS: 14, FAIL: 10, MANUAL: 4 });
    expect(host.results.find((r) => r.id === 'BR-1.4.4')?.evidence.at(-1)?.origin).toBe('bloodhound');
  });

  it('apiclient get settings alone assesses the configured aspect only', async () => {
    const path = join(shared, 'aws-ecs-2-gaps', 'get-settings.json');
    const result = await scan([path], { variant: 'aws-ecs-2' });
    const byId = new Map(result.hosts[0]!.results.map((r) => [r.id, r.status]));
    expect(byId.get('BR-1.5.2')).toBe('FAIL');
    expect(byId.get('BR-1.4.4')).toBe('FAIL');
    expect(byId.get('BR-1.1.1.1')).toBe('PASS');
    expect(byId.get('BR-3.4.1.1')).toBe('NOT_ASSESSED');
    expect(byId.get('BR-1.3.1')).toBe('NOT_ASSESSED');
  });

  it('level 1 runs the 15 Level 1 recommendations', async () => {
    const result = await scan([join(shared, 'snapshots', 'k8s-stock-full.json')], { level: 1 });
    expect(result.hosts[0]?.results).toHaveLength(15);
    expect(result.hosts[0]?.totals).toMatchObject({ PASS: 11, MANUAL: 4, FAIL: 0 });
  });
});
