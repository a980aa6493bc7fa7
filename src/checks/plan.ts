// What a scan runs: the profiles asked for (or each host's default by its variant), the checks they hold at the
// chosen level, parameter values bound into the checks, and the compliance requirements the reports fold.
import { UsageError } from '../errors.js';
import { memoSlot, type ScanMemo } from '../memo.js';
import type { BenchmarkChoice, CheckResult, ProfileName, RequirementResult, Status, VariantInfo } from '../types.js';
import type { Catalog, CheckDefinition, HostKind, MappingDefinition, ProfileDefinition, RequirementDefinition } from './loader.js';
import { holdsAt, nodeBenchmarks, type NodeBenchmarks, type NodeFacts } from './selection.js';

export interface SelectOptions {
  /** CIS level: 1 runs Level 1 checks, 2 runs Level 1 and Level 2. Default 2. */
  level?: 1 | 2;
  /** Profiles to run (see `brsec checks profiles`); by default each host gets the profiles of its variant's kind. */
  profiles?: readonly ProfileName[];
  /** Only these check ids. */
  checks?: readonly string[];
  /** Leave these check ids out. */
  skip?: readonly string[];
  /** Values for check parameters, e.g. `{ allowedRegistries: ['registry.example.com/**'] }`. */
  parameters?: Readonly<Record<string, unknown>>;
  /** Checks that run only when asked for, by what they need: `drift` (launch user data to compare with). */
  optIn?: readonly 'drift'[];
}

export interface KindPlan {
  /** The profiles this host gets. */
  profiles: readonly string[];
  checks: readonly CheckDefinition[];
  mappings: readonly MappingDefinition[];
}

/** A host's plan, and the benchmark versions it is judged against and why. */
export interface HostPlan extends KindPlan {
  benchmarks: readonly BenchmarkChoice[];
}

export interface ScanPlan {
  /** The catalogue the plan was made from. */
  readonly catalog: Catalog;
  /** Profiles asked for, or null when each host gets its variant's defaults. */
  readonly requested: readonly string[] | null;
  readonly level: 1 | 2;
  /** Every check some host may get, in catalogue order. */
  readonly checks: readonly CheckDefinition[];
  /** The versions of each benchmark some host may be judged against, oldest first. */
  readonly versions: ReadonlyMap<string, readonly string[]>;
  /** The plan of a host whose variant's kind is not known or not considered (its benchmarks chosen as for an unknown variant). */
  forKind(kind: HostKind): KindPlan;
  /** A host's plan: its kind's profiles, at the benchmark versions its platform and Kubernetes version call for. */
  forHost(kind: HostKind, variant: Pick<VariantInfo, 'id' | 'family'>): HostPlan;
}

const KINDS: readonly HostKind[] = ['kubernetes', 'ecs', 'dev', 'unknown'];

/** Every parameter any check declares, with the option that sets it. */
export function knownParameters(catalog: Catalog): Map<string, { description: string; default: unknown; option?: string }> {
  const known = new Map<string, { description: string; default: unknown; option?: string }>();
  for (const check of catalog.checks)
    for (const [name, p] of Object.entries(check.parameters ?? {})) if (!known.has(name)) known.set(name, p);
  return known;
}

/**
 * Puts parameter values in place of `{"$param": name}`, and a default's short description in place of
 * `{"$paramLabel": name}` while the default is in use (reasons then name the list instead of spelling it out).
 */
export function substitute(value: unknown, values: Readonly<Record<string, unknown>>, labels: Readonly<Record<string, string>>): unknown {
  if (Array.isArray(value)) return value.map((v) => substitute(v, values, labels));
  if (typeof value === 'object' && value !== null) {
    const name = (value as Record<string, unknown>).$param;
    if (typeof name === 'string') return values[name];
    const label = (value as Record<string, unknown>).$paramLabel;
    if (typeof label === 'string') return labels[label];
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, values, labels)]));
  }
  return value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const bound = new WeakMap<CheckDefinition, Map<string, CheckDefinition>>();

/** The check with its parameters' values in place of `{"$param": …}`; the same object for equal values. */
export function bindParameters(check: CheckDefinition, values: Readonly<Record<string, unknown>> = {}): CheckDefinition {
  if (!check.parameters) return check;
  const chosen = Object.fromEntries(Object.entries(check.parameters).map(([name, p]) => [name, values[name] ?? p.default]));
  const labels: Record<string, string> = {};
  for (const [name, p] of Object.entries(check.parameters))
    if (p.defaultLabel !== undefined && values[name] === undefined) labels[name] = p.defaultLabel;
  const key = JSON.stringify(chosen);
  let byKey = bound.get(check);
  if (!byKey) bound.set(check, (byKey = new Map()));
  let result = byKey.get(key);
  if (!result) {
    result = deepFreeze({ ...check, aspects: substitute(check.aspects, chosen, labels) as CheckDefinition['aspects'] });
    byKey.set(key, result);
  }
  return result;
}

