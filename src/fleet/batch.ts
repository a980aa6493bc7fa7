// Hosts written once per report: the one routine the main thread and the scan threads both write hosts with.
import type { GroupBy } from '../groups.js';
import type { HostTally } from '../scan.js';
import { tallyOf } from '../scan.js';
import type { ReportWriter } from '../report/writer.js';
import type { HostResult, InputProblem, SkippedInput } from '../types.js';

/** Consecutive hosts written once per report (joined with each writer's separator), their tallies, and bad inputs. */
export interface WrittenBatch {
  /** UTF-8 bytes per report, in the order of the writers: handed between threads without a copy. */
  chunks: Uint8Array[];
  /** Per report, each host's items (SARIF results, Markdown bytes), for writers with a maximum. */
  hostItems: number[][];
  /** Per report, where each host's part ends in the chunk, so a report with a maximum can keep the first hosts. */
  hostEnds: number[][];
  hosts: HostTally[];
  problems: InputProblem[];
  skipped: SkippedInput[];
}

/** Collects hosts into one WrittenBatch. */
export class BatchWriter {
  private readonly separators: Buffer[];
  private parts: Uint8Array[][] = [];
  private sizes: number[] = [];
  private hostItems: number[][] = [];
  private hostEnds: number[][] = [];
  private hosts: HostTally[] = [];
  private problems: InputProblem[] = [];
  private skipped: SkippedInput[] = [];

  constructor(
    private readonly writers: readonly ReportWriter[],
    private readonly groupBy?: GroupBy,
  ) {
    this.separators = writers.map((w) => Buffer.from(w.separator));
    this.reset();
  }

  private reset(): void {
    this.parts = this.writers.map(() => []);
    this.sizes = this.writers.map(() => 0);
    this.hostItems = this.writers.map(() => []);
    this.hostEnds = this.writers.map(() => []);
    this.hosts = [];
    this.problems = [];
    this.skipped = [];
  }

  addHost(host: HostResult): void {
    this.writers.forEach((writer, i) => {
      this.hostItems[i]!.push(writer.itemsOf?.(host) ?? 0);
      const pieces = writer.hostParts
        ? writer.hostParts(host)
        : [writer.hostBytes ? writer.hostBytes(host) : Buffer.from(writer.host(host))];
      // Parts may be empty (a SARIF fleet run with no findings for a host); separators go only between parts.
      if (pieces.some((p) => p.length > 0)) {
        const own = this.parts[i]!;
        if (own.length > 0) {
          own.push(this.separators[i]!);
          this.sizes[i]! += this.separators[i]!.length;
        }
        for (const piece of pieces) {
          own.push(piece);
          this.sizes[i]! += piece.length;
        }
      }
      this.hostEnds[i]!.push(this.sizes[i]!);
    });
    this.hosts.push(tallyOf(host, this.groupBy));
  }

  addProblem(problem: InputProblem): void {
    this.problems.push(problem);
  }

  addSkipped(skipped: SkippedInput): void {
    this.skipped.push(skipped);
  }

  /** The batch so far; the writer starts a new one. */
  take(): WrittenBatch {
    const batch: WrittenBatch = {
      chunks: this.parts.map((p) => Buffer.concat(p)),
      hostItems: this.hostItems,
      hostEnds: this.hostEnds,
      hosts: this.hosts,
      problems: this.problems,
      skipped: this.skipped,
    };
    this.reset();
    return batch;
  }
}
