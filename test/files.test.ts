// Files brsec writes hold host data: owner only, whole or not at all.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../src/files.js';
import { brsec, scratchFolder } from './helpers/cli.js';

const tmp = scratchFolder('brsec-files-');

describe('written files', () => {
  it('reports are 0600, also where they replace a file that was not', () => {
    const target = tmp.path('report.json');
    writeFileSync(target, 'old', { mode: 0o644 });
    const run = brsec(['scan', 'examples/ecs-gaps.json', '-o', `json=${target}`, '-o', `sarif=${tmp.path('report.sarif')}`]);
    expect(run.code).toBe(1);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(statSync(tmp.path('report.sarif')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(target, 'utf8')).hosts).toHaveLength(1);
  });

  it('writeFileAtomically writes 0600 and leaves no temporary file', async () => {
    const target = tmp.path('snapshot.json');
    await writeFileAtomically(target, '{"a":1}\n');
    expect(readFileSync(target, 'utf8')).toBe('{"a":1}\n');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    await writeFileAtomically(target, '{"a":2}\n');
    expect(readFileSync(target, 'utf8')).toBe('{"a":2}\n');
  });
});
