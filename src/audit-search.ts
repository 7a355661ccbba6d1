// The hot loop of `jwtkit audit`'s secret search: the lines of a chunk of a word list, split on
// bytes (never decoded to strings), each tried as an HMAC key against every token still open.
// Used by the main thread (one job, the built-in list) and by the workers (src/audit-worker.ts).
import type { HmacAlg } from './algs.js';
import { secretTester, type SecretTester } from './crypto.js';
import { packedKey, type PackedKeys } from './wordhash.js';

/** How a line became the key: as it is, base64-decoded (Buffer.from(secret, 'base64')), or with "\n" after it. */
export type Variant = 'text' | 'base64' | 'newline';

/** A token to search for, as the workers receive it. */
export interface Target {
  alg: HmacAlg;
  signingInput: string;
  signature: string;
}

export interface SearchOptions {
  /** also try each line's variants (base64-decoded bytes, a trailing newline) */
  variants: boolean;
  /** lines longer than this many bytes are skipped (and counted) */
  maxLine: number;
}

/** Longest word-list line tried as a key; longer lines are skipped and counted. */
export const MAX_CANDIDATE_BYTES = 4096;

export interface Hit {
  /** the target's index */
  target: number;
  /** 0-based line within the chunk */
  line: number;
  variant: Variant;
  /** the line's bytes (without "\r\n") */
  bytes: Uint8Array;
}

export interface ChunkResult {
  /** lines in the chunk (a final line without "\n" counts) */
  lines: number;
  /** keys tried against each target */
  tried: number[];
  /** lines skipped as longer than maxLine */
  skipped: number;
  hits: Hit[];
}

/** The testers for targets (null for a target whose signature cannot be HMAC: never found). */
export function makeTesters(targets: readonly Target[]): (SecretTester | null)[] {
  return targets.map((t) => secretTester(t.alg, t.signingInput, t.signature));
}

// base64 and base64url alphabets (Buffer.from(x, 'base64') takes both): value, or -1.
const B64 = new Int8Array(256).fill(-1);
{
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) B64[alphabet.charCodeAt(i)] = i;
  B64[45] = 62; // -
  B64[95] = 63; // _
}

/**
 * Decodes bytes[start, end) as canonical base64 (either alphabet, padding optional but right)
 * into `out`; returns the decoded length, or -1 when it is not canonical base64 or decodes to
 * nothing. Canonical: the unused low bits of the last character are zero, so that one key has
 * one encoding (what `jwtkit check` calls base64).
 */
export function decodeBase64Bytes(bytes: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let stop = end;
  if (stop - start >= 4 && (stop - start) % 4 === 0 && bytes[stop - 1] === 61) {
    stop--;
    if (bytes[stop - 1] === 61) stop--;
  }
  const n = stop - start;
  if (n < 2 || n % 4 === 1) return -1;
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = start; i < stop; i++) {
    const v = B64[bytes[i]!]!;
    if (v < 0) return -1;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  // The leftover bits must be zero.
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) return -1;
  return o;
}

/**
 * Tries every line of chunk[start, end) against each open target (`open[i]`), and, with
 * `variants`, the line base64-decoded and the line with a trailing "\n". A hit closes its target
 * for the rest of the chunk. Lines are LF-separated; a "\r" before the LF is dropped; empty lines
 * count as lines but are not tried.
 */
