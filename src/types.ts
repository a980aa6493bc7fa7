// Public types of the brsec library. Definitions (checks) and results are separate types:
// evaluation never mutates a check.

export type Status = 'PASS' | 'FAIL' | 'ERROR' | 'NOT_ASSESSED' | 'MANUAL' | 'NOT_APPLICABLE';
export const STATUSES: readonly Status[] = ['FAIL', 'ERROR', 'NOT_ASSESSED', 'MANUAL', 'NOT_APPLICABLE', 'PASS'];

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/**
 * The profiles brsec ships (`brsec checks profiles`), named for editors to complete; a catalogue of your own may define
 * others, so any string is taken and checked against the catalogue scanned.
 */
export type ProfileName = 'cis-bottlerocket' | 'cis-kubernetes' | 'hardening' | 'fips' | 'pci-dss' | 'all' | (string & {});

export type AspectName = 'configured' | 'live';

/** One command's output as recorded in a snapshot. */
export interface Capture {
  stdout: string;
  exitCode: number;
  stderr?: string;
}

export interface HostIdentity {
  id: string;
  name?: string;
  accountId?: string;
  region?: string;
  tags?: Record<string, string>;
}

/** What Amazon Inspector said about a host when it was scanned (`aws.inspector2` in a snapshot). */
export interface Inspector2Evidence {
  /** When Inspector was asked: ages of findings and scans are measured from here, so scans are reproducible. */
  collectedAt: string;
  /** ListCoverage: one entry per scan type; empty when Inspector does not know the host. */
  coverage: { scanType: string; statusCode: string; reason?: string; lastScannedAt?: string; scanMode?: string }[];
  /** ListFindings: the host's ACTIVE findings. */
  findings: {
    arn: string;
    severity: string;
    status: string;
    fixAvailable: string;
    firstObservedAt: string;
    title: string;
    vulnerabilityId?: string;
    packages?: string[];
  }[];
}

/** A host snapshot, format snapshot/1 (see docs/snapshot.md). */
export interface Snapshot {
  brsec: 'snapshot/1';
  host: HostIdentity;
  collectedAt: string;
  collector?: Record<string, unknown>;
  captures: Record<string, Capture>;
  /** Evidence from AWS services, optional. */
  aws?: { inspector2?: Inspector2Evidence };
}

export type InputKind = 'snapshot' | 'apiclient-get' | 'apiclient-update-check' | 'bloodhound-report' | 'user-data' | 'node-config';

/** Settings that came from user data rather than a capture (user data is not a command's output). */
export interface UserDataSettings {
  settings: Record<string, unknown>;
  /** 1-based line of each setting path (joined with NUL), for locations in reports; filled when read with `locate`. */
  lines: Record<string, number>;
  /** Settings a tool wrote rather than the file (eksctl's admin container, Karpenter's kubelet fields): path key → what wrote it. */
  written?: Record<string, string>;
  /** The whole user data is not known until deploy time (a Terraform variable): the expression that gives it. */
  unknown?: string;
  /** Whether settings may hold values not known until deploy time (a template's, a node configuration's). */
  holdsUnknown?: boolean;
}

/** A setting the file writes that the tool drops before the node sees it. */
export interface DroppedSetting {
  /** The setting path, e.g. ['kubernetes', 'authentication-mode']. */
  path: string[];
  /** Why the tool drops it. */
  why: string;
}

/** What a node definition in a Karpenter, eksctl, Terraform, CloudFormation or EKS file says beside its settings. */
export interface NodeConfig {
  /** The tool whose file it is: Karpenter, EKS Auto Mode, eksctl, Terraform, CloudFormation, EKS Anywhere. */
  tool: string;
  /** The definition, named by kind and name: `EC2NodeClass/default`, `nodeGroups/ng-1`, `aws_launch_template.nodes`. */
  definition: string;
  /** 1-based line where the definition starts. */
  line: number;
  /** The variant the file names (an AMI alias, an AMI type, an SSM parameter path), and where it says so. */
  variant?: { id?: string; family?: string; fips?: boolean; why: string };
  /** Settings the file writes that the tool drops. */
  dropped: DroppedSetting[];
  /** Why the tool cannot read the file's user data (so what it drops is not known), when it cannot. */
  mergeProblem?: string;
  /** The user data is not known until deploy time: the expression that gives it. */
  unknownUserData?: string;
  /** Instance metadata options, where the definition sets or implies them. */
  metadata?: { httpTokens: unknown; hopLimit: unknown; source: string };
  /** 1-based line of items that are not settings (`metadataOptions.httpTokens`), by item name. */
  itemLines: Record<string, number>;
}

