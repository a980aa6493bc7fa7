import { readPackageFile } from '../paths.js';

/** The capture script (data/capture.sh) that `brsec capture-script` prints and the SSM collector sends. */
export function captureScript(): string {
  return readPackageFile('data/capture.sh');
}
