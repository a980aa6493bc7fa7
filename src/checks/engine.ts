// Evaluates check definitions against one host. Knows facts, operators and the status rules of the
// snapshot spec (section 4); never a particular check.
import type { AspectName, CheckResult, Evidence, Status } from '../types.js';
import { FACTS } from '../facts/registry.js';
import { ParseError } from '../facts/parse-error.js';
import { OPERATORS, show } from './operators.js';
import type { Assertion, CheckDefinition, Leaf } from './loader.js';
import type { HostContext } from './context.js';
import { kindOf } from '../settings/variants.js';

type Outcome = 'pass' | 'fail' | 'absent' | 'unusable';

interface LeafResult {
  outcome: Outcome;
  subject: string;
  source: string;
  expected: string;
  actual: string;
  problem?: string;
  origin?: Evidence['origin'];
  optional?: boolean;
  predicate?: string;
}

interface AspectResult {
  outcome: Outcome;
  leaves: LeafResult[];
}

const quote = (source: string): string => (source.startsWith('settings.') || source === 'user data' ? source : `\`${source}\``);

function settingPath(path: readonly string[]): string {
  return 'settings.' + path.map((p) => (/^[\w-]+$/.test(p) ? p : `"${p}"`)).join('.');
}

function evaluateSetting(leaf: Leaf, host: HostContext): LeafResult {
  const path = leaf.path ?? [];
  const subject = settingPath(path);
  const op = OPERATORS[leaf.op]!;
  const settings = host.settings;
  if (settings.state === 'absent') {
    return { outcome: 'absent', subject, source: subject, expected: op(undefined, leaf.value).expected, actual: 'no settings in this input' };
  }
  if (settings.state === 'unusable') {
    return {
      outcome: 'unusable',
      subject,
      source: settings.source,
      expected: op(undefined, leaf.value).expected,
      actual: 'unreadable',
      problem: settings.problem,
    };
  }
  const found = settings.settings.lookup(path);
  if (found.state === 'unknown-default') {
    return {
      outcome: 'absent',
      subject,
      source: subject,
      expected: op(undefined, leaf.value).expected,
      actual: 'not set, and its default depends on the variant, which is not known',
    };
  }
  const value = found.state === 'unset' ? undefined : found.value;
  const result = op(value, leaf.value);
  const where =
    found.state === 'set'
      ? `set in ${quote(settings.source)}`
      : found.state === 'default'
        ? `default on ${host.variant.family ?? 'every variant'}: ${found.source}`
        : `not set in ${quote(settings.source)}, and Bottlerocket has no default`;
  return {
    outcome: result.pass ? 'pass' : 'fail',
    subject,
    source: subject,
    expected: result.expected,
    actual: `${result.actual} (${where})`,
    origin: found.state === 'set' ? 'set' : 'default',
  };
}

function evaluateLeaf(leaf: Leaf, host: HostContext): LeafResult {
  if (leaf.fact === 'setting') return evaluateSetting(leaf, host);
  const definition = FACTS[leaf.fact]!;
  const op = OPERATORS[leaf.op]!;
  const subject = definition.describe(leaf.key);
  const fact = host.fact(leaf.fact, leaf.key);
  const base = { subject, optional: leaf.optional ?? false };
  if (fact.state === 'absent') {
    return { ...base, outcome: 'absent', source: fact.sources[0] ?? leaf.fact, expected: op(undefined, leaf.value).expected, actual: 'not captured' };
  }
  if (fact.state === 'unusable') {
    return { ...base, outcome: 'unusable', source: fact.source, expected: op(undefined, leaf.value).expected, actual: 'unreadable', problem: fact.problem };
  }
  let selection;
  try {
    selection = definition.select(fact.value, leaf.key);
  } catch (err) {
    // Parts of some facts (iptables rules) are parsed only when selected.
    if (!(err instanceof ParseError)) throw err;
    return { ...base, outcome: 'unusable', source: fact.source, expected: op(undefined, leaf.value).expected, actual: 'unreadable', problem: `cannot be parsed: ${err.message}` };
  }
  if (!selection.found) {
    return { ...base, outcome: 'absent', source: fact.source, expected: op(undefined, leaf.value).expected, actual: `not present in \`${fact.source}\`` };
  }
  const result = op(selection.value, leaf.value);
  const out: LeafResult = { ...base, outcome: result.pass ? 'pass' : 'fail', source: fact.source, expected: result.expected, actual: result.actual };
  if (result.predicate) out.predicate = result.predicate;
  return out;
}

