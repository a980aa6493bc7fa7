// brsec's library API. The CLI (cli/) is a thin adapter over exactly these exports, and imports nothing else of src/
// (test/architecture.test.ts checks).
export { scan, scanFiles, scanHost, selectChecks, scanMeta, hostStatus, brsecVersion, prepareGate, tallyOf } from './scan.js';
export type { ScanOptions, SelectOptions, ScanEvent, HostScanContext, HostTally } from './scan.js';
export { scanFleet, PARALLEL_FROM } from './fleet/index.js';
export type { FleetOptions, FleetOutput, FleetSummary, ReportLeftOut } from './fleet/index.js';
export { ScanMemo } from './memo.js';
export { fileSink, streamSink, removeUnfinishedReports } from './report/sinks.js';
export type { Sink } from './report/sinks.js';
export { printable } from './report/printable.js';
export { findConfig, readConfig, CONFIG_NAMES } from './config.js';
export type { ConfigFile } from './config.js';
export { requirementsOf, requirementLabel } from './checks/mappings.js';
export { applyGate, gateHost } from './gate/gate.js';
export type { GateOptions, GateContext } from './gate/gate.js';
export { loadWaivers, lintWaivers, checkWaivers, waiverFor, expiryOf } from './gate/waivers.js';
export type { WaiverSet, Waiver, WaiverEntry, WaiverProblem } from './gate/waivers.js';
export { loadBaseline } from './gate/baseline.js';
export type { Baseline } from './gate/baseline.js';
export { sarifWriter, fingerprint, SARIF_SCHEMA } from './report/sarif.js';
export { junitWriter } from './report/junit.js';
export { markdownWriter } from './report/markdown.js';
export type { WriterOptions, WriterScope, DisplayFilter } from './report/options.js';
export { locateResults, jsonKeyLines } from './inputs/locate.js';
export { loadCatalog, parseCheckFile, compareIds } from './checks/loader.js';
export type {
  Catalog,
  CheckDefinition,
  BenchmarkDefinition,
  Assertion,
  Leaf,
  LoadOptions,
  ProfileDefinition,
  MappingDefinition,
  RequirementDefinition,
  CheckRequirement,
  HostKind,
} from './checks/loader.js';
export { planScan, bindParameters, knownParameters, requirementStatus, evaluateRequirements } from './checks/plan.js';
export type { ScanPlan, KindPlan } from './checks/plan.js';
export { SECRET_SETTINGS, isSecretSetting, redactSetting } from './settings/secrets.js';
export { expandInputs, readInput, readInputs } from './inputs/read.js';
export { detectInput, detectInputs } from './inputs/detect.js';
export type { DetectedInputs } from './inputs/detect.js';
export { UnknownValue } from './settings/unknown.js';
export { variantFromFlag, familyNames, familyOf } from './settings/variants.js';
export { jsonWriter, REPORT_FORMAT } from './report/json.js';
export { textWriter, plainPaint } from './report/text.js';
export type { Paint } from './report/text.js';
export { render, ItemBudget } from './report/writer.js';
export { createWriter, FORMATS } from './report/index.js';
export type { Format } from './report/index.js';
export { colorLevel, paintAt } from './report/paint.js';
export type { ColorLevel } from './report/paint.js';
export { defaultJobs } from './fleet/threads.js';
export type { ReportWriter, LeftOut } from './report/writer.js';
export {
  BrsecError,
  UsageError,
  InputError,
  OutputClosedError,
  DefinitionError,
  ServiceError,
  ExitCode,
  isAwsError,
  describeAwsError,
} from './errors.js';
export { exitCodeFor } from './exit.js';
export * from './types.js';
export { collectFromApiSocket } from './collect/api-socket.js';
export type { ApiSocketOptions } from './collect/api-socket.js';
export { collectOverSsm } from './collect/ssm.js';
export type { SsmOptions, HostOutcome, OutcomeReason, SsmProgress } from './collect/ssm.js';
export { SecurityHubImporter } from './aws/security-hub.js';
export type { SecurityHubOptions, ImportSummary } from './aws/security-hub.js';
export { InspectorReader } from './aws/inspector.js';
export type { InspectorOptions } from './aws/inspector.js';
export { asffWriter, asffFinding, asffFindings, findingId, productArn } from './report/asff.js';
export type { AwsContext } from './report/asff.js';
export { ocsfWriter, ocsfRecord } from './report/ocsf.js';
export { captureScript } from './collect/script.js';
export { collectToFolder, launchTemplatesToFolder, OUTCOMES_FILE } from './collect/to-folder.js';
export type { CollectToFolderOptions, CollectSummary, LaunchTemplatesToFolderOptions } from './collect/to-folder.js';
export { readLaunchTemplates } from './aws/launch-templates.js';
export type { LaunchTemplateOptions, LaunchTemplateRecord } from './aws/launch-templates.js';
