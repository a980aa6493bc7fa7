// Parsers for the Bottlerocket API's JSON: `apiclient get`, `apiclient update check` and bloodhound reports.
import { describeJsonError } from '../parse-errors.js';
import { ParseError } from './parse-error.js';
import { isObject, textOf } from '../values.js';
import { bloodhoundTextToJson, isBloodhoundText } from './bloodhound-text.js';
import { settingsProblem } from '../limits.js';

export interface OsRelease {
  variantId: string | null;
  versionId: string | null;
  arch: string | null;
  prettyName: string | null;
}

export interface ApiclientGet {
  settings: Record<string, unknown> | null;
  os: OsRelease | null;
}

function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ParseError(`not JSON (${describeJsonError(err)})`);
  }
  if (!isObject(value)) throw new ParseError('not a JSON object');
  return value;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function toOsRelease(os: Record<string, unknown>): OsRelease {
  return {
    variantId: str(os.variant_id),
    versionId: str(os.version_id),
    arch: str(os.arch),
    prettyName: str(os.pretty_name),
  };
}

/** `apiclient get`, `apiclient get settings` or `apiclient get os`. */
export function parseApiclientGet(text: string): ApiclientGet {
  const doc = parseJsonObject(text);
  const settings = doc.settings;
  const os = doc.os;
  if (settings !== undefined && !isObject(settings)) throw new ParseError('"settings" is not an object');
  if (os !== undefined && !isObject(os)) throw new ParseError('"os" is not an object');
  if (settings === undefined && os === undefined) throw new ParseError('neither "settings" nor "os" is present');
  const tooLarge = settings === undefined ? null : settingsProblem(settings);
  if (tooLarge) throw new ParseError(tooLarge);
  return { settings: settings ?? null, os: os ? toOsRelease(os) : null };
}

export interface UpdateImage {
  arch: string;
  version: string;
  variant: string;
}

export interface UpdateStatus {
  updateState: string;
  availableUpdates: string[];
  chosenUpdate: UpdateImage | null;
  activeVersion: string | null;
  stagingVersion: string | null;
  mostRecentCommand: { cmdType: string; cmdStatus: string; timestamp: string | null } | null;
}

function image(value: unknown): UpdateImage | null {
  if (!isObject(value)) return null;
  return { arch: textOf(value.arch), version: textOf(value.version), variant: textOf(value.variant) };
}

/** `apiclient update check` / `GET /updates/status`. */
export function parseUpdateStatus(text: string): UpdateStatus {
  const doc = parseJsonObject(text);
  if (typeof doc.update_state !== 'string') throw new ParseError('no "update_state"');
  const available = Array.isArray(doc.available_updates) ? doc.available_updates.filter((v): v is string => typeof v === 'string') : [];
  const active = isObject(doc.active_partition) ? image(doc.active_partition.image) : null;
  const staging = isObject(doc.staging_partition) ? image(doc.staging_partition.image) : null;
  const cmd = isObject(doc.most_recent_command) ? doc.most_recent_command : null;
  return {
    updateState: doc.update_state,
    availableUpdates: available,
    chosenUpdate: image(doc.chosen_update),
    activeVersion: active?.version ?? null,
    stagingVersion: staging?.version ?? null,
    mostRecentCommand: cmd ? { cmdType: textOf(cmd.cmd_type), cmdStatus: textOf(cmd.cmd_status), timestamp: str(cmd.timestamp) } : null,
  };
}

export type BloodhoundStatus = 'PASS' | 'FAIL' | 'SKIP';

export interface BloodhoundResult {
  /** Checker name, e.g. br01040200. */
  name: string;
  /** CIS id, e.g. 1.4.2. */
  id: string;
  title: string;
  mode: string;
  status: BloodhoundStatus;
  /** Set when an override file replaced the check's execution (`{"OVERRIDE": "PASS"}`). */
  overridden: boolean;
  error: string;
  overrideReason?: string;
}

export interface BloodhoundReport {
  name: string;
  version: string;
  level: number | null;
  /** cis (CIS Bottlerocket) or cis-k8s (CIS Kubernetes), from the report name or checker names. */
  type: 'cis' | 'cis-k8s' | 'fips' | 'unknown';
  /** The result for a CIS id; the checker name, when known, finds it without a search. */
  get(id: string, checkerName?: string): BloodhoundResult | undefined;
  /** Every result, in report order. */
  all(): BloodhoundResult[];
}

const BLOODHOUND_STATUSES = new Set(['PASS', 'FAIL', 'SKIP']);

function bloodhoundStatus(value: unknown, where: string): { status: BloodhoundStatus; overridden: boolean } {
  if (typeof value === 'string' && BLOODHOUND_STATUSES.has(value)) return { status: value as BloodhoundStatus, overridden: false };
  if (isObject(value) && typeof value.OVERRIDE === 'string' && BLOODHOUND_STATUSES.has(value.OVERRIDE)) {
    return { status: value.OVERRIDE as BloodhoundStatus, overridden: true };
  }
  throw new ParseError(`${where}: status ${JSON.stringify(value)} is not PASS, FAIL, SKIP or {"OVERRIDE": …}`);
}

