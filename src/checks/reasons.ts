// The reason a result gives: its evidence with the deciding outcome, as clauses that share what they can.
import type { Evidence } from '../types.js';
import type { Outcome } from './evidence.js';

/** Commands are quoted; user data, Bottlerocket's defaults and the tools that launch nodes are named as they are. */
export const quote = (source: string): string =>
  /^(user data|node definition|Bottlerocket|Amazon |Karpenter|eksctl|EKS|Terraform|CloudFormation)\b/.test(source)
    ? source
    : `\`${source}\``;

/** One clause for evidence that shares outcome, source, actual and expected value: "a, b: 1 in `x`, expected 0". */
function sentence(group: Evidence[]): string {
  const first = group[0] as Evidence;
  const items = group.map((e) => e.item).join(', ');
  const plural = group.length > 1;
  switch (first.outcome) {
    case 'unusable':
      return `${quote(first.source)} could not be used (${first.problem ?? 'unusable'}), so ${items} ${plural ? 'are' : 'is'} unknown; expected ${first.expected}`;
    case 'absent':
      return first.actual === 'not captured'
        ? `${items} ${plural ? 'need' : 'needs'} ${quote(first.source)}, which is not in this input (expected ${first.expected})`
        : `${items}: ${first.actual} in ${quote(first.source)} (expected ${first.expected})`;
    default:
      return `${items}: ${first.actual} in ${quote(first.source)}, expected ${first.expected}`;
  }
}

function sameClause(a: Evidence, b: Evidence): boolean {
  return a.aspect === b.aspect && a.source === b.source && a.actual === b.actual && a.expected === b.expected && a.problem === b.problem;
}

/** Sentences for the evidence with this outcome; neighbours that differ only in item share one clause. */
export function reasonFor(evidence: Evidence[], outcome: Outcome): string {
  const sentences: string[] = [];
  let group: Evidence[] = [];
  for (const e of evidence) {
    if (e.outcome !== outcome) continue;
    if (group.length > 0 && !sameClause(group[0] as Evidence, e)) {
      sentences.push(sentence(group));
      group = [];
    }
    group.push(e);
  }
  if (group.length > 0) sentences.push(sentence(group));
  return [...new Set(sentences)].join('; ');
}
