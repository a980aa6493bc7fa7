// Effective settings: Bottlerocket's defaults for the variant overlaid with the settings that were set.
import { defaultsData, holdsForVariant, type DefaultEntry } from './variants.js';
import { isObject, sameData } from '../values.js';
import { fallbackRegion, isGenerated, renderGenerated } from './registries.js';
import { memoSlot, type ScanMemo } from '../memo.js';
import { UnknownValue } from './unknown.js';

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
    // A table not known until deploy time holds unknown values.
    if (node instanceof UnknownValue) return node;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function pathMatches(pattern: readonly string[], path: readonly string[]): boolean {
  if (pattern.length !== path.length) return false;
  return pattern.every((seg, i) => seg === '*' || seg === path[i]);
}

let index: { exact: Map<string, DefaultEntry[]>; wildcard: DefaultEntry[]; below: Map<string, DefaultEntry[]> } | undefined;

/**
 * Defaults by exact path, the few with a "*" segment, and by every shorter prefix of their path (so a table such
 * as `host-containers` can be looked up with its defaults filled in), so a lookup does not scan every entry.
 */
function defaultsIndex(): NonNullable<typeof index> {
  if (!index) {
    const exact = new Map<string, DefaultEntry[]>();
    const below = new Map<string, DefaultEntry[]>();
    const wildcard: DefaultEntry[] = [];
    for (const entry of defaultsData().defaults) {
      if (entry.path.includes('*')) {
        wildcard.push(entry);
        continue;
      }
      const key = entry.path.join('\u0000');
      exact.set(key, [...(exact.get(key) ?? []), entry]);
      for (let n = 1; n < entry.path.length; n++) {
        const prefix = entry.path.slice(0, n).join('\u0000');
        below.set(prefix, [...(below.get(prefix) ?? []), entry]);
      }
    }
    index = { exact, wildcard, below };
  }
  return index;
}

/**
 * Settings tables whose keys are sysctl names. corndog turns both `.` and `/` in a key into /proc/sys path
 * separators (its sysctl_path), so `user.max_user_namespaces` and `user/max_user_namespaces` set the same sysctl.
 */
const SYSCTL_TABLE = ['kernel', 'sysctl'] as const;
const sysctlName = (key: string): string => key.replaceAll('/', '.');

/** A sysctl table's keys written with a `/`, by the dotted name they set; null when none is. Tables are never changed. */
const SLASHED_KEYS = memoSlot(
  'sysctl names written with a slash, by settings table object',
  () => new WeakMap<object, Map<string, string[]> | null>(),
);
function slashedKeysOf(table: Record<string, unknown>, memo: ScanMemo): Map<string, string[]> | null {
  const slashedKeys = memo.get(SLASHED_KEYS);
  let found = slashedKeys.get(table);
  if (found === undefined) {
    found = null;
    for (const key of Object.keys(table)) {
      if (!key.includes('/')) continue;
      found ??= new Map();
      const name = sysctlName(key);
      found.set(name, [...(found.get(name) ?? []), key]);
    }
    slashedKeys.set(table, found);
  }
  return found;
}

