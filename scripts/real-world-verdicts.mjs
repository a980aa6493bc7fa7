#!/usr/bin/env node
// Scans every case in test/fixtures/real-world with a built brsec checkout (this one by default, or another given
// as the first argument, say a `git worktree` of an older commit) and prints each verdict that differs from the
// case's expected one. Shows what a fix changed on real material: run it with the build before the fix.
// Usage: node scripts/real-world-verdicts.mjs [DIR]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = resolve(process.argv[2] ?? here);
const entry = join(build, 'dist', 'src', 'index.js');
if (!existsSync(entry)) {
  console.error(`real-world-verdicts: ${build} is not a built brsec checkout (npm run build there)`);
  process.exit(2);
}
const lib = await import(pathToFileURL(entry).href);
const catalog = lib.loadCatalog();
const root = join(here, 'test', 'fixtures', 'real-world');
const cases = (dir) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => {
      const path = join(dir, e.name);
      return existsSync(join(path, 'case.json')) ? [path] : cases(path);
    });

let wrong = 0;
let total = 0;
for (const dir of cases(root)) {
  const name = dir.slice(root.length + 1);
  const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
  const text = readFileSync(join(dir, c.input), 'utf8');
  let host;
  try {
    const checks = c.checks.filter((id) => catalog.byId.has(id));
    host = lib.scanHost(
      lib.detectInput(text, { source: c.input, ...(c.variant ? { variant: c.variant } : {}) }),
      lib.planScan(catalog, { checks }),
    );
  } catch (err) {
    total++;
    if (!c.inputError || !String(err.message).includes(c.inputError)) {
      wrong++;
      console.log(`${name}: refused (${err.message})${c.inputError ? `, expected "${c.inputError}"` : ''}`);
    }
    continue;
  }
  if (c.inputError) {
    total++;
    wrong++;
    console.log(`${name}: read, expected the input error "${c.inputError}"`);
    continue;
  }
  for (const [id, want] of Object.entries(c.expect)) {
    total++;
    const got = host.results.find((r) => r.id === id)?.status ?? 'no such check';
    if (got !== want.status) {
      wrong++;
      console.log(`${name} ${id}: ${got} (expected ${want.status})`);
    }
  }
}
console.log(`${wrong} of ${total} verdicts differ from the expected ones`);
