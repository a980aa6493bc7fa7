// Waivers: accountable exceptions with a reason, an owner and an expiry. A waived result keeps its true status
// and gains the waiver; an expired waiver stops applying and the report says so (fail closed).
import { readFileSync } from 'node:fs';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { InputError } from '../errors.js';
import { validateWaivers } from '../generated/validators.js';
import { describeJsonError } from '../parse-errors.js';
import { glob, type Glob } from '../glob.js';
import type { Catalog } from '../checks/loader.js';
import type { HostIdentity, WaiverRef } from '../types.js';

export interface WaiverEntry {
  check: string;
  hosts?: string[];
  tags?: Record<string, string>;
  reason: string;
  owner: string;
  expires: string;
}

export interface Waiver extends WaiverEntry {
  /** 0-based position in the file. */
  index: number;
  /** When it stops applying, in ms since the epoch (a date covers the whole UTC day). */
  expiresAt: number;
}

export interface WaiverSet {
  file: string;
  waivers: Waiver[];
}

export interface WaiverProblem {
  level: 'error' | 'warning';
  /** `waivers[2] (BR-1.5.2)`, or empty for a problem with the whole file. */
  entry: string;
  message: string;
}

const DAY = 86_400_000;

/** End of validity in ms: the day after a bare date (UTC), or the exact time given; NaN for a date that does not exist. */
export function expiryOf(expires: string): number {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expires);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const t = Date.UTC(y, m - 1, d);
    const back = new Date(t);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return NaN;
    return t + DAY;
  }
  const t = Date.parse(expires);
  return Number.isNaN(t) || !/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d/.test(expires) ? NaN : t;
}

function entryName(index: number, raw: unknown): string {
  const check =
    typeof raw === 'object' && raw !== null && typeof (raw as { check?: unknown }).check === 'string'
      ? ` (${(raw as { check: string }).check})`
      : '';
  return `waivers[${index}]${check}`;
}

function parseText(text: string, file: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new InputError(file, `malformed JSON: ${describeJsonError(err)}`);
    }
  }
  try {
    return loadYaml(text, { schema: CORE_SCHEMA, filename: file });
  } catch (err) {
    throw new InputError(file, `not YAML: ${String((err as Error).message).split('\n', 1)[0]}`);
  }
}

/** One schema error as a sentence about the field it concerns. */
function schemaMessage(error: { keyword: string; message?: string; params: Record<string, unknown> } | undefined, field: string): string {
  if (error?.keyword === 'required') return `missing "${String(error.params.missingProperty)}"`;
  if (error?.keyword === 'additionalProperties') return `unknown field "${String(error.params.additionalProperty)}"`;
  const message = error?.message ?? 'invalid';
  return field ? `"${field}" ${message}` : message;
}

