#!/usr/bin/env node
// Node configuration harness: a repository of node configuration files (Karpenter, eksctl, Terraform HCL and plans,
// CloudFormation, CDK, EKS Anywhere and Auto Mode), made from the test fixtures with names and values varied, then
// measured side by side in one run:
//   1. a plain Node script that reads every file and parses it with the parsers brsec uses (yaml, JSON.parse,
//      tree-sitter HCL, smol-toml for the TOML inside), and nothing else;
//   2. brsec's own reading: the library's readInputs on every file (parsing, node definitions, merge rules), and
//      nothing else;
//   3. `brsec scan <dir> --format json --output /dev/null`.
// Usage: node bench/node-config.mjs [--files 1000] [--runs 5] [--dir bench/out/node-config] [--regenerate]
// Build first (npm run build). Figures go to stdout; nothing here is a test assertion.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchOptions } from './options.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const options = benchOptions({
  files: { type: 'string', default: '1000' },
  runs: { type: 'string', default: '5' },
  dir: { type: 'string', default: join(root, 'bench', 'out', 'node-config') },
  regenerate: { type: 'boolean', default: false },
});
const count = Number(options.files);
const runs = Number(options.runs);
const dir = options.dir;
const bin = join(root, 'bin', 'brsec.cjs');
const fixtures = join(root, 'test', 'fixtures', 'node-config');

/** The fixture kinds, each a function of n giving a file name and its text. */
const kinds = [
  ['karpenter-ec2nodeclass.yaml', 'yaml'],
  ['manifests/helm-rendered.yaml', 'yaml'],
  ['eksctl-cluster.yaml', 'yaml'],
  ['eks-auto-nodeclass.yaml', 'yaml'],
  ['eks-anywhere-machineconfig.yaml', 'yaml'],
  ['cloudformation-launch-template.yaml', 'yaml'],
  ['cdk-synth.template.json', 'json'],
  ['terraform/plan.json', 'json'],
  ['terraform/main.tf', 'tf'],
].map(([file, ext]) => ({ text: readFileSync(join(fixtures, file), 'utf8'), ext }));

function generate() {
  rmSync(dir, { recursive: true, force: true });
  for (let n = 0; n < count; n++) {
    const kind = kinds[n % kinds.length];
    // Each file its own: names and a sysctl value vary, so no two hosts are the same text.
    const text = kind.text
      .replaceAll('bottlerocket-example', `nodes-${n}`)
      .replaceAll('name: bottlerocket', `name: bottlerocket-${n}`)
      .replaceAll('"16384"', `"${16384 + n}"`)
      .replaceAll('"nodes"', `"nodes-${n}"`);
    const sub = join(dir, `team-${n % 20}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `node-${n}.${kind.ext}`), kind.ext === 'tf' ? text.replace('userdata.toml.tpl', `missing-${n}.tpl`) : text);
  }
  writeFileSync(join(dir, '.count'), String(count));
}

if (options.regenerate || !existsSync(join(dir, '.count')) || readFileSync(join(dir, '.count'), 'utf8') !== String(count)) generate();

// Reading and parsing only, with brsec's own parsers: the floor a scan of these files cannot go below.
const parseOnly = `
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { createRequire } = require('node:module');
const req = createRequire(${JSON.stringify(join(root, 'package.json'))});
const YAML = req('yaml');
const toml = req('smol-toml');
const { Parser, Language } = req('web-tree-sitter');
(async () => {
  await Parser.init();
  const parser = new Parser();
  parser.setLanguage(await Language.load(req.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm')));
  const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => e.name.startsWith('.') ? [] : e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]);
  let documents = 0;
  for (const file of walk(${JSON.stringify(dir)})) {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.json')) { JSON.parse(text); documents++; continue; }
    if (file.endsWith('.tf')) { parser.parse(text); documents++; continue; }
    for (const doc of YAML.parseAllDocuments(text)) {
      documents++;
      // The TOML in a user data block is parsed too.
      const data = doc.getIn(['spec', 'userData']);
      if (typeof data === 'string') toml.parse(data);
    }
  }
  if (documents === 0) process.exit(1);
})();
`;

// brsec's reading alone: what a scan does before it evaluates anything.
const readOnly = `
import { expandInputs, readInputs } from ${JSON.stringify(join(root, 'dist', 'src', 'index.js'))};
let hosts = 0;
for (const file of await expandInputs([${JSON.stringify(dir)}])) hosts += (await readInputs(file)).inputs.length;
if (hosts === 0) process.exit(1);
`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function timed(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0 && result.status !== 1) throw new Error(`exit ${result.status}: ${result.stderr.slice(0, 400)}`);
  return seconds;
}

const files = readdirSync(dir, { recursive: true }).filter((f) => !String(f).startsWith('.') && /\.(yaml|json|tf)$/.test(String(f))).length;
const parse = [];
const read = [];
const scan = [];
for (let i = 0; i < runs; i++) {
  parse.push(timed(['-e', parseOnly]));
  read.push(timed(['--input-type=module', '-e', readOnly]));
  scan.push(timed([bin, 'scan', dir, '--format', 'json', '--output', '/dev/null']));
}
const report = JSON.parse(
  spawnSync(process.execPath, [bin, 'scan', dir, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout,
);
console.log(
  `node configuration repository: ${files} files, ${report.hosts.length} node definitions (${report.inputErrors.length} input errors)`,
);
console.log(`machine: ${process.version}, median of ${runs} runs, interleaved`);
console.log(`  read + parse only        : ${median(parse).toFixed(2)} s`);
console.log(`  brsec's reading only     : ${median(read).toFixed(2)} s (readInputs: parsing, node definitions, merge rules)`);
console.log(`  brsec scan --format json : ${median(scan).toFixed(2)} s`);
console.log(`  ratio to read + parse    : ${(median(scan) / median(parse)).toFixed(2)}x (budget 2x)`);
console.log(`  ratio to brsec's reading : ${(median(scan) / median(read)).toFixed(2)}x`);
