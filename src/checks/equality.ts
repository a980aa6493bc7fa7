// Field-by-field equality of results, used to reuse work across the hosts of a fleet, which mostly reach
// the same result for a check.
import type { CheckResult, Evidence } from '../types.js';

export function sameStrings(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function sameEvidence(a: readonly Evidence[], b: readonly Evidence[]): boolean {
  if (a === b) return true;
  return a.length === b.length && sameEvidenceAt(a, 0, b);
}

/** Whether two evidence items say the same; `y` may leave `problem` and `origin` out where they do not apply. */
export function sameEvidenceItem(
  x: Evidence,
  y: Pick<Evidence, 'aspect' | 'item' | 'source' | 'expected' | 'actual' | 'outcome'> & Partial<Evidence>,
): boolean {
  return (
    x === y ||
    (x.item === y.item &&
      x.actual === y.actual &&
      x.outcome === y.outcome &&
      x.source === y.source &&
      x.expected === y.expected &&
      x.aspect === y.aspect &&
      x.problem === y.problem &&
      x.origin === y.origin)
  );
}

/** Whether `whole`, from `offset`, holds the same evidence as `part`. */
export function sameEvidenceAt(whole: readonly Evidence[], offset: number, part: readonly Evidence[]): boolean {
  if (whole.length < offset + part.length) return false;
  for (let i = 0; i < part.length; i++) if (!sameEvidenceItem(whole[offset + i] as Evidence, part[i] as Evidence)) return false;
  return true;
}

function sameWaiver(a: CheckResult['waiver'], b: CheckResult['waiver']): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.state === b.state &&
    a.check === b.check &&
    a.reason === b.reason &&
    a.owner === b.owner &&
    a.expires === b.expires &&
    a.file === b.file &&
    a.entry === b.entry
  );
}

export function sameResult(a: CheckResult, b: CheckResult): boolean {
  return (
    a === b ||
    (a.id === b.id &&
      a.status === b.status &&
      a.reason === b.reason &&
      a.benchmark === b.benchmark &&
      a.cisId === b.cisId &&
      a.title === b.title &&
      a.level === b.level &&
      a.assessment === b.assessment &&
      a.severity === b.severity &&
      a.audit === b.audit &&
      a.baseline === b.baseline &&
      sameWaiver(a.waiver, b.waiver) &&
      sameStrings(a.notes, b.notes) &&
      sameEvidence(a.evidence, b.evidence))
  );
}