export function searchLines(
  testers: readonly (SecretTester | null)[],
  open: boolean[],
  chunk: Buffer,
  start: number,
  end: number,
  options: SearchOptions,
): ChunkResult {
  // Every open target has a batch (HS256 in WebAssembly SIMD): keys go four at a time. With no
  // target open (found in an earlier chunk by another worker) the loop below only counts lines.
  const anyOpen = testers.some((t, i) => open[i] && t);
  if (anyOpen && testers.every((t, i) => !open[i] || !t || t.batch)) return searchLinesBatched(testers, open, chunk, start, end, options);
  const result: ChunkResult = { lines: 0, tried: testers.map(() => 0), skipped: 0, hits: [] };
  const decoded = new Uint8Array(Math.ceil((options.maxLine * 3) / 4) + 3);
  let openCount = 0;
  for (let t = 0; t < testers.length; t++) if (open[t] && testers[t]) openCount++;
  let pos = start;
  while (pos < end) {
    let nl = chunk.indexOf(10, pos);
    if (nl === -1 || nl >= end) nl = end;
    let lineEnd = nl;
    if (lineEnd > pos && chunk[lineEnd - 1] === 13) lineEnd--;
    const line = result.lines++;
    const length = lineEnd - pos;
    if (length > options.maxLine) result.skipped++;
    else if (length > 0 && openCount > 0) {
      const b64 = options.variants ? decodeBase64Bytes(chunk, pos, lineEnd, decoded) : -1;
      for (let t = 0; t < testers.length; t++) {
        const tester = testers[t];
        if (!tester || !open[t]) continue;
        let variant: Variant | undefined;
        let tried = 1;
        if (tester.test(chunk, pos, lineEnd)) variant = 'text';
        else if (options.variants && (tried++, tester.test(chunk, pos, lineEnd, true))) variant = 'newline';
        else if (b64 > 0 && (tried++, tester.test(decoded, 0, b64))) variant = 'base64';
        result.tried[t]! += tried;
        if (variant) {
          result.hits.push({ target: t, line, variant, bytes: Uint8Array.prototype.slice.call(chunk, pos, lineEnd) });
          open[t] = false;
          openCount--;
        }
      }
    }
    pos = nl + 1;
  }
  return result;
}

/** Where searchKnownList is in a PackedKeys: the next key, and where its words start. */
export interface KnownCursor {
  key: number;
  word: number;
}

/**
 * Tries packed keys (the built-in list's common passwords, tried as written: src/wordhash.ts
 * PackedKeys) from `cursor`, `count` of them, against each open target; advances the cursor. A
 * batch of keys goes into each target's batch in one call, with no work per byte: through
 * searchLines, as text, the list's 49,220 lines cost the cold main thread more than their
 * hashing (line splitting and byte packing in code not yet optimized; measured). `lines` and a
 * hit's `line` count keys from the cursor.
 */
export function searchKnownList(testers: readonly (SecretTester | null)[], open: boolean[], keys: PackedKeys, cursor: KnownCursor, count: number): ChunkResult {
  const result: ChunkResult = { lines: 0, tried: testers.map(() => 0), skipped: 0, hits: [] };
  const first = cursor.key;
  const stop = Math.min(keys.lengths.length, first + count);
  // A target without a batch (no WebAssembly SIMD, or a signing input over its limit): key by key.
  for (let t = 0; t < testers.length; t++) {
    const tester = testers[t];
    if (!open[t] || !tester || tester.batch) continue;
    for (let k = first, at = cursor.word; k < stop; at += (keys.lengths[k++]! + 3) >> 2) {
      const bytes = packedKey(keys, k, at);
      result.tried[t]!++;
      if (tester.test(bytes, 0, bytes.length)) {
        result.hits.push({ target: t, line: k - first, variant: 'text', bytes });
        open[t] = false;
        break;
      }
    }
  }
  const active: number[] = [];
  for (let t = 0; t < testers.length; t++) if (open[t] && testers[t]?.batch) active.push(t);
  const capacity = active.length > 0 ? Math.min(...active.map((t) => testers[t]!.batch!.capacity)) : 0;
  let key = first;
  let word = cursor.word;
  while (key < stop && active.some((t) => open[t])) {
    const n = Math.min(capacity, stop - key);
    let next = word;
    for (const t of active) {
      if (!open[t]) continue;
      const batch = testers[t]!.batch!;
      next = batch.loadWords(keys, key, word, n);
      const hit = batch.run(n);
      result.tried[t]! += hit >= 0 ? hit + 1 : n;
      if (hit >= 0) {
        let at = word;
        for (let k = key; k < key + hit; k++) at += (keys.lengths[k]! + 3) >> 2;
        result.hits.push({ target: t, line: key + hit - first, variant: 'text', bytes: packedKey(keys, key + hit, at) });
        open[t] = false;
      }
    }
    key += n;
    word = next;
  }
  // Every target found: the rest is passed over (the cursor still moves past it).
  for (; key < stop; key++) word += (keys.lengths[key]! + 3) >> 2;
  result.lines = stop - first;
  cursor.key = stop;
  cursor.word = word;
  return result;
}

