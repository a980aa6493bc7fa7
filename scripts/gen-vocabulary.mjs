#!/usr/bin/env node
// Writes the check vocabulary where it is spelled out for readers and validators: the `fact` and `op` enums of
// benchmarks/check.schema.json, and the facts and operators tables of docs/checks.md (between their markers). The
// source is the fact table (src/facts/registry.ts) and the operator table (src/checks/operators.ts), read through
// src/checks/vocabulary.ts. Run `npm run gen:vocabulary` after changing either; test/vocabulary.test.ts fails until then.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Inside the project, so the bundle finds the packages it leaves out.
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const work = mkdtempSync(join(root, 'node_modules', '.cache', 'brsec-vocabulary-'));
const bundle = join(work, 'vocabulary.mjs');
// Bundled from the TypeScript sources, so the tables need no build first.
await build({
  entryPoints: [join(root, 'src', 'checks', 'vocabulary.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  logLevel: 'error',
  absWorkingDir: root,
});
const vocabulary = await import(pathToFileURL(bundle).href);
rmSync(work, { recursive: true, force: true });

const schemaPath = join(root, 'benchmarks', 'check.schema.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
schema.definitions.assertion.properties.fact.enum = vocabulary.factNames();
schema.definitions.assertion.properties.op.enum = vocabulary.operatorNames();
writeFileSync(schemaPath, `${JSON.stringify(schema, null, 2)}\n`);

const docsPath = join(root, 'docs', 'checks.md');
writeFileSync(docsPath, vocabulary.withTables(readFileSync(docsPath, 'utf8')));
console.log('gen-vocabulary: benchmarks/check.schema.json (fact and op enums) and docs/checks.md (facts and operators tables)');
