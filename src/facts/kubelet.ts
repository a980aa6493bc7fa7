// The kubelet configuration YAML (`cat /etc/kubernetes/kubelet/config`).
import { ParseError } from './parse-error.js';
// js-yaml: about ten times faster than the alternatives on a kubelet config, which every Kubernetes host has.
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { isObject } from '../values.js';
import { memoSlot, type ScanMemo } from '../memo.js';

/**
 * The kubelet configuration YAML, which must be a mapping, read exactly as a YAML parser reads the whole document.
 * (A hand-made split into entries once read some invalid documents, such as one with a byte-order mark before
 * `---`, as valid ones, and so turned errors into passes.)
 */
export function parseKubeletConfig(text: string, memo: ScanMemo): Record<string, unknown> {
  const doc = fromSkeleton(text, memo.get(SKELETONS)) ?? parseWhole(text);
  if (!isObject(doc)) throw new ParseError('not a YAML mapping');
  return doc;
}

/** A YAML document that must be a mapping (a kube-proxy config), read whole. */
export function parseYamlMapping(text: string): Record<string, unknown> {
  const doc = parseWhole(text);
  if (!isObject(doc)) throw new ParseError('not a YAML mapping');
  return doc;
}

function parseWhole(text: string): unknown {
  try {
    return loadYaml(text, { schema: CORE_SCHEMA });
  } catch (err) {
    throw new ParseError(`not YAML (${(err as Error).message.split('\n', 1)[0]})`);
  }
}

/*
 * Nodes of a fleet print the same kubelet config but for a few one-line entries (`providerID: aws:///…/i-…`,
 * `maxPods: 29`). Each such `key: value` line at column 0 is replaced by a placeholder value, and the resulting
 * skeleton is parsed whole once and shared. A line counts as replaced only if, in the parsed skeleton, its key's
 * top-level value is exactly its placeholder: then the line is that key's one top-level entry and a plain scalar
 * (not a line inside a quoted string, a flow collection or a multi-line scalar), and nothing else in the document
 * depends on its text. Anything else, or a text that holds the placeholder's prefix, is parsed whole.
 */
const PLACEHOLDER = 'brsec-skeleton-value-';
/** A one-line entry whose value YAML's core schema reads as a string (letters first, no space, quote, comment or
 * flow character, no `:` before a space or the end) or as a decimal integer. */
const SIMPLE_LINE = /^([A-Za-z][A-Za-z0-9_-]*): (?:([A-Za-z][A-Za-z0-9/._-]*(?::[A-Za-z0-9/._-]+)*)|(0|[1-9][0-9]{0,14}))(\r?)$/;
const NOT_STRINGS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);

interface Skeleton {
  /** The text with each replaced line's value a placeholder; built only when it may differ from the last host's. */
  text: string | null;
  /** The key and value of each replaced line, in the order of their placeholders. */
  entries: [string, string | number][];
}

/** A line's key and value when it is a one-line entry to replace, else null. */
function replaceable(line: string): [string, string | number] | null {
  const c = line.charCodeAt(0);
  // Only lines that start with a letter can be top-level `key: value` entries.
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return null;
  const match = SIMPLE_LINE.exec(line);
  if (match === null) return null;
  const [, key, string, integer] = match as unknown as [string, string, string | undefined, string | undefined];
  if (string !== undefined && NOT_STRINGS.has(string)) return null;
  return [key, integer !== undefined ? Number(integer) : (string as string)];
}

type Lines = { lines: string[]; entries: ([string, string | number] | null)[] };

/** What a scan keeps of the kubelet configs it has read. */
interface SkeletonMemo {
  /**
   * The last host's lines, what each became, and its parsed skeleton. Hosts of a fleet print the same lines but for
   * the replaced ones, so a line equal to the last host's at the same place is not matched again, and when only
   * replaced lines differ the skeleton is the last one (no text is built or looked up).
   */
  last: (Lines & { doc: Record<string, unknown> }) | null;
  /** The lines of the host being read, kept as `last` once its skeleton proves sound. */
  pending: Lines | null;
  /** Parsed skeletons that proved sound (or null when they did not), by skeleton text; a few, as fleets mix a few configs. */
  skeletons: Map<string, Record<string, unknown> | null>;
}

