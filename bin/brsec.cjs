#!/usr/bin/env node
// Starts the bundled CLI through a V8 code cache made at build time, so a one-host scan starts in about the
// time Node itself takes. A cache from another Node version is rejected by V8 and the script compiles as usual.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const bundle = join(__dirname, '..', 'dist', 'cli', 'brsec.cjs');
const cacheFile = `${bundle}.cache`;
let source;
try {
  source = readFileSync(bundle, 'utf8');
} catch {
  process.stderr.write('brsec: dist/cli/brsec.cjs is missing; run `npm run build` first\n');
  process.exit(2);
}
let cachedData;
if (!process.env.BRSEC_WRITE_CODE_CACHE) {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
}
const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
if (process.env.BRSEC_WRITE_CODE_CACHE) process.on('exit', () => writeFileSync(cacheFile, script.createCachedData()));
const moduleRecord = new Module(bundle, module);
moduleRecord.filename = bundle;
moduleRecord.paths = Module._nodeModulePaths(join(__dirname, '..', 'dist', 'cli'));
script.runInThisContext()(moduleRecord.exports, Module.createRequire(bundle), moduleRecord, bundle, join(__dirname, '..', 'dist', 'cli'));
