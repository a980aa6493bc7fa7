// Evaluates check definitions against one host. Knows facts, operators and the status rules of the
// snapshot spec (section 4); never a particular check. Each check is compiled once into leaves whose
// subject, capture keys and expected text are fixed, so evaluating a host only selects, tests and records.
import type { AspectName, CheckResult, Evidence, Status } from '../types.js';
import { FACTS, type FactDefinition } from '../facts/registry.js';
import { ParseError } from '../facts/parse-error.js';
import { OPERATORS, show, type Operator } from './operators.js';
import type { Assertion, BenchmarkDefinition, CheckDefinition, Leaf } from './loader.js';
import { bloodhoundUse, knownFalseResultsText } from './bloodhound-fallback.js';
import type { HostContext } from './context.js';
import { sameEvidenceAt, sameStrings } from './equality.js';
import { holdsSecrets, isSecretSetting, redactSetting } from '../settings/secrets.js';
import type { EffectiveSettings } from '../settings/effective.js';
import { memoSlot, type ScanMemo } from '../memo.js';

type Outcome = Evidence['outcome'];

/**
 * Evidence of one aspect as it is gathered. Hosts of a fleet mostly look the same, so an item equal to the one
 * at the same place on the previous host is reused (they are frozen) rather than made again.
 */
class EvidenceList {
  readonly items: Evidence[] = [];
  constructor(private readonly prior: readonly Evidence[] | undefined) {}

  /** Evidence made for an earlier host and known to be the same here. */
  reuse(evidence: Evidence): void {
    this.items.push(evidence);
  }

  get last(): Evidence {
    return this.items[this.items.length - 1] as Evidence;
  }

  add(
    aspect: AspectName,
    item: string,
    source: string,
    expected: string,
    actual: string,
    outcome: Outcome,
    problem?: string,
    origin?: Evidence['origin'],
  ): void {
    const p = this.prior?.[this.items.length];
    if (
      p !== undefined &&
      p.item === item &&
      p.actual === actual &&
      p.outcome === outcome &&
      p.source === source &&
      p.expected === expected &&
      p.aspect === aspect &&
      p.problem === problem &&
      p.origin === origin
    ) {
      this.items.push(p);
    } else {
      this.items.push(evidenceOf(aspect, item, source, expected, actual, outcome, problem, origin));
    }
  }
}

/** Every evidence object has the same fields in the same order, so V8 keeps one shape for all of them. */
function evidenceOf(
  aspect: AspectName,
  item: string,
  source: string,
  expected: string,
  actual: string,
  outcome: Outcome,
  problem?: string,
  origin?: Evidence['origin'],
): Evidence {
  return { aspect, item, source, expected, actual, outcome, problem, origin };
}

interface CompiledLeaf {
  type: 'leaf';
  leaf: Leaf;
  op: Operator;
  /** What the leaf looks at, as reasons name it. */
  item: string;
  expected: string;
  optional: boolean;
  /** For facts read from captures. */
  fact?: FactDefinition;
  memoKey?: string;
  captureKeys?: readonly string[];
  /** For settings. */
  pathKey?: string;
  /** Whether the setting is a secret, or a table that holds some: its value is never shown. */
  redact?: boolean;
  /** The last host's scalar value for this leaf, where it came from, and the evidence it gave. */
  memo?: LeafMemo[];
}

/**
 * Hosts of a fleet mostly hold the same scalar for a leaf (a sysctl, a setting): when value and source match
 * the previous host's, its frozen evidence and outcome are reused instead of being worked out again.
 */
interface LeafMemo {
  value: unknown;
  source: string;
  origin: Evidence['origin'];
  /** The variant family, which a default's source sentence names. */
  family: string | null;
  evidence: Evidence;
  outcome: Outcome;
}

/** Fleets mix a few configurations (hardened hosts and stock ones), so a few recent values are kept, not one. */
const RECENT = 4;

const isScalar = (value: unknown): boolean => value === null || typeof value !== 'object';

/**
 * Scalars match by value. Objects match only when they are the same object: a fact parsed once and shared by
 * hosts whose capture was the same text (facts are never changed), never a table built for this host.
 */
