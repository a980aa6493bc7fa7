// What a bloodhound report's verdict proves for a check, worked out once per report. A verdict stands in for
// brsec's own live reading only when it means the same thing: not an override (a deviation Bottlerocket declares),
// not a SKIP, and from a report version whose criterion is at least as strict for a PASS (at most as strict for a
// FAIL) as the check's own. Everything else is said in words, so no result claims there was no verdict.
import type { BloodhoundReport, BloodhoundResult } from '../facts/apiclient.js';
import type { BenchmarkDefinition, CheckDefinition, KnownFalseResult } from './loader.js';
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
  memo: ScanMemo;
}

/** How one report's verdict may be used for one check; the same answer for every host that shares the report. */
export function bloodhoundUse({ report, mapping, benchmark, memo }: BloodhoundQuestion): BloodhoundUse {
  const uses = memo.get(USES);
  let known = uses.get(report);
  if (!known) uses.set(report, (known = new Map()));
  let use = known.get(mapping);
  if (!use) known.set(mapping, (use = decide(report, mapping, benchmark)));
  return use;
}

function reportLabel(report: BloodhoundReport, mapping: Mapping): string {
  return `${report.name || mapping.report}${report.version ? ` ${report.version}` : ''}`;
}

function decide(report: BloodhoundReport, mapping: Mapping, benchmark: BenchmarkDefinition | undefined): BloodhoundUse {
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
  const ownVersion = benchmark ? `${benchmark.name} ${benchmark.version}` : 'this benchmark version';
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
