// Compliance over time: two brsec JSON reports compared host by host. A FAIL in the newer report that the older did not
// have is new; one the older had and the newer does not is fixed; one in both is still failing. Hosts only in the
// newer report were added, hosts only in the older are gone (their failures are neither fixed nor new).
import { loadBaseline } from '../gate/baseline.js';

export interface HostDiff {
  host: string;
  new: string[];
  fixed: string[];
  still: string[];
}

export interface ReportDiff {
  format: 'brsec-diff/1';
  old: { file: string; hosts: number };
  new: { file: string; hosts: number };
  hostsAdded: string[];
  hostsGone: string[];
  /** Hosts in both reports whose failures changed or remain, in the newer report's order. */
  hosts: HostDiff[];
  totals: { new: number; fixed: number; still: number; hostsAdded: number; hostsGone: number };
}

/** The check ids failing on each host of a report, as the baseline reads them. */
export type FailingByHost = Readonly<Record<string, readonly string[]>>;

/** The diff of two reports' failures; pure. */
export function diffFailures({
  old,
  now,
  files,
}: {
  old: FailingByHost;
  now: FailingByHost;
  files: { old: string; new: string };
}): ReportDiff {
  const has = (o: FailingByHost, id: string) => Object.prototype.hasOwnProperty.call(o, id);
  const hosts: HostDiff[] = [];
  for (const id of Object.keys(now)) {
    if (!has(old, id)) continue;
    const before = new Set(old[id]);
    const after = new Set(now[id]);
    const entry: HostDiff = {
      host: id,
      new: [...after].filter((c) => !before.has(c)),
      fixed: [...before].filter((c) => !after.has(c)),
      still: [...after].filter((c) => before.has(c)),
    };
    if (entry.new.length || entry.fixed.length || entry.still.length) hosts.push(entry);
  }
  const hostsAdded = Object.keys(now).filter((id) => !has(old, id));
  const hostsGone = Object.keys(old).filter((id) => !has(now, id));
  const sum = (pick: (h: HostDiff) => string[]) => hosts.reduce((n, h) => n + pick(h).length, 0);
  return {
    format: 'brsec-diff/1',
    old: { file: files.old, hosts: Object.keys(old).length },
    new: { file: files.new, hosts: Object.keys(now).length },
    hostsAdded,
    hostsGone,
    hosts,
    totals: {
      new: sum((h) => h.new),
      fixed: sum((h) => h.fixed),
      still: sum((h) => h.still),
      hostsAdded: hostsAdded.length,
      hostsGone: hostsGone.length,
    },
  };
}

/** Reads two brsec JSON reports (any size: a line at a time) and diffs their failures. */
export async function diffReports(oldFile: string, newFile: string): Promise<ReportDiff> {
  const [old, now] = await Promise.all([loadBaseline(oldFile), loadBaseline(newFile)]);
  return diffFailures({ old: old.failing, now: now.failing, files: { old: oldFile, new: newFile } });
}
