// Collects snapshots from a fleet over SSM Run Command, with the real AWS SDK v3 client (loaded only here).
// The capture script goes out with AWS-RunShellScript, 50 instance ids per call or through SSM's own tag
// fan-out; progress comes from ListCommandInvocations (one call per 50 hosts, never a waiter per host); each
// payload is fetched with GetCommandInvocation, chunk by chunk where it is larger than SSM's output limit, or
// from S3. Every targeted host ends with an outcome: its snapshot, or why not.
import { retrySettings } from '../aws/retry.js';
import type { GetCommandInvocationCommandOutput, SSMClient, SSMClientConfig } from '@aws-sdk/client-ssm';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { crypto } from '../builtins.js';
import type { Snapshot } from '../types.js';
import { brsecVersion } from '../version.js';
import { checkHeader, chunkCommand, decodePayload, parseChunk, parseFirst, PayloadError, wasCut, type PayloadHeader } from './payload.js';

export type OutcomeReason =
  | 'not-managed'
  | 'offline'
  | 'not-bottlerocket'
  | 'undeliverable'
  | 'delivery-timed-out'
  | 'execution-timed-out'
  | 'failed'
  | 'terminated'
  | 'cancelled'
  | 'invalid-platform'
  | 'access-denied'
  | 'no-answer'
  | 'output-cut'
  | 'bad-payload'
  | 'send-failed'
  /** SSM kept failing (after the SDK's retries) while the host's command was followed. */
  | 'service-error';

export type HostOutcome =
  | { id: string; name?: string; state: 'snapshot'; snapshot: Snapshot }
  | { id: string; name?: string; state: 'failed'; reason: OutcomeReason; detail: string };

export interface SsmProgress {
  targeted: number;
  done: number;
  failed: number;
  pending: number;
  /** Hosts finished per second since the start. */
  rate: number;
}

export interface SsmOptions {
  /** The capture script (data/capture.sh). */
  script: string;
  region: string;
  /** AWS profile for the SDK's default credential chain. */
  profile?: string;
  /** Hosts by instance id; or by SSM targets (tag:Key=Value); or, with neither, every online Bottlerocket managed node. */
  instanceIds?: string[];
  targets?: { Key: string; Values: string[] }[];
  /** Read each payload from S3 instead of the command output (the instance role needs s3:PutObject). */
  s3Output?: { bucket: string; prefix: string };
  /** SSM's pacing of a tag fan-out. */
  maxConcurrency?: string;
  /** Seconds SSM may take to deliver the command. */
  deliveryTimeoutSeconds?: number;
  /** Seconds the capture may run on a host. */
  executionTimeoutSeconds?: number;
  /** Seconds to wait for all hosts before the rest are reported as not answering. */
  waitSeconds?: number;
  /** Milliseconds between progress polls. */
  pollIntervalMs?: number;
  /** Requests in flight at once (fetching payloads). */
  parallelRequests?: number;
  onProgress?: (progress: SsmProgress) => void;
  /** For tests: extra client settings (endpoint, credentials, retry strategy). */
  clientConfig?: Partial<SSMClientConfig>;
  s3ClientConfig?: Partial<S3ClientConfig>;
  now?: () => Date;
}

/** Instance ids per SendCommand, and page sizes, as SSM allows. */
const IDS_PER_CALL = 50;
const PAGE = 50;

interface Host {
  id: string;
  name?: string;
  /** The main command, and where the host is in it. */
  commandId: string;
  header?: PayloadHeader;
  chunks: string[];
  /** The follow-up command fetching the next chunk, when one is out. */
  chunkCommandId?: string;
  done: boolean;
}

interface Tracked {
  commandId: string;
  /** Chunk number for follow-up commands; undefined for the capture itself. */
  chunk?: number;
  /** Hosts still waiting on this command. */
  waiting: Set<string>;
  /** Hosts the command was sent to (empty for a tag fan-out, where SSM resolves them). */
  fanOut: boolean;
  /** For a fan-out: the invocations listed so far. */
  listed?: number;
}