const VARIANTS: readonly Variant[] = ['text', 'newline', 'base64'];

/** searchLines with every open target batched: keys are queued (loaded into each target's batch) and run 256 at a time. */
function searchLinesBatched(
  testers: readonly (SecretTester | null)[],
  open: boolean[],
  chunk: Buffer,
  start: number,
  end: number,
  options: SearchOptions,
): ChunkResult {
  const result: ChunkResult = { lines: 0, tried: testers.map(() => 0), skipped: 0, hits: [] };
  const decoded = new Uint8Array(Math.ceil((options.maxLine * 3) / 4) + 3);
  const active: number[] = [];
  for (let t = 0; t < testers.length; t++) if (open[t] && testers[t]) active.push(t);
  const batches = active.map((t) => testers[t]!.batch!);
  const capacity = Math.min(...batches.map((b) => b.capacity));
  // What each queued key was: its line, variant, and the line's place in the chunk.
  const qLine = new Int32Array(capacity);
  const qVariant = new Uint8Array(capacity);
  const qStart = new Int32Array(capacity);
  const qEnd = new Int32Array(capacity);
  let count = 0;
  let anyOpen = active.length > 0;
  const flush = () => {
    anyOpen = false;
    for (let a = 0; a < active.length; a++) {
      const t = active[a]!;
      if (!open[t]) continue;
      const n = batches[a]!.run(count);
      result.tried[t]! += n >= 0 ? n + 1 : count;
      if (n >= 0) {
        result.hits.push({ target: t, line: qLine[n]!, variant: VARIANTS[qVariant[n]!]!, bytes: Uint8Array.prototype.slice.call(chunk, qStart[n]!, qEnd[n]!) });
        open[t] = false;
      } else anyOpen = true;
    }
    count = 0;
  };
  const enqueue = (line: number, variant: number, lineStart: number, lineEnd: number, bytes: Uint8Array, from: number, to: number, newline: boolean) => {
    for (let a = 0; a < active.length; a++) if (open[active[a]!]) batches[a]!.load(count, bytes, from, to, newline);
    qLine[count] = line;
    qVariant[count] = variant;
    qStart[count] = lineStart;
    qEnd[count] = lineEnd;
    if (++count === capacity) flush();
  };
  let pos = start;
  while (pos < end) {
    let nl = chunk.indexOf(10, pos);
    if (nl === -1 || nl >= end) nl = end;
    let lineEnd = nl;
    if (lineEnd > pos && chunk[lineEnd - 1] === 13) lineEnd--;
    const line = result.lines++;
    const length = lineEnd - pos;
    if (length > options.maxLine) result.skipped++;
    else if (length > 0 && anyOpen) {
      enqueue(line, 0, pos, lineEnd, chunk, pos, lineEnd, false);
      if (options.variants) {
        enqueue(line, 1, pos, lineEnd, chunk, pos, lineEnd, true);
        const b64 = decodeBase64Bytes(chunk, pos, lineEnd, decoded);
        if (b64 > 0) enqueue(line, 2, pos, lineEnd, decoded, 0, b64, false);
      }
    }
    pos = nl + 1;
  }
  if (count > 0) flush();
  return result;
}
