// Report writers are pure functions of the scan result. Each works as a stream, one host at a time, so a
// fleet of any size is written with flat memory; render() joins the pieces for a whole ScanResult.
import type { FleetTotals, HostResult, InputProblem, ScanMeta, ScanResult } from '../types.js';

export interface ReportWriter {
  begin(meta: ScanMeta): string;
  host(host: HostResult, index: number): string;
  end(inputErrors: readonly InputProblem[], totals: FleetTotals): string;
}

export function render(writer: ReportWriter, result: ScanResult): string {
  const { hosts, inputErrors, totals, ...meta } = result;
  let out = writer.begin(meta);
  hosts.forEach((host, i) => (out += writer.host(host, i)));
  return out + writer.end(inputErrors, totals);
}