function reasonOf(status: string | undefined, details: string | undefined): OutcomeReason | null {
  switch (details ?? status) {
    case 'Success':
      return null;
    case 'Pending':
    case 'InProgress':
    case 'In Progress':
    case 'Delayed':
      return null;
    case 'Undeliverable':
      return 'undeliverable';
    case 'Delivery Timed Out':
    case 'DeliveryTimedOut':
      return 'delivery-timed-out';
    case 'Execution Timed Out':
    case 'ExecutionTimedOut':
      return 'execution-timed-out';
    case 'Terminated':
      return 'terminated';
    case 'Cancelled':
    case 'Cancelling':
      return 'cancelled';
    case 'InvalidPlatform':
      return 'invalid-platform';
    case 'AccessDenied':
      return 'access-denied';
    case 'Failed':
      return 'failed';
    case 'TimedOut':
      return 'execution-timed-out';
    default:
      return status === 'Failed' ? 'failed' : status === 'TimedOut' ? 'execution-timed-out' : status === 'Cancelled' ? 'cancelled' : null;
  }
}

/** Runs promises with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(runners);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The commands AWS-RunShellScript runs: the capture script written to a file, then run with its options. */
function captureCommands(script: string, run: string, chunkSize: number): string[] {
  const file = `/tmp/brsec-capture-${run}.sh`;
  return [
    `cat > ${file} <<'BRSEC_SCRIPT_END'`,
    ...script.replace(/\n$/, '').split('\n'),
    'BRSEC_SCRIPT_END',
    `sh ${file} --payload gzip-base64 --run ${run} --chunk-size ${chunkSize}; code=$?; rm -f ${file}; exit $code`,
  ];
}

/** Rounds in a row of failed SSM listing (each after the SDK's retries) before the hosts still waiting are given up. */
const MAX_FAILED_ROUNDS = 3;

interface Ready {
  host: Host;
  tracked: Tracked;
  /** Why the host's invocation failed, for one that did not succeed. */
  details?: string;
}

type SsmModule = typeof import('@aws-sdk/client-ssm');

/**
 * One collection over SSM, as named steps: `target` (which hosts; the capture sent), then rounds of `listRound`
 * (which invocations are over), `fetch` (each finished host's payload, or why it failed) and `requestChunks` (the
 * next chunk of large payloads), until every host has an outcome or `expire` gives the rest one. Outcomes queue in
 * `finished` and leave through `drain`, so the generator hands them on as they come.
 */
class SsmCollection {
  private readonly started = Date.now();
  private readonly run = crypto().randomBytes(6).toString('hex');
  /** With S3 the whole payload is one object; the command output is cut at 24,000 characters. */
  private readonly chunkSize: number;
  private readonly hosts = new Map<string, Host>();
  private readonly tracked: Tracked[] = [];
  private readonly finished: HostOutcome[] = [];
  private targeted = 0;
  private failedCount = 0;
  private doneCount = 0;
  private fanOutComplete = false;

  constructor(
    private readonly options: SsmOptions,
    private readonly ssm: SsmModule,
    private readonly client: SSMClient,
    private readonly s3: S3Reader | null,
  ) {
    this.chunkSize = options.s3Output ? 100_000_000 : 23_000;
  }

  /** The outcomes known so far, in the order they were reached. */
  *drain(): Generator<HostOutcome> {
    while (this.finished.length > 0) yield this.finished.shift() as HostOutcome;
  }

  /** Whether some command is still followed. */
  get following(): boolean {
    return this.tracked.some((t) => t.waiting.size > 0) || (this.tracked.some((t) => t.fanOut) && !this.fanOutComplete);
  }

  private finish(outcome: HostOutcome): void {
    const host = this.hosts.get(outcome.id);
    if (host) {
      host.done = true;
      // Nothing of a finished host is kept but that it is done: memory stays flat however large the fleet.
      host.chunks = [];
      delete host.header;
    }
    if (outcome.state === 'snapshot') this.doneCount++;
    else this.failedCount++;
    this.finished.push(outcome);
  }

  private fail(id: string, reason: OutcomeReason, detail: string, name?: string): void {
    this.finish({ id, ...(name ? { name } : {}), state: 'failed', reason, detail });
  }

