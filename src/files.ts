// Writing files that hold host data (snapshots, reports, launch template user data): readable by their owner only,
// and whole or not at all, as a temporary file flushed to disk and renamed over the target.
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Files brsec writes can hold secrets a host had (settings, user data): owner only. */
export const PRIVATE_MODE = 0o600;

/** Flushes a file's data to disk, so a rename over the target never leaves an empty file after a crash. */
export async function flushToDisk(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes a file so that a reader never sees half of it, mode 0600, flushed before it replaces the target. */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
  const handle = await open(temp, 'wx', PRIVATE_MODE);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(temp).catch(() => {});
    throw err;
  }
  await handle.close();
  await rename(temp, path);
}
