// Fleets over SSM Run Command: the real @aws-sdk/client-ssm against a loopback stand-in with limits and faults.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterEach, describe, expect, it } from 'vitest';
import { collectOverSsm, detectInput, loadCatalog, planScan, scanHost, type HostOutcome, type SsmOptions } from '../src/index.js';
import { FakeAws, type Behavior } from './helpers/fake-aws.mjs';
import { chunkCommand, decodePayload, PayloadError } from '../src/collect/payload.js';
import { gzipSync } from 'node:zlib';
import { brsecAsync, repoRoot, fixturesDir, standInEnv } from './helpers/cli.js';

const script = readFileSync(join(repoRoot, 'data', 'capture.sh'), 'utf8');
const samples = ['k8s-stock-full.json', 'ecs-gaps.json'].map((f) =>
  JSON.parse(readFileSync(join(fixturesDir, 'samples', 'snapshots', f), 'utf8')),
);
const id = (n: number) => `i-${n.toString(16).padStart(17, '0')}`;
let fake: FakeAws | undefined;

afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

/** A node's snapshot: a sample, with its own identity; "big" ones print far beyond SSM's output limit. */
function snapshotFor(n: number, big: boolean, extraBytes = 30_000): Record<string, any> {
  const snapshot = structuredClone(samples[n % 2]);
  snapshot.host = { id: `placeholder-${n}` };
  if (big) snapshot.captures['iptables -L -v -n'].stdout += randomBytes(extraBytes).toString('base64') + '\n';
  return snapshot;
}

function fleet(
  size: number,
  behaviors: Partial<Record<Behavior | 'big', number>>,
  options: ConstructorParameters<typeof FakeAws>[0] = {},
): FakeAws {
  const f = new FakeAws({ latencyMs: 15, notYetVisibleMs: 10, ...options });
  const plan: (Behavior | 'big')[] = [];
  for (const [behavior, count] of Object.entries(behaviors)) for (let i = 0; i < (count ?? 0); i++) plan.push(behavior as Behavior | 'big');
  for (let n = 0; n < size; n++) {
    const kind = plan[n] ?? 'ok';
    f.addNode({
      id: id(n),
      name: `ip-10-0-${n >> 8}-${n & 255}.ec2.internal`,
      tags: { cluster: n % 4 === 0 ? 'prod' : 'dev' },
      behavior: kind === 'big' ? 'ok' : kind,
      snapshot: snapshotFor(n, kind === 'big'),
    });
  }
  return f;
}

function ssmOptions(f: FakeAws, extra: Partial<SsmOptions> = {}): SsmOptions {
  return {
    script,
    region: 'us-west-2',
    pollIntervalMs: 20,
    waitSeconds: 4,
    clientConfig: {
      endpoint: `${f.url}/ssm`,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
      // Throttles are retried at once in tests; the classification is still the SDK's.
      retryStrategy: new ConfiguredRetryStrategy(12, () => 1),
    },
    s3ClientConfig: { endpoint: `${f.url}/s3`, forcePathStyle: true, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } },
    ...extra,
  };
}

async function all(options: SsmOptions): Promise<HostOutcome[]> {
  const out: HostOutcome[] = [];
  for await (const outcome of collectOverSsm(options)) out.push(outcome);
  return out;
}

const plan = planScan(loadCatalog(), { profiles: ['all'] });
const verdicts = (snapshot: object) =>
  scanHost(detectInput(JSON.stringify(snapshot), { source: 'x' }), plan).results.map((r) => `${r.id}=${r.status}`);

