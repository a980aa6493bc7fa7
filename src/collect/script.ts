import { readFileSync } from 'node:fs';
import { packagePath } from '../paths.js';

/** The capture script (data/capture.sh) that `brsec capture-script` prints and the SSM collector sends. */
export function captureScript(): string {
  return readFileSync(packagePath('data', 'capture.sh'), 'utf8');
}
