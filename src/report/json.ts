// The JSON report, format brsec-report/1 (schemas/report-1.schema.json, docs/report.md). One host per line
// inside the "hosts" array keeps it greppable and cheap to write.
import { sameResult } from '../checks/equality.js';
import type { CheckResult, HostResult } from '../types.js';
import type { ReportWriter } from './writer.js';

export const REPORT_FORMAT = 'brsec-report/1';

// Hosts of one fleet mostly reach the same result for a check, and the engine then hands out the same frozen
// result object; its text is written once. Equal results that are separate objects are recognised too.
const written = new WeakMap<CheckResult, string>();
const lastWritten = new Map<string, { result: CheckResult; text: string }>();

function resultJson(result: CheckResult): string {
  const known = written.get(result);
  if (known !== undefined) return known;
  const last = lastWritten.get(result.id);
  const text = last && sameResult(last.result, result) ? last.text : JSON.stringify(result);
  lastWritten.set(result.id, { result, text });
  if (Object.isFrozen(result)) written.set(result, text);
  return text;
}

export const jsonWriter: ReportWriter = {
  begin(meta) {
    const head = JSON.stringify({ format: REPORT_FORMAT, ...meta });
    return `${head.slice(0, -1)},\n"hosts":[\n`;
  },
  /** The same text as JSON.stringify(host). */
  host(h: HostResult) {
    const head = JSON.stringify({ host: h.host, source: h.source, inputKind: h.inputKind, variant: h.variant, osVersion: h.osVersion, status: h.status, totals: h.totals });
    let results = '';
    for (let i = 0; i < h.results.length; i++) results += (i > 0 ? ',' : '') + resultJson(h.results[i] as CheckResult);
    return `${head.slice(0, -1)},"results":[${results}]}`;
  },
  separator: ',\n',
  end(inputErrors, totals) {
    return `\n],\n"inputErrors":${JSON.stringify(inputErrors)},\n"totals":${JSON.stringify(totals)}\n}\n`;
  },
};
