#!/usr/bin/env node
// Long fuzz runs against the build: `npm run fuzz -- --seed 1 --count 100000 [--cli 300] [--budget-ms 2000]
// [--first N]`. Prints progress and its figures, writes failing inputs to bench/out/fuzz/ to replay, exits 1 on any
// failure. `--first N --count 1` replays input N of a seed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as lib from '../dist/src/index.js';
import { fuzz, fuzzCli, fuzzInput } from '../test/robustness/fuzz/harness.mjs';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    count: { type: 'string', default: '10000' },
    first: { type: 'string', default: '0' },
    cli: { type: 'string', default: '0' },
    'budget-ms': { type: 'string', default: '2000' },
  },
});
const seed = Number(values.seed);
const count = Number(values.count);
const first = Number(values.first);
const budgetMs = Number(values['budget-ms']);

const startedAt = Date.now();
const inProcess = await fuzz({
  lib,
  seed,
  count,
  first,
  budgetMs,
  onProgress: ({ done, failures }) => {
    if (done % 10_000 === 0)
      process.stderr.write(`fuzz: ${done} of ${count} inputs, ${failures} failures, ${((Date.now() - startedAt) / 1000).toFixed(0)} s\n`);
  },
});
const cli = Number(values.cli) > 0 ? fuzzCli({ lib, seed, count: Number(values.cli), first }) : null;
const failures = [...inProcess.failures, ...(cli?.failures ?? [])];

const { byOrigin, ...figures } = inProcess.figures;
console.log(`seed ${seed}, inputs ${first} to ${first + count - 1}`);
console.log(
  `in-process: ${figures.inputs} inputs in ${(figures.elapsedMs / 1000).toFixed(1)} s (${((figures.inputs / figures.elapsedMs) * 1000).toFixed(0)} per second)`,
);
console.log(`  scanned ${figures.scanned}, input errors ${figures.inputErrors}, secret checks ${figures.secretChecks}`);
console.log(`  slowest input ${figures.slowestMs.toFixed(0)} ms (index ${figures.slowestIndex}), budget ${budgetMs} ms`);
console.log(
  `  by seed: ${Object.entries(byOrigin)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => `${name} ${n}`)
    .join(', ')}`,
);
if (cli) console.log(`CLI: ${cli.figures.inputs} runs, exit codes ${JSON.stringify(cli.figures.exitCodes)}`);
console.log(`failures: ${failures.length}`);
if (failures.length > 0) {
  const dir = join(import.meta.dirname, '..', 'bench', 'out', 'fuzz');
  mkdirSync(dir, { recursive: true });
  for (const failure of failures.slice(0, 50)) {
    console.log(`  #${failure.index} ${failure.origin} [${failure.applied.join(', ')}] ${failure.kind}: ${failure.detail.slice(0, 200)}`);
    writeFileSync(join(dir, `seed${seed}-${failure.index}.input`), fuzzInput(seed, failure.index).text);
  }
  console.log(`failing inputs are in ${dir}; replay one with --first INDEX --count 1`);
  process.exitCode = 1;
}
