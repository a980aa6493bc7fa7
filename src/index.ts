// brsec's library API. The CLI (cli/) is a thin adapter over exactly these exports.
export { scan, scanFiles, scanHost, selectChecks, scanMeta, FleetTally, hostStatus, brsecVersion } from './scan.js';
export type { ScanOptions, SelectOptions, ScanEvent } from './scan.js';
export { loadCatalog, parseCheckFile, compareIds } from './checks/loader.js';
export type { Catalog, CheckDefinition, BenchmarkDefinition, Assertion, Leaf, LoadOptions } from './checks/loader.js';
export { expandInputs, readInput } from './inputs/read.js';
export { detectInput } from './inputs/detect.js';
export { variantFromFlag, familyNames, familyOf } from './settings/variants.js';
export { jsonWriter, REPORT_FORMAT } from './report/json.js';
export { textWriter, plainPaint } from './report/text.js';
export type { Paint } from './report/text.js';
export { render } from './report/writer.js';
export type { ReportWriter } from './report/writer.js';
export { BrsecError, UsageError, InputError, DefinitionError, ExitCode } from './errors.js';
export { exitCodeFor } from './exit.js';
export * from './types.js';
