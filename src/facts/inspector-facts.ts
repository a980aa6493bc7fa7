// Facts from Amazon Inspector's evidence in the snapshot (aws.inspector2, added by --inspector): coverage and the
// critical and high findings with a fix, with their ages counted from when Inspector was asked.
import type { Inspector2Evidence, Snapshot } from '../types.js';
import type { Fact } from './captures.js';
import { define, found, missing } from './definition.js';

const INSPECTOR = 'Amazon Inspector';
const DAY = 86_400_000;

/** ACTIVE when some scan type is active, else what Inspector says, e.g. INACTIVE (UNSUPPORTED_OS). */
export function coverageStatus(evidence: Inspector2Evidence): string {
  if (evidence.coverage.length === 0) return 'not covered (Inspector does not know this instance)';
  const active = evidence.coverage.find((c) => c.statusCode === 'ACTIVE');
  if (active) return 'ACTIVE';
  const first = evidence.coverage[0]!;
  return `${first.statusCode}${first.reason ? ` (${first.reason})` : ''}`;
}

function inspectorOf(snapshot: Snapshot): Fact<Inspector2Evidence> {
  const evidence = snapshot.aws?.inspector2;
  if (!evidence) return { state: 'absent', sources: [`${INSPECTOR} (scan with --inspector)`] };
  // Ages are measured from when Inspector was asked: without readable times there is no telling.
  const times = [
    evidence.collectedAt,
    ...evidence.coverage.flatMap((c) => (c.lastScannedAt ? [c.lastScannedAt] : [])),
    ...evidence.findings.map((f) => f.firstObservedAt),
  ];
  const bad = times.find((t) => Number.isNaN(Date.parse(t)));
  if (bad !== undefined)
    return { state: 'unusable', source: INSPECTOR, problem: `aws.inspector2 holds a time that is not one: "${bad.slice(0, 40)}"` };
  return { state: 'ok', source: INSPECTOR, value: evidence };
}

const ageDays = (from: string, to: string): number => Math.floor((Date.parse(to) - Date.parse(from)) / DAY);

export const INSPECTOR_COVERAGE = define({
  key: 'required',
  keyDoc: '`status` or `lastScanAgeDays`',
  valueDoc:
    "Amazon Inspector's coverage of the host (`ACTIVE`, or why not); days since its last scan (snapshot `aws.inspector2`, from `--inspector`)",
  captures: [],
  allowEmpty: false,
  parse: () => null,
  fromInput: (input) => inspectorOf(input.snapshot),
  select: (evidence: Inspector2Evidence, key) => {
    if (key === 'status') return found(coverageStatus(evidence));
    if (key === 'lastScanAgeDays') {
      const scans = evidence.coverage.filter((c) => c.statusCode === 'ACTIVE' && c.lastScannedAt).map((c) => c.lastScannedAt as string);
      if (scans.length === 0) return missing;
      const newest = scans.sort().at(-1) as string;
      return found(ageDays(newest, evidence.collectedAt));
    }
    return missing;
  },
  describe: (key) => (key === 'lastScanAgeDays' ? "days since Inspector's last scan" : 'Inspector coverage'),
});

export const INSPECTOR_FINDINGS = define({
  key: 'required',
  keyDoc: '`criticalHighWithFix`',
  valueDoc: 'active critical and high findings with a fix, as `{id, severity, ageDays}` (absent when Inspector does not cover the host)',
  captures: [],
  allowEmpty: false,
  parse: () => null,
  // Without coverage there is no knowing: never "no vulnerabilities".
  fromInput: (input) => {
    const fact = inspectorOf(input.snapshot);
    if (fact.state !== 'ok') return fact;
    const status = coverageStatus(fact.value);
    return status === 'ACTIVE' ? fact : { state: 'absent', sources: [INSPECTOR], why: `Inspector does not scan this host: ${status}` };
  },
  select: (evidence: Inspector2Evidence, key) => {
    if (key !== 'criticalHighWithFix') return missing;
    return found(
      evidence.findings
        .filter(
          (f) =>
            f.status === 'ACTIVE' &&
            (f.severity === 'CRITICAL' || f.severity === 'HIGH') &&
            (f.fixAvailable === 'YES' || f.fixAvailable === 'PARTIAL'),
        )
        .map((f) => ({
          id: f.vulnerabilityId ?? f.title,
          severity: f.severity,
          ageDays: ageDays(f.firstObservedAt, evidence.collectedAt),
        })),
    );
  },
  describe: () => 'active critical and high findings with a fix',
});
