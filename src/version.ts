import { readPackageFile } from './paths.js';

let version: string | undefined;

/** brsec's version, from its package.json. */
export function brsecVersion(): string {
  version ??= (JSON.parse(readPackageFile('package.json')) as { version: string }).version;
  return version;
}
