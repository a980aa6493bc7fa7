// Evaluates compiled assertions against one host: selects each leaf's value (a setting, or a fact parsed from a
// capture), tests it with its operator and records the evidence. A value equal to a recent host's reuses its evidence.
import type { AspectName, Evidence } from '../types.js';
import type { FactDefinition } from '../facts/definition.js';
import { ParseError } from '../facts/parse-error.js';
import { show } from './operators.js';
import type { HostContext } from './context.js';
import { redactSetting } from '../settings/secrets.js';
import type { EffectiveSettings } from '../settings/effective.js';
import { describeUnknown, firstUnknown, UnknownValue } from '../settings/unknown.js';
import { RECENT, settingPath, type CompiledLeaf, type CompiledNode, type LeafMemo } from './compile.js';
import type { EvidenceList, Outcome } from './evidence.js';

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

/** Keeps what this host's value gave (its evidence frozen), for later hosts with the same value and source. */
function remember(leaf: CompiledLeaf, memo: LeafMemo): void {
  Object.freeze(memo.evidence);
  const memos = (leaf.memo ??= []);
  if (memos.length >= RECENT) memos.shift();
  memos.push(memo);
}

function actualText(leaf: CompiledLeaf, value: unknown): string {
  return leaf.op.actual ? leaf.op.actual(value, leaf.leaf.value) : show(value);
}

function evaluateSetting(leaf: CompiledLeaf, host: HostContext, aspect: AspectName, out: EvidenceList): Outcome {
  const settings = host.settings;
  const { item, expected } = leaf;
  if (settings.state === 'absent') {
    out.add({ aspect, item, source: 'apiclient get', expected, actual: 'not captured', outcome: 'absent' });
    return 'absent';
  }
  if (settings.state === 'unusable') {
    out.add({ aspect, item, source: settings.source, expected, actual: 'unreadable', outcome: 'unusable', problem: settings.problem });
    return 'unusable';
  }
  const spellings = settings.settings.spellings(leaf.leaf.path ?? []);
  if (spellings !== undefined) return evaluateSpellings(leaf, spellings, settings, aspect, out);
  const found = settings.settings.lookup(leaf.leaf.path ?? [], leaf.pathKey);
  if (found.state === 'unknown-default') {
    out.add({
      aspect,
      item,
      source: settings.source,
      expected,
      actual: 'not set, and the default depends on the variant, which is not known',
      outcome: 'absent',
    });
    return 'absent';
  }
  const value = found.state === 'unset' ? undefined : found.value;
  // A tool that launches the node (eksctl, Karpenter) may have written the value rather than the file.
  const writtenBy = found.state === 'set' ? settings.settings.writtenBy(leaf.pathKey as string) : undefined;
  if (found.state === 'set' && settings.settings.mayBeUnknown) {
    const unknown = firstUnknown(value);
    if (unknown) {
      const origin = writtenBy ? 'tool' : 'set';
      const actual = describeUnknown(unknown.value, [...(leaf.leaf.path ?? []), ...unknown.below]);
      out.add({ aspect, item, source: writtenBy ?? settings.source, expected, actual, outcome: 'absent', origin });
      return 'absent';
    }
  }
  const origin: Evidence['origin'] = found.state === 'set' ? (writtenBy ? 'tool' : 'set') : 'default';
  const sourceKey = found.state === 'default' ? found.source : (writtenBy ?? settings.source);
  const hit = memoHit(leaf, value, sourceKey, origin, host.variant.family);
  if (hit) {
    out.reuse(hit.evidence);
    return hit.outcome;
  }
  const outcome: Outcome = leaf.op.test(value, leaf.leaf.value) ? 'pass' : 'fail';
  const source =
    found.state === 'default' ? `Bottlerocket's default on ${host.variant.family ?? 'every variant'} (${found.source})` : sourceKey;
  const shown = leaf.redact ? redactSetting(leaf.leaf.path ?? [], value) : value;
  out.add({ aspect, item, source, expected, actual: actualText(leaf, shown), outcome, origin });
  // A table or list is remembered by identity: hosts with the same data share one object (EffectiveSettings).
  remember(leaf, { value, source: sourceKey, origin, family: host.variant.family, evidence: out.last, outcome });
  return outcome;
}

