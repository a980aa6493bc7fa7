// The style and the script of the HTML report (src/report/html.ts), as text: the report is one file, and its
// Content-Security-Policy admits exactly these by their hashes. The script draws from the embedded JSON on demand:
// host heads at load, a host's results when it is opened; the host list renders only the rows in view.
//
// The script is plain ES2017 written as a string (no template literals inside), and is tested in Chromium
// (test/browser/html.test.ts): no console errors, filters, deep links, print.

export const HTML_STYLE = String.raw`
:root { --fg: #1b1b1b; --muted: #555; --bg: #fff; --line: #c8c8c8; --fail: #b00020; --pass: #1e6b2d; --error: #8a4b00;
  --na: #5a5a5a; --manual: #2d4a8a; --assess: #6b3fa0; --focus: #005fcc; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 16px; }
header { border-bottom: 1px solid var(--line); padding-bottom: 8px; }
h1 { font-size: 1.5rem; margin: 16px 0 4px; } h2 { font-size: 1.25rem; margin: 24px 0 8px; } h3 { font-size: 1.05rem; margin: 16px 0 6px; }
.meta, .muted { color: var(--muted); }
nav a { margin-right: 12px; }
a { color: var(--focus); }
a:focus, button:focus, input:focus, select:focus, [tabindex]:focus { outline: 3px solid var(--focus); outline-offset: 1px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 150px; }
.card strong { display: block; font-size: 1.4rem; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.chart { margin: 0; }
.chart figcaption { font-weight: 600; margin-bottom: 4px; }
.chart svg text { font-size: 12px; fill: var(--fg); }
.status-fail { fill: var(--fail); } .status-pass { fill: var(--pass); } .status-error { fill: var(--error); }
.trend-results { stroke: var(--fail); stroke-width: 2; fill: var(--fail); } polyline.trend-results { fill: none; }
.trend-hosts { stroke: var(--manual); stroke-width: 2; fill: var(--manual); } polyline.trend-hosts { fill: none; stroke-dasharray: 6 4; }
.axis { stroke: var(--line); }
.status-not-assessed { fill: var(--assess); } .status-manual { fill: var(--manual); } .status-not-applicable { fill: var(--na); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-weight: 600; font-size: 0.85rem; border: 1px solid currentColor; }
.s-FAIL { color: var(--fail); } .s-PASS { color: var(--pass); } .s-ERROR { color: var(--error); }
.s-NOT_ASSESSED { color: var(--assess); } .s-MANUAL { color: var(--manual); } .s-NOT_APPLICABLE { color: var(--na); }
.filters { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: end; margin: 8px 0; }
.filters label { display: flex; flex-direction: column; font-size: 0.85rem; color: var(--muted); }
.filters input, .filters select, button { font: inherit; padding: 3px 6px; }
.scroller { max-height: 60vh; overflow-y: auto; border: 1px solid var(--line); position: relative; }
.scroller table { margin: 0; }
.scroller thead th { position: sticky; top: 0; z-index: 1; }
#host-table { table-layout: fixed; }
#host-table th:nth-child(1) { width: 30%; } #host-table th:nth-child(2) { width: 9%; } #host-table th:nth-child(3) { width: 12%; }
#host-table th:nth-child(4) { width: 10%; } #host-table th:nth-child(5), #host-table th:nth-child(6), #host-table th:nth-child(7) { width: 7%; }
tr.row { height: 32px; }
tr.row td { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; height: 32px; padding-top: 0; padding-bottom: 0; vertical-align: middle; }
#detail table { table-layout: fixed; }
#detail th:nth-child(1) { width: 9em; } #detail th:nth-child(2) { width: 20%; } #detail th:nth-child(3) { width: 6em; }
#detail td { overflow-wrap: anywhere; }
tr.spacer td { padding: 0; border: 0; }
pre { white-space: pre-wrap; word-break: break-word; background: #f6f6f6; padding: 6px; margin: 4px 0; font-size: 0.85rem; }
code { font-size: 0.9em; }
ul.evidence { margin: 0; padding-left: 18px; }
details summary { cursor: pointer; }
#detail:empty { display: none; }
@media print {
  nav, .filters, #host-filters, button { display: none !important; }
  .scroller { height: auto; overflow: visible; border: 0; }
  .scroller thead th { position: static; }
  a { color: inherit; text-decoration: none; }
  section { break-inside: auto; }
  tr { break-inside: avoid; }
  body { font-size: 11pt; }
}
`;

