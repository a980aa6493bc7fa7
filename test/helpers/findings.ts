// Validators for the findings brsec produces: ASFF, built from the SDK's AwsSecurityFinding type and the documented
// limits (required fields never empty, lengths and counts within bounds, 240 KB per finding), and OCSF 1.6
// Compliance Finding records with the fields the reference lists.
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';

type Required = keyof Pick<
  AwsSecurityFinding,
  'SchemaVersion' | 'Id' | 'ProductArn' | 'GeneratorId' | 'AwsAccountId' | 'CreatedAt' | 'UpdatedAt' | 'Title' | 'Description' | 'Resources'
>;
const REQUIRED: Required[] = [
  'SchemaVersion',
  'Id',
  'ProductArn',
  'GeneratorId',
  'AwsAccountId',
  'CreatedAt',
  'UpdatedAt',
  'Title',
  'Description',
  'Resources',
];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function emptyStrings(value: unknown, path: string, out: string[]): void {
  if (typeof value === 'string' && value.length === 0) out.push(`${path} is empty`);
  else if (Array.isArray(value)) value.forEach((v, i) => emptyStrings(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) emptyStrings(v, `${path}.${k}`, out);
}

export function asffProblems(f: AwsSecurityFinding & Record<string, unknown>): string[] {
  const p: string[] = [];
  for (const key of REQUIRED) if (f[key] === undefined) p.push(`missing ${key}`);
  emptyStrings(f, 'finding', p);
  const len = (name: string, value: string | undefined, min: number, max: number) => {
    if (value !== undefined && (value.length < min || value.length > max)) p.push(`${name} is ${value.length} characters (${min}–${max})`);
  };
  if (f.SchemaVersion !== '2018-10-08') p.push('SchemaVersion');
  len('Id', f.Id, 1, 512);
  len('ProductArn', f.ProductArn, 12, 2048);
  if (!/^arn:aws(-[a-z-]+)?:securityhub:[a-z0-9-]+:\d{12}:product\/\d{12}\/default$/.test(f.ProductArn ?? ''))
    p.push(`ProductArn ${f.ProductArn}`);
  len('GeneratorId', f.GeneratorId, 1, 512);
  if (!/^\d{12}$/.test(f.AwsAccountId ?? '')) p.push('AwsAccountId');
  for (const t of ['CreatedAt', 'UpdatedAt', 'FirstObservedAt', 'LastObservedAt'] as const)
    if (f[t] !== undefined && !ISO.test(f[t] as string)) p.push(`${t} is not ISO 8601`);
  len('Title', f.Title, 1, 256);
  len('Description', f.Description, 1, 1024);
  const resources = f.Resources ?? [];
  if (resources.length < 1 || resources.length > 32) p.push(`${resources.length} Resources (1–32)`);
  for (const r of resources) {
    len('Resources[].Type', r.Type, 1, 256);
    if (!r.Id) p.push('Resources[].Id');
    if (r.Type === 'AwsEc2Instance' && !/^arn:aws(-[a-z-]+)?:ec2:[a-z0-9-]+:\d{12}:instance\/i-[0-9a-f]+$/.test(r.Id ?? ''))
      p.push(`EC2 resource id ${r.Id}`);
  }
  if ((f.Types ?? []).length > 50) p.push('over 50 Types');
  for (const t of f.Types ?? [])
    if (!/^(Software and Configuration Checks|TTPs|Effects|Unusual Behaviors|Sensitive Data Identifications)(\/[^/]+){0,2}$/.test(t))
      p.push(`Type ${t}`);
  const label = f.FindingProviderFields?.Severity?.Label ?? f.Severity?.Label;
  if (!['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].includes(label ?? '')) p.push(`severity ${label}`);
  if ((f.FindingProviderFields?.Severity?.Original ?? '').length > 64) p.push('Severity.Original over 64');
  if (f.Compliance) {
    if (!['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'].includes(f.Compliance.Status ?? ''))
      p.push(`Compliance.Status ${f.Compliance.Status}`);
    if ((f.Compliance.RelatedRequirements ?? []).length > 32) p.push('over 32 RelatedRequirements');
  }
  len('Remediation.Recommendation.Text', f.Remediation?.Recommendation?.Text, 1, 512);
  const fields = Object.entries(f.ProductFields ?? {});
  if (fields.length > 50) p.push('over 50 ProductFields');
  for (const [k, v] of fields) {
    if (k.length > 128 || v.length > 2048) p.push(`ProductFields ${k} too long`);
    if (k.startsWith('aws/')) p.push(`ProductFields ${k} uses the reserved aws/ prefix`);
  }
  if (f.RecordState !== undefined && !['ACTIVE', 'ARCHIVED'].includes(f.RecordState)) p.push('RecordState');
  if (Buffer.byteLength(JSON.stringify(f)) > 240 * 1024) p.push('over 240 KB');
  return p;
}

export function ocsfProblems(r: Record<string, any>): string[] {
  const p: string[] = [];
  if (r.class_uid !== 2003) p.push('class_uid');
  if (r.category_uid !== 2) p.push('category_uid');
  if (![1, 2, 3].includes(r.activity_id)) p.push('activity_id');
  if (r.type_uid !== 200300 + r.activity_id) p.push('type_uid');
  if (!Number.isInteger(r.time) || r.time < 1e12) p.push('time is not milliseconds');
  if (![0, 1, 2, 3, 4, 5, 6, 99].includes(r.severity_id)) p.push('severity_id');
  if (r.metadata?.version !== '1.6.0' || !(r.metadata?.product?.name || r.metadata?.product?.uid)) p.push('metadata');
  if (!r.finding_info?.uid || !r.finding_info?.title) p.push('finding_info');
  for (const t of ['created_time', 'modified_time'])
    if (r.finding_info?.[t] !== undefined && !Number.isInteger(r.finding_info[t])) p.push(`finding_info.${t}`);
  if (!r.compliance || ![0, 1, 2, 3, 99].includes(r.compliance.status_id)) p.push('compliance.status_id');
  if (!Array.isArray(r.resources) || !r.resources.every((x: any) => x.uid || x.name)) p.push('resources');
  if (r.remediation && !r.remediation.desc) p.push('remediation.desc');
  return p;
}
