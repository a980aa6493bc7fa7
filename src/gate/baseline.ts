// A baseline: brsec's own JSON report of an earlier scan. Only FAILs that are new against it fail the run.
// The report has one host per line, so even a fleet's report is read a line at a time with flat memory.
import { createReadStream } from 'node:fs';
import { readline } from '../builtins.js';
import { InputError } from '../errors.js';
import { REPORT_FORMAT } from '../report/json.js';

export interface Baseline {
  file: string;
  /** Host id → the check ids that failed on it. Plain data, so worker threads get a copy. */
  failing: Record<string, string[]>;
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
        if (!raw.includes(`"format":"${REPORT_FORMAT}"`)) throw new InputError(file, `not a brsec JSON report (${REPORT_FORMAT}); make the baseline with \`brsec scan … --format json\``);
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
      if (!host || typeof host.host?.id !== 'string' || !Array.isArray(host.results)) throw new InputError(file, `line ${lineNo} is not a host of a brsec JSON report`);
      failing[host.host.id] = (host.results as { id?: unknown; status?: unknown }[]).filter((r) => r?.status === 'FAIL' && typeof r.id === 'string').map((r) => r.id as string);
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(file, code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${(err as Error).message}`);
  }
  if (!sawFormat) throw new InputError(file, 'empty; expected a brsec JSON report');
  return { file, failing };
}
