// Effective settings: Bottlerocket's defaults for the variant overlaid with the settings that were set.
import { defaultsData, type DefaultEntry } from './variants.js';

export type SettingLookup =
  | { state: 'set'; value: unknown }
  | { state: 'default'; value: unknown; source: string }
  | { state: 'unset' }
  /** Not set, and the default depends on a variant that is not known. */
  | { state: 'unknown-default' };

function getPath(root: Record<string, unknown>, path: readonly string[]): unknown {
  let node: unknown = root;
  for (const part of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function pathMatches(pattern: readonly string[], path: readonly string[]): boolean {
  if (pattern.length !== path.length) return false;
  return pattern.every((seg, i) => seg === '*' || seg === path[i]);
}

let index: { exact: Map<string, DefaultEntry[]>; wildcard: DefaultEntry[] } | undefined;

/** Defaults by exact path, and the few with a "*" segment, so a lookup does not scan every entry. */
function defaultsIndex(): NonNullable<typeof index> {
  if (!index) {
    const exact = new Map<string, DefaultEntry[]>();
    const wildcard: DefaultEntry[] = [];
    for (const entry of defaultsData().defaults) {
      if (entry.path.includes('*')) wildcard.push(entry);
      else {
        const key = entry.path.join('\u0000');
        exact.set(key, [...(exact.get(key) ?? []), entry]);
      }
    }
    index = { exact, wildcard };
  }
  return index;
}

export class EffectiveSettings {
  constructor(
    /** The settings that were set (from `apiclient get` or user data), without the `settings` wrapper. */
    readonly set: Record<string, unknown>,
    readonly family: string | null,
  ) {}

  /** pathKey is path joined with NUL, when the caller has it already. */
  lookup(path: readonly string[], pathKey = path.join('\u0000')): SettingLookup {
    const value = getPath(this.set, path);
    if (value !== undefined) return { state: 'set', value };
    let dependsOnVariant = false;
    const { exact, wildcard } = defaultsIndex();
    for (const entry of [...(exact.get(pathKey) ?? []), ...wildcard]) {
      if (!pathMatches(entry.path, path)) continue;
      if (entry.families === '*' || (this.family !== null && entry.families.includes(this.family))) {
        return { state: 'default', value: entry.value, source: entry.source };
      }
      dependsOnVariant = true;
    }
    return dependsOnVariant && this.family === null ? { state: 'unknown-default' } : { state: 'unset' };
  }
}
