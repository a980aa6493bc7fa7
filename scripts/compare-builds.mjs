#!/usr/bin/env node
// Shows that two builds of brsec write the same reports: byte for byte, apart from the times a scan stamps.
// Usage: node scripts/compare-builds.mjs --old DIR [--hosts 400] [--formats json,sarif] [--profiles cis-bottlerocket,pci-dss]
//   --formats and --profiles narrow the comparison to what a change is meant to leave alone (a profile set is one
//   profile, or "default" for the defaults by variant).
//   DIR is another built checkout (e.g. `git worktree add /tmp/base HEAD~3 && cd /tmp/base && npm ci && npm run build`).
// Compared, with every profile (the defaults, each profile, all) and every format:
//   1. every case of every per-check fixture (test/fixtures/checks), scanned through each build's library with one clock;
//   2. the bundled examples and every real-world and sample fixture, through each build's CLI;
//   3. a shuffled slice of the bench fleet (bench/out/fleet, made by `node bench/run.mjs`), through each CLI on worker threads.
// Exits 1 on the first difference, naming it; prints what was compared otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { importTypeScript } from './import-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    old: { type: 'string' },
    hosts: { type: 'string', default: '400' },
    formats: { type: 'string' },
    profiles: { type: 'string' },
  },
});
if (!values.old || !existsSync(join(values.old, 'dist', 'src', 'index.js'))) {
  console.error('compare-builds: --old DIR must name a built brsec checkout');
  process.exit(2);
}
const builds = { old: values.old, new: root };
const ALL_FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown', 'asff', 'ocsf'];
const FORMATS = values.formats ? values.formats.split(',') : ALL_FORMATS;
const ALL_PROFILES = [[], ['cis-bottlerocket'], ['cis-kubernetes'], ['hardening'], ['pci-dss'], ['all']];
const PROFILES = values.profiles ? values.profiles.split(',').map((p) => (p === 'default' ? [] : [p])) : ALL_PROFILES;
const AWS = { accountId: '123456789012', region: 'us-east-1' };
const work = mkdtempSync(join(tmpdir(), 'brsec-compare-'));
let compared = 0;

/** Times differ between runs of one build; everything else must not. */
function normalize(text) {
  return text
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/"(time|created_time|modified_time|first_seen_time|last_seen_time)":\d{13}/g, '"$1":0')
    .replace(/time="[0-9.]+"/g, 'time="0"');
}

function differ(what, a, b) {
  const x = normalize(a);
  const y = normalize(b);
  compared++;
  if (x === y) return;
  let i = 0;
  while (x[i] === y[i]) i++;
  console.error(
    `compare-builds: ${what} differs at character ${i}:\n  old: ${JSON.stringify(x.slice(Math.max(0, i - 80), i + 80))}\n  new: ${JSON.stringify(y.slice(Math.max(0, i - 80), i + 80))}`,
  );
  process.exit(1);
}

// 1. Fixture cases through each library, with inputs built once by the test helper (bundled here from TypeScript).
async function fixtureCases() {
  const { inputFromCase } = await importTypeScript('test/helpers/cases.ts');
  const libraries = {
    old: await import(pathToFileURL(join(builds.old, 'dist', 'src', 'index.js')).href),
    new: await import(pathToFileURL(join(root, 'dist', 'src', 'index.js')).href),
  };
  const now = () => new Date('2026-12-01T00:00:00Z');
  const dir = join(root, 'test', 'fixtures', 'checks');
  let cases = 0;
  const oldChecks = new Set(libraries.old.loadCatalog().checks.map((c) => c.id));
  for (const name of readdirSync(dir).sort()) {
    const fixture = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    // Cases of a check the old build has not got, or of inputs it cannot read, have nothing to compare with.
    if (!oldChecks.has(fixture.check)) continue;
    for (const c of fixture.cases) {
      if (c.nodeConfig !== undefined || c.launchedWith !== undefined) continue;
      cases++;
      for (const profiles of values.profiles ? PROFILES : [[], ['all']]) {
        const out = {};
        for (const [which, lib] of Object.entries(libraries)) {
          const options = { now, ...(profiles.length ? { profiles } : {}), ...(c.parameters ? { parameters: c.parameters } : {}) };
          const result = await lib.scan([inputFromCase(c)], options);
          const catalog = lib.loadCatalog();
          out[which] = FORMATS.map((format) =>
            lib.render(
              lib.createWriter(
                format,
                { aws: AWS, updatedAt: '2026-12-01T00:00:00Z', ruleIds: catalog.checks.map((k) => k.id), baseDir: root },
                { catalog },
              ),
              result,
            ),
          );
        }
        FORMATS.forEach((format, i) =>
          differ(`${name} case "${c.name}" (${profiles.join(',') || 'default'}) as ${format}`, out.old[i], out.new[i]),
        );
      }
    }
  }
  return cases;
}