  progress(): void {
    const { targeted, doneCount, failedCount } = this;
    this.options.onProgress?.({
      targeted,
      done: doneCount,
      failed: failedCount,
      pending: targeted - doneCount - failedCount,
      rate: (doneCount + failedCount) / Math.max(0.001, (Date.now() - this.started) / 1000),
    });
  }

  private async send(
    input: { InstanceIds?: string[]; Targets?: { Key: string; Values: string[] }[] },
    commands: string[],
    comment: string,
  ): Promise<string> {
    const { options } = this;
    const out = await this.client.send(
      new this.ssm.SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        ...input,
        Parameters: { commands, executionTimeout: [String(options.executionTimeoutSeconds ?? 300)] },
        TimeoutSeconds: options.deliveryTimeoutSeconds ?? 600,
        MaxConcurrency: options.maxConcurrency ?? '50',
        // A scanner wants every host's answer: errors on some hosts never stop delivery to the others.
        MaxErrors: '100%',
        Comment: comment.slice(0, 100),
        ...(options.s3Output
          ? {
              OutputS3BucketName: options.s3Output.bucket,
              ...(options.s3Output.prefix ? { OutputS3KeyPrefix: options.s3Output.prefix } : {}),
            }
          : {}),
      }),
    );
    const id = out.Command?.CommandId;
    if (!id) throw new Error('SendCommand returned no command id');
    return id;
  }

  /** Step 1. Which hosts: the ids given (checked against SSM), every online Bottlerocket node, or a tag fan-out. */
  async target(): Promise<void> {
    const { options } = this;
    const capture = captureCommands(options.script, this.run, this.chunkSize);
    if (options.targets) {
      const commandId = await this.send({ Targets: options.targets }, capture, 'brsec snapshot');
      this.tracked.push({ commandId, waiting: new Set(), fanOut: true });
      return;
    }
    const managed = await this.managedNodes();
    let ids: string[];
    if (options.instanceIds) ids = [...new Set(options.instanceIds)];
    // SSM has no filter for the platform name; the agent reports Bottlerocket from /etc/bottlerocket-release.
    else ids = [...managed].filter(([, info]) => info.platform === 'Bottlerocket').map(([id]) => id);
    this.targeted = ids.length;
    const sendable: string[] = [];
    for (const id of ids) {
      const info = managed.get(id);
      this.hosts.set(id, { id, ...(info?.name ? { name: info.name } : {}), commandId: '', chunks: [], done: false });
      if (!info)
        this.fail(
          id,
          'not-managed',
          'not an SSM managed node: its control container (with the SSM agent) is disabled, or the instance is stopped or unknown',
        );
      else if (info.platform !== 'Bottlerocket')
        this.fail(id, 'not-bottlerocket', `SSM reports its platform as ${info.platform ?? 'unknown'}`, info.name);
      else if (info.ping !== 'Online') this.fail(id, 'offline', `SSM agent ping status is ${info.ping ?? 'unknown'}`, info.name);
      else sendable.push(id);
    }
    for (let i = 0; i < sendable.length; i += IDS_PER_CALL) {
      const batch = sendable.slice(i, i + IDS_PER_CALL);
      try {
        const commandId = await this.send({ InstanceIds: batch }, capture, 'brsec snapshot');
        for (const id of batch) this.hosts.get(id)!.commandId = commandId;
        this.tracked.push({ commandId, waiting: new Set(batch), fanOut: false });
      } catch (err) {
        for (const id of batch)
          this.fail(id, 'send-failed', `SendCommand failed: ${(err as Error).name}: ${(err as Error).message}`, this.hosts.get(id)?.name);
      }
    }
  }

  /** The managed nodes SSM knows: the ids given, or every online one. */
  private async managedNodes(): Promise<Map<string, { name?: string; platform?: string; ping?: string }>> {
    const managed = new Map<string, { name?: string; platform?: string; ping?: string }>();
    const describe = async (filters: { Key: string; Values: string[] }[]) => {
      let token: string | undefined;
      do {
        const page = await this.client.send(
          new this.ssm.DescribeInstanceInformationCommand({ Filters: filters, MaxResults: PAGE, ...(token ? { NextToken: token } : {}) }),
        );
        for (const info of page.InstanceInformationList ?? []) {
          if (info.InstanceId)
            managed.set(info.InstanceId, {
              ...(info.ComputerName ? { name: info.ComputerName } : {}),
              platform: info.PlatformName,
              ping: info.PingStatus,
            });
        }
        token = page.NextToken;
      } while (token);
    };
    const ids = this.options.instanceIds ? [...new Set(this.options.instanceIds)] : null;
    if (ids)
      for (let i = 0; i < ids.length; i += IDS_PER_CALL) await describe([{ Key: 'InstanceIds', Values: ids.slice(i, i + IDS_PER_CALL) }]);
    else await describe([{ Key: 'PingStatus', Values: ['Online'] }]);
    return managed;
  }

  /** Step 2. Lists each followed command's invocations: the hosts that are over (or failed) go in `ready`. */
  async listRound(ready: Ready[]): Promise<void> {
    for (const t of this.tracked) {
      if (t.waiting.size === 0 && !t.fanOut) continue;
      let token: string | undefined;
      do {
        const page = await this.client.send(
          new this.ssm.ListCommandInvocationsCommand({ CommandId: t.commandId, MaxResults: PAGE, ...(token ? { NextToken: token } : {}) }),
        );
        for (const inv of page.CommandInvocations ?? []) {
          const id = inv.InstanceId;
          if (!id) continue;
          if (t.fanOut && !this.hosts.has(id)) {
            this.hosts.set(id, {
              id,
              ...(inv.InstanceName ? { name: inv.InstanceName } : {}),
              commandId: t.commandId,
              chunks: [],
              done: false,
            });
            t.waiting.add(id);
            t.listed = (t.listed ?? 0) + 1;
            this.targeted++;
          }
          if (!t.waiting.has(id)) continue;
          const host = this.hosts.get(id)!;
          if (inv.Status === 'Success') {
            t.waiting.delete(id);
            ready.push({ host, tracked: t });
            continue;
          }
          const reason = reasonOf(inv.Status, inv.StatusDetails);
          if (reason === null) continue;
          t.waiting.delete(id);
          ready.push({ host, tracked: t, details: reason });
        }
        token = page.NextToken;
      } while (token);
      if (t.fanOut) {
        const listed = await this.client.send(new this.ssm.ListCommandsCommand({ CommandId: t.commandId }));
        const command = listed.Commands?.[0];
        const over = ['Success', 'Failed', 'TimedOut', 'Cancelled'].includes(command?.Status ?? '');
        // SSM lists invocations eventually: the command may be over before all its invocations are listed, so a
        // fan-out ends only once as many were seen as it targeted.
        if (over && t.waiting.size === 0 && (t.listed ?? 0) >= (command?.TargetCount ?? 0)) {
          this.fanOutComplete = true;
          t.fanOut = false;
        }
      }
    }
  }

  /** When SSM keeps failing to list invocations: every host still waiting gets an outcome saying so. */
  giveUp(ready: readonly Ready[], err: unknown): void {
    const why = `SSM kept failing while the commands were followed (${MAX_FAILED_ROUNDS} rounds in a row, each after the SDK's retries): ${(err as Error).name}: ${(err as Error).message}`;
    for (const host of this.hosts.values())
      if (!host.done && !ready.some((r) => r.host === host)) this.fail(host.id, 'service-error', why, host.name);
    for (const t of this.tracked) {
      t.waiting.clear();
      t.fanOut = false;
    }
    this.fanOutComplete = true;
  }

  /** Step 3. A finished host's payload (a chunk of it), or why its invocation failed. */
  async fetch({ host, tracked: t, details }: Ready): Promise<void> {
    if (host.done) return;
    const { options } = this;
    let invocation: GetCommandInvocationCommandOutput | undefined;
    try {
      invocation = await this.client.send(new this.ssm.GetCommandInvocationCommand({ CommandId: t.commandId, InstanceId: host.id }));
    } catch (err) {
      if ((err as Error).name === 'InvocationDoesNotExist') {
        // Not visible yet right after the command: ask again next round.
        t.waiting.add(host.id);
        return;
      }
      this.fail(host.id, 'failed', `GetCommandInvocation failed: ${(err as Error).name}: ${(err as Error).message}`, host.name);
      return;
    }
    if (details) {
      const reason = details as OutcomeReason;
      const stderr = invocation.StandardErrorContent?.trim().split('\n').slice(-1)[0] ?? '';
      if (reason === 'failed' && invocation.ResponseCode === 3)
        this.fail(host.id, 'not-bottlerocket', stderr || 'the capture script found no Bottlerocket here', host.name);
      else
        this.fail(
          host.id,
          reason,
          `${invocation.StatusDetails ?? reason}${invocation.ResponseCode !== undefined && invocation.ResponseCode >= 0 ? `, exit code ${invocation.ResponseCode}` : ''}${stderr ? `: ${stderr}` : ''}`,
          host.name,
        );
      return;
    }
    try {
      let stdout = invocation.StandardOutputContent ?? '';
      if (this.s3 && options.s3Output) stdout = await this.s3(options.s3Output, t.commandId, host.id, stdout);
      if (t.chunk === undefined) {
        const { header, chunk } = parseFirst(stdout);
        checkHeader(header, { run: this.run, chunkSize: this.chunkSize });
        host.header = header;
        host.chunks = [chunk];
      } else {
        host.chunks[t.chunk] = parseChunk(stdout, t.chunk);
      }
      const header = host.header!;
      if (host.chunks.length < header.chunks) return;
      const text = decodePayload(header, host.chunks);
      this.finish({ id: host.id, ...(host.name ? { name: host.name } : {}), state: 'snapshot', snapshot: snapshotOf(text, host, options) });
    } catch (err) {
      if (err instanceof PayloadError) this.fail(host.id, err.reason, err.message, host.name);
      else this.fail(host.id, 'bad-payload', (err as Error).message, host.name);
    }
  }

  /**
   * Step 4. Hosts whose payload has more chunks: one follow-up command per chunk number, 50 hosts per call, grouped
   * by chunk number and by whether it is the host's last (whose command also removes the kept file).
   */
  async requestChunks(ready: readonly Ready[]): Promise<void> {
    const wanting = new Map<string, { chunk: number; group: Host[] }>();
    for (const { host } of ready) {
      if (host.done || !host.header || host.chunks.length >= host.header.chunks) continue;
      const next = host.chunks.length;
      const key = `${next}/${next === host.header.chunks - 1 ? 'last' : 'more'}`;
      const entry = wanting.get(key) ?? { chunk: next, group: [] };
      entry.group.push(host);
      wanting.set(key, entry);
    }
    for (const { chunk, group } of wanting.values()) {
      for (let i = 0; i < group.length; i += IDS_PER_CALL) {
        const batch = group.slice(i, i + IDS_PER_CALL);
        try {
          // Built from brsec's own run and chunk size, never from what a host printed.
          const commandId = await this.send(
            { InstanceIds: batch.map((h) => h.id) },
            [chunkCommand({ ...batch[0]!.header!, run: this.run, chunkSize: this.chunkSize }, chunk)],
            `brsec snapshot chunk ${chunk}`,
          );
          this.tracked.push({ commandId, chunk, waiting: new Set(batch.map((h) => h.id)), fanOut: false });
        } catch (err) {
          for (const h of batch) this.fail(h.id, 'send-failed', `SendCommand for chunk ${chunk} failed: ${(err as Error).message}`, h.name);
        }
      }
    }
    for (let i = this.tracked.length - 1; i >= 0; i--)
      if (this.tracked[i]!.waiting.size === 0 && !this.tracked[i]!.fanOut) this.tracked.splice(i, 1);
  }

  /** Step 5. Whoever has not answered by the deadline is reported, never dropped. */
  expire(): void {
    for (const host of this.hosts.values()) {
      if (!host.done) this.fail(host.id, 'no-answer', `no answer within ${this.options.waitSeconds ?? 900} s`, host.name);
    }
  }
}

