// A baseline: brsec's own JSON report of an earlier scan. Only FAILs that are new against it fail the run.
// The report has one host per line, so even a fleet's report is read a line at a time with flat memory; a report
// laid out otherwise (reformatted) is parsed whole.
import { createReadStream } from 'node:fs';
import { readline } from '../builtins.js';
import { InputError } from '../errors.js';
import { REPORT_FORMAT } from '../report/json.js';

export interface Baseline {
  file: string;
  /** Host id → the check ids that failed on it. Plain data, so worker threads get a copy. */
  failing: Record<string, string[]>;
}

/** Failing checks per host from a brsec JSON report in any layout, parsed whole. */
async function wholeReport(file: string): Promise<Record<string, string[]>> {
  const { readFile } = await import('node:fs/promises');
  let report: { format?: unknown; hosts?: unknown } | null;
  try {
    report = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    report = null;
  }
  if (!report || report.format !== REPORT_FORMAT || !Array.isArray(report.hosts)) {
    throw new InputError(file, `not a brsec JSON report (${REPORT_FORMAT}); make one with \`brsec scan … --format json\``);
  }
  const failing: Record<string, string[]> = {};
  report.hosts.forEach((host: { host?: { id?: unknown }; results?: unknown } | null, index: number) => {
    if (!host || typeof host.host?.id !== 'string' || !Array.isArray(host.results))
      throw new InputError(file, `hosts[${index}] is not a host of a brsec JSON report`);
    setOwn(failing, host.host.id, failedIds(host.results));
  });
  return failing;
}

/** A plain own property, even for a host id such as `__proto__` (whose assignment would set the prototype). */
function setOwn(failing: Record<string, string[]>, id: string, ids: string[]): void {
  Object.defineProperty(failing, id, { value: ids, enumerable: true, writable: true, configurable: true });
}

function failedIds(results: unknown[]): string[] {
  return (results as { id?: unknown; status?: unknown }[])
    .filter((r) => r?.status === 'FAIL' && typeof r.id === 'string')
    .map((r) => r.id as string);
}

export async function loadBaseline(file: string): Promise<Baseline> {
  const failing: Record<string, string[]> = {};
  let lineNo = 0;
  let sawFormat = false;
  try {
    const lines = readline().createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const raw of lines) {
      lineNo++;
      if (lineNo === 1) {
        // Not as brsec writes it (a report reformatted, say by jq): read it whole instead.
        if (!raw.includes(`"format":"${REPORT_FORMAT}"`)) {
          lines.close();
          return { file, failing: await wholeReport(file) };
        }
        sawFormat = true;
        continue;
      }
      if (!raw.startsWith('{"host":')) continue;
      let host: { host?: { id?: unknown }; results?: unknown } | null;
      try {
        host = JSON.parse(raw.endsWith(',') ? raw.slice(0, -1) : raw);
      } catch {
        host = null;
      }
      if (!host || typeof host.host?.id !== 'string' || !Array.isArray(host.results))
        throw new InputError(file, `line ${lineNo} is not a host of a brsec JSON report`);
      setOwn(failing, host.host.id, failedIds(host.results));
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(file, code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${(err as Error).message}`);
  }
  if (!sawFormat) throw new InputError(file, 'empty; expected a brsec JSON report');
  return { file, failing };
}
