#!/usr/bin/env node
// Scan time against the size of one host-controlled string, 1 KB to 10 MB: every glob, pattern and parser brsec
// runs on host text must take time linear in it (a backtracking one shows as a ratio far above 10 per step).
// Each case puts one long string in one place of the k8s example snapshot and times recognising it, scanning every
// check and writing the JSON report (median of --runs, after a warm-up), in a child process per case and size, so a
// build that stalls is stopped after --timeout seconds and shown as such.
// Usage: node bench/linear.mjs [--runs 3] [--max 10000000] [--timeout 30] [--compare DIR]
// --compare DIR times another build (a built checkout) on the same inputs, interleaved, for a side-by-side figure.
// Build first (npm run build). Figures go to stdout; nothing here is a test assertion.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchOptions } from './options.mjs';

const root = join(import.meta.dirname, '..');
const options = benchOptions({
  runs: { type: 'string', default: '3' },
  max: { type: 'string', default: '10000000' },
  timeout: { type: 'string', default: '30' },
  compare: { type: 'string' },
  // Internal: one measurement, in a child process.
  child: { type: 'string' },
});
const runs = Number(options.runs);
const sizes = [1_000, 10_000, 100_000, 1_000_000, 10_000_000].filter((n) => n <= Number(options.max));
const builds = [{ name: 'this build', dir: root }];
if (options.compare) builds.push({ name: options.compare, dir: options.compare });

const example = JSON.parse(readFileSync(join(root, 'examples', 'k8s-stock-full.json'), 'utf8'));

/** The example with its `apiclient get` settings changed by `change`. */
function withSettings(change) {
  const snapshot = structuredClone(example);
  const api = JSON.parse(snapshot.captures['apiclient get'].stdout);
  change(api.settings);
  snapshot.captures['apiclient get'].stdout = JSON.stringify(api);
  return JSON.stringify(snapshot);
}

/** The example with one capture's output changed by `change`. */
function withCapture(key, change) {
  const snapshot = structuredClone(example);
  snapshot.captures[key].stdout = change(snapshot.captures[key].stdout);
  return JSON.stringify(snapshot);
}

const BLOODHOUND_TEXT = readFileSync(join(root, 'test', 'fixtures', 'samples', 'aws-k8s-1.30-default', 'report-cis-l2.txt'), 'utf8');

// Each case: what the long string is, and the input holding n characters of it. Every run's string starts with its
// own salt, so no run reuses what brsec parsed for the run before (a fleet's hosts share equal captures).
const CASES = {
  'container source (allow-list globs)': (n, salt) =>
    withSettings((s) => (s['host-containers'].admin.source = `328549459982.dkr.ecr.us-west-2.amazonaws.com/${salt}${'a'.repeat(n)}`)),
  'container source, --allowed-registry with 12 stars': {
    parameters: { allowedRegistries: ['*a*a*a*a*a*a*a*a*a*a*a*b'] },
    make: (n, salt) => withSettings((s) => (s['host-containers'].admin.source = `${salt}${'a'.repeat(n)}`)),
  },
  'container source of dotted words (redaction before matching)': (n, salt) =>
    withSettings((s) => (s['host-containers'].admin.source = `${salt}${'a.'.repeat(n / 2)}`)),
  'update URL (allow-list globs)': (n, salt) =>
    withSettings((s) => (s.updates['metadata-base-url'] = `https://updates.bottlerocket.aws/${salt}${'a/'.repeat(n / 2)}`)),
  'mirror URL with credentials (redaction)': (n, salt) =>
    withSettings(
      (s) =>
        (s['container-registry'] = {
          mirrors: [{ registry: 'docker.io', endpoint: [`https://user:${salt}${'p@/'.repeat(n / 3)}@mirror.example.com/v2`] }],
        }),
    ),
  'node label values (settings walk)': (n, salt) =>
    withSettings((s) => (s.kubernetes['node-labels'] = { team: `${salt}${'x'.repeat(n)}` })),
  // The line shape that was cubic: a result, its id and nothing but spaces.
  'bloodhound text line (text parser)': (n, salt) =>
    BLOODHOUND_TEXT.replace('Start time:      ', `Start time:      ${salt}`).replace(
      '[PASS] 1.3.1',
      `[PASS] 1.3.1${' '.repeat(n)}\n[PASS] 1.3.1`,
    ),
  'kubelet config (YAML reader)': (n, salt) =>
    withCapture('cat /etc/kubernetes/kubelet/config', (text) => `${text}\n# ${salt}${'x'.repeat(n)}\n`),
  'iptables listing (rule parser)': (n, salt) =>
    withCapture('iptables -L -v -n', (text) => `${text.trimEnd()} ${salt}${'/* c */ '.repeat(n / 8)}\n`),
  'sysctl -a (key = value parser)': (n, salt) => withCapture('sysctl -a', (text) => `${text}kernel.hostname = ${salt}${'h'.repeat(n)}\n`),
  'kernel command line (parameter parser)': (n, salt) =>
    withCapture('cat /proc/cmdline', (text) => `${text.trimEnd()} ${salt}${' a=b'.repeat(n / 4)}\n`),
};

