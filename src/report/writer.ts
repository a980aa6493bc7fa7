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
  /**
   * The writer keeps what it wrote of earlier hosts (the HTML report writes a result the fleet shares once), so it
   * needs every host, in input order, in one thread: a scan with such a report does not use scan threads.
   */
  readonly sequential?: boolean;
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

/**
 * A report with a maximum (SARIF results, Markdown bytes) keeps the first hosts whose items fit, in input order; from
 * the first host that does not fit, the rest are counted, and the report's end says so.
 */
export class ItemBudget {
  private used = 0;
  private full = false;
  private readonly counted: LeftOut = { hosts: 0, items: 0 };

  constructor(private readonly max: number | undefined) {}

  /** Whether a host's part with this many items is written. */
  take(items: number): boolean {
    if (this.max === undefined) return true;
    if (this.full || this.used + items > this.max) {
      this.full = true;
      if (items > 0) {
        this.counted.hosts++;
        this.counted.items += items;
      }
      return false;
    }
    this.used += items;
    return true;
  }

  /** What was left out, or undefined when every host's part was written. */
  get leftOut(): LeftOut | undefined {
    return this.counted.hosts > 0 ? { ...this.counted } : undefined;
  }
}

/** A whole report of a result held in memory; for large fleets, write hosts as they come (scanFleet). */
export function render(writer: ReportWriter, result: ScanResult): string {
  const { hosts, inputErrors, totals, ...meta } = result;
  const parts: string[] = [];
  const budget = new ItemBudget(writer.maxItems);
  for (const host of hosts) {
    if (!budget.take(writer.itemsOf?.(host) ?? 0)) continue;
    const part = writer.host(host);
    if (part.length > 0) parts.push(part);
  }
  return writer.begin(meta) + parts.join(writer.separator) + writer.end(inputErrors, totals, budget.leftOut);
}
