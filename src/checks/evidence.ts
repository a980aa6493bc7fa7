// Evidence as the engine gathers it: one item per leaf and aspect, made once and reused by hosts that look the same.
import type { Evidence } from '../types.js';
import { sameEvidenceItem } from './equality.js';

export type Outcome = Evidence['outcome'];

/**
 * Evidence of one aspect as it is gathered. Hosts of a fleet mostly look the same, so an item equal to the one
 * at the same place on the previous host is reused (they are frozen) rather than made again.
 */
export class EvidenceList {
  readonly items: Evidence[] = [];
  constructor(private readonly prior: readonly Evidence[] | undefined) {}

  /** Evidence made for an earlier host and known to be the same here. */
  reuse(evidence: Evidence): void {
    this.items.push(evidence);
  }

  get last(): Evidence {
    return this.items[this.items.length - 1] as Evidence;
  }

  add(e: EvidenceFields): void {
    const p = this.prior?.[this.items.length];
    this.items.push(p !== undefined && sameEvidenceItem(p, e) ? p : evidenceOf(e));
  }
}

/** An evidence item's fields; `problem` and `origin` only where they apply. */
export type EvidenceFields = Pick<Evidence, 'aspect' | 'item' | 'source' | 'expected' | 'actual' | 'outcome'> &
  Partial<Pick<Evidence, 'problem' | 'origin'>>;

/** Every evidence object has the same fields in the same order, so V8 keeps one shape for all of them. */
export function evidenceOf(e: EvidenceFields): Evidence {
  return {
    aspect: e.aspect,
    item: e.item,
    source: e.source,
    expected: e.expected,
    actual: e.actual,
    outcome: e.outcome,
    problem: e.problem,
    origin: e.origin,
  };
}
