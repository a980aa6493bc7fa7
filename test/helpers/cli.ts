import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const bin = join(repoRoot, 'bin', 'brsec.cjs');
export const sharedDir = join(repoRoot, '..', 'shared');

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
