// Evaluates check definitions against one host. Knows the status rules of the snapshot spec (section 4); never a
// particular check. Rooms: compile.ts (checks compiled once per scan), evaluate.ts (leaves tested, evidence recorded),
// reasons.ts (the sentences), bloodhound-fallback.ts (what a bloodhound verdict proves where brsec's own reading
// has no usable evidence). Results equal to a recent host's are shared, frozen.
import type { CheckResult, Evidence, InputKind, Status } from '../types.js';
import type { CheckDefinition } from './loader.js';
import { liveWithFallback, type FallbackScratch } from './bloodhound-fallback.js';
import type { HostContext } from './context.js';
import { sameEvidenceAt, sameStrings } from './equality.js';
import { compile, RECENT, type CompiledCheck } from './compile.js';
import { evaluateNode } from './evaluate.js';
import { EvidenceList, type Outcome } from './evidence.js';
import { quote, reasonFor } from './reasons.js';

function deepFreezeResult(result: CheckResult): CheckResult {
  for (const e of result.evidence) Object.freeze(e);
  Object.freeze(result.evidence);
  if (result.notes) Object.freeze(result.notes);
  return Object.freeze(result);
}

/** Every result has the same fields in the same order; absent optional fields stay undefined and are not written. */
function resultOf(
  t: CompiledCheck['template'],
  status: Status,
  reason: string | undefined,
  evidence: Evidence[],
  notes?: string[],
  audit?: string,
): CheckResult {
  return {
    id: t.id,
    benchmark: t.benchmark,
    cisId: t.cisId,
    title: t.title,
    level: t.level,
    assessment: t.assessment,
    severity: t.severity,
    status,
    reason,
    evidence,
    notes,
    audit,
  };
}

const NO_EVIDENCE: Evidence[] = [];
const NO_NOTES: string[] = [];
/**
 * What the check being evaluated gathers besides evidence: bloodhound's word when its verdict did not decide the
 * live aspect, notes (copied into the result only when there are any) and differences. Reset for every check, so it
 * holds nothing between checks or hosts; one object, so evaluation allocates nothing for the common empty case.
 */
const scratch: FallbackScratch = { said: undefined, notes: [], differences: [] };
const MANUAL_REASON = 'the benchmark leaves this recommendation to a manual audit';

/** Whether `whole` is `first` followed by `second`, item by item. */
function sameEvidenceParts(whole: readonly Evidence[], first: readonly Evidence[], second: readonly Evidence[]): boolean {
  if (whole.length !== first.length + second.length) return false;
  return sameEvidenceAt(whole, 0, first) && sameEvidenceAt(whole, first.length, second);
}

/** FAIL if either aspect fails, else ERROR if either is unusable, else PASS if either passes. */
function statusOf(configured: Outcome | null, live: Outcome | null): Status {
  if (configured === 'fail' || live === 'fail') return 'FAIL';
  if (configured === 'unusable' || live === 'unusable') return 'ERROR';
  if (configured === 'pass' || live === 'pass') return 'PASS';
  return 'NOT_ASSESSED';
}

type AppliesTo = NonNullable<CheckDefinition['appliesTo']>;

/** Input kinds as reasons name them. */
const INPUT_NAMES: Record<InputKind, string> = {
  snapshot: 'a snapshot',
  'apiclient-get': '`apiclient get` output',
  'apiclient-update-check': '`apiclient update check` output',
  'bloodhound-report': 'a bloodhound report',
  'user-data': 'user data',
  'node-config': 'node definitions (Karpenter, eksctl, Terraform, CloudFormation, EKS files)',
};

/** Whether a check applies to the host (a host whose kind is not known gets every check of any kind). */
function applies(appliesTo: AppliesTo, host: HostContext): boolean {
  const kind = host.kind;
  if (appliesTo.inputs && !appliesTo.inputs.includes(host.input.kind)) return false;
  if (appliesTo.kinds && kind !== null && !appliesTo.kinds.includes(kind)) return false;
  // A variant whose family is not known may be one of them: the check runs, and says what it cannot know.
  if (appliesTo.families && host.variant.family !== null && !appliesTo.families.includes(host.variant.family)) return false;
  return !appliesTo.fips || host.fips !== null;
}

