// Entry point of the verify worker thread (dist/verify-worker.cjs); see VerifyWorker in
// verify-batch.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { createVerifier } from './commands/verify.js';
import type { TokenItem } from './input.js';
import { painter } from './render.js';
import { verifyBatch, type BatchFormat, type WorkerSetup } from './verify-batch.js';

const setup = workerData as WorkerSetup;
const verify = createVerifier(setup.options);
const format: Promise<BatchFormat> = Promise.all([painter(setup.color), painter(setup.errColor)]).then(([paint, errPaint]) => ({
  json: setup.json,
  paint,
  errPaint,
}));

parentPort!.on('message', async ({ id, first, texts }: { id: number; first: number; texts: string }) => {
  const items: TokenItem[] = texts.split('\n').map((text, i) => ({ index: first + i, text }));
  const out = verifyBatch(verify, items, await format);
  const stdout = new TextEncoder().encode(out.stdout as string);
  parentPort!.postMessage({ id, ...out, stdout }, [stdout.buffer]);
});
