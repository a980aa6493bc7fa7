// The JSON report, format brsec-report/1 (schemas/report-1.schema.json, docs/report.md). One host per line
// inside the "hosts" array keeps it greppable and cheap to write.
import type { ReportWriter } from './writer.js';

export const REPORT_FORMAT = 'brsec-report/1';

export const jsonWriter: ReportWriter = {
  begin(meta) {
    const head = JSON.stringify({ format: REPORT_FORMAT, ...meta });
    return `${head.slice(0, -1)},\n"hosts":[\n`;
  },
  host(host, index) {
    return `${index > 0 ? ',\n' : ''}${JSON.stringify(host)}`;
  },
  end(inputErrors, totals) {
    return `\n],\n"inputErrors":${JSON.stringify(inputErrors)},\n"totals":${JSON.stringify(totals)}\n}\n`;
  },
};
