// The fuzzer: mutated inputs of every kind through recognition, the scan of every check, and every report
// format, in-process; and some of them through the CLI. It is handed the library (the sources under test, the
// build under `npm run fuzz`) so both run the same harness.
//
// A failure is: an error that is not an input error (an internal error), a stack trace in a message, a report
// that is not what its format promises (JSON that does not parse), a planted secret in any output while the input
// still holds it only where secrets live, a control character from the input in the text report, an exit code
// outside the documented ones, or an input that took longer than the budget (long runs only: timings are never
// assertions of the test suite).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECRET_MARK, repoRoot, seeds } from './corpus.mjs';
import { mutate, parseDocument, random } from './mutate.mjs';

const NOW = new Date('2026-12-01T00:00:00Z');
const AWS = { accountId: '123456789012', region: 'us-east-1' };
const EXIT_CODES = new Set([0, 1, 2, 3]);
const STACK = /\n\s+at [^\n]*[:(]/;
// C0 controls other than tab and newline, DEL, and the line separators: none of them may reach a terminal from input.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/;

/** The input of number `index` in a run seeded with `seed`: each index has its own generator, so one can be replayed. */
export function fuzzInput(seed, index, corpus = seeds()) {
  const rng = random((seed * 0x9e3779b1) ^ (index * 0x85ebca77));
  const origin = rng.pick(corpus);
  const { text, applied } = mutate(origin.text, rng);
  return { origin, text, applied };
}

/**
 * Whether a secret token in the input sits anywhere but at a setting that holds secrets (or in a URL's
 * credentials): a mutation that moved it there makes showing it right. Unparseable inputs cannot be told, so they
 * count as moved; how many inputs the check covered is part of the figures.
 */
export function secretMoved(text, lib) {
  if (!text.includes(SECRET_MARK)) return { checked: true, moved: false };
  const document = parseDocument(text);
  if (!document) return { checked: false, moved: true };
  let moved = false;
  const visit = (value, settingsPath) => {
    if (moved) return;
    if (typeof value === 'string') {
      if (!value.includes(SECRET_MARK)) return;
      // Secret settings are skipped below, so a secret here is shown rightly, unless it is a URL's credentials.
      if (settingsPath) {
        if (!inUrlCredentials(value)) moved = true;
        return;
      }
      // Output that is itself JSON (the `apiclient get` capture) holds settings too; other text is shown as it is.
      try {
        visit(JSON.parse(value), null);
      } catch {
        moved = true;
      }
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const key of Object.keys(value)) {
      // A key is shown as it is wherever it lies.
      if (key.includes(SECRET_MARK)) moved = true;
      const path = settingsPath ? [...settingsPath, key] : key === 'settings' ? [] : null;
      if (settingsPath && lib.isSecretSetting([...settingsPath, key])) continue;
      visit(value[key], path);
    }
  };
  visit(document.value, null);
  return { checked: true, moved };
}

/** Every occurrence of the mark lies between a scheme's `://` and a later `@`: URL credentials, which are redacted. */
function inUrlCredentials(value) {
  for (let at = value.indexOf(SECRET_MARK); at >= 0; at = value.indexOf(SECRET_MARK, at + 1)) {
    const scheme = value.lastIndexOf('://', at);
    if (scheme < 0 || value.indexOf('@', at) < 0 || /\s/.test(value.slice(scheme, at))) return false;
  }
  return true;
}

/** Every report of a scan result, by format, and the result itself as a library user sees it. */
function reportsOf(lib, result, ruleIds) {
  const reports = { result: JSON.stringify(result) };
  for (const format of lib.FORMATS) {
    reports[format] = lib.render(
      lib.createWriter(format, { aws: AWS, updatedAt: NOW.toISOString(), ruleIds, hostCount: 1, sarifInclude: ['error', 'manual'] }),
      result,
    );
  }
  return reports;
}

/** What is wrong with a scan's reports: a JSON report that does not parse, a secret, a raw control character in the text. */
function failuresOfReports(reports, secretCheck) {
  const failures = [];
  for (const [format, text] of Object.entries(reports)) {
    if (['json', 'sarif', 'asff', 'ocsf', 'result'].includes(format)) {
      try {
        JSON.parse(text);
      } catch (err) {
        failures.push({ kind: 'invalid-report', detail: `${format}: ${err.message}` });
      }
    }
    if (secretCheck && text.includes(SECRET_MARK)) failures.push({ kind: 'secret', detail: `${format} report` });
  }
  const control = reports.text.match(CONTROL);
  if (control)
    failures.push({ kind: 'control-character', detail: `text report holds U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')}` });
  return failures;
}

/** One input through recognition, the scan and every writer; what went wrong goes to `fail`. */
async function checkOne({ lib, catalog, ruleIds, text, source, secretCheck, figures, fail }) {
  let inputs;
  try {
    // Every host of the input: node configuration defines several; definitions that cannot be read are problems.
    const found = lib.detectInputs(text, { source });
    for (const problem of found.problems) {
      if (STACK.test(problem.message)) fail('stack-trace', problem.message);
      if (secretCheck && problem.message.includes(SECRET_MARK)) fail('secret', 'input problem message');
    }
    inputs = found.inputs;
    if (inputs.length === 0) {
      figures.inputErrors++;
      return;
    }
  } catch (err) {
    if (!(err instanceof lib.InputError)) return fail('internal-error', `${err?.name}: ${err?.message}`);
    figures.inputErrors++;
    if (STACK.test(err.problem)) fail('stack-trace', err.problem);
    if (secretCheck && err.message.includes(SECRET_MARK)) fail('secret', 'input error message');
    return;
  }
  try {
    const result = await lib.scan(inputs, { catalog, profiles: ['all'], now: () => NOW });
    figures.scanned++;
    for (const f of failuresOfReports(reportsOf(lib, result, ruleIds), secretCheck)) fail(f.kind, f.detail);
  } catch (err) {
    fail('internal-error', `${err?.name}: ${err?.message}`);
  }
}

/**
 * Runs `count` inputs from `seed` through the library. Returns the figures and every failure (each with the index
 * that replays it). `budgetMs` fails inputs slower than that; `onProgress` hears about every thousandth input.
 */
export async function fuzz({ lib, seed = 1, count = 100, budgetMs, onProgress, first = 0 }) {
  const catalog = lib.loadCatalog();
  const ruleIds = catalog.checks.map((c) => c.id);
  const corpus = seeds();
  const figures = {
    inputs: 0,
    scanned: 0,
    inputErrors: 0,
    secretChecks: 0,
    slowestMs: 0,
    slowestIndex: -1,
    byOrigin: {},
    startedAt: Date.now(),
  };
  const failures = [];
  for (let index = first; index < first + count; index++) {
    if (onProgress && index > first && (index - first) % 1000 === 0) onProgress({ done: index - first, failures: failures.length });
    const { origin, text, applied } = fuzzInput(seed, index, corpus);
    const secret = secretMoved(text, lib);
    const secretCheck = secret.checked && !secret.moved;
    if (secretCheck) figures.secretChecks++;
    const fail = (kind, detail) => failures.push({ index, origin: origin.name, applied, kind, detail });
    const started = performance.now();
    figures.inputs++;
    figures.byOrigin[origin.name] = (figures.byOrigin[origin.name] ?? 0) + 1;
    await checkOne({ lib, catalog, ruleIds, text, source: `fuzz/${origin.name}-${index}`, secretCheck, figures, fail });
    const elapsed = performance.now() - started;
    if (elapsed > figures.slowestMs) {
      figures.slowestMs = elapsed;
      figures.slowestIndex = index;
    }
    if (budgetMs !== undefined && elapsed > budgetMs) fail('budget', `${elapsed.toFixed(0)} ms, over the budget of ${budgetMs} ms`);
  }
  figures.elapsedMs = Date.now() - figures.startedAt;
  delete figures.startedAt;
  return { figures, failures };
}

/**
 * Runs `count` inputs from `seed` through the CLI (`brsec scan FILE --profile all`, every format at once), each in
 * its own process. Fails on an exit code outside the documented ones, a stack trace, or a secret in what it printed
 * or wrote.
 */
export function fuzzCli({ lib, seed = 1, count = 10, first = 0, bin = join(repoRoot, 'bin', 'brsec.cjs') }) {
  const corpus = seeds();
  const dir = mkdtempSync(join(tmpdir(), 'brsec-fuzz-cli-'));
  const failures = [];
  const exitCodes = {};
  try {
    for (let index = first; index < first + count; index++) {
      const { origin, text, applied } = fuzzInput(seed, index, corpus);
      const secret = secretMoved(text, lib);
      const file = join(dir, `${origin.name}-${index}${origin.kind === 'user data' ? '.toml' : '.json'}`);
      writeFileSync(file, text);
      const outputs = ['json', 'sarif', 'junit', 'markdown'].map((f) => `${f}=${join(dir, `out-${index}.${f}`)}`);
      const run = spawnSync(process.execPath, [bin, 'scan', file, '--profile', 'all', ...outputs.flatMap((o) => ['-o', o])], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', AWS_EC2_METADATA_DISABLED: 'true' },
        maxBuffer: 1 << 28,
      });
      const fail = (kind, detail) => failures.push({ index, origin: origin.name, applied, kind, detail });
      exitCodes[run.status] = (exitCodes[run.status] ?? 0) + 1;
      if (!EXIT_CODES.has(run.status)) fail('exit-code', `exit ${run.status}: ${run.stderr.slice(0, 300)}`);
      if (STACK.test(run.stderr) || STACK.test(run.stdout)) fail('stack-trace', run.stderr.slice(0, 300));
      if (run.stderr.includes('internal error')) fail('internal-error', run.stderr.slice(0, 300));
      if (secret.checked && !secret.moved) {
        if ((run.stdout + run.stderr).includes(SECRET_MARK)) fail('secret', 'printed by the CLI');
        for (const output of outputs) {
          const path = output.slice(output.indexOf('=') + 1);
          if (existsSync(path) && readFileSync(path, 'utf8').includes(SECRET_MARK)) fail('secret', `written to ${output.split('=')[0]}`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { figures: { inputs: count, exitCodes }, failures };
}
