// Benchmark versions as data: CIS Kubernetes v1.11.1 and v1.12.0, CIS Amazon EKS v1.7.0 and v1.8.0 side by side,
// the selection table that picks one per node, finding ids that stay where a recommendation is unchanged, and the
// bloodhound cis-k8s report standing in for the EKS checks only where its criterion is at least as strict.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog, scan, type HostResult } from '../src/index.js';
import { asffFinding } from '../src/report/asff.js';
import { ocsfRecord } from '../src/report/ocsf.js';
import { DefinitionError } from '../src/errors.js';
import { bloodhoundReport } from './helpers/cases.js';
import { brsec, repoRoot, scratchFolder } from './helpers/cli.js';

const tmp = scratchFolder('brsec-versions-');
const userData = join(repoRoot, 'test', 'fixtures', 'userdata', 'gaps.toml');

async function hostAs(variant: string, profiles?: string[]): Promise<HostResult> {
  const result = await scan([userData], { variant, ...(profiles ? { profiles } : {}) });
  return result.hosts[0]!;
}

const ids = (host: HostResult, benchmark: string) => host.results.filter((r) => r.benchmark === benchmark).map((r) => r.id);

describe('the benchmark a node is judged against', () => {
  it.each([
    ['aws-k8s-1.29', 'cis-eks', 'v1.7.0', 'the selection table pairs 1.29-1.31 with v1.7.0'],
    ['aws-k8s-1.31-nvidia', 'cis-eks', 'v1.7.0', 'platform eks (aws-k8s-nvidia variants); Kubernetes 1.31'],
    ['aws-k8s-1.32', 'cis-eks', 'v1.8.0', 'the selection table pairs 1.32-1.34 with v1.8.0'],
    ['aws-k8s-1.28', 'cis-eks', 'v1.7.0', 'is older than the selection table covers (from 1.29); judged against the oldest version'],
    ['aws-k8s-1.36', 'cis-eks', 'v1.8.0', 'is newer than the selection table covers (to 1.34); judged against the newest version'],
    ['aws-k8s', 'cis-eks', 'v1.8.0', 'the Kubernetes version is not known (pass --variant'],
    ['vmware-k8s-1.30', 'cis-kubernetes', 'v1.11.1', 'platform kubernetes (vmware-k8s variants); Kubernetes 1.30'],
    ['metal-k8s-1.33', 'cis-kubernetes', 'v1.12.0', 'the selection table pairs 1.32-1.34 with v1.12.0'],
  ])('%s: %s %s', async (variant, benchmark, version, reason) => {
    const host = await hostAs(variant);
    expect(host.benchmarks).toEqual([{ benchmark, name: expect.any(String), version, reason: expect.stringContaining(reason) }]);
    const other = benchmark === 'cis-eks' ? 'cis-kubernetes' : 'cis-eks';
    expect(ids(host, other)).toEqual([]);
    expect(ids(host, benchmark).length).toBe(benchmark === 'cis-eks' ? 13 : version === 'v1.11.1' ? 26 : 25);
  });

  it('v1.12.0 drops 4.2.15; v1.11.1 keeps it', async () => {
    expect(ids(await hostAs('metal-k8s-1.33'), 'cis-kubernetes')).not.toContain('K8S-4.2.15');
    expect(ids(await hostAs('metal-k8s-1.30'), 'cis-kubernetes')).toContain('K8S-4.2.15');
  });

  it('a profile that names a version wins over the table, and says so', async () => {
    const host = await hostAs('aws-k8s-1.33', ['cis-kubernetes-v1.11']);
    expect(host.benchmarks).toEqual([
      expect.objectContaining({
        benchmark: 'cis-kubernetes',
        version: 'v1.11.1',
        reason: 'the profile cis-kubernetes-v1.11 names v1.11.1',
      }),
    ]);
    expect(ids(host, 'cis-kubernetes')).toContain('K8S-4.2.15');
  });

  it('a profile of one benchmark takes the version from its rows, whatever the platform', async () => {
    const host = await hostAs('aws-k8s-1.33', ['cis-kubernetes']);
    expect(host.benchmarks).toEqual([expect.objectContaining({ benchmark: 'cis-kubernetes', version: 'v1.12.0' })]);
  });

  it('ECS hosts are judged against no Kubernetes benchmark and say nothing of one', async () => {
    const host = await hostAs('aws-ecs-2');
    expect(host.benchmarks).toBeUndefined();
    expect(host.results.some((r) => r.benchmark === 'cis-eks' || r.benchmark === 'cis-kubernetes')).toBe(false);
  });

  it('the scan lists the versions hosts may be judged against', async () => {
    const result = await scan([userData], { variant: 'aws-k8s-1.30' });
    expect(result.benchmarks.find((b) => b.id === 'cis-eks')).toMatchObject({ version: 'v1.8.0', versions: ['v1.7.0', 'v1.8.0'] });
  });
});

