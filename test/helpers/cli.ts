import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect } from 'vitest';

export const repoRoot = join(import.meta.dirname, '..', '..');

/** A bundled example snapshot (path relative to the repository) changed by mutate, as JSON text. */
export function snapshotWith(mutate: (s: Record<string, any>) => void, from = 'examples/k8s-stock-full.json'): string {
  const snapshot = JSON.parse(readFileSync(join(repoRoot, from), 'utf8'));
  mutate(snapshot);
  return JSON.stringify(snapshot, null, 2);
}
export const bin = join(repoRoot, 'bin', 'brsec.cjs');
/** The test fixtures; samples/ holds copies of the project's shared samples, so tests read nothing outside the repository. */
export const fixturesDir = join(repoRoot, 'test', 'fixtures');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function brsec(args: string[], options: SpawnSyncOptions = {}): CliResult {
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...(options.env ?? {}) } as NodeJS.ProcessEnv;
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 28, ...options, env });
  return { code: result.status, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
}

/** Runs brsec without blocking this process, for tests whose stand-in servers live in it. */
export function brsecAsync(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): Promise<CliResult> {
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...(options.env ?? {}) } as NodeJS.ProcessEnv;
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? repoRoot, env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

/** One line on stderr naming the problem, exit code 2, and no stack trace. */
export function expectOneLineError(result: CliResult, ...parts: string[]): void {
  expect(result.code).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  for (const part of parts) expect(lines[0]).toContain(part);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

/** The environment a brsec process needs to reach the loopback AWS stand-in at `url`, and nothing else. */
export function standInEnv(url: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL_SSM: `${url}/ssm`,
    AWS_ENDPOINT_URL_SECURITYHUB: `${url}/securityhub`,
    AWS_ENDPOINT_URL_STS: `${url}/sts`,
    AWS_ENDPOINT_URL_INSPECTOR2: `${url}/inspector2`,
    AWS_ENDPOINT_URL_EC2: `${url}/ec2`,
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-west-2',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    HOME: mkdtempSync(join(tmpdir(), 'brsec-home-')),
    ...extra,
  };
}

/** A folder of the test file's own, made before its tests run: paths in it, and files written into it. */
export function scratchFolder(prefix = 'brsec-test-'): { path(name: string): string; write(name: string, body: string): string } {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  const path = (name: string) => join(dir, name);
  return {
    path,
    write(name, body) {
      writeFileSync(path(name), body);
      return path(name);
    },
  };
}

/** A snapshot whose `sysctl -a` failed and that has no bloodhound report: its sysctl checks are ERROR. */
export function unreadableSysctl(from: string): string {
  return snapshotWith((s) => {
    s.captures['sysctl -a'] = { stdout: '', exitCode: 1, stderr: 'denied' };
    delete s.captures['apiclient report cis -f json -l 2'];
  }, from);
}
