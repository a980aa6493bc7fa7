// `--format html`: one self-contained file an auditor opens from disk or a CI artifact. No network, no fonts, no
// external reference; a Content-Security-Policy with the hashes of its one style and one script. The data are
// embedded as JSON blocks and drawn on demand by the script (src/report/html-client.ts), so a fleet of 10,000 hosts
// stays small and quick: each host's head (status, counts, failing checks) is read at load, its results only when
// it is opened. Results that hosts share are written once: hosts of one fleet mostly reach the same result.
//
// The writer keeps the results it has written, so it needs the hosts in order, in one thread (`sequential`).
import { contentSecurityPolicy, escapeMarkup, scriptJson } from './markup.js';
import { benchmarkLabel, choiceLines } from './benchmark-versions.js';
import type { Catalog } from '../checks/loader.js';
import { loadCatalog } from '../checks/loader.js';
import type { CheckResult, FleetTotals, HostResult, InputProblem, ScanMeta, Status } from '../types.js';
import { HTML_CLIENT_SCRIPT, HTML_STYLE } from './html-client.js';
import { groupChart, statusChart, topFailingChart, trendChart } from './html-charts.js';
import type { HistoryPoint } from '../diff/history.js';
import type { WriterOptions, WriterScope } from './options.js';
import { groupOf, type GroupBy } from '../groups.js';
import { groupRollUp } from './rollup.js';
import type { LeftOut, ReportWriter } from './writer.js';

/** The order counts are written in, in heads and the summary. */
export const STATUS_ORDER: readonly Status[] = ['FAIL', 'ERROR', 'NOT_ASSESSED', 'MANUAL', 'NOT_APPLICABLE', 'PASS'];

/** A result as the page draws it: what the catalogue already says (title, severity, fix) is left to the catalogue. */
function compactResult(r: CheckResult): unknown[] {
  return [
    r.id,
    STATUS_ORDER.indexOf(r.status),
    r.reason ?? null,
    r.evidence.map((e) => [e.aspect, e.item, e.source, e.expected, e.actual, e.outcome, e.origin ?? null, e.problem ?? null]),
    r.notes ?? null,
    r.waiver ? [r.waiver.state, r.waiver.check, r.waiver.reason, r.waiver.owner, r.waiver.expires] : null,
    r.baseline ?? null,
  ];
}

/** What the page lists for a host before it is opened. */
function headOf(h: HostResult, groupBy: GroupBy | undefined): Record<string, unknown> {
  const failing = h.results.filter((r) => r.status === 'FAIL' && r.waiver?.state !== 'active').map((r) => r.id);
  const waived = h.results.filter((r) => r.waiver).map((r) => [r.id, r.waiver!.state, r.waiver!.expires]);
  return {
    i: h.host.id,
    ...(h.host.name ? { n: h.host.name } : {}),
    s: h.status,
    t: STATUS_ORDER.map((s) => h.totals[s]),
    v: h.variant.id ?? h.variant.family ?? null,
    o: h.osVersion,
    p: h.profiles,
    ...(h.benchmarks?.length ? { j: choiceLines(h.benchmarks) } : {}),
    k: h.inputKind,
    src: h.source,
    f: failing,
    ...(waived.length ? { w: waived } : {}),
    ...(h.requirements?.length ? { q: h.requirements.map((q) => [q.framework, q.id, q.status]) } : {}),
    ...(h.baseline ? { b: [h.baseline.new, h.baseline.fixed] } : {}),
    ...(h.locations ? { l: h.locations } : {}),
    ...(groupBy ? { g: groupOf(h, groupBy) } : {}),
  };
}

/** The catalogue as the page needs it: each check's title, severity, level, benchmark and fix. */
function catalogueData(catalog: Catalog): Record<string, unknown> {
  const checks: Record<string, unknown> = {};
  for (const c of catalog.checks) {
    checks[c.id] = {
      t: c.title,
      s: c.severity,
      l: c.level,
      b: c.benchmark,
      ...(c.cisId ? { c: c.cisId } : {}),
      f: [c.remediation.text, c.remediation.apiclient ?? null, c.remediation.userData ?? null],
      r: c.references,
    };
  }
  // Requirement titles by framework and id (`pci-dss:2.2.6`): two frameworks may number alike.
  const requirements: Record<string, string> = {};
  for (const m of catalog.mappings) for (const r of m.requirements) requirements[`${m.id}:${r.id}`] = r.title;
  const frameworks = Object.fromEntries(catalog.mappings.map((m) => [m.id, `${m.name} v${m.version}`]));
  return { checks, benchmarks: catalog.benchmarks.map((b) => ({ id: b.id, name: b.name, version: b.version })), requirements, frameworks };
}

/** The trend (`--history`): a chart, and the same figures as a table, per benchmark too. */
function trendSection(points: readonly HistoryPoint[], catalog: Catalog): string {
  const benchmarks = catalog.benchmarks.filter((b) => points.some((p) => p.byBenchmark[b.id] !== undefined));
  const head = ['Report', 'Hosts', 'Failing hosts', 'Failed results', ...benchmarks.map((b) => `Failed: ${b.name}`)]
    .map((h) => `<th scope="col">${escapeMarkup(h)}</th>`)
    .join('');
  const rows = points
    .map(
      (p) =>
        `<tr><td>${escapeMarkup(p.at.slice(0, 19).replace('T', ' '))} (${escapeMarkup(p.file.slice(p.file.lastIndexOf('/') + 1))})</td><td class="num">${p.hosts}</td><td class="num">${p.failingHosts}</td><td class="num">${p.failedResults}</td>` +
        benchmarks.map((b) => `<td class="num">${p.byBenchmark[b.id] ?? 0}</td>`).join('') +
        '</tr>',
    )
    .join('\n');
  return `<h3>Over time</h3>\n${trendChart(points)}\n<table>\n<caption>Earlier reports and this scan</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>\n`;
}

