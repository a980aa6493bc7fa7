// A scan worker: reads, scans and writes one host per message, with the same library code and writer as a
// single-threaded scan. Started by parallel.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { loadCatalog } from './checks/loader.js';
import { planScan } from './checks/plan.js';
import { InputError } from './errors.js';
import { readInput } from './inputs/read.js';
import { createWriter } from './report/index.js';
import { scanHost, tallyOf } from './scan.js';
import type { ReadOptions } from './inputs/read.js';
import type { WorkerSetup, WorkerReply, WorkerTask, WrittenBatch } from './parallel.js';

const setup = workerData as WorkerSetup;
const catalog = loadCatalog();
const plan = planScan(catalog, setup.selection);
const writers = setup.outputs.map((o) => createWriter(o.format, o.options));
const readOptions: ReadOptions = {};
if (setup.variant) readOptions.variant = setup.variant;
if (setup.context.locate) readOptions.locate = true;

parentPort!.on('message', async (task: WorkerTask) => {
  try {
    const parts: Uint8Array[][] = writers.map(() => []);
    const sizes = writers.map(() => 0);
    const hostItems: number[][] = writers.map(() => []);
    const hostEnds: number[][] = writers.map(() => []);
    const separators = writers.map((w) => Buffer.from(w.separator));
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
      const host = scanHost(input, plan, setup.context);
      writers.forEach((writer, i) => {
        hostItems[i]!.push(writer.itemsOf?.(host) ?? 0);
        const pieces = writer.hostParts ? writer.hostParts(host) : [writer.hostBytes ? writer.hostBytes(host) : Buffer.from(writer.host(host))];
        // Parts may be empty (a SARIF fleet run with no findings for a host); separators go only between parts.
        if (pieces.some((p) => p.length > 0)) {
          const own = parts[i]!;
          if (own.length > 0) {
            own.push(separators[i]!);
            sizes[i]! += separators[i]!.length;
          }
          for (const piece of pieces) {
            own.push(piece);
            sizes[i]! += piece.length;
          }
        }
        hostEnds[i]!.push(sizes[i]!);
      });
      hosts.push(tallyOf(host));
    }
    const chunks = parts.map((p) => Buffer.concat(p));
    const reply: WorkerReply = { batch: task.batch, chunks, hostItems, hostEnds, hosts, problems };
    parentPort!.postMessage(reply, chunks.map((c) => c.buffer as ArrayBuffer));
  } catch (err) {
    // The message and the stack travel apart: the error line shows the message, BRSEC_DEBUG the stack.
    const message = err instanceof Error ? err.message : typeof err === 'string' ? err : 'a scan thread failed';
    parentPort!.postMessage({ batch: task.batch, crash: { message, stack: err instanceof Error ? (err.stack ?? '') : '' } } satisfies WorkerReply);
  }
});
