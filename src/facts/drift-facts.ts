// Drift: the settings a live host has against the user data it was launched with (`--drift FILE`). Only what the
// user data sets is compared: a live value that user data never named cannot be told from a default or a value
// Bottlerocket generates.
import { settingPath } from '../settings/names.js';
import { CAPTURE } from './captures.js';
import type { Fact } from './captures.js';
import { define, found, missing } from './definition.js';
import { parseApiclientGet } from './apiclient.js';
import { ParseError } from './parse-error.js';
import { redactSetting } from '../settings/secrets.js';
import { UnknownValue } from '../settings/unknown.js';
import { isObject } from '../values.js';
import type { HostInput } from '../types.js';

export interface Drift {
  /** `settings.kernel.lockdown: launched with "integrity", now "none"`, one per changed setting. */
  changed: string[];
  /** Settings the user data leaves to deploy time, which cannot be compared. */
  unknown: number;
}

const shown = (path: readonly string[], value: unknown): string =>
  value === undefined ? 'not set' : (JSON.stringify(redactSetting(path, value)) ?? String(value));

/** Scalars compare as text (the API prints some values as strings that user data writes as numbers); the rest as data. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return a !== undefined && b !== undefined && String(a) === String(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

function compare(launched: unknown, live: unknown, path: string[], out: Drift, depth = 0): void {
  if (launched instanceof UnknownValue) {
    out.unknown++;
    return;
  }
  if (isObject(launched) && depth < 16) {
    for (const [key, value] of Object.entries(launched))
      compare(value, isObject(live) ? live[key] : undefined, [...path, key], out, depth + 1);
    return;
  }
  if (!same(launched, live)) out.changed.push(`${settingPath(path)}: launched with ${shown(path, launched)}, now ${shown(path, live)}`);
}

const LIVE = [CAPTURE.apiclientGet, CAPTURE.apiclientGetSettings];

function driftOf(input: HostInput): Fact<Drift> {
  const launched = input.launchedWith;
  if (!launched) return { state: 'absent', sources: ['--drift'], why: 'no user data to compare with (scan with --drift FILE)' };
  if ('why' in launched) return { state: 'absent', sources: [launched.source], why: launched.why };
  const key = LIVE.find((k) => input.snapshot.captures[k] !== undefined);
  const capture = key === undefined ? undefined : input.snapshot.captures[key];
  if (!key || !capture)
    return { state: 'absent', sources: [CAPTURE.apiclientGet], why: "the host's live settings (`apiclient get`) are not in this input" };
  if (capture.exitCode !== 0) return { state: 'unusable', source: key, problem: `exited ${capture.exitCode}` };
  let settings: Record<string, unknown> | null;
  try {
    settings = parseApiclientGet(capture.stdout).settings;
  } catch (err) {
    if (err instanceof ParseError) return { state: 'unusable', source: key, problem: err.message };
    throw err;
  }
  if (!settings) return { state: 'absent', sources: [key], why: 'the capture holds no settings' };
  const drift: Drift = { changed: [], unknown: 0 };
  compare(launched.settings, settings, [], drift);
  return { state: 'ok', source: `${key} against ${launched.source}`, value: drift };
}

export const DRIFT = define({
  key: 'required',
  keyDoc: '`changed`',
  valueDoc:
    'with `--drift FILE`: each setting the launch user data sets whose live value differs (`apiclient get`), as `settings.…: launched with A, now B`',
  captures: [],
  allowEmpty: false,
  parse: () => null,
  fromInput: driftOf,
  select: (drift: Drift, key) => (key === 'changed' ? found(drift.changed) : missing),
  describe: () => 'settings changed since launch',
});
