// The packed tarball as users get it: `require('brsec')` and `import 'brsec'` in a project of their own, and a
// TypeScript consumer type-checked with --strict. Dependencies are the repository's (nothing is fetched).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
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

/** Every name `require('brsec')` has, sorted: the README's Library section documents each. */
const PUBLIC_API = [
  'BrsecError',
  'DIFF_FORMATS',
  'DefinitionError',
  'ExitCode',
  'FORMATS',
  'InputError',
  'InspectorReader',
  'OutputClosedError',
  'SEVERITIES',
  'STATUSES',
  'ScanMemo',
  'SecurityHubImporter',
  'ServiceError',
  'UnknownValue',
  'UsageError',
  'asffWriter',
  'bindParameters',
  'brsecVersion',
  'captureScript',
  'collectFromApiSocket',
  'collectOverSsm',
  'collectToFolder',
  'createWriter',
  'detectInput',
  'detectInputs',
  'diffFailures',
  'diffReports',
  'exitCodeFor',
  'gateHost',
  'htmlWriter',
  'isSecretSetting',
  'jsonWriter',
  'junitWriter',
  'launchTemplatesToFolder',
  'lintWaivers',
  'loadBaseline',
  'loadCatalog',
  'loadWaivers',
  'markdownWriter',
  'ocsfWriter',
  'parseCheckFile',
  'planScan',
  'readInput',
  'readInputs',
  'readLaunchTemplates',
  'redactSetting',
  'render',
  'renderDiff',
  'requirementsOf',
  'sarifWriter',
  'scan',
  'scanFiles',
  'scanFleet',
  'scanHost',
  'selectChecks',
  'textWriter',
];

const TSC_FLAGS = [
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
];

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
    const tsc = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), ...TSC_FLAGS, 'consumer.mts'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 60_000);

  it('exports the documented API and nothing else; internals are not reachable by path', () => {
    const result = run('api.cjs', `console.log(Object.keys(require('brsec')).sort().join(' '));\n`);
    expect(result.stderr).toBe('');
    const names = result.stdout.trim().split(' ');
    expect(names).toEqual(PUBLIC_API);
    const library = readFileSync(join(repoRoot, 'README.md'), 'utf8').split('## Library')[1]!.split('## Performance')[0]!;
    for (const name of names) expect(library, name).toMatch(new RegExp(`\`${name}[\`(]`));
    const internal = run('internal.cjs', `require('brsec/dist/src/internal.js');\n`);
    expect(internal.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('types refuse what the library refuses at run time: a severity, a format, a status outside their unions', () => {
    writeFileSync(
      join(project, 'wrong.mts'),
      `import { scan, scanFleet } from 'brsec';\nawait scan(['x.json'], { failOn: 'HIGH' });\nawait scanFleet({ inputs: ['x'], outputs: [{ format: 'pdf' }] });\nawait scanFleet({ inputs: ['x'], outputs: [{ format: 'text', show: { statuses: ['fail'] } }] });\n`,
    );
    const tsc = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), ...TSC_FLAGS, 'wrong.mts'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(tsc.status).not.toBe(0);
    expect(tsc.stdout).toContain(`Type '"HIGH"' is not assignable to type 'Severity`);
    expect(tsc.stdout).toContain(`Type '"pdf"' is not assignable to type 'Format'`);
    expect(tsc.stdout).toContain(`Type '"fail"' is not assignable to type 'Status'`);
    expect(tsc.stdout.match(/error TS/g)).toHaveLength(3);
  }, 60_000);

  it('holds its license and the docs the README links', () => {
    const files = readdirSync(join(project, 'node_modules', 'brsec'));
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'docs', 'benchmarks', 'data', 'schemas', 'dist', 'bin']));
  });
});

