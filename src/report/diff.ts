// `brsec diff` reports: pure functions of a ReportDiff (src/diff/diff.ts), in text, JSON (brsec-diff/1,
// schemas/diff-1.schema.json), Markdown and a static, self-contained HTML page.
import { contentSecurityPolicy, escapeMarkup as escape } from './markup.js';
import type { ReportDiff } from '../diff/diff.js';
import { HTML_STYLE } from './html-client.js';
import { printable } from './printable.js';

export type DiffFormat = 'text' | 'json' | 'markdown' | 'html';
export const DIFF_FORMATS: readonly DiffFormat[] = ['text', 'json', 'markdown', 'html'];

const list = (ids: readonly string[]) => (ids.length ? ids.join(', ') : '–');

function summaryLine(d: ReportDiff): string {
  const t = d.totals;
  return `${t.new} new, ${t.fixed} fixed, ${t.still} still failing; ${t.hostsAdded} host(s) added, ${t.hostsGone} gone`;
}

function text(d: ReportDiff): string {
  const lines = [
    `brsec diff ${printable(d.old.file)} (${d.old.hosts} hosts) → ${printable(d.new.file)} (${d.new.hosts} hosts)`,
    summaryLine(d),
  ];
  for (const h of d.hosts) {
    lines.push('', `Host ${printable(h.host)}`);
    if (h.new.length) lines.push(`  new:    ${list(h.new)}`);
    if (h.fixed.length) lines.push(`  fixed:  ${list(h.fixed)}`);
    if (h.still.length) lines.push(`  still:  ${list(h.still)}`);
  }
  if (d.hostsAdded.length) lines.push('', `Hosts added: ${d.hostsAdded.map(printable).join(', ')}`);
  if (d.hostsGone.length) lines.push('', `Hosts gone: ${d.hostsGone.map(printable).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

const cell = (s: string) => printable(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markdown(d: ReportDiff): string {
  const lines = [
    '### brsec diff',
    '',
    `\`${cell(d.old.file)}\` (${d.old.hosts} hosts) → \`${cell(d.new.file)}\` (${d.new.hosts} hosts): ${summaryLine(d)}.`,
  ];
  if (d.hosts.length) {
    lines.push('', '| Host | New | Fixed | Still failing |', '|---|---|---|---|');
    for (const h of d.hosts) lines.push(`| ${cell(h.host)} | ${cell(list(h.new))} | ${cell(list(h.fixed))} | ${h.still.length} |`);
  }
  if (d.hostsAdded.length) lines.push('', `**Hosts added:** ${d.hostsAdded.map(cell).join(', ')}`);
  if (d.hostsGone.length) lines.push('', `**Hosts gone:** ${d.hostsGone.map(cell).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

function html(d: ReportDiff): string {
  const csp = contentSecurityPolicy({ style: HTML_STYLE });
  const rows = d.hosts
    .map(
      (h) =>
        `<tr><td>${escape(h.host)}</td><td>${escape(list(h.new))}</td><td>${escape(list(h.fixed))}</td><td class="num">${h.still.length}</td></tr>`,
    )
    .join('\n');
  const hostList = (title: string, ids: readonly string[]) =>
    ids.length ? `<h2>${title} (${ids.length})</h2>\n<ul>${ids.map((id) => `<li>${escape(id)}</li>`).join('')}</ul>\n` : '';
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<title>brsec diff</title>\n<style>${HTML_STYLE}</style>\n</head>\n<body>\n<header>\n<h1>brsec diff</h1>\n` +
    `<p class="meta">${escape(d.old.file)} (${d.old.hosts} hosts) → ${escape(d.new.file)} (${d.new.hosts} hosts)</p>\n</header>\n<main>\n` +
    `<p>${escape(summaryLine(d))}</p>\n` +
    (d.hosts.length
      ? '<table>\n<caption>Failures by host</caption>\n<thead><tr><th scope="col">Host</th><th scope="col">New</th><th scope="col">Fixed</th><th scope="col" class="num">Still failing</th></tr></thead>\n' +
        `<tbody>\n${rows}\n</tbody>\n</table>\n`
      : '') +
    hostList('Hosts added', d.hostsAdded) +
    hostList('Hosts gone', d.hostsGone) +
    '</main>\n</body>\n</html>\n'
  );
}

/** A diff as a report in one of the diff formats. */
export function renderDiff(diff: ReportDiff, format: DiffFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(diff, null, 2)}\n`;
    case 'markdown':
      return markdown(diff);
    case 'html':
      return html(diff);
    default:
      return text(diff);
  }
}
