// Reading brsec's own JSON report (format brsec-report/1), for a baseline, a diff and a trend. The report has one host
// per line, so even a fleet's report is read a line at a time with flat memory; a report laid out otherwise
// (reformatted, say by jq) is parsed whole.
import { createReadStream } from 'node:fs';
import { readline } from '../builtins.js';
import { InputError } from '../errors.js';
import { REPORT_FORMAT } from '../report/json.js';

/** What the readers take from a host of a report. */
export interface ReportHost {
  host: { id: string };
  status?: unknown;
  results: { id?: unknown; status?: unknown; benchmark?: unknown }[];
}

const NOT_A_REPORT = `not a brsec JSON report (${REPORT_FORMAT}); make one with \`brsec scan … --format json\``;

function asHost(value: unknown): ReportHost | null {
  const host = value as { host?: { id?: unknown }; results?: unknown } | null;
  return host && typeof host.host?.id === 'string' && Array.isArray(host.results) ? (host as ReportHost) : null;
}

/** A report in any layout, parsed whole. */
async function wholeReport(file: string, onHost: (host: ReportHost) => void): Promise<{ generatedAt?: string }> {
  const { readFile } = await import('node:fs/promises');
  let report: { format?: unknown; hosts?: unknown; generatedAt?: unknown } | null;
  try {
    report = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    report = null;
  }
  if (!report || report.format !== REPORT_FORMAT || !Array.isArray(report.hosts)) throw new InputError(file, NOT_A_REPORT);
  report.hosts.forEach((value: unknown, index: number) => {
    const host = asHost(value);
    if (!host) throw new InputError(file, `hosts[${index}] is not a host of a brsec JSON report`);
    onHost(host);
  });
  return typeof report.generatedAt === 'string' ? { generatedAt: report.generatedAt } : {};
}

/** Hands each host of a brsec JSON report to onHost, in order; returns when the report was made. */
export async function readReport(file: string, onHost: (host: ReportHost) => void): Promise<{ generatedAt?: string }> {
  let lineNo = 0;
  let generatedAt: string | undefined;
  try {
    const lines = readline().createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const raw of lines) {
      lineNo++;
      if (lineNo === 1) {
        // Not as brsec writes it: read it whole instead.
        if (!raw.includes(`"format":"${REPORT_FORMAT}"`)) {
          lines.close();
          return await wholeReport(file, onHost);
        }
        generatedAt = /"generatedAt":"([^"]+)"/.exec(raw)?.[1];
        continue;
      }
      if (!raw.startsWith('{"host":')) continue;
      let value: unknown;
      try {
        value = JSON.parse(raw.endsWith(',') ? raw.slice(0, -1) : raw);
      } catch {
        value = null;
      }
      const host = asHost(value);
      if (!host) throw new InputError(file, `line ${lineNo} is not a host of a brsec JSON report`);
      onHost(host);
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(file, code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${(err as Error).message}`);
  }
  if (lineNo === 0) throw new InputError(file, 'empty; expected a brsec JSON report');
  return generatedAt === undefined ? {} : { generatedAt };
}
