// Where reports go: stdout, or a file that is replaced only once the whole report has been written.
import { createWriteStream, unlinkSync, type WriteStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { InputError } from '../src/index.js';

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

/** Exit status of a process ended by SIGPIPE: a reader that stops early (`brsec scan … | head`) is not an error. */
export const SIGPIPE_STATUS = 141;

/** A write that failed, as the one-line error it is (a full disk, a closed file), never an internal error. */
function writeFailed(target: string, err: unknown): never {
  if ((err as NodeJS.ErrnoException).code === 'EPIPE') process.exit(SIGPIPE_STATUS);
  throw new InputError(target, `cannot write: ${(err as Error).message}`);
}

export function stdoutSink(): Sink {
  return {
    // Standard output to a file is written synchronously, so a full disk throws here rather than in an event.
    write: (chunk) => writeTo(process.stdout, chunk).catch((err: unknown) => writeFailed('standard output', err)),
    commit: async () => {},
    abort: async () => {},
    isTTY: Boolean(process.stdout.isTTY),
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

function streamSink(stream: WriteStream, target: string, onCommit: () => Promise<void>, onAbort: () => Promise<void>): Sink {
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

/** Temporary files of reports being written, removed if the run is stopped by a signal. */
const inFlight = new Set<string>();
let cleanupInstalled = false;

/**
 * On SIGINT or SIGTERM, removes the half-written reports (an existing file at a target is left as it was) and says
 * so, then ends with the status of a process killed by that signal.
 */
function removeOnSignal(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      for (const temp of inFlight) {
        try {
          unlinkSync(temp);
        } catch {
          // Already gone.
        }
      }
      const what = inFlight.size > 0 ? 'the unfinished reports were removed and existing files left as they were' : 'no report was finished';
      process.stderr.write(`brsec: stopped by ${signal}; ${what}\n`);
      process.exit(status);
    });
  }
}

export async function fileSink(target: string): Promise<Sink> {
  const kind = await kindOf(target);
  if (kind === 'directory') throw new InputError(target, 'is a folder; name the file the report should go to');
  if (kind === 'special') {
    const stream = createWriteStream(target, { flags: 'a', highWaterMark: 1 << 20 });
    await once(stream, 'open');
    return streamSink(stream, target, async () => {}, async () => {});
  }
  const temp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${Date.now()}`);
  removeOnSignal();
  inFlight.add(temp);
  const stream: WriteStream = createWriteStream(temp, { flags: 'wx', highWaterMark: 1 << 20 });
  try {
    await once(stream, 'open');
  } catch (err) {
    inFlight.delete(temp);
    throw new InputError(target, `cannot write: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : (err as Error).message}`);
  }
  return streamSink(
    stream,
    target,
    () =>
      rename(temp, target)
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
