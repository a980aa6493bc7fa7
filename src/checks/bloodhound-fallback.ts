// What a bloodhound report's verdict proves for a check, worked out once per report. A verdict stands in for
// brsec's own live reading only when it means the same thing: not an override (a deviation Bottlerocket declares),
// not a SKIP, and from a report version whose criterion is at least as strict for a PASS (at most as strict for a
// FAIL) as the check's own. Everything else is said in words, so no result claims there was no verdict.
import type { BloodhoundReport, BloodhoundResult } from '../facts/apiclient.js';
import { versionsOf, type BenchmarkDefinition, type CheckDefinition, type KnownFalseResult } from './loader.js';
import type { Evidence } from '../types.js';
import type { HostContext } from './context.js';
import { evidenceOf, type Outcome } from './evidence.js';
import { quote } from './reasons.js';
import { memoSlot, type ScanMemo } from '../memo.js';

type Mapping = NonNullable<CheckDefinition['bloodhound']>;

export interface BloodhoundUse {
  /** The result bloodhound reported, when it has one for this check. */
  verdict: BloodhoundResult | undefined;
  /** What bloodhound said, as a clause: `bloodhound (CIS Kubernetes Benchmark (Worker Node) v1.8.0) reported PASS`. */
  said: string;
  /** The status that stands in for the live aspect, or null when the verdict proves nothing here. */
  standsIn: 'PASS' | 'FAIL' | null;
  /** Why the verdict does not stand in, when it does not. */
  whyNot?: string;
  /** The report version judges by another criterion, and what that means for its verdict. */
  olderCriterion?: string;
}

const USES = memoSlot(
  'what a bloodhound report proves, by parsed report object and check mapping',
  () => new WeakMap<BloodhoundReport, Map<Mapping, BloodhoundUse>>(),
);

export interface BloodhoundQuestion {
  report: BloodhoundReport;
  /** The check's bloodhound mapping. */
  mapping: Mapping;
  /** The benchmark the check belongs to, whose criterion a report version is compared with. */
  benchmark: BenchmarkDefinition | undefined;
  /** The versions of the benchmark the check judges (a mapping is one check's, so one answer per mapping). */
  checkVersions?: readonly string[];
  memo: ScanMemo;
}

/** How one report's verdict may be used for one check; the same answer for every host that shares the report. */
export function bloodhoundUse({ report, mapping, benchmark, checkVersions, memo }: BloodhoundQuestion): BloodhoundUse {
  const uses = memo.get(USES);
  let known = uses.get(report);
  if (!known) uses.set(report, (known = new Map()));
  let use = known.get(mapping);
  if (!use) known.set(mapping, (use = decide(report, mapping, benchmark, checkVersions)));
  return use;
}

function reportLabel(report: BloodhoundReport, mapping: Mapping): string {
  return `${report.name || mapping.report}${report.version ? ` ${report.version}` : ''}`;
}

function decide(
  report: BloodhoundReport,
  mapping: Mapping,
  benchmark: BenchmarkDefinition | undefined,
  checkVersions: readonly string[] | undefined,
): BloodhoundUse {
  const label = reportLabel(report, mapping);
  const verdict = report.get(mapping.id, mapping.name);
  if (!verdict) {
    return {
      verdict,
      said: `bloodhound's ${label} report has no result for ${mapping.id}`,
      standsIn: null,
      whyNot: 'it has no result for this check',
    };
  }
  const error = verdict.error ? `: "${verdict.error.slice(0, 200)}"` : '';
  if (verdict.overridden) {
    const reason = verdict.overrideReason ? `: "${verdict.overrideReason.slice(0, 300)}"` : '';
    return {
      verdict,
      said: `bloodhound (${label}) reported an override, ${verdict.status}${reason}, a deviation Bottlerocket declares for this check rather than a verdict`,
      standsIn: null,
      whyNot: 'an override is a declared deviation, not a verdict',
    };
  }
  const said = `bloodhound (${label}) reported ${verdict.status}${error}`;
  if (verdict.status === 'SKIP') return { verdict, said, standsIn: null, whyNot: 'bloodhound could not assess it' };
  const ownVersion = benchmark ? versionsLabel(benchmark, checkVersions) : 'this benchmark version';
  if (benchmark?.bloodhoundVersions && !benchmark.bloodhoundVersions.includes(report.version)) {
    return {
      verdict,
      said: `${said}, but brsec does not know how its ${report.version || 'unversioned'} checker compares with ${ownVersion}, so that verdict is not used`,
      standsIn: null,
      whyNot: 'the report version is not one brsec knows',
    };
  }
  const differs = mapping.versions?.[report.version];
  if (!differs) return { verdict, said, standsIn: verdict.status };
  const own = mapping.criterion ?? ownVersion;
  const proves =
    (verdict.status === 'PASS' && differs.compared === 'stricter') || (verdict.status === 'FAIL' && differs.compared === 'looser');
  const comparison = differs.compared === 'different' ? 'different from' : `${differs.compared} than`;
  const olderCriterion = `its ${report.version} checker judges "${differs.criterion}", ${comparison} ${ownVersion}'s "${own}"`;
  if (proves) return { verdict, said, standsIn: verdict.status, olderCriterion };
  return {
    verdict,
    said: `${said}, but ${olderCriterion}, so its ${verdict.status} proves nothing under ${ownVersion}`,
    standsIn: null,
    whyNot: 'the report version judges by another criterion',
    olderCriterion,
  };
}

