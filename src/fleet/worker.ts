// A scan thread: reads, scans and writes a batch of input files per message, with the same library code, writers
// and batch routine as a scan on the main thread. Started by threads.ts; one memo per thread, for the scan.
import { parentPort, workerData } from 'node:worker_threads';
import { loadCatalog } from '../checks/loader.js';
import { planScan } from '../checks/plan.js';
import { InputError } from '../errors.js';
import { readInputs } from '../inputs/read.js';
import { ScanMemo } from '../memo.js';
import { createWriter } from '../report/index.js';
import { scanHost, type HostScanContext } from '../scan.js';
import { BatchWriter } from './batch.js';
import type { WorkerReply, WorkerSetup, WorkerTask } from './threads.js';

const setup = workerData as WorkerSetup;
const catalog = loadCatalog(setup.benchmarksDir ? { benchmarksDir: setup.benchmarksDir } : {});
const plan = planScan(catalog, setup.selection);
const memo = new ScanMemo(setup.memo);
const context: HostScanContext = { ...setup.context, memo, catalog };
const batch = new BatchWriter(
  setup.outputs.map((o) => createWriter(o.format, o.options, { catalog, memo })),
  setup.groupBy,
);

parentPort!.on('message', async (task: WorkerTask) => {
  try {
    for (const file of task.files) {
      let found;
      try {
        found = await readInputs(file, setup.read);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        batch.addProblem(err.toProblem());
        continue;
      }
      for (const input of found.inputs) batch.addHost(scanHost(input, plan, context));
      for (const problem of found.problems) batch.addProblem(problem);
      if (found.skipped) batch.addSkipped({ file, reason: found.skipped });
    }
    const written = batch.take();
    const reply: WorkerReply = { batch: task.batch, ...written };
    parentPort!.postMessage(
      reply,
      written.chunks.map((c) => c.buffer as ArrayBuffer),
    );
  } catch (err) {
    // The message and the stack travel apart: the error line shows the message, BRSEC_DEBUG the stack.
    const message = err instanceof Error ? err.message : typeof err === 'string' ? err : 'a scan thread failed';
    parentPort!.postMessage({
      batch: task.batch,
      crash: { message, stack: err instanceof Error ? (err.stack ?? '') : '' },
    } satisfies WorkerReply);
  }
});
