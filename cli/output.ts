// Where reports go: stdout, or a file that is replaced only once the whole report has been written.
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { InputError } from '../src/index.js';

export interface Sink {
  write(chunk: string): Promise<void>;
  /** Finishes the output: renames the temporary file over the target. */
  commit(): Promise<void>;
  /** Drops a half-written output, leaving any existing file untouched. */
  abort(): Promise<void>;
  readonly isTTY: boolean;
}

async function writeTo(stream: NodeJS.WritableStream, chunk: string): Promise<void> {
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

export async function fileSink(target: string): Promise<Sink> {
  const temp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${Date.now()}`);
  const stream: WriteStream = createWriteStream(temp, { flags: 'wx' });
  try {
    await once(stream, 'open');
  } catch (err) {
    throw new InputError(target, `cannot write: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : (err as Error).message}`);
  }
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
      await rename(temp, target);
    },
    abort: async () => {
      stream.destroy();
      await unlink(temp).catch(() => {});
    },
    isTTY: false,
  };
}
