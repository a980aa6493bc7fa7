// What the CLI uses beside the public API (src/index.ts): the terminal, configuration files, report files and AWS
// errors as it prints them. Not part of the package's exports: `brsec` resolves to src/index.ts only.
export { PARALLEL_FROM } from './fleet/index.js';
export { fileSink, streamSink, removeUnfinishedReports } from './report/sinks.js';
export { printable } from './report/printable.js';
export { findConfig, readConfig, CONFIG_NAMES } from './config.js';
export { variantFromFlag } from './settings/variants.js';
export { colorLevel } from './report/paint.js';
export type { ColorLevel } from './report/paint.js';
export { isAwsError, describeAwsError } from './errors.js';
