// The JSON report, format brsec-report/1 (schemas/report-1.schema.json, docs/report.md). One host per line
// inside the "hosts" array keeps it greppable and cheap to write.
import { sameResult } from '../checks/equality.js';
import type { CheckResult, HostResult, RequirementResult } from '../types.js';
import type { ReportWriter } from './writer.js';

export const REPORT_FORMAT = 'brsec-report/1';

// Hosts of one fleet mostly reach the same result for a check, and the engine then hands out the same frozen
// result object; its text (and its UTF-8 bytes) are made once. Equal results that are separate objects are
// recognised too.
interface Written {
  text: string;
  bytes?: Buffer;
}
const byObject = new WeakMap<CheckResult, Written>();
const lastWritten = new Map<string, { result: CheckResult; written: Written }>();

function resultWritten(result: CheckResult): Written {
  const last = lastWritten.get(result.id);
  if (last !== undefined && last.result === result) return last.written;
  const known = byObject.get(result);
  if (known !== undefined) {
    lastWritten.set(result.id, { result, written: known });
    return known;
  }
  const written = last && sameResult(last.result, result) ? last.written : { text: JSON.stringify(result) };
  lastWritten.set(result.id, { result, written });
  if (Object.isFrozen(result)) byObject.set(result, written);
  return written;
}

function headJson(h: HostResult): string {
  const head = JSON.stringify({
    host: h.host,
    source: h.source,
    inputKind: h.inputKind,
    variant: h.variant,
    osVersion: h.osVersion,
    profiles: h.profiles,
    status: h.status,
    totals: h.totals,
    gate: h.gate,
    baseline: h.baseline,
    vulnerabilities: h.vulnerabilities,
  });
  return `${head.slice(0, -1)},"results":[`;
}

const requirementText = new WeakMap<RequirementResult, string>();

/** The end of a host: its requirements (when a mapping ran), as JSON.stringify would place them. */
function tailJson(h: HostResult): string {
  const locations = h.locations === undefined ? '' : `,"locations":${JSON.stringify(h.locations)}`;
  if (h.requirements === undefined) return `]${locations}}`;
  let out = '],"requirements":[';
  for (let i = 0; i < h.requirements.length; i++) {
    const r = h.requirements[i] as RequirementResult;
    let text = requirementText.get(r);
    if (text === undefined) {
      text = JSON.stringify(r);
      // Requirement results are frozen and shared between hosts; others are written each time.
      if (Object.isFrozen(r)) requirementText.set(r, text);
    }
    out += (i > 0 ? ',' : '') + text;
  }
  return `${out}]${locations}}`;
}

const COMMA = Buffer.from(',');

// Hosts of a fleet mostly reach the very same results (shared objects): their bytes, joined, are kept for the
// last few result lists, so such a host costs one copy rather than one per check.
const recentLists: { results: readonly CheckResult[]; bytes: Buffer }[] = [];

function resultsBytes(results: readonly CheckResult[]): Buffer {
  for (const recent of recentLists) {
    if (recent.results.length !== results.length) continue;
    let same = true;
    for (let i = 0; i < results.length && same; i++) same = recent.results[i] === results[i];
    if (same && results.every((r) => Object.isFrozen(r))) return recent.bytes;
  }
  const parts: Buffer[] = [];
  for (let i = 0; i < results.length; i++) {
    const written = resultWritten(results[i] as CheckResult);
    written.bytes ??= Buffer.from(written.text);
    if (i > 0) parts.push(COMMA);
    parts.push(written.bytes);
  }
  const bytes = Buffer.concat(parts);
  if (recentLists.length >= 4) recentLists.shift();
  recentLists.push({ results: results.slice(), bytes });
  return bytes;
}
const CLOSE = Buffer.from(']}');

function hostParts(h: HostResult): Buffer[] {
  return [Buffer.from(headJson(h)), resultsBytes(h.results), h.requirements === undefined && h.locations === undefined ? CLOSE : Buffer.from(tailJson(h))];
}

export const jsonWriter: ReportWriter = {
  begin(meta) {
    const head = JSON.stringify({ format: REPORT_FORMAT, ...meta });
    return `${head.slice(0, -1)},\n"hosts":[\n`;
  },
  /** The host as JSON, fields in a fixed order: identity, totals and gate, then results, requirements, locations. */
  host(h: HostResult) {
    let out = headJson(h);
    for (let i = 0; i < h.results.length; i++) out += (i > 0 ? ',' : '') + resultWritten(h.results[i] as CheckResult).text;
    return out + tailJson(h);
  },
  hostBytes(h: HostResult) {
    return Buffer.concat(hostParts(h));
  },
  hostParts,
  separator: ',\n',
  end(inputErrors, totals) {
    return `\n],\n"inputErrors":${JSON.stringify(inputErrors)},\n"totals":${JSON.stringify(totals)}\n}\n`;
  },
};
