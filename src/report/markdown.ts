// A short Markdown summary for $GITHUB_STEP_SUMMARY and pull-request comments: per host its counts and the
// failing checks with their fix and a link to the rule, then the fleet's totals, what decides the run and, for a
// fleet, which checks fail on how many hosts. It stays within a pull-request comment (65,536 characters; a step
// summary takes 1 MiB): hosts beyond a budget are counted, not shown.
import { benchmarkLabel, choiceLines } from './benchmark-versions.js';
import { loadCatalog, type Catalog } from '../checks/loader.js';
import { failedChecksRollUp, groupRollUp } from './rollup.js';
import { printable } from './printable.js';
import type { CheckResult, FleetTotals, HostResult, InputProblem, Status } from '../types.js';
import type { WriterOptions, WriterScope } from './options.js';
import type { LeftOut, ReportWriter } from './writer.js';

const ICON: Record<Status, string> = { FAIL: '❌', ERROR: '⚠️', NOT_ASSESSED: '❔', MANUAL: '📝', NOT_APPLICABLE: '➖', PASS: '✅' };
/** Failing checks listed per host before the rest are only counted, to keep summaries short. */
const MAX_LISTED = 25;
/**
 * UTF-8 bytes of host sections. The rest stays under 22,000 (header, totals, at most 30 roll-up rows of at most
 * 500 and 20 input errors of at most 300), so the whole is under a pull-request comment's 65,536 characters.
 */
export const MARKDOWN_HOST_BUDGET = 40_000;
/** Rows of the fleet's roll-up of failing checks. */
const MAX_ROLLUP = 30;
/** Input errors listed before the rest are only counted. */
const MAX_INPUT_ERRORS = 20;
/** Groups listed in the summary (--group-by); the JSON report has them all. */
const MAX_GROUPS = 30;

/**
 * Text on one line, within a length, that Markdown shows as it is. Hosts' values reach this summary, which may be a
 * pull-request comment: `<` `>` `[` `]` are escaped so no value becomes a tag, a link or an image (and
 * `settings.kernel.modules.<name>` is not swallowed as a tag), `|` so no table breaks, and `\` first so none of
 * these escapes can be undone.
 */
function cell(text: string, max = 300): string {
  const one = printable(text.replace(/\s+/g, ' ').trim());
  const short = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  return short.replace(/[\\<>[\]|]/g, '\\$&');
}

