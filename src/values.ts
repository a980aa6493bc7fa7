// Small predicates over parsed JSON, YAML and TOML values.

/** A table (object) rather than null, an array or a scalar. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MAX_COMPARED_DEPTH = 64;

const isPlainTable = (value: object): boolean => {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/**
 * Whether two parsed values are the same data: equal scalars, or arrays and plain tables whose items and entries
 * are, with keys in the same order (a table is shown with its keys in order). Other objects (a TOML date) are the
 * same only when they are one object.
 */
export function sameData(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  // Values nested deeper than any real setting are called different, rather than compared on an exhausted stack.
  if (depth >= MAX_COMPARED_DEPTH) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(b) || !isPlainTable(a) || !isPlainTable(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (let i = 0; i < keysA.length; i++) {
    const key = keysA[i] as string;
    if (key !== keysB[i] || !sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/**
 * A parsed value as text, whatever a host put there: strings as they are, other scalars as JavaScript prints them,
 * nothing as '', and tables and lists as JSON. Never `String()` or a template literal on host data: a table with its
 * own `toString` key makes those throw ("Cannot convert object to primitive value").
 */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  if (typeof value !== 'object') return String(value);
  return jsonOf(value);
}

/** JSON of a parsed value; big integers (TOML's) as digits, and a value JSON cannot hold as a marker, never a throw. */
export function jsonOf(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';
  } catch {
    return '(a value that cannot be shown)';
  }
}