function memoHit(
  leaf: CompiledLeaf,
  value: unknown,
  source: string,
  origin: Evidence['origin'],
  family: string | null,
): LeafMemo | undefined {
  const memos = leaf.memo;
  if (memos === undefined) return undefined;
  for (let i = 0; i < memos.length; i++) {
    const m = memos[i] as LeafMemo;
    if (m.value === value && m.source === source && m.origin === origin && m.family === family) return m;
  }
  return undefined;
}

function remember(
  leaf: CompiledLeaf,
  value: unknown,
  source: string,
  origin: Evidence['origin'],
  family: string | null,
  out: EvidenceList,
  outcome: Outcome,
  sharedObjects = false,
): void {
  if (!sharedObjects && !isScalar(value)) return;
  const memos = (leaf.memo ??= []);
  if (memos.length >= RECENT) memos.shift();
  memos.push({ value, source, origin, family, evidence: Object.freeze(out.last), outcome });
}

interface CompiledGroup {
  type: 'all' | 'any';
  children: CompiledNode[];
}

type CompiledNode = CompiledLeaf | CompiledGroup;

interface CompiledCheck {
  template: Pick<CheckResult, 'id' | 'benchmark' | 'cisId' | 'title' | 'level' | 'assessment' | 'severity'>;
  configured?: CompiledNode;
  live?: CompiledNode;
  /** A manual check's one result. */
  last?: CheckResult;
  /** Results this check reached on recent hosts, reused when another host reaches one of them. */
  recent?: CheckResult[];
  /** What bloodhound said when each recent result was made (same index): a result is shared only where the report said the same. */
  recentSaid?: (string | undefined)[];
  lastConfigured?: readonly Evidence[];
  /** NOT_APPLICABLE results by variant and kind. */
  notApplicable?: Map<string, CheckResult>;
  lastLive?: readonly Evidence[];
}

/** Each check compiled once per scan, with what recent hosts made of it (leaf values, evidence, results). */
const COMPILED = memoSlot(
  'compiled checks and their recent evidence and results, by check definition object',
  () => new Map<CheckDefinition, CompiledCheck>(),
);

/** Commands are quoted; user data and Bottlerocket's defaults are named as they are. */
const quote = (source: string): string =>
  source === 'user data' || source.startsWith('Bottlerocket') || source.startsWith('Amazon ') ? source : `\`${source}\``;

function settingPath(path: readonly string[]): string {
  return 'settings.' + path.map((p) => (/^[\w-]+$/.test(p) ? p : `"${p}"`)).join('.');
}

function compileNode(assertion: Assertion): CompiledNode {
  if ('all' in assertion) return { type: 'all', children: assertion.all.map(compileNode) };
  if ('any' in assertion) return { type: 'any', children: assertion.any.map(compileNode) };
  const op = OPERATORS[assertion.op];
  if (!op) throw new Error(`unknown operator "${assertion.op}"`);
  const base = {
    type: 'leaf' as const,
    leaf: assertion,
    op,
    expected: op.expected(assertion.value),
    optional: assertion.optional ?? false,
  };
  if (assertion.fact === 'setting') {
    const path = assertion.path ?? [];
    // Operators whose sentences name only table keys or chosen fields need no deep redaction of the table.
    const redact = isSecretSetting(path) || (holdsSecrets(path) && !op.namesOnly);
    return { ...base, item: settingPath(path), pathKey: path.join('\u0000'), redact };
  }
  const fact = FACTS[assertion.fact];
  if (!fact) throw new Error(`unknown fact "${assertion.fact}"`);
  const key = assertion.key;
  return {
    ...base,
    item: fact.describe(key),
    fact,
    memoKey: fact.keyedCapture ? `${assertion.fact}\u0000${key ?? ''}` : assertion.fact,
    captureKeys: fact.keyedCapture ? fact.captures.map((c) => c.replace('{key}', key ?? '')) : fact.captures,
  };
}

