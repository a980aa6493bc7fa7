#!/usr/bin/env node
// Writes the check vocabulary where it is spelled out for readers and validators: the `fact` and `op` enums of
// benchmarks/check.schema.json, and the facts and operators tables of docs/checks.md (between their markers). The
// source is the fact table (src/facts/registry.ts) and the operator table (src/checks/operators.ts), read through
// src/checks/vocabulary.ts. Run `npm run gen:vocabulary` after changing either; test/vocabulary.test.ts fails until then.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTypeScript } from './import-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// From the TypeScript sources, so the tables need no build first.
const vocabulary = await importTypeScript('src/checks/vocabulary.ts');

const schemaPath = join(root, 'benchmarks', 'check.schema.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
schema.definitions.assertion.properties.fact.enum = vocabulary.factNames();
schema.definitions.assertion.properties.op.enum = vocabulary.operatorNames();
writeFileSync(schemaPath, `${JSON.stringify(schema, null, 2)}\n`);

const docsPath = join(root, 'docs', 'checks.md');
writeFileSync(docsPath, vocabulary.withTables(readFileSync(docsPath, 'utf8')));
console.log('gen-vocabulary: benchmarks/check.schema.json (fact and op enums) and docs/checks.md (facts and operators tables)');
