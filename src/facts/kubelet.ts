// The kubelet configuration YAML (`cat /etc/kubernetes/kubelet/config`).
import { ParseError } from './parse-error.js';
// js-yaml: about ten times faster than the alternatives on a kubelet config, which every Kubernetes host has.
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { isObject } from '../values.js';

/** A top-level entry's key and value. */
type Entry = readonly [string, unknown];

/*
 * Across a fleet, kubelet configs differ in a few top-level entries (`providerID`, `maxPods`, `kubeReserved`),
 * so each entry's text is parsed once and its value shared by every host with the same text. Values are never
 * changed (facts are read-only), which makes sharing safe. Two bounded generations approximate
 * least-recently-used cheaply: entries every host repeats stay, the ones unique to a host (its providerID) age
 * out, and memory does not grow with the fleet.
 */
let recentEntries = new Map<string, Entry>();
let olderEntries = new Map<string, Entry>();
const GENERATION_SIZE = 512;

function cachedEntry(entryText: string): Entry | undefined {
  const recent = recentEntries.get(entryText);
  if (recent !== undefined) return recent;
  const older = olderEntries.get(entryText);
  if (older !== undefined) keepEntry(entryText, older);
  return older;
}

/** Entries longer than this (a real one is a few lines) are parsed but not kept, so memory stays small. */
const MAX_KEPT_ENTRY = 4096;

function keepEntry(entryText: string, entry: Entry): void {
  if (entryText.length > MAX_KEPT_ENTRY) return;
  if (recentEntries.size >= GENERATION_SIZE) {
    olderEntries = recentEntries;
    recentEntries = new Map();
  }
  recentEntries.set(entryText, entry);
}

/** The kubelet configuration YAML, which must be a mapping. */
export function parseKubeletConfig(text: string): Record<string, unknown> {
  const doc = parseByEntry(text) ?? parseWhole(text);
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

/**
 * Top-level entries of a block mapping, each with the indented lines, sequence items and comments under it.
 * Null when the document has anything that could tie entries together or that this split does not model
 * (directives, a second document, complex keys, a top-level sequence or scalar): the whole text is parsed then.
 */
export function splitTopLevelEntries(text: string): string[] | null {
  const entries: string[] = [];
  let start = -1;
  let at = 0;
  let first = true;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end === -1) end = text.length;
    const c = text.charCodeAt(at);
    const lineIsEmpty = end === at || (end === at + 1 && c === 13);
    // Indented lines, blank lines and comments belong to the entry above them; content before the first entry
    // belongs to none, so the whole parse judges it.
    if (start === -1 && !lineIsEmpty && (c === 32 || c === 9) && !/^[ \t]*(#|\r?$)/.test(text.slice(at, end))) return null;
    if (!lineIsEmpty && c !== 32 && c !== 9 && c !== 35) {
      const next = text.charCodeAt(at + 1);
      const sequenceItem = c === 45 && (at + 1 >= end || next === 32 || next === 9 || next === 13);
      if (c === 45 && text.startsWith('---', at)) {
        // Only an opening document marker, before any entry, with nothing after it on the line.
        if (!first || text.slice(at + 3, end).trim() !== '') return null;
      } else if (sequenceItem) {
        if (start === -1) return null;
      } else if (c === 37 || c === 63 || c === 58 || c === 46 || c === 123 || c === 91) {
        // `%` directive, `?` complex key, `:` value without key, `...` document end, top-level flow collection.
        return null;
      } else {
        if (start !== -1) entries.push(text.slice(start, at));
        start = at;
      }
      first = false;
    }
    at = end + 1;
  }
  if (start === -1) return null;
  entries.push(text.slice(start));
  return entries;
}

/*
 * A one-line `key: value` whose value YAML's core schema can only read as a string (it starts with a letter, has no
 * space, quote, comment or flow character, no `:` before a space or the end, and is not a null or a boolean) or as a
 * decimal integer. Such entries (`providerID`, `maxPods`) are what differs between nodes, and a YAML parse of
 * one line costs more than the rest of the config's lookups.
 */
const SIMPLE_ENTRY = /^([A-Za-z][A-Za-z0-9_-]*): (?:([A-Za-z][A-Za-z0-9/._-]*(?::[A-Za-z0-9/._-]+)*)|(0|[1-9][0-9]{0,14}))\r?\n?$/;
const NOT_STRINGS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);

