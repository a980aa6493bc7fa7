// Meta-tests over the catalogue: ids, titles, levels, folders, schema errors that name file and field.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareIds, loadCatalog, parseCheckFile } from '../src/checks/loader.js';
import { DefinitionError } from '../src/errors.js';
import { planScan } from '../src/checks/plan.js';

const catalog = loadCatalog();
// bloodhound's CIS Bottlerocket checkers, one table row each (the file names its source).
const reference = readFileSync(join(import.meta.dirname, 'fixtures', 'samples', 'bloodhound-cis-checks.md'), 'utf8');

// CIS Bottlerocket v1.0.0 as bloodhound encodes it: id, level, mode.
const expected: [string, number, 'automated' | 'manual'][] = [
  ['1.1.1.1', 2, 'automated'],
  ['1.2.1', 1, 'manual'],
  ['1.3.1', 1, 'automated'],
  ['1.4.1', 1, 'automated'],
  ['1.4.2', 1, 'automated'],
  ['1.4.3', 1, 'automated'],
  ['1.4.4', 2, 'automated'],
  ['1.5.1', 1, 'automated'],
  ['1.5.2', 2, 'automated'],
  ['1.6', 1, 'manual'],
  ['2.1.1.1', 1, 'automated'],
  ['3.1.1', 2, 'automated'],
  ['3.2.1', 2, 'automated'],
  ['3.2.2', 2, 'automated'],
  ['3.2.3', 2, 'automated'],
  ['3.2.4', 2, 'automated'],
  ['3.2.5', 1, 'automated'],
  ['3.2.6', 1, 'automated'],
  ['3.2.7', 1, 'automated'],
  ['3.3.1', 2, 'automated'],
  ['3.4.1.1', 2, 'automated'],
  ['3.4.1.2', 2, 'automated'],
  ['3.4.1.3', 1, 'manual'],
  ['3.4.2.1', 2, 'automated'],
  ['3.4.2.2', 2, 'automated'],
  ['3.4.2.3', 1, 'manual'],
  ['4.1.1.1', 1, 'automated'],
  ['4.1.2', 1, 'automated'],
];

describe('check id order', () => {
  it('compares numbers by value and words by code unit, segment by segment', () => {
    const ids = ['3.4.2.1', '1.10', 'BRSEC-update-staged', '3.4.1.2', '1.9', 'BRSEC-admin-container', '1.9.1', 'BRSEC-Zeta'];
    expect([...ids].sort(compareIds)).toEqual([
      '1.9',
      '1.9.1',
      '1.10',
      '3.4.1.2',
      '3.4.2.1',
      'BRSEC-Zeta',
      'BRSEC-admin-container',
      'BRSEC-update-staged',
    ]);
  });
});

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
    expect(cis.filter((c) => c.level <= 1)).toHaveLength(15);
    expect(cis.filter((c) => c.level <= 2)).toHaveLength(28);
  });
});

// CIS Kubernetes v1.11.1 worker node as newer bloodhound encodes it (automated here where evidence allows).
const k8sExpected: [string, number, 'automated' | 'manual'][] = [
  ['4.1.1', 1, 'automated'],
  ['4.1.2', 1, 'automated'],
  ['4.1.3', 1, 'automated'],
  ['4.1.4', 1, 'automated'],
  ['4.1.5', 1, 'automated'],
  ['4.1.6', 1, 'automated'],
  ['4.1.7', 1, 'automated'],
  ['4.1.8', 1, 'automated'],
  ['4.1.9', 1, 'automated'],
  ['4.1.10', 1, 'automated'],
  ['4.2.1', 1, 'automated'],
  ['4.2.2', 1, 'automated'],
  ['4.2.3', 1, 'automated'],
  ['4.2.4', 1, 'automated'],
  ['4.2.5', 1, 'automated'],
  ['4.2.6', 1, 'automated'],
  ['4.2.7', 1, 'manual'],
  ['4.2.8', 2, 'manual'],
  ['4.2.9', 1, 'automated'],
  ['4.2.10', 1, 'automated'],
  ['4.2.11', 1, 'automated'],
  ['4.2.12', 1, 'automated'],
  ['4.2.13', 1, 'automated'],
  ['4.2.14', 1, 'automated'],
  ['4.2.15', 2, 'manual'],
  ['4.3.1', 1, 'automated'],
];