/** Why a check does not apply to the host. */
function notApplicableReason(appliesTo: AppliesTo, host: HostContext): string {
  const variant = host.variant.id ?? host.variant.family;
  const kind = host.kind;
  if (appliesTo.inputs && !appliesTo.inputs.includes(host.input.kind)) {
    return `applies to ${appliesTo.inputs.map((k) => INPUT_NAMES[k]).join(' and ')} only; this host was read from ${INPUT_NAMES[host.input.kind]}`;
  }
  if (appliesTo.kinds && kind !== null && !appliesTo.kinds.includes(kind)) {
    return `applies to ${appliesTo.kinds.join(' and ')} variants only; this host is ${variant} (${kind})`;
  }
  if (appliesTo.families && host.variant.family !== null && !appliesTo.families.includes(host.variant.family)) {
    return `applies to ${appliesTo.families.join(' and ')} variants only; this host is ${variant}`;
  }
  const which = host.variant.id
    ? `${host.variant.id} is not a FIPS variant`
    : 'the variant is not known (pass --variant with a -fips variant for one)';
  return `applies to FIPS variants and hosts booted with fips=1; ${which} and has no fips=1`;
}

/**
 * The result of a check whose subject may not exist on the host (automatedWhen did not pass): MANUAL where the
 * evidence shows it does not, with the audit steps; NOT_ASSESSED where that evidence was not captured; ERROR where
 * it could not be read. Equal to the last such result when the evidence is.
 */
function unjudged(c: CompiledCheck, check: CheckDefinition, evidence: Evidence[], outcome: Outcome): CheckResult {
  const status: Status = outcome === 'unusable' ? 'ERROR' : outcome === 'absent' ? 'NOT_ASSESSED' : 'MANUAL';
  const known = c.lastUnjudged;
  if (known && known.status === status && known.evidence.length === evidence.length && sameEvidenceAt(known.evidence, 0, evidence))
    return known;
  const failing = evidence.filter((e) => e.outcome === 'fail');
  const reason =
    status === 'MANUAL'
      ? `${MANUAL_REASON} where its subject does not exist, and ${failing.map((e) => e.item).join(', ')} does not exist on this host (${[...new Set(failing.map((e) => quote(e.source)))].join(', ')})`
      : `whether its subject exists on the host is unknown: ${reasonFor(evidence, outcome)}`;
  c.lastUnjudged = deepFreezeResult(
    resultOf(c.template, status, reason, evidence, undefined, status === 'MANUAL' ? check.audit : undefined),
  );
  return c.lastUnjudged;
}

