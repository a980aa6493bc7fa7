// A scan worker: reads, scans and writes one host per message, with the same library code and writer as a
// single-threaded scan. Started by parallel.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { loadCatalog } from './checks/loader.js';
import { planScan } from './checks/plan.js';
import { InputError } from './errors.js';
import { readInput } from './inputs/read.js';
import { createWriter } from './report/index.js';
import { scanHost } from './scan.js';
import type { WorkerSetup, WorkerReply, WorkerTask, WrittenBatch } from './parallel.js';

const setup = workerData as WorkerSetup;
const catalog = loadCatalog();
const plan = planScan(catalog, setup.selection);
const writer = createWriter(setup.format, setup.color);
const readOptions = setup.variant ? { variant: setup.variant } : {};

parentPort!.on('message', async (task: WorkerTask) => {
  try {
    const parts: Uint8Array[] = [];
    const separator = Buffer.from(writer.separator);
    const hosts: WrittenBatch['hosts'] = [];
    const problems: WrittenBatch['problems'] = [];
    for (const file of task.files) {
      let input;
      try {
        input = await readInput(file, readOptions);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        problems.push({ file: err.file, message: err.problem });
        continue;
      }
      const host = scanHost(input, plan);
      if (parts.length > 0) parts.push(separator);
      parts.push(writer.hostBytes ? writer.hostBytes(host) : Buffer.from(writer.host(host)));
      hosts.push({ status: host.status, totals: host.totals });
    }
    const chunk = Buffer.concat(parts);
    const reply: WorkerReply = { batch: task.batch, chunk, hosts, problems };
    parentPort!.postMessage(reply, [chunk.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ batch: task.batch, crash: (err as Error)?.stack ?? String(err) } satisfies WorkerReply);
  }
});
