// What a host writes is data, never code: tables whose keys are Object's own members (`toString`, `valueOf`), big
// integers, and strings that once made matchers backtrack. Each must scan without an internal error, in every format.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { brsec } from '../helpers/cli.js';
import { bloodhoundReport } from '../helpers/cases.js';

let dir: string;
const files: Record<string, string> = {};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'brsec-hostile-'));
  const write = (name: string, text: string) => writeFileSync((files[name] = join(dir, name)), text);
  // The two-line user data of issue 12: a boot parameter whose value is a table with its own toString.
  write('boot-params.toml', '[settings.boot.kernel-parameters]\nmitigations = [{ toString = 1 }]\n');
  write('sysctl-valueof.toml', '[settings.kernel.sysctl]\n"user.max_user_namespaces" = { valueOf = 1, toString = 2 }\n');
  const report = JSON.parse(bloodhoundReport({ '1.4.4': 'FAIL', '1.5.2': 'PASS' }));
  report.results.br01040400.title = { toString: 1 };
  report.results.br01040400.error = { toString: 'x', valueOf: 2 };
  report.name = { toString: 1 };
  write('bloodhound.json', JSON.stringify(report));
  write(
    'update-check.json',
    JSON.stringify({
      update_state: 'Idle',
      available_updates: ['1.26.1'],
      chosen_update: null,
      active_partition: { image: { arch: { toString: 1 }, version: { valueOf: 1 }, variant: 'aws-k8s-1.30' }, next_to_boot: true },
      most_recent_command: { cmd_type: { toString: 1 }, cmd_status: 'Success', timestamp: '2026-01-01T00:00:00Z' },
    }),
  );
});

describe('values with their own toString or valueOf', () => {
  it.each(['boot-params.toml', 'sysctl-valueof.toml', 'bloodhound.json', 'update-check.json'])(
    '%s scans in every format without an internal error',
    (name) => {
      for (const format of ['text', 'json', 'sarif', 'junit', 'markdown']) {
        const result = brsec(['scan', files[name]!, '--variant', 'aws-k8s-1.30', '--profile', 'all', '-f', format]);
        expect(result.stderr, `${name} as ${format}`).not.toContain('internal error');
        expect([0, 1, 3], `${name} as ${format}: ${result.stderr}`).toContain(result.code);
      }
    },
  );

  it('shows such a value as data', () => {
    const result = brsec(['scan', files['sysctl-valueof.toml']!, '--variant', 'aws-k8s-1.30', '--check', 'BR-1.4.4', '-f', 'json']);
    const r = JSON.parse(result.stdout).hosts[0].results[0];
    expect(r.status).toBe('FAIL');
    expect(r.reason).toContain('{"valueOf":1,"toString":2}');
  });
});
