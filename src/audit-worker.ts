// A worker thread of `jwtkit audit --jobs N` (built as dist/audit-worker.cjs): it receives the
// targets once, then chunks of whole lines of a word list (transferred, not copied), and answers
// each with its line count, keys tried and hits. A target found anywhere is closed everywhere.
import { parentPort, workerData } from 'node:worker_threads';
import { makeTesters, searchLines, type SearchOptions, type Target } from './audit-search.js';

export interface WorkerInit {
  targets: Target[];
  options: SearchOptions;
}
export type ToWorker = { type: 'chunk'; seq: number; data: ArrayBuffer; length: number } | { type: 'close'; target: number };

const init = workerData as WorkerInit;
const testers = makeTesters(init.targets);
const open = init.targets.map(() => true);

parentPort?.on('message', (message: ToWorker) => {
  if (message.type === 'close') {
    open[message.target] = false;
    return;
  }
  const chunk = Buffer.from(message.data, 0, message.length);
  const result = searchLines(testers, open, chunk, 0, chunk.length, init.options);
  // The buffer goes back for reuse: memory stays a few chunks per worker.
  parentPort!.postMessage({ type: 'done', seq: message.seq, result, data: message.data }, [message.data]);
});