function cli(which, args) {
  const run = spawnSync(process.execPath, [join(builds[which], 'bin', 'brsec.cjs'), ...args], {
    encoding: 'utf8',
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: run.status, stderr: run.stderr };
}

// 2 and 3. Inputs through each CLI, every format at once (one output file each), per profile.
function throughCli(label, inputs, extra = []) {
  for (const profiles of PROFILES) {
    const results = {};
    for (const which of ['old', 'new']) {
      const out = join(work, which);
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out);
      // Every report to a file: the primary one (json) too, so nothing goes to standard output.
      const outputs = [
        '-f',
        'json',
        '-o',
        join(out, 'report.json'),
        ...FORMATS.filter((f) => f !== 'json').flatMap((f) => ['-o', `${f}=${join(out, `report.${f}`)}`]),
      ];
      const args = [
        'scan',
        ...inputs,
        ...outputs,
        '--aws-account',
        AWS.accountId,
        '--region',
        AWS.region,
        ...profiles.flatMap((p) => ['--profile', p]),
        ...extra,
      ];
      const run = cli(which, args);
      const read = (f) =>
        existsSync(join(out, `report.${f}`))
          ? readFileSync(join(out, `report.${f}`), 'utf8')
          : `<no report; exit ${run.status}: ${run.stderr}>`;
      results[which] = { run, files: FORMATS.map(read) };
    }
    const what = `${label} (${profiles.join(',') || 'default profiles'})`;
    differ(`${what}: exit code`, String(results.old.run.status), String(results.new.run.status));
    differ(`${what}: standard error`, results.old.run.stderr, results.new.run.stderr);
    FORMATS.forEach((f, i) => differ(`${what} as ${f}`, results.old.files[i], results.new.files[i]));
  }
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

const cases = await fixtureCases();
console.error(`compare-builds: ${compared} reports of fixture cases identical`);
const singles = [
  ...readdirSync(join(root, 'examples')).map((n) => join(root, 'examples', n)),
  ...filesUnder(join(root, 'test', 'fixtures', 'real-world')).filter((f) => !f.endsWith('.md') && !f.endsWith('expected.json')),
  ...filesUnder(join(root, 'test', 'fixtures', 'samples')).filter((f) => !f.endsWith('.md')),
  ...filesUnder(join(root, 'test', 'fixtures', 'userdata')),
].sort();
// One run per kind of input: each file is one host of it, written and compared whole.
const toml = singles.filter((f) => f.endsWith('.toml'));
throughCli(
  `${singles.length - toml.length} example and fixture files`,
  singles.filter((f) => !f.endsWith('.toml')),
);
throughCli(`${toml.length} user data files`, toml, ['--variant', 'aws-k8s-1.31']);
console.error(`compare-builds: ${compared} reports identical so far`);

const fleetDir = join(root, 'bench', 'out', 'fleet');
let fleetHosts = 0;
if (existsSync(fleetDir) && statSync(fleetDir).isDirectory()) {
  // A shuffled slice (a fixed shuffle), so neighbouring hosts differ in the ways a memo between hosts would notice.
  const all = readdirSync(fleetDir)
    .filter((n) => n.endsWith('.json'))
    .sort();
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  const slice = all.slice(0, Number(values.hosts)).map((n) => join(fleetDir, n));
  fleetHosts = slice.length;
  throughCli(`${slice.length} fleet hosts`, slice, ['--jobs', '2']);
} else {
  console.error('compare-builds: no bench fleet at bench/out/fleet (node bench/run.mjs makes one); the fleet comparison was left out');
}
rmSync(work, { recursive: true, force: true });
console.log(
  `compare-builds: ${compared} reports identical: ${cases} fixture cases × ${values.profiles ? PROFILES.length : 2} profile sets × ${FORMATS.length} formats, ${singles.length} files and ${fleetHosts} fleet hosts × ${PROFILES.length} profile sets × ${FORMATS.length} formats`,
);
