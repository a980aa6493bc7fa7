// The HTML report of a large fleet: the time to write it against the JSON report of the same scan (budget 1.5x),
// its size, and how it behaves in Chromium: time until the page is ready, to scroll the host list to its end, and
// to open the last host by its deep link.
//
// Usage: node bench/html.mjs [--dir bench/out/fleet] [--runs 5] [--chromium /usr/bin/chromium]
// The fleet is bench/run.mjs's (node bench/run.mjs --hosts 10000 makes one of 10,000 hosts).
// The callbacks handed to page.evaluate run in the page.
/* global document, requestAnimationFrame, location */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: options } = parseArgs({
  options: {
    dir: { type: 'string', default: join(root, 'bench', 'out', 'fleet') },
    runs: { type: 'string', default: '5' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
});
const runs = Number(options.runs);
if (!existsSync(options.dir)) {
  console.error(`bench: no fleet at ${options.dir}; make one with node bench/run.mjs --hosts 10000`);
  process.exit(2);
}
const hosts = readdirSync(options.dir).filter((f) => f.endsWith('.json')).length;
const bin = join(root, 'bin', 'brsec.cjs');
const out = join(tmpdir(), `brsec-bench-html-${process.pid}`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeScan(format) {
  const file = `${out}.${format}`;
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [bin, 'scan', options.dir, '-q', '-f', format, '-o', file], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0 && run.status !== 1) throw new Error(`scan -f ${format} failed: ${run.stderr}`);
  return { seconds, bytes: statSync(file).size, file };
}

const json = [];
const html = [];
for (let i = 0; i < runs; i++) {
  json.push(timeScan('json'));
  html.push(timeScan('html'));
}
const jsonS = median(json.map((r) => r.seconds));
const htmlS = median(html.map((r) => r.seconds));
console.log(`fleet: ${hosts} hosts; median of ${runs} interleaved runs; machine: ${process.version}`);
console.log(`  json report : ${jsonS.toFixed(2)} s, ${(json[0].bytes / 1e6).toFixed(1)} MB`);
console.log(`  html report : ${htmlS.toFixed(2)} s, ${(html[0].bytes / 1e6).toFixed(1)} MB`);
console.log(`  html / json : ${(htmlS / jsonS).toFixed(2)}x time (budget 1.5x), ${(html[0].bytes / json[0].bytes).toFixed(2)}x size`);

// In Chromium: ready, scroll to the end, open the last host.
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: options.chromium, args: ['--no-sandbox'] });
const ready = [];
const scrolled = [];
const opened = [];
let lastId;
for (let i = 0; i < Math.min(runs, 5); i++) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  let t = performance.now();
  await page.goto(pathToFileURL(html[0].file).href);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 120_000 });
  ready.push(performance.now() - t);
  t = performance.now();
  lastId = await page.evaluate(async () => {
    const scroller = document.querySelector('.scroller');
    scroller.scrollTo(0, scroller.scrollHeight);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const rows = document.querySelectorAll('#host-table tbody tr.row a');
    return rows[rows.length - 1].textContent;
  });
  scrolled.push(performance.now() - t);
  t = performance.now();
  await page.evaluate((id) => (location.hash = `host=${encodeURIComponent(id)}`), lastId);
  await page.waitForFunction((id) => document.querySelector('#detail-title')?.textContent?.startsWith(`Host ${id}`), lastId);
  opened.push(performance.now() - t);
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  await page.close();
}
await browser.close();
console.log(
  `  chromium    : ready ${median(ready).toFixed(0)} ms, scroll to the last host ${median(scrolled).toFixed(0)} ms, open it ${median(opened).toFixed(0)} ms`,
);
for (const r of [...json, ...html]) rmSync(r.file, { force: true });
