// Report writers are pure functions of the scan result. Each works as a stream, one host at a time, so a
// fleet of any size is written with flat memory; render() joins the pieces for a whole ScanResult.
import type { FleetTotals, HostResult, InputProblem, ScanMeta, ScanResult } from '../types.js';

export interface ReportWriter {
  begin(meta: ScanMeta): string;
  /** One host's part of the report; it does not depend on the host's position, so workers can write it. */
  host(host: HostResult): string;
  /**
   * The same part as UTF-8 bytes, where the writer can make them cheaper than encoding host(): large fleets
   * are written this way by worker threads.
   */
  hostBytes?(host: HostResult): Uint8Array;
  /** Written between two hosts' parts. */
  readonly separator: string;
  end(inputErrors: readonly InputProblem[], totals: FleetTotals): string;
}

export function render(writer: ReportWriter, result: ScanResult): string {
  const { hosts, inputErrors, totals, ...meta } = result;
  return writer.begin(meta) + hosts.map((host) => writer.host(host)).join(writer.separator) + writer.end(inputErrors, totals);
}
