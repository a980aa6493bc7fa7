// Builds brsec: standalone schema validators, the library (tsc: ESM + .d.ts in dist/src), and the CLI as
// one bundled file (dist/cli/brsec.cjs) with a V8 code cache so `brsec` starts fast.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args, env = {}) =>
  execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });

rmSync(join(root, 'dist'), { recursive: true, force: true });
run(process.execPath, ['scripts/gen-validators.mjs']);
run(process.execPath, ['scripts/gen-embedded-data.mjs']);
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
mkdirSync(join(root, 'dist', 'src', 'generated'), { recursive: true });
for (const file of ['validators.js', 'validators.d.ts', 'embedded-data.js', 'embedded-data.d.ts'])
  copyFileSync(join(root, 'src', 'generated', file), join(root, 'dist', 'src', 'generated', file));

/**
 * string-width (three copies, under yargs, cliui and wrap-ansi) builds an Intl.Segmenter and Unicode property
 * regexps when it loads: about 6 ms of every start, for help text a scan never prints. Each import of it gets a
 * stand-in that loads its own copy on first use; esbuild runs a module required that way only when required.
 */
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(build) {
    build.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData?.real) return undefined;
      const real = await build.resolve(args.path, {
        resolveDir: args.resolveDir,
        kind: args.kind,
        importer: args.importer,
        pluginData: { real: true },
      });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'lazy-string-width' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => ({
      contents: `let real;\nexport default function stringWidth(string, options) {\n  real ??= require(${JSON.stringify(args.path)}).default;\n  return real(string, options);\n}\n`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

await build({
  plugins: [lazyStringWidth],
  // The scan worker is bundled on its own: worker threads start from a file.
  entryPoints: { brsec: join(root, 'cli', 'bin.ts'), 'scan-worker': join(root, 'src', 'fleet', 'worker.ts') },
  outdir: join(root, 'dist', 'cli'),
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  // ESM builds first: jsonc-parser's UMD build loads its parts with require() calls a bundler cannot follow.
  mainFields: ['module', 'main'],
  target: 'node20',
  // The bundle runs inside vm.Script (for its code cache), where import() has no loader: lazy imports of the
  // AWS SDK become require() calls instead.
  supported: { 'dynamic-import': false },
  format: 'cjs',
  // Less source for V8 to read and check against its code cache at every start; names stay for stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  // The AWS SDK is loaded only by the commands that talk to AWS; tree-sitter (for Terraform HCL) loads its WebAssembly
  // from beside its own files, so it is required from node_modules rather than bundled.
  external: ['@aws-sdk/*', 'web-tree-sitter'],
  define: { 'import.meta.url': '__brsecModuleUrl' },
  banner: { js: "const __brsecModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  legalComments: 'none',
});

// Warm the code cache with a real scan so the functions a scan needs are compiled into it.
const warm = spawnSync(
  process.execPath,
  [
    join(root, 'bin', 'brsec.cjs'),
    'scan',
    join(root, 'examples', 'k8s-stock-full.json'),
    '--format',
    'json',
    '--output',
    join(root, 'dist', '.warmup.json'),
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, BRSEC_WRITE_CODE_CACHE: '1' },
  },
);
// The example has failing checks, so exit code 1 is the expected outcome of a working scan.
if (warm.status !== 0 && warm.status !== 1) throw new Error(`warm-up scan failed with exit code ${warm.status}`);
rmSync(join(root, 'dist', '.warmup.json'), { force: true });
console.log('built dist/');
