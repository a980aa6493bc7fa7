// Where reports go: a stream (standard output), or a file that is replaced only once the whole report has been
// written. Nothing here exits the process or installs signal handlers: the CLI does, with removeUnfinishedReports.
import { createWriteStream, openSync, unlinkSync, type WriteStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { InputError, OutputClosedError } from '../errors.js';
import { flushToDisk, PRIVATE_MODE } from '../files.js';

export interface Sink {
  write(chunk: string | Uint8Array): Promise<void>;
  /** Finishes the output: renames the temporary file over the target. */
  commit(): Promise<void>;
  /** Drops a half-written output, leaving any existing file untouched. */
  abort(): Promise<void>;
  readonly isTTY: boolean;
}

async function writeTo(stream: NodeJS.WritableStream, chunk: string | Uint8Array): Promise<void> {
  if (chunk.length > 0 && !stream.write(chunk)) await once(stream, 'drain');
}

/** A write that failed, as the one-line error it is (a full disk, a closed file), never an internal error. */
function writeFailed(target: string, err: unknown): never {
  // A reader that stopped early (`brsec scan … | head`): the caller decides whether that is an error.
  if ((err as NodeJS.ErrnoException).code === 'EPIPE') throw new OutputClosedError(target);
  throw new InputError(target, `cannot write: ${(err as Error).message}`);
}

/** A stream that is written as the report is made: standard output by default. */
export function streamSink(stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout, name = 'standard output'): Sink {
  return {
    // Standard output to a file is written synchronously, so a full disk throws here rather than in an event.
    write: (chunk) => writeTo(stream, chunk).catch((err: unknown) => writeFailed(name, err)),
    commit: async () => {},
    abort: async () => {},
    isTTY: Boolean(stream.isTTY),
  };
}

/** What is at the target now: nothing, a file, a folder, or a device, pipe or socket (written in place). */
async function kindOf(target: string): Promise<'none' | 'file' | 'directory' | 'special'> {
  try {
    const info = await stat(target);
    return info.isFile() ? 'file' : info.isDirectory() ? 'directory' : 'special';
  } catch {
    return 'none';
  }
}

function fileStreamSink(stream: WriteStream, target: string, onCommit: () => Promise<void>, onAbort: () => Promise<void>): Sink {
  let failure: Error | undefined;
  stream.on('error', (err) => (failure = err));
  return {
    write: async (chunk) => {
      if (failure) writeFailed(target, failure);
      await writeTo(stream, chunk).catch((err: unknown) => writeFailed(target, err));
    },
    commit: async () => {
      stream.end();
      await once(stream, 'close').catch((err: unknown) => writeFailed(target, err));
      if (failure) writeFailed(target, failure);
      await onCommit();
    },
    abort: async () => {
      stream.destroy();
      await onAbort();
    },
    isTTY: false,
  };
}

/**
 * Temporary files of reports being written in this process: the process's own, not a scan's, as a signal ends every
 * scan at once. Each is removed when its report is committed or aborted.
 */
const inFlight = new Set<string>();

/**
 * Removes the temporary files of reports still being written (an existing file at a target is left as it was), for
 * a process that is stopped by a signal; returns how many there were.
 */
export function removeUnfinishedReports(): number {
  const count = inFlight.size;
  for (const temp of inFlight) {
    try {
      unlinkSync(temp);
    } catch {
      // Already gone.
    }
  }
  inFlight.clear();
  return count;
}

export async function fileSink(target: string): Promise<Sink> {
  const kind = await kindOf(target);
  if (kind === 'directory') throw new InputError(target, 'is a folder; name the file the report should go to');
  if (kind === 'special') {
    const stream = createWriteStream(target, { flags: 'a', highWaterMark: 1 << 20 });
    await once(stream, 'open');
    return fileStreamSink(
      stream,
      target,
      async () => {},
      async () => {},
    );
  }
  const temp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${Date.now()}`);
  // Created at once, with its name recorded, so a signal never finds one without the other (an asynchronous open
  // could create the file after the signal's cleanup had run). Reports hold host data: owner only.
  let fd: number;
  try {
    fd = openSync(temp, 'wx', PRIVATE_MODE);
  } catch (err) {
    throw new InputError(
      target,
      `cannot write: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : (err as Error).message}`,
    );
  }
  inFlight.add(temp);
  const stream: WriteStream = createWriteStream(temp, { fd, highWaterMark: 1 << 20 });
  return fileStreamSink(
    stream,
    target,
    () =>
      flushToDisk(temp)
        .then(() => rename(temp, target))
        .catch((err: NodeJS.ErrnoException) => {
          throw new InputError(target, `cannot write: ${err.message}`);
        })
        .finally(() => inFlight.delete(temp)),
    () =>
      unlink(temp)
        .catch(() => {})
        .finally(() => inFlight.delete(temp)),
  );
}
