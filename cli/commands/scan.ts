import type { Argv } from 'yargs';
import {
  expandInputs,
  exitCodeFor,
  FleetTally,
  jsonWriter,
  loadCatalog,
  scanFiles,
  scanMeta,
  selectChecks,
  textWriter,
  variantFromFlag,
  UsageError,
  type ReportWriter,
} from '../../src/index.js';
import { STDIN_ARG } from '../stdin.js';
import { paintFor } from '../color.js';
import { fileSink, stdoutSink, type Sink } from '../output.js';

export interface ScanArgs {
  inputs: string[];
  level: 1 | 2;
  variant?: string;
  format: 'text' | 'json';
  output?: string;
  check?: string[];
  skip?: string[];
}

export function scanBuilder(yargs: Argv): Argv<ScanArgs> {
  return yargs
    .positional('inputs', { describe: 'Snapshots, apiclient or bloodhound JSON, user data TOML, folders, or - for stdin', type: 'string', array: true, demandOption: true })
    .option('level', { alias: 'l', describe: 'CIS level: 1, or 2 for Level 1 and Level 2', choices: [1, 2] as const, default: 2 as 1 | 2, type: 'number' })
    .option('variant', { describe: 'Bottlerocket variant to assume, e.g. aws-k8s-1.30 or aws-ecs-2 (user data names none)', type: 'string' })
    .option('format', { alias: 'f', describe: 'Report format', choices: ['text', 'json'] as const, default: 'text' as const })
    .option('output', { alias: 'o', describe: 'Write the report to FILE (replaced only when the scan finishes)', type: 'string', normalize: true })
    .option('check', { describe: 'Run only these check ids', type: 'string', array: true })
    .option('skip', { describe: 'Leave out these check ids', type: 'string', array: true })
    .example('$0 scan snapshot.json', 'Scan one host snapshot at CIS Level 2')
    .example('$0 scan --variant aws-k8s-1.30 user-data.toml', 'Scan the user data nodes launch with')
    .example('$0 scan snapshots/ -f json -o report.json', 'Scan a fleet into a JSON report') as unknown as Argv<ScanArgs>;
}

export async function runScan(args: ScanArgs): Promise<number> {
  const inputs = args.inputs.map((arg) => (arg === STDIN_ARG ? '-' : arg));
  if (inputs.length === 0) throw new UsageError('name at least one input: a file, a folder, or - for standard input');
  // Everything a user could have mistyped is checked before any input is read.
  if (args.variant) variantFromFlag(args.variant);
  const catalog = loadCatalog();
  const selection: Parameters<typeof selectChecks>[1] = { level: args.level };
  if (args.check) selection.checks = args.check;
  if (args.skip) selection.skip = args.skip;
  const checks = selectChecks(catalog, selection);
  const files = await expandInputs(inputs);

  const sink: Sink = args.output ? await fileSink(args.output) : stdoutSink();
  const writer: ReportWriter = args.format === 'json' ? jsonWriter : textWriter(paintFor(sink.isTTY));
  const tally = new FleetTally();
  const problems: { file: string; message: string }[] = [];
  try {
    await sink.write(writer.begin(scanMeta(catalog, checks, args.level, new Date())));
    let index = 0;
    for await (const event of scanFiles(files, checks, args.variant ? { variant: args.variant } : {})) {
      if (event.kind === 'host') {
        tally.addHost(event.host);
        await sink.write(writer.host(event.host, index++));
      } else {
        tally.addError();
        problems.push(event.problem);
        process.stderr.write(`brsec: ${event.problem.file}: ${event.problem.message}\n`);
      }
    }
    await sink.write(writer.end(problems, tally.totals));
    await sink.commit();
  } catch (err) {
    await sink.abort();
    throw err;
  }
  return exitCodeFor(tally.totals);
}
