// Checks compiled once per scan: each leaf's operator, subject, capture keys and expected text fixed, so evaluating a
// host only selects, tests and records. Compiled checks live in the scan's memo, with what recent hosts made of them.
import { settingPath } from '../settings/names.js';
import type { CheckResult, Evidence } from '../types.js';
import { FACTS } from '../facts/registry.js';
import type { FactDefinition } from '../facts/definition.js';
import { OPERATORS, type Operator } from './operators.js';
import type { Assertion, CheckDefinition, Leaf } from './loader.js';
import { holdsSecrets, isSecretSetting } from '../settings/secrets.js';
import { memoSlot, type ScanMemo } from '../memo.js';
import type { Outcome } from './evidence.js';

export interface CompiledLeaf {
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
export interface LeafMemo {
  value: unknown;
  source: string;
  origin: Evidence['origin'];
  /** The variant family, which a default's source sentence names. */
  family: string | null;
  evidence: Evidence;
  outcome: Outcome;
}

/** Fleets mix a few configurations (hardened hosts and stock ones), so a few recent values and results are kept, not one. */
export const RECENT = 4;

export interface CompiledGroup {
  type: 'all' | 'any';
  children: CompiledNode[];
}

export type CompiledNode = CompiledLeaf | CompiledGroup;

export interface CompiledCheck {
  template: Pick<CheckResult, 'id' | 'benchmark' | 'cisId' | 'title' | 'level' | 'assessment' | 'severity'>;
  configured?: CompiledNode;
  live?: CompiledNode;
  /** Evidence that must pass for the check to be judged here (automatedWhen); otherwise it is MANUAL. */
  condition?: CompiledNode;
  lastCondition?: readonly Evidence[];
  /** The last result where the condition did not pass. */
  lastUnjudged?: CheckResult;
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

export function compile(check: CheckDefinition, memo: ScanMemo): CompiledCheck {
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
    if (check.automatedWhen) c.condition = compileNode(check.automatedWhen);
    compiled.set(check, c);
  }
  return c;
}

export { settingPath };