const SKELETONS = memoSlot<SkeletonMemo>("kubelet config skeletons by skeleton text, and the last host's lines", () => ({
  last: null,
  pending: null,
  skeletons: new Map(),
}));

function skeletonOf(text: string, memo: SkeletonMemo): Skeleton {
  const previous = memo.last;
  let sameSkeleton = previous !== null;
  // The lines as `text.split('\n')` gives them; one equal to the last host's line at the same place keeps that
  // host's string and entry, so a fleet's hosts keep only the strings of the lines that differ.
  const lines: string[] = [];
  const perLine: ([string, string | number] | null)[] = [];
  const entries: [string, string | number][] = [];
  for (let start = 0, i = 0; start <= text.length; i++) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const before = previous?.lines[i];
    let line = text.slice(start, end);
    let entry: [string, string | number] | null;
    if (line === before) {
      line = before;
      entry = previous!.entries[i] as [string, string | number] | null;
    } else {
      entry = replaceable(line);
      // The skeleton stays the last one while every line is the same or a replaced line of the same key.
      if (entry === null || previous?.entries[i]?.[0] !== entry[0]) sameSkeleton = false;
    }
    lines.push(line);
    perLine.push(entry);
    if (entry !== null) entries.push(entry);
    start = end + 1;
  }
  if (previous !== null && previous.lines.length !== lines.length) sameSkeleton = false;
  memo.pending = { lines, entries: perLine };
  if (sameSkeleton) return { text: null, entries };
  let n = 0;
  const skeletonText = lines
    .map((line, i) =>
      perLine[i] ? `${(perLine[i] as [string, unknown])[0]}: ${PLACEHOLDER}${n++}${line.endsWith('\r') ? '\r' : ''}` : line,
    )
    .join('\n');
  return { text: skeletonText, entries };
}

const MAX_SKELETONS = 8;
/** Larger configs are far beyond any real one and are parsed whole, so a few odd inputs cannot hold much memory. */
const MAX_SKELETON_TEXT = 64 * 1024;

function parsedSkeleton(text: string, entries: readonly [string, unknown][], { skeletons }: SkeletonMemo): Record<string, unknown> | null {
  let doc = skeletons.get(text);
  if (doc !== undefined) return doc;
  doc = null;
  try {
    const parsed = loadYaml(text, { schema: CORE_SCHEMA });
    if (isObject(parsed) && entries.every(([key], i) => Object.hasOwn(parsed, key) && parsed[key] === `${PLACEHOLDER}${i}`))
      doc = withFastProperties(parsed);
  } catch {
    doc = null;
  }
  if (skeletons.size >= MAX_SKELETONS) skeletons.delete(skeletons.keys().next().value as string);
  skeletons.set(text, doc);
  return doc;
}

/**
 * The same entries in an object V8 keeps in fast mode: the YAML parser's objects are dictionaries, and each host's
 * copy of the skeleton costs 5 µs from one and 0.4 µs from this. (A spread defines `__proto__` as an own entry.)
 */
function withFastProperties(parsed: Record<string, unknown>): Record<string, unknown> {
  return { ...parsed };
}

function fromSkeleton(text: string, memo: SkeletonMemo): Record<string, unknown> | null {
  if (text.length > MAX_SKELETON_TEXT) return null;
  const skeleton = skeletonOf(text, memo);
  // A text that holds the placeholder's prefix could pass off another line as a replaced one: it is parsed whole.
  // (When the skeleton is the last host's, every line but the replaced ones is that host's, which had none.)
  if (skeleton.entries.length === 0 || (skeleton.text !== null && text.includes(PLACEHOLDER))) return null;
  const shared =
    skeleton.text === null ? (memo.last as NonNullable<SkeletonMemo['last']>).doc : parsedSkeleton(skeleton.text, skeleton.entries, memo);
  if (shared === null) return null;
  memo.last = { ...(memo.pending as Lines), doc: shared };
  const doc: Record<string, unknown> = { ...shared };
  for (const [key, value] of skeleton.entries) {
    // Defined, never assigned, for `__proto__`: it stays an entry.
    if (key === '__proto__') Object.defineProperty(doc, key, { value, enumerable: true, writable: true, configurable: true });
    else doc[key] = value;
  }
  return doc;
}
