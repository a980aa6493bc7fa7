// brsec's public API: what the README documents, and nothing else. The CLI (cli/) is a thin adapter over these exports
// and the few terminal and file helpers of src/internal.ts (test/architecture.test.ts checks).

// Scanning.
export { scan, scanFiles, scanHost, selectChecks, brsecVersion } from './scan.js';
export type { ScanOptions, SelectOptions, ScanEvent, HostScanContext } from './scan.js';
export { scanFleet } from './fleet/index.js';
export type { FleetOptions, FleetOutput, FleetSummary, ReportLeftOut } from './fleet/index.js';
export { ScanMemo } from './memo.js';
export { planScan, bindParameters } from './checks/plan.js';
export type { ScanPlan, KindPlan } from './checks/plan.js';

// Inputs.
export { readInput, readInputs } from './inputs/read.js';
export { detectInput, detectInputs } from './inputs/detect.js';
export type { DetectedInputs } from './inputs/detect.js';
export { UnknownValue } from './settings/unknown.js';
export { isSecretSetting, redactSetting } from './settings/secrets.js';

// The catalogue.
export { loadCatalog, parseCheckFile } from './checks/loader.js';
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
export { requirementsOf } from './checks/mappings.js';

// Gates: waivers, baselines, severities.
export { gateHost } from './gate/gate.js';
export type { GateOptions, GateContext } from './gate/gate.js';
export { loadWaivers, lintWaivers } from './gate/waivers.js';
export type { WaiverSet, Waiver, WaiverEntry, WaiverProblem } from './gate/waivers.js';
export { loadBaseline } from './gate/baseline.js';
export type { Baseline } from './gate/baseline.js';
export { exitCodeFor } from './exit.js';

// Reports.
export { createWriter, FORMATS } from './report/index.js';
export type { Format } from './report/index.js';
export { render } from './report/writer.js';
export type { ReportWriter, LeftOut } from './report/writer.js';
export type { WriterOptions, WriterScope, DisplayFilter } from './report/options.js';
export { jsonWriter } from './report/json.js';
export { textWriter } from './report/text.js';
export { sarifWriter } from './report/sarif.js';
export { junitWriter } from './report/junit.js';
export { markdownWriter } from './report/markdown.js';
export { asffWriter } from './report/asff.js';
export type { AwsContext } from './report/asff.js';
export { ocsfWriter } from './report/ocsf.js';
export { htmlWriter } from './report/html.js';

// Compliance over time.
export { diffReports, diffFailures } from './diff/diff.js';
export type { ReportDiff, HostDiff, FailingByHost } from './diff/diff.js';
export { renderDiff, DIFF_FORMATS } from './report/diff.js';
export type { DiffFormat } from './report/diff.js';

// Collecting, and AWS.
export { captureScript } from './collect/script.js';
export { collectFromApiSocket } from './collect/api-socket.js';
export type { ApiSocketOptions } from './collect/api-socket.js';
export { collectOverSsm } from './collect/ssm.js';
export type { SsmOptions, HostOutcome, OutcomeReason, SsmProgress } from './collect/ssm.js';
export { collectToFolder, launchTemplatesToFolder } from './collect/to-folder.js';
export type { CollectToFolderOptions, CollectSummary, LaunchTemplatesToFolderOptions } from './collect/to-folder.js';
export { readLaunchTemplates } from './aws/launch-templates.js';
export type { LaunchTemplateOptions, LaunchTemplateRecord } from './aws/launch-templates.js';
export { SecurityHubImporter } from './aws/security-hub.js';
export type { SecurityHubOptions, ImportSummary } from './aws/security-hub.js';
export { InspectorReader } from './aws/inspector.js';
export type { InspectorOptions } from './aws/inspector.js';

// Errors, and every type of a scan result.
export { BrsecError, UsageError, InputError, OutputClosedError, DefinitionError, ServiceError, ExitCode } from './errors.js';
export * from './types.js';
export type { GroupBy } from './groups.js';
