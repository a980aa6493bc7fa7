// The fleet pipeline: inputs (files, standard input or SSM) → plan → hosts scanned (on threads or here) → any
// number of reports (format and destination) → optional Inspector evidence and Security Hub import → a summary
// with the exit code. `brsec scan` is this pipeline and nothing more; a library user can run exactly what it runs.
import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { loadCatalog, type Catalog } from '../checks/loader.js';
import { planScan, type ScanPlan, type SelectOptions } from '../checks/plan.js';
import { ExitCode, InputError, UsageError } from '../errors.js';
import { exitCodeFor } from '../exit.js';
import { expandInputs, readInputs, type ReadOptions } from '../inputs/read.js';
import { ScanMemo } from '../memo.js';
import { readHistory } from '../diff/history.js';
import { createWriter, FORMATS, SEQUENTIAL_FORMATS, type Format } from '../report/index.js';
import { checkOptions, SCAN_OPTION_NAMES } from '../options.js';
import { MAX_RUNS } from '../report/sarif.js';
import type { DisplayFilter, WriterOptions } from '../report/options.js';
import type { ColorLevel } from '../report/paint.js';
import { fileSink, streamSink, type Sink } from '../report/sinks.js';
import { ItemBudget, type LeftOut, type ReportWriter } from '../report/writer.js';
import type { AwsContext } from '../report/asff.js';
import type { ImportSummary, SecurityHubImporter } from '../aws/security-hub.js';
import type { InspectorOptions, InspectorReader } from '../aws/inspector.js';
import type { SsmOptions } from '../collect/ssm.js';
import { FleetTally, prepareGate, scanHost, scanMeta, type HostScanContext, type ScanOptions } from '../scan.js';
import { variantFromFlag } from '../settings/variants.js';
import { SEVERITIES, STATUSES, type FleetTotals, type HostInput, type InputProblem, type SkippedInput } from '../types.js';
import { fileArrivals, launchTemplateArrivals, ssmArrivals, withInspector, type Arrival } from './arrivals.js';
import type { LaunchTemplateOptions, LaunchTemplateResolver } from '../aws/launch-templates.js';
import { detectInputs } from '../inputs/detect.js';
import { BatchWriter, type WrittenBatch } from './batch.js';
import { defaultJobs, scanFilesInWorkers, startWorkers, workersAvailable, type WorkerSetup } from './threads.js';

/** One report of a fleet scan: a format and where it goes. */
export interface FleetOutput {
  format: Format;
  /** A file, replaced only once the scan has finished; without one, the report goes to `stream`. */
  path?: string;
  /** Where a report without a path goes: standard output unless said. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Colour of a text report (0 none, the default). */
  color?: ColorLevel;
  /** A text report's display filter: only results of these statuses and severities are listed (counts keep all). */
  show?: DisplayFilter;
}