describe('SSM collector', () => {
  it(
    '200 hosts, 5% of calls throttled, faults of every kind: each host ends with its snapshot or why not',
    { timeout: 60_000 },
    async () => {
      fake = await fleet(
        200,
        { undeliverable: 8, never: 4, failed: 4, cut: 3, delayed: 5, 'delivery-timeout': 3, terminated: 3, big: 12 },
        { throttleRate: 0.05, serverErrorRate: 0.01 },
      ).start();
      const outcomes = await all(ssmOptions(fake));
      expect(outcomes.map((o) => o.id).sort()).toEqual([...fake.nodes.keys()].sort());
      const byReason = (reason: string) => outcomes.filter((o) => o.state === 'failed' && o.reason === reason).length;
      expect(byReason('undeliverable')).toBe(8);
      expect(byReason('no-answer')).toBe(4);
      expect(byReason('failed')).toBe(4);
      expect(byReason('output-cut')).toBe(3);
      expect(byReason('delivery-timed-out')).toBe(3);
      expect(byReason('terminated')).toBe(3);
      const snapshots = outcomes.filter((o): o is Extract<HostOutcome, { state: 'snapshot' }> => o.state === 'snapshot');
      expect(snapshots).toHaveLength(200 - 25);
      for (const o of snapshots) {
        const node = fake.nodes.get(o.id)!;
        expect(o.snapshot.host).toMatchObject({ id: o.id, name: node.name, region: 'us-west-2' });
        expect(o.snapshot.captures).toEqual((node.snapshot as any).captures);
        // The same verdicts as scanning the node's snapshot from a file.
        expect(verdicts(o.snapshot)).toEqual(verdicts({ ...(node.snapshot as object), host: { id: o.id } }));
      }
      // Limits kept, and progress followed per 50 hosts rather than with a waiter per host.
      expect(fake.maxInstanceIdsPerCall).toBeLessThanOrEqual(50);
      expect(fake.count('DescribeInstanceInformation')).toBeGreaterThanOrEqual(4);
      expect(fake.count('GetCommandInvocation')).toBeLessThan(2 * 200);
    },
  );

  it(
    "never puts what a host printed into commands: a forged payload header is bad-payload, and other hosts' follow-ups stay brsec's own",
    { timeout: 30_000 },
    async () => {
      const f = new FakeAws({ latencyMs: 15, notYetVisibleMs: 10 });
      // The forged host comes first, so it would head the batch of hosts whose second chunk is fetched together.
      f.addNode({ id: id(0), behavior: 'forged-header', snapshot: snapshotFor(0, true) });
      for (let n = 1; n < 5; n++) f.addNode({ id: id(n), snapshot: snapshotFor(n, true) });
      fake = await f.start();
      const outcomes = await all(ssmOptions(fake));
      expect(outcomes.find((o) => o.id === id(0))).toMatchObject({ state: 'failed', reason: 'bad-payload' });
      expect(outcomes.filter((o) => o.state === 'snapshot')).toHaveLength(4);
      expect(fake.commandsSent.length).toBeGreaterThan(1);
      for (const sent of fake.commandsSent) expect(sent.text).not.toContain('pwned');
      // And the command builder itself refuses a run id that is not brsec's kind.
      const header = { format: 'gzip+base64' as const, length: 50_000, chunks: 3, chunkSize: 23_000, run: 'x;touch${IFS}/tmp/pwned;#' };
      expect(() => chunkCommand(header, 1)).toThrow('unsafe chunk command');
      expect(chunkCommand({ ...header, run: '0a1b2c3d4e5f' }, 2)).toContain('cut -c 46001-69000 /tmp/brsec-0a1b2c3d4e5f.b64; rm -f');
      // A payload that inflates beyond the limit (a gzip bomb) is bad-payload, not the auditor's memory.
      const bomb = gzipSync(Buffer.alloc(100_000)).toString('base64');
      const bombHeader = { format: 'gzip+base64' as const, length: bomb.length, chunks: 1, chunkSize: 23_000, run: 'r' };
      expect(() => decodePayload(bombHeader, [bomb], 10_000)).toThrow(PayloadError);
      expect(decodePayload(bombHeader, [bomb], 200_000)).toHaveLength(100_000);
    },
  );

  it(
    "takes a host's identity from SSM, never from the host: its claimed account and tags are dropped, tags come from the targets",
    { timeout: 30_000 },
    async () => {
      fake = await fleet(8, {}).start();
      for (const node of fake.nodes.values())
        (node.snapshot as any).host = { id: 'i-forged', accountId: '999999999999', tags: { env: 'lab', cluster: 'prod' } };
      const outcomes = await all(ssmOptions(fake, { targets: [{ Key: 'tag:cluster', Values: ['prod'] }] }));
      const snapshots = outcomes.filter((o): o is Extract<HostOutcome, { state: 'snapshot' }> => o.state === 'snapshot');
      expect(snapshots.length).toBe(2);
      for (const o of snapshots)
        expect(o.snapshot.host).toEqual({ id: o.id, region: 'us-west-2', name: fake.nodes.get(o.id)!.name, tags: { cluster: 'prod' } });
      const byId = await all(ssmOptions(fake, { instanceIds: [id(1)] }));
      expect((byId[0] as Extract<HostOutcome, { state: 'snapshot' }>).snapshot.host).toEqual({
        id: id(1),
        region: 'us-west-2',
        name: fake.nodes.get(id(1))!.name,
      });
    },
  );

  it(
    "fetches the chunks of hosts with payloads of different sizes: only a host's own last chunk removes its payload",
    { timeout: 30_000 },
    async () => {
      const f = new FakeAws({ latencyMs: 15, notYetVisibleMs: 10 });
      // Two chunks for the first host, more for the others: the second chunk is the first host's last, not theirs.
      f.addNode({ id: id(0), snapshot: snapshotFor(0, true, 20_000) });
      for (let n = 1; n < 4; n++) f.addNode({ id: id(n), snapshot: snapshotFor(n, true, 90_000) });
      fake = await f.start();
      const outcomes = await all(ssmOptions(fake));
      expect(outcomes.map((o) => `${o.id}:${o.state}`).sort()).toEqual([0, 1, 2, 3].map((n) => `${id(n)}:snapshot`));
      for (const node of fake.nodes.values()) expect((node as { kept?: Map<string, string> }).kept?.size ?? 0).toBe(0);
    },
  );

  it(
    'hosts by instance id: ids SSM does not manage and nodes that are not Bottlerocket get their outcome',
    { timeout: 30_000 },
    async () => {
      fake = await fleet(6, {}).start();
      fake.nodes.get(id(1))!.platform = 'Amazon Linux';
      fake.nodes.get(id(2))!.managed = false;
      fake.nodes.get(id(3))!.ping = 'ConnectionLost';
      const outcomes = await all(ssmOptions(fake, { instanceIds: [id(0), id(1), id(2), id(3), id(4), 'i-0000000000000dead'] }));
      const reason = (i: string) => outcomes.find((o) => o.id === i);
      expect(reason(id(0))?.state).toBe('snapshot');
      expect(reason(id(1))).toMatchObject({ state: 'failed', reason: 'not-bottlerocket' });
      expect(reason(id(2))).toMatchObject({ state: 'failed', reason: 'not-managed' });
      expect(reason('i-0000000000000dead')).toMatchObject({ state: 'failed', reason: 'not-managed' });
      expect(reason(id(3))).toMatchObject({ state: 'failed', reason: 'offline' });
      expect(outcomes).toHaveLength(6);
    },
  );

  it('a tag fan-out whose command is over before SSM lists its invocations still reaches every host', { timeout: 30_000 }, async () => {
    // Eventual consistency: the invocations are listed only 150 ms after the command, which is over in 5 ms.
    fake = await fleet(12, {}, { latencyMs: 5, notYetVisibleMs: 150 }).start();
    const outcomes = await all(ssmOptions(fake, { targets: [{ Key: 'tag:cluster', Values: ['prod'] }] }));
    expect(outcomes.map((o) => `${o.id}:${o.state}`).sort()).toEqual([0, 4, 8].map((n) => `${id(n)}:snapshot`));
  });

  it('hosts by tag go out through SSM fan-out in one command; a node that is not Bottlerocket says so', { timeout: 30_000 }, async () => {
    fake = await fleet(40, {}).start();
    fake.nodes.get(id(4))!.platform = 'Ubuntu';
    const outcomes = await all(ssmOptions(fake, { targets: [{ Key: 'tag:cluster', Values: ['prod'] }] }));
    expect(fake.count('SendCommand')).toBe(1);
    expect(outcomes.map((o) => o.id).sort()).toEqual(
      [...fake.nodes.values()]
        .filter((n) => n.tags?.cluster === 'prod')
        .map((n) => n.id)
        .sort(),
    );
    expect(outcomes.find((o) => o.id === id(4))).toMatchObject({ state: 'failed', reason: 'not-bottlerocket' });
    expect(outcomes.filter((o) => o.state === 'snapshot')).toHaveLength(9);
  });

  it('reads payloads from S3 with --s3-output, so no follow-up commands are needed for large ones', { timeout: 30_000 }, async () => {
    fake = await fleet(6, { big: 3 }).start();
    const outcomes = await all(ssmOptions(fake, { s3Output: { bucket: 'audit-bucket', prefix: 'brsec/runs' } }));
    expect(outcomes.every((o) => o.state === 'snapshot')).toBe(true);
    expect(fake.count('SendCommand')).toBe(1);
    expect([...fake.objects.keys()].every((k) => k.startsWith('audit-bucket/brsec/runs/'))).toBe(true);
  });
});