function simpleEntry(entryText: string): Entry | null {
  const match = SIMPLE_ENTRY.exec(entryText);
  if (match === null) return null;
  const [, key, text, integer] = match as unknown as [string, string, string | undefined, string | undefined];
  if (integer !== undefined) return [key, Number(integer)];
  return text === undefined || NOT_STRINGS.has(text) ? null : [key, text];
}

function parseEntry(entryText: string): Entry | null {
  const simple = simpleEntry(entryText);
  if (simple !== null) return simple;
  let value: unknown;
  try {
    value = loadYaml(entryText, { schema: CORE_SCHEMA });
  } catch {
    // The entry may need text outside it (an alias, a multi-line flow value): the whole parse decides.
    return null;
  }
  if (!isObject(value)) return null;
  const keys = Object.keys(value);
  if (keys.length !== 1) return null;
  const key = keys[0] as string;
  return [key, value[key]];
}

/** An entry's key and value, from the cache or parsed and kept; null when the whole text must be parsed instead. */
function entryOf(entryText: string): Entry | null {
  const known = cachedEntry(entryText);
  if (known !== undefined) return known;
  const parsed = parseEntry(entryText);
  if (parsed !== null) keepEntry(entryText, parsed);
  return parsed;
}

/*
 * The previous config's entries by position. Most entries equal the one at the same place on the previous host, and
 * comparing two strings is cheaper than hashing one for the cache, which V8 does in full for every new string.
 */
let previousTexts: string[] = [];
let previousEntries: Entry[] = [];
let previousDoc: Record<string, unknown> | null = null;

/**
 * The previous config with its changed entries replaced, when every entry that changed kept its key and place
 * (a node's `providerID`, `maxPods`): copying a document is cheaper than building one key by key. Null otherwise.
 */
function changedFromPrevious(entries: string[]): { doc: Record<string, unknown>; parsed: Entry[] } | null {
  if (previousDoc === null || entries.length !== previousTexts.length) return null;
  let doc: Record<string, unknown> | null = null;
  let parsed: Entry[] | null = null;
  for (let i = 0; i < entries.length; i++) {
    const entryText = entries[i] as string;
    if (previousTexts[i] === entryText) continue;
    const entry = entryOf(entryText);
    if (entry === null) return null;
    if (entry[0] !== (previousEntries[i] as Entry)[0]) return null;
    doc ??= { ...previousDoc };
    parsed ??= previousEntries.slice();
    doc[entry[0]] = entry[1];
    parsed[i] = entry;
  }
  return { doc: doc ?? { ...previousDoc }, parsed: parsed ?? previousEntries };
}

function parseByEntry(text: string): Record<string, unknown> | null {
  const entries = splitTopLevelEntries(text);
  if (entries === null) return null;
  const changed = changedFromPrevious(entries);
  if (changed !== null) {
    previousTexts = entries;
    previousEntries = changed.parsed;
    previousDoc = changed.doc;
    return changed.doc;
  }
  const doc: Record<string, unknown> = {};
  const parsedEntries: Entry[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entryText = entries[i] as string;
    const entry = previousTexts[i] === entryText ? (previousEntries[i] as Entry) : entryOf(entryText);
    if (entry === null) return null;
    parsedEntries.push(entry);
    const [key, value] = entry;
    // A repeated key is an error the whole parse reports; `__proto__` must not become a prototype.
    if (key === '__proto__' || Object.prototype.hasOwnProperty.call(doc, key)) return null;
    doc[key] = value;
  }
  previousTexts = entries;
  previousEntries = parsedEntries;
  previousDoc = doc;
  return doc;
}