export async function* collectOverSsm(options: SsmOptions): AsyncGenerator<HostOutcome> {
  const ssm = await import('@aws-sdk/client-ssm');
  const client: SSMClient = new ssm.SSMClient({
    region: options.region,
    ...(options.profile ? { profile: options.profile } : {}),
    // Adaptive: SSM's throttling is shared by the whole account and region, so the client paces itself.
    ...retrySettings(),
    ...options.clientConfig,
  });
  const s3 = options.s3Output ? await makeS3(options) : null;
  const collection = new SsmCollection(options, ssm, client, s3);
  const deadline = Date.now() + (options.waitSeconds ?? 900) * 1000;
  const interval = options.pollIntervalMs ?? 2000;
  const parallel = options.parallelRequests ?? 8;
  try {
    await collection.target();
    collection.progress();
    yield* collection.drain();
    // Rounds in a row in which SSM failed to list invocations (after the SDK's own retries). A few are waited out;
    // past that every host still waiting gets an outcome saying so, and the run ends whole rather than cut.
    let failedRounds = 0;
    while (collection.following) {
      if (Date.now() > deadline) break;
      const ready: Ready[] = [];
      try {
        await collection.listRound(ready);
        failedRounds = 0;
      } catch (err) {
        if (++failedRounds < MAX_FAILED_ROUNDS) {
          await sleep(interval);
          continue;
        }
        collection.giveUp(ready, err);
      }
      // Payloads a few requests at a time; finished hosts are handed on every few dozen, so however many answer at
      // once, only that many snapshots are held.
      for (let i = 0; i < ready.length; i += parallel * 4) {
        await pool(ready.slice(i, i + parallel * 4), parallel, (r) => collection.fetch(r));
        yield* collection.drain();
      }
      await collection.requestChunks(ready);
      collection.progress();
      yield* collection.drain();
      if (collection.following) await sleep(interval);
    }
    collection.expire();
    collection.progress();
    yield* collection.drain();
  } finally {
    client.destroy();
  }
}