describe('brsec scan --ssm and collect --ssm', () => {
  const env = (f: FakeAws) => standInEnv(f.url);

  // The CLI's own client: adaptive retries, which slow the whole run down after each throttle (about 30 s here).
  it(
    'scans 200 hosts as they arrive, 5% of calls throttled: healthy hosts get their verdicts, the rest are in the report',
    { timeout: 240_000 },
    async () => {
      fake = await fleet(200, { undeliverable: 6, big: 10, failed: 2 }, { throttleRate: 0.05 }).start();
      const result = await brsecAsync(['scan', '--ssm', '-f', 'json', '--profile', 'all', '--poll-interval', '0.02', '--wait', '200'], {
        env: env(fake),
      });
      expect(result.stderr).not.toContain('internal error');
      const report = JSON.parse(result.stdout);
      expect(result.code).toBe(2);
      expect(report.hosts).toHaveLength(192);
      expect(report.inputErrors).toHaveLength(8);
      expect(report.inputErrors.filter((e: any) => e.message.startsWith('undeliverable'))).toHaveLength(6);
      expect(fake.throttled).toBeGreaterThan(0);
      for (const host of report.hosts) {
        const node = fake.nodes.get(host.host.id)!;
        expect(host.results.map((r: any) => `${r.id}=${r.status}`)).toEqual(
          verdicts({ ...(node.snapshot as object), host: { id: host.host.id } }),
        );
      }
    },
  );

  it('collect writes one snapshot file per host and every outcome', { timeout: 60_000 }, async () => {
    fake = await fleet(12, { undeliverable: 2, big: 2 }).start();
    const out = mkdtempSync(join(tmpdir(), 'brsec-collect-'));
    const result = await brsecAsync(['collect', '--ssm', '--out', out, '--poll-interval', '0.02', '--wait', '10'], { env: env(fake) });
    expect(result.code).toBe(3);
    expect(readdirSync(out).filter((f) => f.endsWith('.json') && !f.startsWith('.'))).toHaveLength(10);
    const outcomes = JSON.parse(readFileSync(join(out, '.brsec-outcomes.json'), 'utf8')).hosts;
    expect(outcomes).toHaveLength(12);
    expect(outcomes.filter((o: any) => o.outcome === 'undeliverable')).toHaveLength(2);
    expect(result.stderr).toContain('10 snapshot(s)');
  });

  it(
    'an SSM outage while hosts are followed gives every host an outcome, a whole report and an outcomes file',
    { timeout: 60_000 },
    async () => {
      fake = await fleet(6, {}).start();
      // Every command goes out, then SSM answers 500 to every listing (past the SDK's retries).
      fake.down.add('ListCommandInvocations');
      // One attempt per call, so the test does not wait out the SDK's back-off; the rounds brsec waits out are its own.
      const outageEnv = standInEnv(fake.url, { AWS_MAX_ATTEMPTS: '1', AWS_RETRY_MODE: 'standard' });
      const json = await brsecAsync(['scan', '--ssm', '-f', 'json', '--poll-interval', '0.02', '--wait', '60'], { env: outageEnv });
      const report = JSON.parse(json.stdout);
      expect(report.inputErrors).toHaveLength(6);
      for (const problem of report.inputErrors)
        expect(problem.message).toMatch(/^service-error: SSM kept failing while the commands were followed/);
      expect(json.code).toBe(2);
      expect(json.stderr).not.toMatch(/^brsec: internal error/m);
      const out = mkdtempSync(join(tmpdir(), 'brsec-collect-outage-'));
      const collected = await brsecAsync(['collect', '--ssm', '--out', out, '--poll-interval', '0.02', '--wait', '60'], { env: outageEnv });
      expect(collected.code).toBe(3);
      const outcomes = JSON.parse(readFileSync(join(out, '.brsec-outcomes.json'), 'utf8')).hosts;
      expect(outcomes.map((o: { outcome: string }) => o.outcome)).toEqual(Array(6).fill('service-error'));
    },
  );

  it('AWS problems are one line with what to look at, and exit code 4', async () => {
    const home = mkdtempSync(join(tmpdir(), 'brsec-home-'));
    const base = {
      HOME: home,
      AWS_REGION: 'us-west-2',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:9/ssm',
      AWS_RETRY_MODE: 'standard',
      AWS_MAX_ATTEMPTS: '1',
    };
    const noCredentials = await brsecAsync(['scan', '--ssm'], {
      env: { ...base, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_PROFILE: undefined },
    });
    // brsec's own line; on Node 20 the SDK's notice that its releases from 2027 need Node 22 comes before it, unhidden.
    const brsecLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('brsec:'));
    const sdkNotice = Number(process.versions.node.split('.')[0]) < 22;
    expect(noCredentials.code).toBe(4);
    expect(brsecLines(noCredentials.stderr)).toEqual([expect.stringMatching(/^brsec: AWS: no usable credentials .*--aws-profile/)]);
    expect(noCredentials.stderr.includes('NodeVersionSupportWarning')).toBe(sdkNotice);
    const refused = await brsecAsync(['scan', '--ssm'], { env: { ...base, AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' } });
    expect(refused.code).toBe(4);
    expect(brsecLines(refused.stderr)).toEqual([expect.stringMatching(/^brsec: AWS: cannot reach the service \(.*ECONNREFUSED/)]);
  });

  it('rejects bad SSM options in one line', async () => {
    const result = await brsecAsync(['scan', '--ssm', '--target', 'cluster=prod'], { env: { AWS_REGION: 'us-west-2' } });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('brsec: --target cluster=prod: expected tag:Key=Value');
  });
});
