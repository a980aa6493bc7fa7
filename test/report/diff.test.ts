// brsec diff: failures new, fixed and still failing per host, hosts added and gone, between two JSON reports
// (test/fixtures/diff, see its README.txt), asserted in every diff format; the exit code says whether any is new.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { brsec, repoRoot, scratchFolder } from '../helpers/cli.js';
import { diffFailures } from '../../src/index.js';

const OLD = 'test/fixtures/diff/old.json';
const NEW = 'test/fixtures/diff/new.json';
const diff = (args: string[]) => brsec(['diff', OLD, NEW, ...args]);
const tmp = scratchFolder('brsec-diff-');

describe('brsec diff', () => {
  it('text: per host what is new, fixed and still failing; hosts added and gone; exit 1 for new failures', () => {
    const run = diff([]);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([
      `brsec diff ${OLD} (4 hosts) → ${NEW} (4 hosts)`,
      '2 new, 1 fixed, 37 still failing; 1 host(s) added, 1 gone',
    ]);
    expect(run.stdout).toContain('Host i-0aaaaaaaaaaaaaaa2\n  new:    BRSEC-admin-container, BRSEC-superpowered-containers\n');
    expect(run.stdout).toContain('Host i-0ccccccccccccccc1\n  fixed:  BRSEC-ecs-privileged\n');
    expect(run.stdout).toMatch(/Hosts added: i-0bbbbbbbbbbbbbbb1\n\nHosts gone: i-0ddddddddddddddd1\n$/);
  });

  it('JSON: brsec-diff/1, valid against its schema', () => {
    const report = JSON.parse(diff(['-f', 'json']).stdout);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(
      JSON.parse(readFileSync(join(repoRoot, 'schemas', 'diff-1.schema.json'), 'utf8')),
    );
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.totals).toEqual({ new: 2, fixed: 1, still: 37, hostsAdded: 1, hostsGone: 1 });
    expect(report.hosts.map((h: any) => [h.host, h.new.length, h.fixed.length, h.still.length])).toEqual([
      ['i-0aaaaaaaaaaaaaaa1', 0, 0, 13],
      ['i-0aaaaaaaaaaaaaaa2', 2, 0, 13],
      ['i-0ccccccccccccccc1', 0, 1, 11],
    ]);
  });

  it('Markdown: a table per host, for a pull request or step summary', () => {
    expect(diff(['-f', 'markdown']).stdout).toBe(
      [
        '### brsec diff',
        '',
        `\`${OLD}\` (4 hosts) → \`${NEW}\` (4 hosts): 2 new, 1 fixed, 37 still failing; 1 host(s) added, 1 gone.`,
        '',
        '| Host | New | Fixed | Still failing |',
        '|---|---|---|---|',
        '| i-0aaaaaaaaaaaaaaa1 | – | – | 13 |',
        '| i-0aaaaaaaaaaaaaaa2 | BRSEC-admin-container, BRSEC-superpowered-containers | – | 13 |',
        '| i-0ccccccccccccccc1 | – | BRSEC-ecs-privileged | 11 |',
        '',
        '**Hosts added:** i-0bbbbbbbbbbbbbbb1',
        '',
        '**Hosts gone:** i-0ddddddddddddddd1',
        '',
      ].join('\n'),
    );
  });

  it('HTML: valid, self-contained, the same table', async () => {
    const file = tmp.path('diff.html');
    expect(diff(['-f', 'html', '-o', file]).code).toBe(1);
    const html = readFileSync(file, 'utf8');
    const result = await new HtmlValidate({ extends: ['html-validate:recommended'], rules: { 'no-inline-style': 'off' } }).validateString(
      html,
    );
    expect(result.results.flatMap((r) => r.messages.map((m) => m.message))).toEqual([]);
    expect(html).toContain(
      '<tr><td>i-0aaaaaaaaaaaaaaa2</td><td>BRSEC-admin-container, BRSEC-superpowered-containers</td><td>–</td><td class="num">13</td></tr>',
    );
    expect(html).not.toMatch(/\s(src|href)=/);
  });

  it('exits 0 when nothing is new, and names a file that is not a report in one line', () => {
    expect(brsec(['diff', NEW, NEW]).code).toBe(0);
    // Backwards, the fixed failure is new again.
    expect(brsec(['diff', NEW, OLD]).code).toBe(1);
    const bad = brsec(['diff', OLD, 'package.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'brsec: package.json: not a brsec JSON report (brsec-report/1); make one with `brsec scan … --format json`',
    );
  });

  it('diffFailures is pure, and takes any host id as data', () => {
    const d = diffFailures({
      old: JSON.parse('{"__proto__": ["A", "B"], "gone": ["C"]}'),
      now: JSON.parse('{"__proto__": ["B", "D"], "new": []}'),
      files: { old: 'a', new: 'b' },
    });
    expect(d.hosts).toEqual([{ host: '__proto__', new: ['D'], fixed: ['A'], still: ['B'] }]);
    expect([d.hostsAdded, d.hostsGone]).toEqual([['new'], ['gone']]);
  });
});
