// AWS Security Finding Format (ASFF) for Security Hub: one finding per host and check, with an Id that survives
// re-runs and benchmark patch releases. How each status appears (docs/security-hub.md):
//   FAIL            Compliance FAILED, the check's severity, ACTIVE
//   PASS            Compliance PASSED, INFORMATIONAL, ACTIVE (Security Hub resolves its workflow)
//   ERROR           Compliance NOT_AVAILABLE, INFORMATIONAL, reason EVIDENCE_UNUSABLE
//   NOT_ASSESSED    Compliance NOT_AVAILABLE, INFORMATIONAL, reason NO_EVIDENCE
//   MANUAL          Compliance NOT_AVAILABLE, INFORMATIONAL, reason MANUAL_AUDIT
//   NOT_APPLICABLE  not imported (an earlier finding for it is archived)
//   waived          its true Compliance status, RecordState ARCHIVED, the waiver in ProductFields; when the waiver
//                   expires the finding comes back ACTIVE (and Security Hub sets its workflow to NEW)
import { printableId } from './printable.js';
import { crypto } from '../builtins.js';
import { loadCatalog, type Catalog } from '../checks/loader.js';
import { requirementLabel, requirementsOf } from '../checks/mappings.js';
import type { WriterScope } from './options.js';
import type { CheckResult, HostResult, Severity } from '../types.js';
import { brsecVersion } from '../version.js';
import { idVersion, judgedVersion } from './benchmark-versions.js';
import type { WriterOptions } from './options.js';
import type { ReportWriter } from './writer.js';

export interface AwsContext {
  /** The account that imports the findings (the product ARN's account). */
  accountId: string;
  region: string;
}

export function partitionOf(region: string): string {
  return region.startsWith('cn-')
    ? 'aws-cn'
    : region.startsWith('us-gov-')
      ? 'aws-us-gov'
      : region.startsWith('us-iso-')
        ? 'aws-iso'
        : region.startsWith('us-isob-')
          ? 'aws-iso-b'
          : 'aws';
}

export function productArn(aws: AwsContext): string {
  return `arn:${partitionOf(aws.region)}:securityhub:${aws.region}:${aws.accountId}:product/${aws.accountId}/default`;
}

