// Word lists for `jwtkit audit`: a file (gzip by its .gz extension), or stdin for "-", read in
// large chunks that end on a line boundary, as bytes (never decoded). Memory is a few chunks,
// whatever the list's size; a line longer than a chunk is skipped and counted.
import { closeSync, createReadStream, openSync, read, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { JwtkitError } from './errors.js';
import { wordlistError } from './input.js';

/** Chunk size: big enough that a worker's round trip costs nothing, small enough to share out. */
export const CHUNK_BYTES = 256 * 1024;

/** A run of whole lines, or lines skipped whole (longer than a chunk), in the list's order. */
export type ListPiece = { kind: 'chunk'; data: ArrayBuffer; length: number } | { kind: 'overlong'; lines: number };

export interface OpenedList {
  /** "-" or the path as given */
  name: string;
  /** the file's size in bytes (compressed for .gz), when known: the progress line's ETA */
  size: number | undefined;
  /** raw bytes read so far (from the file, before gunzip) */
  readBytes(): number;
  /** `reuse`: a buffer of CHUNK_BYTES whose last chunk is done with, if any (memory stays a few chunks) */
  pieces(reuse?: () => ArrayBuffer | undefined): AsyncGenerator<ListPiece>;
  close(): void;
}

export function openWordlist(name: string, stdin: () => Readable, env: NodeJS.ProcessEnv = {}): OpenedList {
  const fail = (err: unknown): JwtkitError => wordlistError(name, err, env);
  let source: AsyncIterable<Buffer | string>;
  let size: number | undefined;
  let readBytes = () => 0;
  let close = () => {};
  const gz = /\.gz$/i.test(name);
  if (name === '-') {
    const raw = stdin();
    source = raw;
    close = () => raw.destroy();
  } else {
    try {
      const st = statSync(name);
      if (st.isDirectory()) throw Object.assign(new Error('a directory'), { code: 'EISDIR' });
      size = st.isFile() ? st.size : undefined;
    } catch (err) {
      throw fail(err);
    }
    if (size === undefined) {
      // A pipe or a device: a stream (opening a FIFO waits for its writer, so not here, synchronously).
      const raw = createReadStream(name, { highWaterMark: 1 << 20 });
      source = raw;
      readBytes = () => raw.bytesRead;
      close = () => raw.destroy();
    } else {
      let fd: number;
      try {
        fd = openSync(name, 'r');
      } catch (err) {
        throw fail(err);
      }
      const file = fileParts(fd);
      source = file;
      readBytes = () => file.bytesRead;
      close = () => file.close();
    }
  }
  let stream: AsyncIterable<Buffer | string> = source;
  let gunzip: Readable | undefined;
  if (gz) {
    // gunzip as a stream fed from the source; a read error of the source ends it with that error
    const g = createGunzip({ chunkSize: 1 << 20 });
    gunzip = g;
    // Data that is not gzip fails as soon as it is fed, often before pieces() reads (audit tries
    // the built-in list first): the stream keeps the error for the reader, and this listener
    // keeps it from being an unhandled 'error' event that would end the process.
    g.on('error', () => {});
    void (async () => {
      try {
        // a copy: a file's parts share one buffer, and zlib works on its input later
        for await (const part of source) {
          if (g.destroyed) return;
          if (!g.write(Buffer.from(part))) await new Promise((r) => (g.destroyed ? r(undefined) : (g.once('drain', r), g.once('close', r))));
        }
        g.end();
      } catch (err) {
        g.destroy(err as Error);
      }
    })();
    stream = g;
  }
  return {
    name,
    size,
    readBytes: () => readBytes(),
    pieces: (reuse) => chunkLines(stream, (err) => (gz && !(err as NodeJS.ErrnoException).syscall ? wordlistError(name, err, env, true) : fail(err)), CHUNK_BYTES, reuse),
    close: () => {
      gunzip?.destroy();
      close();
    },
  };
}

/**
 * A file's bytes, read into one reused buffer: each part is valid until the next is asked for
 * (chunkLines copies it at once). A read stream would allocate a new buffer per read, garbage
 * that piles up outside the JavaScript heap (the 10M-line list's peak RSS grew with it).
 */
function fileParts(fd: number): AsyncIterable<Buffer> & { bytesRead: number; close(): void } {
  let closed = false;
  // A read in flight: the descriptor is closed after it (its number could be reused meanwhile).
  let reading: Promise<unknown> | undefined;
  const buffer = Buffer.allocUnsafe(1 << 20);
  const readAt = () => new Promise<number>((resolve, reject) => read(fd, buffer, 0, buffer.length, null, (err, n) => (err ? reject(err) : resolve(n))));
  const closeFd = () => {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  };
  const parts = {
    bytesRead: 0,
    async *[Symbol.asyncIterator]() {
      while (!closed) {
        const pending = readAt();
        reading = pending;
        const n = await pending.finally(() => (reading = undefined));
        if (n === 0 || closed) return;
        parts.bytesRead += n;
        yield buffer.subarray(0, n);
      }
    },
    close() {
      if (closed) return;
      closed = true;
      if (reading) void reading.then(closeFd, closeFd);
      else closeFd();
    },
  };
  return parts;
}

/** The stream's bytes as line-aligned chunks: each ends with "\n" except perhaps the last. */
export async function* chunkLines(
  stream: AsyncIterable<Buffer | string>,
  fail: (err: unknown) => Error,
  chunkBytes = CHUNK_BYTES,
  reuse: () => ArrayBuffer | undefined = () => undefined,
): AsyncGenerator<ListPiece> {
  const fresh = () => {
    const old = reuse();
    return old && old.byteLength === chunkBytes ? new Uint8Array(old) : new Uint8Array(chunkBytes);
  };
  let buf = fresh();
  let fill = 0;
  let first = true;
  let skipping = false; // inside a line longer than a chunk: dropping bytes up to its "\n"
  try {
    for await (const part of stream) {
      let data = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
      if (first && data.length > 0) {
        first = false;
        // A UTF-8 byte-order mark is not part of the first line.
        if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
      }
      let at = 0;
      while (at < data.length) {
        if (skipping) {
          const nl = data.indexOf(10, at);
          if (nl === -1) {
            at = data.length;
            break;
          }
          skipping = false;
          yield { kind: 'overlong', lines: 1 };
          at = nl + 1;
          continue;
        }
        const n = Math.min(chunkBytes - fill, data.length - at);
        buf.set(data.subarray(at, at + n), fill);
        fill += n;
        at += n;
        if (fill < chunkBytes) break;
        // The chunk is full: send its whole lines, carry the partial last one over.
        const view = Buffer.from(buf.buffer, 0, fill);
        const lastNl = view.lastIndexOf(10);
        if (lastNl === -1) {
          // One line fills the whole chunk: far too long to be a key.
          fill = 0;
          skipping = true;
          continue;
        }
        const next = fresh();
        next.set(buf.subarray(lastNl + 1, fill));
        const carried = fill - lastNl - 1;
        yield { kind: 'chunk', data: buf.buffer as ArrayBuffer, length: lastNl + 1 };
        buf = next;
        fill = carried;
      }
    }
  } catch (err) {
    throw fail(err);
  }
  if (skipping) yield { kind: 'overlong', lines: 1 };
  else if (fill > 0) yield { kind: 'chunk', data: buf.buffer as ArrayBuffer, length: fill };
}
