// `brsec collect --api-socket`: HTTP over the Bottlerocket API's Unix socket, against a stand-in server.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFromApiSocket, detectInput, planScan, loadCatalog, scanHost } from '../src/index.js';
import { FIPS_REPORT } from './helpers/fips.js';
import { brsec, brsecAsync, fixturesDir } from './helpers/cli.js';

const sample = JSON.parse(readFileSync(join(fixturesDir, 'samples', 'snapshots', 'k8s-stock-full.json'), 'utf8'));
const get = JSON.parse(sample.captures['apiclient get'].stdout);
let server: Server;
let socket: string;
const requests: string[] = [];
/** The variant the stand-in reports; a FIPS variant also serves bloodhound's FIPS report. */
let variant = get.os.variant_id as string;

beforeAll(async () => {
  socket = join(mkdtempSync(join(tmpdir(), 'brsec-api-')), 'api.sock');
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405, 'read-only stand-in');
    switch (req.url) {
      case '/?prefix=os.':
        return send(200, JSON.stringify({ os: { ...get.os, variant_id: variant } }));
      case '/report/fips?format=json':
        return variant.endsWith('-fips') ? send(200, FIPS_REPORT) : send(500, 'Failed to generate report, exit code: 2');
      case '/?prefix=settings.':
        return send(200, JSON.stringify({ settings: get.settings }));
      case '/updates/status':
        return send(200, sample.captures['apiclient update check'].stdout);
      case '/report/cis?type=bottlerocket&format=json&level=2':
        return send(200, sample.captures['apiclient report cis -f json -l 2'].stdout.trim());
      case '/report/cis?type=kubernetes&format=json&level=2':
        return send(500, 'Failed to generate report, exit code: 1, stderr: no kubelet');
      default:
        return send(404, 'not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('API socket collector', () => {
  it('writes a snapshot from the settings and os prefixes, the update status and the CIS reports, with read-only requests', async () => {
    const snapshot = await collectFromApiSocket({ socketPath: socket });
    expect(requests.every((r) => r.startsWith('GET '))).toBe(true);
    expect(snapshot.host).toEqual({ id: 'i-0a1b2c3d4e5f67890', name: get.settings.network.hostname });
    expect(snapshot.collector).toMatchObject({ via: 'api-socket' });
    expect(JSON.parse(snapshot.captures['apiclient get']!.stdout)).toEqual({ os: get.os, settings: get.settings });
    expect(snapshot.captures['apiclient get /updates/status']!.exitCode).toBe(0);
    // A report the API could not make is recorded with why, not dropped.
    expect(snapshot.captures['apiclient report cis-k8s -f json -l 2']).toMatchObject({
      exitCode: 1,
      stderr: expect.stringContaining('HTTP 500'),
    });
    // brsec reaches the same verdicts as from the sample's API captures, for what the API shows.
    const plan = planScan(loadCatalog(), { profiles: ['all'] });
    const mine = scanHost(detectInput(JSON.stringify(snapshot), { source: 'socket' }), plan).results;
    const onlyApi = {
      ...sample,
      captures: Object.fromEntries(
        ['apiclient get', 'apiclient update check', 'apiclient report cis -f json -l 2'].map((k) => [k, sample.captures[k]]),
      ),
    };
    const reference = scanHost(detectInput(JSON.stringify(onlyApi), { source: 'sample' }), plan).results;
    for (const r of reference) expect(mine.find((m) => m.id === r.id)?.status, r.id).toBe(r.status);
  });

  it("asks for bloodhound's FIPS report on a FIPS variant only", async () => {
    const plain = await collectFromApiSocket({ socketPath: socket });
    expect(plain.captures['apiclient report fips -f json']).toBeUndefined();
    expect(requests).not.toContain('GET /report/fips?format=json');
    variant = 'aws-k8s-1.30-fips';
    try {
      const fips = await collectFromApiSocket({ socketPath: socket });
      expect(requests).toContain('GET /report/fips?format=json');
      expect(fips.captures['apiclient report fips -f json']).toEqual({ stdout: `${FIPS_REPORT}\n`, exitCode: 0 });
      const results = scanHost(
        detectInput(JSON.stringify(fips), { source: 'socket' }),
        planScan(loadCatalog(), { profiles: ['fips'] }),
      ).results;
      expect(Object.fromEntries(results.map((r) => [r.id, r.status]))).toMatchObject({
        'BRSEC-fips-mode': 'PASS',
        'BRSEC-fips-report': 'PASS',
      });
    } finally {
      variant = get.os.variant_id;
    }
  });

  it('the CLI writes the snapshot to a file, and an unreachable socket is one line with exit 2', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'brsec-api-out-')), 'host.json');
    const result = await brsecAsync(['collect', '--api-socket', socket, '--out', out]);
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).brsec).toBe('snapshot/1');
    expect(brsec(['scan', out, '--profile', 'cis-bottlerocket', '-f', 'json']).code).toBe(1);
    // `--out -` is standard output, for a pipe straight into a scan.
    const piped = await brsecAsync(['collect', '--api-socket', socket, '--out', '-']);
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout).brsec).toBe('snapshot/1');
    const ssmToStdout = brsec(['collect', '--ssm', '--out', '-', '--region', 'us-west-2']);
    expect(ssmToStdout.code).toBe(2);
    expect(ssmToStdout.stderr).toContain('--output must be a folder');
    const missing = brsec(['collect', '--api-socket', '/nonexistent/api.sock']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('no such socket');
  });
});
