// npm's `prepare`: a git install (pre-commit's node hooks install brsec from its repository, and `npm install
// github:…` does the same) has no dist/, so it builds one. A checkout that has dist/ is left alone: `npm test` builds
// before it runs, and a build here would replace dist/ under running tests.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist', 'cli', 'brsec.cjs')))
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
