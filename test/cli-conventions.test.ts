// The conventions users of trivy, checkov and kube-bench reach for: help however asked, a nearest command,
// --no-color and --color, -q, a soft fail, every exit code in the help, configuration found up to the repository.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brsec, bin, scratchFolder } from './helpers/cli.js';
import { spawnSync } from 'node:child_process';

const gaps = 'examples/ecs-gaps.json';
const tmp = scratchFolder('brsec-conventions-');

describe('CLI conventions', () => {
  it('bare brsec and `brsec scan help` print help and exit 0', () => {
    const bare = brsec([]);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain('brsec <command> [options]');
    const help = brsec(['scan', 'help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('brsec scan [inputs..]');
  });

  it('an unknown command names the nearest one', () => {
    const run = brsec(['scna', gaps]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('brsec: unknown command "scna"; did you mean scan?');
  });

  it('the top-level help lists every exit code and every configuration file name', () => {
    const help = brsec(['--help']).stdout.replace(/\s+/g, ' ');
    for (const code of ['0 nothing failed', '1 a check failed', '2 usage or input error', '3 no failure', '4 an AWS service', '141'])
      expect(help).toContain(code);
    for (const name of ['.brsec.yaml', '.brsec.yml', 'brsec.config.json']) expect(help).toContain(name);
  });

  it('--no-color never colours; --color does, over NO_COLOR', () => {
    expect(brsec(['scan', gaps, '--no-color'], { env: { FORCE_COLOR: '1' } }).stdout).not.toContain('\u001b[');
    expect(brsec(['scan', gaps, '--color']).stdout).toContain('\u001b[');
  });

  it('-q prints nothing but errors; --exit-zero is a soft fail, never for usage errors', () => {
    const quiet = brsec(['scan', gaps, 'test/fixtures/node-config/manifests', '-q', '-f', 'json', '-o', tmp.path('r.json')]);
    expect(quiet.stderr).toBe('');
    expect(quiet.code).toBe(1);
    expect(brsec(['scan', gaps, '--exit-zero', '-q']).code).toBe(0);
    expect(brsec(['scan', 'missing.json', '--exit-zero']).code).toBe(2);
  });

  it('configuration is looked for up to the repository root, not above it', () => {
    const outer = tmp.path('outer');
    const repo = join(outer, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    mkdirSync(join(repo, 'sub'));
    // A configuration above the repository would make every FAIL pass the gate: it must not be read.
    writeFileSync(join(outer, '.brsec.yaml'), 'fail-on: critical\n');
    const run = spawnSync(process.execPath, [bin, 'scan', join(process.cwd(), gaps), '-q'], { cwd: join(repo, 'sub'), encoding: 'utf8' });
    expect(run.status).toBe(1);
    writeFileSync(join(repo, '.brsec.yml'), 'fail-on: critical\n');
    const inside = spawnSync(process.execPath, [bin, 'scan', join(process.cwd(), gaps), '-q'], {
      cwd: join(repo, 'sub'),
      encoding: 'utf8',
    });
    expect(inside.status).toBe(0);
  });
});

describe('the display filter', () => {
  it('lists only the statuses and severities asked for; counts, the gate and other reports keep every result', () => {
    const json = tmp.path('filtered.json');
    const run = brsec([
      'scan',
      gaps,
      '--show-status',
      'fail,error',
      '--show-severity',
      'high',
      '--show-severity',
      'critical',
      '-o',
      `json=${json}`,
    ]);
    expect(run.code).toBe(1);
    const rows = run.stdout.split('\n').filter((l) => /^ {2}[A-Z]/.test(l) && !l.startsWith('  STATUS'));
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows.slice(0, -1)) expect(row).toMatch(/^ {2}FAIL +\S+ +L\d +(high|critical) /);
    expect(run.stdout).toContain('more result(s) not shown (display filter)');
    expect(run.stdout).toContain('25 passed, 12 failed, 0 error, 2 not assessed, 4 manual, 7 not applicable');
    expect(JSON.parse(readFileSync(json, 'utf8')).hosts[0].results).toHaveLength(50);
  });

  it('takes any case, is refused in one line when wrong, and may come from the configuration file', () => {
    expect(brsec(['scan', gaps, '--show-status', 'NOT-ASSESSED']).stdout).toMatch(/^ {2}NOT ASSESSED /m);
    const wrong = brsec(['scan', gaps, '--show-status', 'failed']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim()).toBe(
      'brsec: --show-status failed: expected one of fail, error, not_assessed, manual, not_applicable, pass',
    );
    const config = tmp.write('show.yaml', 'show-status: [pass]\n');
    const fromConfig = brsec(['scan', gaps, '--config', config]).stdout;
    expect(fromConfig).not.toMatch(/^ {2}FAIL {4,}/m);
    expect(fromConfig).toMatch(/^ {2}PASS /m);
  });
});

describe('shell completion and the man page', () => {
  it('brsec completion prints a script for bash and zsh', () => {
    const run = brsec(['completion']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('###-begin-brsec-completions-###');
  });

  it('the man page ships with the package and lists every exit code', async () => {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));
    expect(pkg.man).toEqual(['./docs/brsec.1']);
    const page = readFileSync(join(process.cwd(), 'docs', 'brsec.1'), 'utf8');
    expect(page.startsWith('.TH BRSEC 1')).toBe(true);
    for (const code of ['0', '1', '2', '3', '4', '141']) expect(page).toContain(`.B ${code}\n`);
  });
});

describe('one meaning per flag', () => {
  it('collect writes with -o/--output as scan does (--out still works); --profile is no AWS profile there', () => {
    const help = brsec(['collect', '--help']).stdout;
    expect(help).toMatch(/-o, --output, --out/);
    expect(help).toContain('--aws-profile');
    const run = brsec(['collect', '--ssm', '--profile', 'prod', '--output', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown argument');
  });
});

describe('when every report goes to a file', () => {
  it('the terminal gets one line of what they hold (none with -q)', () => {
    const run = brsec(['scan', gaps, 'examples/k8s-stock-full.json', '-f', 'json', '--output', tmp.path('all.json')]);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe('brsec: 2 host(s) (2 FAIL) · 23 result(s) failing the run · exit 1');
    expect(brsec(['scan', gaps, '-f', 'json', '--output', tmp.path('q.json'), '-q']).stderr).toBe('');
  });
});
