// Less evidence never makes a host look better. Removing, blanking, failing or cutting a capture must not turn a
// check that did not pass into a PASS, unless what decides it then is other evidence (the other aspect, or a
// bloodhound verdict that proves it), which the result shows. And a snapshot that lost a capture its collector always
// takes is incomplete, never clean.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectInput } from '../../src/inputs/detect.js';
import { loadCatalog } from '../../src/checks/loader.js';
import { planScan } from '../../src/checks/plan.js';
import { scanHost } from '../../src/scan.js';
import type { CheckResult, Snapshot } from '../../src/types.js';
import { brsec, repoRoot } from '../helpers/cli.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const plan = planScan(loadCatalog(), { profiles: ['all'] });
const examples = ['k8s-stock-full.json', 'ecs-gaps.json'].map(
  (f) => JSON.parse(readFileSync(join(repoRoot, 'examples', f), 'utf8')) as Snapshot,
);
// A host whose journal has a file others may read, so BR-4.1.2 fails before any capture is degraded.
const openJournal = structuredClone(examples[0]!);
const JOURNAL = "find /var/log/journal -type f -printf '%m %u %g %p\\n'";
openJournal.captures[JOURNAL] = { stdout: '644 root systemd-journal /var/log/journal/a/system.journal\n', exitCode: 0 };
examples.push(openJournal);

const MUTATIONS: Record<string, (snapshot: Snapshot, key: string) => void> = {
  removed: (s, key) => delete s.captures[key],
  blanked: (s, key) => (s.captures[key] = { stdout: '', exitCode: 0 }),
  whitespace: (s, key) => (s.captures[key] = { stdout: ' \n\t\n', exitCode: 0 }),
  failed: (s, key) => (s.captures[key] = { stdout: '', exitCode: 1, stderr: 'permission denied' }),
  cut: (s, key) =>
    (s.captures[key] = { ...s.captures[key]!, stdout: s.captures[key]!.stdout.slice(0, Math.floor(s.captures[key]!.stdout.length / 2)) }),
};

const scan = (snapshot: Snapshot): CheckResult[] => scanHost(detectInput(JSON.stringify(snapshot), { source: 'host.json' }), plan).results;

describe('degraded evidence', () => {
  it('never turns a check into a PASS on the degraded capture itself', () => {
    const violations: string[] = [];
    let scans = 0;
    for (const example of examples) {
      const baseline = new Map(scan(example).map((r) => [r.id, r.status]));
      for (const key of Object.keys(example.captures)) {
        for (const [name, mutate] of Object.entries(MUTATIONS)) {
          const snapshot = structuredClone(example);
          mutate(snapshot, key);
          scans++;
          for (const r of scan(snapshot)) {
            if (r.status !== 'PASS' || baseline.get(r.id) === 'PASS') continue;
            // A PASS that rests on the degraded capture is the failure this test is for.
            if (r.evidence.some((e) => e.outcome === 'pass' && e.source === key))
              violations.push(`${r.id}: ${key} ${name} (was ${baseline.get(r.id)})`);
          }
        }
      }
    }
    expect(violations).toEqual([]);
    expect(scans).toBeGreaterThan(150);
  });
});

describe('a snapshot that lost a capture its collector always takes', () => {
  const k8s = examples[0]!;
  const fromScript = (mutate: (s: Snapshot) => void) => {
    const s = structuredClone(k8s);
    s.collector = { name: 'brsec-capture', via: 'control', encoding: 'json' };
    mutate(s);
    return s;
  };

  it('makes the checks that needed it ERROR, naming the capture and the collector', () => {
    const results = scan(fromScript((s) => delete s.captures['apiclient get']));
    // Even where the live capture passes, the lost settings leave the configured aspect unknown.
    expect(results.find((r) => r.id === 'BR-1.5.2')!.status).toBe('ERROR');
    const admin = results.find((r) => r.id === 'BRSEC-admin-container')!;
    expect(admin.status).toBe('ERROR');
    expect(admin.reason).toContain("missing from the snapshot, though brsec's capture script always takes it");
  });

  it('is an incomplete scan (exit 3), never a clean one; the same snapshot from elsewhere is only not assessed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brsec-lost-'));
    const only = (s: Snapshot) => {
      // Only the kernel's captures are left, all of them passing: nothing fails the run.
      for (const key of Object.keys(s.captures))
        if (!['cat /proc/cmdline', 'sysctl -a', 'cat /sys/kernel/security/lockdown'].includes(key)) delete s.captures[key];
    };
    const lost = join(dir, 'lost.json');
    writeFileSync(lost, JSON.stringify(fromScript(only)));
    const result = brsec(['scan', lost, '--check', 'BR-1.4.2', 'BRSEC-admin-container']);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('missing from the snapshot');
    const unknown = structuredClone(k8s);
    only(unknown);
    const plain = join(dir, 'plain.json');
    writeFileSync(plain, JSON.stringify(unknown));
    const other = brsec(['scan', plain, '--check', 'BR-1.4.2', 'BRSEC-admin-container']);
    expect(other.code).toBe(0);
  });
});
