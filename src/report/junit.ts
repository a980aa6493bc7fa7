// JUnit XML for CI test reports (GitLab, Jenkins, GitHub actions that render JUnit): one test suite per host,
// one test case per check with a class name and name unique within the report; failures and errors carry their
// reasons; MANUAL, NOT_APPLICABLE, NOT_ASSESSED and waived results are skipped with why.
//
// The dialect is Jenkins' junit-10.xsd, which the others read too: the file is an attribute of the suite (a test case
// has no file or line attribute there), and the line of a finding is in its message. A skipped case says why both in
// its message attribute (Jenkins, GitHub reporters) and in its text (GitLab shows the text).
import { escapeMarkup as xmlEscape } from './markup.js';
import { printableId } from './printable.js';
import type { CheckResult, HostResult } from '../types.js';
import type { WriterOptions } from './options.js';
import type { ReportWriter } from './writer.js';

type Outcome = { kind: 'pass' } | { kind: 'failure' | 'error' | 'skipped'; message: string; body?: string };

function outcomeOf(r: CheckResult, strict: boolean): Outcome {
  if (r.waiver?.state === 'active')
    return { kind: 'skipped', message: `waived until ${r.waiver.expires} by ${r.waiver.owner}: ${r.waiver.reason}` };
  const expired = r.waiver?.state === 'expired' ? ` (its waiver expired on ${r.waiver.expires})` : '';
  const baseline = r.baseline === 'unchanged' ? ' (unchanged since the baseline)' : r.baseline === 'new' ? ' (new since the baseline)' : '';
  switch (r.status) {
    case 'PASS':
      return { kind: 'pass' };
    case 'FAIL':
      return {
        kind: 'failure',
        message: `${r.reason ?? 'failed'}${baseline}${expired}`,
        body: r.evidence
          .filter((e) => e.outcome === 'fail')
          .map((e) => `${e.item}: ${e.actual} (expected ${e.expected}) from ${e.source}`)
          .join('\n'),
      };
    case 'ERROR':
      return { kind: 'error', message: `${r.reason ?? 'evidence unusable'}${expired}` };
    case 'NOT_ASSESSED':
      return strict
        ? { kind: 'error', message: `not assessed: ${r.reason ?? ''}${expired}` }
        : { kind: 'skipped', message: `not assessed: ${r.reason ?? ''}` };
    case 'MANUAL':
      return { kind: 'skipped', message: `manual: ${r.audit ?? r.reason ?? ''}` };
    case 'NOT_APPLICABLE':
      return { kind: 'skipped', message: `not applicable: ${r.reason ?? ''}` };
  }
}

export function junitWriter(options: WriterOptions = {}): ReportWriter {
  const strict = options.strict ?? false;
  return {
    separator: '',
    begin: () => '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="brsec">\n',
    host(h: HostResult) {
      const counts = { tests: h.results.length, failures: 0, errors: 0, skipped: 0 };
      const cases: string[] = [];
      const file = xmlEscape(h.source);
      for (const r of h.results) {
        const outcome = outcomeOf(r, strict);
        const open = `    <testcase classname="${xmlEscape(`${printableId(h.host.id)}.${r.benchmark}`)}" name="${xmlEscape(`${r.id} ${r.title}`)}" time="0"`;
        if (outcome.kind === 'pass') {
          cases.push(`${open}/>`);
          continue;
        }
        const line = h.locations?.[r.id];
        const message = xmlEscape(line === undefined ? outcome.message : `line ${line}: ${outcome.message}`);
        if (outcome.kind === 'failure') counts.failures++;
        else if (outcome.kind === 'error') counts.errors++;
        else counts.skipped++;
        const inner =
          outcome.kind === 'skipped'
            ? `<skipped message="${message}">${message}</skipped>`
            : `<${outcome.kind} message="${message}" type="${r.status}">${outcome.body ? xmlEscape(outcome.body) : message}</${outcome.kind}>`;
        cases.push(`${open}>${inner}</testcase>`);
      }
      const name = `${printableId(h.host.id)}${h.variant.id ? ` (${printableId(h.variant.id)})` : ''}`;
      const props = `    <properties><property name="status" value="${h.status}"/><property name="variant" value="${xmlEscape(h.variant.id ?? h.variant.family ?? 'unknown')}"/><property name="profiles" value="${xmlEscape(h.profiles.join(','))}"/></properties>`;
      return `  <testsuite name="${xmlEscape(name)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="0" file="${file}">\n${props}\n${cases.join('\n')}\n  </testsuite>\n`;
    },
    end: () => '</testsuites>\n',
  };
}