function compile(check: CheckDefinition, memo: ScanMemo): CompiledCheck {
  const compiled = memo.get(COMPILED);
  let c = compiled.get(check);
  if (!c) {
    const template: CompiledCheck['template'] = {
      id: check.id,
      benchmark: check.benchmark,
      cisId: check.cisId,
      title: check.title,
      level: check.level,
      assessment: check.assessment,
      severity: check.severity,
    };
    c = { template };
    if (check.aspects?.configured) c.configured = compileNode(check.aspects.configured);
    if (check.aspects?.live) c.live = compileNode(check.aspects.live);
    compiled.set(check, c);
  }
  return c;
}

function actualText(leaf: CompiledLeaf, value: unknown): string {
  return leaf.op.actual ? leaf.op.actual(value, leaf.leaf.value) : show(value);
}

function evaluateSetting(leaf: CompiledLeaf, host: HostContext, aspect: AspectName, out: EvidenceList): Outcome {
  const settings = host.settings;
  const { item, expected } = leaf;
  if (settings.state === 'absent') {
    out.add(aspect, item, 'apiclient get', expected, 'not captured', 'absent');
    return 'absent';
  }
  if (settings.state === 'unusable') {
    out.add(aspect, item, settings.source, expected, 'unreadable', 'unusable', settings.problem);
    return 'unusable';
  }
  const spellings = settings.settings.spellings(leaf.leaf.path ?? []);
  if (spellings !== undefined) return evaluateSpellings(leaf, spellings, settings.settings, settings.source, aspect, out);
  const found = settings.settings.lookup(leaf.leaf.path ?? [], leaf.pathKey);
  if (found.state === 'unknown-default') {
    out.add(aspect, item, settings.source, expected, 'not set, and the default depends on the variant, which is not known', 'absent');
    return 'absent';
  }
  const value = found.state === 'unset' ? undefined : found.value;
  const origin: Evidence['origin'] = found.state === 'set' ? 'set' : 'default';
  const sourceKey = found.state === 'default' ? found.source : settings.source;
  const hit = memoHit(leaf, value, sourceKey, origin, host.variant.family);
  if (hit) {
    out.reuse(hit.evidence);
    return hit.outcome;
  }
  const outcome: Outcome = leaf.op.test(value, leaf.leaf.value) ? 'pass' : 'fail';
  const source =
    found.state === 'default' ? `Bottlerocket's default on ${host.variant.family ?? 'every variant'} (${found.source})` : settings.source;
  const shown = leaf.redact ? redactSetting(leaf.leaf.path ?? [], value) : value;
  out.add(aspect, item, source, expected, actualText(leaf, shown), outcome, undefined, origin);
  // A table or list is remembered by identity: hosts with the same data share one object (EffectiveSettings).
  remember(leaf, value, sourceKey, origin, host.variant.family, out, outcome, true);
  return outcome;
}

/**
 * A setting set under more than one spelling (a sysctl key written with `/` as well as `.`), or only under another:
 * every value is judged, each named as it was written, and any failing value fails the leaf.
 */
function evaluateSpellings(
  leaf: CompiledLeaf,
  spellings: readonly (readonly string[])[],
  settings: EffectiveSettings,
  source: string,
  aspect: AspectName,
  out: EvidenceList,
): Outcome {
  let outcome: Outcome = 'pass';
  for (const path of spellings) {
    const found = settings.lookup(path);
    const value = found.state === 'set' || found.state === 'default' ? found.value : undefined;
    const passes = leaf.op.test(value, leaf.leaf.value);
    if (!passes) outcome = 'fail';
    const shown = leaf.redact ? redactSetting(path, value) : value;
    out.add(aspect, settingPath(path), source, leaf.expected, actualText(leaf, shown), passes ? 'pass' : 'fail', undefined, 'set');
  }
  return outcome;
}

