// What a fact is to the engine: the captures that hold it, how it is parsed, and how a check selects part of it.
import type { HostInput } from '../types.js';
import type { ScanMemo } from '../memo.js';
import type { Fact } from './captures.js';

/** A selected value, or that the capture is usable but does not hold this item. */
/**
 * A selected value; that the capture is usable but does not hold this item; or that the capture is structurally
 * incomplete for this item (a listing that lacks a part its command always prints), which makes it unusable.
 */
export type Selection = { found: true; value: unknown } | { found: false; value?: undefined; incomplete?: string };

export const found = (value: unknown): Selection => ({ found: true, value });
export const missing: Selection = { found: false };

export interface FactDefinition<T = unknown> {
  /** Whether a leaf names a key of the fact, checked when a check is loaded. */
  key: 'required' | 'optional' | 'none';
  /** What the key is, and what the fact selects, in words: the facts table of docs/checks.md. */
  keyDoc: string;
  valueDoc: string;
  /** Capture keys that hold this fact; the first present one is used. `{key}` is the leaf's key. */
  captures: readonly string[];
  /** Whether empty stdout is a valid output. */
  allowEmpty: boolean;
  /** Why empty output cannot be used, where "empty output" would not say enough. */
  emptyProblem?: string;
  /** The file the command reads may not exist: failing with only "No such file or directory" is empty output, parsed. */
  fileMayBeAbsent?: boolean;
  /** Whether the leaf's key is part of the capture key (modprobe per module). */
  keyedCapture?: boolean;
  /** Parses the capture; parsers that share work between hosts keep it in the scan's memo. */
  parse(stdout: string, memo: ScanMemo): T;
  /**
   * Selects part of the parsed fact. Not found means the item is absent from a usable capture; for
   * facts where absence is itself evidence (a module not loaded, an unset key) select returns found.
   */
  select(value: T, key: string | undefined): Selection;
  /** How the selected item is named in reasons, e.g. `fs.suid_dumpable`. */
  describe(key: string | undefined): string;
  /**
   * For facts that come from the input itself rather than a capture (AWS evidence, a node definition's fields), or
   * from what the host has already read (its settings as written).
   */
  fromInput?(input: HostInput, host: { writtenSettings: Fact<Record<string, unknown>> }): Fact<unknown>;
}

export function define<T>(definition: FactDefinition<T>): FactDefinition<unknown> {
  return definition as FactDefinition<unknown>;
}
