// Charts of the HTML report as generated SVG: horizontal bars, each labelled with its name and its number, so they
// read without colour (and in print); colour only repeats what the label says.
import type { Catalog } from '../checks/loader.js';
import type { StatusCounts } from '../types.js';
import { escapeMarkup as escape } from './markup.js';
import type { GroupRow } from './rollup.js';

const LABEL: Record<string, string> = {
  FAIL: 'Fail',
  ERROR: 'Error',
  NOT_ASSESSED: 'Not assessed',
  MANUAL: 'Manual',
  NOT_APPLICABLE: 'Not applicable',
  PASS: 'Pass',
};

interface Bar {
  label: string;
  value: number;
  /** A CSS class for the bar's fill (status-fail, …). */
  kind: string;
  /** Where the bar leads (a deep link in the report). */
  href?: string;
}

const ROW = 22;
const LABEL_WIDTH = 230;
const BAR_WIDTH = 260;

function barChart({ id, title, bars }: { id: string; title: string; bars: readonly Bar[] }): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * ROW + 8;
  const rows = bars.map((b, i) => {
    const y = 4 + i * ROW;
    const width = b.value === 0 ? 0 : Math.max(2, Math.round((b.value / max) * BAR_WIDTH));
    const label = b.label.length > 30 ? `${b.label.slice(0, 29)}…` : b.label;
    const row =
      `<text x="${LABEL_WIDTH - 6}" y="${y + 15}" text-anchor="end">${escape(label)}</text>` +
      `<rect class="${b.kind}" x="${LABEL_WIDTH}" y="${y + 3}" width="${width}" height="${ROW - 6}"><title>${escape(`${b.label}: ${b.value}`)}</title></rect>` +
      `<text x="${LABEL_WIDTH + width + 6}" y="${y + 15}">${b.value}</text>`;
    return b.href ? `<a href="${escape(b.href)}">${row}</a>` : row;
  });
  return (
    `<figure class="chart"><figcaption id="${id}-title">${escape(title)}</figcaption>` +
    `<svg role="img" aria-labelledby="${id}-title" viewBox="0 0 ${LABEL_WIDTH + BAR_WIDTH + 60} ${height}" width="${LABEL_WIDTH + BAR_WIDTH + 60}" height="${height}">` +
    `${rows.join('')}</svg></figure>`
  );
}

/** Counts by status (hosts, or results), in the report's status order. */
export function statusChart({ id, title, counts }: { id: string; title: string; counts: StatusCounts }): string {
  const order = ['FAIL', 'ERROR', 'NOT_ASSESSED', 'MANUAL', 'NOT_APPLICABLE', 'PASS'] as const;
  return barChart({
    id,
    title,
    bars: order.map((s) => ({ label: LABEL[s]!, value: counts[s] ?? 0, kind: `status-${s.toLowerCase().replace(/_/g, '-')}` })),
  });
}

/** The checks that fail on most hosts (at most 10). */
export function topFailingChart({
  failedChecks,
  catalog,
  hosts,
}: {
  failedChecks: Record<string, number>;
  catalog: Catalog;
  hosts: number;
}): string {
  const top = Object.entries(failedChecks)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 10);
  if (top.length === 0)
    return '<figure class="chart"><figcaption>Failing checks by hosts</figcaption><p>No check fails on any host.</p></figure>';
  return barChart({
    id: 'chart-failing',
    title: `Failing checks by hosts (of ${hosts})`,
    bars: top.map(([id, count]) => ({
      label: `${id} ${catalog.byId.get(id)?.title ?? ''}`.trim(),
      value: count,
      // No link inside the chart (an image to assistive technology): the table beside it links each check.
      kind: 'status-fail',
    })),
  });
}

/** Failing hosts by group (`--group-by`), the groups with most first (at most 12). */
export function groupChart({ groups, groupBy }: { groups: readonly GroupRow[]; groupBy: string }): string {
  return barChart({
    id: 'chart-groups',
    title: `Failing hosts by ${groupBy}`,
    bars: groups.slice(0, 12).map((g) => ({ label: `${g.name} (of ${g.hosts})`, value: g.failingHosts, kind: 'status-fail' })),
  });
}

export interface TrendPoint {
  at: string;
  failingHosts: number;
  failedResults: number;
}

/**
 * Failed results and failing hosts over time (`--history`): two lines told apart by their dash and marker as well as
 * their colour, each point labelled with its number.
 */
export function trendChart(points: readonly TrendPoint[]): string {
  const width = 620;
  const height = 220;
  const left = 50;
  const top = 20;
  const plotW = width - left - 50;
  const plotH = height - top - 50;
  const max = Math.max(1, ...points.map((p) => Math.max(p.failedResults, p.failingHosts)));
  const x = (i: number) => left + (points.length === 1 ? plotW / 2 : (i * plotW) / (points.length - 1));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const series = (pick: (p: TrendPoint) => number, kind: string, marker: (cx: number, cy: number) => string) =>
    `<polyline class="trend-${kind}" fill="none" points="${points.map((p, i) => `${x(i).toFixed(1)},${y(pick(p)).toFixed(1)}`).join(' ')}"/>` +
    points
      .map(
        (p, i) =>
          `${marker(x(i), y(pick(p)))}<text x="${x(i).toFixed(1)}" y="${(y(pick(p)) - 8).toFixed(1)}" text-anchor="middle">${pick(p)}</text>`,
      )
      .join('');
  const labels = points
    .map((p, i) => `<text x="${x(i).toFixed(1)}" y="${height - 28}" text-anchor="middle">${escape(p.at.slice(0, 10))}</text>`)
    .join('');
  return (
    '<figure class="chart"><figcaption id="chart-trend-title">Failed results and failing hosts over time</figcaption>' +
    `<svg role="img" aria-labelledby="chart-trend-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<line class="axis" x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}"/>` +
    series(
      (p) => p.failedResults,
      'results',
      (cx, cy) => `<circle class="trend-results" cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="4"/>`,
    ) +
    series(
      (p) => p.failingHosts,
      'hosts',
      (cx, cy) => `<rect class="trend-hosts" x="${(cx - 4).toFixed(1)}" y="${(cy - 4).toFixed(1)}" width="8" height="8"/>`,
    ) +
    labels +
    `<circle class="trend-results" cx="${left + 10}" cy="${height - 10}" r="4"/><text x="${left + 20}" y="${height - 6}">failed results (solid line, circles)</text>` +
    `<rect class="trend-hosts" x="${left + 256}" y="${height - 14}" width="8" height="8"/><text x="${left + 270}" y="${height - 6}">failing hosts (dashed line, squares)</text>` +
    '</svg></figure>'
  );
}