/**
 * A setting set under more than one spelling (a sysctl key written with `/` as well as `.`), or only under another:
 * every value is judged, each named as it was written, and any failing value fails the leaf.
 */
function evaluateSpellings(
  leaf: CompiledLeaf,
  spellings: readonly (readonly string[])[],
  { settings, source }: { settings: EffectiveSettings; source: string },
  aspect: AspectName,
  out: EvidenceList,
): Outcome {
  let outcome: Outcome = 'pass';
  for (const path of spellings) {
    const found = settings.lookup(path);
    const value = found.state === 'set' || found.state === 'default' ? found.value : undefined;
    const unknown = settings.mayBeUnknown ? firstUnknown(value) : undefined;
    if (unknown) {
      if (outcome === 'pass') outcome = 'absent';
      out.add({
        aspect,
        item: settingPath(path),
        source,
        expected: leaf.expected,
        actual: describeUnknown(unknown.value, [...path, ...unknown.below]),
        outcome: 'absent',
        origin: 'set',
      });
      continue;
    }
    const passes = leaf.op.test(value, leaf.leaf.value);
    if (!passes) outcome = 'fail';
    const shown = leaf.redact ? redactSetting(path, value) : value;
    out.add({
      aspect,
      item: settingPath(path),
      source,
      expected: leaf.expected,
      actual: actualText(leaf, shown),
      outcome: passes ? 'pass' : 'fail',
      origin: 'set',
    });
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
    if (!leaf.optional)
      out.add({ aspect, item, source: fact.sources[0] ?? leaf.leaf.fact, expected, actual: fact.why ?? 'not captured', outcome: 'absent' });
    return 'absent';
  }
  if (fact.state === 'unusable') {
    out.add({ aspect, item, source: fact.source, expected, actual: 'unreadable', outcome: 'unusable', problem: fact.problem });
    return 'unusable';
  }
  let selection;
  try {
    selection = definition.select(fact.value, leaf.leaf.key);
  } catch (err) {
    // Parts of some facts (iptables rules) are parsed only when selected.
    if (!(err instanceof ParseError)) throw err;
    out.add({
      aspect,
      item,
      source: fact.source,
      expected,
      actual: 'unreadable',
      outcome: 'unusable',
      problem: `cannot be parsed: ${err.message}`,
    });
    return 'unusable';
  }
  if (!selection.found) {
    if (selection.incomplete !== undefined) {
      out.add({ aspect, item, source: fact.source, expected, actual: 'unreadable', outcome: 'unusable', problem: selection.incomplete });
      return 'unusable';
    }
    out.add({ aspect, item, source: fact.source, expected, actual: 'not present', outcome: 'absent' });
    return 'absent';
  }
  // A node definition's value left to deploy time (a Terraform variable) decides nothing.
  if (selection.value instanceof UnknownValue) {
    out.add({ aspect, item, source: fact.source, expected, actual: describeUnknown(selection.value), outcome: 'absent' });
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
    out.add({ aspect, item, source: fact.source, expected, actual: `not set, so ${actualText(leaf, assumed)} (the default)`, outcome });
  } else {
    outcome = leaf.op.test(selection.value, leaf.leaf.value) ? 'pass' : 'fail';
    out.add({ aspect, item, source: fact.source, expected, actual: actualText(leaf, selection.value), outcome });
  }
  remember(leaf, { value: selection.value, source: fact.source, origin: undefined, family: null, evidence: out.last, outcome });
  return outcome;
}

/** Three-valued logic: `all` fails on any failure, `any` passes on any pass; otherwise the worst evidence state. */
export function evaluateNode(node: CompiledNode, host: HostContext, aspect: AspectName, out: EvidenceList): Outcome {
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
