// Applies waivers and a baseline to a host's results and counts what fails the run. Pure: no I/O.
import { UsageError } from '../errors.js';
import { SEVERITIES, type CheckResult, type HostGate, type HostResult, type Severity } from '../types.js';
import type { Baseline } from './baseline.js';
import { waiverFor, type WaiverSet } from './waivers.js';
import { memoSlot, ScanMemo } from '../memo.js';

export interface GateOptions {
  /** Only FAILs at or above this severity fail the run. Default: every FAIL. */
  failOn?: Severity;
  /** ERROR and NOT_ASSESSED results fail the run too. */
  strict?: boolean;
}

export interface GateContext extends GateOptions {
  waivers?: WaiverSet;
  baseline?: Baseline;
  /** Clock for waiver expiry, ms since the epoch; injectable so scans can be reproduced. */
  now?: number;
}

// Annotated results are frozen and shared like the engine's: one object per (result, annotation).
const ANNOTATED = memoSlot(
  'results with a waiver or baseline state, by result object and annotation',
  () => new WeakMap<CheckResult, Map<string, CheckResult>>(),
);

function annotate(result: CheckResult, extra: Pick<CheckResult, 'waiver' | 'baseline'>, memo: ScanMemo): CheckResult {
  const key = JSON.stringify(extra);
  const annotated = memo.get(ANNOTATED);
  let byKey = annotated.get(result);
  if (!byKey) annotated.set(result, (byKey = new Map()));
  let out = byKey.get(key);
  if (!out) {
    out = { ...result, ...extra };
    if (Object.isFrozen(result)) Object.freeze(out);
    byKey.set(key, out);
  }
  return out;
}

/** The host with waivers and baseline states on its results (new objects only where something applies). */
export function applyGate(host: HostResult, context: GateContext, memo: ScanMemo = new ScanMemo(false)): HostResult {
  const { waivers, baseline } = context;
  if (!waivers && !baseline) return host;
  const now = context.now ?? Date.now();
  // Own keys only: a host id such as `constructor` must not find something of Object's.
  const before = baseline ? new Set(Object.hasOwn(baseline.failing, host.host.id) ? baseline.failing[host.host.id] : []) : null;
  const changes: HostResult['baseline'] = before ? { new: [], unchanged: [], fixed: [] } : undefined;
  let results: CheckResult[] | null = null;
  host.results.forEach((r, i) => {
    const waiver = waivers ? waiverFor(waivers, host.host, r.id, now) : undefined;
    let state: CheckResult['baseline'];
    if (before && changes && r.status === 'FAIL') {
      state = before.has(r.id) ? 'unchanged' : 'new';
      changes[state].push(r.id);
    }
    if (waiver || state) {
      results ??= host.results.slice();
      const extra: Pick<CheckResult, 'waiver' | 'baseline'> = {};
      if (waiver) extra.waiver = waiver;
      if (state) extra.baseline = state;
      results[i] = annotate(r, extra, memo);
    }
  });
  if (before && changes) {
    const failingNow = new Set(changes.new.concat(changes.unchanged));
    changes.fixed = [...before].filter((id) => !failingNow.has(id) && host.results.some((r) => r.id === id));
  }
  const out: HostResult = { ...host, results: results ?? host.results };
  if (changes) out.baseline = changes;
  return out;
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);

/** What in this host fails the run, what leaves it incomplete, and what waivers covered. */
export function gateHost(host: HostResult, options: GateOptions = {}): HostGate {
  const gate: HostGate = { failing: 0, incomplete: 0, waived: 0, expiredWaivers: 0 };
  const threshold = rank(options.failOn ?? 'info');
  // An unknown severity would count nothing as failing: a gate fails closed, never open.
  if (threshold < 0) throw new UsageError(`failOn must be one of ${SEVERITIES.join(', ')}, not "${String(options.failOn)}"`, 'failOn');
  for (const r of host.results) {
    const waived = r.waiver?.state === 'active';
    // Waivers are counted where they matter: on results that would otherwise fail or leave the run incomplete.
    const matters = r.status === 'FAIL' || r.status === 'ERROR' || r.status === 'NOT_ASSESSED';
    if (waived && matters) gate.waived++;
    else if (r.waiver?.state === 'expired' && matters) gate.expiredWaivers++;
    if (waived) continue;
    const atOrAbove = rank(r.severity) <= threshold;
    if (r.status === 'FAIL' && atOrAbove && r.baseline !== 'unchanged') gate.failing++;
    else if (options.strict && (r.status === 'ERROR' || r.status === 'NOT_ASSESSED') && atOrAbove) gate.failing++;
    else if (r.status === 'ERROR') gate.incomplete++;
  }
  // A host where nothing could be assessed (no PASS, FAIL or ERROR; some NOT_ASSESSED) proves nothing: its
  // NOT_ASSESSED results leave the run incomplete, so an empty or wrong input never passes a gate.
  if (
    !options.strict &&
    gate.failing === 0 &&
    gate.incomplete === 0 &&
    !host.results.some((r) => r.status === 'PASS' || r.status === 'FAIL')
  ) {
    for (const r of host.results) if (r.status === 'NOT_ASSESSED' && r.waiver?.state !== 'active') gate.incomplete++;
  }
  return gate;
}
