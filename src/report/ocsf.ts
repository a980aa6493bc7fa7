// OCSF 1.6 Compliance Finding (class 2003) records, with the same finding identity as ASFF: for Security Lake
// custom sources and OCSF pipelines. Times are milliseconds since the epoch.
import { printableId } from './printable.js';
import { loadCatalog, type Catalog } from '../checks/loader.js';
import { requirementLabel, requirementsOf } from '../checks/mappings.js';
import type { CheckResult, HostResult, Severity } from '../types.js';
import { brsecVersion } from '../version.js';
import { findingId, partitionOf, type AwsContext } from './asff.js';
import { idVersion, judgedVersion } from './benchmark-versions.js';
import type { WriterOptions, WriterScope } from './options.js';
import type { ReportWriter } from './writer.js';

export const OCSF_VERSION = '1.6.0';
const SEVERITY_ID: Record<Severity, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
const SEVERITY_NAME = ['Unknown', 'Informational', 'Low', 'Medium', 'High', 'Critical'];

/**
 * OCSF compliance status: 1 Pass, 3 Fail, and 2 (captioned Warning: "did not yield a result due to missing
 * information", as OCSF 1.6 defines it) for MANUAL, NOT_ASSESSED and ERROR, with status_details saying why.
 */
function statusOf(r: CheckResult): { id: number; name: string } {
  if (r.status === 'PASS') return { id: 1, name: 'Pass' };
  if (r.status === 'FAIL') return { id: 3, name: 'Fail' };
  return { id: 2, name: 'Warning' };
}

/** The file name alone: where the user keeps their waivers is not the finding's business, and may name a person. */
const fileName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The frameworks whose requirements a check evidences, as `PCI DSS v4.0.1`: the scanned catalogue's mappings. */
function frameworksOf(catalog: Catalog, checkId: string): string[] {
  return [...new Set(requirementsOf(catalog, checkId).map(({ mapping }) => `${mapping.name} v${mapping.version}`))];
}

export interface OcsfContext {
  /** The importing account and region, for hosts whose snapshot names none. */
  aws: AwsContext | undefined;
  /** When the finding was made, in milliseconds since the epoch. */
  time: number;
  /** The scanned catalogue. */
  catalog: Catalog;
}

export function ocsfRecord(host: HostResult, r: CheckResult, { aws, time, catalog }: OcsfContext): Record<string, unknown> | null {
  if (r.status === 'NOT_APPLICABLE') return null;
  const check = catalog.byId.get(r.id);
  const benchmark = catalog.benchmarksById.get(r.benchmark);
  const version = judgedVersion(host, r.benchmark, catalog) ?? '1';
  const severityId = r.status === 'FAIL' ? SEVERITY_ID[r.severity] : 1;
  const status = statusOf(r);
  const requirements = requirementsOf(catalog, r.id).map(requirementLabel);
  const region = host.host.region ?? aws?.region;
  const account = host.host.accountId ?? aws?.accountId;
  const waived = r.waiver?.state === 'active';
  const resourceUid =
    /^i-[0-9a-f]{8,17}$/.test(host.host.id) && region && account
      ? `arn:${partitionOf(region)}:ec2:${region}:${account}:instance/${host.host.id}`
      : printableId(host.host.id);
  const cloud = region || account;
  const record: Record<string, unknown> = {
    class_uid: 2003,
    class_name: 'Compliance Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: 1,
    activity_name: 'Create',
    type_uid: 200301,
    type_name: 'Compliance Finding: Create',
    time,
    severity_id: severityId,
    severity: SEVERITY_NAME[severityId],
    // Finding status: 1 New; a waived finding is 3 Suppressed.
    status_id: waived ? 3 : 1,
    status: waived ? 'Suppressed' : 'New',
    // The result as brsec states it; OCSF's status_id is the finding's workflow state above.
    status_code: r.status,
    message: `${r.status} ${r.id} ${r.title}${r.reason ? `: ${r.reason}` : ''}`,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'brsec', vendor_name: 'brsec', version: brsecVersion(), uid: 'brsec' },
      log_name: 'brsec',
      // The cloud profile's attributes (cloud, resources[].region and cloud_partition) are valid only where it is listed.
      ...(cloud ? { profiles: ['cloud'] } : {}),
    },
    finding_info: {
      uid: findingId(printableId(host.host.id), r.benchmark, idVersion(check, catalog, r.benchmark) ?? version, r.id),
      title: `${r.id} ${r.title}`,
      desc: r.reason ?? check?.description ?? r.title,
      types: [benchmark ? `${benchmark.name} ${version}` : r.benchmark],
      created_time: time,
      modified_time: time,
    },
    compliance: {
      standards: [benchmark ? `${benchmark.name} ${version}` : r.benchmark, ...frameworksOf(catalog, r.id)],
      control: r.cisId ?? r.id,
      requirements,
      status_id: status.id,
      status: status.name,
      status_code: r.status,
      ...(r.reason ? { status_details: [r.reason] } : {}),
      checks: [
        {
          uid: r.id,
          name: r.title,
          standards: [benchmark?.name ?? r.benchmark],
          status_id: status.id,
          status: status.name,
          severity_id: SEVERITY_ID[r.severity],
          version,
        },
      ],
    },
    resources: [
      {
        uid: resourceUid,
        name: printableId(host.host.name ?? host.host.id),
        type: /^i-/.test(host.host.id) ? 'AWS::EC2::Instance' : 'Host',
        ...(region ? { region, cloud_partition: partitionOf(region) } : {}),
        ...(host.host.name ? { hostname: host.host.name } : {}),
      },
    ],
    // Observable type 10 is Resource UID, 35 an account's uid.
    observables: [
      { name: 'resources.uid', type_id: 10, type: 'Resource UID', value: resourceUid },
      ...(account ? [{ name: 'cloud.account.uid', type_id: 35, value: account }] : []),
    ],
    ...(check ? { remediation: { desc: check.remediation.text, references: check.references } } : {}),
    ...(cloud
      ? {
          cloud: {
            provider: 'AWS',
            ...(region ? { region } : {}),
            ...(account ? { account: { uid: account, type: 'AWS Account', type_id: 10 } } : {}),
          },
        }
      : {}),
    unmapped: { brsec_status: r.status, ...(r.waiver ? { brsec_waiver: { ...r.waiver, file: fileName(r.waiver.file) } } : {}) },
  };
  return record;
}

/** `--format ocsf`: a JSON array of Compliance Finding records. */
export function ocsfWriter(
  options: WriterOptions & { aws?: AwsContext; updatedAt?: string },
  { catalog }: Pick<WriterScope, 'catalog'> = { catalog: loadCatalog() },
): ReportWriter {
  let time = options.updatedAt ? Date.parse(options.updatedAt) : undefined;
  return {
    separator: ',\n',
    begin(meta) {
      time ??= Date.parse(meta.generatedAt);
      return '[\n';
    },
    host(h) {
      const at = time ?? Date.now();
      return h.results
        .map((r) => ocsfRecord(h, r, { aws: options.aws, time: at, catalog }))
        .filter((x): x is Record<string, unknown> => x !== null)
        .map((x) => JSON.stringify(x))
        .join(',\n');
    },
    end: () => '\n]\n',
  };
}