/** A Lambda-style handler: documents in the event, verdicts out; it scans a snapshot, user data TOML and Karpenter YAML. */
const HANDLER = `import 'brsec/bundle';
import { detectInputs, scan } from 'brsec';

export const handler = async (event) => {
  const inputs = event.documents.flatMap((d) => detectInputs(d.text, { source: d.name }).inputs);
  const result = await scan(inputs, { profiles: ['all'] });
  return result.hosts.map((h) => \`\${h.host.id} \${h.status} \${h.results.length}\`);
};
`;

describe('a bundle of the library (esbuild, as for AWS Lambda)', () => {
  const event = {
    documents: [
      ['ecs-gaps.json', join(repoRoot, 'examples', 'ecs-gaps.json')],
      ['user-data.toml', join(repoRoot, 'test', 'fixtures', 'userdata', 'gaps.toml')],
      ['nodeclass.yaml', join(repoRoot, 'test', 'fixtures', 'node-config', 'karpenter-ec2nodeclass.yaml')],
    ].map(([name, path]) => ({ name, text: readFileSync(path!, 'utf8') })),
  };

  /** Bundles the handler from the packed package, and runs the bundle alone in an empty folder (no node_modules). */
  async function runBundled(format: 'esm' | 'cjs', handler = HANDLER): Promise<{ status: number | null; stdout: string; stderr: string }> {
    writeFileSync(join(project, 'handler.mjs'), handler);
    const lambda = tmp.path(`lambda-${format}-${handler.length}`);
    mkdirSync(lambda, { recursive: true });
    const outfile = join(lambda, format === 'esm' ? 'index.mjs' : 'index.js');
    await build({
      entryPoints: [join(project, 'handler.mjs')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format,
      outfile,
      logLevel: 'silent',
      // The SDK is in the Lambda runtime; brsec loads it only for AWS commands.
      external: ['@aws-sdk/*'],
      // jsonc-parser's main file is UMD, whose require() calls no bundler follows: take its ES module build.
      mainFields: ['module', 'main'],
      // An ES module bundle of CommonJS parts needs require(), as esbuild's documentation shows.
      ...(format === 'esm'
        ? {
            banner: {
              js: "import { createRequire as topLevelCreateRequire } from 'node:module'; const require = topLevelCreateRequire(import.meta.url);",
            },
          }
        : {}),
    });
    expect(readdirSync(lambda)).toEqual([format === 'esm' ? 'index.mjs' : 'index.js']);
    const run = `const m = ${format === 'esm' ? `await import('./index.mjs')` : `require('./index.js')`};\nconsole.log((await m.handler(${JSON.stringify(event)})).join('\\n'));`;
    writeFileSync(
      join(lambda, 'run.mjs'),
      format === 'esm' ? run : `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${run}`,
    );
    return spawnSync(process.execPath, ['run.mjs'], {
      cwd: lambda,
      encoding: 'utf8',
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
    });
  }

  for (const format of ['esm', 'cjs'] as const) {
    it(`runs as one ${format} file with nothing beside it: the catalogue, data and parsers are inside`, async () => {
      const result = await runBundled(format);
      expect(result.stderr).toBe('');
      expect(result.stdout.trim().split('\n')).toEqual([
        'i-0c3d4e5f6a7b89012 FAIL 76',
        'user-data.toml FAIL 76',
        'nodeclass.yaml#EC2NodeClass/bottlerocket-example FAIL 76',
      ]);
    }, 60_000);
  }

  it("without 'brsec/bundle' it says what to do in one line", async () => {
    const result = await runBundled('esm', HANDLER.replace("import 'brsec/bundle';\n", ''));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("in a bundle, import 'brsec/bundle' beside 'brsec'");
    // A snapshot needs no parser on demand; the catalogue is what is missing then, in either module format.
    const snapshotOnly = HANDLER.replace("import 'brsec/bundle';\n", '').replace('event.documents', 'event.documents.slice(0, 1)');
    for (const format of ['esm', 'cjs'] as const) {
      const missing = await runBundled(format, snapshotOnly);
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toContain("brsec: cannot find its data files (benchmarks/, data/): in a bundle, import 'brsec/bundle'");
    }
  }, 60_000);
});
