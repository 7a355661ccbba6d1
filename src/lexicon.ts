// The word, known-secret and hash tables that `check` consults (dist/vendor/*.bin, written by
// scripts/build-wordlists.mjs from the zxcvbn-ts lists), and the --wordlist file.
import { existsSync, readFileSync, createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JwtkitError, fileErrorReason } from './errors.js';
import { fnv1a, hash64, normalizeWord } from './wordhash.js';

export interface Lexicon {
  /** a dictionary word (lower case) of the zxcvbn-ts lists; false positives ~1 in 20,000 */
  hasWord(word: string): boolean;
  /** a common password or a known default secret */
  isKnown(secret: string): boolean;
  /** the first 8 bytes are those of md5/sha1/sha256 of a common word */
  isHashOfKnown(bytes: Uint8Array): boolean;
}

function dataDir(): string {
  const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  for (const dir of [join(here, 'vendor'), join(here, '..', 'vendor'), join(here, '..', 'dist', 'vendor')]) {
    if (existsSync(join(dir, 'words.bin'))) return dir;
  }
  throw new Error('dist/vendor/words.bin is missing: run npm run build');
}

function readTable<T extends Uint32Array | BigUint64Array>(name: string, make: (b: ArrayBuffer, o: number, n: number) => T, width: number): T {
  const bytes = readFileSync(join(dataDir(), name));
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return make(copy, 0, bytes.byteLength / width);
}

function contains(table: Uint32Array | BigUint64Array, value: number | bigint): boolean {
  let lo = 0;
  let hi = table.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = table[mid]!;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

let cached: Lexicon | undefined;

export function loadLexicon(): Lexicon {
  if (cached) return cached;
  const words = readTable('words.bin', (b, o, n) => new Uint32Array(b, o, n), 4);
  const known = readTable('known.bin', (b, o, n) => new BigUint64Array(b, o, n), 8);
  const hashes = readTable('hashes.bin', (b, o, n) => new BigUint64Array(b, o, n), 8);
  cached = {
    hasWord: (word) => contains(words, fnv1a(normalizeWord(word))),
    isKnown: (secret) => contains(known, hash64(normalizeWord(secret))),
    isHashOfKnown: (bytes) => bytes.length >= 8 && contains(hashes, Buffer.from(bytes.buffer, bytes.byteOffset, 8).readBigUInt64BE(0)),
  };
  return cached;
}

/**
 * Whether any of `candidates` is a line of a --wordlist file (LF or CRLF). Streamed in 1 MiB
 * chunks (flat memory for lists of millions of lines), searched with Buffer#indexOf for
 * "\ncandidate\n" and "\ncandidate\r\n": no per-line work at all.
 */
export async function inWordlist(path: string, candidates: readonly string[]): Promise<boolean> {
  const needles = [...new Set(candidates)]
    .filter((c) => c !== '' && !/[\r\n]/.test(c))
    .flatMap((c) => [Buffer.from(`\n${c}\n`), Buffer.from(`\n${c}\r\n`)]);
  if (needles.length === 0) return false;
  const longest = Math.max(...needles.map((n) => n.length));
  let stream;
  try {
    stream = createReadStream(path, { highWaterMark: 1 << 20 });
    await new Promise<void>((resolve, reject) => {
      stream!.once('open', () => resolve());
      stream!.once('error', reject);
    });
  } catch (err) {
    throw new JwtkitError('unreadable', `cannot read --wordlist ${path}: ${fileErrorReason(err)}`);
  }
  // A newline before the first line and after the last makes every line look alike.
  let carry = Buffer.from('\n');
  try {
    for await (const chunk of stream) {
      const window = Buffer.concat([carry, chunk as Buffer]);
      if (needles.some((n) => window.includes(n))) return true;
      carry = window.subarray(Math.max(0, window.length - longest + 1));
    }
    const end = Buffer.concat([carry, Buffer.from('\n')]);
    return needles.some((n) => end.includes(n));
  } finally {
    stream.destroy();
  }
}
