// Collects a snapshot from the Bottlerocket API over its Unix socket, with Node's own http: what `apiclient get`,
// `apiclient get /updates/status` and the CIS reports would print, without apiclient. Read-only requests only.
import { http } from '../builtins.js';
import { hostname } from 'node:os';
import { InputError } from '../errors.js';
import type { Capture, Snapshot } from '../types.js';
import { brsecVersion } from '../version.js';

export interface ApiSocketOptions {
  socketPath: string;
  /** Host id for the snapshot; by default the instance id from kubernetes.provider-id, else the hostname. */
  hostId?: string;
  /** Milliseconds to wait for each response (the CIS reports run bloodhound and take a few seconds). */
  timeoutMs?: number;
  now?: () => Date;
}

interface Response {
  status: number;
  body: string;
}

function get(socketPath: string, path: string, timeoutMs: number): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http().request({ socketPath, path, method: 'GET', headers: { accept: 'application/json' }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

function captureOf(response: Response, path: string): Capture {
  if (response.status >= 200 && response.status < 300)
    return { stdout: response.body.endsWith('\n') ? response.body : `${response.body}\n`, exitCode: 0 };
  return { stdout: '', exitCode: 1, stderr: `GET ${path}: HTTP ${response.status}: ${response.body.trim().slice(0, 500)}` };
}

function problemOf(err: unknown, socketPath: string): InputError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such socket (run where the API socket is mounted: the admin container, or a pod that mounts /run/api.sock)'
      : code === 'EACCES'
        ? 'permission denied (the socket belongs to root, group api)'
        : code === 'ECONNREFUSED'
          ? 'connection refused (the API server is not listening)'
          : (err as Error).message;
  return new InputError(socketPath, why);
}

/** One snapshot of the API's view of the host. A socket that cannot be reached is an InputError. */
export async function collectFromApiSocket(options: ApiSocketOptions): Promise<Snapshot> {
  const { socketPath } = options;
  const timeout = options.timeoutMs ?? 60_000;
  const captures: Record<string, Capture> = {};
  const fetch = async (path: string): Promise<Response> => {
    try {
      return await get(socketPath, path, timeout);
    } catch (err) {
      throw problemOf(err, socketPath);
    }
  };
  // `apiclient get`: the os and settings prefixes, merged.
  const [os, settings] = await Promise.all([fetch('/?prefix=os.'), fetch('/?prefix=settings.')]);
  let variant = '';
  let providerId: string | undefined;
  let name: string | undefined;
  if (os.status === 200 && settings.status === 200) {
    try {
      const merged = { ...(JSON.parse(os.body) as object), ...(JSON.parse(settings.body) as object) } as {
        os?: { variant_id?: string };
        settings?: { kubernetes?: { 'provider-id'?: string }; network?: { hostname?: string } };
      };
      variant = merged.os?.variant_id ?? '';
      providerId = merged.settings?.kubernetes?.['provider-id'];
      name = merged.settings?.network?.hostname;
      captures['apiclient get'] = { stdout: `${JSON.stringify(merged, null, 2)}\n`, exitCode: 0 };
    } catch {
      captures['apiclient get'] = { stdout: '', exitCode: 1, stderr: 'the API answered with text that is not JSON' };
    }
  } else {
    captures['apiclient get'] = captureOf(os.status === 200 ? settings : os, os.status === 200 ? '/?prefix=settings.' : '/?prefix=os.');
  }
  // Reads the last known update status; it does not ask for a refresh (`apiclient update check` would).
  captures['apiclient get /updates/status'] = captureOf(await fetch('/updates/status'), '/updates/status');
  captures['apiclient report cis -f json -l 2'] = captureOf(
    await fetch('/report/cis?type=bottlerocket&format=json&level=2'),
    '/report/cis?type=bottlerocket&format=json&level=2',
  );
  if (/k8s/.test(variant)) {
    const path = '/report/cis?type=kubernetes&format=json&level=2';
    captures['apiclient report cis-k8s -f json -l 2'] = captureOf(await fetch(path), path);
  }
  // bloodhound's FIPS checks exist on FIPS variants only.
  if (/-fips$/.test(variant))
    captures['apiclient report fips -f json'] = captureOf(await fetch('/report/fips?format=json'), '/report/fips?format=json');
  const instance = providerId ? /\/(i-[0-9a-f]+)$/.exec(providerId)?.[1] : undefined;
  const host: Snapshot['host'] = { id: options.hostId ?? instance ?? name ?? hostname() };
  if (name) host.name = name;
  return {
    brsec: 'snapshot/1',
    host,
    collectedAt: (options.now ?? (() => new Date()))().toISOString(),
    collector: { name: 'brsec', version: brsecVersion(), via: 'api-socket' },
    captures,
  };
}
