// Library options checked with the rules the CLI's flags have, before anything is read: a mistyped gate option
// (`failOn: 'HIGH'`, `fail_on`) throws a UsageError naming it, never weakens the gate to a silent pass.
import { UsageError } from './errors.js';
import { SEVERITIES } from './types.js';
import { variantFromFlag } from './settings/variants.js';
import { parseGroupBy } from './groups.js';

/** The options `scan()` and `scanFiles()` take; `scanFleet()` takes these and its own. */
export const SCAN_OPTION_NAMES = [
  'level',
  'profiles',
  'checks',
  'skip',
  'parameters',
  'optIn',
  'failOn',
  'strict',
  'variant',
  'catalog',
  'now',
  'waivers',
  'baseline',
  'locate',
  'memo',
  'groupBy',
] as const;

const describe = (value: unknown): string =>
  typeof value === 'string' ? `"${value.slice(0, 40)}"` : Array.isArray(value) ? 'a list' : typeof value;

function expectType(name: string, value: unknown, type: 'boolean' | 'function' | 'object'): void {
  const ok = type === 'object' ? typeof value === 'object' && value !== null && !Array.isArray(value) : typeof value === type;
  if (!ok) throw new UsageError(`${name} must be ${type === 'object' ? 'an object' : `a ${type}`}, not ${describe(value)}`, name);
}

function expectStrings(name: string, value: unknown): void {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new UsageError(`${name} must be a list of strings, not ${describe(value)}`, name);
}

/** Checks options against the names a function takes (`known`) and the rules of the scan options among them. */
export function checkOptions(options: object, known: readonly string[]): void {
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (o[key] === undefined) continue;
    if (!known.includes(key)) {
      const near = known.find((k) => k.toLowerCase().replace(/[^a-z]/g, '') === key.toLowerCase().replace(/[^a-z]/g, ''));
      throw new UsageError(`unknown option "${key}"${near ? ` (did you mean ${near}?)` : ''}`, key);
    }
  }
  if (o.failOn !== undefined && !SEVERITIES.includes(o.failOn as never))
    throw new UsageError(`failOn must be one of ${SEVERITIES.join(', ')}, not ${describe(o.failOn)}`, 'failOn');
  if (o.level !== undefined && o.level !== 1 && o.level !== 2)
    throw new UsageError(`level must be 1 or 2, not ${describe(o.level)}`, 'level');
  for (const name of ['strict', 'locate', 'memo'] as const) if (o[name] !== undefined) expectType(name, o[name], 'boolean');
  for (const name of ['profiles', 'checks', 'skip', 'optIn'] as const) if (o[name] !== undefined) expectStrings(name, o[name]);
  if (o.parameters !== undefined) expectType('parameters', o.parameters, 'object');
  if (o.now !== undefined) expectType('now', o.now, 'function');
  if (o.variant !== undefined) {
    if (typeof o.variant !== 'string') throw new UsageError(`variant must be a string, not ${describe(o.variant)}`, 'variant');
    variantFromFlag(o.variant);
  }
  if (o.groupBy !== undefined) {
    if (typeof o.groupBy !== 'string') throw new UsageError(`groupBy must be a string, not ${describe(o.groupBy)}`, 'groupBy');
    parseGroupBy(o.groupBy);
  }
  for (const name of ['waivers', 'baseline'] as const)
    if (o[name] !== undefined && typeof o[name] !== 'string') expectType(name, o[name], 'object');
}