/** The documented false results of a check, one sentence per bloodhound generation. */
export function knownFalseResultsText(results: readonly KnownFalseResult[], verdict: 'PASS' | 'FAIL'): string | undefined {
  const relevant = results.filter((r) => r.verdict === verdict);
  if (relevant.length === 0) return undefined;
  return relevant.map((r) => `bloodhound ${r.bloodhound}: ${r.text}`).join(' ');
}

/** The benchmark a check belongs to, in the catalogue being scanned: its name and version, and the bloodhound versions it knows. */
function benchmarkOf(check: CheckDefinition, host: HostContext): BenchmarkDefinition | undefined {
  return host.catalog.benchmarksById.get(check.benchmark);
}

/** The versions a check judges alike: `CIS Kubernetes Benchmark (worker node) v1.11.1 and v1.12.0`. */
function versionsLabel(benchmark: BenchmarkDefinition, checkVersions: readonly string[] | undefined): string {
  return `${benchmark.name} ${(checkVersions ?? versionsOf(benchmark)).join(' and ')}`;
}

export function benchmarkName(check: CheckDefinition, host: HostContext): string {
  const b = benchmarkOf(check, host);
  return b ? versionsLabel(b, check.versions) : check.benchmark;
}

/** What the report says when it does not decide the live aspect; the reason of a result that is not PASS quotes it. */
export interface FallbackScratch {
  said: string | undefined;
  /** Notes of the check being evaluated. */
  notes: string[];
  /** Where an older bloodhound report reached another verdict under its own criterion; said in the reason too. */
  differences: string[];
}

/** Applies the bloodhound verdict where brsec's own live evaluation had no usable evidence. */
export function liveWithFallback(
  check: CheckDefinition,
  outcome: Outcome,
  evidence: Evidence[],
  host: HostContext,
  scratch: FallbackScratch,
): Outcome {
  const { notes, differences } = scratch;
  const mapping = check.bloodhound;
  if (!mapping) return outcome;
  const report = host.bloodhound(mapping.report);
  if (report.state === 'absent') {
    scratch.said = `no bloodhound ${mapping.report} report is in this input either`;
    return outcome;
  }
  if (report.state === 'unusable') {
    scratch.said = `bloodhound's ${mapping.report} report (${quote(report.source)}) could not be used either (${report.problem})`;
    return outcome;
  }
  const use = bloodhoundUse({
    report: report.value,
    mapping,
    benchmark: benchmarkOf(check, host),
    checkVersions: check.versions,
    memo: host.memo,
  });
  const { verdict, said } = use;
  const falseResults = (status: 'PASS' | 'FAIL') =>
    mapping.knownFalseResults ? knownFalseResultsText(mapping.knownFalseResults, status) : undefined;
  if (outcome === 'pass' || outcome === 'fail') {
    const brsecSays = outcome === 'pass' ? 'PASS' : 'FAIL';
    const sources = () =>
      [...new Set(evidence.filter((e) => e.outcome === 'pass' || e.outcome === 'fail').map((e) => quote(e.source)))].join(' and ');
    if (verdict?.overridden) {
      notes.push(`brsec's reading of ${sources()} gives ${brsecSays}; ${said}.`);
    } else if (verdict && (verdict.status === 'PASS' || verdict.status === 'FAIL') && verdict.status !== brsecSays) {
      if (use.olderCriterion) {
        notes.push(
          `brsec's reading of ${sources()} gives ${brsecSays} under ${benchmarkName(check, host)}; ${said}, and ${use.olderCriterion}.`,
        );
        differences.push(`${said}, and ${use.olderCriterion}`);
      } else if (use.standsIn === null) {
        notes.push(`brsec's reading of ${sources()} gives ${brsecSays}; ${said}.`);
      } else {
        const known = falseResults(verdict.status);
        notes.push(
          `brsec's reading of ${sources()} gives ${brsecSays} and overrides ${said}${known ? `. Known bloodhound false results: ${known}` : '.'}`,
        );
      }
    }
    return outcome;
  }
  if (use.standsIn === null || !verdict) {
    scratch.said = said;
    return outcome;
  }
  if (use.olderCriterion)
    notes.push(
      `The verdict comes from bloodhound's ${report.value.name || mapping.report} ${report.value.version} report: ${use.olderCriterion}, so its ${verdict.status} holds under ${benchmarkName(check, host)} too.`,
    );
  const known = falseResults(use.standsIn);
  if (known) notes.push(`Only bloodhound's verdict was usable here, and it has known false results: ${known}`);
  const unusable = [...new Set(evidence.filter((e) => e.outcome === 'unusable').map((e) => quote(e.source)))];
  if (unusable.length > 0) notes.push(`${unusable.join(' and ')} could not be used, so ${said} stands in.`);
  // The verdict replaces what could not be read; what could be read stays as evidence.
  for (let i = evidence.length - 1; i >= 0; i--)
    if (evidence[i]!.outcome === 'absent' || evidence[i]!.outcome === 'unusable') evidence.splice(i, 1);
  const replaced: Outcome = use.standsIn === 'PASS' ? 'pass' : 'fail';
  evidence.push(
    evidenceOf({
      aspect: 'live',
      item: `bloodhound check ${verdict.name} (${verdict.id})`,
      source: report.source,
      expected: 'PASS',
      actual: verdict.status + (verdict.error ? ` ("${verdict.error}")` : ''),
      outcome: replaced,
      origin: 'bloodhound',
    }),
  );
  return replaced;
}
