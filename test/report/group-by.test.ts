// --group-by: the roll-up by variant, Bottlerocket version, node group (EKS, Karpenter and eksctl tags) or a tag's
// value, asserted in every report that shows it (JSON, text, Markdown, HTML) on test/fixtures/groups (see groups.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { brsec, repoRoot } from '../helpers/cli.js';
import { scan } from '../../src/index.js';

const fleet = 'test/fixtures/groups';
const run = (args: string[]) => brsec(['scan', fleet, ...args]);

describe('--group-by', () => {
  it('JSON: totals.groupBy and totals.groups, valid against the report schema', () => {
    const report = JSON.parse(run(['--group-by', 'nodegroup', '-f', 'json']).stdout);
    expect(report.totals.groupBy).toBe('nodegroup');
    const summary = Object.fromEntries(
      Object.entries(report.totals.groups as Record<string, any>).map(([name, g]) => [
        name,
        [g.hosts, g.hostsByStatus.FAIL, g.results.FAIL],
      ]),
    );
    // The EKS hosts are judged against CIS Amazon EKS (11 FAILs each), which does not ask for the 600 service file or seccomp.
    expect(summary).toEqual({ 'ng-a': [2, 2, 22], general: [1, 1, 11], 'ecs-legacy': [1, 1, 12], '(none)': [1, 1, 11] });
    expect(report.totals.groups['ecs-legacy'].failedChecks['BRSEC-ecs-privileged']).toBe(1);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(
      JSON.parse(readFileSync(join(repoRoot, 'schemas', 'report-1.schema.json'), 'utf8')),
    );
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    // Without --group-by the totals are as they were.
    expect(JSON.parse(run(['-f', 'json']).stdout).totals).not.toHaveProperty('groups');
  });

  it('text: a table of groups, most failing hosts first', () => {
    const text = run(['--group-by', 'tag:team']).stdout;
    const table = text.slice(text.indexOf('By tag:team'));
    expect(table.split('\n').slice(0, 5)).toEqual([
      'By tag:team (3 groups):',
      '  GROUP      HOSTS  FAILING   FAILED  MOST FAILING CHECKS',
      '  (none)         2        2       23  BR-3.4.1.1 (2), BR-3.4.1.2 (2), BR-3.4.2.1 (2)',
      '  payments       2        2       22  BR-3.1.1 (2), BR-3.2.2 (2), BR-3.2.3 (2)',
      '  web            1        1       11  BR-3.1.1 (1), BR-3.2.2 (1), BR-3.2.3 (1)',
    ]);
  });

  it('Markdown: a section per grouping', () => {
    const markdown = run(['--group-by', 'variant', '-f', 'markdown']).stdout;
    expect(markdown).toContain(
      [
        '### By variant',
        '',
        '| Group | Hosts | Failing hosts | Failed results | Most failing checks |',
        '|---|---|---|---|---|',
        '| aws-k8s-1.30 | 4 | 4 | 44 | BR-3.1.1 (4), BR-3.2.2 (4), BR-3.2.3 (4) |',
        '| aws-ecs-2 | 1 | 1 | 12 | BR-1.5.2 (1), BRSEC-admin-container (1), BRSEC-ecs-privileged (1) |',
      ].join('\n'),
    );
  });

  it('HTML: each host carries its group, and the overview charts failing hosts by group', () => {
    const html = run(['--group-by', 'version', '-f', 'html']).stdout;
    const heads = [...html.matchAll(/class="brsec-host">\[(\{.*?\}),/g)].map((m) => JSON.parse(m[1]!));
    expect(heads.map((h) => [h.i, h.g])).toEqual([
      ['i-0aaaaaaaaaaaaaaa1', '1.26.1'],
      ['i-0aaaaaaaaaaaaaaa2', '1.26.1'],
      ['i-0bbbbbbbbbbbbbbb1', '1.26.1'],
      ['i-0ccccccccccccccc1', '1.25.0'],
      ['i-0ddddddddddddddd1', '1.26.1'],
    ]);
    expect(html).toContain('<figcaption id="chart-groups-title">Failing hosts by version</figcaption>');
    expect(html).toMatch(/<text [^>]*>1\.26\.1 \(of 4\)<\/text>/);
  });

  it('is refused in one line when it is not a grouping, on the command line and in the library', async () => {
    const wrong = run(['--group-by', 'team']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim()).toBe('brsec: --group-by team: expected variant, version, nodegroup or tag:<key>');
    await expect(scan([fleet], { groupBy: 'team' as never })).rejects.toThrow(
      'groupBy "team": expected variant, version, nodegroup or tag:<key>',
    );
  });
});
