import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type { Argv } from 'yargs';
import {
  colorLevel,
  createWriter,
  defaultJobs,
  expandInputs,
  exitCodeFor,
  ExitCode,
  detectInput,
  InputError,
  scanHost,
  FleetTally,
  FORMATS,
  loadCatalog,
  planScan,
  prepareGate,
  scanFiles,
  scanFilesInWorkers,
  scanMeta,
  SEVERITIES,
  startWorkers,
  tallyOf,
  UsageError,
  variantFromFlag,
  type Format,
  type HostResult,
  type InputProblem,
  type ReportWriter,
  type ScanOptions,
  type ScanPlan,
  type SelectOptions,
  type Severity,
  type WorkerSetup,
  type WriterOptions,
  type WrittenBatch,
} from '../../src/index.js';
import type { HostScanContext } from '../../src/scan.js';
import { printable } from '../../src/report/printable.js';
import { findConfig, readConfig } from '../config.js';
import { readFileSync } from 'node:fs';
import { packagePath } from '../../src/paths.js';
import type { SsmOptions } from '../../src/collect/ssm.js';
import { readInput, type ReadOptions } from '../../src/inputs/read.js';
import type { InspectorReader } from '../../src/aws/inspector.js';
import type { SecurityHubImporter } from '../../src/aws/security-hub.js';
import type { HostInput } from '../../src/types.js';
import { progressPrinter, regionOf, ssmOptions, toSsmOptions, type SsmArgs } from './ssm-options.js';
import { fileSink, stdoutSink, type Sink } from '../output.js';
import { STDIN_ARG } from '../stdin.js';

export interface ScanArgs extends SsmArgs {
  inputs?: string[];
  level?: 1 | 2;
  variant?: string;
  format?: Format;
  output?: string[];
  check?: string[];
  skip?: string[];
  jobs?: number;
  profile?: string[];
  allowedRegistry?: string[];
  updateRepository?: string[];
  waivers?: string;
  baseline?: string;
  failOn?: Severity;
  strict?: boolean;
  sarifInclude?: ('error' | 'manual')[];
  sarifCategory?: string;
  config?: string;
  inspector?: boolean;
  securityHub?: boolean;
  securityHubScope?: string;
  awsAccount?: string;
  maxFindingAge?: number;
  maxScanAge?: number;
}

/** Below this many files, starting worker threads costs more than it saves. */
const PARALLEL_FROM = 32;

interface Pool {
  setup: WorkerSetup;
  workers: Worker[];
}

interface Output {
  format: Format;
  /** A file, or standard output. */
  target?: string;
}