function combine(outcomes: Outcome[], mode: 'all' | 'any'): Outcome {
  if (mode === 'all') {
    if (outcomes.includes('fail')) return 'fail';
    if (outcomes.includes('unusable')) return 'unusable';
    if (outcomes.includes('absent')) return 'absent';
    return 'pass';
  }
  if (outcomes.includes('pass')) return 'pass';
  if (outcomes.includes('unusable')) return 'unusable';
  if (outcomes.includes('absent')) return 'absent';
  return 'fail';
}

function evaluateAssertion(assertion: Assertion, host: HostContext): AspectResult {
  if ('all' in assertion || 'any' in assertion) {
    const mode = 'all' in assertion ? 'all' : 'any';
    const children = ('all' in assertion ? assertion.all : assertion.any).map((a) => evaluateAssertion(a, host));
    // Optional leaves whose evidence is absent are left out rather than making the whole not assessed.
    const counted = children.filter((c) => !(c.outcome === 'absent' && c.leaves.every((l) => l.optional)));
    const outcome = counted.length === 0 ? 'absent' : combine(counted.map((c) => c.outcome), mode);
    return { outcome, leaves: children.flatMap((c) => c.leaves) };
  }
  const leaf = evaluateLeaf(assertion, host);
  return { outcome: leaf.outcome, leaves: [leaf] };
}

/** One clause for leaves that share an outcome, source, actual and expected value: "a, b are 1 in `x`, expected 0". */
function sentence(group: LeafResult[]): string {
  const leaf = group[0] as LeafResult;
  const subjects = group.map((l) => l.subject).join(', ');
  const plural = group.length > 1;
  switch (leaf.outcome) {
    case 'fail': {
      const does = leaf.predicate ?? `${plural ? 'are' : 'is'} ${leaf.actual}`;
      return leaf.source === leaf.subject
        ? `${subjects} ${does}, expected ${leaf.expected}`
        : `${subjects} ${does} in ${quote(leaf.source)}, expected ${leaf.expected}`;
    }
    case 'unusable':
      return `${quote(leaf.source)} could not be used (${leaf.problem ?? 'unusable'}), so ${subjects} ${plural ? 'are' : 'is'} unknown; expected ${leaf.expected}`;
    case 'absent':
      return leaf.actual === 'not captured'
        ? `${subjects} ${plural ? 'need' : 'needs'} ${quote(leaf.source)}, which is not in this input (expected ${leaf.expected})`
        : `${subjects}: ${leaf.actual} (expected ${leaf.expected})`;
    default:
      return `${subjects} ${plural ? 'are' : 'is'} ${leaf.actual}`;
  }
}

function grouped(leaves: LeafResult[]): LeafResult[][] {
  const groups = new Map<string, LeafResult[]>();
  for (const leaf of leaves) {
    const sourceKey = leaf.source === leaf.subject ? '' : leaf.source;
    const key = [leaf.outcome, sourceKey, leaf.actual, leaf.expected, leaf.predicate ?? '', leaf.problem ?? ''].join('\u0000');
    const group = groups.get(key);
    if (group) group.push(leaf);
    else groups.set(key, [leaf]);
  }
  return [...groups.values()];
}

function dedupe(items: string[]): string[] {
  return [...new Set(items)];
}

function toEvidence(aspect: AspectName, leaves: LeafResult[]): Evidence[] {
  return leaves.map((l) => {
    const evidence: Evidence = { aspect, source: l.source, expected: l.expected, actual: l.problem ? `${l.actual}: ${l.problem}` : l.actual, outcome: l.outcome };
    if (l.origin) evidence.origin = l.origin;
    return evidence;
  });
}

function baseResult(check: CheckDefinition): Omit<CheckResult, 'status' | 'evidence'> {
  const result: Omit<CheckResult, 'status' | 'evidence'> = {
    id: check.id,
    benchmark: check.benchmark,
    title: check.title,
    level: check.level,
    assessment: check.assessment,
    severity: check.severity,
  };
  if (check.cisId) result.cisId = check.cisId;
  return result;
}

