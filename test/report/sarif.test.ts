// The SARIF report: the OASIS schema, GitHub ingestion rules, runs and categories, locations, limits.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brsec, repoRoot, snapshotWith, scratchFolder } from '../helpers/cli.js';
import { githubProblems, schemaErrors } from '../helpers/sarif.js';
import { uriOf } from '../../src/report/sarif.js';
import { pathToFileURL } from 'node:url';

const stock = 'examples/k8s-stock-full.json';
const ecs = 'examples/ecs-gaps.json';
const gaps = 'test/fixtures/userdata/gaps.toml';
const tmp = scratchFolder('brsec-gate-');

describe('SARIF', () => {
  it('validates against the OASIS schema and passes GitHub ingestion rules, for user data and snapshots', () => {
    for (const args of [
      [gaps, '--variant', 'aws-k8s-1.30'],
      [stock, ecs],
      [stock, '--profile', 'all', '--sarif-include', 'error', 'manual'],
    ]) {
      const result = brsec(['scan', ...args, '-f', 'sarif']);
      const sarif = JSON.parse(result.stdout);
      expect(schemaErrors(sarif), args.join(' ')).toEqual([]);
      expect(githubProblems(sarif, repoRoot), args.join(' ')).toEqual([]);
    }
  });

  it('gives a host met twice (two snapshots of it) runs of their own categories, which GitHub requires', () => {
    const second = tmp.path('same-host-again.json');
    writeFileSync(second, readFileSync(join(repoRoot, ecs)));
    const sarif = JSON.parse(brsec(['scan', ecs, second, '-f', 'sarif']).stdout);
    const ids = sarif.runs.map((r: any) => r.automationDetails.id);
    expect(ids).toEqual([expect.stringMatching(/\/i-0c3d4e5f6a7b89012\/$/), expect.stringMatching(/\/i-0c3d4e5f6a7b89012\/2\/$/)]);
    expect(githubProblems(sarif, repoRoot)).toEqual([]);
  });

  it('names each input by a valid URI: relative and percent-encoded in the scan folder, a file URI outside it', () => {
    expect(uriOf('test/fixtures/userdata/gaps.toml', repoRoot)).toBe('test/fixtures/userdata/gaps.toml');
    expect(uriOf(join(repoRoot, 'nodes', 'user data #1.toml'), repoRoot)).toBe('nodes/user%20data%20%231.toml');
    expect(uriOf('../elsewhere/node.toml', repoRoot)).toBe(pathToFileURL(join(repoRoot, '..', 'elsewhere', 'node.toml')).href);
    expect(uriOf('stdin', repoRoot)).toBe('stdin');
    expect(uriOf('ssm:i-0a1b2c3d4e5f67890', repoRoot)).toBe('ssm:i-0a1b2c3d4e5f67890');

    // End to end: a file whose name needs encoding, scanned from its own folder and from elsewhere.
    const folder = mkdtempSync(join(tmpdir(), 'brsec-uri-'));
    cpSync(join(repoRoot, gaps), join(folder, 'user data #1.toml'));
    const inFolder = JSON.parse(brsec(['scan', 'user data #1.toml', '--variant', 'aws-k8s-1.30', '-f', 'sarif'], { cwd: folder }).stdout);
    expect(inFolder.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('user%20data%20%231.toml');
    expect(githubProblems(inFolder, folder)).toEqual([]);
    const outside = JSON.parse(brsec(['scan', join(folder, 'user data #1.toml'), '--variant', 'aws-k8s-1.30', '-f', 'sarif']).stdout);
    expect(outside.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      pathToFileURL(join(folder, 'user data #1.toml')).href,
    );
    expect(githubProblems(outside, repoRoot)).toEqual([]);
    expect(schemaErrors(outside)).toEqual([]);
  });

  it('anchors each finding in user data at the line of the setting that decides it, its table, or line 1', () => {
    // CIS Kubernetes named, as EKS nodes are judged against CIS Amazon EKS by default, which has no seccomp item.
    const profiles = ['-p', 'cis-bottlerocket', '-p', 'cis-kubernetes', '-p', 'hardening'];
    const sarif = JSON.parse(brsec(['scan', gaps, '--variant', 'aws-k8s-1.30', '-f', 'sarif', ...profiles]).stdout);
    const line = Object.fromEntries(
      sarif.runs[0].results.map((r: any) => [r.ruleId, r.locations[0].physicalLocation.region.startLine]),
    ) as Record<string, number>;
    const uri = sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    expect(uri).toBe('test/fixtures/userdata/gaps.toml');
    expect(line['BR-1.5.2']).toBe(8); // lockdown = "none"
    expect(line['BR-1.4.4']).toBe(11); // "user.max_user_namespaces" = "15000"
    expect(line['K8S-4.2.14']).toBe(5); // seccomp-default = false
    expect(line['BRSEC-seccomp-default']).toBe(5);
    expect(line['BRSEC-admin-container']).toBe(15); // enabled = true under [settings.host-containers.admin]
    expect(line['BRSEC-oci-capabilities']).toBe(17); // [settings.oci-defaults.capabilities]
    // The default decides (send_redirects for "default" is not set): the line of its table.
    expect(line['BR-3.1.1']).toBe(10); // [settings.kernel.sysctl]
    expect(line['BR-3.3.1']).toBe(7); // sctp allowed by default: [settings.kernel]
  });

  it('anchors findings in a snapshot at the line of the capture or the settings', () => {
    const file = tmp.path('pretty.json');
    writeFileSync(
      file,
      snapshotWith(() => {}),
    );
    const text = readFileSync(file, 'utf8').split('\n');
    const lineOf = (needle: string) => text.findIndex((l) => l.includes(needle)) + 1;
    const sarif = JSON.parse(brsec(['scan', file, '-f', 'sarif', '-p', 'cis-bottlerocket', '-p', 'cis-kubernetes']).stdout);
    const line = Object.fromEntries(sarif.runs[0].results.map((r: any) => [r.ruleId, r.locations[0].physicalLocation.region.startLine]));
    expect(line['BR-3.4.1.1']).toBe(lineOf('"iptables -L -v -n": {'));
    expect(line['K8S-4.1.1']).toBe(lineOf(`"stat -c`));
    // udf: the configured aspect fails first, from the default: anchored at the settings capture.
    expect(line['BR-1.1.1.1']).toBe(lineOf('"apiclient get": {'));
  });

  it('never reports passes or waived results, and keeps fingerprints stable and distinct per host', () => {
    const waivers = tmp.write(
      'sarif-waivers.yaml',
      'waivers:\n  - check: BR-3.4.*\n    reason: enforced by security groups\n    owner: platform\n    expires: 2999-01-01\n',
    );
    const a = JSON.parse(brsec(['scan', stock, ecs, '-f', 'sarif', '--waivers', waivers]).stdout);
    const b = JSON.parse(brsec(['scan', stock, ecs, '-f', 'sarif']).stdout);
    const ids = a.runs.flatMap((r: any) => r.results.map((x: any) => x.ruleId));
    expect(ids.some((id: string) => id.startsWith('BR-3.4.'))).toBe(false);
    expect(a.runs.flatMap((r: any) => r.results).every((x: any) => x.properties.status === 'FAIL')).toBe(true);
    const prints = (s: any) =>
      s.runs.flatMap((r: any) => r.results.map((x: any) => `${x.ruleId}:${x.partialFingerprints.primaryLocationLineHash}`));
    // The same finding has the same fingerprint in both scans.
    for (const p of prints(a)) expect(prints(b)).toContain(p);
    const byRule = (s: any, id: string) =>
      s.runs.flatMap((r: any) =>
        r.results.filter((x: any) => x.ruleId === id).map((x: any) => x.partialFingerprints.primaryLocationLineHash),
      );
    const udf = byRule(b, 'BR-1.5.2').concat(byRule(b, 'BR-1.4.4'));
    expect(new Set(udf).size).toBe(udf.length);
    // One run per host, each its own category.
    expect(a.runs.map((r: any) => r.automationDetails.id)).toEqual([
      'brsec/cis-bottlerocket+cis-node+hardening/i-0a1b2c3d4e5f67890/',
      'brsec/cis-bottlerocket+hardening/i-0c3d4e5f6a7b89012/',
    ]);
  });

  it('writes one run for a fleet of more than 20 hosts, still valid', () => {
    const fleet = tmp.path('fleet-sarif');
    mkdirSync(fleet);
    for (let i = 0; i < 40; i++)
      writeFileSync(
        join(fleet, `h${String(i).padStart(2, '0')}.json`),
        snapshotWith((s) => (s.host.id = `i-${String(i).padStart(17, '0')}`), i % 2 ? stock : ecs),
      );
    const parallel = brsec(['scan', fleet, '-f', 'sarif', '--jobs', '2']);
    const single = brsec(['scan', fleet, '-f', 'sarif', '--jobs', '1']);
    expect(parallel.stdout).toBe(single.stdout);
    const sarif = JSON.parse(parallel.stdout);
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0].automationDetails.id).toBe('brsec/default/fleet/');
    const named = JSON.parse(brsec(['scan', stock, ecs, '-f', 'sarif', '--sarif-category', 'nodes/']).stdout);
    expect(named.runs.map((r: any) => r.automationDetails.id)).toEqual(['nodes/i-0a1b2c3d4e5f67890/', 'nodes/i-0c3d4e5f6a7b89012/']);
    expect(new Set(sarif.runs[0].results.map((r: any) => r.properties.host)).size).toBe(40);
    expect(schemaErrors(sarif)).toEqual([]);
    expect(githubProblems(sarif, repoRoot)).toEqual([]);
  });
});

describe('SARIF limits', () => {
  it('holds at most 25,000 results per run, leaving out whole hosts and saying so', async () => {
    const { scan, render, sarifWriter } = await import('../../src/index.js');
    const one = await scan([join(repoRoot, ecs)], { profiles: ['all'] });
    const host = one.hosts[0]!;
    const perHost = host.results.filter((r) => r.status === 'FAIL').length;
    const count = Math.ceil(25_000 / perHost) + 10;
    const hosts = Array.from({ length: count }, (_, i) => ({ ...host, host: { ...host.host, id: `i-${String(i).padStart(17, '0')}` } }));
    const sarif = JSON.parse(render(sarifWriter({ hostCount: count }), { ...one, hosts }));
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0].results.length).toBeLessThanOrEqual(25_000);
    expect(sarif.runs[0].results.length).toBeGreaterThan(25_000 - perHost);
    expect(sarif.runs[0].properties.brsecLeftOut.hosts).toBe(count - Math.floor(25_000 / perHost));
    expect(schemaErrors(sarif)).toEqual([]);
  });
});
