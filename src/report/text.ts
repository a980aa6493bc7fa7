// The terminal report: a table per host, a summary line per host and one for the fleet.
import { benchmarkLabel, choiceLines } from './benchmark-versions.js';
import { failedChecksRollUp, groupRollUp } from './rollup.js';
import { loadCatalog, type Catalog } from '../checks/loader.js';
import type { DisplayFilter, WriterScope } from './options.js';
import { printable } from './printable.js';
import type { CheckResult, FleetTotals, HostResult, RequirementResult, Status, StatusCounts } from '../types.js';
import type { ReportWriter } from './writer.js';

/** Colouring functions; the CLI passes chalk's, tests and pipes get plain text. */
export interface Paint {
  pass(text: string): string;
  fail(text: string): string;
  error(text: string): string;
  warn(text: string): string;
  muted(text: string): string;
  bold(text: string): string;
}

/** Failing checks the fleet roll-up at the end of the text report lists. */
const TEXT_ROLLUP = 10;
const identity = (text: string) => text;
export const plainPaint: Paint = { pass: identity, fail: identity, error: identity, warn: identity, muted: identity, bold: identity };

const LABEL: Record<Status, string> = {
  PASS: 'PASS',
  FAIL: 'FAIL',
  ERROR: 'ERROR',
  NOT_ASSESSED: 'NOT ASSESSED',
  MANUAL: 'MANUAL',
  NOT_APPLICABLE: 'N/A',
};

function paintStatus(paint: Paint, status: Status, text: string): string {
  switch (status) {
    case 'PASS':
      return paint.pass(text);
    case 'FAIL':
      return paint.fail(text);
    case 'ERROR':
      return paint.error(text);
    case 'NOT_ASSESSED':
      return paint.warn(text);
    default:
      return paint.muted(text);
  }
}

/** What decides the run, when it differs from the plain counts (waivers, baseline, severity gate, strict mode). */
function gateLine(gate: HostResult['gate'], counts: StatusCounts, scope: 'host' | 'fleet'): string {
  const parts: string[] = [];
  if (gate.failing !== counts.FAIL) parts.push(`${gate.failing} failing the run`);
  // Incomplete beyond its ERROR results: nothing could be assessed on the host (exit code 3).
  if (gate.incomplete > counts.ERROR)
    parts.push(scope === 'host' ? 'incomplete: nothing could be assessed' : 'incomplete: nothing could be assessed on some host');
  if (gate.waived > 0) parts.push(`${gate.waived} waived`);
  if (gate.expiredWaivers > 0) parts.push(`${gate.expiredWaivers} with an expired waiver`);
  return parts.length > 0 ? ` · ${parts.join(', ')}` : '';
}

export function countsLine(counts: StatusCounts): string {
  return [
    `${counts.PASS} passed`,
    `${counts.FAIL} failed`,
    `${counts.ERROR} error`,
    `${counts.NOT_ASSESSED} not assessed`,
    `${counts.MANUAL} manual`,
    `${counts.NOT_APPLICABLE} not applicable`,
  ].join(', ');
}

function row(paint: Paint, r: CheckResult, idWidth: number): string {
  const status = paintStatus(paint, r.status, LABEL[r.status].padEnd(12));
  const line = `  ${status}  ${r.id.padEnd(idWidth)}  L${r.level}  ${r.severity.padEnd(8)}  ${r.title}`;
  const details: string[] = [];
  if (r.reason && r.status !== 'MANUAL') details.push(`${' '.repeat(16)}${paint.muted('↳ ' + printable(r.reason))}`);
  if (r.waiver?.state === 'active')
    details.push(
      `${' '.repeat(16)}${paint.warn(printable(`⚑ waived until ${r.waiver.expires} by ${r.waiver.owner}: ${r.waiver.reason}`))}`,
    );
  if (r.waiver?.state === 'expired')
    details.push(
      `${' '.repeat(16)}${paint.fail(printable(`⚑ its waiver expired on ${r.waiver.expires} and no longer applies (${r.waiver.file} entry ${r.waiver.entry})`))}`,
    );
  if (r.baseline)
    details.push(
      `${' '.repeat(16)}${paint.muted(r.baseline === 'new' ? '✚ new since the baseline' : '= unchanged since the baseline (does not fail the run)')}`,
    );
  for (const note of r.notes ?? []) details.push(`${' '.repeat(16)}${paint.muted('ℹ ' + printable(note))}`);
  return [line, ...details].join('\n');
}

