// Scans many files on worker threads, one per core. Each worker reads, scans and writes its hosts with the
// same pure writers and batch routine as a scan on this thread; this thread hands out files, keeps input order and
// emits the written parts. A bounded window of files in flight keeps memory flat.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { workerThreads } from '../builtins.js';
import { BrsecError } from '../errors.js';
import type { Format } from '../report/index.js';
import type { WriterOptions } from '../report/options.js';
import type { HostScanContext } from '../scan.js';
import type { SelectOptions } from '../checks/plan.js';
import type { GroupBy } from '../groups.js';
import type { ReadOptions } from '../inputs/read.js';
import type { WrittenBatch } from './batch.js';

export interface WorkerSetup {
  /** Where the scanned catalogue was loaded from, when it is not the packaged one. */
  benchmarksDir?: string;
  /** The selection the main thread planned with; each worker plans the same scan from it. */
  selection: SelectOptions;
  /** The reports being written: each host is written once per output. */
  outputs: { format: Format; options: WriterOptions }[];
  read: ReadOptions;
  /** Waivers (entries as loaded), baseline, gate and locate: plain data, as the main thread prepared them. */
  context: Omit<HostScanContext, 'memo' | 'catalog'>;
  /** Whether the hosts of a thread share its memo. */
  memo: boolean;
  /** The scan's grouping, for the hosts' tallies. */
  groupBy?: GroupBy;
}

/** A batch of consecutive input files; batches keep per-message costs small next to the scan itself. */
export interface WorkerTask {
  batch: number;
  files: string[];
}

export type WorkerReply = ({ batch: number } & WrittenBatch) | { batch: number; crash: { message: string; stack: string } };

/** Default number of scan threads: the cores there are, at most 8. */
export function defaultJobs(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** A scan thread's failure as an error of this thread: its message alone, the thread's stack kept for debugging. */
function crashError(crash: { message: string; stack: string }): Error {
  const error = new Error(crash.message);
  if (crash.stack) error.stack = crash.stack;
  return error;
}

// The library's worker is worker.js beside this module; the bundled CLI ships scan-worker.cjs beside itself.
function workerUrl(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.cjs') ? './scan-worker.cjs' : './worker.js', here);
}

/** Whether the worker's file is there: a bundle of the library (for Lambda, say) has none, and scans in this thread. */
export function workersAvailable(): boolean {
  // A CommonJS bundle of the library has no import.meta.url, and no worker file either.
  return Boolean(import.meta.url) && existsSync(fileURLToPath(workerUrl()));
}

const BATCH = 16;
const BATCHES_PER_WORKER = 3;

/** Starts scan threads; call early, so they load while the inputs are still being listed. */
export function startWorkers(setup: WorkerSetup, jobs = defaultJobs()): Worker[] {
  // Small heaps keep the process's memory flat across a fleet; a scan keeps almost nothing between hosts.
  const resourceLimits = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 128 };
  return Array.from({ length: Math.max(1, jobs) }, () => new (workerThreads().Worker)(workerUrl(), { workerData: setup, resourceLimits }));
}

export async function* scanFilesInWorkers(
  files: readonly string[],
  setup: WorkerSetup,
  jobs = defaultJobs(),
  started?: Worker[],
): AsyncGenerator<WrittenBatch> {
  const batches = Math.ceil(files.length / BATCH);
  const workers = started ?? startWorkers(setup, Math.min(jobs, batches));
  const count = workers.length;
  const done = new Map<number, WrittenBatch>();
  let next = 0;
  let emitted = 0;
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  const inFlight = new Map<Worker, number>(workers.map((w) => [w, 0]));

  const dispatch = (worker: Worker) => {
    // Hand out batches while this worker has room and the reorder buffer stays within its window.
    while (next < batches && (inFlight.get(worker) ?? 0) < BATCHES_PER_WORKER && next - emitted < count * BATCHES_PER_WORKER * 2) {
      worker.postMessage({ batch: next, files: files.slice(next * BATCH, (next + 1) * BATCH) } satisfies WorkerTask);
      next++;
      inFlight.set(worker, (inFlight.get(worker) ?? 0) + 1);
    }
  };

  for (const worker of workers) {
    worker.on('message', (reply: WorkerReply) => {
      inFlight.set(worker, (inFlight.get(worker) ?? 1) - 1);
      if ('crash' in reply) failure ??= crashError(reply.crash);
      else done.set(reply.batch, reply);
      dispatch(worker);
      wake?.();
    });
    worker.on('error', (err) => {
      failure ??=
        (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new BrsecError('a scan thread ran out of memory on a very large input; scan it on one thread (jobs: 1, or --jobs 1)')
          : err;
      wake?.();
    });
    dispatch(worker);
  }

  try {
    while (emitted < batches) {
      if (failure) throw failure;
      const ready = done.get(emitted);
      if (ready) {
        done.delete(emitted);
        emitted++;
        for (const worker of workers) dispatch(worker);
        yield ready;
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
