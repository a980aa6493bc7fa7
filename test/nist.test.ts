// The NIST SP 800-53 Rev. 5 mapping (benchmarks/mappings/nist-800-53-r5.json) beside the PCI DSS one: a profile of its
// own, controls folded from their checks, and the reports naming the framework by its name.
import { describe, expect, it } from 'vitest';
import { loadCatalog, scan } from '../src/index.js';
import { brsec } from './helpers/cli.js';

const catalog = loadCatalog();
const nist = catalog.mappings.find((m) => m.id === 'nist-800-53')!;

describe('NIST SP 800-53 Rev. 5', () => {
  it('maps the controls FedRAMP assessors ask a host for, each to checks that exist', () => {
    expect(nist).toMatchObject({ name: 'NIST SP 800-53', version: '5' });
    const ids = nist.requirements.map((r) => r.id);
    for (const id of ['AC-3', 'AC-6', 'AU-8', 'AU-9', 'CM-6', 'CM-7', 'IA-5', 'RA-5', 'SC-7', 'SC-8', 'SC-13', 'SI-2', 'SI-7'])
      expect(ids, id).toContain(id);
    for (const r of nist.requirements) for (const id of r.checks) expect(catalog.byId.has(id), `${r.id}: ${id}`).toBe(true);
  });

  it('folds each control from its checks on a host, under its own profile only', async () => {
    const result = await scan(['examples/k8s-stock-full.json'], { profiles: ['nist-800-53'] });
    const controls = Object.fromEntries(result.hosts[0]!.requirements!.map((r) => [r.id, [r.framework, r.status]]));
    expect(controls['AC-17']).toEqual(['nist-800-53', 'PASS']);
    expect(controls['SC-7']).toEqual(['nist-800-53', 'FAIL']);
    expect(controls['RA-5']).toEqual(['nist-800-53', 'NOT_ASSESSED']);
    // `all` stays as it was: every check and the PCI DSS requirements.
    const all = await scan(['examples/k8s-stock-full.json'], { profiles: ['all'] });
    expect(new Set(all.hosts[0]!.requirements!.map((r) => r.framework))).toEqual(new Set(['pci-dss']));
  });

  it('reports name the framework: the text heading, ASFF related requirements, OCSF standards', () => {
    const text = brsec(['scan', 'examples/k8s-stock-full.json', '--profile', 'nist-800-53', '--profile', 'pci-dss']).stdout;
    expect(text).toContain('  NIST SP 800-53 v5 requirements');
    expect(text).toContain('  PCI DSS v4.0.1 requirements');
    const asff = JSON.parse(
      brsec(['scan', 'examples/k8s-stock-full.json', '-f', 'asff', '--aws-account', '123456789012', '--region', 'us-west-2']).stdout,
    ) as { Id: string; Compliance: { RelatedRequirements: string[] } }[];
    const lockdown = asff.find((f) => f.Id.includes('/BR-1.5.2/'))!;
    expect(lockdown.Compliance.RelatedRequirements).toEqual(expect.arrayContaining(['PCI DSS v4.0.1 2.2.6', 'NIST SP 800-53 v5 SI-7']));
    const ocsf = JSON.parse(
      brsec(['scan', 'examples/k8s-stock-full.json', '-f', 'ocsf', '--aws-account', '123456789012', '--region', 'us-west-2']).stdout,
    ) as { finding_info: { uid: string }; compliance: { standards: string[] } }[];
    expect(ocsf.find((r) => r.finding_info.uid.includes('/BR-1.5.2/'))!.compliance.standards).toEqual([
      'CIS Bottlerocket Benchmark v1.0.0',
      'PCI DSS v4.0.1',
      'NIST SP 800-53 v5',
    ]);
  });
});
