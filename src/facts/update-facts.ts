// The update facts (`apiclient update check`): the update state, the running release and the releases newer than it.
import { parseUpdateStatus, type UpdateStatus } from './apiclient.js';
import { CAPTURE } from './captures.js';
import { define, found, missing } from './definition.js';

/** Numeric semver order, ignoring a leading "v" and any pre-release suffix. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) =>
    v
      .replace(/^v/, '')
      .split(/[.+-]/)
      .slice(0, 3)
      .map((p) => Number.parseInt(p, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

const newerOf = new WeakMap<UpdateStatus, string[]>();
/** Worked out once per parsed status, which hosts with the same `apiclient update check` output share. */
function newerReleases(status: UpdateStatus): string[] {
  let newer = newerOf.get(status);
  if (!newer) newerOf.set(status, (newer = newerThan(status.availableUpdates, status.activeVersion as string)));
  return newer;
}

/** The available releases newer than the running one, newest first. */
function newerThan(available: readonly string[], running: string): string[] {
  return available.filter((v) => compareVersions(v, running) > 0).sort((a, b) => compareVersions(b, a));
}

export const UPDATES = define({
  key: 'required',
  keyDoc: '`state`, `newerReleases`, `activeVersion`',
  valueDoc: 'from `apiclient update check`: the update state; the available releases newer than the running one; the running release',
  // `apiclient get /updates/status` is the last known status, without the refresh `update check` asks for.
  captures: [CAPTURE.updateCheck, 'apiclient get /updates/status'],
  allowEmpty: false,
  parse: parseUpdateStatus,
  select: (status: UpdateStatus, key) => {
    switch (key) {
      case 'state':
        return found(status.updateState);
      case 'newerReleases':
        return status.activeVersion === null ? missing : found(newerReleases(status));
      case 'activeVersion':
        return status.activeVersion === null ? missing : found(status.activeVersion);
      default:
        return missing;
    }
  },
  describe: (key) =>
    key === 'newerReleases' ? 'releases newer than the running one' : key === 'state' ? 'update state' : `update ${key ?? 'status'}`,
});
