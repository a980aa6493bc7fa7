// Imports a TypeScript module of the project from a script, without a build: esbuild bundles it (leaving packages
// out) into node_modules/.cache, inside the project so the bundle finds those packages, and the bundle is removed.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The module at `path` (relative to the project root), e.g. `src/checks/vocabulary.ts`. */
export async function importTypeScript(path) {
  mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
  const work = mkdtempSync(join(root, 'node_modules', '.cache', 'brsec-ts-'));
  try {
    const outfile = join(work, 'module.mjs');
    await build({
      entryPoints: [join(root, path)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'error',
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
