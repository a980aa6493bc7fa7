// The HTML report in Chromium (Debian's chromium, driven by playwright-core): it opens from disk with no console
// error (a policy violation is one), its charts and tables render, filters change what is shown, deep links open
// their host or check, it prints to PDF, and a large fleet renders only the rows in view. Screenshots of a host and
// a fleet go to test-artifacts/ (CI keeps them).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brsec, repoRoot, scratchFolder, snapshotWith } from '../helpers/cli.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = join(repoRoot, 'test-artifacts');
const tmp = scratchFolder('brsec-html-');
let browser: Browser;
let fleetReport = '';
let bigReport = '';

/** Opens a report and collects every console error and page error, waiting until the script says it is ready. */
async function open(file: string, hash = ''): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(file).href + hash);
  await page.waitForSelector('html[data-ready="true"]');
  return { page, errors };
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  fleetReport = tmp.path('fleet.html');
  const waivers = tmp.write(
    'waivers.yaml',
    'waivers:\n  - check: BR-1.5.2\n    reason: GPU nodes need lockdown none\n    owner: gpu-team\n    expires: 2999-01-01\n',
  );
  const run = brsec([
    'scan',
    'examples/',
    'test/fixtures/userdata/gaps.toml',
    'test/fixtures/node-config/eksctl-cluster.yaml',
    '--profile',
    'all',
    '--waivers',
    waivers,
    '-o',
    `html=${fleetReport}`,
  ]);
  expect(run.code, run.stderr).toBe(1);
  // A fleet of 2,000 hosts: each its own identity, as the bench's fleet has.
  const fleet = tmp.path('big');
  mkdirSync(fleet);
  for (let i = 0; i < 2000; i++) {
    writeFileSync(
      join(fleet, `host-${String(i).padStart(4, '0')}.json`),
      snapshotWith((s) => {
        s.host.id = `i-${(0x1000000 + i).toString(16)}aaaaaaaaa`;
      }),
    );
  }
  bigReport = tmp.path('big.html');
  brsec(['scan', fleet, '-o', `html=${bigReport}`]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('the HTML report in Chromium', () => {
  it('opens from disk with no console error, its charts and tables drawn', async () => {
    const { page, errors } = await open(fleetReport);
    expect(errors).toEqual([]);
    expect(await page.locator('figure.chart svg rect').count()).toBeGreaterThan(10);
    expect(await page.locator('#cards .card').count()).toBe(6);
    const captions = await page.locator('#overview-tables caption').allTextContents();
    expect(captions.slice(0, 2)).toEqual(['Checks failing on most hosts', 'PCI DSS v4.0.1 requirements by status (hosts)']);
    // BR-1.5.2 is waived on every host it is judged on: the two snapshots, the user data and the three node groups.
    expect(captions[2]).toBe('Waivers (6)');
    expect(await page.locator('#host-count').textContent()).toBe('6 of 6 hosts');
    await page.screenshot({ path: join(artifacts, 'html-fleet.png'), fullPage: true });
    await page.close();
  });

  it('filters hosts by status, failing check and text, and a host’s results by status and severity', async () => {
    const { page, errors } = await open(fleetReport);
    await page.selectOption('#f-host-check', 'BRSEC-ecs-privileged');
    expect(await page.locator('#host-count').textContent()).toBe('1 of 6 hosts');
    expect(await page.locator('#host-table tbody tr.row').count()).toBe(1);
    await page.selectOption('#f-host-check', '');
    await page.fill('#f-host', 'eksctl');
    expect(await page.locator('#host-count').textContent()).toBe('3 of 6 hosts');
    await page.fill('#f-host', '');
    await page.selectOption('#f-host-profile', 'all');
    expect(await page.locator('#host-count').textContent()).toBe('6 of 6 hosts');
    await page.selectOption('#f-host-profile', '');
    await page.selectOption('#f-host-status', 'PASS');
    expect(await page.locator('#host-count').textContent()).toBe('0 of 6 hosts');
    await page.selectOption('#f-host-status', '');
    await page.locator('#host-table a', { hasText: 'i-0c3d4e5f6a7b89012' }).click();
    await page.waitForSelector('#detail-title');
    const rows = page.locator('#detail table').first().locator('tbody tr');
    const all = await rows.count();
    expect(all).toBe(76);
    await page.selectOption('#f-status', 'FAIL');
    const failing = await rows.count();
    expect(failing).toBeGreaterThan(5);
    expect(failing).toBeLessThan(all);
    expect(await rows.locator('td:first-child').allTextContents()).toEqual(Array(failing).fill('FAIL'));
    await page.selectOption('#f-severity', 'critical');
    expect(await rows.count()).toBeLessThan(failing);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('deep links open a host, with its evidence, fix and waiver, and a check with the hosts it fails on', async () => {
    const { page, errors } = await open(fleetReport, '#host=i-0c3d4e5f6a7b89012');
    expect(await page.locator('#detail-title').textContent()).toBe('Host i-0c3d4e5f6a7b89012');
    const lockdown = page.locator('#detail tbody tr', { hasText: 'BR-1.5.2' });
    expect(await lockdown.textContent()).toContain('expected one of integrity, confidentiality, actual none');
    expect(await lockdown.textContent()).toContain('waiver (active, until 2999-01-01, gpu-team): GPU nodes need lockdown none');
    const privileged = page.locator('#detail tbody tr', { hasText: 'BRSEC-ecs-privileged' });
    expect(await privileged.locator('pre').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^apiclient set /), expect.stringMatching(/^\[settings/)]),
    );
    await page.screenshot({ path: join(artifacts, 'html-host.png'), fullPage: false });
    await page.goto(pathToFileURL(fleetReport).href + '#check=BR-3.2.4');
    await page.waitForFunction(() => document.querySelector('#detail-title')?.textContent?.startsWith('Check BR-3.2.4'));
    expect(await page.locator('#detail caption').textContent()).toBe('Hosts where it fails (6)');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('prints to PDF, without its filters', async () => {
    const { page } = await open(fleetReport, '#host=i-0a1b2c3d4e5f67890');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#host-filters').isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    await page.close();
  });

  it('meets WCAG 2 A and AA as axe-core checks them, and works from the keyboard', async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(pathToFileURL(fleetReport).href + '#host=i-0c3d4e5f6a7b89012');
    await page.waitForSelector('#detail-title');
    // axe-core is injected for the audit only (the report's own policy would refuse it, so the context bypasses it).
    await page.addScriptTag({ path: join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js') });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (d: Document, o: object) => Promise<{ violations: { id: string }[] }> } }).axe;
      return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })).violations.map((v) => v.id);
    });
    expect(violations).toEqual([]);
    await context.close();
    // The keyboard alone: to the first host's link, and Enter opens it.
    const { page: keys, errors } = await open(fleetReport);
    await keys.focus('#f-host');
    for (let i = 0; i < 20 && !(await keys.evaluate(() => document.activeElement?.closest('#host-table') !== null)); i++)
      await keys.keyboard.press('Tab');
    await keys.keyboard.press('Enter');
    await keys.waitForSelector('#detail-title');
    expect(await keys.evaluate(() => document.activeElement?.id)).toBe('detail-title');
    expect(errors).toEqual([]);
    await keys.close();
  });

  it('draws the trend of --history with no console error', async () => {
    const history = tmp.path('history');
    mkdirSync(history);
    writeFileSync(join(history, 'a.json'), readFileSync(join(repoRoot, 'test/fixtures/diff/old.json')));
    writeFileSync(join(history, 'b.json'), readFileSync(join(repoRoot, 'test/fixtures/diff/new.json')));
    const file = tmp.path('trend.html');
    brsec(['scan', 'test/fixtures/groups', '--group-by', 'nodegroup', '--history', history, '-o', `html=${file}`, '-q']);
    const { page, errors } = await open(file);
    expect(await page.locator('#chart-trend-title').textContent()).toBe('Failed results and failing hosts over time');
    expect(await page.locator('svg[aria-labelledby="chart-trend-title"] polyline').count()).toBe(2);
    await page.selectOption('#f-host-group', 'ng-a');
    expect(await page.locator('#host-count').textContent()).toBe('2 of 5 hosts');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps a fleet of 2,000 hosts to the rows in view, and scrolls to the last', async () => {
    const { page, errors } = await open(bigReport);
    expect(await page.locator('#host-count').textContent()).toBe('2000 of 2000 hosts');
    const drawn = await page.locator('#host-table tbody tr.row').count();
    expect(drawn).toBeLessThan(80);
    await page.locator('.scroller').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.waitForFunction(() => {
      const rows = document.querySelectorAll('#host-table tbody tr.row a');
      return rows[rows.length - 1]?.textContent === 'i-10007cfaaaaaaaaa';
    });
    expect(await page.locator('#host-table tbody tr.row').count()).toBeLessThan(80);
    expect(errors).toEqual([]);
    await page.close();
  });
});
