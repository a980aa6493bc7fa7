// Scanning: which checks run, one host at a time, and a stream over many input files with bounded memory.
import { readFileSync } from 'node:fs';
import { packagePath } from './paths.js';
import { HostContext } from './checks/context.js';
import { evaluateCheck } from './checks/engine.js';
import { loadCatalog, type Catalog, type CheckDefinition, type HostKind } from './checks/loader.js';
import { evaluateRequirements, planScan, type ScanPlan, type SelectOptions } from './checks/plan.js';
import { InputError } from './errors.js';
import { expandInputs, readInput } from './inputs/read.js';
import { kindOf, variantFromFlag } from './settings/variants.js';
import { STATUSES, type FleetTotals, type HostInput, type HostResult, type InputProblem, type ScanMeta, type ScanResult, type Status, type StatusCounts } from './types.js';

export type { SelectOptions } from './checks/plan.js';

export interface ScanOptions extends SelectOptions {
  /** Variant to assume for every input (required knowledge for user data; overrides a snapshot's own). */
  variant?: string;
  catalog?: Catalog;
  /** Clock for the report's generatedAt; injectable so reports can be reproduced. */
  now?: () => Date;
}

let version: string | undefined;

export function brsecVersion(): string {
  version ??= (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  return version;
}

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

/**
 * Evaluates one host: against a plan (the host's profiles follow its variant unless profiles were asked for),
 * or against a list of checks. Pure: no I/O.
 */
export function scanHost(input: HostInput, checks: readonly CheckDefinition[] | ScanPlan): HostResult {
  const context = new HostContext(input);
  const plan = isPlan(checks) ? checks.forKind(kindOf(context.variant.family) ?? 'unknown') : null;
  const results = (plan ? plan.checks : (checks as readonly CheckDefinition[])).map((check) => evaluateCheck(check, context));
  const totals = emptyCounts();
  for (const r of results) totals[r.status]++;
  const host: HostResult = {
    host: input.snapshot.host,
    source: input.source,
    inputKind: input.kind,
    variant: context.variant,
    osVersion: context.osVersion,
    profiles: plan ? (plan.profiles as string[]) : NO_PROFILES,
    status: hostStatus(totals),
    totals,
    results,
  };
  if (plan && plan.mappings.length > 0) host.requirements = evaluateRequirements(plan.mappings, results, plan.checks);
  return host;
}

function isPlan(value: readonly CheckDefinition[] | ScanPlan): value is ScanPlan {
  return typeof (value as ScanPlan).forKind === 'function';
}

export class FleetTally {
  readonly totals: FleetTotals = { hosts: 0, hostsByStatus: emptyCounts(), results: emptyCounts(), inputErrors: 0 };

  addHost(host: Pick<HostResult, 'status' | 'totals'>): void {
    this.totals.hosts++;
    this.totals.hostsByStatus[host.status]++;
    for (const status of STATUSES) this.totals.results[status] += host.totals[status];
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
    benchmarks: catalog.benchmarks.filter((b) => used.has(b.id)).map(({ id, name, version, url }) => (url ? { id, name, version, url } : { id, name, version })),
    profiles: plan.requested ? [...plan.requested] : 'default',
    frameworks: [...frameworks].map(({ id, name, version, url }) => ({ id, name, version, url })),
    level: plan.level,
    generatedAt: now.toISOString(),
  };
}

export type ScanEvent = { kind: 'host'; host: HostResult } | { kind: 'input-error'; problem: InputProblem };

/**
 * Scans input files one at a time and yields each host's result (or why its input could not be used) in
 * input order. Nothing is kept between hosts, so memory stays flat however many files there are.
 */
export async function* scanFiles(files: readonly string[], checks: readonly CheckDefinition[] | ScanPlan, options: ScanOptions = {}): AsyncGenerator<ScanEvent> {
  const readOptions = options.variant ? { variant: options.variant } : {};
  for (const file of files) {
    let input: HostInput;
    try {
      input = await readInput(file, readOptions);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      yield { kind: 'input-error', problem: { file: err.file, message: err.problem } };
      continue;
    }
    yield { kind: 'host', host: scanHost(input, checks) };
  }
}

/**
 * Scans files, directories (or "-" for stdin) or inputs already read, and returns the whole result.
 * For large fleets, use scanFiles with a streaming writer instead.
 */
export async function scan(inputs: readonly (string | HostInput)[], options: ScanOptions = {}): Promise<ScanResult> {
  if (options.variant) variantFromFlag(options.variant);
  const catalog = options.catalog ?? loadCatalog();
  const checks = planScan(catalog, options);
  const meta = scanMeta(catalog, checks, (options.now ?? (() => new Date()))());
  const tally = new FleetTally();
  const hosts: HostResult[] = [];
  const inputErrors: InputProblem[] = [];
  const paths = inputs.filter((i): i is string => typeof i === 'string');
  for (const input of inputs) {
    if (typeof input !== 'string') {
      const host = scanHost(options.variant && !input.variantOverride ? { ...input, variantOverride: options.variant } : input, checks);
      hosts.push(host);
      tally.addHost(host);
    }
  }
  if (paths.length > 0) {
    const files = await expandInputs(paths);
    for await (const event of scanFiles(files, checks, options)) {
      if (event.kind === 'host') {
        hosts.push(event.host);
        tally.addHost(event.host);
      } else {
        inputErrors.push(event.problem);
        tally.addError();
      }
    }
  }
  return { ...meta, hosts, inputErrors, totals: tally.totals };
}