export function htmlWriter(
  options: Pick<WriterOptions, 'groupBy' | 'history'> = {},
  scope: Pick<WriterScope, 'catalog'> = { catalog: loadCatalog() },
): ReportWriter & { readonly sequential: true } {
  /** Results written so far, by their text: a result the fleet shares is written once and referred to by index. */
  const written = new Map<string, number>();
  /** This scan's failed results by benchmark, for the trend's last point (`--history`). */
  const failedByBenchmark: Record<string, number> = {};
  let generatedAt = '';
  const byObject = new WeakMap<CheckResult, number>();
  const indexOf = (r: CheckResult, fresh: unknown[][]): number => {
    const known = byObject.get(r);
    if (known !== undefined) return known;
    const compact = compactResult(r);
    const text = JSON.stringify(compact);
    let index = written.get(text);
    if (index === undefined) {
      index = written.size;
      written.set(text, index);
      fresh.push([index, compact]);
    }
    if (Object.isFrozen(r)) byObject.set(r, index);
    return index;
  };
  return {
    separator: '',
    sequential: true,
    begin(m: ScanMeta) {
      generatedAt = m.generatedAt;
      const style = HTML_STYLE;
      const benchmarks = m.benchmarks.map(benchmarkLabel).join(', ');
      const csp = contentSecurityPolicy({ style, script: HTML_CLIENT_SCRIPT });
      return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
        `<meta http-equiv="Content-Security-Policy" content="${csp}">\n` +
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
        `<title>brsec report ${escapeMarkup(m.generatedAt)}</title>\n<style>${style}</style>\n</head>\n<body>\n` +
        '<header>\n<h1>brsec report</h1>\n' +
        `<p class="meta">brsec ${escapeMarkup(m.tool.version)} · ${escapeMarkup(benchmarks)} · Level ${m.level} · ` +
        `${m.profiles === 'default' ? 'profiles by variant' : `profile ${escapeMarkup(m.profiles.join(', '))}`} · ` +
        `<time datetime="${escapeMarkup(m.generatedAt)}">${escapeMarkup(m.generatedAt)}</time></p>\n` +
        '<nav aria-label="Sections"><a href="#overview">Overview</a> <a href="#hosts">Hosts</a></nav>\n</header>\n' +
        '<div id="brsec-data" hidden>\n'
      );
    },
    host(h) {
      if (options.history)
        for (const r of h.results) if (r.status === 'FAIL') failedByBenchmark[r.benchmark] = (failedByBenchmark[r.benchmark] ?? 0) + 1;
      const fresh: unknown[][] = [];
      const indices = h.results.map((r) => indexOf(r, fresh));
      const results = fresh.length ? `<script type="application/json" class="brsec-results">${scriptJson(fresh)}</script>\n` : '';
      return `${results}<script type="application/json" class="brsec-host">${scriptJson([headOf(h, options.groupBy), indices])}</script>\n`;
    },
    end(inputErrors: readonly InputProblem[], totals: FleetTotals, leftOut?: LeftOut) {
      const summary = {
        totals,
        inputErrors,
        ...(leftOut ? { leftOut } : {}),
        statuses: STATUS_ORDER,
        catalogue: catalogueData(scope.catalog),
      };
      const charts = [
        statusChart({ title: 'Hosts by status', counts: totals.hostsByStatus, id: 'chart-hosts' }),
        statusChart({ title: 'Results by status', counts: totals.results, id: 'chart-results' }),
        topFailingChart({ failedChecks: totals.failedChecks, catalog: scope.catalog, hosts: totals.hosts }),
        ...(totals.groupBy ? [groupChart({ groups: groupRollUp(totals, scope.catalog), groupBy: totals.groupBy })] : []),
      ].join('\n');
      const trend = options.history
        ? trendSection(
            [
              ...options.history,
              {
                at: generatedAt,
                file: 'this scan',
                hosts: totals.hosts,
                failingHosts: totals.hostsByStatus.FAIL,
                failedResults: totals.results.FAIL,
                byBenchmark: failedByBenchmark,
              },
            ],
            scope.catalog,
          )
        : '';
      return (
        `<script type="application/json" id="brsec-summary">${scriptJson(summary)}</script>\n</div>\n` +
        '<main>\n<section id="overview" aria-labelledby="overview-title">\n<h2 id="overview-title">Overview</h2>\n' +
        `<div id="cards"></div>\n<div class="charts">\n${charts}\n</div>\n${trend}<div id="overview-tables"></div>\n</section>\n` +
        '<section id="hosts" aria-labelledby="hosts-title">\n<h2 id="hosts-title">Hosts</h2>\n<div id="host-filters"></div>\n' +
        '<div id="host-list"></div>\n</section>\n<section id="detail" aria-live="polite"></section>\n</main>\n' +
        `<script>${HTML_CLIENT_SCRIPT}</script>\n</body>\n</html>\n`
      );
    },
  };
}
