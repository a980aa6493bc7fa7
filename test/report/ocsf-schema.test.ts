// OCSF records against the OCSF 1.6.0 schema of the Compliance Finding class (compiled from OCSF's own definition
// files by scripts/ocsf-json-schema.mjs; see test/fixtures/schemas/README.md), and the attributes OCSF recommends.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { brsec, fixturesDir, repoRoot } from '../helpers/cli.js';

const schema = JSON.parse(readFileSync(join(fixturesDir, 'schemas', 'ocsf-1.6.0-compliance-finding.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const ACCOUNT = '123456789012';

function ocsf(args: string[]): Record<string, any>[] {
  const result = brsec(['scan', ...args, '-f', 'ocsf', '--aws-account', ACCOUNT, '--region', 'us-west-2']);
  expect(result.stderr).not.toMatch(/^brsec: /m);
  return JSON.parse(result.stdout) as Record<string, any>[];
}

/** The errors of the branch for the profiles a record lists (Ajv reports every oneOf branch otherwise). */
function schemaErrors(record: Record<string, any>): string[] {
  if (validate(record)) return [];
  const branch = (record.metadata?.profiles ?? []).includes('cloud') ? 1 : 0;
  return (validate.errors ?? [])
    .filter((e) => e.schemaPath.startsWith(`#/oneOf/${branch}/`) || !e.schemaPath.startsWith('#/oneOf/'))
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

describe('OCSF records and the OCSF 1.6.0 schema', () => {
  const records = [
    ...ocsf(['examples/k8s-stock-full.json', 'examples/ecs-gaps.json', '--profile', 'all']),
    ...ocsf(['test/fixtures/userdata/gaps.toml', '--waivers', 'test/fixtures/golden/waivers.yaml']),
  ];

  it('every record is a valid Compliance Finding, with the cloud profile it uses listed', () => {
    expect(records.length).toBeGreaterThan(100);
    for (const record of records) expect(schemaErrors(record), record.finding_info.uid).toEqual([]);
    for (const record of records) expect(record.metadata.profiles).toEqual(['cloud']);
  });

  it('the schema fails what OCSF does not allow: cloud attributes without the profile, a wrong caption', () => {
    const record = records[0]!;
    const { profiles: _listed, ...metadata } = record.metadata;
    expect(schemaErrors({ ...record, metadata })).not.toEqual([]);
    expect(schemaErrors({ ...record, severity: 'Sever' })).not.toEqual([]);
    expect(schemaErrors({ ...record, compliance: { ...record.compliance, status_id: 7 } })).not.toEqual([]);
    expect(schemaErrors({ ...record, brsec_status: 'FAIL' })).not.toEqual([]);
  });

  it('results without a verdict are "missing information" (compliance.status_id 2), never Other', () => {
    const byStatus = new Map<string, Set<number>>();
    for (const r of records) {
      const set = byStatus.get(r.compliance.status_code) ?? new Set<number>();
      set.add(r.compliance.status_id);
      byStatus.set(r.compliance.status_code, set);
    }
    expect(byStatus.get('PASS')).toEqual(new Set([1]));
    expect(byStatus.get('FAIL')).toEqual(new Set([3]));
    expect(byStatus.get('MANUAL')).toEqual(new Set([2]));
    expect(byStatus.get('NOT_ASSESSED')).toEqual(new Set([2]));
    for (const r of records) expect(r.compliance.status, r.compliance.status_code).not.toBe('Other');
  });

  it('fills the attributes OCSF recommends: message, status_code, log name, observables of the host', () => {
    for (const r of records) {
      expect(r.message).toEqual(expect.any(String));
      expect(r.status_code).toBe(r.compliance.status_code);
      expect(r.metadata.log_name).toBe('brsec');
      expect(r.observables.length).toBeGreaterThan(0);
    }
    const instance = records.find((r) => r.resources[0].type === 'AWS::EC2::Instance')!;
    expect(instance.observables).toContainEqual({
      name: 'resources.uid',
      type_id: 10,
      type: 'Resource UID',
      value: instance.resources[0].uid,
    });
  });

  it('holds no local path: waivers are named by their file name, not where they were read', () => {
    const text = JSON.stringify(records);
    expect(text).not.toContain(repoRoot);
    expect(text).not.toContain('/tmp/');
    const waived = records.find((r) => r.unmapped?.brsec_waiver)!;
    expect(waived.unmapped.brsec_waiver.file).toBe('waivers.yaml');
  });
});
