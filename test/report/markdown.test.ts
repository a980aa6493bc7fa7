// The Markdown summary: per host, the fleet roll-up, the budget of a pull-request comment.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brsec, repoRoot, scratchFolder, snapshotWith } from '../helpers/cli.js';

const stock = 'examples/k8s-stock-full.json';
const ecs = 'examples/ecs-gaps.json';
const gaps = 'test/fixtures/userdata/gaps.toml';
const tmp = scratchFolder('brsec-gate-');

describe('Markdown', () => {
  it('matches the golden summary', () => {
    const waivers = join(repoRoot, 'test', 'fixtures', 'golden', 'waivers.yaml');
    const result = brsec(['scan', ecs, gaps, '--variant', 'aws-ecs-2', '-f', 'markdown', '--waivers', 'test/fixtures/golden/waivers.yaml']);
    expect(readFileSync(waivers, 'utf8')).toContain('waivers:');
    expect(result.stdout).toBe(readFileSync(join(repoRoot, 'test', 'fixtures', 'golden', 'summary.md'), 'utf8'));
  });

  it("shows hosts' values as text: no link, image, tag or broken table from what a snapshot holds", () => {
    const file = tmp.path('markdown-injection.json');
    writeFileSync(
      file,
      snapshotWith((s) => {
        s.host.name = 'web [click](https://evil.example) <img src=x onerror=alert(1)> | `x` \\';
        const get = JSON.parse(s.captures['apiclient get'].stdout);
        get.settings.kernel.lockdown = '![pixel](https://evil.example/p.png) </details>';
        s.captures['apiclient get'].stdout = JSON.stringify(get);
      }, ecs),
    );
    const markdown = brsec(['scan', file, '-f', 'markdown', '--check', 'BR-1.5.2']).stdout;
    expect(markdown).toContain('\\[click\\](https://evil.example)');
    expect(markdown).not.toMatch(/(?<!\\)\[click\]\(/);
    expect(markdown).not.toMatch(/(?<!\\)<img/);
    expect(markdown).not.toMatch(/(?<!\\)\[pixel\]/);
    expect(markdown).not.toMatch(/(?<!\\)<\/details>/);
    // Every table row keeps its five cells.
    for (const row of markdown.split('\n').filter((l) => l.startsWith('| ❌'))) expect(row.split(/(?<!\\)\|/).length).toBe(7);
  });

  it('stays within a pull-request comment at its worst: every check failing, long input errors', async () => {
    const { scan, render, markdownWriter } = await import('../../src/index.js');
    const one = await scan([join(repoRoot, stock)], { profiles: ['all'] });
    const host = one.hosts[0]!;
    // Every result a FAIL with a long reason, on 500 hosts; 200 input errors with long names and messages.
    const failing = { ...host, results: host.results.map((r) => ({ ...r, status: 'FAIL' as const, reason: 'x'.repeat(2000) })) };
    const hosts = Array.from({ length: 500 }, (_, i) => ({
      ...failing,
      host: { ...failing.host, id: `i-${String(i).padStart(17, '0')}` },
    }));
    const failedChecks = Object.fromEntries(failing.results.map((r) => [r.id, hosts.length]));
    const inputErrors = Array.from({ length: 200 }, (_, i) => ({ file: `${'deep/'.repeat(60)}host-${i}.json`, message: 'y'.repeat(1000) }));
    const markdown = render(markdownWriter(), { ...one, hosts, inputErrors, totals: { ...one.totals, hosts: hosts.length, failedChecks } });
    expect(markdown.length).toBeLessThanOrEqual(65_536);
    expect(markdown).toContain('more failing checks');
    expect(markdown).toContain('…and 180 more (see the JSON report)');
  });

  it('stays within a pull-request comment for a fleet: hosts beyond the budget are counted, the roll-up covers all', () => {
    const fleet = tmp.path('markdown-fleet');
    mkdirSync(fleet);
    const count = 150;
    for (let i = 0; i < count; i++) {
      const id = `i-${String(i).padStart(17, '0')}`;
      writeFileSync(
        join(fleet, `${id}.json`),
        snapshotWith((s) => (s.host = { ...s.host, id }), i % 2 === 0 ? ecs : stock),
      );
    }
    const result = brsec(['scan', fleet, '-f', 'markdown']);
    expect(result.code).toBe(1);
    // GitHub takes at most 65,536 characters in a pull-request comment (and 1 MiB in a step summary).
    expect(result.stdout.length).toBeLessThanOrEqual(65_536);
    expect(result.stdout).toContain(`#### Failing checks across ${count} hosts`);
    // Every ECS host fails lockdown: the roll-up counts hosts that are not shown too.
    expect(result.stdout).toMatch(/\[BR-1\.5\.2\]\([^)]+\) Ensure Lockdown is configured \| high \| 75 \|/);
    const shown = (result.stdout.match(/^### (?:❌|✅|⚠️|❔|📝|➖)/gmu) ?? []).length;
    expect(shown).toBeGreaterThanOrEqual(5);
    expect(result.stdout).toContain(`_${count - shown} more host(s) are not shown above`);
    expect(result.stderr).toMatch(
      new RegExp(`the markdown report holds at most 40000 bytes of host sections; ${count - shown} host\\(s\\)`),
    );
  });
});
