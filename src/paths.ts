// Where brsec's own data files live: the package root holds benchmarks/, data/ and package.json. A bundle (esbuild
// for Lambda, say) has no package folder beside it: `brsec/bundle` hands the same files over as embedded text, or
// BRSEC_DATA_DIR names a copy of them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;
/** Package files by their path in the package (`benchmarks/cis-level1/BR-1.1.1.1.json`), when a bundle embeds them. */
let embedded: ReadonlyMap<string, string> | undefined;

/** Called by `brsec/bundle`: brsec's data files as text, keyed by their path in the package. */
export function useEmbeddedData(files: Readonly<Record<string, string>>): void {
  embedded = new Map(Object.entries(files));
}

const isPackageRoot = (dir: string): boolean => existsSync(join(dir, 'benchmarks', 'check.schema.json'));

/** The package root: BRSEC_DATA_DIR, or the folder above this module that holds benchmarks/. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  const configured = process.env.BRSEC_DATA_DIR;
  if (configured) {
    if (!isPackageRoot(configured))
      throw new Error(`brsec: BRSEC_DATA_DIR=${configured} does not hold brsec's data (benchmarks/check.schema.json)`);
    return (root = configured);
  }
  const notFound = new Error(
    "brsec: cannot find its data files (benchmarks/, data/): in a bundle, import 'brsec/bundle' beside 'brsec', or set BRSEC_DATA_DIR to a copy of the package's folder",
  );
  // A CommonJS bundle has no import.meta.url.
  if (!import.meta.url) throw notFound;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (isPackageRoot(dir)) return (root = dir);
    const parent = dirname(dir);
    if (parent === dir) throw notFound;
    dir = parent;
  }
}

export const packagePath = (...parts: string[]): string => join(packageRoot(), ...parts);

/** A package file's text, by its path in the package with forward slashes. */
export function readPackageFile(path: string): string {
  if (embedded) {
    const text = embedded.get(path);
    if (text === undefined) throw new Error(`brsec: the embedded data has no ${path}`);
    return text;
  }
  return readFileSync(packagePath(...path.split('/')), 'utf8');
}

/** The names of the files in a package folder (not recursive), sorted. */
export function listPackageFolder(folder: string): string[] {
  if (embedded) {
    const prefix = `${folder}/`;
    return [...embedded.keys()]
      .filter((path) => path.startsWith(prefix) && !path.slice(prefix.length).includes('/'))
      .map((path) => path.slice(prefix.length))
      .sort();
  }
  return readdirSync(packagePath(...folder.split('/'))).sort();
}

export function packageFileExists(path: string): boolean {
  return embedded ? embedded.has(path) : existsSync(packagePath(...path.split('/')));
}
