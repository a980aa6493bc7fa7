// Writes brsec's data files (benchmarks/, data/, and the package's name and version) into one module,
// src/generated/embedded-data.js, which `brsec/bundle` hands to the library: a bundle has no package folder to read.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = {};
const walk = (dir) => {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    // The definition schemas are compiled into validators; a bundle never reads them.
    else if (!entry.name.endsWith('.schema.json'))
      files[relative(root, join(root, path)).split(sep).join('/')] = readFileSync(join(root, path), 'utf8');
  }
};
walk('benchmarks');
walk('data');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
files['package.json'] = JSON.stringify({ name, version });

mkdirSync(join(root, 'src', 'generated'), { recursive: true });
writeFileSync(join(root, 'src', 'generated', 'embedded-data.js'), `export const EMBEDDED_FILES = ${JSON.stringify(files)};\n`);
writeFileSync(
  join(root, 'src', 'generated', 'embedded-data.d.ts'),
  'export declare const EMBEDDED_FILES: Readonly<Record<string, string>>;\n',
);