/** The median time of one case at one size, measured in this process (the child). */
async function measure(dir, caseName, n) {
  const lib = await import(join(dir, 'dist', 'src', 'index.js'));
  const { make, parameters } = typeof CASES[caseName] === 'function' ? { make: CASES[caseName] } : CASES[caseName];
  const catalog = lib.loadCatalog();
  const once = async (text) => {
    const started = performance.now();
    try {
      const input = lib.detectInput(text, { source: 'linear.json' });
      const result = await lib.scan([input], { catalog, profiles: ['all'], ...(parameters ? { parameters } : {}) });
      lib.render(lib.createWriter('json'), result);
    } catch (err) {
      if (!(err instanceof lib.InputError)) throw err;
    }
    return performance.now() - started;
  };
  for (let i = 0; i < 5; i++) await once(JSON.stringify(example));
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await once(make(n, `run${i}-`)));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

if (options.child) {
  const { dir, caseName, n } = JSON.parse(options.child);
  console.log(await measure(dir, caseName, n));
  process.exit(0);
}

/** One measurement in a child process: its time in ms, or null when it ran past the timeout. */
function timeOne(dir, caseName, n) {
  const child = JSON.stringify({ dir, caseName, n });
  const run = spawnSync(process.execPath, [import.meta.filename, '--runs', String(runs), '--child', child], {
    encoding: 'utf8',
    timeout: Number(options.timeout) * 1000,
  });
  if (run.error?.code === 'ETIMEDOUT' || run.signal) return null;
  if (run.status !== 0) throw new Error(`linear: ${caseName} at ${n}: ${run.stderr.trim().split('\n')[0]}`);
  return Number(run.stdout.trim());
}

const size = (n) => (n >= 1e6 ? `${n / 1e6} MB` : `${n / 1e3} KB`);
console.log(`scan time (ms, median of ${runs}) by size of one host-controlled string; "×" is the ratio to the size before (10× the size)`);
for (const caseName of Object.keys(CASES)) {
  console.log(`\n${caseName}`);
  const rows = builds.map(() => []);
  const stalled = builds.map(() => false);
  const before = builds.map(() => null);
  // Builds alternate size by size, so both see the same machine state.
  for (const n of sizes) {
    builds.forEach((build, b) => {
      if (stalled[b]) return;
      const ms = timeOne(build.dir, caseName, n);
      if (ms === null) {
        rows[b].push(`${size(n)} over ${options.timeout} s (stopped)`);
        stalled[b] = true;
        return;
      }
      rows[b].push(`${size(n)} ${ms.toFixed(1)}${before[b] ? ` (×${(ms / before[b]).toFixed(1)})` : ''}`);
      before[b] = ms;
    });
  }
  builds.forEach((build, b) => console.log(`  ${build.name.padEnd(12)} ${rows[b].join('  ')}`));
}
