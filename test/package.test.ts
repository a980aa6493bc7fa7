// The packed tarball as users get it: `require('brsec')` and `import 'brsec'` in a project of their own, and a
// TypeScript consumer type-checked with --strict. Dependencies are the repository's (nothing is fetched).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, scratchFolder } from './helpers/cli.js';

const tmp = scratchFolder('brsec-package-');
let project = '';

beforeAll(() => {
  project = tmp.path('project');
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  const pack = spawnSync('npm', ['pack', '--pack-destination', project, '--silent'], { cwd: repoRoot, encoding: 'utf8' });
  expect(pack.status, pack.stderr).toBe(0);
  const tarball = readdirSync(project).find((f) => f.endsWith('.tgz'))!;
  expect(spawnSync('tar', ['-xzf', tarball], { cwd: project }).status).toBe(0);
  renameSync(join(project, 'package'), join(project, 'node_modules', 'brsec'));
  symlinkSync(join(repoRoot, 'node_modules'), join(project, 'node_modules', 'brsec', 'node_modules'), 'dir');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
}, 60_000);

const run = (file: string, text: string) => {
  writeFileSync(join(project, file), text);
  return spawnSync(process.execPath, [file], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
  });
};
const example = JSON.stringify(join(repoRoot, 'examples', 'ecs-gaps.json'));

describe('the packed package', () => {
  it('is required from CommonJS', () => {
    const result = run(
      'consumer.cjs',
      `const { scan } = require('brsec');\nscan([${example}]).then((r) => console.log(r.hosts.length, r.hosts[0].status));\n`,
    );
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.stdout.trim()).toBe('1 FAIL');
  });

  it('is imported from an ES module, with its benchmarks, data and schemas inside', () => {
    const result = run(
      'consumer.mjs',
      `import { scan, loadCatalog } from 'brsec';\nconst r = await scan([${example}], { profiles: ['all'] });\nconsole.log(r.hosts.length, loadCatalog().checks.length > 70);\n`,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('1 true');
  });

  it('type-checks in a TypeScript project with --strict', () => {
    writeFileSync(
      join(project, 'consumer.mts'),
      `import { scan, type ScanResult, type Severity } from 'brsec';\nconst failOn: Severity = 'high';\nconst result: ScanResult = await scan(['x.json'], { failOn, profiles: ['all'] });\nconsole.log(result.hosts.length);\n`,
    );
    const tsc = spawnSync(
      process.execPath,
      [
        join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'),
        '--strict',
        '--noEmit',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--types',
        'node',
        '--typeRoots',
        join(repoRoot, 'node_modules', '@types'),
        'consumer.mts',
      ],
      { cwd: project, encoding: 'utf8' },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 60_000);

  it('holds its license and the docs the README links', () => {
    const files = readdirSync(join(project, 'node_modules', 'brsec'));
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'docs', 'benchmarks', 'data', 'schemas', 'dist', 'bin']));
  });
});
