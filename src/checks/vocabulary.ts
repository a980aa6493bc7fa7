// The words checks are written in: facts (and their keys), operators (and the shape of their values). The fact table
// (facts/registry.ts) and the operator table (operators.ts) declare them; this module checks a leaf against them at
// load, and writes the schema enums and the tables of docs/checks.md from them (scripts/gen-vocabulary.mjs;
// test/vocabulary.test.ts fails when either drifts).
import { FACTS } from '../facts/registry.js';
import { OPERATORS } from './operators.js';

/** What an operator's `value` must be. */
export type ValueShape = 'none' | 'scalar' | 'scalars' | 'strings' | 'number' | 'mode' | 'owner' | 'patterns' | 'match' | 'rules' | 'text';

const isScalar = (v: unknown): boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmptyList = (v: unknown, item: (x: unknown) => boolean): boolean => Array.isArray(v) && v.length > 0 && v.every(item);
const isString = (v: unknown): boolean => typeof v === 'string' && v.length > 0;

/** Each shape: how the docs describe it, and whether a value has it. */
export const VALUE_SHAPES: Record<ValueShape, { describe: string; holds: (value: unknown) => boolean }> = {
  none: { describe: 'no value', holds: (v) => v === undefined || v === null },
  scalar: { describe: 'a string, number or boolean', holds: isScalar },
  scalars: { describe: 'a non-empty list of strings, numbers or booleans', holds: (v) => nonEmptyList(v, isScalar) },
  strings: { describe: 'a non-empty list of strings', holds: (v) => nonEmptyList(v, isString) },
  number: { describe: 'a number of at least 0', holds: (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 },
  mode: {
    describe: 'an octal permission mask, e.g. "133"',
    holds: (v) => (typeof v === 'string' && /^[0-7]{1,4}$/.test(v)) || (Number.isInteger(v) && (v as number) >= 0),
  },
  owner: { describe: 'a user and group, `root:root`', holds: (v) => typeof v === 'string' && /^[^:\s]+:[^:\s]+$/.test(v) },
  patterns: {
    describe: 'an entry pattern (an object of field values; "$present" matches any non-empty value), or a non-empty list of them',
    holds: (v) => (isPlainObject(v) && Object.keys(v).length > 0) || nonEmptyList(v, (x) => isPlainObject(x) && Object.keys(x).length > 0),
  },
  match: {
    describe: '`{"patterns": [globs], "field"?: name, "label"?: words}`',
    holds: (v) =>
      isPlainObject(v) &&
      nonEmptyList(v.patterns, isString) &&
      (v.field === undefined || isString(v.field)) &&
      (v.label === undefined || isString(v.label)) &&
      Object.keys(v).every((k) => k === 'patterns' || k === 'field' || k === 'label'),
  },
  rules: {
    describe: 'a non-empty list of rule patterns (objects whose fields are a string or a list of alternatives)',
    holds: (v) => nonEmptyList(v, (x) => isPlainObject(x) && Object.values(x).every((f) => isString(f) || nonEmptyList(f, isString))),
  },
  text: { describe: 'the expectation in words', holds: (v) => typeof v === 'string' && v.trim().length >= 3 },
};

/** Why a leaf's value does not fit its operator, or null when it does. Parameter references hold their defaults here. */
export function valueProblem(op: string, value: unknown): string | null {
  const operator = OPERATORS[op];
  if (!operator) return null;
  const shape = VALUE_SHAPES[operator.value];
  return shape.holds(value) ? null : `operator "${op}" takes ${shape.describe}`;
}

/** Why a leaf's key does not fit its fact, or null when it does. */
export function keyProblem(fact: string, key: string | undefined): string | null {
  const definition = FACTS[fact];
  if (!definition) return null;
  if (definition.key === 'required' && key === undefined) return `fact "${fact}" needs "key" (${definition.keyDoc})`;
  if (definition.key === 'none' && key !== undefined) return `fact "${fact}" takes no "key"`;
  return null;
}

/** The pseudo-fact of settings, which the engine reads from effective settings rather than a capture. */
const SETTING_ROW = [
  '`setting`',
  '`path`: setting path without `settings`',
  "effective value: set, else Bottlerocket's default for the variant ([data/settings-defaults.json](../data/settings-defaults.json))",
];

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** Every fact name a leaf may use, in table order. */
export function factNames(): string[] {
  return ['setting', ...Object.keys(FACTS)];
}

export function operatorNames(): string[] {
  return Object.keys(OPERATORS);
}

/** The facts table of docs/checks.md. */
export function factsTable(): string {
  const rows = [
    SETTING_ROW,
    ...Object.entries(FACTS).map(([name, f]) => [
      `\`${name}\``,
      f.key === 'none' ? '—' : `${f.keyDoc}${f.key === 'optional' ? ' (optional)' : ''}`,
      f.valueDoc,
    ]),
  ];
  return ['| Fact | Key | Selected value |', '|---|---|---|', ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

/** The operators table of docs/checks.md. */
export function operatorsTable(): string {
  const rows = Object.entries(OPERATORS).map(([name, op]) => [`\`${name}\``, op.doc, VALUE_SHAPES[op.value].describe]);
  return ['| Operator | Holds when | Value |', '|---|---|---|', ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

const MARKERS = {
  facts: ['<!-- facts table: written by scripts/gen-vocabulary.mjs -->', '<!-- end of facts table -->'],
  operators: ['<!-- operators table: written by scripts/gen-vocabulary.mjs -->', '<!-- end of operators table -->'],
} as const;

/** The document with its facts and operators tables written anew between their markers. */
export function withTables(doc: string): string {
  let out = doc;
  for (const [name, table] of [
    ['facts', factsTable()],
    ['operators', operatorsTable()],
  ] as const) {
    const [begin, end] = MARKERS[name];
    const from = out.indexOf(begin);
    const to = out.indexOf(end);
    if (from === -1 || to < from) throw new Error(`docs/checks.md has no ${name} table markers`);
    out = `${out.slice(0, from + begin.length)}\n${table}\n${out.slice(to)}`;
  }
  return out;
}
