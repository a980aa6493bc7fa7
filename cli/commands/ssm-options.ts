// Options shared by `brsec collect --ssm` and `brsec scan --ssm`.
import type { Argv } from 'yargs';
import { UsageError, type SsmOptions, type SsmProgress } from '../../src/index.js';

export interface SsmArgs {
  ssm?: boolean;
  region?: string;
  awsProfile?: string;
  instanceIds?: string[];
  target?: string[];
  s3Output?: string;
  maxConcurrency?: string;
  wait?: number;
  pollInterval?: number;
  executionTimeout?: number;
}

export function ssmOptions<T>(yargs: Argv<T>): Argv<T & SsmArgs> {
  return yargs
    .option('ssm', { describe: 'Collect from hosts over SSM Run Command (the control container runs the capture script)', type: 'boolean' })
    .option('region', { describe: 'AWS region (default: AWS_REGION, then AWS_DEFAULT_REGION)', type: 'string' })
    .option('aws-profile', { describe: "AWS profile for credentials (default: the SDK's default chain)", type: 'string' })
    .option('instance-ids', {
      describe: 'Hosts by instance id (default: every online Bottlerocket managed node)',
      type: 'string',
      array: true,
    })
    .option('target', {
      describe: "Hosts by tag, through SSM's own fan-out: tag:Key=Value (repeatable, at most 5)",
      type: 'string',
      array: true,
    })
    .option('s3-output', { describe: 'Read each snapshot from S3 (bucket/prefix) instead of the command output', type: 'string' })
    .option('max-concurrency', { describe: 'How many hosts SSM runs the capture on at once (a number or a percentage)', type: 'string' })
    .option('wait', { describe: 'Seconds to wait for all hosts before the rest are reported as not answering', type: 'number' })
    .option('poll-interval', { describe: 'Seconds between progress polls', type: 'number' })
    .option('execution-timeout', { describe: 'Seconds the capture may run on a host', type: 'number' }) as unknown as Argv<T & SsmArgs>;
}

/** --region, then AWS_REGION, then AWS_DEFAULT_REGION (which the SDK itself does not read). */
export function regionOf(args: SsmArgs, env: NodeJS.ProcessEnv = process.env): string {
  const region = args.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError('no AWS region: pass --region, or set AWS_REGION or AWS_DEFAULT_REGION');
  return region;
}

/** tag:Key=Value → an SSM target; several values of one key may be given as tag:Key=a,b. */
function targetOf(value: string): { Key: string; Values: string[] } {
  const m = /^(tag:[^=]+|resource-groups:Name|InstanceIds)=(.+)$/.exec(value);
  if (!m) throw new UsageError(`--target ${value}: expected tag:Key=Value`);
  return { Key: m[1] as string, Values: (m[2] as string).split(',').filter(Boolean) };
}

export function toSsmOptions(args: SsmArgs, script: string, onProgress?: (p: SsmProgress) => void): SsmOptions {
  if (args.instanceIds && args.target) throw new UsageError('name hosts by --instance-ids or by --target, not both');
  const options: SsmOptions = { script, region: regionOf(args) };
  if (args.awsProfile) options.profile = args.awsProfile;
  if (args.instanceIds) {
    const bad = args.instanceIds.find((id) => !/^(i|mi)-[0-9a-f]{8,17}$/.test(id));
    if (bad) throw new UsageError(`--instance-ids: "${bad}" is not an instance id (i-…) or managed-node id (mi-…)`);
    options.instanceIds = args.instanceIds;
  }
  if (args.target) {
    if (args.target.length > 5) throw new UsageError('--target: SSM takes at most 5 targets');
    options.targets = args.target.map(targetOf);
  }
  if (args.s3Output) {
    const [bucket = '', ...rest] = args.s3Output.replace(/^s3:\/\//, '').split('/');
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new UsageError(`--s3-output ${args.s3Output}: expected bucket/prefix`);
    options.s3Output = { bucket, prefix: rest.join('/') };
  }
  if (args.maxConcurrency) {
    if (!/^([1-9][0-9]*|[1-9][0-9]?%|100%)$/.test(args.maxConcurrency))
      throw new UsageError(`--max-concurrency ${args.maxConcurrency}: a number or a percentage`);
    options.maxConcurrency = args.maxConcurrency;
  }
  if (args.wait !== undefined) options.waitSeconds = args.wait;
  if (args.pollInterval !== undefined) options.pollIntervalMs = Math.max(10, args.pollInterval * 1000);
  if (args.executionTimeout !== undefined) options.executionTimeoutSeconds = args.executionTimeout;
  if (onProgress) options.onProgress = onProgress;
  return options;
}

/** On a terminal, one line of progress on stderr, rewritten in place; elsewhere nothing. */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): ((p: SsmProgress) => void) | undefined {
  if (!stream.isTTY) return undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 200 && p.pending > 0) return;
    last = now;
    stream.write(
      `\rbrsec ssm: ${p.done} done, ${p.failed} failed, ${p.pending} pending of ${p.targeted} · ${p.rate.toFixed(1)} hosts/s   ${p.pending === 0 ? '\n' : ''}`,
    );
  };
}
