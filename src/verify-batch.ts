// Verifying a batch of tokens into output text: the same code runs on the main thread and in the
// worker thread that takes every other batch on big inputs, so the second core shares the HMACs,
// the JSON parsing and the output.
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { malformedResult, type VerifyOptions, type VerifyResult } from './commands/verify.js';
import { EXIT, worseExit, type ExitCode } from './errors.js';
import type { TokenItem } from './input.js';
import { renderErrorLine, renderVerdictLine, renderVerifyJson, type Paint } from './render.js';

export interface BatchFormat {
  json: boolean;
  paint: Paint;
  errPaint: Paint;
}

export interface BatchOutput {
  /** a string, or (from the worker) its UTF-8 bytes, encoded there and transferred, not copied */
  stdout: string | Uint8Array;
  stderr: string;
  exit: ExitCode;
}

export function exitFor(r: VerifyResult): ExitCode {
  return r.valid ? EXIT.ok : r.reason === 'malformed' ? EXIT.usage : EXIT.no;
}

/** One line per token (verdict, or the NDJSON object), errors on stderr; the worst exit code. */
export function verifyBatch(verify: (text: string) => VerifyResult, items: TokenItem[], format: BatchFormat): BatchOutput {
  let stdout = '';
  let stderr = '';
  let exit: ExitCode = EXIT.ok;
  for (const item of items) {
    const r = 'error' in item ? malformedResult(item.error.message) : verify(item.text);
    exit = worseExit(exit, exitFor(r));
    const where = `token ${item.index + 1}: `;
    if (r.reason === 'malformed') stderr += renderErrorLine(`${where}${r.message}`, undefined, format.errPaint);
    if (format.json) stdout += renderVerifyJson(r);
    else if (r.reason !== 'malformed') stdout += `${where}${renderVerdictLine(r, format.paint)}\n`;
  }
  return { stdout, stderr, exit };
}

export interface WorkerSetup {
  options: VerifyOptions;
  json: boolean;
  color: boolean;
  errColor: boolean;
}

/**
 * A worker thread running verifyBatch (dist/verify-worker.cjs) on every other batch of a big
 * input, answering in order. Keys travel as KeyObjects through postMessage, never argv or env.
 */
export class VerifyWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (out: BatchOutput) => void; reject: (err: Error) => void }>();
  private nextId = 0;

  constructor(setup: WorkerSetup) {
    // dist/verify-worker.cjs, seen from dist/cli/verify.cjs
    const file = [join(__dirname, 'verify-worker.cjs'), join(__dirname, '..', 'verify-worker.cjs')].find((f) => existsSync(f))!;
    // A small young generation keeps memory flat however long the input (V8 grows it to 32 MiB).
    this.worker = new Worker(file, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 } });
    this.worker.on('message', (msg: BatchOutput & { id: number }) => {
      this.waiting.get(msg.id)?.resolve(msg);
      this.waiting.delete(msg.id);
    });
    this.worker.on('error', (err) => {
      for (const { reject } of this.waiting.values()) reject(err);
      this.waiting.clear();
    });
  }

  /** Batches without malformed items only; they travel as one joined string, the cheapest clone. */
  run(items: TokenItem[]): Promise<BatchOutput> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, first: items[0]!.index, texts: items.map((i) => ('text' in i ? i.text : '')).join('\n') });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
