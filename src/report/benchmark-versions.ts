// The benchmark version a host's result was judged under, as writers name it, and the version finding ids keep.
import { versionsOf, type Catalog, type CheckDefinition } from '../checks/loader.js';
import type { BenchmarkChoice, HostResult } from '../types.js';

/** The version of a benchmark the host was judged against: its choice, else the benchmark's newest (its only one). */
export function judgedVersion(host: Pick<HostResult, 'benchmarks'>, benchmarkId: string, catalog: Catalog): string | undefined {
  const chosen = host.benchmarks?.find((b) => b.benchmark === benchmarkId);
  return chosen?.version ?? catalog.benchmarksById.get(benchmarkId)?.version;
}

/**
 * The version a finding id names: the first version the check belongs to. A recommendation unchanged between
 * versions keeps one id (so Security Hub updates its finding and waivers carry over); a changed one is another check.
 */
export function idVersion(check: CheckDefinition | undefined, catalog: Catalog, benchmarkId: string): string | undefined {
  if (check?.versions) return check.versions[0];
  const benchmark = catalog.benchmarksById.get(benchmarkId);
  return benchmark ? versionsOf(benchmark)[0] : undefined;
}

/** One line per benchmark choice: `CIS Amazon EKS Benchmark (worker node) v1.8.0: why`. */
export function choiceLines(choices: readonly BenchmarkChoice[] | undefined): string[] {
  return (choices ?? []).map((c) => `${c.name} ${c.version}: ${c.reason}`);
}

/** A scan's benchmark as a header names it: `CIS Kubernetes Benchmark (worker node) v1.11.1 or v1.12.0`. */
export function benchmarkLabel(b: { name: string; version: string; versions?: readonly string[] }): string {
  return `${b.name} ${(b.versions ?? [b.version]).join(' or ')}`;
}