/** A benchmark version without its patch number (v1.11.1 → v1.11), so finding ids survive patch releases. */
export function minorVersion(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/** The finding's Id: the same host and check always give the same one (never a time), at most 512 characters. */
export function findingId(hostId: string, benchmarkId: string, benchmarkVersion: string, checkId: string): string {
  const id = `brsec/${benchmarkId}@${minorVersion(benchmarkVersion)}/${checkId}/${hostId}`;
  return id.length <= 512
    ? id
    : `brsec/${benchmarkId}@${minorVersion(benchmarkVersion)}/${checkId}/sha256-${crypto().createHash('sha256').update(hostId).digest('hex')}`;
}

const LABEL: Record<Severity, string> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW', info: 'INFORMATIONAL' };

/** Cuts text to a limit with an ellipsis; never returns an empty string (ASFF rejects empty required fields). */
export function fit(text: string | undefined, max: number, fallback = '-'): string {
  const value = (text ?? '').trim() || fallback;
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

export interface AsffOptions {
  aws: AwsContext;
  /** ISO time for UpdatedAt (and CreatedAt of new findings): the scan's time. */
  updatedAt: string;
  /** CreatedAt of findings Security Hub already holds, by Id, so updates keep it. */
  createdAt?: (id: string) => string | undefined;
  /** The scanned catalogue: titles, remediation, benchmarks and requirements; the packaged one when not given. */
  catalog?: Catalog;
}

function complianceOf(r: CheckResult): { status: 'PASSED' | 'FAILED' | 'NOT_AVAILABLE'; reason?: string } {
  switch (r.status) {
    case 'PASS':
      return { status: 'PASSED' };
    case 'FAIL':
      return { status: 'FAILED' };
    case 'ERROR':
      return { status: 'NOT_AVAILABLE', reason: 'EVIDENCE_UNUSABLE' };
    case 'MANUAL':
      return { status: 'NOT_AVAILABLE', reason: 'MANUAL_AUDIT' };
    default:
      return { status: 'NOT_AVAILABLE', reason: 'NO_EVIDENCE' };
  }
}

/** The Security Hub finding for one result on one host; null for NOT_APPLICABLE results, which are not imported. */
export function asffFinding(host: HostResult, r: CheckResult, options: AsffOptions): Record<string, unknown> | null {
  if (r.status === 'NOT_APPLICABLE') return null;
  const catalog = options.catalog ?? loadCatalog();
  const check = catalog.byId.get(r.id);
  const benchmark = catalog.benchmarksById.get(r.benchmark);
  const version = judgedVersion(host, r.benchmark, catalog) ?? '1';
  const { aws } = options;
  const partition = partitionOf(host.host.region ?? aws.region);
  const region = host.host.region ?? aws.region;
  const account = host.host.accountId ?? aws.accountId;
  const id = findingId(printableId(host.host.id), r.benchmark, idVersion(check, catalog, r.benchmark) ?? version, r.id);
  const compliance = complianceOf(r);
  const pci = requirementsOf(catalog, r.id).map(requirementLabel);
  const requirements = [...(r.cisId && benchmark ? [`${benchmark.name} ${version} ${r.cisId}`] : []), ...pci].slice(0, 32);
  const types = [
    r.benchmark.startsWith('cis-')
      ? 'Software and Configuration Checks/Industry and Regulatory Standards/CIS Host Hardening Benchmarks'
      : 'Software and Configuration Checks/Industry and Regulatory Standards',
    ...(pci.length > 0 ? ['Software and Configuration Checks/Industry and Regulatory Standards/PCI-DSS Controls'] : []),
  ];
  const ec2 = /^i-[0-9a-f]{8,17}$/.test(host.host.id);
  const severity = r.status === 'FAIL' ? LABEL[r.severity] : 'INFORMATIONAL';
  const waived = r.waiver?.state === 'active';
  const productFields: Record<string, string> = {
    ProviderName: 'brsec',
    ProviderVersion: brsecVersion(),
    'brsec/status': r.status,
    'brsec/check': r.id,
    'brsec/benchmark': `${benchmark?.name ?? r.benchmark} ${version}`,
    'brsec/host': fit(printableId(host.host.id), 2048),
  };
  if (r.waiver) {
    productFields['brsec/waiver/state'] = r.waiver.state;
    productFields['brsec/waiver/owner'] = fit(r.waiver.owner, 2048);
    productFields['brsec/waiver/expires'] = r.waiver.expires;
    productFields['brsec/waiver/reason'] = fit(r.waiver.reason, 2048);
  }
  const observed = options.updatedAt;
  const finding: Record<string, unknown> = {
    SchemaVersion: '2018-10-08',
    Id: id,
    ProductArn: productArn(aws),
    ProductName: 'brsec',
    CompanyName: 'brsec',
    GeneratorId: fit(`brsec/${r.benchmark}/${r.id}`, 512),
    AwsAccountId: account,
    Types: types,
    CreatedAt: options.createdAt?.(id) ?? options.updatedAt,
    UpdatedAt: options.updatedAt,
    FirstObservedAt: observed,
    LastObservedAt: observed,
    // Severity and Types from the provider go here; Security Hub fills the top-level ones from them.
    FindingProviderFields: { Severity: { Label: severity, Original: fit(r.severity, 64) }, Types: types },
    Title: fit(`${r.id} ${r.title}`, 256),
    Description: fit(r.status === 'PASS' ? `Passed: ${check?.description ?? r.title}` : (r.reason ?? r.title), 1024),
    Remediation: {
      Recommendation: {
        Text: fit(
          check?.remediation.apiclient ? `${check.remediation.text} (${check.remediation.apiclient})` : check?.remediation.text,
          512,
        ),
        // The recommendation's own reference: a page that exists.
        ...(check?.references[0] ? { Url: check.references[0] } : {}),
      },
    },
    ProductFields: productFields,
    Resources: [
      ec2
        ? {
            Type: 'AwsEc2Instance',
            Id: `arn:${partition}:ec2:${region}:${account}:instance/${host.host.id}`,
            Partition: partition,
            Region: region,
          }
        : { Type: 'Other', Id: fit(printableId(host.host.id), 512), Partition: partition, Region: region },
    ],
    Compliance: {
      Status: compliance.status,
      RelatedRequirements: requirements,
      ...(compliance.reason ? { StatusReasons: [{ ReasonCode: compliance.reason, Description: fit(r.reason, 2048) }] } : {}),
    },
    RecordState: waived ? 'ARCHIVED' : 'ACTIVE',
  };
  if (host.host.tags && ec2) {
    const tags = Object.fromEntries(
      Object.entries(host.host.tags)
        .slice(0, 50)
        .map(([k, v]) => [fit(k, 128), fit(v, 256)]),
    );
    (finding.Resources as Record<string, unknown>[])[0]!.Tags = tags;
  }
  return finding;
}

/** The findings of a host, as ASFF. */
export function asffFindings(host: HostResult, options: AsffOptions): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const r of host.results) {
    const f = asffFinding(host, r, options);
    if (f) out.push(f);
  }
  return out;
}

/** `--format asff`: a JSON array of findings, the shape `aws securityhub batch-import-findings --findings` takes. */
export function asffWriter(
  options: WriterOptions & { aws?: AwsContext; updatedAt?: string },
  { catalog }: Pick<WriterScope, 'catalog'> = { catalog: loadCatalog() },
): ReportWriter {
  if (!options.aws) throw new Error('asff needs the importing account and region');
  const aws = options.aws;
  let updatedAt = options.updatedAt;
  return {
    separator: ',\n',
    begin(meta) {
      updatedAt ??= meta.generatedAt;
      return '[\n';
    },
    host(h) {
      return asffFindings(h, { aws, updatedAt: updatedAt ?? new Date().toISOString(), catalog })
        .map((f) => JSON.stringify(f))
        .join(',\n');
    },
    end: () => '\n]\n',
  };
}