describe('CIS Kubernetes catalogue', () => {
  const k8s = catalog.checks.filter((c) => c.benchmark === 'cis-kubernetes');

  it('has the 26 worker-node recommendations of v1.11.1 in benchmark order, and v1.12.0 without 4.2.15', () => {
    expect(k8s.map((c) => c.cisId)).toEqual(k8sExpected.map(([id]) => id));
    const benchmark = catalog.benchmarks.find((b) => b.id === 'cis-kubernetes')!;
    expect(benchmark.versions).toEqual(['v1.11.1', 'v1.12.0']);
    expect(benchmark.version).toBe('v1.12.0');
    const at = (profile: string) => planScan(catalog, { profiles: [profile] }).checks.map((c) => c.cisId);
    expect(at('cis-kubernetes-v1.11')).toEqual(k8sExpected.map(([id]) => id));
    expect(at('cis-kubernetes-v1.12')).toEqual(k8sExpected.map(([id]) => id).filter((id) => id !== '4.2.15'));
    expect(catalog.byId.get('K8S-4.2.15')!.versions).toEqual(['v1.11.1']);
  });

  it.each(k8sExpected)('K8S-%s is level %i and %s, applies to Kubernetes only, and maps to bloodhound', (id, level, assessment) => {
    const check = catalog.byId.get(`K8S-${id}`)!;
    expect(check.level).toBe(level);
    expect(check.assessment).toBe(assessment);
    expect(check.file).toBe(`benchmarks/cis-kubernetes/K8S-${id}.json`);
    expect(check.appliesTo?.kinds).toEqual(['kubernetes']);
    if (check.bloodhound)
      expect(check.bloodhound.name).toBe(
        'k8s' +
          id
            .split('.')
            .concat(['0', '0', '0', '0'])
            .slice(0, 4)
            .map((p) => p.padStart(2, '0'))
            .join(''),
      );
  });

  it('uses the v1.11.1 thresholds where they differ from v1.8.0, and says so', () => {
    const mask = (id: string) => (catalog.byId.get(id)!.aspects!.live as { value: string }).value;
    expect(mask('K8S-4.1.1')).toBe('177');
    expect(mask('K8S-4.1.5')).toBe('177');
    expect(mask('K8S-4.1.7')).toBe('133');
    const compared = (id: string, version: string) => catalog.byId.get(id)!.bloodhound?.versions?.[version]?.compared;
    // bloodhound's v1.7.1 and v1.8.0 checkers are the same (bottlerocket PR 3558 only changed the version string).
    for (const version of ['v1.7.1', 'v1.8.0']) {
      expect(compared('K8S-4.1.1', version)).toBe('looser');
      expect(compared('K8S-4.1.5', version)).toBe('looser');
      expect(compared('K8S-4.1.7', version)).toBe('stricter');
      expect(compared('K8S-4.2.12', version)).toBe('looser');
    }
  });
});