/** Whether the inputs may add up to a fleet worth scanning on several threads. */
function mayBeFleet(inputs: string[]): boolean {
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

export function scanBuilder(yargs: Argv): Argv<ScanArgs> {
  return ssmOptions(yargs)
    .positional('inputs', { describe: 'Snapshots, apiclient or bloodhound JSON, user data TOML, folders, or - for stdin (none with --ssm)', type: 'string', array: true })
    .option('profile', { alias: 'p', describe: "Profiles to run: cis-bottlerocket, cis-kubernetes, hardening, pci-dss, all (default: by each host's variant)", type: 'string', array: true })
    .option('level', { alias: 'l', describe: 'CIS level: 1, or 2 for Level 1 and Level 2 [default: 2]', choices: [1, 2] as const, type: 'number' })
    .option('variant', { describe: 'Bottlerocket variant to assume, e.g. aws-k8s-1.30 or aws-ecs-2 (user data names none)', type: 'string' })
    .option('format', { alias: 'f', describe: 'Report format [default: text]', choices: FORMATS })
    .option('output', {
      alias: 'o',
      describe: 'Where reports go: FILE for --format\'s report, or FORMAT=FILE for more (-o sarif=brsec.sarif -o json=brsec.json); files are replaced only when the scan finishes',
      type: 'string',
      array: true,
    })
    .option('check', { describe: 'Run only these check ids', type: 'string', array: true })
    .option('skip', { describe: 'Leave out these check ids', type: 'string', array: true })
    .option('waivers', { describe: 'Waivers file (YAML or JSON): accountable exceptions that no longer fail the run', type: 'string' })
    .option('baseline', { describe: 'A JSON report of an earlier scan: only FAILs new against it fail the run', type: 'string' })
    .option('fail-on', { describe: 'Fail the run only for FAILs at or above this severity [default: info, every FAIL]', choices: SEVERITIES })
    .option('strict', { describe: 'ERROR and NOT_ASSESSED results fail the run too', type: 'boolean' })
    .option('sarif-include', { describe: 'Also report these statuses as SARIF results', choices: ['error', 'manual'] as const, array: true })
    .option('sarif-category', { describe: 'Start of each SARIF run\'s category, <category>/<host>/ (default: brsec/<profiles>)', type: 'string' })
    .option('allowed-registry', { describe: "Registries host and bootstrap containers may come from, as globs (default: Bottlerocket's own)", type: 'string', array: true })
    .option('update-repository', { describe: 'Update repositories hosts may use, as URL globs (default: https://updates.bottlerocket.aws/**)', type: 'string', array: true })
    .option('inspector', { describe: 'Add Amazon Inspector coverage and findings for EC2 hosts to their snapshots (and check them)', type: 'boolean' })
    .option('security-hub', { describe: 'Import the findings into AWS Security Hub, archiving those of hosts and checks that are gone', type: 'boolean' })
    .option('security-hub-scope', { describe: 'Findings of earlier audits with the same scope whose host or check is gone are archived [default: default]', type: 'string' })
    .option('aws-account', { describe: 'Account that imports the findings, for -f asff/ocsf files (with --security-hub it is asked of STS)', type: 'string' })
    .option('max-finding-age', { describe: 'Days a critical or high Inspector finding with a fix may stay open [default: 30]', type: 'number' })
    .option('max-scan-age', { describe: 'Days since Inspector last scanned a host [default: 7]', type: 'number' })
    .option('config', { describe: 'Configuration file (default: .brsec.yaml or brsec.config.json from here up)', type: 'string' })
    .option('jobs', { alias: 'j', describe: `Scan threads for ${PARALLEL_FROM} or more inputs (default: one per core, at most 8)`, type: 'number' })
    .example('$0 scan snapshot.json', 'Scan one host snapshot with the profiles of its variant')
    .example('$0 scan --variant aws-k8s-1.30 user-data.toml -o sarif=brsec.sarif', 'Scan user data and write SARIF for code scanning')
    .example('$0 scan snapshots/ -f json -o report.json', 'Scan a fleet into a JSON report')
    .example('$0 scan snapshot.json --profile pci-dss', 'Show PCI DSS v4.0.1 requirement by requirement')
    .example('$0 scan hosts/ --waivers waivers.yaml --baseline last.json --fail-on high', 'A CI gate')
    .example('$0 scan --ssm --region us-west-2 -f json -o fleet.json', 'Scan every online Bottlerocket node of a region as its snapshot arrives') as unknown as Argv<ScanArgs>;
}

/** The command line laid over the configuration file: a flag given on the command line always wins. */
function withConfig(args: ScanArgs): ScanArgs {
  const file = args.config ?? findConfig(process.cwd());
  if (!file) return args;
  const { values } = readConfig(file);
  const merged: Record<string, unknown> = { ...args };
  const map: Record<string, keyof ScanArgs> = {
    profile: 'profile',
    level: 'level',
    variant: 'variant',
    format: 'format',
    output: 'output',
    waivers: 'waivers',
    baseline: 'baseline',
    'fail-on': 'failOn',
    strict: 'strict',
    check: 'check',
    skip: 'skip',
    'allowed-registry': 'allowedRegistry',
    'update-repository': 'updateRepository',
    'sarif-include': 'sarifInclude',
    'sarif-category': 'sarifCategory',
    'security-hub-scope': 'securityHubScope',
    'aws-account': 'awsAccount',
    region: 'region',
    jobs: 'jobs',
  };
  const taken: Partial<ScanArgs> = {};
  for (const [key, arg] of Object.entries(map)) {
    if (values[key] === undefined || merged[arg] !== undefined) continue;
    merged[arg] = (taken as Record<string, unknown>)[arg] = key === 'profile' && typeof values[key] === 'string' ? [values[key]] : values[key];
  }
  // A mistyped profile, check id or variant in the file is named with the file, as other errors in it are.
  try {
    if (taken.variant) variantFromFlag(taken.variant);
    const selection: SelectOptions = {};
    if (taken.profile) selection.profiles = taken.profile;
    if (taken.check) selection.checks = taken.check;
    if (taken.skip) selection.skip = taken.skip;
    if (taken.level !== undefined) selection.level = taken.level;
    if (Object.keys(selection).length > 0) planScan(loadCatalog(), selection);
  } catch (err) {
    if (err instanceof UsageError) throw new InputError(file, err.message);
    throw err;
  }
  return merged as unknown as ScanArgs;
}

function outputsOf(args: ScanArgs): Output[] {
  const format: Format = args.format ?? 'text';
  let primary: Output = { format };
  const extra: Output[] = [];
  // `-` is standard output, as for inputs it is standard input.
  const targetOf = (file: string) => (file === '-' || file === STDIN_ARG ? undefined : file);
  for (const value of args.output ?? []) {
    const named = /^([a-z]+)=(.+)$/.exec(value);
    if (named && (FORMATS as readonly string[]).includes(named[1] as string)) {
      const target = targetOf(named[2] as string);
      extra.push(target === undefined ? { format: named[1] as Format } : { format: named[1] as Format, target });
      continue;
    }
    if (named && !/[/\\.]/.test(named[1] as string)) throw new UsageError(`--output ${value}: unknown format "${named[1]}" (expected one of ${FORMATS.join(', ')})`);
    if (primary.target) throw new UsageError(`--output: only one plain FILE (for --format's report); name the others as FORMAT=FILE`);
    const target = targetOf(value);
    primary = target === undefined ? { format } : { format, target };
  }
  const all = [primary, ...extra];
  const toStdout = all.filter((o) => o.target === undefined);
  if (toStdout.length > 1) {
    throw new UsageError(`--output: ${toStdout.map((o) => o.format).join(' and ')} would both go to standard output; give all but one a file`);
  }
  const targets = all.map((o) => o.target).filter((t): t is string => t !== undefined);
  const duplicate = targets.find((t, i) => targets.indexOf(t) !== i);
  if (duplicate) throw new UsageError(`--output: ${duplicate} is named twice`);
  return all;
}

/** A bad input, and whose Security Hub findings it keeps: a host's, or (when brsec cannot tell whose) every unseen host's. */
type Arrival = { input: HostInput } | { problem: InputProblem; keep?: string; keepUnseen?: boolean };

/** The instance id a file is named by, as `collect --out` names them (`i-0123456789abcdef0.json`), or undefined. */
function instanceIdOfFile(file: string): string | undefined {
  return /(?:^|[\\/])(i-[0-9a-f]{8,17})\.json$/.exec(file)?.[1];
}

/** Inputs one at a time: collected over SSM as they arrive (hosts without a snapshot become problems), or read from files. */
async function* arrivals(files: string[], ssm: SsmOptions | null, readOptions: ReadOptions, variant: string | undefined): AsyncGenerator<Arrival> {
  if (ssm) {
    const { collectOverSsm } = await import('../../src/collect/ssm.js');
    for await (const outcome of collectOverSsm(ssm)) {
      if (outcome.state === 'failed') {
        yield { problem: { file: `ssm:${outcome.id}`, message: `${outcome.reason}: ${outcome.detail}` }, keep: outcome.id };
        continue;
      }
      try {
        yield { input: detectInput(JSON.stringify(outcome.snapshot), { source: `ssm:${outcome.id}`, ...(readOptions.locate ? { locate: true } : {}), ...(variant ? { variant } : {}) }) };
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        yield { problem: { file: err.file, message: err.problem }, keep: outcome.id };
      }
    }
    return;
  }
  for (const file of files) {
    try {
      yield { input: await readInput(file, readOptions) };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      // The host of an input that cannot be read keeps its Security Hub findings, as an unreachable one does.
      const id = instanceIdOfFile(file);
      yield { problem: { file: err.file, message: err.problem }, ...(id ? { keep: id } : { keepUnseen: true }) };
    }
  }
}

/** Adds Amazon Inspector's coverage and findings to each EC2 host's snapshot, asking about 10 hosts at a time. */
async function* withInspector(source: AsyncIterable<Arrival>, reader: InspectorReader): AsyncGenerator<Arrival> {
  let buffer: Arrival[] = [];
  const drain = async function* () {
    const ids = buffer.flatMap((a) => ('input' in a ? [a.input.snapshot.host.id] : []));
    const evidence = ids.length > 0 ? await reader.read(ids) : new Map();
    for (const a of buffer) {
      if ('input' in a) {
        const found = evidence.get(a.input.snapshot.host.id);
        if (found) a.input.snapshot.aws = { ...(a.input.snapshot.aws ?? {}), inspector2: found };
      }
      yield a;
    }
    buffer = [];
  };
  for await (const arrival of source) {
    buffer.push(arrival);
    if (buffer.filter((a) => 'input' in a).length >= 10) yield* drain();
  }
  yield* drain();
}

/** The AWS path, one host at a time: SSM or files, Inspector evidence, scan, write, and Security Hub import. */
async function* writtenWithAws(
  source: AsyncIterable<Arrival>,
  plan: ScanPlan,
  writers: ReportWriter[],
  context: HostScanContext,
  importer: SecurityHubImporter | null,
): AsyncGenerator<WrittenBatch> {
  for await (const arrival of source) {
    if ('problem' in arrival) {
      if (arrival.keep) importer?.keep(arrival.keep);
      if (arrival.keepUnseen) importer?.keepUnseen();
      yield { chunks: writers.map(() => new Uint8Array()), hostItems: writers.map(() => []), hostEnds: writers.map(() => []), hosts: [], problems: [arrival.problem] };
      continue;
    }
    const host = scanHost(arrival.input, plan, context);
    if (importer) await importer.addHost(host);
    const chunks = writers.map((w) => (w.hostBytes ? w.hostBytes(host) : Buffer.from(w.host(host))));
    yield oneHost(writers, host, chunks);
  }
}

/**
 * The first output that is one of the inputs (or the waivers file), compared by device and inode so another path to
 * the same file counts. Only outputs that exist already can be, so most scans stat nothing here.
 */
function inputsAmongOutputs(files: readonly string[], outputs: readonly Output[], waivers: string | undefined): string | undefined {
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
    const id = o.target ? identity(o.target) : undefined;
    if (id && o.target) targets.set(id, o.target);
  }
  if (targets.size === 0) return undefined;
  for (const file of waivers ? [...files, waivers] : files) {
    const id = file === '-' ? undefined : identity(file);
    if (id && targets.has(id)) return targets.get(id);
  }
  return undefined;
}