export interface FleetOptions extends ScanOptions {
  /** Files, folders, or "-" for standard input. Not with `ssm`. */
  inputs?: readonly string[];
  /** Collect the inputs over SSM Run Command instead, scanning each host as it answers. */
  ssm?: SsmOptions;
  /** Read the launch templates in use from EC2 instead: each version that runs Bottlerocket is a host. */
  launchTemplates?: LaunchTemplateOptions;
  /**
   * A user data file (or a node configuration file of one node definition) the hosts were launched with: each host's
   * live settings are compared with it (check BRSEC-settings-drift, which runs only then).
   */
  drift?: string | { launchTemplate: Omit<LaunchTemplateOptions, 'templates'> };
  /** The reports to write; at most one without a path. */
  outputs: readonly FleetOutput[];
  /** A folder of earlier JSON reports: the HTML report draws the trend of failing hosts and results to this scan. */
  history?: string;
  /** Scan threads for 32 or more input files (default: one per core, at most 8); 1 scans on this thread. */
  jobs?: number;
  /** Add Amazon Inspector's coverage and findings to each EC2 host's snapshot. */
  inspector?: InspectorOptions;
  /** Import the findings into AWS Security Hub (archiving those of hosts and checks gone from the scope). */
  securityHub?: { region: string; profile?: string; scope?: string; accountId?: string };
  /** The account and region ASFF and OCSF reports are for (with securityHub, the caller's). */
  aws?: AwsContext;
  /** SARIF: statuses besides FAIL that become results. */
  sarifInclude?: readonly ('error' | 'manual')[];
  /** SARIF: the start of each run's category. */
  sarifCategory?: string;
  /** Directory report paths are made relative to (SARIF URIs); the working directory by default. */
  baseDir?: string;
  /** Called for each input that could not be used, as it is met (the summary lists them all too). */
  onInputError?: (problem: InputProblem) => void;
  /**
   * Skip files of no kind brsec reads (JSON that is no snapshot or report, text that names no Bottlerocket setting)
   * instead of reporting them as input errors, and pass when nothing read is a Bottlerocket input: for a pre-commit
   * hook handed every staged file. Broken files of a kind brsec reads are still input errors.
   */
  skipUnrecognized?: boolean;
  /** Called for each file skipped because it defines no Bottlerocket node, as it is read. */
  onSkipped?: (skipped: SkippedInput) => void;
}

/** What a report with a maximum (SARIF results, Markdown bytes) left out. */
export interface ReportLeftOut extends LeftOut {
  format: Format;
  maxItems: number;
  /** What the items are: "results", "bytes of host sections". */
  itemsName: string;
}

export interface FleetSummary {
  totals: FleetTotals;
  /** The exit code the CLI ends with (README "Exit codes"). */
  exitCode: number;
  inputErrors: InputProblem[];
  /** Files of a kind brsec reads that define no Bottlerocket node, skipped (reported by onSkipped as they come). */
  skipped: SkippedInput[];
  leftOut: ReportLeftOut[];
  securityHub?: { productArn: string; scope: string; accountId: string; summary: ImportSummary };
}

/** Below this many files, starting worker threads costs more than it saves. */
export const PARALLEL_FROM = 32;

/** Whether the inputs may add up to a fleet worth scanning on several threads. */
function mayBeFleet(inputs: readonly string[]): boolean {
  if (inputs.includes('-')) return false;
  if (inputs.length >= PARALLEL_FROM) return true;
  return inputs.some((path) => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  });
}

/**
 * The first report path that is one of the inputs (or the waivers file), compared by device and inode so another path
 * to the same file counts. Only paths that exist already can be, so most scans stat nothing here.
 */
function inputAmongOutputs(files: readonly string[], outputs: readonly FleetOutput[], waivers: string | undefined): string | undefined {
  const identity = (path: string) => {
    try {
      const info = statSync(path);
      return info.isFile() ? `${info.dev}:${info.ino}` : undefined;
    } catch {
      return undefined;
    }
  };
  const targets = new Map<string, string>();
  for (const o of outputs) {
    const id = o.path ? identity(o.path) : undefined;
    if (id && o.path) targets.set(id, o.path);
  }
  if (targets.size === 0) return undefined;
  for (const file of waivers ? [...files, waivers] : files) {
    const id = file === '-' ? undefined : identity(file);
    if (id && targets.has(id)) return targets.get(id);
  }
  return undefined;
}

/** Every option a user could have mistyped, checked before anything is read or written. */
/** The options scanFleet takes besides scan()'s. */
const FLEET_OPTION_NAMES = [
  ...SCAN_OPTION_NAMES,
  'inputs',
  'ssm',
  'launchTemplates',
  'drift',
  'outputs',
  'jobs',
  'inspector',
  'securityHub',
  'aws',
  'sarifInclude',
  'sarifCategory',
  'baseDir',
  'onInputError',
  'onSkipped',
  'skipUnrecognized',
  'history',
];