describe('brsec hardening catalogue', () => {
  const own = catalog.checks.filter((c) => c.benchmark === 'brsec-hardening');

  it('has the hardening checks the issue names', () => {
    expect(own.map((c) => c.id).sort()).toEqual(
      [
        'BRSEC-admin-container',
        'BRSEC-boot-parameters',
        'BRSEC-container-sources',
        'BRSEC-ecs-privileged',
        'BRSEC-no-static-credentials',
        'BRSEC-inspector-coverage',
        'BRSEC-inspector-findings',
        'BRSEC-oci-capabilities',
        'BRSEC-registry-mirrors-https',
        'BRSEC-seccomp-default',
        'BRSEC-superpowered-containers',
        'BRSEC-time-servers',
        'BRSEC-update-current',
        'BRSEC-update-repositories',
        'BRSEC-update-staged',
        'BRSEC-fips-mode',
        'BRSEC-fips-report',
        'BRSEC-fips-endpoints',
        'BRSEC-imds-v2',
        'BRSEC-node-config-dropped',
        'BRSEC-settings-drift',
        'BRSEC-bootstrap-commands',
        'BRSEC-nvidia-gpu-isolation',
      ].sort(),
    );
  });

  it.each(own.map((c) => [c.id, c]))('%s has severity, rationale and remediation as apiclient or user data', (_id, check) => {
    expect(check.severity).toMatch(/critical|high|medium|low/);
    expect(check.rationale.length).toBeGreaterThan(40);
    // A node definition's own fields (IMDS options, what its tool drops) are fixed in that file, not in settings.
    const nodeConfigOnly = check.appliesTo?.inputs?.every((k) => k === 'node-config') ?? false;
    if (check.aspects?.configured && !nodeConfigOnly) expect(check.remediation.apiclient ?? check.remediation.userData).toBeDefined();
    if (nodeConfigOnly) expect(check.remediation.text).toMatch(/node definition/);
    expect(check.remediation.userData ?? '[settings', check.id).toMatch(/^\[\[?settings/);
  });
});

describe('profiles and the PCI DSS mapping', () => {
  it('has the profiles, with defaults by variant kind', () => {
    expect(catalog.profiles.map((p) => p.id)).toEqual([
      'cis-bottlerocket',
      'cis-node',
      'cis-kubernetes',
      'cis-kubernetes-v1.11',
      'cis-kubernetes-v1.12',
      'cis-eks',
      'cis-eks-v1.7',
      'cis-eks-v1.8',
      'hardening',
      'audit-logging',
      'fips',
      'pci-dss',
      'nist-800-53',
      'all',
    ]);
    expect(catalog.defaultProfiles.kubernetes).toContain('cis-node');
    expect(catalog.defaultProfiles.ecs).not.toContain('cis-node');
  });

  it('maps at least the requirements the issue names, each to checks that exist', () => {
    const pci = catalog.mappings.find((m) => m.id === 'pci-dss')!;
    expect(pci.version).toBe('4.0.1');
    const ids = pci.requirements.map((r) => r.id);
    for (const id of [
      '1.3.1',
      '1.3.2',
      '2.2.1',
      '2.2.4',
      '2.2.5',
      '2.2.6',
      '6.3.3',
      '7.2.1',
      '8.6.2',
      '10.2.1',
      '10.3.2',
      '10.6.1',
      '10.6.2',
      '11.3.1',
      '11.5.2',
    ])
      expect(ids).toContain(id);
    for (const r of pci.requirements) for (const id of r.checks) expect(catalog.byId.has(id), `${r.id} → ${id}`).toBe(true);
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
    ['"recorded" in an automated check', mutate((c) => (c.aspects.live.op = 'recorded')), 'only a manual check may use it'],
    [
      "bloodhound versions without the check's own criterion",
      mutate((c) => (c.bloodhound.versions = { 'v1.0.0': { criterion: 'x == 2', compared: 'looser' } })),
      '/bloodhound',
    ],
    [
      'a bloodhound version that is not one',
      mutate((c) =>
        Object.assign(c.bloodhound, { criterion: 'x == 2', versions: { latest: { criterion: 'x == 2', compared: 'looser' } } }),
      ),
      'is not a version such as v1.8.0',
    ],
    [
      "an unknown way to compare a version's criterion",
      mutate((c) =>
        Object.assign(c.bloodhound, { criterion: 'x == 2', versions: { 'v1.0.0': { criterion: 'x == 2', compared: 'similar' } } }),
      ),
      '/bloodhound/versions/v1.0.0/compared',
    ],
    [
      'a variant family that does not exist (the check would apply nowhere)',
      mutate((c) => Object.assign(c, { appliesTo: { families: ['aws-k8s-nvida'] } })),
      '/appliesTo/families/0: unknown variant family "aws-k8s-nvida"',
    ],
  ])('%s', (_what, text, message) => {
    expect(() => parseCheckFile(text, 'benchmarks/cis-level1/X.json')).toThrow(DefinitionError);
    expect(() => parseCheckFile(text, 'benchmarks/cis-level1/X.json')).toThrow(/benchmarks\/cis-level1\/X\.json: .*/);
    try {
      parseCheckFile(text, 'benchmarks/cis-level1/X.json');
    } catch (err) {
      expect((err as Error).message).toContain(message);
    }
  });

  it('a bloodhound version the benchmark does not list is rejected at load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brsec-catalog-'));
    mkdirSync(join(dir, 'cis-level1'));
    writeFileSync(
      join(dir, 'benchmarks.json'),
      JSON.stringify({
        benchmarks: [{ id: 'cis-bottlerocket', name: 'x', version: 'v1', folders: ['cis-level1'], bloodhoundVersions: ['v1.0.0'] }],
      }),
    );
    writeFileSync(
      join(dir, 'cis-level1', 'BR-1.4.2.json'),
      mutate((c) =>
        Object.assign(c.bloodhound, { criterion: 'x == 2', versions: { 'v0.9.0': { criterion: 'x == 1', compared: 'looser' } } }),
      ),
    );
    expect(() => loadCatalog({ benchmarksDir: dir })).toThrow(
      /BR-1\.4\.2\.json: \/bloodhound\/versions\/v0\.9\.0: not one of the report versions benchmarks\.json lists/,
    );
  });

  it('a check in the wrong benchmark folder or misnamed file is rejected at load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brsec-catalog-'));
    mkdirSync(join(dir, 'cis-level1'));
    writeFileSync(
      join(dir, 'benchmarks.json'),
      JSON.stringify({ benchmarks: [{ id: 'cis-bottlerocket', name: 'x', version: 'v1', folders: ['cis-level1'] }] }),
    );
    writeFileSync(join(dir, 'cis-level1', 'BR-9.json'), valid);
    expect(() => loadCatalog({ benchmarksDir: dir })).toThrow(/does not match the file name/);
  });
});
