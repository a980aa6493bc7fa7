// ASFF and OCSF files: the shapes Security Hub and OCSF pipelines take, and the importing account.
import { describe, expect, it } from 'vitest';
import { brsec } from '../helpers/cli.js';
import { asffProblems, ocsfProblems } from '../helpers/findings.js';

const ACCOUNT = '123456789012';

describe('ASFF and OCSF files', () => {
  it('every ASFF finding meets the required fields and limits; ids are stable and leave out the patch version', () => {
    const out = brsec([
      'scan',
      'examples/k8s-stock-full.json',
      'examples/ecs-gaps.json',
      '-f',
      'asff',
      '--aws-account',
      ACCOUNT,
      '--region',
      'us-west-2',
      '--profile',
      'all',
    ]);
    const findings = JSON.parse(out.stdout) as Record<string, any>[];
    expect(findings.length).toBeGreaterThan(100);
    for (const f of findings) expect(asffProblems(f as never), f.Id).toEqual([]);
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
    const lockdown = findings.find((f) => f.Id === 'brsec/cis-bottlerocket@v1.0/BR-1.5.2/i-0c3d4e5f6a7b89012')!;
    expect(lockdown).toMatchObject({
      ProductArn: `arn:aws:securityhub:us-west-2:${ACCOUNT}:product/${ACCOUNT}/default`,
      GeneratorId: 'brsec/cis-bottlerocket/BR-1.5.2',
      Compliance: {
        Status: 'FAILED',
        RelatedRequirements: expect.arrayContaining(['CIS Bottlerocket Benchmark v1.0.0 1.5.2', 'PCI DSS v4.0.1 2.2.6']),
      },
      FindingProviderFields: { Severity: { Label: 'HIGH' } },
      Resources: [{ Type: 'AwsEc2Instance', Id: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0c3d4e5f6a7b89012` }],
      RecordState: 'ACTIVE',
    });
    const pass = findings.find((f) => f.Compliance.Status === 'PASSED')!;
    expect(pass.FindingProviderFields.Severity.Label).toBe('INFORMATIONAL');
    // A Kubernetes check on the ECS host is not applicable, and not imported.
    expect(findings.some((f) => f.Id.startsWith('brsec/cis-kubernetes@v1.11/') && f.Id.endsWith('/i-0c3d4e5f6a7b89012'))).toBe(false);
  });

  it('OCSF records are Compliance Findings (2003) for OCSF 1.6 with the same identity', () => {
    const records = JSON.parse(
      brsec(['scan', 'examples/ecs-gaps.json', '-f', 'ocsf', '--aws-account', ACCOUNT, '--region', 'us-west-2']).stdout,
    ) as Record<string, any>[];
    for (const r of records) expect(ocsfProblems(r), r.finding_info?.uid).toEqual([]);
    const lockdown = records.find((r) => r.finding_info.uid === 'brsec/cis-bottlerocket@v1.0/BR-1.5.2/i-0c3d4e5f6a7b89012')!;
    expect(lockdown).toMatchObject({ severity_id: 4, compliance: { status_id: 3, status_code: 'FAIL' } });
  });

  it('needs the importing account, in one line', () => {
    const result = brsec(['scan', 'examples/ecs-gaps.json', '-f', 'asff', '--region', 'us-west-2']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'brsec: asff and ocsf reports need the importing account: pass --aws-account (and --region), or use --security-hub',
    );
  });
});
