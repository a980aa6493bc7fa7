// What goes wrong around a scan is one line and a documented exit code: a full disk, an option value that is not
// one of its choices, a run stopped by a signal (whose half-written reports are removed).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, brsec, repoRoot } from '../helpers/cli.js';

const example = 'examples/ecs-gaps.json';

describe('a disk that is full', () => {
  // /dev/full is Linux's device whose every write fails with ENOSPC, as a full disk's does.
  it('as -o is one line and exit 2', () => {
    expect(existsSync('/dev/full')).toBe(true);
    const result = brsec(['scan', example, '-o', '/dev/full']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('brsec: /dev/full: cannot write: ENOSPC: no space left on device, write');
  });

  it('as standard output is one line and exit 2, never a stack trace', async () => {
    for (const format of ['text', 'json']) {
      const child = spawn(`${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} scan ${example} -f ${format} > /dev/full`, {
        shell: true,
        cwd: repoRoot,
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code, format).toBe(2);
      expect(stderr.trim().split('\n'), format).toEqual(['brsec: standard output: cannot write: ENOSPC: no space left on device, write']);
    }
  });
});

describe('option values that are not among the choices', () => {
  it.each([
    [['--format', 'pdf'], '--format "pdf" is not one of "text", "json"'],
    [['-f', 'pdf'], '--format "pdf" is not one of'],
    [['--level', '3'], '--level 3 is not one of 1, 2'],
    [['--fail-on', 'severe'], '--fail-on "severe" is not one of "critical", "high"'],
  ])('%j names the option and the value', (args, message) => {
    const result = brsec(['scan', example, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
  });
});

describe('a run stopped by a signal', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s removes its unfinished reports, keeps what was there, and says so', async (signal, status) => {
    const dir = mkdtempSync(join(tmpdir(), 'brsec-signal-'));
    const fleet = join(dir, 'fleet');
    const snapshot = JSON.parse(readFileSync(join(repoRoot, example), 'utf8'));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(fleet);
    for (let i = 0; i < 400; i++) {
      snapshot.host.id = `i-${String(i).padStart(17, '0')}`;
      writeFileSync(join(fleet, `${i}.json`), JSON.stringify(snapshot));
    }
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'report.json'), 'the previous report\n');
    const child = spawn(
      process.execPath,
      [bin, 'scan', fleet, '-f', 'json', '-o', join(out, 'report.json'), '-o', `sarif=${join(out, 'report.sarif')}`, '--jobs', '1'],
      { cwd: repoRoot },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // Stop it once it has started writing its reports.
    const started = Date.now();
    while (!readdirSync(out).some((f) => f.includes('.tmp-')) && Date.now() - started < 15_000) await new Promise((r) => setTimeout(r, 5));
    expect(readdirSync(out).some((f) => f.includes('.tmp-'))).toBe(true);
    child.kill(signal);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(status);
    expect(readdirSync(out).sort()).toEqual(['report.json']);
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe('the previous report\n');
    expect(stderr).toContain(`brsec: stopped by ${signal}; the unfinished reports were removed and existing files left as they were`);
  });
});
