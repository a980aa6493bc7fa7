// Scanning: which checks run, one host at a time, and a stream over many input files with bounded memory.
import { brsecVersion } from './version.js';
import { groupOf, type GroupBy } from './groups.js';
import { ScanMemo } from './memo.js';
import { HostContext } from './checks/context.js';
import { evaluateCheck } from './checks/engine.js';
import { loadCatalog, type Catalog, type CheckDefinition, type HostKind } from './checks/loader.js';
import { evaluateRequirements, planScan, type ScanPlan, type SelectOptions } from './checks/plan.js';
import { InputError } from './errors.js';
import { expandInputs, readInputs, type ReadOptions } from './inputs/read.js';
import { checkOptions, SCAN_OPTION_NAMES } from './options.js';
import { locateResults } from './inputs/locate.js';
import { applyGate, gateHost, type GateContext, type GateOptions } from './gate/gate.js';
import { loadWaivers, type WaiverSet } from './gate/waivers.js';
import { loadBaseline, type Baseline } from './gate/baseline.js';
import { coverageStatus } from './facts/inspector-facts.js';
import {
  STATUSES,
  type BenchmarkChoice,
  type HostGate,
  type Inspector2Evidence,
  type VulnerabilitySummary,
  type FleetTotals,
  type HostInput,
  type HostResult,
  type InputProblem,
  type SkippedInput,
  type ScanMeta,
  type ScanResult,
  type Status,
  type StatusCounts,
} from './types.js';

export type { SelectOptions } from './checks/plan.js';

export interface ScanOptions extends SelectOptions, GateOptions {
  /** Variant to assume for every input (required knowledge for user data; overrides a snapshot's own). */
  variant?: string;
  catalog?: Catalog;
  /** Clock for the report's generatedAt and for waiver expiry; injectable so reports can be reproduced. */
  now?: () => Date;
  /** Waivers: a file (YAML or JSON) or a set already loaded. */
  waivers?: string | WaiverSet;
  /** Baseline: a JSON report of an earlier scan, or one already loaded. Only new FAILs fail the run. */
  baseline?: string | Baseline;
  /** Record the line deciding each finding (`HostResult.locations`), for SARIF. */
  locate?: boolean;
  /**
   * Whether hosts share work through the scan's memo (default true). With false every host is scanned with a fresh
   * one; reports are byte-identical either way, which test/memo.test.ts checks.
   */
  memo?: boolean;
  /** Roll the totals up by group too (`totals.groups`): variant, Bottlerocket version, node group or a tag's value. */
  groupBy?: GroupBy;
}

/** What scanHost needs besides the checks: waivers, baseline, gate and whether to locate findings. */
export interface HostScanContext extends GateContext {
  locate?: boolean;
  /**
   * What the scan shares between its hosts; one per scan. Without one, the host is scanned with a memo of its own.
   * A memo made with `new ScanMemo(false)` gives each host a fresh one, so no host reuses another's work.
   */
  memo?: ScanMemo;
  /** The catalogue the checks come from; the plan's, else the packaged one. */
  catalog?: Catalog;
}

export { brsecVersion } from './version.js';

/** Every check some host may get under these options, in catalogue order. Unknown ids are a usage error. */
export function selectChecks(catalog: Catalog, options: SelectOptions = {}): CheckDefinition[] {
  return [...planScan(catalog, options).checks];
}

export function emptyCounts(): StatusCounts {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as StatusCounts;
}

/** A host's overall status: FAIL over ERROR over PASS over NOT_ASSESSED, as bloodhound folds results. */
export function hostStatus(counts: StatusCounts): Status {
  if (counts.FAIL > 0) return 'FAIL';
  if (counts.ERROR > 0) return 'ERROR';
  if (counts.PASS > 0) return 'PASS';
  if (counts.NOT_ASSESSED > 0) return 'NOT_ASSESSED';
  return counts.MANUAL > 0 ? 'MANUAL' : 'NOT_APPLICABLE';
}

const NO_PROFILES: string[] = [];
const NO_GATE: HostGate = Object.freeze({ failing: 0, incomplete: 0, waived: 0, expiredWaivers: 0 });

/**
 * Evaluates one host: against a plan (the host's profiles follow its variant unless profiles were asked for),
 * or against a list of checks. Pure: no I/O.
 */