/** What one input file became: a snapshot plus what brsec learned about where it came from. */
export interface HostInput {
  /** Path of the file (or "-" for standard input). */
  source: string;
  /** Captures the snapshot's collector always takes, and which collector: one missing from it was lost. */
  alwaysCaptured?: { by: string; keys: readonly string[] };
  kind: InputKind;
  snapshot: Snapshot;
  userData?: UserDataSettings;
  /** --variant given on the command line, if any. */
  variantOverride?: string;
  /** For JSON inputs read with `locate`: the 1-based line of each object key, by key path joined with NUL. */
  lines?: Record<string, number>;
  /** For a node definition read from a Karpenter, eksctl, Terraform, CloudFormation or EKS file. */
  nodeConfig?: NodeConfig;
  /**
   * With --drift: the settings the host was launched with (user data, or a node definition's) and where they came
   * from; or, where they could not be found (an instance not launched from a launch template), why.
   */
  launchedWith?: { source: string; settings: Record<string, unknown> } | { source: string; why: string };
}

export type VariantSource = 'flag' | 'os' | 'inferred' | 'unknown';

export interface VariantInfo {
  id: string | null;
  family: string | null;
  source: VariantSource;
  /** Why the variant was assumed, when it was not read from the host. */
  note?: string;
}

export interface Evidence {
  aspect: AspectName;
  /** What was looked at: a sysctl key, a setting path, a chain's policy, a bloodhound check. */
  item: string;
  /** Capture key (the command) or setting path the value came from. */
  source: string;
  expected: string;
  actual: string;
  outcome: 'pass' | 'fail' | 'absent' | 'unusable';
  /** Why the source could not be used, for outcome "unusable". */
  problem?: string;
  /**
   * For settings, whether the value was set (in the file), written by the tool that launches the node (eksctl,
   * Karpenter) or is Bottlerocket's default; "bloodhound" for its verdicts.
   */
  origin?: 'set' | 'tool' | 'default' | 'bloodhound';
}

export interface CheckResult {
  id: string;
  benchmark: string;
  cisId?: string;
  title: string;
  level: number;
  assessment: 'automated' | 'manual';
  severity: Severity;
  status: Status;
  /** One sentence for every status but PASS: expected, actual and where it came from. */
  reason?: string;
  evidence: Evidence[];
  /** Extra remarks, e.g. where brsec corrected a bloodhound false result. */
  notes?: string[];
  /** For MANUAL results: how to audit the recommendation by hand. */
  audit?: string;
  /** The waiver that covers this result on this host; `expired` ones no longer apply. */
  waiver?: WaiverRef;
  /** For FAIL results scanned against a baseline report: whether the failure is new. */
  baseline?: 'new' | 'unchanged';
}

export interface WaiverRef {
  state: 'active' | 'expired';
  /** The waiver's check id or glob. */
  check: string;
  reason: string;
  owner: string;
  expires: string;
  /** The waivers file and the 0-based entry in it. */
  file: string;
  entry: number;
}

/** What decides whether a host fails the run, after waivers, the baseline and the severity gate. */
export interface HostGate {
  /** Results that fail the run: FAIL (and ERROR, NOT_ASSESSED in strict mode) at or above failOn, not waived, new against a baseline. */
  failing: number;
  /** ERROR results that are not waived, and the NOT_ASSESSED ones of a host with nothing assessable (the scan is incomplete). */
  incomplete: number;
  /** Results an active waiver covers. */
  waived: number;
  /** Results whose waiver has expired (they count as if never waived). */
  expiredWaivers: number;
}

export type StatusCounts = Record<Status, number>;

/** A compliance requirement (e.g. PCI DSS 10.6.1) folded from the results of the checks that evidence it. */
export interface RequirementResult {
  /** The mapping's id, e.g. `pci-dss`. */
  framework: string;
  version: string;
  id: string;
  title: string;
  status: Status;
  /** The mapped checks that ran on this host, with their statuses. */
  checks: { id: string; status: Status }[];
  /** Mapped checks that did not run (left out by --level, --check or --skip). */
  notRun: string[];
}

