// A short Markdown summary for $GITHUB_STEP_SUMMARY and pull-request comments: the fleet's totals and what
// decides the run, then per host its counts and the failing checks with their fix and a link to the rule.
import { loadCatalog } from '../checks/loader.js';
import type { CheckResult, FleetTotals, HostResult, InputProblem, Status } from '../types.js';
import type { WriterOptions } from './options.js';
import type { ReportWriter } from './writer.js';

const RULES = 'https://github.com/brsec/brsec/blob/main';
const ICON: Record<Status, string> = { FAIL: '❌', ERROR: '⚠️', NOT_ASSESSED: '❔', MANUAL: '📝', NOT_APPLICABLE: '➖', PASS: '✅' };
/** Failing checks listed per host before the rest are only counted, to keep summaries short. */
const MAX_LISTED = 25;

/** Text for a table cell: one line, pipes escaped, within a length. */
function cell(text: string, max = 300): string {
  const one = text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function fixOf(r: CheckResult): string {
  const check = loadCatalog().byId.get(r.id);
  if (!check) return '';
  const command = check.remediation.apiclient ? `\`${check.remediation.apiclient}\`` : '';
  return command || cell(check.remediation.text, 160);
}

function ruleLink(r: CheckResult): string {
  const check = loadCatalog().byId.get(r.id);
  return check ? `[${r.id}](${RULES}/${check.file})` : r.id;
}

export function markdownWriter(_options: WriterOptions = {}): ReportWriter {
  return {
    separator: '',
    begin(meta) {
      const benchmarks = meta.benchmarks.map((b) => `${b.name} ${b.version}`).join(', ');
      const profiles = meta.profiles === 'default' ? 'profiles by variant' : `profile ${meta.profiles.join(', ')}`;
      return `## brsec scan\n\n${benchmarks} · Level ${meta.level} · ${profiles}\n\n`;
    },
    host(h: HostResult) {
      const failing = h.results.filter((r) => (r.status === 'FAIL' || r.status === 'ERROR') && r.waiver?.state !== 'active');
      // As the gate counts them: waivers on results that would otherwise fail or leave the run incomplete.
      const waived = h.results.filter((r) => r.waiver?.state === 'active' && (r.status === 'FAIL' || r.status === 'ERROR' || r.status === 'NOT_ASSESSED'));
      const t = h.totals;
      const lines = [
        `### ${ICON[h.status]} ${h.host.id}${h.host.name ? ` (${h.host.name})` : ''}`,
        '',
        `${h.variant.id ?? h.variant.family ?? 'variant unknown'} · \`${h.source}\` · ${t.PASS} passed, ${t.FAIL} failed, ${t.ERROR} error, ${t.NOT_ASSESSED} not assessed, ${t.MANUAL} manual, ${t.NOT_APPLICABLE} not applicable`,
      ];
      if (h.baseline) lines.push('', `Against the baseline: ${h.baseline.new.length} new, ${h.baseline.unchanged.length} unchanged, ${h.baseline.fixed.length} fixed${h.baseline.fixed.length ? ` (${h.baseline.fixed.join(', ')})` : ''}.`);
      if (failing.length > 0) {
        lines.push('', '| | Check | Severity | Finding | Fix |', '|---|---|---|---|---|');
        for (const r of failing.slice(0, MAX_LISTED)) {
          const marks = `${ICON[r.status]}${r.baseline === 'new' ? ' 🆕' : ''}${r.waiver?.state === 'expired' ? ' ⌛' : ''}`;
          lines.push(`| ${marks} | ${ruleLink(r)} ${cell(r.title, 120)} | ${r.severity} | ${cell(r.reason ?? '')} | ${fixOf(r)} |`);
        }
        if (failing.length > MAX_LISTED) lines.push('', `…and ${failing.length - MAX_LISTED} more (see the full report).`);
      }
      if (waived.length > 0) {
        lines.push('', `<details><summary>${waived.length} waived</summary>`, '');
        for (const r of waived) lines.push(`- ${r.id} ${r.status}: waived until ${r.waiver!.expires} by ${cell(r.waiver!.owner, 80)}: ${cell(r.waiver!.reason, 200)}`);
        lines.push('', '</details>');
      }
      return lines.join('\n') + '\n\n';
    },
    end(inputErrors: readonly InputProblem[], totals: FleetTotals) {
      const g = totals.gate;
      const lines = [
        '### Summary',
        '',
        '| Hosts | Failed | Error | Passed | Results failing the run | Waived |',
        '|---|---|---|---|---|---|',
        `| ${totals.hosts} | ${totals.hostsByStatus.FAIL} | ${totals.hostsByStatus.ERROR} | ${totals.hostsByStatus.PASS} | ${g.failing} | ${g.waived} |`,
      ];
      if (g.expiredWaivers > 0) lines.push('', `⌛ ${g.expiredWaivers} result(s) had an expired waiver and count as not waived.`);
      if (g.baseline) lines.push('', `Against the baseline: ${g.baseline.new} new, ${g.baseline.unchanged} unchanged, ${g.baseline.fixed} fixed failures.`);
      if (inputErrors.length > 0) lines.push('', `**${inputErrors.length} input error(s):**`, '', ...inputErrors.map((p) => `- \`${p.file}\`: ${cell(p.message)}`));
      return lines.join('\n') + '\n';
    },
  };
}