function evaluateLeaf(leaf: CompiledLeaf, host: HostContext, aspect: AspectName, out: EvidenceList): Outcome {
  if (leaf.pathKey !== undefined) return evaluateSetting(leaf, host, aspect, out);
  const definition = leaf.fact as FactDefinition;
  const { item, expected } = leaf;
  const fact = host.fact(leaf.memoKey as string, leaf.captureKeys as readonly string[], definition);
  if (fact.state === 'absent') {
    // Corroborating evidence that was not captured is left out rather than reported.
    if (!leaf.optional) out.add(aspect, item, fact.sources[0] ?? leaf.leaf.fact, expected, fact.why ?? 'not captured', 'absent');
    return 'absent';
  }
  if (fact.state === 'unusable') {
    out.add(aspect, item, fact.source, expected, 'unreadable', 'unusable', fact.problem);
    return 'unusable';
  }
  let selection;
  try {
    selection = definition.select(fact.value, leaf.leaf.key);
  } catch (err) {
    // Parts of some facts (iptables rules) are parsed only when selected.
    if (!(err instanceof ParseError)) throw err;
    out.add(aspect, item, fact.source, expected, 'unreadable', 'unusable', `cannot be parsed: ${err.message}`);
    return 'unusable';
  }
  if (!selection.found) {
    if (selection.incomplete !== undefined) {
      out.add(aspect, item, fact.source, expected, 'unreadable', 'unusable', selection.incomplete);
      return 'unusable';
    }
    out.add(aspect, item, fact.source, expected, 'not present', 'absent');
    return 'absent';
  }
  const hit = memoHit(leaf, selection.value, fact.source, undefined, null);
  if (hit) {
    out.reuse(hit.evidence);
    return hit.outcome;
  }
  let outcome: Outcome;
  if (selection.value === undefined && leaf.leaf.absentMeans !== undefined) {
    const assumed = leaf.leaf.absentMeans;
    outcome = leaf.op.test(assumed, leaf.leaf.value) ? 'pass' : 'fail';
    out.add(aspect, item, fact.source, expected, `not set, so ${actualText(leaf, assumed)} (the default)`, outcome);
  } else {
    outcome = leaf.op.test(selection.value, leaf.leaf.value) ? 'pass' : 'fail';
    out.add(aspect, item, fact.source, expected, actualText(leaf, selection.value), outcome);
  }
  remember(leaf, selection.value, fact.source, undefined, null, out, outcome, true);
  return outcome;
}

/** Three-valued logic: `all` fails on any failure, `any` passes on any pass; otherwise the worst evidence state. */
function evaluateNode(node: CompiledNode, host: HostContext, aspect: AspectName, out: EvidenceList): Outcome {
  if (node.type === 'leaf') return evaluateLeaf(node, host, aspect, out);
  let pass = false;
  let fail = false;
  let unusable = false;
  let absent = false;
  let counted = 0;
  for (const child of node.children) {
    const outcome = evaluateNode(child, host, aspect, out);
    // An optional leaf without evidence does not count either way.
    if (outcome === 'absent' && child.type === 'leaf' && child.optional) continue;
    counted++;
    if (outcome === 'pass') pass = true;
    else if (outcome === 'fail') fail = true;
    else if (outcome === 'unusable') unusable = true;
    else absent = true;
  }
  if (counted === 0) return 'absent';
  if (node.type === 'all') return fail ? 'fail' : unusable ? 'unusable' : absent ? 'absent' : 'pass';
  return pass ? 'pass' : unusable ? 'unusable' : absent ? 'absent' : 'fail';
}

/** One clause for evidence that shares outcome, source, actual and expected value: "a, b: 1 in `x`, expected 0". */
function sentence(group: Evidence[]): string {
  const first = group[0] as Evidence;
  const items = group.map((e) => e.item).join(', ');
  const plural = group.length > 1;
  switch (first.outcome) {
    case 'unusable':
      return `${quote(first.source)} could not be used (${first.problem ?? 'unusable'}), so ${items} ${plural ? 'are' : 'is'} unknown; expected ${first.expected}`;
    case 'absent':
      return first.actual === 'not captured'
        ? `${items} ${plural ? 'need' : 'needs'} ${quote(first.source)}, which is not in this input (expected ${first.expected})`
        : `${items}: ${first.actual} in ${quote(first.source)} (expected ${first.expected})`;
    default:
      return `${items}: ${first.actual} in ${quote(first.source)}, expected ${first.expected}`;
  }
}

function sameClause(a: Evidence, b: Evidence): boolean {
  return a.aspect === b.aspect && a.source === b.source && a.actual === b.actual && a.expected === b.expected && a.problem === b.problem;
}

