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
} as const;

/** The first place a settings table breaks a bound, or null. Iterative, so a table nested beyond any stack is fine. */
export function settingsProblem(settings: unknown): string | null {
  let entries = 0;
  const stack: [unknown, number][] = [[settings, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value !== 'object' || value === null) continue;
    if (depth > LIMITS.settingsDepth) return `settings nested deeper than ${LIMITS.settingsDepth} levels, brsec's limit`;
    const children = Array.isArray(value) ? value : Object.values(value);
    entries += children.length;
    if (entries > LIMITS.settingsEntries) return `more than ${LIMITS.settingsEntries} settings entries, brsec's limit`;
    for (const child of children) stack.push([child, depth + 1]);
  }
  return null;
}