export function scanHost(input: HostInput, checks: readonly CheckDefinition[] | ScanPlan, context: HostScanContext = {}): HostResult {
  const memo = (context.memo ?? new ScanMemo(false)).forHost();
  const catalog = context.catalog ?? (isPlan(checks) ? checks.catalog : loadCatalog());
  const hostContext = new HostContext(input, memo, catalog);
  const plan = isPlan(checks) ? checks.forHost(hostContext.kind ?? 'unknown', hostContext.variant) : null;
  const results = (plan ? plan.checks : (checks as readonly CheckDefinition[])).map((check) => evaluateCheck(check, hostContext));
  const totals = emptyCounts();
  for (const r of results) totals[r.status]++;
  let host: HostResult = {
    host: input.snapshot.host,
    source: input.source,
    inputKind: input.kind,
    variant: hostContext.variant,
    osVersion: hostContext.osVersion,
    profiles: plan ? (plan.profiles as string[]) : NO_PROFILES,
    benchmarks: plan && plan.benchmarks.length > 0 ? (plan.benchmarks as BenchmarkChoice[]) : undefined,
    status: hostStatus(totals),
    totals,
    results,
    gate: NO_GATE,
  };
  if (plan && plan.mappings.length > 0)
    host.requirements = evaluateRequirements({ mappings: plan.mappings, results, checks: plan.checks, memo });
  const inspector = input.snapshot.aws?.inspector2;
  if (inspector) host.vulnerabilities = vulnerabilitiesOf(inspector);
  host = applyGate(host, context, memo);
  host.gate = gateHost(host, context);
  if (context.locate) host.locations = locateResults(input, host.results);
  return host;
}

/** A host's Inspector findings in short, for reports: coverage, ACTIVE findings by severity, fixable ones. */
export function vulnerabilitiesOf(evidence: Inspector2Evidence): VulnerabilitySummary {
  const active: VulnerabilitySummary['active'] = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0, UNTRIAGED: 0 };
  let fixable = 0;
  for (const f of evidence.findings) {
    if (f.status !== 'ACTIVE') continue;
    const severity = (f.severity in active ? f.severity : 'UNTRIAGED') as keyof VulnerabilitySummary['active'];
    active[severity]++;
    if ((severity === 'CRITICAL' || severity === 'HIGH') && f.fixAvailable !== 'NO') fixable++;
  }
  return { coverage: coverageStatus(evidence), active, fixable };
}

function isPlan(value: readonly CheckDefinition[] | ScanPlan): value is ScanPlan {
  return typeof (value as ScanPlan).forKind === 'function';
}

export class FleetTally {
  readonly totals: FleetTotals = {
    hosts: 0,
    hostsByStatus: emptyCounts(),
    results: emptyCounts(),
    inputErrors: 0,
    gate: { failing: 0, incomplete: 0, waived: 0, expiredWaivers: 0 },
    failedChecks: {},
  };

  constructor(groupBy?: GroupBy) {
    if (groupBy) {
      this.totals.groupBy = groupBy;
      this.totals.groups = {};
    }
  }

  addHost(host: HostTally): void {
    this.totals.hosts++;
    const failed = this.totals.failedChecks;
    for (const id of host.failedChecks) failed[id] = (failed[id] ?? 0) + 1;
    this.totals.hostsByStatus[host.status]++;
    for (const status of STATUSES) this.totals.results[status] += host.totals[status];
    const gate = this.totals.gate;
    gate.failing += host.gate.failing;
    gate.incomplete += host.gate.incomplete;
    gate.waived += host.gate.waived;
    gate.expiredWaivers += host.gate.expiredWaivers;
    if (host.group !== undefined) {
      this.totals.groups ??= {};
      const group = (this.totals.groups[host.group] ??= {
        hosts: 0,
        hostsByStatus: emptyCounts(),
        results: emptyCounts(),
        failedChecks: {},
      });
      group.hosts++;
      group.hostsByStatus[host.status]++;
      for (const status of STATUSES) group.results[status] += host.totals[status];
      for (const id of host.failedChecks) group.failedChecks[id] = (group.failedChecks[id] ?? 0) + 1;
    }
    if (host.baseline) {
      gate.baseline ??= { new: 0, unchanged: 0, fixed: 0 };
      gate.baseline.new += host.baseline.new.length;
      gate.baseline.unchanged += host.baseline.unchanged.length;
      gate.baseline.fixed += host.baseline.fixed.length;
    }
  }

  addError(): void {
    this.totals.inputErrors++;
  }
}

export function scanMeta(catalog: Catalog, plan: ScanPlan, now: Date): ScanMeta {
  const used = new Set(plan.checks.map((c) => c.benchmark));
  const frameworks = new Set(['kubernetes', 'ecs', 'dev', 'unknown'].flatMap((k) => plan.forKind(k as HostKind).mappings));
  return {
    tool: { name: 'brsec', version: brsecVersion() },
    benchmarks: catalog.benchmarks
      .filter((b) => used.has(b.id))
      .map(({ id, name, version, url }) => {
        const versions = plan.versions.get(id);
        return {
          id,
          name,
          version,
          ...(versions && versions.length > 1 ? { versions: [...versions] } : {}),
          ...(url ? { url } : {}),
        };
      }),
    profiles: plan.requested ? [...plan.requested] : 'default',
    frameworks: [...frameworks].map(({ id, name, version, url }) => ({ id, name, version, url })),
    level: plan.level,
    generatedAt: now.toISOString(),
  };
}

/** What the fleet totals need of a host (worker threads send only this). */
export type HostTally = Pick<HostResult, 'status' | 'totals' | 'gate' | 'baseline'> & {
  /** Ids of the checks that FAIL on the host and are not waived, for the fleet's roll-up. */
  failedChecks: string[];
  /** The host's group, when the scan rolls up by group. */
  group?: string;
};

