// A baseline: brsec's own JSON report of an earlier scan. Only FAILs that are new against it fail the run.
import { readReport, type ReportHost } from './report-file.js';

export interface Baseline {
  file: string;
  /** Host id → the check ids that failed on it. Plain data, so worker threads get a copy. */
  failing: Record<string, string[]>;
}

/** A plain own property, even for a host id such as `__proto__` (whose assignment would set the prototype). */
function setOwn(failing: Record<string, string[]>, id: string, ids: string[]): void {
  Object.defineProperty(failing, id, { value: ids, enumerable: true, writable: true, configurable: true });
}

function failedIds(results: ReportHost['results']): string[] {
  return results.filter((r) => r?.status === 'FAIL' && typeof r.id === 'string').map((r) => r.id as string);
}

export async function loadBaseline(file: string): Promise<Baseline> {
  const failing: Record<string, string[]> = {};
  await readReport(file, (host) => setOwn(failing, host.host.id, failedIds(host.results)));
  return { file, failing };
}