/** Sentences for the evidence with this outcome; neighbours that differ only in item share one clause. */
function reasonFor(evidence: Evidence[], outcome: Outcome): string {
  const sentences: string[] = [];
  let group: Evidence[] = [];
  for (const e of evidence) {
    if (e.outcome !== outcome) continue;
    if (group.length > 0 && !sameClause(group[0] as Evidence, e)) {
      sentences.push(sentence(group));
      group = [];
    }
    group.push(e);
  }
  if (group.length > 0) sentences.push(sentence(group));
  return [...new Set(sentences)].join('; ');
}

/** The benchmark a check belongs to, in the catalogue being scanned: its name and version, and the bloodhound versions it knows. */
function benchmarkOf(check: CheckDefinition, host: HostContext): BenchmarkDefinition | undefined {
  return host.catalog.benchmarksById.get(check.benchmark);
}

function benchmarkName(check: CheckDefinition, host: HostContext): string {
  const b = benchmarkOf(check, host);
  return b ? `${b.name} ${b.version}` : check.benchmark;
}

/** What the report says when it does not decide the live aspect; the reason of a result that is not PASS quotes it. */
interface FallbackScratch {
  said: string | undefined;
}

/** Applies the bloodhound verdict where brsec's own live evaluation had no usable evidence. */
function liveWithFallback(
  check: CheckDefinition,
  outcome: Outcome,
  evidence: Evidence[],
  host: HostContext,
  notes: string[],
  differences: string[],
  scratch: FallbackScratch,
): Outcome {
  const mapping = check.bloodhound;
  if (!mapping) return outcome;
  const report = host.bloodhound(mapping.report);
  if (report.state === 'absent') {
    scratch.said = `no bloodhound ${mapping.report} report is in this input either`;
    return outcome;
  }
  if (report.state === 'unusable') {
    scratch.said = `bloodhound's ${mapping.report} report (${quote(report.source)}) could not be used either (${report.problem})`;
    return outcome;
  }
  const use = bloodhoundUse({ report: report.value, mapping, benchmark: benchmarkOf(check, host), memo: host.memo });
  const { verdict, said } = use;
  const falseResults = (status: 'PASS' | 'FAIL') =>
    mapping.knownFalseResults ? knownFalseResultsText(mapping.knownFalseResults, status) : undefined;
  if (outcome === 'pass' || outcome === 'fail') {
    const brsecSays = outcome === 'pass' ? 'PASS' : 'FAIL';
    const sources = () =>
      [...new Set(evidence.filter((e) => e.outcome === 'pass' || e.outcome === 'fail').map((e) => quote(e.source)))].join(' and ');
    if (verdict?.overridden) {
      notes.push(`brsec's reading of ${sources()} gives ${brsecSays}; ${said}.`);
    } else if (verdict && (verdict.status === 'PASS' || verdict.status === 'FAIL') && verdict.status !== brsecSays) {
      if (use.olderCriterion) {
        notes.push(
          `brsec's reading of ${sources()} gives ${brsecSays} under ${benchmarkName(check, host)}; ${said}, and ${use.olderCriterion}.`,
        );
        differences.push(`${said}, and ${use.olderCriterion}`);
      } else if (use.standsIn === null) {
        notes.push(`brsec's reading of ${sources()} gives ${brsecSays}; ${said}.`);
      } else {
        const known = falseResults(verdict.status);
        notes.push(
          `brsec's reading of ${sources()} gives ${brsecSays} and overrides ${said}${known ? `. Known bloodhound false results: ${known}` : '.'}`,
        );
      }
    }
    return outcome;
  }
  if (use.standsIn === null || !verdict) {
    scratch.said = said;
    return outcome;
  }
  if (use.olderCriterion)
    notes.push(
      `The verdict comes from bloodhound's ${report.value.name || mapping.report} ${report.value.version} report: ${use.olderCriterion}, so its ${verdict.status} holds under ${benchmarkName(check, host)} too.`,
    );
  const known = falseResults(use.standsIn);
  if (known) notes.push(`Only bloodhound's verdict was usable here, and it has known false results: ${known}`);
  const unusable = [...new Set(evidence.filter((e) => e.outcome === 'unusable').map((e) => quote(e.source)))];
  if (unusable.length > 0) notes.push(`${unusable.join(' and ')} could not be used, so ${said} stands in.`);
  // The verdict replaces what could not be read; what could be read stays as evidence.
  for (let i = evidence.length - 1; i >= 0; i--)
    if (evidence[i]!.outcome === 'absent' || evidence[i]!.outcome === 'unusable') evidence.splice(i, 1);
  const replaced: Outcome = use.standsIn === 'PASS' ? 'pass' : 'fail';
  evidence.push(
    evidenceOf(
      'live',
      `bloodhound check ${verdict.name} (${verdict.id})`,
      report.source,
      'PASS',
      verdict.status + (verdict.error ? ` ("${verdict.error}")` : ''),
      replaced,
      undefined,
      'bloodhound',
    ),
  );
  return replaced;
}

