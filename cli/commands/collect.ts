// `brsec collect`: snapshots from the API socket (one host) or from a fleet over SSM, written as they arrive.
import type { Argv } from 'yargs';
import { captureScript, collectFromApiSocket, collectToFolder, ExitCode, launchTemplatesToFolder, UsageError } from '../../src/index.js';
import { fileSink, printable, streamSink } from '../../src/internal.js';
import { STDIN_ARG } from '../stdin.js';
import { progressPrinter, regionOf, ssmOptions, toSsmOptions, type SsmArgs } from './ssm-options.js';

export interface CollectArgs extends SsmArgs {
  apiSocket?: string;
  output?: string;
  hostId?: string;
  inspector?: boolean;
  launchTemplates?: string[];
}

export function collectBuilder(yargs: Argv): Argv<CollectArgs> {
  return ssmOptions(
    yargs
      .option('api-socket', {
        describe: 'Collect from the Bottlerocket API socket, e.g. /run/api.sock (admin container, or a pod that mounts it)',
        type: 'string',
      })
      // -o/--output as in scan; --out, its earlier name, still works.
      .option('output', {
        alias: ['o', 'out'],
        describe:
          'Where snapshots go: a file (--api-socket; - for standard output) or a folder, one file per host (--ssm, --launch-templates)',
        type: 'string',
      })
      .option('inspector', {
        describe: "Add Amazon Inspector coverage and findings to each EC2 host's snapshot (aws.inspector2)",
        type: 'boolean',
      })
      .option('launch-templates', {
        describe:
          'Read the launch templates in use (each default and latest version) whose image or user data is Bottlerocket; optionally only these ids or names',
        type: 'string',
        array: true,
      })
      .option('host-id', {
        describe: 'Host id for an --api-socket snapshot (default: the instance id, else the hostname)',
        type: 'string',
      }),
  )
    .example('$0 collect --api-socket /run/api.sock --out host.json', 'One host, through the API socket')
    .example('$0 collect --ssm --region us-west-2 --out snapshots/', 'Every online Bottlerocket managed node of the region')
    .example('$0 collect --ssm --target tag:cluster=prod --out snapshots/', 'The nodes tagged cluster=prod, through SSM fan-out')
    .example(
      '$0 collect --launch-templates --region us-west-2 --out templates/',
      'The user data of every Bottlerocket launch template in use',
    ) as unknown as Argv<CollectArgs>;
}

export async function runCollect(cliArgs: CollectArgs): Promise<number> {
  // `--out -` is standard output, which only a single snapshot (--api-socket) can go to.
  const toStdout = cliArgs.output === '-' || cliArgs.output === STDIN_ARG;
  const { output: _output, out: _out, o: _o, ...rest } = cliArgs as CollectArgs & { out?: string; o?: string };
  const args: CollectArgs = toStdout ? rest : cliArgs;
  const sources = [args.apiSocket, args.ssm, args.launchTemplates].filter((s) => s !== undefined && s !== false).length;
  if (sources !== 1) throw new UsageError('name one source: --api-socket PATH, --ssm or --launch-templates');
  if (args.launchTemplates) {
    if (!args.output || toStdout)
      throw new UsageError('--launch-templates needs --output DIR: one file per launch template version is written there');
    const { versions } = await launchTemplatesToFolder({
      folder: args.output,
      launchTemplates: {
        region: regionOf(args),
        ...(args.awsProfile ? { profile: args.awsProfile } : {}),
        ...(args.launchTemplates.length > 0 ? { templates: args.launchTemplates } : {}),
      },
    });
    process.stderr.write(`brsec: ${versions} Bottlerocket launch template version(s) in ${args.output}\n`);
    return ExitCode.OK;
  }
  if (args.ssm && toStdout) throw new UsageError('--ssm writes one snapshot file per host: --output must be a folder, not standard output');
  if (args.apiSocket) {
    const snapshot = await collectFromApiSocket({ socketPath: args.apiSocket, ...(args.hostId ? { hostId: args.hostId } : {}) });
    const sink = args.output ? await fileSink(args.output) : streamSink();
    try {
      await sink.write(`${JSON.stringify(snapshot, null, 2)}\n`);
      await sink.commit();
    } catch (err) {
      await sink.abort();
      throw err;
    }
    return ExitCode.OK;
  }
  if (!args.output) throw new UsageError('--ssm needs --output DIR: one snapshot file per host is written there as it arrives');
  const ssm = toSsmOptions(args, captureScript(), progressPrinter());
  const summary = await collectToFolder({
    ssm,
    folder: args.output,
    ...(args.inspector ? { inspector: { region: ssm.region, ...(ssm.profile ? { profile: ssm.profile } : {}) } } : {}),
    onFailure: (o) => void process.stderr.write(`brsec: ${printable(`${o.id}: ${o.reason}: ${o.detail}`)}\n`),
  });
  if (!process.stderr.isTTY || summary.failed > 0)
    process.stderr.write(`brsec: ${summary.snapshots} snapshot(s) in ${args.output}, ${summary.failed} host(s) without one\n`);
  return summary.failed > 0 ? ExitCode.INCOMPLETE : ExitCode.OK;
}