export function reportType(name: string, checkerNames: string[]): BloodhoundReport['type'] {
  if (/kubernetes/i.test(name) || checkerNames.some((n) => n.startsWith('k8s'))) return 'cis-k8s';
  if (/fips/i.test(name) || checkerNames.some((n) => n.startsWith('fips'))) return 'fips';
  if (/bottlerocket/i.test(name) || checkerNames.some((n) => n.startsWith('br'))) return 'cis';
  return 'unknown';
}

function toResult(key: string, raw: Record<string, unknown>): BloodhoundResult {
  const { status, overridden } = bloodhoundStatus(raw.status, `result "${key}"`);
  const result: BloodhoundResult = {
    name: typeof raw.name === 'string' ? raw.name : key,
    id: raw.id as string,
    title: textOf(raw.title),
    mode: textOf(raw.mode),
    status,
    overridden,
    error: textOf(raw.error),
  };
  if (typeof raw.override_reason === 'string') result.overrideReason = raw.override_reason;
  return result;
}

function buildReport(text: string): BloodhoundReport {
  // The text form (`apiclient report …` without `-f json`) reads as the JSON form would.
  const json = isBloodhoundText(text) ? bloodhoundTextToJson(text) : text;
  if (json === null) throw new ParseError('a bloodhound text report without a single result line');
  const doc = parseJsonObject(json);
  if (!isObject(doc.results)) throw new ParseError('no "results" object');
  const raw = doc.results;
  const keys = Object.keys(raw);
  // bloodhound counts every result it adds; a report that lists fewer was cut or edited, and may hide a FAIL.
  if (typeof doc.total === 'number' && doc.total !== keys.length) {
    throw new ParseError(`it lists ${keys.length} result(s) but says "total": ${doc.total}, so it is incomplete`);
  }
  // Checked up front, so a broken report is unusable as a whole; result objects are made when asked for.
  for (const key of keys) {
    const entry = raw[key];
    if (!isObject(entry) || typeof entry.id !== 'string') throw new ParseError(`result "${key}" has no "id"`);
    bloodhoundStatus(entry.status, `result "${key}"`);
  }
  const made = new Map<string, BloodhoundResult>();
  const byKey = (key: string): BloodhoundResult => {
    let result = made.get(key);
    if (!result) {
      result = toResult(key, raw[key] as Record<string, unknown>);
      made.set(key, result);
    }
    return result;
  };
  let idIndex: Map<string, string> | undefined;
  const name = textOf(doc.name);
  return {
    name,
    version: textOf(doc.version),
    level: typeof doc.level === 'number' ? doc.level : null,
    type: reportType(name, keys),
    get(id, checkerName) {
      if (checkerName !== undefined && isObject(raw[checkerName]) && (raw[checkerName] as Record<string, unknown>).id === id)
        return byKey(checkerName);
      idIndex ??= new Map(keys.map((k) => [(raw[k] as Record<string, unknown>).id as string, k]));
      const key = idIndex.get(id);
      return key === undefined ? undefined : byKey(key);
    },
    all: () => keys.map(byKey),
  };
}

// Hosts configured alike print the same report but for its timestamp, so a few recent reports are kept and a
// new text that matches one around its timestamp reuses the parsed report. A parsed report is never changed.
interface KnownReport {
  length: number;
  head: string;
  tail: string;
  report: BloodhoundReport;
}
const recentReports: KnownReport[] = [];
const RECENT = 16;
const MAX_KEPT_REPORT = 1 << 20;

function timestampSpan(text: string): [number, number] | null {
  const at = text.indexOf('"timestamp"');
  if (at === -1) return null;
  const open = text.indexOf('"', at + 11);
  const close = open === -1 ? -1 : text.indexOf('"', open + 1);
  return close === -1 ? null : [open + 1, close];
}

/** A bloodhound JSON report (`apiclient report cis|cis-k8s -f json`). */
export function parseBloodhoundReport(text: string): BloodhoundReport {
  const span = timestampSpan(text);
  const [from, to] = span ?? [text.length, text.length];
  for (let i = 0; i < recentReports.length; i++) {
    const known = recentReports[i] as KnownReport;
    // Timestamps have different lengths only when their fractions do; those reports are simply parsed.
    // Compared as slices: V8 compares two strings far faster than startsWith or endsWith walk one.
    if (known.length === text.length && known.head.length === from && text.slice(0, from) === known.head && text.slice(to) === known.tail) {
      if (i > 0) recentReports.unshift(...recentReports.splice(i, 1));
      return known.report;
    }
  }
  const report = buildReport(text);
  // A report far larger than any real one is not kept, so a few odd inputs cannot hold much memory.
  if (text.length > MAX_KEPT_REPORT) return report;
  recentReports.unshift({ length: text.length, head: text.slice(0, from), tail: text.slice(to), report });
  if (recentReports.length > RECENT) recentReports.pop();
  return report;
}