/** Set values laid over defaults, table by table; a set value that is not a table replaces the default. */
function overlay(base: unknown, top: unknown): unknown {
  if (top === undefined) return base;
  if (top instanceof UnknownValue) return top;
  if (!isObject(base) || !isObject(top)) return top;
  const merged: Record<string, unknown> = { ...base };
  // Own keys only, defined rather than assigned: a name such as `__proto__` (a host container may be called
  // that) is an entry like any other, never the table's prototype, where checks that list entries would miss it.
  for (const [k, v] of Object.entries(top)) {
    Object.defineProperty(merged, k, {
      value: overlay(Object.hasOwn(base, k) ? base[k] : undefined, v),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return merged;
}

/** Unset settings' defaults by what they are rendered for (defaultsKey) and path; bounded, as a scan may ask for any path. */
const DEFAULTS = memoSlot(
  'defaults of unset settings, by family, variant, region and FIPS, then path',
  () => new Map<string, Map<string, SettingLookup>>(),
);
const MAX_KNOWN_DEFAULTS = 4096;

/** The last host's set table or list per path and defaultsKey, with what it resolved to. */
const LAST_SET_OBJECTS = memoSlot(
  "the last host's set table per path, family, variant, region and FIPS, with what it resolved to",
  () => new Map<string, { value: object; found: SettingLookup }>(),
);

type TableDefaults = { defaults: Record<string, unknown>; source: string | undefined; dependsOnVariant: boolean };
/** A table's defaults, built once per path and defaultsKey: many hosts look up the same tables. */
const TABLE_DEFAULTS = memoSlot(
  'defaults below a table, by path, family, variant, region and FIPS',
  () => new Map<string, TableDefaults>(),
);

export interface SettingsSource {
  /** The settings that were set (from `apiclient get` or user data), without the `settings` wrapper. */
  set: Record<string, unknown>;
  /** The variant family, whose defaults apply; null when it is not known. */
  family: string | null;
  /** Whether the variant is a FIPS one (`…-fips`), whose own images come from FIPS endpoints. */
  fips?: boolean;
  /** The variant id, for defaults that differ between variants of one family (by Kubernetes version). */
  variantId?: string | null;
  /** What the scan shares between hosts: defaults worked out once, and tables equal to the last host's. */
  memo: ScanMemo;
  /** Settings a tool wrote rather than the file: path key → what wrote it. */
  written?: Record<string, string>;
  /** The settings that were set are not known until deploy time: the expression that gives them. */
  unknown?: string;
  /** Whether `set` may hold unknown values (only node configurations' settings do). */
  holdsUnknown?: boolean;
}

export class EffectiveSettings {
  /** Lookups already made for this host: several checks read the same table. */
  private readonly lookups = new Map<string, SettingLookup>();
  /** The region Bottlerocket renders generated defaults for (settings.aws.region), or null when none is set. */
  private readonly region: string | null;
  private readonly fips: boolean;
  private readonly variantId: string | null;
  /** What the shared caches of defaults are keyed by: the family, and what generated defaults are rendered for. */
  private readonly defaultsKey: string;

  /** The settings that were set, without the `settings` wrapper. */
  readonly set: Record<string, unknown>;
  readonly family: string | null;
  private readonly memo: ScanMemo;
  /** Settings a tool wrote rather than the file, when a node configuration says so. */
  private readonly written: Record<string, string> | undefined;
  /** Set when the settings were not all known (unknown values in the file, or the whole user data): lookups check. */
  readonly mayBeUnknown: boolean;
  private readonly unknownRoot: UnknownValue | undefined;

  constructor(source: SettingsSource) {
    this.set = source.set;
    this.family = source.family;
    this.memo = source.memo;
    this.written = source.written;
    this.unknownRoot = source.unknown === undefined ? undefined : new UnknownValue(source.unknown);
    this.mayBeUnknown = source.unknown !== undefined || source.holdsUnknown === true;
    const region = getPath(this.set, ['aws', 'region']);
    // Region names are short; anything else is not one Bottlerocket would render for.
    this.region = typeof region === 'string' && /^[a-z0-9-]{1,32}$/.test(region) ? region : null;
    this.fips = source.fips === true;
    this.variantId = source.variantId ?? null;
    this.defaultsKey = `${this.family ?? ''}\u0002${this.variantId ?? ''}\u0002${this.region ?? ''}\u0002${this.fips ? 'fips' : ''}`;
  }

  /** A default as the node has it: values Bottlerocket generates from the region rendered, saying for which. */
  private rendered(entry: DefaultEntry): { value: unknown; source: string } {
    if (!isGenerated(entry.value)) return { value: entry.value, source: entry.source };
    const region = this.region ?? fallbackRegion();
    const where = this.region ? `for ${region}` : `shown for ${region}, as settings.aws.region is not in this input`;
    return {
      value: renderGenerated(entry.value, region, this.fips),
      source: `${entry.source}, ${where}${this.fips ? ' on a FIPS variant' : ''}`,
    };
  }

  /**
   * Every set path that names the same setting as `path` in another spelling (a sysctl key written with `/`),
   * with `path` itself first when it is set too; undefined when no other spelling is set, as on nearly every host.
   */
  spellings(path: readonly string[]): (readonly string[])[] | undefined {
    if (path.length !== 3 || path[0] !== SYSCTL_TABLE[0] || path[1] !== SYSCTL_TABLE[1]) return undefined;
    const table = getPath(this.set, SYSCTL_TABLE);
    if (!isObject(table)) return undefined;
    const others = slashedKeysOf(table, this.memo)?.get(sysctlName(path[2] as string));
    if (others === undefined) return undefined;
    const written = others.filter((k) => k !== path[2]).map((k) => [SYSCTL_TABLE[0], SYSCTL_TABLE[1], k]);
    return Object.hasOwn(table, path[2] as string) ? [path, ...written] : written;
  }

  /** pathKey is path joined with NUL, when the caller has it already. */
  lookup(path: readonly string[], pathKey = path.join('\u0000')): SettingLookup {
    let found = this.lookups.get(pathKey);
    if (!found) {
      found = this.resolve(path, pathKey);
      this.lookups.set(pathKey, found);
    }
    return found;
  }

  /** What wrote a set value, when a tool did rather than the file: the path or a table above it. */
  writtenBy(pathKey: string): string | undefined {
    const written = this.written;
    if (written === undefined) return undefined;
    const exact = written[pathKey];
    if (exact !== undefined) return exact;
    // A table a tool wrote whole: a few entries at most, so each is tried as a prefix without building any.
    for (const key in written) if (pathKey.startsWith(key) && pathKey.charCodeAt(key.length) === 0) return written[key];
    return undefined;
  }

  private resolve(path: readonly string[], pathKey: string): SettingLookup {
    const value = getPath(this.set, path);
    if (value instanceof UnknownValue) return { state: 'set', value };
    // User data not known until deploy time may set anything a tool did not.
    if (value === undefined && this.unknownRoot !== undefined) return { state: 'set', value: this.unknownRoot };
    const nested = defaultsIndex().below.get(pathKey);
    if (nested && (value === undefined || isObject(value))) {
      if (value === undefined) return this.lookupTable(path, pathKey, value, nested);
      return this.shared(pathKey, value, () => this.lookupTable(path, pathKey, value, nested));
    }
    if (value === undefined) return this.defaultOf(path, pathKey);
    return typeof value === 'object' && value !== null
      ? this.shared(pathKey, value, () => ({ state: 'set', value }))
      : { state: 'set', value };
  }

  /**
   * A table or list that was set, as the previous host with the same data at this path and family got it: the
   * same object, so checks that read it reuse what they found there. Settings are never changed once parsed.
   */
  private shared(pathKey: string, value: object, resolve: () => SettingLookup): SettingLookup {
    const key = `${pathKey}\u0001${this.defaultsKey}`;
    const lastSetObjects = this.memo.get(LAST_SET_OBJECTS);
    const last = lastSetObjects.get(key);
    if (last !== undefined && sameData(last.value, value)) return last.found;
    const found = resolve();
    if (lastSetObjects.size >= MAX_KNOWN_DEFAULTS && last === undefined) lastSetObjects.clear();
    lastSetObjects.set(key, { value, found });
    return found;
  }

  /** What an unset setting resolves to on this family: the same for every host of it, so worked out once. */
  private defaultOf(path: readonly string[], pathKey: string): SettingLookup {
    const family = this.defaultsKey;
    const defaultsByFamily = this.memo.get(DEFAULTS);
    let known = defaultsByFamily.get(family);
    if (!known) {
      if (defaultsByFamily.size >= MAX_KNOWN_DEFAULTS) defaultsByFamily.clear();
      defaultsByFamily.set(family, (known = new Map()));
    }
    let found = known.get(pathKey);
    if (!found) {
      if (known.size >= MAX_KNOWN_DEFAULTS) known.clear();
      known.set(pathKey, (found = Object.freeze(this.findDefault(path, pathKey))));
    }
    return found;
  }

  private findDefault(path: readonly string[], pathKey: string): SettingLookup {
    const { exact, wildcard } = defaultsIndex();
    let dependsOnVariant = false;
    for (const entries of [exact.get(pathKey), wildcard]) {
      for (const entry of entries ?? []) {
        if (!pathMatches(entry.path, path)) continue;
        if (entry.families === '*' || (this.family !== null && entry.families.includes(this.family))) {
          const holds = holdsForVariant(entry, this.variantId);
          // A default that changed between variants of the family cannot be told without the variant id.
          if (holds === null) return { state: 'unknown-default' };
          if (holds) return { state: 'default', ...this.rendered(entry) };
          continue;
        }
        dependsOnVariant = true;
      }
    }
    return dependsOnVariant && this.family === null ? { state: 'unknown-default' } : { state: 'unset' };
  }

  /** A table with the defaults below it filled in, e.g. every host container with its effective fields. */
  private lookupTable(
    path: readonly string[],
    pathKey: string,
    value: Record<string, unknown> | undefined,
    entries: DefaultEntry[],
  ): SettingLookup {
    const key = `${pathKey}\u0001${this.defaultsKey}`;
    const tableDefaults = this.memo.get(TABLE_DEFAULTS);
    let cached = tableDefaults.get(key);
    if (!cached) {
      if (tableDefaults.size >= MAX_KNOWN_DEFAULTS) tableDefaults.clear();
      tableDefaults.set(key, (cached = this.buildDefaults(path, entries)));
    }
    const { defaults, source, dependsOnVariant } = cached;
    if (value !== undefined) return { state: 'set', value: overlay(defaults, value) };
    if (source !== undefined) return { state: 'default', value: defaults, source };
    return dependsOnVariant && this.family === null ? { state: 'unknown-default' } : { state: 'unset' };
  }

  private buildDefaults(path: readonly string[], entries: DefaultEntry[]): TableDefaults {
    let defaults: Record<string, unknown> = {};
    let source: string | undefined;
    let dependsOnVariant = false;
    for (const entry of entries) {
      const holds = holdsForVariant(entry, this.variantId);
      if (entry.families !== '*' && (this.family === null || !entry.families.includes(this.family))) {
        dependsOnVariant = true;
        continue;
      }
      if (holds !== true) {
        dependsOnVariant ||= holds === null;
        continue;
      }
      const table: Record<string, unknown> = {};
      let leaf: Record<string, unknown> = table;
      const rest = entry.path.slice(path.length);
      const rendered = this.rendered(entry);
      rest.forEach((part, i) => {
        if (i === rest.length - 1) leaf[part] = rendered.value;
        else leaf = leaf[part] = {};
      });
      defaults = overlay(defaults, table) as Record<string, unknown>;
      source ??= rendered.source;
    }
    // Shared by every host of the family, so never changed.
    return { defaults: deepFreeze(defaults), source, dependsOnVariant };
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