function deepFreezeResult(result: CheckResult): CheckResult {
  for (const e of result.evidence) Object.freeze(e);
  Object.freeze(result.evidence);
  if (result.notes) Object.freeze(result.notes);
  return Object.freeze(result);
}

/** Every result has the same fields in the same order; absent optional fields stay undefined and are not written. */
function resultOf(
  t: CompiledCheck['template'],
  status: Status,
  reason: string | undefined,
  evidence: Evidence[],
  notes?: string[],
  audit?: string,
): CheckResult {
  return {
    id: t.id,
    benchmark: t.benchmark,
    cisId: t.cisId,
    title: t.title,
    level: t.level,
    assessment: t.assessment,
    severity: t.severity,
    status,
    reason,
    evidence,
    notes,
    audit,
  };
}

const NO_EVIDENCE: Evidence[] = [];
const NO_NOTES: string[] = [];
/** Notes of the check being evaluated; copied into the result only when there are any. */
const notesScratch: string[] = [];
/** Where an older bloodhound report reached another verdict under its own criterion; said in the reason too. */
const differencesScratch: string[] = [];
/** What bloodhound said of the check being evaluated, when its verdict did not decide the live aspect. */
const fallbackScratch: FallbackScratch = { said: undefined };
const MANUAL_REASON = 'the benchmark leaves this recommendation to a manual audit';

/** Whether `whole` is `first` followed by `second`, item by item. */
function sameEvidenceParts(whole: readonly Evidence[], first: readonly Evidence[], second: readonly Evidence[]): boolean {
  if (whole.length !== first.length + second.length) return false;
  return sameEvidenceAt(whole, 0, first) && sameEvidenceAt(whole, first.length, second);
}

/** FAIL if either aspect fails, else ERROR if either is unusable, else PASS if either passes. */
function statusOf(configured: Outcome | null, live: Outcome | null): Status {
  if (configured === 'fail' || live === 'fail') return 'FAIL';
  if (configured === 'unusable' || live === 'unusable') return 'ERROR';
  if (configured === 'pass' || live === 'pass') return 'PASS';
  return 'NOT_ASSESSED';
}

type AppliesTo = NonNullable<CheckDefinition['appliesTo']>;

/** Whether a check applies to the host (a host whose kind is not known gets every check of any kind). */
function applies(appliesTo: AppliesTo, host: HostContext): boolean {
  const kind = host.kind;
  if (appliesTo.kinds && kind !== null && !appliesTo.kinds.includes(kind)) return false;
  return !appliesTo.fips || host.fips !== null;
}

/** Why a check does not apply to the host. */
function notApplicableReason(appliesTo: AppliesTo, host: HostContext): string {
  const variant = host.variant.id ?? host.variant.family;
  const kind = host.kind;
  if (appliesTo.kinds && kind !== null && !appliesTo.kinds.includes(kind)) {
    return `applies to ${appliesTo.kinds.join(' and ')} variants only; this host is ${variant} (${kind})`;
  }
  const which = host.variant.id
    ? `${host.variant.id} is not a FIPS variant`
    : 'the variant is not known (pass --variant with a -fips variant for one)';
  return `applies to FIPS variants and hosts booted with fips=1; ${which} and has no fips=1`;
}

