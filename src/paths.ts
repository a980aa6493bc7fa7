// Where brsec's own data files live: the package root holds benchmarks/, data/ and schemas/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package root, found by walking up from this module to the folder that holds benchmarks/. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'benchmarks', 'check.schema.json'))) return (root = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('brsec: cannot find its benchmarks/ folder');
    dir = parent;
  }
}

export const packagePath = (...parts: string[]): string => join(packageRoot(), ...parts);
