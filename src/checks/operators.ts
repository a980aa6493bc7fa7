// The closed set of comparison operators a check may use. Each has a test, the sentence for the expected
// value (computed once per check, when it is compiled) and, where a bare value would not read well, the
// sentence for the actual value.
import type { FileMode } from '../facts/services.js';
import { textOf } from '../values.js';
import { glob } from '../glob.js';
import { redactUrlCredentials } from '../settings/secrets.js';
import type { FirewallRule } from '../facts/iptables.js';
import type { ValueShape } from './vocabulary.js';

export interface Operator {
  /** The shape of the leaf's `value`, checked when a check is loaded. */
  value: ValueShape;
  /** When the operator holds, in words, for docs/checks.md. */
  doc: string;
  /** Its sentences name only table keys or chosen fields, never values: a table that holds secrets needs no redaction. */
  namesOnly?: boolean;
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
  return textOf(value);
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

function showPattern(pattern: Record<string, unknown>): string {
  return Object.entries(pattern)
    .map(([k, v]) => (v === '$present' ? `${k} set` : `${k} ${show(v)}`))
    .join(' and ');
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

/** Every string in a value: itself, a list's items, a table's values, or each entry's `field` when given. */
function stringsIn(value: unknown, field?: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  const take = (name: string, v: unknown) => {
    if (typeof v === 'string') out.push({ name, value: v });
    else if (Array.isArray(v)) v.forEach((x) => take(name, x));
  };
  if (value === undefined || value === null) return out;
  if (typeof value !== 'object') return out;
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  if (!field && Array.isArray(value)) {
    take('', value);
    return out;
  }
  for (const [name, entry] of entries) {
    const v = field ? (typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)[field] : undefined) : entry;
    const label =
      Array.isArray(value) && typeof entry === 'object' && entry !== null && typeof (entry as Record<string, unknown>).registry === 'string'
        ? String((entry as Record<string, unknown>).registry)
        : name;
    take(label, v);
  }
  return out;
}

interface MatchSpec {
  field?: string;
  patterns: string[];
  /** What the patterns are, in words, when they are a check's long default list. */
  label?: string;
}

const patternsText = (spec: MatchSpec): string => spec.label ?? spec.patterns.join(' or ');

/**
 * Values longer than this never match an allowlist: image references and URLs are far shorter, and a host's long
 * value must not make a glob with many `*` backtrack for long (a host's settings are its own to write).
 */
const MAX_MATCHED_LENGTH = 4096;

/** The strings of a value that match one of the patterns (values too long to be an image or URL count as matching). */
function matching(a: unknown, e: unknown): { name: string; value: string }[] {
  const spec = e as MatchSpec;
  const strings = typeof a === 'string' ? [{ name: '', value: a }] : stringsIn(a, spec.field);
  return strings.filter((s) => s.value.length > MAX_MATCHED_LENGTH || spec.patterns.some((p) => glob(p).test(s.value)));
}

/** Credentials are redacted before a long value is cut, so a cut cannot leave part of one showing. */
function shownValue(v: string): string {
  const safe = redactUrlCredentials(v);
  return safe.length > 200 ? `${safe.slice(0, 199)}… (${v.length} characters)` : safe;
}

/** The values an allow- or deny-list finds wrong, named by their entry, or how many values were all right. */
function offendersText(
  a: unknown,
  e: unknown,
  offenders: (a: unknown, e: unknown) => { name: string; value: string }[],
  allRight: string,
): string {
  if (a === undefined) return 'none configured';
  const bad = offenders(a, e);
  if (bad.length === 0) return `${stringsIn(a, (e as MatchSpec).field).length || 1} value(s), ${allRight}`;
  return bad.map((b) => (b.name ? `${redactUrlCredentials(b.name)}: ${shownValue(b.value)}` : shownValue(b.value))).join(', ');
}

function unmatched(a: unknown, e: unknown): { name: string; value: string }[] {
  const spec = e as MatchSpec;
  const strings = typeof a === 'string' ? [{ name: '', value: a }] : stringsIn(a, spec.field);
  return strings.filter((s) => s.value.length > MAX_MATCHED_LENGTH || !spec.patterns.some((p) => glob(p).test(s.value)));
}

/** An entry matches when every field of one pattern matches; "$present" matches any non-empty value. */
function entryMatches(entry: unknown, pattern: Record<string, unknown>): boolean {
  if (typeof entry !== 'object' || entry === null) return false;
  return Object.entries(pattern).every(([k, want]) => {
    const have = (entry as Record<string, unknown>)[k];
    if (want === '$present') return have !== undefined && have !== null && have !== '' && !(Array.isArray(have) && have.length === 0);
    return same(have, want);
  });
}

function offendingEntries(a: unknown, e: unknown): string[] {
  if (typeof a !== 'object' || a === null) return [];
  const patterns = (Array.isArray(e) ? e : [e]) as Record<string, unknown>[];
  const entries: [string, unknown][] = Array.isArray(a) ? a.map((v, i) => [String(i), v]) : Object.entries(a);
  return entries
    .filter(([, entry]) => patterns.some((p) => entryMatches(entry, p)))
    .map(([name, entry]) =>
      Array.isArray(a) && typeof (entry as Record<string, unknown>)?.registry === 'string'
        ? String((entry as Record<string, unknown>).registry)
        : name,
    );
}

/** Kernel parameters as tokens, from a command line's token list or a `settings.boot.kernel` table of lists. */
function bootTokens(a: unknown): string[] {
  if (Array.isArray(a)) return a.map(textOf);
  if (typeof a !== 'object' || a === null) return [];
  return Object.entries(a).flatMap(([k, values]) =>
    Array.isArray(values) && values.length > 0 ? values.map((v) => (v === '' ? k : `${k}=${textOf(v)}`)) : [k],
  );
}

function weakeningParams(a: unknown, e: unknown): string[] {
  const forbidden = list(e).map(String);
  return bootTokens(a).filter((t) => forbidden.includes(t));
}

const FILE_OWNER_ALIASES: Record<string, string> = { root: '0' };
const ownerId = (name: string) => FILE_OWNER_ALIASES[name] ?? name;

function wrongOwners(a: unknown, e: unknown): FileMode[] {
  const [owner = 'root', group = 'root'] = String(e).split(':');
  return (list(a) as FileMode[]).filter((f) => ownerId(f.owner) !== ownerId(owner) || ownerId(f.group) !== ownerId(group));
}

export const OPERATORS: Record<string, Operator> = {
  eq: { value: 'scalar', doc: 'the value is this one, of the same type (the text "0" is not the number 0)', test: same, expected: show },
  neq: {
    value: 'scalar',
    doc: 'the value is set, and is not this one',
    test: (a, e) => a !== undefined && !same(a, e),
    expected: (e) => `not ${show(e)}`,
  },
  in: {
    value: 'scalars',
    doc: 'the value is one of these',
    test: (a, e) => list(e).some((x) => same(a, x)),
    expected: (e) => `one of ${show(e)}`,
  },
  notIn: {
    value: 'scalars',
    doc: 'the value is set, and is none of these',
    test: (a, e) => a !== undefined && !list(e).some((x) => same(a, x)),
    expected: (e) => `none of ${show(e)}`,
  },
  includes: {
    value: 'scalar',
    doc: 'the list includes this item',
    test: (a, e) => list(a).some((x) => same(x, e)),
    expected: (e) => `includes ${show(e)}`,
  },
  excludes: {
    value: 'scalar',
    doc: 'the list does not include this item',
    test: (a, e) => !list(a).some((x) => same(x, e)),
    expected: (e) => `does not include ${show(e)}`,
  },
  includesAny: {
    value: 'scalars',
    doc: 'the list includes any of these',
    test: (a, e) => list(a).some((x) => list(e).some((y) => same(x, y))),
    expected: (e) => `includes any of ${show(e)}`,
  },
  nonEmpty: {
    value: 'none',
    doc: 'the list or text has at least one entry',
    test: (a) => (Array.isArray(a) || typeof a === 'string') && a.length > 0,
    expected: () => 'at least one entry',
  },
  gte: {
    value: 'number',
    doc: 'the value is a number of at least this',
    test: (a, e) => {
      const n = numeric(a);
      return n !== null && n >= Number(e);
    },
    expected: (e) => `at least ${show(e)}`,
  },
  lte: {
    value: 'number',
    doc: 'the value is a number of at most this',
    test: (a, e) => {
      const n = numeric(a);
      return n !== null && n <= Number(e);
    },
    expected: (e) => `at most ${show(e)}`,
  },
  /** The value is a list, and every item is one of the expected list. */
  subsetOf: {
    value: 'scalars',
    doc: 'the value is a list, and every item is one of these',
    test: (a, e) => Array.isArray(a) && a.every((x) => list(e).some((y) => same(x, y))),
    expected: (e) => `only items from ${show(e)}`,
    actual: (a, e) => {
      if (!Array.isArray(a)) return show(a);
      const extra = a.filter((x) => !list(e).some((y) => same(x, y)));
      return extra.length === 0 ? show(a) : `${show(extra)} (not allowed)`;
    },
  },
  /** Absent, or an empty value. */
  unset: {
    value: 'none',
    doc: 'the value is absent or empty',
    test: (a) => a === undefined || a === null || a === '' || (Array.isArray(a) && a.length === 0),
    expected: () => 'not set',
    actual: (a) => (a === undefined || a === null ? 'not set' : `set: ${show(a)}`),
  },
  /** No list item is newer, i.e. the list is empty. */
  empty: { value: 'none', doc: 'the value is an empty list', test: (a) => Array.isArray(a) && a.length === 0, expected: () => 'none' },
  /** No entry of a table (or list) matches one of the patterns. */
  noEntryWith: {
    value: 'patterns',
    doc: 'no entry of the table (or list) matches a pattern',
    namesOnly: true,
    test: (a, e) => offendingEntries(a, e).length === 0,
    expected: (e) => `no entry with ${(Array.isArray(e) ? e : [e]).map((p) => showPattern(p as Record<string, unknown>)).join(' or ')}`,
    actual: (a, e) => {
      if (a === undefined) return 'none configured';
      const names = offendingEntries(a, e);
      return names.length === 0 ? 'none' : names.join(', ');
    },
  },
  /** Every string in the value (or in each entry's `field`) matches one of the glob patterns. */
  allMatch: {
    value: 'match',
    doc: "every string (or each entry's `field`) matches one of the globs; `*` stops at `/`, `**` does not",
    namesOnly: true,
    test: (a, e) => unmatched(a, e).length === 0,
    expected: (e) => `every ${(e as MatchSpec).field ?? 'value'} matching ${patternsText(e as MatchSpec)}`,
    actual: (a, e) => offendersText(a, e, unmatched, 'all allowed'),
  },
  /** No string in the value (or in each entry's `field`) matches any of the glob patterns. */
  noneMatch: {
    value: 'match',
    doc: "no string (or entry's `field`) matches any of the globs: sources that name an endpoint to avoid",
    namesOnly: true,
    test: (a, e) => matching(a, e).length === 0,
    expected: (e) => `no ${(e as MatchSpec).field ?? 'value'} matching ${patternsText(e as MatchSpec)}`,
    actual: (a, e) => offendersText(a, e, matching, 'none of them matching'),
  },
  /** Of a table of flags, only the listed ones are true. */
  trueOnlyFor: {
    value: 'strings',
    doc: 'of a table of flags, only these are true',
    namesOnly: true,
    test: (a, e) => typeof a === 'object' && a !== null && Object.entries(a).every(([k, v]) => v !== true || list(e).includes(k)),
    expected: () => `nothing granted beyond Bottlerocket's default set`,
    actual: (a, e) => {
      if (typeof a !== 'object' || a === null) return show(a);
      const extra = Object.entries(a)
        .filter(([k, v]) => v === true && !list(e).includes(k))
        .map(([k]) => k);
      return extra.length === 0 ? 'only the default set' : `${extra.join(', ')} granted`;
    },
  },
  /** None of these kernel parameter tokens (`name=value`, or a bare `name`; each matched exactly) is present. */
  paramsExclude: {
    value: 'strings',
    doc: 'none of these kernel parameter tokens (`name=value`, or a bare `name`; each matched exactly) is on the command line or in `settings.boot.kernel`',
    test: (a, e) => weakeningParams(a, e).length === 0,
    expected: (e) => `none of ${show(e)}`,
    actual: (a, e) => {
      const found = weakeningParams(a, e);
      return found.length === 0 ? (a === undefined ? 'not set' : 'none of them') : found.join(' ');
    },
  },
  /** Every file is owned by the user and group (`root:root`; numeric ids and names both count). */
  ownedBy: {
    value: 'owner',
    doc: 'every file is owned by this user and group; numeric ids and names both count',
    test: (a, e) => list(a).length > 0 && wrongOwners(a, e).length === 0,
    expected: (e) => `owned by ${String(e)}`,
    actual: (a, e) => {
      const wrong = wrongOwners(a, e);
      const files = list(a) as FileMode[];
      if (files.length === 1) return `owned by ${files[0]!.owner}:${files[0]!.group}`;
      if (wrong.length === 0) return `${files.length} file(s) owned by ${String(e)}`;
      return wrong.map((f) => `${f.path} owned by ${f.owner}:${f.group}`).join(', ');
    },
  },
  /** No item of a list of `{id, severity, ageDays}` is older than the given number of days. */
  noneOlderThan: {
    value: 'number',
    doc: 'no item of a list of `{id, severity, ageDays}` is older than this many days',
    test: (a, e) => Array.isArray(a) && (a as { ageDays: number }[]).every((x) => x.ageDays <= Number(e)),
    expected: (e) => `none open longer than ${show(e)} days`,
    actual: (a, e) => {
      if (!Array.isArray(a)) return show(a);
      const old = (a as { id: string; severity: string; ageDays: number }[])
        .filter((x) => x.ageDays > Number(e))
        .sort((x, y) => y.ageDays - x.ageDays);
      if (old.length === 0) return `${a.length} open, none longer than ${show(e)} days`;
      const listed = old
        .slice(0, 5)
        .map((x) => `${x.id} (${x.severity}, ${x.ageDays} days)`)
        .join(', ');
      return `${listed}${old.length > 5 ? ` and ${old.length - 5} more` : ''}`;
    },
  },
  /**
   * The value is recorded for an auditor to judge against the expectation the check states in words (its value).
   * It holds whenever there is a value, so the loader allows it in manual checks only, which it never decides.
   */
  recorded: {
    value: 'text',
    doc: 'manual checks only: the value is recorded for the auditor, against the expectation this text states; the loader rejects it in an automated check',
    test: (a) => a !== undefined,
    expected: (e) => String(e),
  },
  /** Every file in the list has none of the mask's permission bits (modes compared as octal bit sets). */
  noModeBits: {
    value: 'mode',
    doc: 'no file has any of these permission bits ("or more restrictive" is exactly this)',
    test: (a, e) => {
      const mask = octal(e);
      return (list(a) as FileMode[]).every((f) => (f.mode & mask) === 0);
    },
    expected: (e) => `no file with any of the permission bits ${mode(octal(e))}`,
    actual: (a, e) => {
      const mask = octal(e);
      const files = list(a) as FileMode[];
      const offending = files.filter((f) => (f.mode & mask) !== 0);
      if (files.length === 1) return `mode ${mode((files[0] as FileMode).mode)}`;
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
    value: 'rules',
    doc: 'the chain holds rules matching each pattern, in this order (other rules may come between); a field may list alternatives',
    test: (a, e) => rulesMatched(list(a) as FirewallRule[], list(e) as Record<string, unknown>[]) === list(e).length,
    expected: (e) => {
      const patterns = list(e) as Record<string, unknown>[];
      return patterns.length > 1
        ? `these rules in order: ${patterns.map(showRule).join(', then ')}`
        : `the rule ${showRule(patterns[0] ?? {})}`;
    },
    actual: (a, e) => {
      const rules = list(a) as FirewallRule[];
      const patterns = list(e) as Record<string, unknown>[];
      const matched = rulesMatched(rules, patterns);
      const missing = patterns[matched];
      return missing
        ? `${rules.length} rule(s), missing "${showRule(missing)}"${matched > 0 ? ' after the earlier ones' : ''}`
        : `${rules.length} rule(s), all expected present`;
    },
  },
};