/** Every problem with a waivers file: errors make it unusable; warnings are expiries, now or soon. */
export function checkWaivers(
  text: string,
  file: string,
  catalog: Catalog,
  options: { now?: Date; warnDays?: number } = {},
): { set: WaiverSet; problems: WaiverProblem[] } {
  const problems: WaiverProblem[] = [];
  const doc = parseText(text, file);
  let entriesValid = true;
  if (!validateWaivers(doc)) {
    const error = validateWaivers.errors?.[0];
    // A problem with the file as a whole stops here; problems of entries are found entry by entry below, so
    // that lint lists them all.
    if (!error || !/^\/waivers\/\d+/.test(error.instancePath)) {
      problems.push({ level: 'error', entry: '', message: schemaMessage(error, (error?.instancePath ?? '').replace(/^\//, '')) });
      return { set: { file, waivers: [] }, problems };
    }
    entriesValid = false;
  }
  const now = (options.now ?? new Date()).getTime();
  const warnUntil = now + (options.warnDays ?? 14) * DAY;
  const waivers: Waiver[] = [];
  (doc as { waivers: WaiverEntry[] }).waivers.forEach((entry, index) => {
    const name = entryName(index, entry);
    if (!entriesValid && !validateWaivers({ ...(doc as object), waivers: [entry] })) {
      const error = validateWaivers.errors?.[0];
      problems.push({
        level: 'error',
        entry: name,
        message: schemaMessage(error, (error?.instancePath ?? '').replace(/^\/waivers\/0\/?/, '')),
      });
      return;
    }
    const re = glob(entry.check);
    if (!catalog.checks.some((c) => re.test(c.id))) {
      problems.push({ level: 'error', entry: name, message: `unknown check id "${entry.check}" (see \`brsec checks list\`)` });
      return;
    }
    const expiresAt = expiryOf(entry.expires);
    if (Number.isNaN(expiresAt)) {
      problems.push({ level: 'error', entry: name, message: `"expires" is not a real date: "${entry.expires}"` });
      return;
    }
    if (expiresAt <= now) problems.push({ level: 'warning', entry: name, message: `expired on ${entry.expires}; it no longer applies` });
    else if (expiresAt <= warnUntil) {
      const days = Math.floor((expiresAt - now) / DAY);
      problems.push({ level: 'warning', entry: name, message: `expires on ${entry.expires}, in ${days} day${days === 1 ? '' : 's'}` });
    }
    waivers.push({ ...entry, index, expiresAt });
  });
  return { set: { file, waivers }, problems };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      file,
      code === 'ENOENT'
        ? 'no such file or directory'
        : code === 'EACCES'
          ? 'cannot read: permission denied'
          : `cannot read: ${(err as Error).message}`,
    );
  }
}

/** Reads a waivers file for a scan; the first error stops it with one line naming the file, the entry and the problem. */
export function loadWaivers(file: string, catalog: Catalog): WaiverSet {
  const { set, problems } = checkWaivers(readText(file), file, catalog);
  const error = problems.find((p) => p.level === 'error');
  if (error) throw new InputError(file, error.entry ? `${error.entry}: ${error.message}` : error.message);
  return set;
}

/** For `brsec waivers lint`: every problem, errors and warnings. */
export function lintWaivers(file: string, catalog: Catalog, options: { now?: Date; warnDays?: number } = {}): WaiverProblem[] {
  return checkWaivers(readText(file), file, catalog, options).problems;
}

const compiled = new WeakMap<Waiver, { check: Glob; hosts: Glob[] | null }>();

function matchers(w: Waiver): { check: Glob; hosts: Glob[] | null } {
  let m = compiled.get(w);
  if (!m) compiled.set(w, (m = { check: glob(w.check), hosts: w.hosts ? w.hosts.map((h) => glob(h)) : null }));
  return m;
}

function coversHost(w: Waiver, host: HostIdentity): boolean {
  const { hosts } = matchers(w);
  if (hosts && !hosts.some((re) => re.test(host.id) || (host.name !== undefined && re.test(host.name)))) return false;
  if (w.tags) for (const [k, v] of Object.entries(w.tags)) if (host.tags?.[k] !== v) return false;
  return true;
}

/** The waiver that applies to a check on a host: the first active one, else the first expired one (which does not apply). */
// The waivers whose check glob matches a check id, worked out once per set and id: a fleet asks for the same
// few dozen ids on every host, and most waivers name one check or family.
const byCheck = new WeakMap<WaiverSet, Map<string, Waiver[]>>();

function waiversForCheck(set: WaiverSet, checkId: string): Waiver[] {
  let cache = byCheck.get(set);
  if (!cache) byCheck.set(set, (cache = new Map()));
  let list = cache.get(checkId);
  if (!list) cache.set(checkId, (list = set.waivers.filter((w) => matchers(w).check.test(checkId))));
  return list;
}

export function waiverFor(set: WaiverSet, host: HostIdentity, checkId: string, now: number): WaiverRef | undefined {
  let expired: Waiver | undefined;
  for (const w of waiversForCheck(set, checkId)) {
    if (!coversHost(w, host)) continue;
    if (w.expiresAt > now) return refOf(set.file, w, 'active');
    expired ??= w;
  }
  return expired ? refOf(set.file, expired, 'expired') : undefined;
}

function refOf(file: string, w: Waiver, state: WaiverRef['state']): WaiverRef {
  return { state, check: w.check, reason: w.reason, owner: w.owner, expires: w.expires, file, entry: w.index };
}