export function planScan(catalog: Catalog, options: SelectOptions = {}): ScanPlan {
  const level = options.level ?? 2;
  if (level !== 1 && level !== 2) throw new UsageError(`level must be 1 or 2, not ${String(level)}`, 'level');
  for (const id of [...(options.checks ?? []), ...(options.skip ?? [])]) {
    if (!catalog.byId.has(id)) throw new UsageError(`unknown check id "${id}" (see \`brsec checks list\`)`);
  }
  const profileIds = options.profiles && options.profiles.length > 0 ? [...new Set(options.profiles)] : null;
  for (const id of profileIds ?? []) {
    if (!catalog.profiles.some((p) => p.id === id)) {
      throw new UsageError(`unknown profile "${id}": expected one of ${catalog.profiles.map((p) => p.id).join(', ')}`);
    }
  }
  const known = knownParameters(catalog);
  for (const [name, value] of Object.entries(options.parameters ?? {})) {
    if (!known.has(name))
      throw new UsageError(`unknown check parameter "${name}"${known.size ? ` (known: ${[...known.keys()].join(', ')})` : ''}`);
    const wanted = known.get(name)!.default;
    const ok = Array.isArray(wanted)
      ? Array.isArray(value) && value.every((v) => typeof v === 'string' && v.length > 0)
      : typeof wanted === 'number'
        ? typeof value === 'number' && Number.isFinite(value) && value >= 0
        : typeof value === typeof wanted;
    if (!ok)
      throw new UsageError(
        `check parameter "${name}" must be ${Array.isArray(wanted) ? 'a list of non-empty strings' : typeof wanted === 'number' ? 'a number of at least 0' : `a ${typeof wanted}`}`,
      );
  }
  const only = options.checks && options.checks.length > 0 ? new Set(options.checks) : null;
  const skip = new Set(options.skip ?? []);
  const optIn = new Set<string>(options.optIn ?? []);
  const parameters = options.parameters ?? {};

  const build = (profiles: readonly string[], chosen: readonly ProfileDefinition[], node: NodeBenchmarks): KindPlan => {
    const mappings = catalog.mappings.filter((m) => chosen.some((p) => p.mappings?.includes(m.id)));
    const wanted = new Set<string>();
    if (only) for (const id of only) wanted.add(id);
    else {
      const listed = new Set(chosen.flatMap((p) => p.checks ?? []));
      for (const check of catalog.checks) {
        const versions = node.versions.get(check.benchmark);
        if ((versions && holdsAt(versions, check.versions)) || listed.has(check.id)) wanted.add(check.id);
      }
      // Mapped checks run at the version the node is judged against, or the newest where it is judged against none.
      for (const mapping of mappings)
        for (const r of mapping.requirements)
          for (const id of r.checks) {
            const check = catalog.byId.get(id)!;
            if (holdsAt(node.versions.get(check.benchmark) ?? newest(check.benchmark), check.versions)) wanted.add(id);
          }
    }
    // Opt-in checks run when their evidence was asked for, whatever the profiles; otherwise never.
    for (const check of catalog.checks) if (check.optIn && optIn.has(check.optIn)) wanted.add(check.id);
    const checks = catalog.checks
      .filter((c) => wanted.has(c.id) && (only !== null || c.level <= level) && !skip.has(c.id) && (!c.optIn || optIn.has(c.optIn)))
      .map((c) => bindParameters(c, parameters));
    return { profiles, checks, mappings };
  };

  const newest = (id: string): readonly string[] => {
    const benchmark = catalog.benchmarksById.get(id);
    return benchmark ? [benchmark.version] : [];
  };
  const profilesOf = (kind: HostKind): readonly string[] => profileIds ?? catalog.defaultProfiles[kind];
  // Plans with the same profiles and benchmark versions share one object (and so one set of check objects).
  const plans = new Map<string, KindPlan>();
  const nodes: NodeBenchmarks[] = [];
  const planFor = (kind: HostKind, facts: NodeFacts): { plan: KindPlan; node: NodeBenchmarks } => {
    const ids = profilesOf(kind);
    const chosen = ids.map((id) => catalog.profiles.find((p) => p.id === id)!);
    const node = nodeBenchmarks(catalog, chosen, facts);
    const key = `${ids.join('\u0000')}\u0001${node.key}`;
    let plan = plans.get(key);
    if (!plan) {
      plans.set(key, (plan = build(ids, chosen, node)));
      nodes.push(node);
    }
    return { plan, node };
  };
  // Every plan some host may get: each kind, on each platform, at each Kubernetes version the table names and at none.
  const minors = new Set<number | null>([null]);
  for (const row of catalog.selection?.rows ?? []) for (const v of row.kubernetes.split('-')) minors.add(Number(v.split('.')[1]));
  const families: (string | null)[] = [null, ...Object.values(catalog.selection?.platforms ?? {}).flat()];
  for (const kind of KINDS)
    for (const family of families)
      for (const minor of minors) planFor(kind, { variant: { family, id: minor === null ? null : `${family ?? 'aws-k8s'}-1.${minor}` } });
  const byKind = new Map(KINDS.map((kind) => [kind, planFor(kind, { variant: { id: null, family: null } }).plan]));
  const versions = new Map<string, string[]>();
  for (const node of nodes)
    for (const [id, list] of node.versions) {
      const known = versions.get(id) ?? [];
      for (const v of list) if (!known.includes(v)) known.push(v);
      versions.set(id, known);
    }
  for (const [id, list] of versions) {
    const all = catalog.benchmarksById.get(id)?.versions ?? list;
    list.sort((a, b) => all.indexOf(a) - all.indexOf(b));
  }
  const order = new Map(catalog.checks.map((c, i) => [c.id, i]));
  const checks = [...new Map([...plans.values()].flatMap((p) => p.checks.map((c) => [c.id, c] as const))).values()].sort(
    (a, b) => order.get(a.id)! - order.get(b.id)!,
  );
  // Choices are per variant (their reasons name it); a fleet has few variants.
  const hostPlans = new Map<string, HostPlan>();
  const forHost = (kind: HostKind, variant: Pick<VariantInfo, 'id' | 'family'>): HostPlan => {
    const key = `${kind}\u0000${variant.family ?? ''}\u0000${variant.id ?? ''}`;
    let found = hostPlans.get(key);
    if (!found) {
      const { plan, node } = planFor(kind, { variant });
      hostPlans.set(key, (found = { ...plan, benchmarks: node.choices }));
    }
    return found;
  };
  return { catalog, requested: profileIds, level, checks, versions, forKind: (kind) => byKind.get(kind)!, forHost };
}