describe('every report names the version a host was judged against, and why', () => {
  const args = ['scan', 'examples/k8s-stock-full.json'];
  const line = 'CIS Amazon EKS Benchmark (worker node) v1.7.0: platform eks (aws-k8s variants); Kubernetes 1.30 (from aws-k8s-1.30)';

  it('text and Markdown: a line under the host', () => {
    expect(brsec(args).stdout).toContain(`  judged against ${line}`);
    expect(brsec([...args, '-f', 'markdown']).stdout).toContain(`Judged against ${line}`);
  });

  it("JSON: the host's benchmarks", () => {
    const report = JSON.parse(brsec([...args, '-f', 'json']).stdout);
    expect(report.hosts[0].benchmarks).toEqual([
      {
        benchmark: 'cis-eks',
        name: 'CIS Amazon EKS Benchmark (worker node)',
        version: 'v1.7.0',
        reason: expect.stringContaining(line.split(': ')[1]!),
      },
    ]);
  });

  it("HTML: the host's data carries the line the page shows", () => {
    const html = brsec([...args, '-f', 'html']).stdout;
    const head = JSON.parse(/class="brsec-host">\[(\{.*?\}),/.exec(html)![1]!);
    expect(head.j).toEqual([expect.stringContaining(line)]);
  });
});

describe('ids that stay where a recommendation is unchanged', () => {
  const aws = { accountId: '111122223333', region: 'us-east-1' };
  const catalog = loadCatalog();

  it('a Security Hub finding and an OCSF record keep their id when a host moves from v1.11.1 to v1.12.0', async () => {
    const old = await hostAs('metal-k8s-1.31');
    const current = await hostAs('metal-k8s-1.32');
    expect(old.benchmarks![0]!.version).toBe('v1.11.1');
    expect(current.benchmarks![0]!.version).toBe('v1.12.0');
    const finding = (h: HostResult) =>
      asffFinding(
        h,
        h.results.find((r) => r.id === 'K8S-4.2.14')!,
        { aws, updatedAt: 'T', catalog },
      )!;
    expect(finding(old).Id).toBe(finding(current).Id);
    expect(finding(current).Id).toContain('brsec/cis-kubernetes@v1.11/K8S-4.2.14/');
    // What the finding says it was judged under follows the host.
    expect(JSON.stringify(finding(current))).toContain('CIS Kubernetes Benchmark (worker node) v1.12.0 4.2.14');
    const record = (h: HostResult) =>
      ocsfRecord(
        h,
        h.results.find((r) => r.id === 'K8S-4.2.14')!,
        { aws, time: 0, catalog },
      ) as { finding_info: { uid: string } };
    expect(record(old).finding_info.uid).toBe(record(current).finding_info.uid);
  });
});

describe('the CIS Amazon EKS checks and the cis-k8s bloodhound report', () => {
  const reportFile = (statuses: Record<string, string>, version: string) =>
    tmp.write(
      `report-${version}-${Object.values(statuses).join('')}.json`,
      bloodhoundReport(statuses, 'CIS Kubernetes Benchmark (Worker Node)', version),
    );

  it("v1.11.1's 600 for the kubeconfig is stricter than EKS's 644: its PASS stands in, its FAIL proves nothing", async () => {
    const pass = await scan([reportFile({ '4.1.5': 'PASS', '4.2.1': 'FAIL' }, 'v1.11.1')], {
      variant: 'aws-k8s-1.30',
      profiles: ['cis-eks'],
    });
    const byId = new Map(pass.hosts[0]!.results.map((r) => [r.id, r]));
    expect(byId.get('EKS-3.1.1')!.status).toBe('PASS');
    expect(byId.get('EKS-3.1.1')!.evidence.at(-1)).toMatchObject({ item: 'bloodhound check k8s04010500 (4.1.5)', origin: 'bloodhound' });
    // The same criterion: the verdict stands in either way.
    expect(byId.get('EKS-3.2.1')!.status).toBe('FAIL');
    const fail = await scan([reportFile({ '4.1.5': 'FAIL' }, 'v1.11.1')], { variant: 'aws-k8s-1.30', profiles: ['cis-eks'] });
    const eks = fail.hosts[0]!.results.find((r) => r.id === 'EKS-3.1.1')!;
    expect(eks.status).toBe('NOT_ASSESSED');
    expect(eks.reason).toContain('its v1.11.1 checker judges "600 or more restrictive (bloodhound masks 0177)", stricter than');
    expect(eks.reason).toContain('so its FAIL proves nothing under CIS Amazon EKS Benchmark (worker node) v1.7.0 and v1.8.0');
  });

  it("v1.8.0's 644 is EKS's own criterion: its FAIL stands in", async () => {
    const result = await scan([reportFile({ '4.1.5': 'FAIL' }, 'v1.8.0')], { variant: 'aws-k8s-1.33', profiles: ['cis-eks'] });
    expect(result.hosts[0]!.results.find((r) => r.id === 'EKS-3.1.1')!.status).toBe('FAIL');
  });
});

describe('versions are checked when the catalogue loads', () => {
  const copy = (name: string, edit: (dir: string) => void): string => {
    const dir = tmp.path(name);
    cpSync(join(repoRoot, 'benchmarks'), dir, { recursive: true });
    edit(dir);
    return dir;
  };
  const rewrite = (file: string, change: (data: any) => void) => {
    const data = JSON.parse(readFileSync(file, 'utf8'));
    change(data);
    writeFileSync(file, JSON.stringify(data, null, 2));
  };
  const problem = (dir: string): string => {
    try {
      loadCatalog({ benchmarksDir: dir });
    } catch (err) {
      expect(err).toBeInstanceOf(DefinitionError);
      return (err as Error).message;
    }
    throw new Error('the catalogue loaded');
  };

  it('a check version its benchmark does not have', () => {
    const dir = copy('unknown-version', (d) => rewrite(join(d, 'cis-kubernetes', 'K8S-4.2.15.json'), (c) => (c.versions = ['v1.10.0'])));
    expect(problem(dir)).toMatch(
      /K8S-4\.2\.15\.json: \/versions\/0: "v1\.10\.0" is not a version of cis-kubernetes \(benchmarks\.json lists v1\.11\.1, v1\.12\.0\)/,
    );
  });

  it('two checks of one recommendation in the same version', () => {
    const dir = copy('twice', (d) => {
      const c = JSON.parse(readFileSync(join(d, 'cis-kubernetes', 'K8S-4.2.15.json'), 'utf8'));
      writeFileSync(
        join(d, 'cis-kubernetes', 'K8S-4.2.15.v2.json'),
        JSON.stringify({ ...c, id: 'K8S-4.2.15.v2', versions: ['v1.11.1', 'v1.12.0'] }),
      );
    });
    expect(problem(dir)).toMatch(/both judge cis-kubernetes 4\.2\.15 in v1\.11\.1; limit each to the versions it holds for/);
  });

  it('a profile or a selection row naming a version that does not exist', () => {
    const profile = copy('profile', (d) =>
      rewrite(join(d, 'profiles.json'), (p) => (p.profiles.find((x: any) => x.id === 'cis-eks-v1.7').benchmarks = ['cis-eks@v1.6.0'])),
    );
    expect(problem(profile)).toMatch(/profiles\.json: \/profiles\/\d+\/benchmarks\/0: "v1\.6\.0" is not a version of cis-eks/);
    const row = copy('row', (d) => rewrite(join(d, 'profiles.json'), (p) => (p.selection.rows[0].version = 'v9')));
    expect(problem(row)).toMatch(/\/selection\/rows\/0\/version: "v9" is not a version of cis-eks/);
    const family = copy('family', (d) => rewrite(join(d, 'profiles.json'), (p) => p.selection.platforms.eks.push('aws-k9s')));
    expect(problem(family)).toMatch(/\/selection\/platforms\/eks\/2: unknown variant family "aws-k9s"/);
  });

  it('a family note names a family that exists', () => {
    const dir = copy('family-note', (d) =>
      rewrite(join(d, 'cis-level2', 'BR-1.5.2.json'), (c) => (c.familyNotes = { 'aws-k8s-nvdia': 'a sentence long enough to count' })),
    );
    expect(problem(dir)).toMatch(/BR-1\.5\.2\.json: \/familyNotes\/aws-k8s-nvdia: unknown variant family/);
  });

  it('the newest version is the benchmark version', () => {
    const dir = copy('newest', (d) =>
      rewrite(join(d, 'benchmarks.json'), (b) => (b.benchmarks.find((x: any) => x.id === 'cis-eks').versions = ['v1.8.0', 'v1.7.0'])),
    );
    expect(problem(dir)).toMatch(/benchmarks\.json: \/benchmarks\/\d+\/version: "v1\.8\.0" must be the newest of versions \(the last\)/);
  });
});
