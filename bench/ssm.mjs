#!/usr/bin/env node
// SSM fleet harness: `brsec collect --ssm` against the loopback stand-in (test/helpers/fake-aws.mjs) with a
// latency per invocation and a service-side throttle (a token bucket, ThrottlingException when empty), and
// compares the wall time with the least time that rate allows for the requests a collection needs at minimum:
// DescribeInstanceInformation and SendCommand per 50 hosts, one ListCommandInvocations page per 50 hosts, and
// one GetCommandInvocation per host. Peak memory is measured for two fleet sizes.
// Usage: node bench/ssm.mjs [--hosts 1000] [--rps 20] [--latency 300] [--small 250]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchOptions } from './options.mjs';
import { FakeAws } from '../test/helpers/fake-aws.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const options = benchOptions({
  hosts: { type: 'string', default: '1000' },
  rps: { type: 'string', default: '20' },
  latency: { type: 'string', default: '300' },
  small: { type: 'string', default: '250' },
});
const hosts = Number(options.hosts);
const rps = Number(options.rps);
const latency = Number(options.latency);
const small = Number(options.small);
const samples = ['k8s-stock-full.json', 'ecs-gaps.json'].map((f) => JSON.parse(readFileSync(join(root, 'examples', f), 'utf8')));

async function collect(count) {
  const fake = new FakeAws({ latencyMs: latency, requestsPerSecond: rps, notYetVisibleMs: 50 });
  for (let n = 0; n < count; n++)
    fake.addNode({ id: `i-${n.toString(16).padStart(17, '0')}`, name: `node-${n}`, snapshot: samples[n % 2] });
  await fake.start();
  const out = mkdtempSync(join(tmpdir(), 'brsec-ssm-bench-'));
  const started = performance.now();
  const result = await new Promise((resolve) => {
    const child = spawn(
      '/usr/bin/time',
      [
        '-f',
        '%M',
        process.execPath,
        join(root, 'bin', 'brsec.cjs'),
        'collect',
        '--ssm',
        '--out',
        out,
        '--poll-interval',
        '1',
        '--wait',
        '600',
      ],
      {
        env: {
          ...process.env,
          AWS_ENDPOINT_URL_SSM: `${fake.url}/ssm`,
          AWS_ACCESS_KEY_ID: 'AKIDBENCH',
          AWS_SECRET_ACCESS_KEY: 'bench',
          AWS_REGION: 'us-west-2',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          HOME: out,
        },
      },
    );
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stderr }));
  });
  const seconds = (performance.now() - started) / 1000;
  const rssMb = Number(result.stderr.trim().split('\n').at(-1)) / 1024;
  const files = readdirSync(out).filter((f) => f.endsWith('.json') && !f.startsWith('.')).length;
  const calls = fake.calls.length;
  const throttled = fake.throttled;
  await fake.stop();
  rmSync(out, { recursive: true, force: true });
  const batches = Math.ceil(count / 50);
  const minimum = batches * 3 + count;
  return { count, seconds, rssMb, files, calls, minimum, least: minimum / rps + latency / 1000, code: result.code, throttled };
}

console.log(`SSM collection: latency ${latency} ms per invocation, service throttle ${rps} requests/s, ${process.version}`);
for (const count of [small, hosts]) {
  const r = await collect(count);
  console.log(
    `  ${String(r.count).padStart(5)} hosts: ${r.seconds.toFixed(1)} s (least the rate allows: ${r.least.toFixed(1)} s for ${r.minimum} requests) = ${(r.seconds / r.least).toFixed(2)}x; ` +
      `${r.calls} requests sent (${r.throttled} throttled), ${r.files} snapshots, peak RSS ${r.rssMb.toFixed(0)} MB, exit ${r.code}`,
  );
}