function checkFleetOptions(options: FleetOptions): void {
  checkOptions(options, FLEET_OPTION_NAMES);
  if (options.sarifInclude?.some((s) => s !== 'error' && s !== 'manual'))
    throw new UsageError(`sarifInclude takes "error" and "manual", not ${options.sarifInclude.join(', ')}`, 'sarifInclude');
  for (const o of options.outputs ?? []) {
    if (!FORMATS.includes(o.format))
      throw new UsageError(`outputs: unknown format "${String(o.format)}" (expected one of ${FORMATS.join(', ')})`, 'outputs');
    const wrongStatus = o.show?.statuses?.find((s) => !STATUSES.includes(s));
    if (wrongStatus !== undefined)
      throw new UsageError(`outputs: show.statuses "${String(wrongStatus)}" is not one of ${STATUSES.join(', ')}`, 'outputs');
    const wrongSeverity = o.show?.severities?.find((s) => !SEVERITIES.includes(s));
    if (wrongSeverity !== undefined)
      throw new UsageError(`outputs: show.severities "${String(wrongSeverity)}" is not one of ${SEVERITIES.join(', ')}`, 'outputs');
  }
  const inputs = options.inputs ?? [];
  if (options.ssm && options.launchTemplates) throw new UsageError('ssm and launchTemplates are two sources: scan one at a time', 'ssm');
  if (options.ssm && inputs.length > 0) throw new UsageError('ssm collects the inputs itself: give no inputs with it', 'ssm');
  if (options.launchTemplates && inputs.length > 0)
    throw new UsageError('launchTemplates reads the inputs from EC2 itself: give no inputs with it', 'launchTemplates');
  if (!options.ssm && !options.launchTemplates && inputs.length === 0)
    throw new UsageError('inputs: name at least one file, folder, or - for standard input (or collect over ssm)', 'inputs');
  if (options.jobs !== undefined && (!Number.isInteger(options.jobs) || options.jobs < 1)) {
    throw new UsageError(`jobs must be a whole number of at least 1, not ${String(options.jobs)}`, 'jobs');
  }
  if (options.variant) variantFromFlag(options.variant);
  if (options.outputs.length === 0) throw new UsageError('outputs: name at least one report', 'outputs');
  const toStream = options.outputs.filter((o) => o.path === undefined);
  if (toStream.length > 1)
    throw new UsageError(
      `outputs: ${toStream.map((o) => o.format).join(' and ')} would both go to standard output; give all but one a file`,
      'outputs',
    );
  const paths = options.outputs.map((o) => o.path).filter((t): t is string => t !== undefined);
  const duplicate = paths.find((t, i) => paths.indexOf(t) !== i);
  if (duplicate) throw new UsageError(`outputs: ${duplicate} is named twice`, 'outputs');
  const account = options.securityHub?.accountId ?? options.aws?.accountId;
  if (account !== undefined && !/^[0-9]{12}$/.test(account))
    throw new UsageError(`aws.accountId ${account}: expected 12 digits`, 'aws.accountId');
}

/** The selection a plan is made from, as plain data (scan threads plan the same scan from it). */
function selectionOf(options: FleetOptions): SelectOptions {
  const selection: SelectOptions = { level: options.level ?? 2 };
  if (options.checks) selection.checks = options.checks;
  if (options.skip) selection.skip = options.skip;
  if (options.profiles) selection.profiles = options.profiles;
  if (options.parameters) selection.parameters = options.parameters;
  if (options.drift !== undefined) selection.optIn = ['drift'];
  return selection;
}

/** AWS services the scan uses, opened (and so checked) before any input is read. */
interface AwsServices {
  importer: SecurityHubImporter | null;
  inspector: InspectorReader | null;
  aws: AwsContext | undefined;
}