/**
 * A requirement's status from its checks' results: FAIL if any failed, then ERROR, NOT_ASSESSED, MANUAL (an
 * assessor must finish it), PASS; NOT_APPLICABLE when none of its checks applies; NOT_ASSESSED when none ran.
 */
export function requirementStatus(statuses: readonly Status[]): Status {
  const applicable = statuses.filter((s) => s !== 'NOT_APPLICABLE');
  if (applicable.length === 0) return statuses.length > 0 ? 'NOT_APPLICABLE' : 'NOT_ASSESSED';
  for (const s of ['FAIL', 'ERROR', 'NOT_ASSESSED', 'MANUAL'] as const) if (applicable.includes(s)) return s;
  return 'PASS';
}

/** Where each mapped check sits in a host's results, worked out once per list of checks. */
interface RequirementSlots {
  requirement: RequirementDefinition;
  mapping: MappingDefinition;
  ran: string[];
  notRun: string[];
  /** Index of each ran check in the results. */
  at: number[];
  /** Results reached on recent hosts, shared when another host reaches one of them. */
  recent: RequirementResult[];
}

const SLOTS = memoSlot(
  "requirement slots and their recent results, by the plan's list of checks for a kind",
  () => new WeakMap<readonly CheckDefinition[], RequirementSlots[]>(),
);

function slots(mappings: readonly MappingDefinition[], checks: readonly CheckDefinition[], memo: ScanMemo): RequirementSlots[] {
  const slotsFor = memo.get(SLOTS);
  let found = slotsFor.get(checks);
  if (!found) {
    const index = new Map(checks.map((c, i) => [c.id, i]));
    found = mappings.flatMap((mapping) =>
      mapping.requirements.map((requirement) => {
        const ran = requirement.checks.filter((id) => index.has(id));
        return {
          requirement,
          mapping,
          ran,
          notRun: requirement.checks.filter((id) => !index.has(id)),
          at: ran.map((id) => index.get(id)!),
          recent: [],
        };
      }),
    );
    slotsFor.set(checks, found);
  }
  return found;
}

const RECENT = 4;

export interface RequirementInputs {
  mappings: readonly MappingDefinition[];
  /** The host's results, in the order of `checks`. */
  results: readonly CheckResult[];
  checks: readonly CheckDefinition[];
  /** The scan's memo: equal requirement results are shared between its hosts. */
  memo: ScanMemo;
}

/** Each requirement of the mappings, folded from the host's results. */
export function evaluateRequirements({ mappings, results, checks, memo }: RequirementInputs): RequirementResult[] {
  if (mappings.length === 0) return [];
  const out: RequirementResult[] = [];
  for (const slot of slots(mappings, checks, memo)) {
    let shared: RequirementResult | undefined;
    for (let r = slot.recent.length - 1; r >= 0 && !shared; r--) {
      const known = slot.recent[r] as RequirementResult;
      let same = true;
      for (let i = 0; i < slot.at.length && same; i++) same = known.checks[i]!.status === results[slot.at[i]!]!.status;
      if (same) shared = known;
    }
    if (shared) {
      out.push(shared);
      continue;
    }
    const statuses = slot.at.map((i) => results[i]!.status);
    const result: RequirementResult = Object.freeze({
      framework: slot.mapping.id,
      version: slot.mapping.version,
      id: slot.requirement.id,
      title: slot.requirement.title,
      status: requirementStatus(statuses),
      checks: Object.freeze(slot.ran.map((id, i) => Object.freeze({ id, status: statuses[i]! }))) as RequirementResult['checks'],
      notRun: Object.freeze(slot.notRun) as string[],
    });
    if (slot.recent.length >= RECENT) slot.recent.shift();
    slot.recent.push(result);
    out.push(result);
  }
  return out;
}