function snapshotOf(text: string, host: Host, options: SsmOptions): Snapshot {
  let doc: Snapshot;
  try {
    doc = JSON.parse(text) as Snapshot;
  } catch (err) {
    throw new PayloadError('bad-payload', `the snapshot is not JSON: ${(err as Error).message.split(',')[0]}`);
  }
  if (doc?.brsec !== 'snapshot/1') throw new PayloadError('bad-payload', 'the payload is not a brsec snapshot/1');
  // The host is who SSM says it is, and nothing the host claims: the script inside a container cannot know its
  // instance id, and a compromised host must not pick its account (Security Hub skips other accounts) or tags
  // (waivers can be scoped by tag). Tags come only from the targets SSM resolved it by, where one value was asked.
  const tags = Object.fromEntries(
    (options.targets ?? [])
      .filter((t) => t.Key.startsWith('tag:') && t.Values.length === 1)
      .map((t) => [t.Key.slice(4), t.Values[0] as string]),
  );
  doc.host = {
    id: host.id,
    region: options.region,
    ...(host.name ? { name: host.name } : {}),
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
  };
  doc.collector = { ...(doc.collector ?? {}), name: 'brsec', version: brsecVersion(), via: 'ssm', commandId: host.commandId };
  if (wasCut(text)) throw new PayloadError('output-cut', 'the snapshot ends with the SSM truncation marker');
  return doc;
}

type S3Reader = (where: { bucket: string; prefix: string }, commandId: string, instanceId: string, fallback: string) => Promise<string>;

async function makeS3(options: SsmOptions): Promise<S3Reader> {
  const s3 = await import('@aws-sdk/client-s3');
  const client = new s3.S3Client({
    region: options.region,
    ...(options.profile ? { profile: options.profile } : {}),
    ...retrySettings(),
    ...options.s3ClientConfig,
  });
  return async (where, commandId, instanceId) => {
    // Run Command's layout: <prefix>/<command id>/<instance id>/awsrunShellScript/0.awsrunShellScript/stdout
    const key = [where.prefix.replace(/\/+$/, ''), commandId, instanceId, 'awsrunShellScript', '0.awsrunShellScript', 'stdout']
      .filter(Boolean)
      .join('/');
    const object = await client.send(new s3.GetObjectCommand({ Bucket: where.bucket, Key: key }));
    return (await object.Body?.transformToString('utf8')) ?? '';
  };
}