/** A batch of one host, written here rather than on a worker thread. */
function oneHost(writers: ReportWriter[], host: HostResult, chunks: Uint8Array[]): WrittenBatch {
  return { chunks, hostItems: writers.map((w) => [w.itemsOf?.(host) ?? 0]), hostEnds: chunks.map((c) => [c.length]), hosts: [tallyOf(host)], problems: [] };
}

/** Hosts as written report chunks (one per output), in input order: on worker threads for large fleets, else here. */
async function* written(
  files: string[],
  plan: ScanPlan,
  writers: ReportWriter[],
  options: ScanOptions,
  context: HostScanContext,
  pool: Pool | null,
): AsyncGenerator<WrittenBatch> {
  if (pool && files.length >= PARALLEL_FROM) {
    yield* scanFilesInWorkers(files, pool.setup, pool.workers.length, pool.workers);
    return;
  }
  if (pool) await Promise.all(pool.workers.map((w) => w.terminate()));
  for await (const event of scanFiles(files, plan, options, context)) {
    if (event.kind === 'host') {
      const chunks = writers.map((w) => (w.hostBytes ? w.hostBytes(event.host) : Buffer.from(w.host(event.host))));
      yield oneHost(writers, event.host, chunks);
    } else {
      yield { chunks: writers.map(() => new Uint8Array()), hostItems: writers.map(() => []), hostEnds: writers.map(() => []), hosts: [], problems: [event.problem] };
    }
  }
}

