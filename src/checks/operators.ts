// The closed set of comparison operators a check may use. Each has a test, the sentence for the expected
// value (computed once per check, when it is compiled) and, where a bare value would not read well, the
// sentence for the actual value.
import type { FileMode } from '../facts/services.js';
import type { FirewallRule } from '../facts/iptables.js';

export interface Operator {
  test(actual: unknown, expected: unknown): boolean;
  expected(expected: unknown): string;
  /** Describes the actual value; `show` when absent. */
  actual?(actual: unknown, expected: unknown): string;
}

/** Renders a value for a sentence: strings bare, lists comma-separated, nothing as "not set". */
export function show(value: unknown): string {
  if (value === undefined || value === null) return 'not set';
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(show).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const same = (a: unknown, b: unknown): boolean => a === b || (typeof a !== 'object' && typeof a === typeof b && String(a) === String(b));

function numeric(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
}

function octal(mask: unknown): number {
  return typeof mask === 'number' ? mask : parseInt(String(mask), 8);
}

const mode = (m: number) => m.toString(8).padStart(3, '0');

/** A pattern field matches one value, or any of a list of alternatives (`::1` or `::1/128`). */
function ruleMatches(rule: FirewallRule, pattern: Record<string, unknown>): boolean {
  for (const field in pattern) {
    const want = pattern[field];
    const have = rule[field as keyof FirewallRule];
    const alternatives = Array.isArray(want) ? want : [want];
    if (!alternatives.some((w) => (field === 'protocol' && w === '0' ? 'all' : w) === have)) return false;
  }
  return true;
}

function showRule(pattern: Record<string, unknown>): string {
  return Object.entries(pattern)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join('|') : String(v)}`)
    .join(' ');
}

/** How many of the patterns are found in order; the first missing one is patterns[result]. */
function rulesMatched(rules: FirewallRule[], patterns: Record<string, unknown>[]): number {
  let at = 0;
  let matched = 0;
  for (const pattern of patterns) {
    let index = -1;
    for (let i = at; i < rules.length; i++) {
      if (ruleMatches(rules[i] as FirewallRule, pattern)) {
        index = i;
        break;
      }
    }
    if (index === -1) break;
    at = index + 1;
    matched++;
  }
  return matched;
}

export const OPERATORS: Record<string, Operator> = {
  eq: { test: same, expected: show },
  neq: { test: (a, e) => a !== undefined && !same(a, e), expected: (e) => `not ${show(e)}` },
  in: { test: (a, e) => list(e).some((x) => same(a, x)), expected: (e) => `one of ${show(e)}` },
  notIn: { test: (a, e) => a !== undefined && !list(e).some((x) => same(a, x)), expected: (e) => `none of ${show(e)}` },
  includes: { test: (a, e) => list(a).some((x) => same(x, e)), expected: (e) => `includes ${show(e)}` },
  excludes: { test: (a, e) => !list(a).some((x) => same(x, e)), expected: (e) => `does not include ${show(e)}` },
  includesAny: { test: (a, e) => list(a).some((x) => list(e).some((y) => same(x, y))), expected: (e) => `includes any of ${show(e)}` },
  nonEmpty: { test: (a) => (Array.isArray(a) || typeof a === 'string') && a.length > 0, expected: () => 'at least one entry' },
  gte: {
    test: (a, e) => {
      const n = numeric(a);
      return n !== null && n >= Number(e);
    },
    expected: (e) => `at least ${show(e)}`,
  },
  lte: {
    test: (a, e) => {
      const n = numeric(a);
      return n !== null && n <= Number(e);
    },
    expected: (e) => `at most ${show(e)}`,
  },
  /** Every file in the list has none of the mask's permission bits (modes compared as octal bit sets). */
  noModeBits: {
    test: (a, e) => {
      const mask = octal(e);
      return (list(a) as FileMode[]).every((f) => (f.mode & mask) === 0);
    },
    expected: (e) => `no file with any of the permission bits ${mode(octal(e))}`,
    actual: (a, e) => {
      const mask = octal(e);
      const files = list(a) as FileMode[];
      const offending = files.filter((f) => (f.mode & mask) !== 0);
      if (offending.length === 0) return `${files.length} file(s), none with those bits`;
      const listed = offending
        .slice(0, 3)
        .map((f) => `${f.path} (mode ${mode(f.mode)})`)
        .join(', ');
      return `${listed}${offending.length > 3 ? ` and ${offending.length - 3} more` : ''}`;
    },
  },
  /** The chain holds rules matching each pattern, in this order (other rules may come between). */
  hasRulesInOrder: {
    test: (a, e) => rulesMatched(list(a) as FirewallRule[], list(e) as Record<string, unknown>[]) === list(e).length,
    expected: (e) => {
      const patterns = list(e) as Record<string, unknown>[];
      return patterns.length > 1 ? `these rules in order: ${patterns.map(showRule).join(', then ')}` : `the rule ${showRule(patterns[0] ?? {})}`;
    },
    actual: (a, e) => {
      const rules = list(a) as FirewallRule[];
      const patterns = list(e) as Record<string, unknown>[];
      const matched = rulesMatched(rules, patterns);
      const missing = patterns[matched];
      return missing ? `${rules.length} rule(s), missing "${showRule(missing)}"${matched > 0 ? ' after the earlier ones' : ''}` : `${rules.length} rule(s), all expected present`;
    },
  },
};
