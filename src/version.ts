import { readFileSync } from 'node:fs';
import { packagePath } from './paths.js';

let version: string | undefined;

/** brsec's version, from its package.json. */
export function brsecVersion(): string {
  version ??= (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  return version;
}
