// Compliance over time in the HTML report (`--history DIR`): each earlier JSON report in a folder becomes one point
// of the trend (when it was made, failing hosts, failed results, failed results per benchmark). Reports are read a
// line at a time, as the baseline is (src/gate/report-file.ts), so a folder of fleet reports costs little memory.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { readReport } from '../gate/report-file.js';

export interface HistoryPoint {
  /** The report's generatedAt. */
  at: string;
  file: string;
  hosts: number;
  failingHosts: number;
  failedResults: number;
  /** Failed results by benchmark id. */
  byBenchmark: Record<string, number>;
}

/** One point from a brsec JSON report, read as a baseline is. */
async function pointOf(file: string): Promise<HistoryPoint> {
  const point: HistoryPoint = { at: '', file, hosts: 0, failingHosts: 0, failedResults: 0, byBenchmark: {} };
  const { generatedAt } = await readReport(file, (host) => {
    point.hosts++;
    if (host.status === 'FAIL') point.failingHosts++;
    for (const r of host.results) {
      if (r?.status !== 'FAIL' || typeof r.benchmark !== 'string') continue;
      point.failedResults++;
      point.byBenchmark[r.benchmark] = (point.byBenchmark[r.benchmark] ?? 0) + 1;
    }
  });
  if (!generatedAt) throw new InputError(file, 'the report does not say when it was made (generatedAt)');
  point.at = generatedAt;
  return point;
}

/** The trend of the JSON reports in a folder (files ending .json), oldest first. */
export async function readHistory(dir: string): Promise<HistoryPoint[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      dir,
      code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'is not a folder' : `cannot read: ${(err as Error).message}`,
    );
  }
  const points = [];
  for (const name of names) points.push(await pointOf(join(dir, name)));
  return points.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