export interface HostResult {
  host: HostIdentity;
  source: string;
  inputKind: InputKind;
  variant: VariantInfo;
  osVersion: string | null;
  /** The profiles this host was scanned with (asked for, or the defaults for its variant). */
  profiles: string[];
  /**
   * The benchmark versions the host was judged against and why, for benchmarks with several versions or chosen per
   * node (CIS Amazon EKS or CIS Kubernetes); absent when there are none.
   */
  benchmarks?: BenchmarkChoice[];
  status: Status;
  totals: StatusCounts;
  results: CheckResult[];
  /** Compliance requirements, when a profile with a mapping (pci-dss, all) was run. */
  requirements?: RequirementResult[];
  /** Against a baseline report: the check ids whose FAIL is new, unchanged, or fixed since. */
  baseline?: { new: string[]; unchanged: string[]; fixed: string[] };
  /** Counts that decide the exit code (see HostGate). */
  gate: HostGate;
  /** For SARIF and other located reports: the 1-based line in `source` that decides each non-passing result. */
  locations?: Record<string, number>;
  /** With Inspector evidence: the host's coverage and its active findings by severity. */
  vulnerabilities?: VulnerabilitySummary;
}

export interface VulnerabilitySummary {
  /** ACTIVE when some scan type is active; otherwise Inspector's status and reason, e.g. INACTIVE (UNSUPPORTED_OS). */
  coverage: string;
  active: Record<'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL' | 'UNTRIAGED', number>;
  /** Critical and high findings with a fix available. */
  fixable: number;
}

/** A file of a kind brsec reads that defines no Bottlerocket node, and why it was skipped. */
export interface SkippedInput {
  file: string;
  reason: string;
}

export interface InputProblem {
  file: string;
  message: string;
  /** The file is of no kind brsec reads; FleetOptions.skipUnrecognized skips such files instead. */
  unrecognised?: true;
}

export interface FleetTotals {
  hosts: number;
  hostsByStatus: StatusCounts;
  results: StatusCounts;
  inputErrors: number;
  gate: HostGate & { baseline?: { new: number; unchanged: number; fixed: number } };
  /** For each check that FAILs (not waived) on some host, on how many hosts, in the order first seen. */
  failedChecks: Record<string, number>;
  /** With groupBy: what the hosts were grouped by (variant, version, nodegroup, tag:<key>). */
  groupBy?: string;
  /** With groupBy: the same roll-up for each group, by its name, in the order first seen. */
  groups?: Record<string, GroupTotals>;
}

/** One group's part of the fleet: its hosts, their statuses and results, and the checks failing on them. */
export interface GroupTotals {
  hosts: number;
  hostsByStatus: StatusCounts;
  results: StatusCounts;
  failedChecks: Record<string, number>;
}

export interface ScanMeta {
  tool: { name: 'brsec'; version: string };
  benchmarks: BenchmarkInfo[];
  /** Profiles asked for; "default" when each host got the defaults for its variant. */
  profiles: string[] | 'default';
  /** Compliance frameworks whose requirements the hosts' reports fold. */
  frameworks: { id: string; name: string; version: string; url: string }[];
  level: number;
  generatedAt: string;
}

/** A benchmark version a host was judged against, and why that one. */
export interface BenchmarkChoice {
  /** The benchmark's id (`cis-eks`). */
  benchmark: string;
  name: string;
  version: string;
  /** Why this version: the node's platform and Kubernetes version and the selection table's row, or the profile that names it. */
  reason: string;
}

export interface BenchmarkInfo {
  id: string;
  name: string;
  /** The newest version; hosts may have been judged against another (HostResult.benchmarks, `versions`). */
  version: string;
  /** The versions hosts of the scan may be judged against, when more than one. */
  versions?: string[];
  url?: string;
}

export interface ScanResult extends ScanMeta {
  hosts: HostResult[];
  inputErrors: InputProblem[];
  /** Files of a kind brsec reads that define no Bottlerocket node, when there were any. */
  skipped?: SkippedInput[];
  totals: FleetTotals;
}