export async function runScan(cliArgs: ScanArgs): Promise<number> {
  const args = withConfig(cliArgs);
  const inputs = (args.inputs ?? []).map((arg) => (arg === STDIN_ARG ? '-' : arg));
  if (args.ssm && inputs.length > 0) throw new UsageError('--ssm collects the inputs itself: name no files with it');
  if (!args.ssm && inputs.length === 0) throw new UsageError('name at least one input: a file, a folder, or - for standard input (or use --ssm)');
  const ssm = args.ssm ? toSsmOptions(args, readFileSync(packagePath('data', 'capture.sh'), 'utf8'), progressPrinter()) : null;
  if (args.jobs !== undefined && (!Number.isInteger(args.jobs) || args.jobs < 1)) throw new UsageError(`--jobs must be a whole number of at least 1, not ${String(args.jobs)}`);
  // Everything a user could have mistyped is checked before any input is read.
  if (args.variant) variantFromFlag(args.variant);
  const outputs = outputsOf(args);
  const catalog = loadCatalog();
  const selection: SelectOptions = { level: args.level ?? 2 };
  if (args.check) selection.checks = args.check;
  if (args.skip) selection.skip = args.skip;
  if (args.profile) selection.profiles = args.profile;
  const parameters: Record<string, string[] | number> = {};
  if (args.allowedRegistry) parameters.allowedRegistries = args.allowedRegistry;
  if (args.updateRepository) parameters.updateRepositories = args.updateRepository;
  if (args.maxFindingAge !== undefined) parameters.maxFindingAgeDays = args.maxFindingAge as never;
  if (args.maxScanAge !== undefined) parameters.maxScanAgeDays = args.maxScanAge as never;
  if (Object.keys(parameters).length > 0) selection.parameters = parameters;
  const plan = planScan(catalog, selection);
  const options: ScanOptions = { ...selection };
  if (args.variant) options.variant = args.variant;
  if (args.waivers) options.waivers = args.waivers;
  if (args.baseline) options.baseline = args.baseline;
  if (args.failOn) options.failOn = args.failOn;
  if (args.strict) options.strict = true;
  if (outputs.some((o) => o.format === 'sarif')) options.locate = true;
  const context = await prepareGate(catalog, options);

  // AWS: Security Hub (whose caller identity also names the account asff and ocsf files are for), Inspector.
  const needsAws = outputs.some((o) => o.format === 'asff' || o.format === 'ocsf') || args.securityHub;
  const region = needsAws || args.inspector ? regionOf(args) : '';
  if (args.awsAccount !== undefined && !/^[0-9]{12}$/.test(args.awsAccount)) throw new UsageError(`--aws-account ${args.awsAccount}: expected 12 digits`);
  let importer: SecurityHubImporter | null = null;
  if (args.securityHub) {
    const { SecurityHubImporter } = await import('../../src/aws/security-hub.js');
    importer = await SecurityHubImporter.open({ region, ...(args.awsProfile ? { profile: args.awsProfile } : {}), ...(args.securityHubScope ? { scope: args.securityHubScope } : {}), ...(args.awsAccount ? { accountId: args.awsAccount } : {}) });
  }
  const aws = importer ? importer.context : args.awsAccount ? { accountId: args.awsAccount, region } : undefined;
  if (needsAws && !aws) throw new UsageError('asff and ocsf reports need the importing account: pass --aws-account (and --region), or use --security-hub');
  let inspector: InspectorReader | null = null;
  if (args.inspector) {
    const { InspectorReader } = await import('../../src/aws/inspector.js');
    inspector = await InspectorReader.open({ region, ...(args.awsProfile ? { profile: args.awsProfile } : {}) });
  }
  const updatedAt = new Date().toISOString();

  const sinks: Sink[] = [];
  const abortAll = () => Promise.all(sinks.map((s) => s.abort()));
  try {
    for (const o of outputs) sinks.push(o.target ? await fileSink(o.target) : stdoutSink());
  } catch (err) {
    await abortAll();
    throw err;
  }
  const jobs = args.jobs ?? defaultJobs();
  const writerOptions = (o: Output, sink: Sink, hostCount?: number): WriterOptions => {
    const w: WriterOptions = { baseDir: process.cwd(), ruleIds: plan.checks.map((c) => c.id) };
    if (o.format === 'text') w.color = colorLevel(sink.isTTY, process.env);
    if (args.sarifInclude) w.sarifInclude = args.sarifInclude;
    if (args.sarifCategory) w.sarifCategory = args.sarifCategory.replace(/\/+$/, '');
    if (args.strict) w.strict = true;
    if (hostCount !== undefined) w.hostCount = hostCount;
    if (aws) w.aws = aws;
    w.updatedAt = updatedAt;
    return w;
  };
  // Threads load while the inputs are listed, unless a writer must know the number of hosts first (SARIF); they
  // are stopped again if the inputs turn out to be few.
  const needsCount = outputs.some((o) => o.format === 'sarif');
  const setupFor = (hostCount?: number): WorkerSetup => ({
    selection,
    outputs: outputs.map((o, i) => ({ format: o.format, options: writerOptions(o, sinks[i]!, hostCount) })),
    context,
    ...(args.variant ? { variant: args.variant } : {}),
  });
  let pool: Pool | null = null;
  const fleet = !ssm && !inspector && !importer && jobs > 1 && mayBeFleet(inputs);
  if (fleet && !needsCount) {
    const setup = setupFor();
    pool = { setup, workers: startWorkers(setup, jobs) };
  }
  let files: string[];
  try {
    files = ssm ? [] : await expandInputs(inputs);
  } catch (err) {
    await abortAll();
    await Promise.all((pool?.workers ?? []).map((w) => w.terminate()));
    throw err;
  }
  const overwritten = inputsAmongOutputs(files, outputs, args.waivers);
  if (overwritten) {
    await abortAll();
    await Promise.all((pool?.workers ?? []).map((w) => w.terminate()));
    throw new UsageError(`--output ${overwritten} is also an input; brsec never writes over what it reads`);
  }
  if (fleet && needsCount && files.length >= PARALLEL_FROM) {
    const setup = setupFor(files.length);
    pool = { setup, workers: startWorkers(setup, jobs) };
  }
  // Over SSM the number of hosts is known only as they answer: SARIF then writes one run for the fleet.
  const writers = outputs.map((o, i) => createWriter(o.format, writerOptions(o, sinks[i]!, ssm ? Number.MAX_SAFE_INTEGER : files.length)));

  const tally = new FleetTally();
  let importFailed = false;
  const problems: InputProblem[] = [];
  const partsWritten = writers.map(() => 0);
  const itemsWritten = writers.map(() => 0);
  const leftOut = writers.map(() => ({ hosts: 0, items: 0 }));
  const full = writers.map(() => false);
  try {
    const meta = scanMeta(catalog, plan, new Date());
    await Promise.all(writers.map((w, i) => sinks[i]!.write(w.begin(meta))));
    let source: AsyncIterable<WrittenBatch>;
    if (ssm || inspector || importer) {
      const readOptions: ReadOptions = {};
      if (args.variant) readOptions.variant = args.variant;
      if (context.locate) readOptions.locate = true;
      let incoming: AsyncIterable<Arrival> = arrivals(files, ssm, readOptions, args.variant);
      if (inspector) incoming = withInspector(incoming, inspector);
      source = writtenWithAws(incoming, plan, writers, context, importer);
    } else {
      source = written(files, plan, writers, options, context, pool);
    }
    for await (const batch of source) {
      for (const problem of batch.problems) {
        tally.addError();
        problems.push(problem);
        process.stderr.write(`brsec: ${printable(`${problem.file}: ${problem.message}`)}\n`);
      }
      for (const host of batch.hosts) tally.addHost(host);
      for (let i = 0; i < writers.length; i++) {
        const chunk = batch.chunks[i];
        let end = chunk?.length ?? 0;
        const max = writers[i]!.maxItems;
        if (max !== undefined) {
          // A report with a maximum (SARIF results, Markdown bytes) keeps the first hosts that fit, in input order;
          // the rest are counted and its end says so.
          const items = batch.hostItems[i] ?? [];
          let kept = 0;
          if (!full[i]) {
            while (kept < items.length && itemsWritten[i]! + items[kept]! <= max) itemsWritten[i]! += items[kept++]!;
            if (kept < items.length) full[i] = true;
          }
          for (let k = kept; k < items.length; k++) {
            if (items[k]! === 0) continue;
            leftOut[i]!.hosts++;
            leftOut[i]!.items += items[k]!;
          }
          end = kept === 0 ? 0 : (batch.hostEnds[i]?.[kept - 1] ?? end);
        }
        // Separators go only between parts that were written: a host may have nothing to say in a report.
        if (!chunk || end === 0) continue;
        if (partsWritten[i]! > 0) await sinks[i]!.write(writers[i]!.separator);
        await sinks[i]!.write(end === chunk.length ? chunk : chunk.subarray(0, end));
        partsWritten[i]!++;
      }
    }
    if (importer) {
      const summary = await importer.finish();
      process.stderr.write(
        `brsec: Security Hub (${importer.productArn}, scope ${importer.scope}): ${summary.imported} finding(s) imported, ${summary.archived} archived, ${summary.failed.length} failed, in ${summary.requests} request(s)\n`,
      );
      for (const f of summary.failed) process.stderr.write(`brsec: ${printable(`Security Hub rejected ${f.id}: ${f.code}: ${f.message}`)}\n`);
      for (const o of summary.otherAccounts) process.stderr.write(`brsec: ${printable(o.host)}: skipped for Security Hub: account ${o.accountId} is not the caller's (${importer.context.accountId})\n`);
      for (const id of summary.oversize) process.stderr.write(`brsec: ${printable(id)}: skipped for Security Hub: over 240 KB\n`);
      importFailed = summary.failed.length > 0 || summary.oversize.length > 0;
    }
    for (let i = 0; i < writers.length; i++) {
      const dropped = leftOut[i]!.hosts > 0 ? leftOut[i] : undefined;
      const name = writers[i]!.itemsName ?? 'results';
      if (dropped) process.stderr.write(`brsec: the ${outputs[i]!.format} report holds at most ${writers[i]!.maxItems} ${name}; ${dropped.hosts} host(s) with ${dropped.items} ${name} were left out (the JSON report has them all)\n`);
      await sinks[i]!.write(writers[i]!.end(problems, tally.totals, dropped));
    }
    for (const sink of sinks) await sink.commit();
  } catch (err) {
    await abortAll();
    throw err;
  } finally {
    // Threads left running would keep the process alive; terminating a stopped one is harmless.
    await Promise.all((pool?.workers ?? []).map((w) => w.terminate()));
    inspector?.close();
  }
  const code = exitCodeFor(tally.totals);
  // Findings Security Hub did not take leave the audit incomplete: never a clean exit.
  return importFailed && code === ExitCode.OK ? ExitCode.INCOMPLETE : code;
}
