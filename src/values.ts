// Small predicates over parsed JSON, YAML and TOML values.

/** A table (object) rather than null, an array or a scalar. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
