// BRSEC_<OPTION> environment variables: every option of scan, collect and checks list, under the command line and
// over the configuration file; mistyped names are reported, values that are not true or false refused.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, brsec, repoRoot, scratchFolder } from './helpers/cli.js';

const gaps = 'examples/ecs-gaps.json';
const tmp = scratchFolder('brsec-env-');
const withEnv = (args: string[], env: Record<string, string>) => brsec(args, { env });

describe('BRSEC_* environment variables', () => {
  it('set options as their flags do: a severity, a format, a list, a boolean', () => {
    // Every FAIL of the host is high or lower: failing on critical only passes it.
    expect(withEnv(['scan', gaps, '-q'], { BRSEC_FAIL_ON: 'critical' }).code).toBe(0);
    const json = withEnv(['scan', gaps], { BRSEC_FORMAT: 'json', BRSEC_PROFILE: 'cis-bottlerocket, hardening' });
    expect(JSON.parse(json.stdout).profiles).toEqual(['cis-bottlerocket', 'hardening']);
    expect(withEnv(['scan', gaps, '-q'], { BRSEC_EXIT_ZERO: 'true' }).code).toBe(0);
    expect(withEnv(['scan', gaps, '-q'], { BRSEC_EXIT_ZERO: '0' }).code).toBe(1);
    expect(withEnv(['checks', 'list'], { BRSEC_FORMAT: 'json', BRSEC_PROFILE: 'pci-dss' }).stdout).toMatch(/^\[/);
  });

  it('the command line wins over the environment, under any of its names', () => {
    expect(withEnv(['scan', gaps, '-q', '--fail-on', 'info'], { BRSEC_FAIL_ON: 'critical' }).code).toBe(1);
    expect(withEnv(['scan', gaps, '-q', '--no-exit-zero'], { BRSEC_EXIT_ZERO: 'true' }).code).toBe(1);
    const text = withEnv(['scan', gaps, '-f', 'text', '-p', 'cis-bottlerocket'], { BRSEC_FORMAT: 'json', BRSEC_PROFILE: 'all' });
    expect(text.stdout).toMatch(/^brsec /);
    expect(text.stdout).not.toContain('BRSEC-admin-container');
  });

  it('the environment wins over the configuration file', () => {
    const config = tmp.write('.brsec.yaml', 'fail-on: critical\n');
    const run = spawnSync(process.execPath, [bin, 'scan', join(repoRoot, gaps), '-q', '--config', config], {
      encoding: 'utf8',
      env: { ...process.env, BRSEC_FAIL_ON: 'info' },
    });
    expect(run.status).toBe(1);
    writeFileSync(config, 'fail-on: info\n');
    const relaxed = spawnSync(process.execPath, [bin, 'scan', join(repoRoot, gaps), '-q', '--config', config], {
      encoding: 'utf8',
      env: { ...process.env, BRSEC_FAIL_ON: 'critical' },
    });
    expect(relaxed.status).toBe(0);
  });

  it('a wrong value is a usage error naming the variable; a wrong name is reported and ignored', () => {
    const bad = withEnv(['scan', gaps], { BRSEC_STRICT: 'maybe' });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('brsec: BRSEC_STRICT=maybe: expected true or false');
    const badSeverity = withEnv(['scan', gaps], { BRSEC_FAIL_ON: 'HIGH' });
    expect(badSeverity.code).toBe(2);
    expect(badSeverity.stderr).toMatch(/^brsec: --fail-on "HIGH" is not one of .* \(set by BRSEC_FAIL_ON\)$/m);
    const typo = withEnv(['scan', gaps, '-q'], { BRSEC_FAILON: 'critical' });
    expect(typo.code).toBe(1);
    expect(typo.stderr.trim()).toBe('brsec: BRSEC_FAILON is not an option of any command; ignored');
    // A variable of another command (collect's target), and brsec's own switches, are not mistakes.
    const other = withEnv(['scan', gaps, '-q'], { BRSEC_TARGET: 'i-0123', BRSEC_DATA_DIR: repoRoot });
    expect(other.stderr).toBe('');
  });
});
