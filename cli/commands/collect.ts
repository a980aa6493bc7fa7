// `brsec collect`: snapshots from the API socket (one host) or from a fleet over SSM, written as they arrive.
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { ExitCode, UsageError } from '../../src/index.js';
import { packagePath } from '../../src/paths.js';
import { printable } from '../../src/report/printable.js';
import { fileSink, stdoutSink } from '../output.js';
import { STDIN_ARG } from '../stdin.js';
import { progressPrinter, ssmOptions, toSsmOptions, type SsmArgs } from './ssm-options.js';
import type { HostOutcome } from '../../src/collect/ssm.js';

export interface CollectArgs extends SsmArgs {
  apiSocket?: string;
  out?: string;
  hostId?: string;
  inspector?: boolean;
}

export function collectBuilder(yargs: Argv): Argv<CollectArgs> {
  return ssmOptions(
    yargs
      .option('api-socket', { describe: 'Collect from the Bottlerocket API socket, e.g. /run/api.sock (admin container, or a pod that mounts it)', type: 'string' })
      .option('out', { describe: 'Where snapshots go: a file (--api-socket) or a folder, one file per host (--ssm)', type: 'string' })
      .option('inspector', { describe: 'Add Amazon Inspector coverage and findings to each EC2 host\'s snapshot (aws.inspector2)', type: 'boolean' })
      .option('host-id', { describe: 'Host id for an --api-socket snapshot (default: the instance id, else the hostname)', type: 'string' }),
  )
    .alias('aws-profile', 'profile')
    .example('$0 collect --api-socket /run/api.sock --out host.json', 'One host, through the API socket')
    .example('$0 collect --ssm --region us-west-2 --out snapshots/', 'Every online Bottlerocket managed node of the region')
    .example('$0 collect --ssm --target tag:cluster=prod --out snapshots/', 'The nodes tagged cluster=prod, through SSM fan-out') as unknown as Argv<CollectArgs>;
}

/** Writes a file so that a reader never sees half of it: a temporary file renamed over the target. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, text);
  await rename(temp, path);
}

export async function runCollect(cliArgs: CollectArgs): Promise<number> {
  // `--out -` is standard output, which only a single snapshot (--api-socket) can go to.
  const toStdout = cliArgs.out === '-' || cliArgs.out === STDIN_ARG;
  const { out: _out, ...rest } = cliArgs;
  const args: CollectArgs = toStdout ? rest : cliArgs;
  if (Boolean(args.apiSocket) === Boolean(args.ssm)) throw new UsageError('name one source: --api-socket PATH or --ssm');
  if (args.ssm && toStdout) throw new UsageError('--ssm writes one snapshot file per host: --out must be a folder, not standard output');
  if (args.apiSocket) {
    const { collectFromApiSocket } = await import('../../src/collect/api-socket.js');
    const snapshot = await collectFromApiSocket({ socketPath: args.apiSocket, ...(args.hostId ? { hostId: args.hostId } : {}) });
    const sink = args.out ? await fileSink(args.out) : stdoutSink();
    try {
      await sink.write(`${JSON.stringify(snapshot, null, 2)}\n`);
      await sink.commit();
    } catch (err) {
      await sink.abort();
      throw err;
    }
    return ExitCode.OK;
  }
  if (!args.out) throw new UsageError('--ssm needs --out DIR: one snapshot file per host is written there as it arrives');
  const options = toSsmOptions(args, readFileSync(packagePath('data', 'capture.sh'), 'utf8'), progressPrinter());
  await mkdir(args.out, { recursive: true });
  const { collectOverSsm } = await import('../../src/collect/ssm.js');
  const outcomes: { id: string; name?: string; outcome: string; detail?: string; file?: string }[] = [];
  const reader = args.inspector ? await (await import('../../src/aws/inspector.js')).InspectorReader.open({ region: options.region, ...(options.profile ? { profile: options.profile } : {}) }) : null;
  // With Inspector, snapshots wait in tens: one ListCoverage and one ListFindings filter hold 10 instances.
  let waiting: Extract<HostOutcome, { state: 'snapshot' }>[] = [];
  const write = async () => {
    if (reader && waiting.length > 0) {
      const evidence = await reader.read(waiting.map((o) => o.id));
      for (const o of waiting) {
        const found = evidence.get(o.id);
        if (found) o.snapshot.aws = { ...(o.snapshot.aws ?? {}), inspector2: found };
      }
    }
    for (const o of waiting) {
      const file = join(args.out!, `${o.id}.json`);
      await writeAtomically(file, `${JSON.stringify(o.snapshot)}\n`);
      outcomes.push({ id: o.id, ...(o.name ? { name: o.name } : {}), outcome: 'snapshot', file });
    }
    waiting = [];
  };
  for await (const outcome of collectOverSsm(options)) {
    if (outcome.state === 'snapshot') {
      waiting.push(outcome);
      if (!reader || waiting.length >= 10) await write();
    } else {
      process.stderr.write(`brsec: ${printable(`${outcome.id}: ${outcome.reason}: ${outcome.detail}`)}\n`);
      outcomes.push({ id: outcome.id, ...(outcome.name ? { name: outcome.name } : {}), outcome: outcome.reason, detail: outcome.detail });
    }
  }
  await write();
  reader?.close();
  // Every targeted host, with its snapshot or why there is none; hidden, so `brsec scan DIR` reads only snapshots.
  await writeAtomically(join(args.out, '.brsec-outcomes.json'), `${JSON.stringify({ collectedAt: new Date().toISOString(), hosts: outcomes }, null, 2)}\n`);
  const failed = outcomes.filter((o) => o.outcome !== 'snapshot').length;
  if (!process.stderr.isTTY || failed > 0) process.stderr.write(`brsec: ${outcomes.length - failed} snapshot(s) in ${args.out}, ${failed} host(s) without one\n`);
  return failed > 0 ? ExitCode.INCOMPLETE : ExitCode.OK;
}