function requirementLines(paint: Paint, requirements: readonly RequirementResult[], catalog: Catalog): string[] {
  const lines: string[] = [];
  let framework = '';
  const idWidth = Math.max(...requirements.map((r) => r.id.length));
  for (const r of requirements) {
    if (r.framework !== framework) {
      framework = r.framework;
      const name = catalog.mappings.find((m) => m.id === r.framework)?.name ?? r.framework;
      lines.push(paint.bold(`  ${name} v${r.version} requirements`));
    }
    const checks = r.checks.map((c) => (c.status === 'PASS' ? c.id : `${c.id} ${LABEL[c.status]}`)).join(', ');
    const notRun = r.notRun.length > 0 ? paint.muted(` (not run: ${r.notRun.join(', ')})`) : '';
    lines.push(`  ${paintStatus(paint, r.status, LABEL[r.status].padEnd(12))}  ${r.id.padEnd(idWidth)}  ${r.title}`);
    lines.push(`${' '.repeat(16)}${paint.muted('↳ ' + (checks || 'no mapped check ran'))}${notRun}`);
  }
  return lines;
}

/** `--group-by`: each group's hosts, failing hosts, failed results and most widespread failing checks. */
function groupLines(paint: Paint, totals: FleetTotals, catalog: Catalog): string[] {
  const rows = groupRollUp(totals, catalog);
  const nameWidth = Math.max(5, ...rows.map((r) => printable(r.name).length));
  const lines = [`By ${totals.groupBy} (${rows.length} group${rows.length === 1 ? '' : 's'}):`];
  lines.push(
    paint.muted(
      `  ${'GROUP'.padEnd(nameWidth)}  ${'HOSTS'.padStart(6)}  ${'FAILING'.padStart(7)}  ${'FAILED'.padStart(7)}  MOST FAILING CHECKS`,
    ),
  );
  for (const r of rows) {
    const top = r.top.map((t) => `${t.id} (${t.hosts})`).join(', ');
    lines.push(
      `  ${printable(r.name).padEnd(nameWidth)}  ${String(r.hosts).padStart(6)}  ${String(r.failingHosts).padStart(7)}  ${String(r.failedResults).padStart(7)}  ${top || '-'}`,
    );
  }
  return lines;
}