export function evaluateCheck(check: CheckDefinition, host: HostContext): CheckResult {
  const c = compile(check, host.memo);
  const { template, configured, live } = c;
  if (check.appliesTo && !applies(check.appliesTo, host)) {
    // Shared by every host of the same variant and kind (whose FIPS standing the variant decides, or fips=1 does not).
    const key = `${host.variant.id ?? host.variant.family}\u0000${host.kind}`;
    c.notApplicable ??= new Map();
    let result = c.notApplicable.get(key);
    if (!result)
      c.notApplicable.set(
        key,
        (result = deepFreezeResult(resultOf(template, 'NOT_APPLICABLE', notApplicableReason(check.appliesTo, host), []))),
      );
    return result;
  }
  if (!configured && !live) {
    c.last ??= deepFreezeResult(resultOf(template, 'MANUAL', MANUAL_REASON, [], undefined, check.audit));
    return c.last;
  }
  // Setting an array's length costs more than reading it, and most checks leave both empty.
  if (notesScratch.length > 0) notesScratch.length = 0;
  if (differencesScratch.length > 0) differencesScratch.length = 0;
  fallbackScratch.said = undefined;
  const configuredList = configured ? new EvidenceList(c.lastConfigured) : null;
  const liveList = live ? new EvidenceList(c.lastLive) : null;
  const configuredOutcome = configured && configuredList ? evaluateNode(configured, host, 'configured', configuredList) : null;
  const liveOutcome =
    live && liveList
      ? liveWithFallback(
          check,
          evaluateNode(live, host, 'live', liveList),
          liveList.items,
          host,
          notesScratch,
          differencesScratch,
          fallbackScratch,
        )
      : null;
  const configuredEvidence = configuredList?.items ?? NO_EVIDENCE;
  const liveEvidence = liveList?.items ?? NO_EVIDENCE;
  c.lastConfigured = configuredEvidence;
  c.lastLive = liveEvidence;

  // A manual recommendation's aspects are evidence for the auditor; they never decide it.
  const manual = check.assessment === 'manual';
  const status: Status = manual ? 'MANUAL' : statusOf(configuredOutcome, liveOutcome);
  const recent = (c.recent ??= []);
  const recentSaid = (c.recentSaid ??= []);
  for (let i = recent.length - 1; i >= 0; i--) {
    const known = recent[i] as CheckResult;
    if (
      known.status === status &&
      (known.notes?.length ?? 0) === notesScratch.length &&
      sameStrings(known.notes ?? NO_NOTES, notesScratch) &&
      recentSaid[i] === fallbackScratch.said &&
      sameEvidenceParts(known.evidence, configuredEvidence, liveEvidence)
    ) {
      return known;
    }
  }
  const evidence =
    configuredEvidence.length === 0
      ? liveEvidence
      : liveEvidence.length === 0
        ? configuredEvidence
        : configuredEvidence.concat(liveEvidence);
  const finalNotes = notesScratch.length > 0 ? notesScratch.slice() : undefined;

  let reason: string | undefined;
  if (manual) reason = MANUAL_REASON;
  else if (status !== 'PASS') {
    const wanted: Outcome = status === 'FAIL' ? 'fail' : status === 'ERROR' ? 'unusable' : 'absent';
    // Only aspects that reached the wanted outcome explain it (a passing aspect's evidence does not).
    const explaining = [
      ...(configuredOutcome === wanted ? configuredEvidence : NO_EVIDENCE),
      ...(liveOutcome === wanted ? liveEvidence : NO_EVIDENCE),
    ];
    reason = reasonFor(explaining, wanted);
    // The live aspect had no usable evidence of its own: say what bloodhound said and why it did not stand in.
    if ((status === 'NOT_ASSESSED' || status === 'ERROR') && liveOutcome === wanted && fallbackScratch.said)
      reason += `; ${fallbackScratch.said}`;
    for (const difference of differencesScratch) reason += `; ${difference}`;
  }
  // Results are shared between hosts that reach the same one, so they are frozen.
  const result = deepFreezeResult(resultOf(template, status, reason, evidence, finalNotes, manual ? check.audit : undefined));
  if (recent.length >= RECENT) {
    recent.shift();
    recentSaid.shift();
  }
  recent.push(result);
  recentSaid.push(fallbackScratch.said);
  return result;
}
