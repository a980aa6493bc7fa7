// What a scan runs: the profiles asked for (or each host's default by its variant), the checks they hold at the
// chosen level, parameter values bound into the checks, and the compliance requirements the reports fold.
import { UsageError } from '../errors.js';
import { memoSlot, type ScanMemo } from '../memo.js';
import type { CheckResult, ProfileName, RequirementResult, Status } from '../types.js';
import type { Catalog, CheckDefinition, HostKind, MappingDefinition, RequirementDefinition } from './loader.js';

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

export interface ScanPlan {
  /** The catalogue the plan was made from. */
  readonly catalog: Catalog;
  /** Profiles asked for, or null when each host gets its variant's defaults. */
  readonly requested: readonly string[] | null;
  readonly level: 1 | 2;
  /** Every check some host may get, in catalogue order. */
  readonly checks: readonly CheckDefinition[];
  forKind(kind: HostKind): KindPlan;
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

  const build = (profiles: readonly string[]): KindPlan => {
    const chosen = profiles.map((id) => catalog.profiles.find((p) => p.id === id)!);
    const mappings = catalog.mappings.filter((m) => chosen.some((p) => p.mappings?.includes(m.id)));
    const wanted = new Set<string>();
    if (only) for (const id of only) wanted.add(id);
    else {
      const benchmarks = new Set(chosen.flatMap((p) => p.benchmarks ?? []));
      const listed = new Set(chosen.flatMap((p) => p.checks ?? []));
      for (const check of catalog.checks) if (benchmarks.has(check.benchmark) || listed.has(check.id)) wanted.add(check.id);
      for (const mapping of mappings) for (const r of mapping.requirements) for (const id of r.checks) wanted.add(id);
    }
    // Opt-in checks run when their evidence was asked for, whatever the profiles; otherwise never.
    for (const check of catalog.checks) if (check.optIn && optIn.has(check.optIn)) wanted.add(check.id);
    const checks = catalog.checks
      .filter((c) => wanted.has(c.id) && (only !== null || c.level <= level) && !skip.has(c.id) && (!c.optIn || optIn.has(c.optIn)))
      .map((c) => bindParameters(c, parameters));
    return { profiles, checks, mappings };
  };

  const byKind = new Map<HostKind, KindPlan>();
  if (profileIds) {
    const plan = build(profileIds);
    for (const kind of KINDS) byKind.set(kind, plan);
  } else {
    // Kinds with the same default profiles share one plan (and so one set of check objects).
    const byProfiles = new Map<string, KindPlan>();
    for (const kind of KINDS) {
      const ids = catalog.defaultProfiles[kind];
      const key = ids.join('\u0000');
      if (!byProfiles.has(key)) byProfiles.set(key, build(ids));
      byKind.set(kind, byProfiles.get(key)!);
    }
  }
  const union = new Set([...byKind.values()].flatMap((p) => p.checks.map((c) => c.id)));
  const checks = [...byKind.values()]
    .flatMap((p) => p.checks)
    .filter((c, i, all) => all.findIndex((x) => x.id === c.id) === i)
    .sort((a, b) => catalog.checks.findIndex((c) => c.id === a.id) - catalog.checks.findIndex((c) => c.id === b.id));
  if (union.size !== checks.length) throw new Error('plan: duplicate check ids');
  return { catalog, requested: profileIds, level, checks, forKind: (kind) => byKind.get(kind)! };
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
