// The word, known-secret and hash tables that `check` consults (dist/vendor/*.bin, written by
// scripts/build-wordlists.mjs from the zxcvbn-ts lists), and the --wordlist file.
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JwtkitError } from './errors.js';
import { wordlistError } from './input.js';
import { HASH_ALGS, HASH_BUCKET_BITS, HASH_LENGTHS, fnv1a, hashTableKey, hash64, normalizeWord, unpackKeys, type PackedKeys } from './wordhash.js';

export interface Lexicon {
  /** a dictionary word (lower case) of the zxcvbn-ts lists (64-bit hashes: no false positives to speak of) */
  hasWord(word: string): boolean;
  /** log2 of the word's best rank in the lists (its cost in bits to a dictionary attack), or null */
  wordRankBits(word: string): number | null;
  /** a common password or a known default secret */
  isKnown(secret: string): boolean;
  /** the algorithm when `bytes` are the md5/sha1/sha256/sha384/sha512 of a word (36-bit fingerprint), else null */
  hashOfWord(bytes: Uint8Array): string | null;
  /** which passphrase lists hold the word: a bit mask in PASSPHRASE_LISTS order (0: none) */
  passphraseLists(word: string): number;
  /** cost in bits of letter `next` after `prev` (0–25 a–z, 26 a word boundary) in English words */
  bigramCost(prev: number, next: number): number;
}

/**
 * dist/vendor/. In the bundles (dist/*.cjs) import.meta is empty and the tables are beside them;
 * from src/ (under vitest) they are in ../dist/vendor.
 */
function dataDir(): string {
  return import.meta.url ? fileURLToPath(new URL('../dist/vendor', import.meta.url)) : join(__dirname, 'vendor');
}

function readTable<T extends Uint32Array | BigUint64Array | Float32Array>(name: string, make: (b: ArrayBuffer, o: number, n: number) => T, width: number): T {
  const bytes = readFileSync(join(dataDir(), name));
  // A large file gets its own aligned buffer: use it as is (no copy of ~2 MB at start-up).
  if (bytes.byteOffset % width === 0) return make(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / width);
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return make(copy, 0, bytes.byteLength / width);
}