export function evaluateCheck(check: CheckDefinition, host: HostContext): CheckResult {
  const c = compile(check, host.memo);
  const { template, configured, live } = c;
  if (check.appliesTo && !applies(check.appliesTo, host)) {
    // Shared by every host of the same variant and kind (whose FIPS standing the variant decides, or fips=1 does not).
    const key = `${host.variant.id ?? host.variant.family}\u0000${host.kind}\u0000${check.appliesTo.inputs ? host.input.kind : ''}`;
    c.notApplicable ??= new Map();
    let result = c.notApplicable.get(key);
    if (!result)
      c.notApplicable.set(
        key,
        (result = deepFreezeResult(resultOf(template, 'NOT_APPLICABLE', notApplicableReason(check.appliesTo, host), []))),
      );
    return result;
  }
  if (!configured && !live) {
    c.last ??= deepFreezeResult(resultOf(template, 'MANUAL', MANUAL_REASON, [], undefined, check.audit));
    return c.last;
  }
  // Judged only where its subject exists on the host (a kube-proxy config file); a manual audit elsewhere.
  if (c.condition) {
    const list = new EvidenceList(c.lastCondition);
    const outcome = evaluateNode(c.condition, host, 'live', list);
    c.lastCondition = list.items;
    if (outcome !== 'pass') return unjudged(c, check, list.items, outcome);
  }
  // Setting an array's length costs more than reading it, and most checks leave both empty.
  if (scratch.notes.length > 0) scratch.notes.length = 0;
  if (scratch.differences.length > 0) scratch.differences.length = 0;
  scratch.said = undefined;
  // A trade-off Bottlerocket makes on the host's family, said with the result; results are shared only with its word.
  const familyNote = check.familyNotes && host.variant.family !== null ? check.familyNotes[host.variant.family] : undefined;
  const configuredList = configured ? new EvidenceList(c.lastConfigured) : null;
  const liveList = live ? new EvidenceList(c.lastLive) : null;
  const configuredOutcome = configured && configuredList ? evaluateNode(configured, host, 'configured', configuredList) : null;
  const liveOutcome =
    live && liveList ? liveWithFallback(check, evaluateNode(live, host, 'live', liveList), liveList.items, host, scratch) : null;
  const configuredEvidence = configuredList?.items ?? NO_EVIDENCE;
  const liveEvidence = liveList?.items ?? NO_EVIDENCE;
  c.lastConfigured = configuredEvidence;
  c.lastLive = liveEvidence;

  // A manual recommendation's aspects are evidence for the auditor; they never decide it.
  const manual = check.assessment === 'manual';
  const status: Status = manual ? 'MANUAL' : statusOf(configuredOutcome, liveOutcome);
  const sharedKey = familyNote === undefined ? scratch.said : `${scratch.said ?? ''}\u0000${familyNote}`;
  // A PASS has no reason to say the family's trade-off in, so it is a note there.
  const notes = familyNote !== undefined && status === 'PASS' ? [...scratch.notes, familyNote] : scratch.notes;
  const recent = (c.recent ??= []);
  const recentSaid = (c.recentSaid ??= []);
  for (let i = recent.length - 1; i >= 0; i--) {
    const known = recent[i] as CheckResult;
    if (
      known.status === status &&
      (known.notes?.length ?? 0) === notes.length &&
      sameStrings(known.notes ?? NO_NOTES, notes) &&
      recentSaid[i] === sharedKey &&
      sameEvidenceParts(known.evidence, configuredEvidence, liveEvidence)
    ) {
      return known;
    }
  }
  const evidence =
    configuredEvidence.length === 0
      ? liveEvidence
      : liveEvidence.length === 0
        ? configuredEvidence
        : configuredEvidence.concat(liveEvidence);
  const finalNotes = notes.length > 0 ? notes.slice() : undefined;

  let reason: string | undefined;
  if (manual) reason = MANUAL_REASON;
  else if (status !== 'PASS') {
    const wanted: Outcome = status === 'FAIL' ? 'fail' : status === 'ERROR' ? 'unusable' : 'absent';
    // Only aspects that reached the wanted outcome explain it (a passing aspect's evidence does not).
    const explaining = [
      ...(configuredOutcome === wanted ? configuredEvidence : NO_EVIDENCE),
      ...(liveOutcome === wanted ? liveEvidence : NO_EVIDENCE),
    ];
    reason = reasonFor(explaining, wanted);
    // The live aspect had no usable evidence of its own: say what bloodhound said and why it did not stand in.
    if ((status === 'NOT_ASSESSED' || status === 'ERROR') && liveOutcome === wanted && scratch.said) reason += `; ${scratch.said}`;
    for (const difference of scratch.differences) reason += `; ${difference}`;
    // A clause of the reason, as the others: it starts in lower case.
    if (familyNote !== undefined) reason += `; ${familyNote.charAt(0).toLowerCase()}${familyNote.slice(1)}`;
  }
  // Results are shared between hosts that reach the same one, so they are frozen.
  const result = deepFreezeResult(resultOf(template, status, reason, evidence, finalNotes, manual ? check.audit : undefined));
  if (recent.length >= RECENT) {
    recent.shift();
    recentSaid.shift();
  }
  recent.push(result);
  recentSaid.push(sharedKey);
  return result;
}
