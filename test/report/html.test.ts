// The HTML report without a browser: valid HTML, nothing outside the file, a policy that admits exactly its own
// style and script, and results a fleet shares written once. test/browser/html.test.ts opens it in Chromium.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { brsec, scratchFolder } from '../helpers/cli.js';

const report = (args: string[]) => brsec(['scan', ...args, '-f', 'html']).stdout;
const tmp = scratchFolder('brsec-html-');
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

describe('the HTML report', () => {
  const fleet = report([
    'examples/',
    'test/fixtures/userdata/gaps.toml',
    'test/fixtures/node-config/eksctl-cluster.yaml',
    '--profile',
    'all',
  ]);

  it('is valid HTML', async () => {
    const validator = new HtmlValidate({
      extends: ['html-validate:recommended'],
      // The style and script are inline on purpose (one file, admitted by their hashes).
      rules: { 'no-inline-style': 'off', 'require-sri': 'off' },
    });
    const result = await validator.validateString(fleet);
    const messages = result.results.flatMap((r) => r.messages.map((m) => `${m.ruleId} line ${m.line}: ${m.message}`));
    expect(messages).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('refers to nothing outside itself, and its policy admits exactly its own style and script', () => {
    expect(fleet).not.toMatch(/\s(src|href|action|poster|data)=["']?(https?:|\/\/|file:)/i);
    expect(fleet).not.toMatch(/url\(|@import|<link\b|<iframe\b|<img\b/i);
    const style = /<style>([\s\S]*?)<\/style>/.exec(fleet)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(fleet)![1]!;
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(fleet)![1]!;
    expect(csp).toContain(`style-src 'sha256-${sha256(style)}'`);
    expect(csp).toContain(`script-src 'sha256-${sha256(script)}'`);
    expect(csp).toMatch(/^default-src 'none';/);
    // Every other script element is data the browser never runs.
    const scripts = [...fleet.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.filter((attrs) => attrs === '')).toHaveLength(1);
    expect(scripts.filter((attrs) => attrs !== '').every((attrs) => attrs!.startsWith(' type="application/json"'))).toBe(true);
  });

  it('holds every host, and writes a result hosts share once', () => {
    const hosts = [...fleet.matchAll(/<script type="application\/json" class="brsec-host">(.*?)<\/script>/g)].map((m) => JSON.parse(m[1]!));
    // In input order: the examples folder's files sorted, then the user data, then the eksctl file's node groups.
    expect(hosts.map(([head]) => head.i)).toEqual([
      'i-0c3d4e5f6a7b89012',
      'i-0a1b2c3d4e5f67890',
      'test/fixtures/userdata/gaps.toml',
      'test/fixtures/node-config/eksctl-cluster.yaml#nodeGroups/buildkit',
      'test/fixtures/node-config/eksctl-cluster.yaml#nodeGroups/ng-bottlerocket',
      'test/fixtures/node-config/eksctl-cluster.yaml#managedNodeGroups/managed-bottlerocket',
    ]);
    const written = [...fleet.matchAll(/<script type="application\/json" class="brsec-results">(.*?)<\/script>/g)].flatMap((m) =>
      JSON.parse(m[1]!),
    );
    const references = hosts.flatMap(([, indices]) => indices as number[]);
    // Every reference is to a result written once, and the three node groups of one file share most of theirs.
    expect(new Set(written.map(([i]) => i)).size).toBe(written.length);
    expect(Math.max(...references)).toBe(written.length - 1);
    expect(written.length).toBeLessThan(references.length * 0.75);
  });

  it('is the same whatever the scan threads (memo.test.ts holds every format to the same with and without the memo)', () => {
    const args = ['examples/', 'test/fixtures/node-config/eksctl-cluster.yaml'];
    const one = brsec(['scan', ...args, '-f', 'html', '--jobs', '1']).stdout;
    const many = brsec(['scan', ...args, '-f', 'html', '--jobs', '4']).stdout;
    const stamp = (text: string) => text.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'TIME').replace(/sha256-[A-Za-z0-9+/=]+/g, 'HASH');
    expect(stamp(many)).toBe(stamp(one));
  });

  it('--history draws the trend from earlier JSON reports to this scan, as a chart and a table', () => {
    const history = tmp.path('history');
    mkdirSync(history);
    copyFileSync('test/fixtures/diff/old.json', join(history, '2026-11-01.json'));
    copyFileSync('test/fixtures/diff/new.json', join(history, '2026-11-08.json'));
    const html = brsec(['scan', 'test/fixtures/groups', '--history', history, '-f', 'html']).stdout;
    expect(html).toContain('<figcaption id="chart-trend-title">Failed results and failing hosts over time</figcaption>');
    const rows = [...html.matchAll(/<tr><td>[^<]*\((2026-11-0[18]\.json|this scan)\)<\/td>((?:<td class="num">\d+<\/td>)+)<\/tr>/g)].map(
      (m) => [m[1], [...m[2]!.matchAll(/\d+/g)].map(Number).slice(0, 3)],
    );
    expect(rows).toEqual([
      ['2026-11-01.json', [4, 4, 51]],
      ['2026-11-08.json', [4, 4, 52]],
      ['this scan', [5, 5, 56]],
    ]);
    // The points are labelled with their numbers: the chart reads without its colours.
    expect(html).toMatch(/<text [^>]*>56<\/text>/);
  });

  it('--history that is not a folder of reports is one line naming the file', () => {
    const empty = brsec(['scan', 'examples/', '--history', tmp.path('nowhere'), '-f', 'html']);
    expect(empty.code).toBe(2);
    expect(empty.stderr.trim()).toBe(`brsec: ${tmp.path('nowhere')}: no such folder`);
    const folder = tmp.path('not-reports');
    mkdirSync(folder);
    copyFileSync('examples/ecs-gaps.json', join(folder, 'snapshot.json'));
    const wrong = brsec(['scan', 'examples/', '--history', folder, '-f', 'html']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim()).toMatch(/snapshot\.json: not a brsec JSON report \(brsec-report\/1\)/);
  });
});
