// Word lists for `jwtkit audit`: a file (gzip by its .gz extension), or stdin for "-", read in
// large chunks that end on a line boundary, as bytes (never decoded). Memory is a few chunks,
// whatever the list's size; a line longer than a chunk is skipped and counted.
import { createReadStream, statSync } from 'node:fs';
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
  let raw: Readable;
  let size: number | undefined;
  if (name === '-') {
    raw = stdin();
  } else {
    try {
      const st = statSync(name);
      if (st.isDirectory()) throw Object.assign(new Error('a directory'), { code: 'EISDIR' });
      size = st.isFile() ? st.size : undefined;
    } catch (err) {
      throw fail(err);
    }
    raw = createReadStream(name, { highWaterMark: 1 << 20 });
  }
  const gz = /\.gz$/i.test(name);
  const stream: Readable = gz ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  if (gz) raw.on('error', (err) => stream.destroy(err));
  return {
    name,
    size,
    // fs.ReadStream counts what it has read (a 'data' listener would start the flow too early).
    readBytes: () => (raw as Readable & { bytesRead?: number }).bytesRead ?? 0,
    pieces: (reuse) => chunkLines(stream, (err) => (gz && !(err as NodeJS.ErrnoException).syscall ? wordlistError(name, err, env, true) : fail(err)), CHUNK_BYTES, reuse),
    close: () => {
      stream.destroy();
      if (raw !== stream) raw.destroy();
    },
  };
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
