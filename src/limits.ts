// The bounds brsec holds what a host or a file gives it to, at the input boundary: past one, that input is an input
// error naming the bound, and every other input is still scanned. The README's "Limits" section lists them.

export const LIMITS = {
  /** An input file; a snapshot is about 60 KB, a fleet's largest a few hundred. */
  inputBytes: 64 * 1024 * 1024,
  /** One capture's output; a full `sysctl -a` is about 40 KB. */
  captureChars: 16 * 1024 * 1024,
  /** A host's id and name; an instance id is 19 characters, a DNS name at most 253. */
  hostIdChars: 256,
  /** A host's region, which every finding repeats; the longest AWS region name is under 20 characters. */
  regionChars: 64,
  /** A host's tags, and each key and value (EC2 allows 50 tags, keys of 128 and values of 256 characters). */
  tags: 64,
  tagChars: 256,
  /** Settings nesting and entries; Bottlerocket's settings are a few levels deep and a few hundred entries. */
  settingsDepth: 32,
  settingsEntries: 50_000,
  /** A node configuration document's nesting; a CloudFormation template or a manifest is a dozen levels deep. */
  documentDepth: 64,
} as const;

/** Whether a parsed document nests deeper than `max` levels; recurses at most max + 1 levels. */
export function nestedDeeperThan(value: unknown, max: number, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth >= max) return true;
  for (const child of Array.isArray(value) ? value : Object.values(value)) if (nestedDeeperThan(child, max, depth + 1)) return true;
  return false;
}

/**
 * The first place a settings table breaks a bound, or null. Every host's settings are walked, so the walk allocates
 * nothing; it recurses at most settingsDepth + 2 levels, as it stops below that.
 */
export function settingsProblem(settings: unknown): string | null {
  const walk = { entries: 0 };
  if (typeof settings !== 'object' || settings === null) return null;
  const depth = deepestWithin(settings, 0, walk);
  if (depth > LIMITS.settingsDepth) return `settings nested deeper than ${LIMITS.settingsDepth} levels, brsec's limit`;
  if (walk.entries > LIMITS.settingsEntries) return `more than ${LIMITS.settingsEntries} settings entries, brsec's limit`;
  return null;
}

/** The depth of the deepest table or list at or below value (at `depth`), counting entries; stops past either bound. */
function deepestWithin(value: object, depth: number, walk: { entries: number }): number {
  if (depth > LIMITS.settingsDepth) return depth;
  let deepest = depth;
  if (Array.isArray(value)) {
    walk.entries += value.length;
    for (let i = 0; i < value.length && walk.entries <= LIMITS.settingsEntries; i++) {
      const child: unknown = value[i];
      if (typeof child === 'object' && child !== null) deepest = Math.max(deepest, deepestWithin(child, depth + 1, walk));
      if (deepest > LIMITS.settingsDepth) return deepest;
    }
    return deepest;
  }
  const table = value as Record<string, unknown>;
  // for-in walks a parsed table's own keys (JSON and TOML tables inherit no enumerable ones) without a key array.
  for (const key in table) {
    if (++walk.entries > LIMITS.settingsEntries) return deepest;
    const child = table[key];
    if (typeof child === 'object' && child !== null) deepest = Math.max(deepest, deepestWithin(child, depth + 1, walk));
    if (deepest > LIMITS.settingsDepth) return deepest;
  }
  return deepest;
}
