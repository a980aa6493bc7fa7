// The JSON report, format brsec-report/1 (schemas/report-1.schema.json, docs/report.md). One host per line
// inside the "hosts" array keeps it greppable and cheap to write.
import { sameResult } from '../checks/equality.js';
import type { CheckResult, HostResult, RequirementResult } from '../types.js';
import type { ReportWriter } from './writer.js';
import type { WriterScope } from './options.js';
import { memoSlot, ScanMemo } from '../memo.js';

export const REPORT_FORMAT = 'brsec-report/1';

// Hosts of one fleet mostly reach the same result for a check, and the engine then hands out the same frozen
// result object; its text (and its UTF-8 bytes) are made once. Equal results that are separate objects are
// recognised too.
interface Written {
  text: string;
  /** UTF-8 bytes, and the same led by a comma: a host's pieces are fewer that way. */
  bytes?: Buffer;
  afterComma?: Buffer;
}
/** Text made for results and requirements, shared by the hosts of one scan. */
interface JsonMemo {
  byObject: WeakMap<CheckResult, Written>;
  /** The last result written per check id. */
  lastWritten: Map<string, { result: CheckResult; written: Written }>;
  requirementText: WeakMap<RequirementResult, string>;
  /** A requirement's bytes, led by a comma after the first: [first, after a comma]. */
  requirementBytes: WeakMap<RequirementResult, [Buffer | undefined, Buffer | undefined]>;
}

const JSON_TEXT = memoSlot<JsonMemo>(
  'JSON text of results by result object (and of the last result per check id), and of requirement results',
  () => ({
    byObject: new WeakMap(),
    lastWritten: new Map(),
    requirementText: new WeakMap(),
    requirementBytes: new WeakMap(),
  }),
);

function resultWritten(result: CheckResult, { byObject, lastWritten }: JsonMemo): Written {
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
    benchmarks: h.benchmarks,
    status: h.status,
    totals: h.totals,
    gate: h.gate,
    baseline: h.baseline,
    vulnerabilities: h.vulnerabilities,
  });
  return `${head.slice(0, -1)},"results":[`;
}

function requirementJson(r: RequirementResult, { requirementText }: JsonMemo): string {
  let text = requirementText.get(r);
  if (text === undefined) {
    text = JSON.stringify(r);
    // Requirement results are frozen and shared between hosts; others are written each time.
    if (Object.isFrozen(r)) requirementText.set(r, text);
  }
  return text;
}

const locationsJson = (h: HostResult): string => (h.locations === undefined ? '' : `,"locations":${JSON.stringify(h.locations)}`);

/** The end of a host: its requirements (when a mapping ran), as JSON.stringify would place them. */
function tailJson(h: HostResult, memo: JsonMemo): string {
  if (h.requirements === undefined) return `]${locationsJson(h)}}`;
  let out = '],"requirements":[';
  for (let i = 0; i < h.requirements.length; i++) out += (i > 0 ? ',' : '') + requirementJson(h.requirements[i] as RequirementResult, memo);
  return `${out}]${locationsJson(h)}}`;
}

const CLOSE = Buffer.from(']}');
const REQUIREMENTS_OPEN = Buffer.from('],"requirements":[');
const REQUIREMENTS_CLOSE = Buffer.from(']');
const BRACE_CLOSE = Buffer.from('}');

/**
 * A host as byte pieces, in the order of `host`. Shared results and requirements are encoded once and handed
 * out as they are, so writing a host copies its bytes once (where the caller joins the pieces), not per layer.
 */
function hostParts(h: HostResult, memo: JsonMemo): Buffer[] {
  const parts: Buffer[] = [Buffer.from(headJson(h))];
  const results = h.results;
  for (let i = 0; i < results.length; i++) {
    const written = resultWritten(results[i] as CheckResult, memo);
    parts.push(i === 0 ? (written.bytes ??= Buffer.from(written.text)) : (written.afterComma ??= Buffer.from(`,${written.text}`)));
  }
  if (h.requirements === undefined && h.locations === undefined) {
    parts.push(CLOSE);
    return parts;
  }
  if (h.requirements !== undefined) {
    parts.push(REQUIREMENTS_OPEN);
    for (let i = 0; i < h.requirements.length; i++) {
      const r = h.requirements[i] as RequirementResult;
      let known = memo.requirementBytes.get(r);
      if (known === undefined) {
        known = [undefined, undefined];
        // Only frozen requirement results are shared between hosts and so worth keeping.
        if (Object.isFrozen(r)) memo.requirementBytes.set(r, known);
      }
      const slot = i === 0 ? 0 : 1;
      parts.push((known[slot] ??= Buffer.from(slot === 0 ? requirementJson(r, memo) : `,${requirementJson(r, memo)}`)));
    }
    parts.push(REQUIREMENTS_CLOSE);
  } else {
    parts.push(REQUIREMENTS_CLOSE);
  }
  if (h.locations !== undefined) parts.push(Buffer.from(locationsJson(h)));
  parts.push(BRACE_CLOSE);
  return parts;
}

/** The JSON report's writer; text shared between hosts is kept in the scan's memo (a writer of its own without one). */
export function jsonWriter(scope: Pick<WriterScope, 'memo'> = { memo: new ScanMemo() }): ReportWriter {
  // A memo that hosts do not share gives each host's text a fresh one too.
  const shared = scope.memo.shared ? scope.memo.get(JSON_TEXT) : null;
  const textMemo = (): JsonMemo => shared ?? scope.memo.forHost().get(JSON_TEXT);
  return {
    begin(meta) {
      const head = JSON.stringify({ format: REPORT_FORMAT, ...meta });
      return `${head.slice(0, -1)},\n"hosts":[\n`;
    },
    /** The host as JSON, fields in a fixed order: identity, totals and gate, then results, requirements, locations. */
    host(h: HostResult) {
      const memo = textMemo();
      let out = headJson(h);
      for (let i = 0; i < h.results.length; i++) out += (i > 0 ? ',' : '') + resultWritten(h.results[i] as CheckResult, memo).text;
      return out + tailJson(h, memo);
    },
    hostBytes(h: HostResult) {
      return Buffer.concat(hostParts(h, textMemo()));
    },
    hostParts: (h: HostResult) => hostParts(h, textMemo()),
    separator: ',\n',
    end(inputErrors, totals) {
      return `\n],\n"inputErrors":${JSON.stringify(inputErrors)},\n"totals":${JSON.stringify(totals)}\n}\n`;
    },
  };
}