async function openAws(options: FleetOptions, catalog: Catalog): Promise<AwsServices> {
  let importer: SecurityHubImporter | null = null;
  if (options.securityHub) {
    const { SecurityHubImporter } = await import('../aws/security-hub.js');
    const { region, profile, scope, accountId } = options.securityHub;
    importer = await SecurityHubImporter.open({
      region,
      catalog,
      ...(profile ? { profile } : {}),
      ...(scope ? { scope } : {}),
      ...(accountId ? { accountId } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  }
  const aws = importer ? importer.context : options.aws;
  if (!aws && options.outputs.some((o) => o.format === 'asff' || o.format === 'ocsf')) {
    throw new UsageError('asff and ocsf reports need the importing account: give aws (account and region), or securityHub', 'aws');
  }
  let inspector: InspectorReader | null = null;
  if (options.inspector) {
    const { InspectorReader } = await import('../aws/inspector.js');
    inspector = await InspectorReader.open(options.inspector);
  }
  return { importer, inspector, aws };
}

/** The AWS path, one host at a time: SSM or files, Inspector evidence, scan, write, and Security Hub import. */
async function* scannedWithAws(
  source: AsyncIterable<Arrival>,
  scan: HostScan,
  importer: SecurityHubImporter | null,
): AsyncGenerator<WrittenBatch> {
  for await (const arrival of source) {
    if ('skipped' in arrival) {
      scan.batch.addSkipped(arrival.skipped);
      yield scan.batch.take();
      continue;
    }
    if ('problem' in arrival) {
      if (arrival.keep) importer?.keep(arrival.keep);
      if (arrival.keepUnseen) importer?.keepUnseen();
      scan.batch.addProblem(arrival.problem);
      yield scan.batch.take();
      continue;
    }
    if (scan.launchedWith) arrival.input.launchedWith = scan.launchedWith;
    else if (scan.launchedFrom) arrival.input.launchedWith = await scan.launchedFrom(arrival.input);
    const host = scanHost(arrival.input, scan.plan, scan.context);
    if (importer) await importer.addHost(host);
    scan.batch.addHost(host);
    yield scan.batch.take();
  }
}

/** What scanning a host here needs. */
interface HostScan {
  plan: ScanPlan;
  context: HostScanContext;
  batch: BatchWriter;
  /** With --drift FILE: the settings every host was launched with. */
  launchedWith?: NonNullable<HostInput['launchedWith']>;
  /** With --drift from launch templates: the settings a host was launched with, from its launch template version. */
  launchedFrom?: (host: HostInput) => Promise<NonNullable<HostInput['launchedWith']>>;
}

/** The settings of the launch template version an EC2 host was launched from, or why there are none. */
async function launchTemplateSettings(
  resolver: LaunchTemplateResolver,
  host: HostInput,
  read: ReadOptions,
): Promise<NonNullable<HostInput['launchedWith']>> {
  const id = host.snapshot.host.id;
  const record = await resolver.launchedFrom(id);
  if ('why' in record) return { source: 'EC2', why: record.why };
  const version = record.LaunchTemplateVersions[0] ?? {};
  const source = `ec2:${String(version.LaunchTemplateId)}:${String(version.VersionNumber)}`;
  const found = detectInputs(JSON.stringify(record), { source, ...read, locate: false });
  const input = found.inputs[0];
  if (!input?.userData) return { source, why: `launch template ${source.slice(4)} holds no Bottlerocket user data` };
  if (input.userData.unknown !== undefined) return { source, why: `its user data is not known (${input.userData.unknown})` };
  return { source, settings: input.userData.settings };
}

/** How many hosts a few files define (a file that cannot be read defines none; standard input counts as one). */
async function hostsIn(files: readonly string[], read: ReadOptions): Promise<number> {
  let hosts = 0;
  for (const file of files) {
    if (file === '-') hosts++;
    else
      hosts += await readInputs(file, { ...read, locate: false }).then(
        (found) => found.inputs.length,
        () => 0,
      );
  }
  return hosts;
}

/** The settings a --drift file launches nodes with: its one host's, as the tool that launches it leaves them. */
async function launchSettings(file: string, read: ReadOptions): Promise<NonNullable<HostInput['launchedWith']>> {
  const found = await readInputs(file, { ...read, locate: false });
  const first = found.problems[0];
  if (first) throw new InputError(first.file, first.message);
  const [input, ...others] = found.inputs;
  if (!input || others.length > 0 || !input.userData)
    throw new InputError(
      file,
      `drift compares with the user data of one node: this file ${input && !input.userData ? 'holds no user data' : `defines ${found.inputs.length} nodes`}`,
    );
  if (input.userData.unknown !== undefined)
    throw new InputError(file, `drift compares with user data that is not known until deploy time (${input.userData.unknown})`);
  return { source: input.nodeConfig ? `${file} (${input.nodeConfig.definition})` : file, settings: input.userData.settings };
}

/** Writes each report's part of a batch, keeping within each report's maximum. */
class ReportStreams {
  private readonly parts: number[];
  readonly budgets: ItemBudget[];

  constructor(
    private readonly writers: readonly ReportWriter[],
    private readonly sinks: readonly Sink[],
  ) {
    this.parts = writers.map(() => 0);
    this.budgets = writers.map((w) => new ItemBudget(w.maxItems));
  }

  async write(batch: WrittenBatch): Promise<void> {
    for (let i = 0; i < this.writers.length; i++) {
      const chunk = batch.chunks[i];
      if (!chunk) continue;
      // The hosts kept are a leading run of the batch: once a report is full, no later host is kept.
      const items = batch.hostItems[i] ?? [];
      let kept = 0;
      for (const count of items) if (this.budgets[i]!.take(count)) kept++;
      const end = kept === items.length ? chunk.length : kept === 0 ? 0 : (batch.hostEnds[i]?.[kept - 1] ?? chunk.length);
      // Separators go only between parts that were written: a host may have nothing to say in a report.
      if (end === 0) continue;
      if (this.parts[i]! > 0) await this.sinks[i]!.write(this.writers[i]!.separator);
      await this.sinks[i]!.write(end === chunk.length ? chunk : chunk.subarray(0, end));
      this.parts[i]!++;
    }
  }
}

/**
 * Scans a fleet and writes its reports as hosts arrive, with flat memory however many there are. Reports to files
 * replace them only when the scan has finished; on any failure they are left as they were.
 */
export async function scanFleet(options: FleetOptions): Promise<FleetSummary> {
  checkFleetOptions(options);
  const catalog = options.catalog ?? loadCatalog();
  const selection = selectionOf(options);
  const plan = planScan(catalog, selection);
  const sarif = options.outputs.some((o) => o.format === 'sarif');
  // SARIF, JUnit and Markdown point at the line that decides each finding.
  const locating = options.outputs.some((o) => o.format === 'sarif' || o.format === 'junit' || o.format === 'markdown');
  const gate = await prepareGate(catalog, locating ? { ...options, locate: true } : options);
  const memo = new ScanMemo(options.memo !== false);
  const context: HostScanContext = { ...gate, memo, catalog };
  const read: ReadOptions = { ...(options.variant ? { variant: options.variant } : {}), ...(gate.locate ? { locate: true } : {}) };
  const now = (options.now ?? (() => new Date()))();
  const { importer, inspector, aws } = await openAws(options, catalog);

  let resolver: LaunchTemplateResolver | undefined;
  const sinks: Sink[] = [];
  let workers: Worker[] = [];
  const stopWorkers = () => Promise.all(workers.map((w) => w.terminate()));
  const abortAll = () => Promise.all(sinks.map((s) => s.abort()));
  try {
    for (const o of options.outputs) sinks.push(o.path ? await fileSink(o.path) : streamSink(o.stream));
    // Earlier reports, read once for the HTML report's trend.
    const history = options.history !== undefined ? await readHistory(options.history) : undefined;
    const writerOptions = (o: FleetOutput, hostCount: number | undefined): WriterOptions => {
      const w: WriterOptions = {
        baseDir: options.baseDir ?? process.cwd(),
        ruleIds: plan.checks.map((c) => c.id),
        updatedAt: now.toISOString(),
      };
      if (o.format === 'text' && o.color) w.color = o.color;
      if (o.format === 'text' && o.show) w.show = o.show;
      if (options.sarifInclude) w.sarifInclude = options.sarifInclude;
      if (options.sarifCategory) w.sarifCategory = options.sarifCategory.replace(/\/+$/, '');
      if (options.strict) w.strict = true;
      if (hostCount !== undefined) w.hostCount = hostCount;
      if (aws) w.aws = aws;
      if (options.groupBy) w.groupBy = options.groupBy;
      if (o.format === 'html' && history) w.history = history;
      return w;
    };
    // Threads scan files only, and only a catalogue they can load themselves (the packaged one, or one from a folder).
    const jobs = options.jobs ?? defaultJobs();
    const threadable = catalog === loadCatalog() || catalog.dir !== undefined;
    const remote = options.ssm !== undefined || options.launchTemplates !== undefined;
    const launchedWith = typeof options.drift === 'string' ? await launchSettings(options.drift, read) : undefined;
    if (options.drift && typeof options.drift !== 'string') {
      const { LaunchTemplateResolver } = await import('../aws/launch-templates.js');
      resolver = await LaunchTemplateResolver.open(options.drift.launchTemplate);
    }
    const fleet =
      !remote &&
      !options.drift &&
      !inspector &&
      !importer &&
      jobs > 1 &&
      threadable &&
      mayBeFleet(options.inputs ?? []) &&
      // A writer that needs every host in order (HTML) keeps the scan in this thread.
      !options.outputs.some((o) => SEQUENTIAL_FORMATS.includes(o.format)) &&
      workersAvailable();
    const setupFor = (hostCount?: number): WorkerSetup => ({
      ...(catalog.dir !== undefined ? { benchmarksDir: catalog.dir } : {}),
      selection,
      outputs: options.outputs.map((o) => ({ format: o.format, options: writerOptions(o, hostCount) })),
      read,
      context: gate,
      memo: memo.shared,
      ...(options.groupBy ? { groupBy: options.groupBy } : {}),
    });
    // Threads load while the inputs are listed, unless a writer must know the number of hosts first (SARIF).
    if (fleet && !sarif) workers = startWorkers(setupFor(), jobs);
    const files = remote ? [] : await expandInputs(options.inputs ?? []);
    const overwritten = inputAmongOutputs(files, options.outputs, typeof options.waivers === 'string' ? options.waivers : undefined);
    if (overwritten) throw new UsageError(`outputs: ${overwritten} is also an input; brsec never writes over what it reads`, 'outputs');
    if (fleet && sarif && files.length >= PARALLEL_FROM) workers = startWorkers(setupFor(files.length), jobs);
    if (workers.length > 0 && files.length < PARALLEL_FROM) {
      await stopWorkers();
      workers = [];
    }
    // Over SSM the number of hosts is known only as they answer: SARIF then writes one run for the fleet.
    // SARIF writes a run per host up to GitHub's limit of runs: a few node configuration files may define more hosts
    // than that, so a few files are counted by what they define (standard input, read once, counts as one).
    const hostCount = remote ? Number.MAX_SAFE_INTEGER : sarif && files.length <= MAX_RUNS ? await hostsIn(files, read) : files.length;
    const writers = options.outputs.map((o) => createWriter(o.format, writerOptions(o, hostCount), { catalog, memo }));
    const scan: HostScan = {
      plan,
      context,
      batch: new BatchWriter(writers, options.groupBy),
      ...(launchedWith ? { launchedWith } : {}),
      ...(resolver ? { launchedFrom: (host: HostInput) => launchTemplateSettings(resolver!, host, read) } : {}),
    };

    let source: AsyncIterable<WrittenBatch>;
    if (workers.length > 0) source = scanFilesInWorkers(files, setupFor(), workers.length, workers);
    else {
      let incoming: AsyncIterable<Arrival> = options.ssm
        ? ssmArrivals(options.ssm, read)
        : options.launchTemplates
          ? launchTemplateArrivals(options.launchTemplates, read)
          : fileArrivals(files, read);
      if (inspector) incoming = withInspector(incoming, inspector);
      source = scannedWithAws(incoming, scan, importer);
    }

    const tally = new FleetTally(options.groupBy);
    const inputErrors: InputProblem[] = [];
    const skipped: SkippedInput[] = [];
    const streams = new ReportStreams(writers, sinks);
    const meta = scanMeta(catalog, plan, now);
    await Promise.all(writers.map((w, i) => sinks[i]!.write(w.begin(meta))));
    for await (const batch of source) {
      for (const { unrecognised, ...problem } of batch.problems) {
        if (unrecognised && options.skipUnrecognized) {
          const file = { file: problem.file, reason: problem.message };
          skipped.push(file);
          options.onSkipped?.(file);
          continue;
        }
        tally.addError();
        inputErrors.push(problem);
        options.onInputError?.(problem);
      }
      for (const host of batch.hosts) tally.addHost(host);
      for (const file of batch.skipped) {
        skipped.push(file);
        options.onSkipped?.(file);
      }
      await streams.write(batch);
    }
    // Files that all define no node leave nothing judged: that is an input problem, never a clean pass.
    // Unless the caller asked for files of no kind brsec reads to be skipped (a pre-commit hook over staged files).
    if (skipped.length > 0 && tally.totals.hosts === 0 && inputErrors.length === 0 && !options.skipUnrecognized) {
      const problem = {
        file: skipped[0]!.file,
        message: `no Bottlerocket node definition in the ${skipped.length === 1 ? 'file' : `${skipped.length} files`} read: ${skipped[0]!.reason}`,
      };
      tally.addError();
      inputErrors.push(problem);
      options.onInputError?.(problem);
    }
    let securityHub: FleetSummary['securityHub'];
    if (importer)
      securityHub = {
        productArn: importer.productArn,
        scope: importer.scope,
        accountId: importer.context.accountId,
        summary: await importer.finish(),
      };
    const leftOut: ReportLeftOut[] = [];
    for (let i = 0; i < writers.length; i++) {
      const dropped = streams.budgets[i]!.leftOut;
      const writer = writers[i]!;
      if (dropped)
        leftOut.push({
          format: options.outputs[i]!.format,
          maxItems: writer.maxItems!,
          itemsName: writer.itemsName ?? 'results',
          ...dropped,
        });
      await sinks[i]!.write(writer.end(inputErrors, tally.totals, dropped));
    }
    for (const sink of sinks) await sink.commit();
    const code = exitCodeFor(tally.totals);
    // Findings Security Hub did not take leave the audit incomplete: never a clean exit.
    const importFailed = securityHub !== undefined && (securityHub.summary.failed.length > 0 || securityHub.summary.oversize.length > 0);
    const summary: FleetSummary = {
      totals: tally.totals,
      exitCode: importFailed && code === ExitCode.OK ? ExitCode.INCOMPLETE : code,
      inputErrors,
      skipped,
      leftOut,
    };
    if (securityHub) summary.securityHub = securityHub;
    return summary;
  } catch (err) {
    await abortAll();
    throw err;
  } finally {
    // Threads left running would keep the process alive; terminating a stopped one is harmless.
    await stopWorkers();
    inspector?.close();
    resolver?.close();
  }
}