export const HTML_CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var doc = document;
  var summary = JSON.parse(doc.getElementById('brsec-summary').textContent);
  var STATUSES = summary.statuses;
  var LABEL = { FAIL: 'FAIL', ERROR: 'ERROR', NOT_ASSESSED: 'NOT ASSESSED', MANUAL: 'MANUAL', NOT_APPLICABLE: 'N/A', PASS: 'PASS' };
  var SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
  var checks = summary.catalogue.checks;
  var requirementTitles = summary.catalogue.requirements;
  function frameworkName(id) { return summary.catalogue.frameworks[id] || id; }

  // Results written once and referred to by index; heads of every host; a host's indices are read when it opens.
  var results = [];
  var hosts = [];
  var blocks = doc.querySelectorAll('#brsec-data script');
  for (var b = 0; b < blocks.length; b++) {
    var block = blocks[b];
    if (block.className === 'brsec-results') {
      var fresh = JSON.parse(block.textContent);
      for (var f = 0; f < fresh.length; f++) results[fresh[f][0]] = fresh[f][1];
    } else if (block.className === 'brsec-host') {
      hosts.push({ el: block, head: null, indices: null });
    }
  }
  function load(host) {
    if (!host.head) {
      var data = JSON.parse(host.el.textContent);
      host.head = data[0];
      host.indices = data[1];
    }
    return host;
  }
  hosts.forEach(load);
  var byId = {};
  hosts.forEach(function (h, i) { byId[h.head.i] = i; });

  function el(tag, attrs, children) {
    var node = doc.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'className') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c !== null && c !== undefined) node.appendChild(typeof c === 'string' ? doc.createTextNode(c) : c); });
    return node;
  }
  function badge(status) { return el('span', { className: 'badge s-' + status, text: LABEL[status] || status }); }
  function hostLink(id) { return el('a', { href: '#host=' + encodeURIComponent(id), text: id }); }
  function checkLink(id) { return el('a', { href: '#check=' + encodeURIComponent(id), text: id }); }
  function table(caption, headers, rows, numeric) {
    var head = el('tr', null, headers.map(function (h, i) { return el('th', { scope: 'col', className: numeric && numeric[i] ? 'num' : '' , text: h }); }));
    return el('table', null, [el('caption', { text: caption }), el('thead', null, [head]), el('tbody', null, rows)]);
  }
  function row(cells, numeric) {
    return el('tr', null, cells.map(function (c, i) {
      var cell = el('td', numeric && numeric[i] ? { className: 'num' } : null);
      if (typeof c === 'string' || typeof c === 'number') cell.textContent = String(c); else if (c) cell.appendChild(c);
      return cell;
    }));
  }

  // Overview: cards, then what auditors ask first.
  function overview() {
    var t = summary.totals;
    var cards = el('div', { className: 'cards' }, [
      card('Hosts', t.hosts), card('Failing hosts', t.hostsByStatus.FAIL), card('Failed results', t.results.FAIL),
      card('Passed results', t.results.PASS), card('Input errors', t.inputErrors), card('Waived', t.gate.waived || 0)
    ]);
    doc.getElementById('cards').appendChild(cards);
    var out = doc.getElementById('overview-tables');
    var failing = Object.keys(t.failedChecks).sort(function (a, b) { return t.failedChecks[b] - t.failedChecks[a] || (a < b ? -1 : 1); });
    out.appendChild(table('Checks failing on most hosts', ['Check', 'Title', 'Severity', 'Hosts'], failing.slice(0, 25).map(function (id) {
      var c = checks[id] || {};
      return row([checkLink(id), c.t || '', c.s || '', t.failedChecks[id]], [false, false, false, true]);
    }), [false, false, false, true]));
    // Requirements by status across hosts, a table per framework (PCI DSS, NIST SP 800-53), from each host's head.
    var byFramework = {};
    hosts.forEach(function (h) { (h.head.q || []).forEach(function (q) {
      var reqs = byFramework[q[0]] || (byFramework[q[0]] = {});
      var r = reqs[q[1]] || (reqs[q[1]] = {}); r[q[2]] = (r[q[2]] || 0) + 1; }); });
    Object.keys(byFramework).sort().forEach(function (fw) {
      var reqs = byFramework[fw];
      var reqIds = Object.keys(reqs).sort(function (a, b) { return a.localeCompare(b, 'en', { numeric: true }); });
      out.appendChild(table(frameworkName(fw) + ' requirements by status (hosts)', ['Requirement', 'Title'].concat(STATUSES.map(function (s) { return LABEL[s]; })),
        reqIds.map(function (id) { return row([id, requirementTitles[fw + ':' + id] || ''].concat(STATUSES.map(function (s) { return reqs[id][s] || 0; }))); })));
    });
    // Waivers, and those that expire within 30 days.
    var soon = Date.now() + 30 * 86400000;
    var waivers = [];
    hosts.forEach(function (h) { (h.head.w || []).forEach(function (w) { waivers.push([h.head.i, w[0], w[1], w[2]]); }); });
    if (waivers.length) out.appendChild(table('Waivers (' + waivers.length + ')', ['Host', 'Check', 'State', 'Expires'], waivers.slice(0, 200).map(function (w) {
      var expiring = w[2] === 'active' && Date.parse(w[3]) < soon;
      return row([hostLink(w[0]), checkLink(w[1]), w[2] + (expiring ? ' (expires within 30 days)' : ''), w[3]]);
    })));
    var base = t.gate.baseline;
    if (base) {
      var changes = [];
      hosts.forEach(function (h) { if (h.head.b) {
        h.head.b[0].forEach(function (id) { changes.push([h.head.i, id, 'new']); });
        h.head.b[1].forEach(function (id) { changes.push([h.head.i, id, 'fixed']); }); } });
      out.appendChild(table('Against the baseline: ' + base.new + ' new, ' + base.fixed + ' fixed, ' + base.unchanged + ' unchanged', ['Host', 'Check', 'Change'],
        changes.slice(0, 500).map(function (c) { return row([hostLink(c[0]), checkLink(c[1]), c[2]]); })));
    }
    if (t.groupBy) {
      var names = Object.keys(t.groups).sort(function (a, b) {
        return t.groups[b].hostsByStatus.FAIL - t.groups[a].hostsByStatus.FAIL || (a < b ? -1 : a > b ? 1 : 0);
      });
      out.appendChild(table('By ' + t.groupBy, ['Group', 'Hosts', 'Failing hosts', 'Failed results', 'Most failing checks'], names.map(function (name) {
        var g = t.groups[name];
        var top = Object.keys(g.failedChecks).sort(function (a, b) { return g.failedChecks[b] - g.failedChecks[a] || (a < b ? -1 : 1); }).slice(0, 3);
        return row([name, g.hosts, g.hostsByStatus.FAIL, g.results.FAIL, top.map(function (id) { return id + ' (' + g.failedChecks[id] + ')'; }).join(', ')],
          [false, true, true, true, false]);
      }), [false, true, true, true, false]));
    }
    if (summary.inputErrors.length) out.appendChild(table('Input errors', ['File', 'Problem'], summary.inputErrors.map(function (p) { return row([p.file, p.message]); })));
  }
  function card(label, value) { return el('div', { className: 'card' }, [el('strong', { text: String(value) }), label]); }

  // Hosts: filters, and a list that renders only the rows in view.
  var shown = [];
  var ROW = 32;
  var filterState = { text: '', status: '', check: '', group: '', profile: '' };
  function hostFilters() {
    var box = doc.getElementById('host-filters');
    var text = el('input', { type: 'search', id: 'f-host', placeholder: 'id, name, variant' });
    var status = el('select', { id: 'f-host-status' }, [el('option', { value: '', text: 'any' })].concat(STATUSES.map(function (s) { return el('option', { value: s, text: LABEL[s] }); })));
    var failing = Object.keys(summary.totals.failedChecks).sort();
    var check = el('select', { id: 'f-host-check' }, [el('option', { value: '', text: 'any' })].concat(failing.map(function (id) { return el('option', { value: id, text: id }); })));
    var profiles = {};
    hosts.forEach(function (h) { h.head.p.forEach(function (p) { profiles[p] = true; }); });
    var profile = el('select', { id: 'f-host-profile' }, [el('option', { value: '', text: 'any' })].concat(Object.keys(profiles).sort().map(function (p) { return el('option', { value: p, text: p }); })));
    profile.addEventListener('change', function () { filterState.profile = profile.value; applyHostFilter(); });
    var controls = [el('label', null, ['Host', text]), el('label', null, ['Host status', status]), el('label', null, ['Failing check', check]), el('label', null, ['Profile', profile])];
    if (summary.totals.groupBy) {
      var group = el('select', { id: 'f-host-group' }, [el('option', { value: '', text: 'any' })].concat(Object.keys(summary.totals.groups).sort().map(function (g) { return el('option', { value: g, text: g }); })));
      controls.push(el('label', null, [summary.totals.groupBy, group]));
      group.addEventListener('change', function () { filterState.group = group.value; applyHostFilter(); });
    }
    controls.push(el('span', { id: 'host-count', className: 'muted', 'aria-live': 'polite' }));
    box.appendChild(el('div', { className: 'filters', role: 'search' }, controls));
    text.addEventListener('input', function () { filterState.text = text.value.toLowerCase(); applyHostFilter(); });
    status.addEventListener('change', function () { filterState.status = status.value; applyHostFilter(); });
    check.addEventListener('change', function () { filterState.check = check.value; applyHostFilter(); });
  }
  function applyHostFilter() {
    shown = [];
    for (var i = 0; i < hosts.length; i++) {
      var h = hosts[i].head;
      if (filterState.status && h.s !== filterState.status) continue;
      if (filterState.check && h.f.indexOf(filterState.check) < 0) continue;
      if (filterState.group && h.g !== filterState.group) continue;
      if (filterState.profile && h.p.indexOf(filterState.profile) < 0) continue;
      if (filterState.text && (h.i + ' ' + (h.n || '') + ' ' + (h.v || '') + ' ' + (h.g || '')).toLowerCase().indexOf(filterState.text) < 0) continue;
      shown.push(i);
    }
    doc.getElementById('host-count').textContent = shown.length + ' of ' + hosts.length + ' hosts';
    scroller.scrollTop = 0;
    drawRows();
  }
  var scroller, body, top, bottom;
  function hostList() {
    var head = el('tr', null, ['Host', 'Status', 'Variant', 'Bottlerocket', 'Failed', 'Passed', 'Other', 'Failing checks'].map(function (h) { return el('th', { scope: 'col', text: h }); }));
    top = el('tr', { className: 'spacer', 'aria-hidden': 'true' }, [el('td', { colspan: '8' })]);
    bottom = el('tr', { className: 'spacer', 'aria-hidden': 'true' }, [el('td', { colspan: '8' })]);
    body = el('tbody');
    scroller = el('div', { className: 'scroller', tabindex: '0', 'aria-label': 'Hosts' }, [
      el('table', { id: 'host-table' }, [el('caption', { text: 'Hosts' }), el('thead', null, [head]), body])
    ]);
    doc.getElementById('host-list').appendChild(scroller);
    var pending = false;
    scroller.addEventListener('scroll', function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () { pending = false; drawRows(); });
    });
  }
  function drawRows() {
    var first = Math.max(0, Math.floor(scroller.scrollTop / ROW) - 10);
    var count = Math.ceil(scroller.clientHeight / ROW) + 20;
    var last = Math.min(shown.length, first + count);
    body.textContent = '';
    top.firstChild.style.height = first * ROW + 'px';
    bottom.firstChild.style.height = Math.max(0, shown.length - last) * ROW + 'px';
    body.appendChild(top);
    for (var i = first; i < last; i++) {
      var h = hosts[shown[i]].head;
      var other = h.t[1] + h.t[2] + h.t[3];
      var tr = row([hostLink(h.i), badge(h.s), h.v || 'unknown', h.o || '', h.t[0], h.t[5], other, h.f.slice(0, 6).join(', ') + (h.f.length > 6 ? ' …' : '')],
        [false, false, false, false, true, true, true, false]);
      tr.className = 'row';
      body.appendChild(tr);
    }
    body.appendChild(bottom);
  }

  // One host: every result with its evidence, reason, notes, waiver and fix; its compliance requirements (PCI DSS, NIST).
  var resultFilter = { status: '', severity: '', benchmark: '', text: '' };
  function showHost(index) {
    var host = hosts[index];
    var h = host.head;
    var detail = doc.getElementById('detail');
    detail.textContent = '';
    detail.appendChild(el('h2', { id: 'detail-title', tabindex: '-1', text: 'Host ' + h.i + (h.n ? ' (' + h.n + ')' : '') }));
    detail.appendChild(el('p', null, [badge(h.s), ' ' + (h.v || 'variant unknown') + (h.o ? ', Bottlerocket ' + h.o : '') + ' · ' + h.k + ' ' + h.src + ' · profiles ' + h.p.join(', ')]));
    (h.j || []).forEach(function (line) { detail.appendChild(el('p', { className: 'muted', text: 'Judged against ' + line })); });
    var status = el('select', { id: 'f-status' }, [el('option', { value: '', text: 'any' })].concat(STATUSES.map(function (s) { return el('option', { value: s, text: LABEL[s] }); })));
    var severity = el('select', { id: 'f-severity' }, [el('option', { value: '', text: 'any' })].concat(SEVERITIES.map(function (s) { return el('option', { value: s, text: s }); })));
    var benchmark = el('select', { id: 'f-benchmark' }, [el('option', { value: '', text: 'any' })].concat(summary.catalogue.benchmarks.map(function (b) { return el('option', { value: b.id, text: b.name }); })));
    var text = el('input', { type: 'search', id: 'f-text', placeholder: 'check id or title' });
    status.value = resultFilter.status; severity.value = resultFilter.severity; benchmark.value = resultFilter.benchmark; text.value = resultFilter.text;
    detail.appendChild(el('div', { className: 'filters', role: 'search' }, [el('label', null, ['Status', status]), el('label', null, ['Severity', severity]),
      el('label', null, ['Benchmark', benchmark]), el('label', null, ['Check', text]), el('button', { type: 'button', id: 'print' , text: 'Print' })]));
    var holder = el('div');
    detail.appendChild(holder);
    function draw() {
      holder.textContent = '';
      var rows = [];
      host.indices.forEach(function (ri) {
        var r = results[ri];
        var c = checks[r[0]] || {};
        var st = STATUSES[r[1]];
        if (resultFilter.status && st !== resultFilter.status) return;
        if (resultFilter.severity && c.s !== resultFilter.severity) return;
        if (resultFilter.benchmark && c.b !== resultFilter.benchmark) return;
        if (resultFilter.text && (r[0] + ' ' + (c.t || '')).toLowerCase().indexOf(resultFilter.text) < 0) return;
        rows.push(resultRow(r, c, st, h));
      });
      holder.appendChild(table('Results (' + rows.length + ' of ' + host.indices.length + ')', ['Status', 'Check', 'Severity', 'Evidence: expected, actual, source', 'Reason and notes', 'Fix'], rows));
      if (h.q) holder.appendChild(table('Compliance requirements', ['Framework', 'Requirement', 'Title', 'Status'], h.q.map(function (q) {
        return row([frameworkName(q[0]), q[1], requirementTitles[q[0] + ':' + q[1]] || '', badge(q[2])]);
      })));
    }
    status.addEventListener('change', function () { resultFilter.status = status.value; draw(); });
    severity.addEventListener('change', function () { resultFilter.severity = severity.value; draw(); });
    benchmark.addEventListener('change', function () { resultFilter.benchmark = benchmark.value; draw(); });
    text.addEventListener('input', function () { resultFilter.text = text.value.toLowerCase(); draw(); });
    doc.getElementById('print').addEventListener('click', function () { window.print(); });
    draw();
    doc.getElementById('detail-title').focus();
  }
  function resultRow(r, c, st, h) {
    var evidence = el('ul', { className: 'evidence' }, r[3].map(function (e) {
      return el('li', null, [el('code', { text: e[1] }), ': expected ' + e[3] + ', actual ' + e[4] + ' (' + e[5] + (e[6] ? ', ' + e[6] : '') + ') from ' + e[2] + (e[7] ? ': ' + e[7] : '')]);
    }));
    var why = el('div');
    if (r[2]) why.appendChild(el('p', { text: r[2] }));
    if (h.l && h.l[r[0]]) why.appendChild(el('p', { className: 'muted', text: 'line ' + h.l[r[0]] + ' of ' + h.src }));
    (r[4] || []).forEach(function (n) { why.appendChild(el('p', { className: 'muted', text: 'note: ' + n })); });
    if (r[5]) why.appendChild(el('p', { text: 'waiver (' + r[5][0] + ', until ' + r[5][4] + ', ' + r[5][3] + '): ' + r[5][2] }));
    if (r[6]) why.appendChild(el('p', { className: 'muted', text: 'against the baseline: ' + r[6] }));
    var fix = el('div');
    if (st !== 'PASS' && st !== 'NOT_APPLICABLE' && c.f) {
      if (c.f[1]) fix.appendChild(el('pre', null, [el('code', { text: c.f[1] })]));
      if (c.f[2]) fix.appendChild(el('pre', null, [el('code', { text: c.f[2] })]));
      fix.appendChild(el('details', null, [el('summary', { text: 'How' }), el('p', { text: c.f[0] })]));
    }
    return row([badge(st), el('span', null, [checkLink(r[0]), ' ' + (c.t || '')]), c.s || '', evidence, why, fix]);
  }

  // One check: what it is, and the hosts it fails on.
  function showCheck(id) {
    var c = checks[id];
    var detail = doc.getElementById('detail');
    detail.textContent = '';
    detail.appendChild(el('h2', { id: 'detail-title', tabindex: '-1', text: 'Check ' + id + (c ? ' ' + c.t : '') }));
    if (!c) { detail.appendChild(el('p', { text: 'This check is not in the report.' })); return; }
    detail.appendChild(el('p', { text: c.s + ' · level ' + c.l + ' · ' + c.b }));
    detail.appendChild(el('p', { text: c.f[0] }));
    if (c.f[1]) detail.appendChild(el('pre', null, [el('code', { text: c.f[1] })]));
    if (c.f[2]) detail.appendChild(el('pre', null, [el('code', { text: c.f[2] })]));
    var failing = [];
    hosts.forEach(function (h) { if (h.head.f.indexOf(id) >= 0) failing.push(h.head); });
    detail.appendChild(table('Hosts where it fails (' + failing.length + ')', ['Host', 'Status', 'Variant'], failing.slice(0, 1000).map(function (h) { return row([hostLink(h.i), badge(h.s), h.v || '']); })));
    doc.getElementById('detail-title').focus();
  }

  function route() {
    var hash = location.hash.slice(1);
    var eq = hash.indexOf('=');
    if (eq < 0) return;
    var kind = hash.slice(0, eq);
    var value = decodeURIComponent(hash.slice(eq + 1));
    if (kind === 'host' && byId[value] !== undefined) showHost(byId[value]);
    else if (kind === 'check') showCheck(value);
  }

  overview();
  hostFilters();
  hostList();
  applyHostFilter();
  window.addEventListener('hashchange', route);
  route();
  doc.documentElement.setAttribute('data-ready', 'true');
})();
`;
