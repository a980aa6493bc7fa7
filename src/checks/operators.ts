// The closed set of comparison operators a check may use. Each returns its verdict and the sentences
// the report prints for the expected and the actual value.
import type { FileMode } from '../facts/services.js';
import type { FirewallRule } from '../facts/iptables.js';

export interface OpResult {
  pass: boolean;
  expected: string;
  actual: string;
  /** For structural checks, what the subject does (`has no rule …`), used instead of `is <actual>`. */
  predicate?: string;
}

export type Operator = (actual: unknown, expected: unknown) => OpResult;

/** Renders a value for a sentence: strings bare, lists comma-separated, nothing as "not set". */
export function show(value: unknown): string {
  if (value === undefined || value === null) return 'not set';
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(show).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const same = (a: unknown, b: unknown): boolean => a === b || (typeof a !== 'object' && String(a) === String(b) && typeof a === typeof b);

function numeric(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
}

function octal(mask: unknown): number {
  return typeof mask === 'number' ? mask : parseInt(String(mask), 8);
}

/** A pattern field matches one value, or any of a list of alternatives (`::1` or `::1/128`). */
function ruleMatches(rule: FirewallRule, pattern: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([field, want]) => {
    const have = rule[field as keyof FirewallRule];
    const alternatives = Array.isArray(want) ? want : [want];
    return alternatives.some((w) => (field === 'protocol' && w === '0' ? 'all' : w) === have);
  });
}

function showRule(pattern: Record<string, unknown>): string {
  return Object.entries(pattern)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join('|') : String(v)}`)
    .join(' ');
}

export const OPERATORS: Record<string, Operator> = {
  eq: (actual, expected) => ({ pass: same(actual, expected), expected: show(expected), actual: show(actual) }),
  neq: (actual, expected) => ({ pass: actual !== undefined && !same(actual, expected), expected: `not ${show(expected)}`, actual: show(actual) }),
  in: (actual, expected) => ({
    pass: list(expected).some((e) => same(actual, e)),
    expected: `one of ${show(expected)}`,
    actual: show(actual),
  }),
  notIn: (actual, expected) => ({
    pass: actual !== undefined && !list(expected).some((e) => same(actual, e)),
    expected: `none of ${show(expected)}`,
    actual: show(actual),
  }),
  includes: (actual, expected) => ({
    pass: list(actual).some((a) => same(a, expected)),
    expected: `includes ${show(expected)}`,
    actual: show(actual),
  }),
  excludes: (actual, expected) => ({
    pass: !list(actual).some((a) => same(a, expected)),
    expected: `does not include ${show(expected)}`,
    actual: show(actual),
  }),
  includesAny: (actual, expected) => ({
    pass: list(actual).some((a) => list(expected).some((e) => same(a, e))),
    expected: `includes any of ${show(expected)}`,
    actual: show(actual),
  }),
  nonEmpty: (actual) => ({
    pass: (Array.isArray(actual) || typeof actual === 'string') && actual.length > 0,
    expected: 'at least one entry',
    actual: show(actual),
  }),
  gte: (actual, expected) => {
    const n = numeric(actual);
    return { pass: n !== null && n >= Number(expected), expected: `at least ${show(expected)}`, actual: show(actual) };
  },
  lte: (actual, expected) => {
    const n = numeric(actual);
    return { pass: n !== null && n <= Number(expected), expected: `at most ${show(expected)}`, actual: show(actual) };
  },
  /** Every file in the list has none of the mask's permission bits (modes compared as octal bit sets). */
  noModeBits: (actual, expected) => {
    const mask = octal(expected);
    const files = list(actual) as FileMode[];
    const offending = files.filter((f) => (f.mode & mask) !== 0);
    const listed = offending
      .slice(0, 3)
      .map((f) => `${f.path} (mode ${f.mode.toString(8).padStart(3, '0')})`)
      .join(', ');
    const more = offending.length > 3 ? ` and ${offending.length - 3} more` : '';
    const result: OpResult = {
      pass: offending.length === 0,
      expected: `no file with any of the permission bits ${mask.toString(8).padStart(3, '0')}`,
      actual: offending.length === 0 ? `${files.length} file(s), none with those bits` : `${listed}${more}`,
    };
    if (offending.length > 0) result.predicate = `include ${listed}${more}`;
    return result;
  },
  /** The chain holds rules matching each pattern, in this order (other rules may come between). */
  hasRulesInOrder: (actual, expected) => {
    const rules = list(actual) as FirewallRule[];
    const patterns = list(expected) as Record<string, unknown>[];
    let at = 0;
    let matched = 0;
    for (const pattern of patterns) {
      const index = rules.findIndex((rule, i) => i >= at && ruleMatches(rule, pattern));
      if (index === -1) break;
      at = index + 1;
      matched++;
    }
    const missingPattern = patterns[matched];
    const result: OpResult = {
      pass: matched === patterns.length,
      expected: patterns.length > 1 ? `these rules in order: ${patterns.map(showRule).join(', then ')}` : `the rule ${showRule(patterns[0] ?? {})}`,
      actual: missingPattern ? `${rules.length} rule(s), without "${showRule(missingPattern)}"` : 'all rules present',
    };
    if (missingPattern) result.predicate = `has no rule "${showRule(missingPattern)}"${matched > 0 ? ' after the earlier ones' : ''} (${rules.length} rule(s))`;
    return result;
  },
};
