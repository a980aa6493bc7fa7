#!/usr/bin/env node
// Security Hub import harness: `brsec scan <dir> --security-hub` against the loopback stand-in, whose
// BatchImportFindings takes 10 requests a second with a burst of 30 (Security Hub's quota; over it, 429). Compares
// the wall time with the least time that quota allows for the findings (100 per request) and measures peak memory
// for two fleet sizes.
// Usage: node bench/security-hub.mjs [--findings 100000] [--small 30000] [--rps 10] [--burst 30]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchOptions } from './options.mjs';
import { FakeAws } from '../test/helpers/fake-aws.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const options = benchOptions({
  findings: { type: 'string', default: '100000' },
  small: { type: 'string', default: '30000' },
  rps: { type: 'string', default: '10' },
  burst: { type: 'string', default: '30' },
});
const findings = Number(options.findings);
const small = Number(options.small);
const rps = Number(options.rps);
const burst = Number(options.burst);
const sample = JSON.parse(readFileSync(join(root, 'examples', 'k8s-stock-full.json'), 'utf8'));
// Findings per host: every check of the default Kubernetes profiles that applies (not N/A).
const PER_HOST = 68;

async function run(target) {
  const hosts = Math.ceil(target / PER_HOST);
  const dir = mkdtempSync(join(tmpdir(), 'brsec-sh-bench-'));
  mkdirSync(join(dir, 'hosts'));
  for (let n = 0; n < hosts; n++) {
    const s = structuredClone(sample);
    s.host = { id: `i-${n.toString(16).padStart(17, '0')}`, accountId: '123456789012', region: 'us-west-2' };
    writeFileSync(join(dir, 'hosts', `${s.host.id}.json`), JSON.stringify(s));
  }
  const fake = new FakeAws({ accountId: '123456789012', importPerSecond: rps, importBurst: burst });
  await fake.start();
  const started = performance.now();
  const result = await new Promise((resolve) => {
    const child = spawn(
      '/usr/bin/time',
      [
        '-f',
        '%M',
        process.execPath,
        join(root, 'bin', 'brsec.cjs'),
        'scan',
        join(dir, 'hosts'),
        '--security-hub',
        '-f',
        'json',
        '-o',
        '/dev/null',
      ],
      {
        env: {
          ...process.env,
          AWS_ENDPOINT_URL_SECURITYHUB: `${fake.url}/securityhub`,
          AWS_ENDPOINT_URL_STS: `${fake.url}/sts`,
          AWS_ACCESS_KEY_ID: 'AKIDBENCH',
          AWS_SECRET_ACCESS_KEY: 'bench',
          AWS_REGION: 'us-west-2',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          HOME: dir,
        },
      },
    );
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stderr }));
  });
  const seconds = (performance.now() - started) / 1000;
  const lines = result.stderr.trim().split('\n');
  const rssMb = Number(lines.at(-1)) / 1024;
  const stored = fake.findings.size;
  const requests = Math.ceil(stored / 100);
  const least = Math.max(0, requests - burst) / rps;
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `  ${String(stored).padStart(6)} findings (${hosts} hosts): ${seconds.toFixed(1)} s; least the quota allows: ${least.toFixed(1)} s for ${requests} imports = ${(seconds / least).toFixed(2)}x; ` +
      `${fake.importCalls} import requests (${fake.shThrottled} throttled), largest ${fake.maxFindingsPerImport} findings, peak RSS ${rssMb.toFixed(0)} MB, exit ${result.code}`,
  );
  const summary = lines.find((l) => l.includes('Security Hub ('));
  if (summary) console.log(`    ${summary}`);
}

console.log(`Security Hub import: quota ${rps} requests/s, burst ${burst}, ${process.version}`);
await run(small);
await run(findings);
