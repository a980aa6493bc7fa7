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
  /** The same bytes in pieces, for callers that join many hosts at once (one copy instead of two). */
  hostParts?(host: HostResult): Uint8Array[];
  /** Written between two hosts' parts. */
  readonly separator: string;
  /** At most this many items (SARIF results, Markdown bytes) in the whole report: hosts' parts beyond it are left out. */
  readonly maxItems?: number;
  /** What the items are, for the message saying what was left out ("results" unless said). */
  readonly itemsName?: string;
  /** How many items a host's part holds, for maxItems. */
  itemsOf?(host: HostResult): number;
  end(inputErrors: readonly InputProblem[], totals: FleetTotals, leftOut?: LeftOut): string;
}

/** What a writer with maxItems had to leave out. */
export interface LeftOut {
  hosts: number;
  items: number;
}

export function render(writer: ReportWriter, result: ScanResult): string {
  const { hosts, inputErrors, totals, ...meta } = result;
  const parts: string[] = [];
  const leftOut: LeftOut = { hosts: 0, items: 0 };
  let items = 0;
  let full = false;
  for (const host of hosts) {
    const count = writer.itemsOf?.(host) ?? 0;
    // The first hosts that fit are kept, in order; from the first that does not, the rest are counted.
    if (writer.maxItems !== undefined && (full || items + count > writer.maxItems)) {
      full = true;
      if (count > 0) {
        leftOut.hosts++;
        leftOut.items += count;
      }
      continue;
    }
    items += count;
    const part = writer.host(host);
    if (part.length > 0) parts.push(part);
  }
  return writer.begin(meta) + parts.join(writer.separator) + writer.end(inputErrors, totals, leftOut.hosts > 0 ? leftOut : undefined);
}
