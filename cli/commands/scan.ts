import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type { Argv } from 'yargs';
import {
  colorLevel,
  createWriter,
  defaultJobs,
  expandInputs,
  exitCodeFor,
  FleetTally,
  loadCatalog,
  scanFiles,
  scanFilesInWorkers,
  scanMeta,
  startWorkers,
  planScan,
  UsageError,
  variantFromFlag,
  type ScanPlan,
  type SelectOptions,
  type InputProblem,
  type ReportWriter,
  type WorkerSetup,
  type WrittenBatch,
} from '../../src/index.js';
import { fileSink, stdoutSink, type Sink } from '../output.js';
import { STDIN_ARG } from '../stdin.js';

export interface ScanArgs {
  inputs: string[];
  level: 1 | 2;
  variant?: string;
  format: 'text' | 'json';
  output?: string;
  check?: string[];
  skip?: string[];
  jobs?: number;
  profile?: string[];
  allowedRegistry?: string[];
  updateRepository?: string[];
}

/** Below this many files, starting worker threads costs more than it saves. */
const PARALLEL_FROM = 32;

interface Pool {
  setup: WorkerSetup;
  workers: Worker[];
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
  return yargs
    .positional('inputs', { describe: 'Snapshots, apiclient or bloodhound JSON, user data TOML, folders, or - for stdin', type: 'string', array: true, demandOption: true })
    .option('level', { alias: 'l', describe: 'CIS level: 1, or 2 for Level 1 and Level 2', choices: [1, 2] as const, default: 2 as 1 | 2, type: 'number' })
    .option('variant', { describe: 'Bottlerocket variant to assume, e.g. aws-k8s-1.30 or aws-ecs-2 (user data names none)', type: 'string' })
    .option('format', { alias: 'f', describe: 'Report format', choices: ['text', 'json'] as const, default: 'text' as const })
    .option('output', { alias: 'o', describe: 'Write the report to FILE (replaced only when the scan finishes)', type: 'string', normalize: true })
    .option('profile', { alias: 'p', describe: 'Profiles to run: cis-bottlerocket, cis-kubernetes, hardening, pci-dss, all (default: by each host\'s variant)', type: 'string', array: true })
    .option('check', { describe: 'Run only these check ids', type: 'string', array: true })
    .option('skip', { describe: 'Leave out these check ids', type: 'string', array: true })
    .option('allowed-registry', { describe: 'Registries host and bootstrap containers may come from, as globs (default: Bottlerocket\'s own)', type: 'string', array: true })
    .option('update-repository', { describe: 'Update repositories hosts may use, as URL globs (default: https://updates.bottlerocket.aws/**)', type: 'string', array: true })
    .option('jobs', { alias: 'j', describe: `Scan threads for ${PARALLEL_FROM} or more inputs (default: one per core, at most 8)`, type: 'number' })
    .example('$0 scan snapshot.json', 'Scan one host snapshot at CIS Level 2')
    .example('$0 scan --variant aws-k8s-1.30 user-data.toml', 'Scan the user data nodes launch with')
    .example('$0 scan snapshots/ -f json -o report.json', 'Scan a fleet into a JSON report')
    .example('$0 scan snapshot.json --profile pci-dss', 'Show PCI DSS v4.0.1 requirement by requirement') as unknown as Argv<ScanArgs>;
}

/** Hosts as written report chunks, in input order: on worker threads for large fleets, else on this thread. */
async function* written(files: string[], checks: ScanPlan, writer: ReportWriter, variant: string | undefined, pool: Pool | null): AsyncGenerator<WrittenBatch> {
  if (pool && files.length >= PARALLEL_FROM) {
    yield* scanFilesInWorkers(files, pool.setup, pool.workers.length, pool.workers);
    return;
  }
  if (pool) await Promise.all(pool.workers.map((w) => w.terminate()));
  for await (const event of scanFiles(files, checks, variant ? { variant } : {})) {
    yield event.kind === 'host'
      ? { chunk: writer.hostBytes ? writer.hostBytes(event.host) : Buffer.from(writer.host(event.host)), hosts: [{ status: event.host.status, totals: event.host.totals }], problems: [] }
      : { chunk: new Uint8Array(), hosts: [], problems: [event.problem] };
  }
}

export async function runScan(args: ScanArgs): Promise<number> {
  const inputs = args.inputs.map((arg) => (arg === STDIN_ARG ? '-' : arg));
  if (inputs.length === 0) throw new UsageError('name at least one input: a file, a folder, or - for standard input');
  if (args.jobs !== undefined && (!Number.isInteger(args.jobs) || args.jobs < 1)) throw new UsageError(`--jobs must be a whole number of at least 1, not ${String(args.jobs)}`);
  // Everything a user could have mistyped is checked before any input is read.
  if (args.variant) variantFromFlag(args.variant);
  const catalog = loadCatalog();
  const selection: SelectOptions = { level: args.level };
  if (args.check) selection.checks = args.check;
  if (args.skip) selection.skip = args.skip;
  if (args.profile) selection.profiles = args.profile;
  const parameters: Record<string, string[]> = {};
  if (args.allowedRegistry) parameters.allowedRegistries = args.allowedRegistry;
  if (args.updateRepository) parameters.updateRepositories = args.updateRepository;
  if (Object.keys(parameters).length > 0) selection.parameters = parameters;
  const checks = planScan(catalog, selection);
  const sink: Sink = args.output ? await fileSink(args.output) : stdoutSink();
  const color = args.format === 'text' ? colorLevel(sink.isTTY, process.env) : 0;
  const writer = createWriter(args.format, color);
  const jobs = args.jobs ?? defaultJobs();
  // Threads load while the inputs are listed; they are stopped again if the inputs turn out to be few.
  let pool: Pool | null = null;
  if (jobs > 1 && mayBeFleet(inputs)) {
    const setup: WorkerSetup = { selection, format: args.format, color, ...(args.variant ? { variant: args.variant } : {}) };
    pool = { setup, workers: startWorkers(setup, jobs) };
  }
  let files: string[];
  try {
    files = await expandInputs(inputs);
  } catch (err) {
    await sink.abort();
    await Promise.all((pool?.workers ?? []).map((w) => w.terminate()));
    throw err;
  }

  const tally = new FleetTally();
  const problems: InputProblem[] = [];
  try {
    await sink.write(writer.begin(scanMeta(catalog, checks, new Date())));
    let hostsWritten = 0;
    for await (const batch of written(files, checks, writer, args.variant, pool)) {
      for (const problem of batch.problems) {
        tally.addError();
        problems.push(problem);
        process.stderr.write(`brsec: ${problem.file}: ${problem.message}\n`);
      }
      if (batch.hosts.length === 0) continue;
      if (hostsWritten > 0) await sink.write(writer.separator);
      await sink.write(batch.chunk);
      for (const host of batch.hosts) tally.addHost(host);
      hostsWritten += batch.hosts.length;
    }
    await sink.write(writer.end(problems, tally.totals));
    await sink.commit();
  } catch (err) {
    await sink.abort();
    throw err;
  } finally {
    // Threads left running would keep the process alive; terminating a stopped one is harmless.
    await Promise.all((pool?.workers ?? []).map((w) => w.terminate()));
  }
  return exitCodeFor(tally.totals);
}