/** A value inside a code span: one line, no backtick to end the span early. */
function code(text: string, max = 200): string {
  const one = printable(text.replace(/\s+/g, ' ').replace(/`/g, "'").trim());
  return `\`${one.length > max ? `${one.slice(0, max - 1)}…` : one}\``;
}

/** The fix as an `apiclient` command, else (or when the command is longer than max) the remediation text. */
function fixOf(catalog: Catalog, r: Pick<CheckResult, 'id'>, max = Infinity): string {
  const check = catalog.byId.get(r.id);
  if (!check) return '';
  const command = check.remediation.apiclient && check.remediation.apiclient.length <= max ? `\`${check.remediation.apiclient}\`` : '';
  return command || cell(check.remediation.text, 160);
}

function ruleLink(catalog: Catalog, r: Pick<CheckResult, 'id'>): string {
  const check = catalog.byId.get(r.id);
  // Linked to the recommendation's own reference, a page that exists.
  return check?.references[0] ? `[${r.id}](${check.references[0]})` : r.id;
}

/** The fleet's failing checks, most widespread first: which to fix first across hosts. */
function rollUp(totals: FleetTotals, catalog: Catalog): string[] {
  const rows = failedChecksRollUp(totals, catalog);
  if (rows.length === 0) return [];
  const lines = [
    '',
    `#### Failing checks across ${totals.hosts} hosts`,
    '',
    '| Check | Severity | Hosts failing | Fix |',
    '|---|---|---|---|',
  ];
  for (const row of rows.slice(0, MAX_ROLLUP)) {
    lines.push(
      `| ${ruleLink(catalog, row)} ${cell(row.check?.title ?? '', 100)} | ${row.check?.severity ?? ''} | ${row.hosts} | ${fixOf(catalog, row, 200)} |`,
    );
  }
  if (rows.length > MAX_ROLLUP)
    lines.push('', `…and ${rows.length - MAX_ROLLUP} more failing checks (see \`totals.failedChecks\` in the JSON report).`);
  return lines;
}

function hostSection(h: HostResult, catalog: Catalog): string {
  const failing = h.results.filter((r) => (r.status === 'FAIL' || r.status === 'ERROR') && r.waiver?.state !== 'active');
  // As the gate counts them: waivers on results that would otherwise fail or leave the run incomplete.
  const waived = h.results.filter(
    (r) => r.waiver?.state === 'active' && (r.status === 'FAIL' || r.status === 'ERROR' || r.status === 'NOT_ASSESSED'),
  );
  const t = h.totals;
  const lines = [
    `### ${ICON[h.status]} ${cell(h.host.id, 120)}${h.host.name ? ` (${cell(h.host.name, 120)})` : ''}`,
    '',
    `${cell(h.variant.id ?? h.variant.family ?? 'variant unknown', 80)} · ${code(h.source)} · ${t.PASS} passed, ${t.FAIL} failed, ${t.ERROR} error, ${t.NOT_ASSESSED} not assessed, ${t.MANUAL} manual, ${t.NOT_APPLICABLE} not applicable`,
  ];
  for (const line of choiceLines(h.benchmarks)) lines.push('', `Judged against ${cell(line, 600)}.`);
  if (h.baseline)
    lines.push(
      '',
      `Against the baseline: ${h.baseline.new.length} new, ${h.baseline.unchanged.length} unchanged, ${h.baseline.fixed.length} fixed${h.baseline.fixed.length ? ` (${h.baseline.fixed.join(', ')})` : ''}.`,
    );
  if (failing.length > 0) {
    lines.push('', '| | Check | Severity | Finding | Fix |', '|---|---|---|---|---|');
    // In files people edit (user data, node definitions), the line to change.
    const where = h.inputKind === 'user-data' || h.inputKind === 'node-config' ? h.locations : undefined;
    for (const r of failing.slice(0, MAX_LISTED)) {
      const marks = `${ICON[r.status]}${r.baseline === 'new' ? ' 🆕' : ''}${r.waiver?.state === 'expired' ? ' ⌛' : ''}`;
      const line = where?.[r.id];
      const finding = `${line === undefined ? '' : `line ${line}: `}${r.reason ?? ''}`;
      lines.push(`| ${marks} | ${ruleLink(catalog, r)} ${cell(r.title, 120)} | ${r.severity} | ${cell(finding)} | ${fixOf(catalog, r)} |`);
    }
    if (failing.length > MAX_LISTED) lines.push('', `…and ${failing.length - MAX_LISTED} more (see the full report).`);
  }
  if (waived.length > 0) {
    lines.push('', `<details><summary>${waived.length} waived</summary>`, '');
    for (const r of waived)
      lines.push(
        `- ${r.id} ${r.status}: waived until ${r.waiver!.expires} by ${cell(r.waiver!.owner, 80)}: ${cell(r.waiver!.reason, 200)}`,
      );
    lines.push('', '</details>');
  }
  return lines.join('\n') + '\n\n';
}

/** The Markdown summary; fixes and rule links come from the scanned catalogue (the packaged one when none is given). */
export function markdownWriter(
  _options: WriterOptions = {},
  { catalog }: Pick<WriterScope, 'catalog'> = { catalog: loadCatalog() },
): ReportWriter {
  // A host's section is measured (for the budget) and then written: the last one is kept, so it is made once.
  let last: { host: HostResult; text: string } | undefined;
  const sectionOf = (h: HostResult): string => {
    if (last?.host !== h) last = { host: h, text: hostSection(h, catalog) };
    return last.text;
  };
  return {
    separator: '',
    maxItems: MARKDOWN_HOST_BUDGET,
    itemsName: 'bytes of host sections',
    itemsOf: (h) => Buffer.byteLength(sectionOf(h)),
    begin(meta) {
      const benchmarks = meta.benchmarks.map(benchmarkLabel).join(', ');
      const profiles = meta.profiles === 'default' ? 'profiles by variant' : `profile ${meta.profiles.join(', ')}`;
      return `## brsec scan\n\n${benchmarks} · Level ${meta.level} · ${profiles}\n\n`;
    },
    host(h: HostResult) {
      return sectionOf(h);
    },
    end(inputErrors: readonly InputProblem[], totals: FleetTotals, leftOut?: LeftOut) {
      const g = totals.gate;
      const lines = [
        '### Summary',
        '',
        '| Hosts | Failed | Error | Passed | Results failing the run | Waived |',
        '|---|---|---|---|---|---|',
        `| ${totals.hosts} | ${totals.hostsByStatus.FAIL} | ${totals.hostsByStatus.ERROR} | ${totals.hostsByStatus.PASS} | ${g.failing} | ${g.waived} |`,
      ];
      if (g.expiredWaivers > 0) lines.push('', `⌛ ${g.expiredWaivers} result(s) had an expired waiver and count as not waived.`);
      if (g.baseline)
        lines.push(
          '',
          `Against the baseline: ${g.baseline.new} new, ${g.baseline.unchanged} unchanged, ${g.baseline.fixed} fixed failures.`,
        );
      if (inputErrors.length > 0) {
        lines.push(
          '',
          `**${inputErrors.length} input error(s):**`,
          '',
          ...inputErrors.slice(0, MAX_INPUT_ERRORS).map((p) => `- ${code(p.file, 120)}: ${cell(p.message, 160)}`),
        );
        if (inputErrors.length > MAX_INPUT_ERRORS) lines.push(`- …and ${inputErrors.length - MAX_INPUT_ERRORS} more (see the JSON report)`);
      }
      if (totals.hosts > 1) lines.push(...rollUp(totals, catalog));
      if (totals.groupBy) {
        const groups = groupRollUp(totals, catalog);
        lines.push(
          '',
          `### By ${cell(totals.groupBy, 60)}`,
          '',
          '| Group | Hosts | Failing hosts | Failed results | Most failing checks |',
          '|---|---|---|---|---|',
          ...groups
            .slice(0, MAX_GROUPS)
            .map(
              (g) =>
                `| ${cell(g.name, 80)} | ${g.hosts} | ${g.failingHosts} | ${g.failedResults} | ${g.top.map((t) => `${t.id} (${t.hosts})`).join(', ') || '–'} |`,
            ),
        );
        if (groups.length > MAX_GROUPS)
          lines.push('', `_…and ${groups.length - MAX_GROUPS} more groups (see the JSON report's totals.groups)._`);
      }
      if (leftOut) {
        lines.push(
          '',
          `_${leftOut.hosts} more host(s) are not shown above, to keep this summary within a pull-request comment; the JSON, SARIF and JUnit reports have them all._`,
        );
      }
      return lines.join('\n') + '\n';
    },
  };
}
