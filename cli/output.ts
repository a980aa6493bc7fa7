// Where reports go: stdout, or a file that is replaced only once the whole report has been written.
import { createWriteStream, type WriteStream } from 'node:fs';
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

export function stdoutSink(): Sink {
  return {
    write: (chunk) => writeTo(process.stdout, chunk),
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
      if (failure) throw new InputError(target, `cannot write: ${failure.message}`);
      await writeTo(stream, chunk);
    },
    commit: async () => {
      stream.end();
      await once(stream, 'close');
      if (failure) throw new InputError(target, `cannot write: ${failure.message}`);
      await onCommit();
    },
    abort: async () => {
      stream.destroy();
      await onAbort();
    },
    isTTY: false,
  };
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
  const stream: WriteStream = createWriteStream(temp, { flags: 'wx', highWaterMark: 1 << 20 });
  try {
    await once(stream, 'open');
  } catch (err) {
    throw new InputError(target, `cannot write: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : (err as Error).message}`);
  }
  return streamSink(
    stream,
    target,
    () =>
      rename(temp, target).catch((err: NodeJS.ErrnoException) => {
        throw new InputError(target, `cannot write: ${err.message}`);
      }),
    () => unlink(temp).catch(() => {}),
  );
}