function indexOf(table: Uint32Array | BigUint64Array, value: number | bigint): number {
  let lo = 0;
  let hi = table.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = table[mid]!;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

const contains = (table: Uint32Array | BigUint64Array, value: number | bigint): boolean => indexOf(table, value) >= 0;

/** The tables, read from dist/vendor/ on every call: the caller keeps them (check's SecretChecker). */
export function loadLexicon(): Lexicon {
  const words = readTable('words.bin', (b, o, n) => new BigUint64Array(b, o, n), 8);
  const known = readTable('known.bin', (b, o, n) => new BigUint64Array(b, o, n), 8);
  const ranks = readFileSync(join(dataDir(), 'ranks.bin'));
  const pass = readFileSync(join(dataDir(), 'passphrases.bin'));
  const passCount = pass.byteLength / 5;
  const passWords = new Uint32Array(pass.buffer.slice(pass.byteOffset, pass.byteOffset + passCount * 4));
  const passMasks = pass.subarray(passCount * 4);
  const bigrams = readTable('bigrams.bin', (b, o, n) => new Float32Array(b, o, n), 4);
  const hashesPath = join(dataDir(), 'hashes.bin');
  return {
    hasWord: (word) => contains(words, hash64(normalizeWord(word))),
    wordRankBits: (word) => {
      const i = indexOf(words, hash64(normalizeWord(word)));
      return i >= 0 ? ranks[i]! : null;
    },
    isKnown: (secret) => contains(known, hash64(normalizeWord(secret))),
    hashOfWord: (bytes) => {
      const a = HASH_LENGTHS.indexOf(bytes.length);
      return a >= 0 && inHashTable(hashesPath, a, bytes) ? HASH_ALGS[a]! : null;
    },
    passphraseLists: (word) => {
      const i = indexOf(passWords, fnv1a(word.toLowerCase()));
      return i >= 0 ? passMasks[i]! : 0;
    },
    bigramCost: (prev, next) => bigrams[prev * 27 + next]!,
  };
}

/**
 * The known secrets of isKnown, for audit to try as keys: the defaults, published keys and
 * placeholders as text, one a line (dist/vendor/known-defaults.txt), and the common passwords
 * packed as keys (known-passwords.bin: see PackedKeys).
 */
export function knownSecrets(): { defaults: Buffer; passwords: PackedKeys } {
  const passwords = unpackKeys(readFileSync(join(dataDir(), 'known-passwords.bin')));
  if (!passwords) throw new Error('dist/vendor/known-passwords.bin is damaged: reinstall jwtkit');
  return { defaults: readFileSync(join(dataDir(), 'known-defaults.txt')), passwords };
}

/** One bucket of hashes.bin, read with two preads: the table's size costs nothing at start-up. */
function inHashTable(path: string, alg: number, digest: Uint8Array): boolean {
  const buckets = 1 << HASH_BUCKET_BITS;
  const top = hashTableKey(digest);
  const bucket = Math.floor(top / 2 ** 32);
  const want = top % 2 ** 32;
  const fd = openSync(path, 'r');
  try {
    const range = Buffer.alloc(8);
    readSync(fd, range, 0, 8, (alg * (buckets + 1) + bucket) * 4);
    const start = range.readUInt32LE(0);
    const length = range.readUInt32LE(4) - start;
    if (length <= 0 || length > 1 << 20) return false;
    const entries = Buffer.alloc(length);
    readSync(fd, entries, 0, length, start);
    for (let i = 0; i + 4 <= length; i += 4) if (entries.readUInt32BE(i) === want) return true;
    return false;
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether any of `candidates` is a line of a --wordlist file (LF or CRLF). Streamed in 1 MiB
 * chunks (flat memory for lists of millions of lines), searched with Buffer#indexOf for
 * "\ncandidate\n" and "\ncandidate\r\n": no per-line work at all.
 */
export async function inWordlist(path: string, candidates: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<boolean> {
  const needles = [...new Set(candidates)]
    .filter((c) => c !== '' && !/[\r\n]/.test(c))
    .flatMap((c) => [Buffer.from(`\n${c}\n`), Buffer.from(`\n${c}\r\n`)]);
  if (needles.length === 0) return false;
  const longest = Math.max(...needles.map((n) => n.length));
  const fail = (err: unknown): JwtkitError => wordlistError(path, err, env);
  try {
    // A directory opens fine and fails on the first read: say so up front.
    if (statSync(path).isDirectory()) throw Object.assign(new Error('a directory'), { code: 'EISDIR' });
  } catch (err) {
    throw fail(err);
  }
  let stream;
  try {
    stream = createReadStream(path, { highWaterMark: 1 << 20 });
    await new Promise<void>((resolve, reject) => {
      stream!.once('open', () => resolve());
      stream!.once('error', reject);
    });
  } catch (err) {
    throw fail(err);
  }
  // A newline before the first line and after the last makes every line look alike.
  let carry = Buffer.from('\n');
  let first = true;
  try {
    for await (const raw of stream) {
      let chunk = raw as Buffer;
      // A UTF-8 byte-order mark is not part of the first line.
      if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      first = false;
      // Only the last (longest − 1) bytes are carried over: memory stays one chunk, whatever the size.
      const window = Buffer.concat([carry, chunk]);
      if (needles.some((n) => window.includes(n))) return true;
      carry = Buffer.from(window.subarray(Math.max(0, window.length - longest + 1)));
    }
    const end = Buffer.concat([carry, Buffer.from('\n')]);
    return needles.some((n) => end.includes(n));
  } catch (err) {
    throw fail(err);
  } finally {
    stream.destroy();
  }
}