/** The text report; the roll-up names checks from the scanned catalogue (the packaged one when none is given). */
export function textWriter(
  paint: Paint = plainPaint,
  scope: Pick<WriterScope, 'catalog'> = { catalog: loadCatalog() },
  show: DisplayFilter = {},
): ReportWriter {
  const shown = (r: CheckResult): boolean =>
    (!show.statuses || show.statuses.includes(r.status)) && (!show.severities || show.severities.includes(r.severity));
  const filtered = Boolean(show.statuses || show.severities);
  return {
    separator: '',
    begin(meta) {
      const benchmarks = meta.benchmarks.map(benchmarkLabel).join(', ');
      const profiles = meta.profiles === 'default' ? 'profiles by variant' : `profile ${meta.profiles.join(', ')}`;
      return paint.bold(`brsec ${meta.tool.version} · ${benchmarks} · Level ${meta.level} · ${profiles}`) + '\n';
    },
    host(host: HostResult) {
      const variant = host.variant.id ?? host.variant.family ?? 'variant unknown';
      const assumed =
        host.variant.source === 'inferred' || host.variant.source === 'flag'
          ? ` (${host.variant.source === 'flag' ? '--variant' : 'assumed'})`
          : '';
      const os = host.osVersion ? `, Bottlerocket ${host.osVersion}` : '';
      const title = `\nHost ${printable(host.host.id)}${host.host.name ? ` (${printable(host.host.name)})` : ''} · ${printable(variant)}${assumed}${os && printable(os)} · ${host.inputKind} ${printable(host.source)}`;
      const lines = [paint.bold(title)];
      if (host.variant.note) lines.push(paint.muted(`  note: ${printable(host.variant.note)}`));
      for (const line of choiceLines(host.benchmarks)) lines.push(paint.muted(`  judged against ${printable(line)}`));
      const idWidth = Math.max(...host.results.map((r) => r.id.length), 2);
      lines.push(paint.muted(`  ${'STATUS'.padEnd(12)}  ${'ID'.padEnd(idWidth)}  LV  ${'SEVERITY'.padEnd(8)}  TITLE`));
      const rows = filtered ? host.results.filter(shown) : host.results;
      for (const r of rows) lines.push(row(paint, r, idWidth));
      if (rows.length < host.results.length)
        lines.push(paint.muted(`  ${host.results.length - rows.length} more result(s) not shown (display filter)`));
      if (host.requirements && host.requirements.length > 0) lines.push(...requirementLines(paint, host.requirements, scope.catalog));
      if (host.vulnerabilities) {
        const v = host.vulnerabilities;
        const counts =
          Object.entries(v.active)
            .filter(([, n]) => n > 0)
            .map(([s, n]) => `${n} ${s.toLowerCase()}`)
            .join(', ') || 'none active';
        lines.push(
          v.coverage === 'ACTIVE'
            ? `  Inspector: ${counts}; ${v.fixable} critical or high with a fix`
            : paint.warn(`  Inspector coverage: ${v.coverage}: its findings say nothing about this host`),
        );
      }
      if (host.baseline?.fixed.length) lines.push(paint.pass(`  fixed since the baseline: ${host.baseline.fixed.join(', ')}`));
      lines.push(
        `  ${paintStatus(paint, host.status, host.status)} ${printable(host.host.id)}: ${countsLine(host.totals)}${gateLine(host.gate, host.totals, 'host')}`,
      );
      return lines.join('\n') + '\n';
    },
    end(inputErrors, totals: FleetTotals) {
      const lines = [''];
      for (const problem of inputErrors) lines.push(paint.error(printable(`input error: ${problem.file}: ${problem.message}`)));
      const byStatus = (['FAIL', 'ERROR', 'PASS', 'NOT_ASSESSED'] as const)
        .filter((s) => totals.hostsByStatus[s] > 0)
        .map((s) => `${totals.hostsByStatus[s]} ${s}`)
        .join(', ');
      lines.push(
        paint.bold(
          `Fleet: ${totals.hosts} host(s)${byStatus ? ` (${byStatus})` : ''}${totals.inputErrors ? `, ${totals.inputErrors} input error(s)` : ''} · results: ${countsLine(totals.results)}${gateLine(totals.gate, totals.results, 'fleet')}${
            totals.gate.baseline
              ? ` · against the baseline: ${totals.gate.baseline.new} new, ${totals.gate.baseline.unchanged} unchanged, ${totals.gate.baseline.fixed} fixed`
              : ''
          }`,
        ),
      );
      // A fleet's most widespread failures, where to start fixing; every one is in the JSON report's totals.
      const rows = totals.hosts > 1 ? failedChecksRollUp(totals, scope.catalog) : [];
      if (rows.length > 0) {
        lines.push(`Failing checks across ${totals.hosts} hosts, most widespread first:`);
        const shown = rows.slice(0, TEXT_ROLLUP);
        // Columns as wide as their widest entry: a catalogue's own ids may be longer than brsec's.
        const idWidth = Math.max(28, ...shown.map((row) => row.id.length));
        for (const row of shown)
          lines.push(
            `  ${String(row.hosts).padStart(6)}  ${paintStatus(paint, 'FAIL', row.id.padEnd(idWidth))} ${(row.check?.severity ?? '').padEnd(8)} ${row.check?.title ?? ''}`,
          );
        if (rows.length > TEXT_ROLLUP) lines.push(paint.muted(`  …and ${rows.length - TEXT_ROLLUP} more`));
      }
      if (totals.groupBy) lines.push(...groupLines(paint, totals, scope.catalog));
      return lines.join('\n') + '\n';
    },
  };
}