/** Applies the bloodhound verdict where brsec's own live evaluation had no usable evidence. */
function liveWithFallback(check: CheckDefinition, live: AspectResult, host: HostContext, notes: string[]): AspectResult {
  const mapping = check.bloodhound;
  if (!mapping) return live;
  const report = host.bloodhound(mapping.report);
  if (report.state !== 'ok') return live;
  const verdict = report.value.results.get(mapping.id);
  if (!verdict) return live;
  const said = `bloodhound (${report.value.name || mapping.report} ${report.value.version}) reported ${verdict.status}${verdict.overridden ? ' (an override)' : ''}${verdict.error ? `: "${verdict.error}"` : ''}`;
  if (live.outcome === 'pass' || live.outcome === 'fail') {
    const brsecSays = live.outcome === 'pass' ? 'PASS' : 'FAIL';
    if ((verdict.status === 'PASS' || verdict.status === 'FAIL') && verdict.status !== brsecSays) {
      const sources = dedupe(live.leaves.filter((l) => l.outcome === 'pass' || l.outcome === 'fail').map((l) => quote(l.source)));
      notes.push(
        `brsec's reading of ${sources.join(' and ')} gives ${brsecSays} and overrides ${said}` +
          (check.bloodhound?.knownFalseResult ? `; a known bloodhound false result: ${check.bloodhound.knownFalseResult}` : '.'),
      );
    }
    return live;
  }
  if (verdict.status !== 'PASS' && verdict.status !== 'FAIL') return live;
  if (verdict.status === 'FAIL' && mapping.knownFalseResult) {
    notes.push(`Only bloodhound's verdict was usable here, and it has a known false result: ${mapping.knownFalseResult}`);
  }
  const leaf: LeafResult = {
    outcome: verdict.status === 'PASS' ? 'pass' : 'fail',
    subject: `bloodhound check ${verdict.name} (${verdict.id})`,
    source: report.source,
    expected: 'PASS',
    actual: verdict.status + (verdict.error ? ` ("${verdict.error}")` : ''),
    origin: 'bloodhound',
  };
  const replaced = live.leaves.filter((l) => l.outcome === 'unusable' || l.outcome === 'absent');
  if (replaced.some((l) => l.outcome === 'unusable')) {
    notes.push(`${dedupe(replaced.filter((l) => l.outcome === 'unusable').map((l) => quote(l.source))).join(' and ')} could not be used, so ${said} stands in.`);
  }
  return { outcome: leaf.outcome, leaves: [...live.leaves.filter((l) => l.outcome === 'pass' || l.outcome === 'fail'), leaf] };
}

export function evaluateCheck(check: CheckDefinition, host: HostContext): CheckResult {
  const base = baseResult(check);
  if (check.appliesTo) {
    const kind = kindOf(host.variant.family);
    if (kind !== null && !check.appliesTo.kinds.includes(kind)) {
      return {
        ...base,
        status: 'NOT_APPLICABLE',
        reason: `applies to ${check.appliesTo.kinds.join(' and ')} variants only; this host is ${host.variant.id ?? host.variant.family} (${kind})`,
        evidence: [],
      };
    }
  }
  if (check.assessment === 'manual' || !check.aspects) {
    return { ...base, status: 'MANUAL', reason: 'the benchmark leaves this recommendation to a manual audit', evidence: [], audit: check.audit };
  }
  const notes: string[] = [];
  const aspects: [AspectName, AspectResult][] = [];
  if (check.aspects.configured) aspects.push(['configured', evaluateAssertion(check.aspects.configured, host)]);
  if (check.aspects.live) aspects.push(['live', liveWithFallback(check, evaluateAssertion(check.aspects.live, host), host, notes)]);

  const outcomes = aspects.map(([, a]) => a.outcome);
  const status: Status = outcomes.includes('fail')
    ? 'FAIL'
    : outcomes.includes('unusable')
      ? 'ERROR'
      : outcomes.includes('pass')
        ? 'PASS'
        : 'NOT_ASSESSED';
  const evidence = aspects.flatMap(([name, a]) => toEvidence(name, a.leaves));
  const result: CheckResult = { ...base, status, evidence };
  if (status !== 'PASS') {
    const wanted: Outcome = status === 'FAIL' ? 'fail' : status === 'ERROR' ? 'unusable' : 'absent';
    const sentences = dedupe(
      aspects.flatMap(([, a]) => (a.outcome === wanted ? grouped(a.leaves.filter((l) => l.outcome === wanted && !(wanted === 'absent' && l.optional))).map(sentence) : [])),
    );
    result.reason = sentences.join('; ');
    if (status === 'NOT_ASSESSED' && check.bloodhound) result.reason += `; no bloodhound ${check.bloodhound.report} verdict either`;
  }
  if (notes.length > 0) result.notes = notes;
  return result;
}