export function tallyOf(host: HostResult, groupBy?: GroupBy): HostTally {
  const failedChecks: string[] = [];
  for (const r of host.results) if (r.status === 'FAIL' && r.waiver?.state !== 'active') failedChecks.push(r.id);
  const tally: HostTally = { status: host.status, totals: host.totals, gate: host.gate, failedChecks };
  if (host.baseline) tally.baseline = host.baseline;
  if (groupBy) tally.group = groupOf(host, groupBy);
  return tally;
}

/** Reads the waivers and baseline a scan names (files), and the gate; done once, before any input. */
export async function prepareGate(catalog: Catalog, options: ScanOptions): Promise<HostScanContext> {
  const context: HostScanContext = {};
  if (options.waivers) context.waivers = typeof options.waivers === 'string' ? loadWaivers(options.waivers, catalog) : options.waivers;
  if (options.baseline) context.baseline = typeof options.baseline === 'string' ? await loadBaseline(options.baseline) : options.baseline;
  if (options.failOn) context.failOn = options.failOn;
  if (options.strict) context.strict = true;
  if (options.locate) context.locate = true;
  if (options.now) context.now = options.now().getTime();
  return context;
}

export type ScanEvent =
  | { kind: 'host'; host: HostResult }
  | { kind: 'input-error'; problem: InputProblem }
  /** A file of a kind brsec reads that defines no Bottlerocket node. */
  | { kind: 'skipped'; skipped: SkippedInput };

/**
 * Scans input files one at a time and yields each host's result (or why its input could not be used) in
 * input order. Nothing is kept between hosts, so memory stays flat however many files there are.
 */
export async function* scanFiles(
  files: readonly string[],
  checks: readonly CheckDefinition[] | ScanPlan,
  options: ScanOptions = {},
  context?: HostScanContext,
): AsyncGenerator<ScanEvent> {
  if (!context) checkOptions(options, SCAN_OPTION_NAMES);
  const catalog = options.catalog ?? (isPlan(checks) ? checks.catalog : loadCatalog());
  const hostContext = context ?? { ...(await prepareGate(catalog, options)), memo: new ScanMemo(options.memo !== false), catalog };
  const readOptions: ReadOptions = {};
  if (options.variant) readOptions.variant = options.variant;
  if (hostContext.locate) readOptions.locate = true;
  for (const file of files) {
    let found;
    try {
      found = await readInputs(file, readOptions);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      yield { kind: 'input-error', problem: err.toProblem() };
      continue;
    }
    for (const input of found.inputs) yield { kind: 'host', host: scanHost(input, checks, hostContext) };
    for (const problem of found.problems) yield { kind: 'input-error', problem };
    if (found.skipped) yield { kind: 'skipped', skipped: { file, reason: found.skipped } };
  }
}

/**
 * Scans files, directories (or "-" for stdin) or inputs already read, and returns the whole result.
 * For large fleets, use scanFiles with a streaming writer instead.
 */
export async function scan(inputs: readonly (string | HostInput)[], options: ScanOptions = {}): Promise<ScanResult> {
  checkOptions(options, SCAN_OPTION_NAMES);
  const catalog = options.catalog ?? loadCatalog();
  const checks = planScan(catalog, options);
  const context: HostScanContext = { ...(await prepareGate(catalog, options)), memo: new ScanMemo(options.memo !== false), catalog };
  const meta = scanMeta(catalog, checks, (options.now ?? (() => new Date()))());
  const groupBy = options.groupBy;
  const tally = new FleetTally(groupBy);
  const hosts: HostResult[] = [];
  const inputErrors: InputProblem[] = [];
  const skipped: SkippedInput[] = [];
  const paths = inputs.filter((i): i is string => typeof i === 'string');
  for (const input of inputs) {
    if (typeof input !== 'string') {
      const host = scanHost(
        options.variant && !input.variantOverride ? { ...input, variantOverride: options.variant } : input,
        checks,
        context,
      );
      hosts.push(host);
      tally.addHost(tallyOf(host, groupBy));
    }
  }
  if (paths.length > 0) {
    const files = await expandInputs(paths);
    for await (const event of scanFiles(files, checks, options, context)) {
      if (event.kind === 'host') {
        hosts.push(event.host);
        tally.addHost(tallyOf(event.host, groupBy));
      } else if (event.kind === 'skipped') {
        skipped.push(event.skipped);
      } else {
        // Whether the file was of a kind brsec reads matters to a fleet's skipUnrecognized, not to the report.
        const { unrecognised: _unrecognised, ...problem } = event.problem;
        inputErrors.push(problem);
        tally.addError();
      }
    }
  }
  if (skipped.length > 0 && hosts.length === 0 && inputErrors.length === 0) {
    inputErrors.push({ file: skipped[0]!.file, message: `no Bottlerocket node definition in the files read: ${skipped[0]!.reason}` });
    tally.addError();
  }
  const result: ScanResult = { ...meta, hosts, inputErrors, totals: tally.totals };
  if (skipped.length > 0) result.skipped = skipped;
  return result;
}
