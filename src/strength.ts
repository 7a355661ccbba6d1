// Judging an HMAC secret: the method is README.md, "jwtkit check" (the research behind it: RFC 7518
// §3.2, RFC 8725 §3.5, NIST SP 800-90B).
//
// Entropy belongs to the generator, not the string: jwtkit can only bound it by recognising a
// generator's output, and refute it by finding structure or a published value. The rule:
//   credited bits = the minimum over every generator the string is consistent with,
// and a secret is strong only if it is recognised as a generator's output (random characters of
// a standard alphabet, random bytes in a canonical encoding, UUIDs/ULIDs, a word-list passphrase)
// with no significant structure left unexplained, carrying the bits and bytes the algorithm needs.
//
// "Significant" is a description-length test: a model (a repeat, a language, a keyboard walk, a
// timestamp) must explain the string ≥ SIGNIFICANT bits more cheaply than uniform randomness does,
// which a random string does by chance less than once in a million.
//
// Pure: the word tables and pattern matchers come in through `JudgeDeps`. Reasons never quote the
// secret: the renderer shows at most its first 4 characters, once.
import type { Lexicon } from './lexicon.js';
import { HMAC, HMAC_ALGS, type HmacAlg } from './algs.js';
import { alphabetOf } from './alphabets.js';
import { decodeCanonical } from './encoding.js';
import { PASSPHRASE_LISTS } from './wordhash.js';

export type SecretEncodingName = 'base64' | 'base64url' | 'hex' | 'base32' | 'text';

/** A non-bruteforce match of zxcvbn's best sequence (spatial, sequence, repeat, date, dictionary…). */
export interface PatternMatch {
  pattern: string;
  i: number;
  j: number;
  guessesLog10: number;
}

export interface JudgeDeps {
  lexicon: Lexicon;
  /** zxcvbn-ts's keyboard, sequence, repeat, date and year matchers (no word lists: see dictionaryMatches) */
  patterns: (text: string) => PatternMatch[];
  /** unused; kept so callers need not change */
  full?: boolean;
}

export interface Reason {
  code: string;
  message: string;
}

interface TextJudgement {
  generated: boolean;
  bits: number;
  recognised: string;
  encoding: SecretEncodingName;
  reasons: Reason[];
  known?: boolean;
  needsFull?: boolean;
}

export type Severity = 'critical' | 'high' | 'below_spec';

export interface Verdict {
  verdict: 'strong' | 'weak';
  alg: HmacAlg;
  bits: number;
  required_bits: number;
  encoding: SecretEncodingName;
  length: number;
  bytes: number;
  recognised: string;
  reasons: Reason[];
  severity: Severity | null;
  algs: Record<HmacAlg, 'strong' | 'weak'>;
  /** kept for compatibility: always false (the word tables price dictionary words themselves) */
  needsFullPatterns: boolean;
  /** one line in plain words: the verdict and what follows from it */
  summary: string;
  /** how to get a strong secret, when the verdict is weak */
  fix: string | null;
}

/** Savings (bits) a structure must reach before it counts: chance for random text < 2^-20. */
export const SIGNIFICANT = 20;

// ---------------------------------------------------------------------------------------------
// Alphabets

/** Per-character Shannon entropy: used only as a non-uniformity test, never as a bit count. */
export function shannon(text: ArrayLike<unknown> & Iterable<unknown>): number {
  const counts = new Map<unknown, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / text.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * The lowest Shannon entropy a truly random string of alphabet size k and length L plausibly has:
 * mean − 6σ, computed exactly from the multinomial distribution of the character counts
 * (H = log2 L − Σ n·log2 n / L; its mean from the binomial law of one count, its variance from
 * the joint law of two).
 */
export function shannonFloor(k: number, length: number): number {
  const L = Math.min(length, 2048);
  const logFact = new Float64Array(L + 1);
  for (let i = 2; i <= L; i++) logFact[i] = logFact[i - 1]! + Math.log(i);
  const p = 1 / k;
  const f = (n: number): number => (n > 1 ? n * Math.log2(n) : 0);
  // Counts beyond mean + 12σ have negligible probability.
  const top = Math.min(L, Math.ceil(L * p + 12 * Math.sqrt(L * p) + 4));
  const one = new Float64Array(top + 1);
  for (let a = 0; a <= top; a++) one[a] = Math.exp(logFact[L]! - logFact[a]! - logFact[L - a]! + a * Math.log(p) + (L - a) * Math.log1p(-p));
  let ef = 0;
  let ef2 = 0;
  for (let a = 0; a <= top; a++) {
    ef += one[a]! * f(a);
    ef2 += one[a]! * f(a) * f(a);
  }
  let efg = 0;
  if (k > 1) {
    const log2p = Math.log1p(-2 * p);
    for (let a = 2; a <= top; a++) {
      for (let b = 2; b <= top && a + b <= L; b++) {
        const lp = logFact[L]! - logFact[a]! - logFact[b]! - logFact[L - a - b]! + (a + b) * Math.log(p) + (L - a - b) * log2p;
        efg += Math.exp(lp) * f(a) * f(b);
      }
    }
  }
  const varSum = k * (ef2 - ef * ef) + k * (k - 1) * (efg - ef * ef);
  const mean = Math.log2(L) - (k * ef) / L;
  const sd = Math.sqrt(Math.max(0, varSum)) / L;
  return mean - 6 * sd;
}

/**
 * Whether `text` uses its k-symbol alphabet too unevenly to be uniform random output. Dense
 * (L ≥ k): a chi-square test at p < 10^-7 (Wilson–Hilferty), whose tail the Shannon σ misjudges;
 * sparse: Shannon entropy below mean − 6σ.
 */
export function nonUniform(text: string, k: number): boolean {
  const L = text.length;
  if (L < k) return shannon(text) < shannonFloor(k, L);
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const e = L / k;
  let chi2 = (k - counts.size) * e;
  for (const n of counts.values()) chi2 += ((n - e) * (n - e)) / e;
  const df = k - 1;
  const z = 5.2;
  const critical = df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;
  return chi2 > critical;
}

/**
 * The alphabet size once classes (upper case, lower case, digits, symbols) far rarer than uniform
 * choice makes them (binomial tail < 10^-7) are cut to the members seen: Django's keys use no
 * upper case, so they are not 94-symbol strings.
 */
export function effectiveAlphabet(text: string, k: number): number {
  if (k < 62) return k;
  const L = text.length;
  const sizes: [RegExp, number][] = [[/[A-Z]/g, 26], [/[a-z]/g, 26], [/[0-9]/g, 10]];
  if (k === 64) sizes.push([/[^A-Za-z0-9]/g, 2]);
  if (k >= 94) sizes.push([/[^A-Za-z0-9 ]/g, 32]);
  let effective = 0;
  for (const [re, size] of sizes) {
    const seen = text.match(re) ?? [];
    const x = seen.length;
    const p = size / k;
    // P(X <= x) for X ~ Binomial(L, p)
    let logTerm = L * Math.log1p(-p);
    let tail = Math.exp(logTerm);
    for (let i = 1; i <= x; i++) {
      logTerm += Math.log((L - i + 1) / i) + Math.log(p) - Math.log1p(-p);
      tail += Math.exp(logTerm);
    }
    // A starved class is not part of the generator's alphabet: only the members seen count.
    effective += tail < 1e-7 ? new Set(seen).size : size;
  }
  return Math.min(k, effective + (k === 95 ? 1 : 0));
}

/** Smallest p (≤ L/2) such that text[i] === text[i - p] for all i ≥ p; 0 when there is none. */
export function periodOf<T>(items: ArrayLike<T>, minRepeats = 2): number {
  const n = items.length;
  for (let p = 1; p * minRepeats <= n; p++) {
    let ok = true;
    for (let i = p; i < n; i++) {
      if (items[i] !== items[i - p]) {
        ok = false;
        break;
      }
    }
    if (ok) return p;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Repeats: a small LZ77 with reversed copies. It explains repeated blocks, runs of one
// character, constant tails and a block followed by its own reverse, with one measure.

/**
 * Bits to describe `items` as literals (each `literalBits`) and copies of earlier material
 * (forwards or reversed; flag, direction, source and length). An upper bound on the information
 * a repeat-finding attacker needs; at most literal cost.
 */
export function lzCost(items: ArrayLike<number>, literalBits: number): number {
  const n = items.length;
  const limit = Math.min(n, 4096);
  let cost = 0;
  let i = 0;
  while (i < limit) {
    // The copy that saves most: a run (a copy of the previous symbol) costs only its length;
    // any other copy also says where it comes from, counted twice: a chance match between any
    // two of ~L² places must not look like structure.
    let bestSaving = 0;
    let bestLength = 0;
    let bestCost = 0;
    for (let j = 0; j < i; j++) {
      let l = 0;
      while (i + l < n && items[j + l] === items[i + l]) l++;
      let r = 0;
      while (i + r < n && j - r >= 0 && items[j - r] === items[i + r]) r++;
      for (const [len, run] of [[l, j === i - 1], [r, false]] as const) {
        if (len < 3) continue;
        const c = run ? 2 + Math.log2(len + 1) : 2 + 2 * Math.log2(i + 1) + Math.log2(len + 1);
        if (len * literalBits - c > bestSaving) {
          bestSaving = len * literalBits - c;
          bestLength = len;
          bestCost = c;
        }
      }
    }
    if (bestLength > 0) {
      cost += bestCost;
      i += bestLength;
    } else {
      cost += literalBits;
      i++;
    }
  }
  return cost + Math.max(0, n - limit) * literalBits;
}

const codes = (text: string): number[] => Array.from(text, (c) => c.codePointAt(0)!);

// ---------------------------------------------------------------------------------------------
// Identifiers: UUIDs and ULIDs, with or without separators, alone or concatenated.

const UUID_BITS: Record<string, number> = { '4': 122, '7': 74, '1': 14, '6': 14, '2': 14, '3': 0, '5': 0, '8': 122 };
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PLAUSIBLE_MS: [number, number] = [Date.UTC(2015, 0, 1), Date.UTC(2035, 0, 1)];
const plausibleMs = (ms: number): boolean => ms >= PLAUSIBLE_MS[0] && ms <= PLAUSIBLE_MS[1];

/** A v1 UUID's time (100 ns since 1582-10-15) in Unix milliseconds. */
function uuidV1Ms(hex: string): number {
  const ticks = parseInt(hex.slice(13, 16) + hex.slice(8, 12) + hex.slice(0, 8), 16);
  return ticks / 1e4 - 12219292800000;
}

function ulidTime(text: string): number | null {
  let t = 0;
  for (let i = 0; i < 10; i++) {
    const v = CROCKFORD.indexOf(text[i]!.toUpperCase());
    if (v < 0) return null;
    t = t * 32 + v;
  }
  return t;
}

interface Ids {
  count: number;
  bits: number;
  kinds: string[];
}

/** The whole text as UUIDs/ULIDs (any case, dashes optional) joined by optional separators. */
export function identifiers(text: string): Ids | null {
  const kinds: string[] = [];
  let bits = 0;
  let i = 0;
  const sep = /[\s,;:._|+-]/;
  while (i < text.length) {
    while (i < text.length && sep.test(text[i]!)) i++;
    if (i >= text.length) break;
    const rest = text.slice(i);
    const dashed = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(rest);
    const plain = dashed ? null : /^[0-9a-f]{32}/i.exec(rest);
    const m = dashed ?? plain;
    if (m) {
      const hex = m[0].replace(/-/g, '');
      const version = hex[12]!;
      const nil = /^0+$/.test(hex) || /^f+$/i.test(hex);
      // Without dashes, only a version and variant that fit say "UUID" (1 in 64 for random hex).
      const plain32 = !dashed && /[89ab]/i.test(hex[16]!) && (version === '4' || (version === '7' && plausibleMs(parseInt(hex.slice(0, 12), 16))) || (version === '1' && plausibleMs(uuidV1Ms(hex))));
      if (dashed || nil || plain32) {
        kinds.push(nil ? 'nil UUID' : `UUID v${version}`);
        bits += nil ? 0 : (UUID_BITS[version] ?? 122);
        i += m[0].length;
        continue;
      }
    }
    const ulid = /^[0-9A-HJKMNP-TV-Z]{26}/i.exec(rest);
    if (ulid && /^[0-7]/.test(ulid[0]) && (ulid[0] === ulid[0].toUpperCase() || ulid[0] === ulid[0].toLowerCase())) {
      const t = ulidTime(ulid[0]);
      if (t !== null && plausibleMs(t)) {
        kinds.push('ULID');
        bits += 80;
        i += 26;
        continue;
      }
    }
    return null;
  }
  return kinds.length > 0 ? { count: kinds.length, bits, kinds } : null;
}

// ---------------------------------------------------------------------------------------------
// Canonical encodings

interface Decoded {
  encoding: SecretEncodingName;
  bytes: Buffer;
  /** the characters that carry data (no padding, prefix or separators) */
  data: string;
  note?: string;
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(text: string): Buffer | null {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.toUpperCase()) {
    const v = B32.indexOf(ch);
    if (v < 0) return null;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  if (bits >= 5 || (value & ((1 << bits) - 1)) !== 0) return null;
  return Buffer.from(out);
}

/**
 * Canonical decodings of the text: each re-encodes to itself. Several can apply (an upper-case
 * string of A–Z and 2–7 is base32 and maybe base64): all are returned, hex and base32 first.
 * All digits or all letters of one case are charset strings, not base64.
 */
export function canonicalDecodings(text: string): Decoded[] {
  const out: Decoded[] = [];
  // hex: plain, 0x-prefixed, or grouped by ':', '-', ' ' in equal groups
  let hex = text;
  let note: string | undefined;
  if (/^0x[0-9a-f]+$/i.test(hex)) {
    hex = hex.slice(2);
    note = '0x-prefixed hex';
  } else if (/^[0-9a-f]{2,8}(?:([:\- _.])[0-9a-f]{2,8})(?:\1[0-9a-f]{2,8})*$/i.test(hex)) {
    const groups = hex.split(/[:\- _.]/);
    if (groups.slice(0, -1).every((g) => g.length === groups[0]!.length) && groups.at(-1)!.length <= groups[0]!.length) {
      hex = groups.join('');
      note = 'grouped hex';
    }
  }
  // One case throughout (mixed case is typed, not generated), and not all digits (a number).
  const hexBytes = hex !== '' && /^(?:[0-9a-f]+|[0-9A-F]+)$/.test(hex) && !/^[0-9]+$/.test(hex) ? decodeCanonical(hex, 'hex') : null;
  if (hexBytes) out.push({ encoding: 'hex', bytes: hexBytes, data: hex, ...(note ? { note } : {}) });
  const b32 = text.replace(/=+$/, '');
  if (b32.length >= 16 && /^(?:[A-Z2-7]+|[a-z2-7]+)$/.test(b32) && /^[^=]*=*$/.test(text) && (text.length === b32.length || text.length % 8 === 0)) {
    const bytes = base32Decode(b32);
    if (bytes) out.push({ encoding: 'base32', bytes, data: b32 });
  }
  if (/^[0-9]+$/.test(text) || /^[a-z]+$/.test(text) || /^[A-Z]+$/.test(text)) return out;
  // base64 when it has a character only base64 has, or a whole number of 4-character groups;
  // else base64url.
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text) && (/[+/=]/.test(text) || text.length % 4 === 0)) {
    const bytes = decodeCanonical(text, 'base64');
    if (bytes) out.push({ encoding: 'base64', bytes, data: text.replace(/=+$/, '') });
  } else if (text !== '') {
    const bytes = decodeCanonical(text, 'base64url');
    if (bytes) out.push({ encoding: 'base64url', bytes, data: text });
  }
  return out;
}

/** Decoded bytes that are text (UTF-8, no control characters but tab and newlines). */
function decodedText(bytes: Buffer): string | null {
  if (bytes.length < 4) return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/.test(text)) return null;
  return text;
}

/** Bytes with one constant step: constant (step 0) or counting. */
function isArithmetic(bytes: Buffer): boolean {
  if (bytes.length < 4) return false;
  const step = (bytes[1]! - bytes[0]! + 256) % 256;
  for (let i = 2; i < bytes.length; i++) if ((bytes[i]! - bytes[i - 1]! + 256) % 256 !== step) return false;
  return true;
}

/** The length of the longest dictionary word (6+ letters, as typed) spelled in ASCII inside the bytes, or 0. */
function wordInBytes(bytes: Buffer, lexicon: Lexicon): number {
  let best = 0;
  let start = -1;
  for (let i = 0; i <= bytes.length; i++) {
    const b = bytes[i];
    const letter = b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));
    if (letter && start < 0) start = i;
    if (!letter && start >= 0) {
      const run = bytes.subarray(start, i).toString('latin1');
      for (let a = 0; a + 6 <= run.length; a++) {
        for (let z = run.length; z - a >= Math.max(6, best + 1); z--) {
          const w = run.slice(a, z);
          // typed: lower case, upper case or capitalised
          if ((w === w.toLowerCase() || w === w.toUpperCase() || w.slice(1) === w.slice(1).toLowerCase()) && lexicon.hasWord(w)) best = z - a;
        }
      }
      start = -1;
    }
  }
  return best;
}

/** An uncompressed point on P-256 or secp256k1 (0x04 ‖ x ‖ y with y² = x³ + ax + b): a public key. */
function isCurvePoint(bytes: Buffer): boolean {
  if (bytes.length !== 65 || bytes[0] !== 4) return false;
  const x = BigInt(`0x${bytes.subarray(1, 33).toString('hex')}`);
  const y = BigInt(`0x${bytes.subarray(33).toString('hex')}`);
  const curves: [bigint, bigint, bigint][] = [
    [0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn, -3n, 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn],
    [0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn, 0n, 7n],
  ];
  return curves.some(([p, a, b]) => {
    const mod = (v: bigint) => ((v % p) + p) % p;
    return mod(y * y) === mod(x * x * x + a * x + b);
  });
}

/** A complete DER TLV (a public key, a certificate, any ASN.1 structure) spanning all the bytes. */
function isDer(bytes: Buffer): boolean {
  if (bytes.length < 8 || (bytes[0] !== 0x30 && bytes[0] !== 0x31)) return false;
  let len = bytes[1]!;
  let at = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3) return false;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[at + i]!;
    at += n;
  }
  if (at + len !== bytes.length) return false;
  // Its content must be whole TLVs too (1 in ~2^16 random strings pass the outer check alone).
  while (at < bytes.length) {
    if (at + 2 > bytes.length) return false;
    let l = bytes[at + 1]!;
    at += 2;
    if (l & 0x80) {
      const n = l & 0x7f;
      if (n === 0 || n > 3 || at + n > bytes.length) return false;
      l = 0;
      for (let i = 0; i < n; i++) l = l * 256 + bytes[at + i]!;
      at += n;
    }
    at += l;
  }
  return at === bytes.length;
}

/** An SSH public-key blob: a length-prefixed key type name. */
function isSshBlob(bytes: Buffer): boolean {
  if (bytes.length < 16) return false;
  const n = bytes.readUInt32BE(0);
  return n >= 7 && n <= 40 && /^(ssh-|ecdsa-|sk-)[a-z0-9@.-]+$/.test(bytes.subarray(4, 4 + n).toString('latin1'));
}

/** A big-endian 64-bit Unix time (s or ms within 2015–2035) at the start: 1 in 10^7 for random bytes. */
function timestampBytes(bytes: Buffer): boolean {
  if (bytes.length < 12) return false;
  const v = Number(bytes.readBigUInt64BE(0));
  return [1, 1e3].some((scale) => {
    const ms = (v / scale) * 1000;
    return ms >= PLAUSIBLE_MS[0] && ms <= PLAUSIBLE_MS[1];
  });
}

/** A decimal Unix time (s or ms, 2015–2035) at the start of the text, followed by more. */
export function timestampPrefix(text: string): number {
  if (/^[0-9]+$/.test(text)) return 0;
  const k = alphabetOf(text)?.k ?? 95;
  for (const len of [13, 10]) {
    if (text.length < len + 16 || !/^[0-9]+$/.test(text.slice(0, len))) continue;
    const ms = Number(text.slice(0, len)) * (len === 10 ? 1000 : 1);
    // Only when it is significant: in hex, ten digits that read as a time are chance too often.
    const window = (PLAUSIBLE_MS[1] - PLAUSIBLE_MS[0]) / (len === 10 ? 1000 : 1);
    if (plausibleMs(ms) && len * Math.log2(k) - Math.log2(window) >= SIGNIFICANT) return /[-_.:]/.test(text[len]!) ? len + 1 : len;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Human text: languages, passphrases, placeholders, URLs

/** Bits a letter-bigram model of English saves over uniform letters (positive: it reads as words). */
export function languageSaving(text: string, lexicon: Lexicon): number {
  let saving = 0;
  let prev = 26;
  for (const ch of text.toLowerCase()) {
    const c = ch.charCodeAt(0) - 97;
    if (c < 0 || c > 25) {
      prev = 26;
      continue;
    }
    saving += Math.log2(26) - lexicon.bigramCost(prev, c);
    prev = c;
  }
  return saving;
}

/** Bits to spell the text with the bigram model: letters by the model, others by class. */
function languageBits(text: string, lexicon: Lexicon): number {
  let bits = 0;
  let prev = 26;
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const c = lower.charCodeAt(0) - 97;
    if (c >= 0 && c <= 25) {
      bits += lexicon.bigramCost(prev, c) + (ch === lower ? 0 : 1);
      prev = c;
    } else {
      bits += /[0-9]/.test(ch) ? Math.log2(10) : Math.log2(33);
      prev = 26;
    }
  }
  return bits;
}

/** xkcdpass's default: EFF long-list words of 5–9 letters. */
const EFF_5_9_SIZE = 7227;

export interface Passphrase {
  words: number;
  /** bits a word: log2 of the smallest list holding every word */
  perWord: number;
  list: string;
}

/** A passphrase of words from a generator's list (diceware, xkcdpass): its words and list, or null. */
export function passphrase(text: string, lexicon: Lexicon): Passphrase | null {
  let words: string[] | null = null;
  const sepMatch = /[^\p{L}0-9]/u.exec(text);
  if (sepMatch) {
    const parts = text.split(sepMatch[0]);
    if (parts.every((p) => /^[\p{L}0-9]+(?:-\p{L}+)?$/u.test(p))) words = parts;
  } else if (/^(?:\p{Lu}[\p{Ll}0-9]*)+$/u.test(text)) {
    words = text.match(/\p{Lu}[\p{Ll}0-9]*/gu);
  } else if (/^\p{Ll}+$/u.test(text) && text.length <= 400) {
    // no separator: the segmentation into the fewest list words, if there is one
    const chars = [...text];
    const best: (number | null)[] = [0];
    const from: number[] = [0];
    for (let i = 1; i <= chars.length; i++) {
      best[i] = null;
      for (let l = 2; l <= 12 && l <= i; l++) {
        const b = best[i - l];
        if (b === null || b === undefined) continue;
        if ((best[i] === null || b + 1 < best[i]!) && lexicon.passphraseLists(chars.slice(i - l, i).join('')) !== 0) {
          best[i] = b + 1;
          from[i] = i - l;
        }
      }
    }
    if (best[chars.length] !== null) {
      words = [];
      for (let i = chars.length; i > 0; i = from[i]!) words.unshift(chars.slice(from[i]!, i).join(''));
    }
  }
  if (!words || words.length < 3) return null;
  let mask = 0xff;
  for (const w of words) mask &= lexicon.passphraseLists(w);
  if (mask === 0) return null;
  // The smallest list consistent with every word (the minimum over generators).
  let size = Infinity;
  let list = '';
  PASSPHRASE_LISTS.forEach((l, bit) => {
    if (mask & (1 << bit) && l.size < size) {
      size = l.size;
      list = l.name;
    }
  });
  if (mask & 1 && words.every((w) => w.length >= 5 && w.length <= 9) && EFF_5_9_SIZE < size) {
    size = EFF_5_9_SIZE;
    list = 'the EFF long list, words of 5–9 letters (xkcdpass)';
  }
  return { words: words.length, perWord: Math.log2(size), list };
}

const LABEL_INSTRUCTION = /^(?:replace|change|changeme|insert|put|enter|fill|todo|fixme|placeholder|example|dummy|sample|your)$/;
const LABEL_SHORT = new Set(['sk', 'pk', 'rk', 'my', 'me']);
const LABEL_WORDS = new Set([
  'whsec', 'whsk', 'prod', 'dev', 'stg', 'jwt', 'hmac', 'sig', 'api', 'app', 'auth', 'key', 'env', 'svc', 'srv', 'cfg', 'tok',
  'pat', 'ghp', 'gho', 'xoxb', 'xoxp', 'rsk', 'prv', 'pub', 'sec', 'live', 'test', 'beta', 'demo', 'stage', 'staging', 'local',
  'secret', 'token', 'signing', 'session', 'access', 'refresh', 'private', 'production', 'development',
]);

/**
 * A label word: a known label, a dictionary word of 5+ letters, or two such run together
 * ("myapp"). Short dictionary words are not enough: random base64url often starts `Vox_`.
 */
function labelLike(word: string, lexicon: Lexicon | undefined): boolean {
  const inDictionary = (w: string, min: number) => lexicon !== undefined && w.length >= min && lexicon.hasWord(w);
  const known = (w: string): boolean => LABEL_SHORT.has(w) || LABEL_WORDS.has(w) || inDictionary(w, 5);
  if (known(word)) return true;
  for (let i = 2; i <= word.length - 2; i++) {
    const a = word.slice(0, i);
    const b = word.slice(i);
    if ((known(a) || inDictionary(a, 3)) && (known(b) || inDictionary(b, 3)) && (known(a) || known(b))) return true;
  }
  return false;
}

const INSTRUCTION = /^(?:replace|change|changeme|insert|put|enter|set|fill|generate|add|update|use|your|my|todo|fixme|xxx+|dummy|example|sample|placeholder|default|pon|ponga|cambia|cambiar|cambiame|mettez|mettre|remplacer|remplacez|changez|ersetze|ersetzen|aendern|ändern|trage|coloque|mude|altere|substitua|inserisci|sostituisci|cambiami|tu|su|votre|ton|ihr|dein|seu|sua|la|il|ваш|замени|вставьте)$/i;

/** Words joined by separators or in CamelCase: a person's text, whatever its length. */
function wordsShape(text: string, lexicon: Lexicon): { words: number; instruction: boolean } | null {
  const parts = text.split(/[\s_.:/+-]+/u).filter((p) => p !== '');
  let words: string[] = [];
  // A person's words keep their case patterns (word, Word, WORD, CamelWords); random letters
  // between separators (`qkkhQ`, `ucGHCJFh`) mix cases as no word does.
  if (parts.length >= 3 && parts.every((p) => /^(?:(?:\p{Lu}?\p{Ll}+)+|\p{Lu}+|\p{Lo}+)$/u.test(p) || /^[0-9]{1,4}$/.test(p)) && parts.filter((p) => /^\p{L}{2,}$/u.test(p)).length >= 3) {
    words = parts;
  } else if (/^(?:\p{Lu}\p{Ll}+|[0-9]{1,4})+$/u.test(text)) {
    const camel = text.match(/\p{Lu}\p{Ll}+|[0-9]+/gu) ?? [];
    if (camel.length >= 4) words = camel;
  }
  if (words.length === 0) return null;
  const instruction = INSTRUCTION.test(words[0]!);
  // Random letters read as no language: a shape alone is not enough.
  if (!instruction && languageSaving(text, lexicon) <= 0 && !/[^\x00-\x7f]/.test(text)) return null;
  return { words: words.length, instruction };
}

/** A URL, e-mail address or connection string: public text around at most one password. */
function urlLike(text: string): { password: string | null } | null {
  const url = /^[a-z][a-z0-9+.-]{1,20}:\/\/(?:([^:@/\s]*)(?::([^@/\s]*))?@)?[^\s]+$/i.exec(text);
  if (url) return { password: url[2] ?? null };
  if (/^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(text)) return { password: null };
  const pairs = text.split(';').filter((p) => p.trim() !== '');
  if (pairs.length >= 2 && pairs.every((p) => /^\s*[A-Za-z][A-Za-z ]*=/.test(p))) {
    const pw = pairs.find((p) => /^\s*(?:password|pwd)\s*=/i.test(p));
    return { password: pw ? pw.slice(pw.indexOf('=') + 1) : null };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Patterns (zxcvbn-ts matchers) as an estimate for human-made text

const DE_L33T: Record<string, string> = { '4': 'a', '@': 'a', '3': 'e', '0': 'o', '1': 'i', '!': 'i', '5': 's', $: 's', '7': 't', '+': 't', '8': 'b', '9': 'g' };

/**
 * Dictionary words (≥ 3 letters, also de-l33ted) inside the text, priced as a dictionary attack
 * prices them: log2 of the word's rank, plus its capitalisation and substitutions.
 */
export function dictionaryMatches(text: string, lexicon: Lexicon): PatternMatch[] {
  const lower = text.toLowerCase();
  const plain = [...lower].map((c) => DE_L33T[c] ?? c).join('');
  const out: PatternMatch[] = [];
  for (let i = 0; i < lower.length && i < 256; i++) {
    for (let len = 3; len <= 24 && i + len <= lower.length; len++) {
      const word = lower.slice(i, i + len);
      if (!/[a-z]/.test(word)) continue;
      const typed = text.slice(i, i + len);
      let rank = lexicon.wordRankBits(word);
      let l33t = 0;
      if (rank === null && plain !== lower) {
        const p = plain.slice(i, i + len);
        rank = /^[a-z]+$/.test(p) ? lexicon.wordRankBits(p) : null;
        for (let c = 0; c < len; c++) if (p[c] !== word[c]) l33t++;
      }
      if (rank === null) continue;
      const caseBits = typed === word ? 0 : typed === typed.toUpperCase() || typed.slice(1) === word.slice(1) ? 1 : len;
      out.push({ pattern: 'dictionary', i, j: i + len - 1, guessesLog10: (rank + caseBits + l33t) / Math.log2(10) });
    }
  }
  return out;
}

/** Well-known "hexspeak" constants: what people type when a hex key is asked for. */
const HEXSPEAK = ['deadbeef', 'cafebabe', 'feedface', 'baadf00d', '8badf00d', 'deadc0de', 'decafbad', 'facefeed', 'fee1dead', 'cafed00d', 'beefcafe', 'defec8ed', 'abadbabe', 'badc0de', 'c0ffee', 'b16b00b5', '0ddba11', 'd15ea5e', '1badb002', 'facade'];

/** Hexspeak constants inside the text, each priced as one pick from that short list. */
function hexspeakMatches(text: string): PatternMatch[] {
  const lower = text.toLowerCase();
  const out: PatternMatch[] = [];
  for (const w of HEXSPEAK) {
    for (let at = lower.indexOf(w); at >= 0; at = lower.indexOf(w, at + 1)) out.push({ pattern: 'dictionary', i: at, j: at + w.length - 1, guessesLog10: Math.log10(HEXSPEAK.length) });
  }
  return out;
}

const PATTERN_NAMES: Record<string, string> = {
  dictionary: 'a dictionary word',
  spatial: 'a keyboard walk',
  sequence: 'a run of consecutive characters',
  repeat: 'a repeat',
  regex: 'a recent year',
  date: 'a date',
  separator: 'separators',
};

/** A guesser's estimate: the cheapest cover by matches (+1 bit each), other characters by class. */
function patternBits(text: string, matches: PatternMatch[]): number {
  const byClass = (i: number): number => {
    const c = text[i]!;
    return Math.log2(/[0-9]/.test(c) ? 10 : /[a-z]/.test(c) ? 26 : /[A-Z]/.test(c) ? 27 : 33);
  };
  return coverBits(text.length, byClass, matches, 1);
}

/**
 * The cheapest cover of the text by pattern matches and uniform characters (log2 k each): the
 * bits an attacker who knows these patterns needs. A match costs log2(guesses), plus where it
 * starts and which kind it is (log2 L + 3): random text holds many short chance matches.
 */
export function coverBits(length: number, perChar: number | ((i: number) => number), matches: readonly PatternMatch[], overhead = Math.log2(length + 1) + 3): number {
  const literal = typeof perChar === 'number' ? () => perChar : perChar;
  const cost = new Float64Array(length + 1).fill(Infinity);
  cost[0] = 0;
  const byStart: PatternMatch[][] = Array.from({ length }, () => []);
  // Repeats are left to lzCost, which prices them for the alphabet (zxcvbn assumes 10 a character).
  for (const m of matches) if (m.pattern !== 'repeat' && m.i >= 0 && m.j < length && m.j >= m.i) byStart[m.i]!.push(m);
  for (let i = 0; i < length; i++) {
    const here = cost[i]!;
    const lit = literal(i);
    if (here + lit < cost[i + 1]!) cost[i + 1] = here + lit;
    for (const m of byStart[i]!) {
      const c = here + m.guessesLog10 * Math.log2(10) + overhead;
      if (c < cost[m.j + 1]!) cost[m.j + 1] = c;
    }
  }
  return cost[length]!;
}

/** The cheapest description of human-made text: patterns, repeats, language, or its alphabet. */
function humanBits(text: string, matches: PatternMatch[], lexicon: Lexicon): number {
  const k = alphabetOf(text)?.k ?? 256;
  const charset = text.length * Math.log2(k);
  const lz = lzCost(codes(text), Math.log2(k));
  const patterns = text.length <= 256 ? patternBits(text, matches) : Infinity;
  const language = languageBits(text, lexicon);
  return Math.max(0, Math.min(charset, lz, patterns, language));
}

const PLAIN = {
  known: 'it is a published or commonly used value, so attackers try it first',
  human: 'it looks typed by a person, not made by a random generator (RFC 8725 §3.5: never use a password as an HMAC key)',
};

// ---------------------------------------------------------------------------------------------
// The judgement of a text (recursive: a label's tail, a repeated block, decoded text)

function judgeText(text: string, deps: JudgeDeps, depth = 0): TextJudgement {
  const { lexicon } = deps;
  const L = text.length;
  const reasons: Reason[] = [];
  const weak = (bits: number, recognised: string, encoding: SecretEncodingName = 'text', extra: Partial<TextJudgement> = {}): TextJudgement => ({
    generated: false,
    bits,
    recognised,
    encoding,
    reasons,
    ...extra,
  });

  if (lexicon.isKnown(text) || lexicon.isKnown(text.replace(/[\s_-]+/g, '-')) || lexicon.isKnown(text.replace(/[\s_-]+/g, '_'))) {
    reasons.push({ code: 'KNOWN_SECRET', message: PLAIN.known });
    return weak(17, 'a known secret', 'text', { known: true });
  }
  if (depth > 3) return weak(Math.min(L * 4, 64), 'nested structure');

  const url = urlLike(text);
  if (url) {
    const pw = url.password ? judgeText(url.password, deps, depth + 1) : null;
    reasons.push({ code: 'PATTERN', message: 'it is a URL, address or connection string: its scheme, host and user name are not secret' });
    return weak(pw ? Math.min(pw.bits, 255) : 0, 'a URL or connection string');
  }

  const ids = identifiers(text);
  if (ids) {
    const kinds = [...new Set(ids.kinds)].join(' and ');
    const recognised = ids.count === 1 ? `a ${kinds}` : `${ids.count} identifiers (${kinds})`;
    reasons.push({ code: 'UUID', message: `${recognised}: only ${ids.bits} of its bits are random (the rest are version, variant or clock)` });
    return { generated: true, bits: ids.bits, recognised, encoding: 'text', reasons };
  }

  const period = periodOf(text);
  if (period > 0) {
    const block = judgeText(text.slice(0, period), deps, depth + 1);
    reasons.push({ code: 'REPEATED', message: `it is one block of ${period} characters written ${Math.floor(L / period)} times; only one copy counts` }, ...block.reasons);
    // One copy is credited: a generated block keeps its bits, the copies add none.
    return { ...block, reasons, recognised: `${block.recognised}, repeated` };
  }

  const shape = wordsShape(text, lexicon);
  const phrase = passphrase(text, lexicon);
  if (phrase) {
    const bits = phrase.words * phrase.perWord;
    return { generated: true, bits, recognised: `a passphrase of ${phrase.words} words from ${phrase.list} (${phrase.perWord.toFixed(1)} bits a word)`, encoding: 'text', reasons };
  }
  if (shape?.instruction) {
    reasons.push({ code: 'HUMAN_LIKE', message: 'it is an instruction to put a secret here, not a secret' });
    return weak(Math.min(40, humanBits(text, [], lexicon)), 'a placeholder');
  }

  // A label (`whsec_`, `prod-`, `myapp_`) before a random tail is not secret: only the tail counts.
  // It is a label when the rest cannot be the same random string (the separator mixes alphabets),
  // or when every part of it reads as a word.
  const label = /^(?:(?:[A-Z][a-z]{1,11}|[A-Z]{2,12}|[a-z]{2,12})[0-9]{0,2}[_.:-])+/.exec(text);
  const wordy = label !== null && label[0].slice(0, -1).split(/[_.:-]/).every((w) => w.length >= 4 && labelLike(w.toLowerCase(), lexicon));
  if (label && L - label[0].length >= 16 && (wordy || (alphabetOf(text.slice(label[0].length))?.k ?? 256) <= 64)) {
    const tail = text.slice(label[0].length);
    const words = label[0].slice(0, -1).split(/[_.:-]/).map((w) => w.replace(/[0-9]+$/, '').toLowerCase());
    if (LABEL_INSTRUCTION.test(words[0]!)) {
      reasons.push({ code: 'HUMAN_LIKE', message: 'it is an instruction to put a secret here, not a secret' });
      return weak(Math.min(40, humanBits(text, [], lexicon)), 'a placeholder');
    }
    // e.g. `_` before standard base64 (`+/`): no single standard alphabet holds both.
    const mixed = (alphabetOf(text)?.k ?? 256) > 64 && (alphabetOf(tail)?.k ?? 256) <= 64;
    // A lone two-letter label before a tail that uses the separator itself is likely chance.
    const lone = words.length === 1 && words[0]!.length <= 2 && tail.includes(label[0].at(-1)!);
    // When the separator belongs to the tail's own alphabet, chance alone makes short "labels"
    // (a random base64url key starts `My_` or `Hello-` now and then): then only a label from
    // jwtkit's own list, of 5 or more characters with its separator, is evidence enough.
    // Two-letter words alone (`My_ME-`) are chance as well: one word of three or more letters is needed.
    const listed = label[0].length >= 5 && words.some((w) => w.length >= 3) && words.every((w) => labelLike(w, undefined));
    if (mixed || (!lone && listed && words.every((w) => labelLike(w, lexicon)))) {
      const t = judgeText(tail, deps, depth + 1);
      reasons.push({ code: 'PREFIX_IGNORED', message: `the first ${label[0].length} characters are a label, not secret: only the ${tail.length} after them count` }, ...t.reasons);
      return { ...t, reasons, recognised: `${t.recognised} after a label` };
    }
  }

  const stamp = timestampPrefix(text);
  if (stamp) {
    const t = judgeText(text.slice(stamp), deps, depth + 1);
    reasons.push({ code: 'PATTERN', message: `it starts with a ${stamp === 10 ? 'Unix time in seconds' : 'Unix time in milliseconds'}, which anyone can guess: only the ${L - stamp} characters after it count` }, ...t.reasons);
    return { ...t, reasons, recognised: `${t.recognised} after a timestamp` };
  }

  if (alphabetOf(text) === null) {
    const scanned = text.slice(0, 256);
    reasons.push({ code: 'HUMAN_LIKE', message: 'it contains characters outside printable ASCII, unlike any random generator output' });
    return weak(humanBits(text, [...deps.patterns(scanned), ...dictionaryMatches(scanned, lexicon)], lexicon), 'text');
  }

  // Decodings: never more than the decoded bytes carry; decoded text or structure is judged.
  const decodings = canonicalDecodings(text);
  let structuredBits = Infinity;
  for (const [n, d] of decodings.entries()) {
    const { bytes } = d;
    const alg = lexicon.hashOfWord(bytes);
    if (alg) {
      reasons.push({ code: 'HASH_OF_KNOWN', message: `it is the ${alg} hash of a common word (in ${d.encoding}): a lookup table reverses it` });
      return weak(20, `a ${alg} hash of a word`, d.encoding, { known: true });
    }
    const inner = decodedText(bytes);
    if (inner !== null) {
      const j = judgeText(inner, deps, depth + 1);
      reasons.push({ code: 'ENCODED_TEXT', message: `it is ${d.encoding} of readable text, so it is judged as that text` }, ...j.reasons);
      return weak(Math.min(j.bits, bytes.length * 8), `${d.encoding} of text`, d.encoding, { ...(j.needsFull ? { needsFull: true } : {}), known: j.known ?? false });
    }
    // Byte structure is judged on the most specific decoding only (hex read as base64 has structure).
    if (n > 0) continue;
    if (isArithmetic(bytes)) {
      reasons.push({ code: 'DECODED_STRUCTURE', message: `its ${bytes.length} decoded bytes are constant or counting` });
      return weak(8, `${d.encoding} of patterned bytes`, d.encoding);
    }
    if (isDer(bytes) || isSshBlob(bytes) || isCurvePoint(bytes)) {
      reasons.push({ code: 'DECODED_STRUCTURE', message: 'its decoded bytes are a DER or SSH structure (a public key or certificate), not random bytes' });
      return weak(0, `${d.encoding} of a key structure`, d.encoding);
    }
    // Repeated, reversed or constant stretches of bytes: only what is not a copy is credited
    // (the rest must still read as random bytes).
    const byteLz = lzCost(bytes, 8);
    if (bytes.length * 8 - byteLz >= SIGNIFICANT) {
      reasons.push({ code: periodOf(bytes) > 0 ? 'REPEATED' : 'DECODED_STRUCTURE', message: 'its decoded bytes repeat themselves (a repeated, reversed or constant stretch): only the bytes that are not copies count' });
      structuredBits = byteLz;
    }
    const word = wordInBytes(bytes, lexicon);
    if (word > 0) {
      reasons.push({ code: 'DECODED_STRUCTURE', message: `its decoded bytes spell a ${word}-letter word: part of the key was typed, not generated` });
      return weak(Math.max(0, (bytes.length - word) * 8 + 20), `${d.encoding} of bytes with a word in them`, d.encoding);
    }
    if (timestampBytes(bytes)) {
      reasons.push({ code: 'DECODED_STRUCTURE', message: 'its decoded bytes start with a timestamp, which anyone can guess' });
      return weak((bytes.length - 8) * 8, `${d.encoding} of a timestamp and bytes`, d.encoding);
    }
  }
  // The generator the string is most cheaply consistent with: its smallest alphabet, and for a
  // canonical encoding no more than its bytes.
  const d = decodings[0];
  // Padding carries no data, whichever encoding it pads (base32hex is not decoded here).
  const unpadded = text.replace(/={1,6}$/, '');
  const dataText = d ? d.data : unpadded !== text && unpadded !== '' && (alphabetOf(unpadded)?.k ?? 256) <= 64 ? unpadded : text;
  const alphabet = alphabetOf(dataText)!;
  const k = alphabet.k;
  let bits = dataText.length * Math.log2(k);
  let recognised = `${dataText.length} random ${alphabet.name}`;
  let encoding: SecretEncodingName = 'text';
  const kEffective = effectiveAlphabet(dataText, k);
  if (kEffective < k) {
    bits = dataText.length * Math.log2(kEffective);
    recognised = `${dataText.length} random characters of a ${kEffective}-symbol alphabet`;
  }
  if (d && (d.encoding === 'base32' ? k === 32 : d.bytes.length * 8 <= bits || (d.encoding === 'hex' && k === 16) || d.note !== undefined)) {
    bits = Math.min(bits, d.bytes.length * 8);
    encoding = d.encoding;
    recognised = `${d.bytes.length} random bytes, ${d.note ?? d.encoding}`;
  }
  if (structuredBits < bits) {
    bits = structuredBits;
    recognised = `${d?.encoding ?? 'text'} of random bytes with copies`;
  }

  // The gates: a generator's output is uniform and holds no long, dense or cheap structure.
  const scanned = text.slice(0, 256);
  // Short words turn up in random text all the time; a gate counts words of 5+ letters (none in hex).
  const words = dictionaryMatches(scanned, lexicon);
  const matches = [...deps.patterns(scanned), ...words.filter((m) => k > 16 && m.j - m.i >= 4), ...hexspeakMatches(scanned)];
  const failures: Reason[] = [];
  const perChar = Math.log2(kEffective);
  const lz = lzCost(codes(dataText), perChar);
  if (dataText.length * perChar - lz >= SIGNIFICANT && lz < bits) {
    // Only what is not a copy is credited.
    reasons.push({ code: 'REPEATED', message: 'part of it repeats another part (a repeated, reversed or constant stretch): only the rest counts' });
    bits = lz;
  }
  const copies = reasons.some((r) => r.code === 'REPEATED' || r.code === 'DECODED_STRUCTURE');
  // Uneven use that copies explain (a constant tail) is already discounted.
  if (!copies && nonUniform(dataText, kEffective)) {
    failures.push({ code: 'NON_UNIFORM', message: `it uses its characters far less evenly than random ${kEffective}-symbol text of this length would` });
  }
  // One long pattern that saves an attacker ≥ 26 bits gives the string away. A random string of
  // length L offers ~L places for a chance match, so log2(L) more is asked before blaming one.
  const threshold = 26 + Math.log2(L);
  for (const m of matches) {
    if (m.pattern === 'repeat') continue; // repeats are lzCost's
    const len = m.j - m.i + 1;
    const saving = len * perChar - m.guessesLog10 * Math.log2(10);
    if (len >= 6 && saving >= threshold) {
      failures.push({ code: 'PATTERN', message: `it contains ${PATTERN_NAMES[m.pattern] ?? m.pattern} ${len} characters long` });
      break;
    }
  }
  const covered = Math.min(L, 256);
  const explained = covered * perChar - coverBits(covered, perChar, matches);
  // Random text holds many short chance matches (several keyboards, dates, sequences): their
  // sum must stand out by more than one match would.
  if (failures.every((f) => f.code !== 'PATTERN') && explained >= SIGNIFICANT + 2 * Math.log2(covered)) {
    failures.push({ code: 'PATTERN', message: `words, keyboard walks, sequences or dates make it ${Math.round(explained)} bits easier to guess than random text` });
  }
  if (k >= 26 && languageSaving(text, lexicon) >= SIGNIFICANT) {
    failures.push({ code: 'HUMAN_LIKE', message: 'its letters read like words of a language, not random letters' });
  }
  if (shape && failures.length === 0) {
    failures.push({ code: 'HUMAN_LIKE', message: 'it is words joined by separators or in CamelCase' });
  }
  if (failures.length === 0) return { generated: true, bits, recognised, encoding, reasons };
  reasons.push(...failures);
  if (!reasons.some((r) => r.code === 'HUMAN_LIKE')) reasons.push({ code: 'HUMAN_LIKE', message: PLAIN.human });
  return weak(Math.min(bits, humanBits(text, [...matches, ...words], lexicon)), 'human-made or patterned text', encoding);
}

// ---------------------------------------------------------------------------------------------
// The verdict

/** `openssl rand -base64 N` (N > 48) wraps at 64 columns: lines of 64 base64 characters. */
function wrappedBase64(core: string): string | null {
  const lines = core.split(/\r?\n/);
  if (lines.length < 2) return null;
  if (!lines.slice(0, -1).every((l) => l.length === 64 || l.length === 76) || !lines.every((l) => /^[A-Za-z0-9+/]+={0,2}$/.test(l))) return null;
  return lines.join('');
}

export function judgeSecret(secret: string, keyBytes: number, alg: HmacAlg, deps: JudgeDeps): Verdict {
  const reasons: Reason[] = [];
  const core = secret.trim();
  let text = core === '' ? secret : core;
  let fix: string | null = null;
  const joined = wrappedBase64(core);
  if (joined) {
    reasons.push({
      code: 'WHITESPACE',
      message: 'it is base64 broken over several lines, as `openssl rand -base64` prints more than 48 bytes: the line break becomes part of the key',
    });
    const n = Math.max(HMAC[alg].bytes, Buffer.from(joined, 'base64').length);
    fix = `make it on one line: \`openssl rand -base64 ${n} | tr -d '\\n'\`, or \`jwtkit gen --bytes ${n}\``;
    text = joined;
  } else if (core !== secret || /[\r\n]/.test(secret)) {
    reasons.push({
      code: 'WHITESPACE',
      message: 'it has whitespace or a line break around it, which becomes part of the HMAC key: apps that trim it and apps that do not will disagree',
    });
    fix = 'store it without the surrounding whitespace';
  }
  const j = judgeText(text, deps);
  reasons.push(...j.reasons);
  const bits = Math.floor(j.bits * 100) / 100;
  const whitespace = reasons.some((r) => r.code === 'WHITESPACE');
  const algs = {} as Record<HmacAlg, 'strong' | 'weak'>;
  for (const a of HMAC_ALGS) {
    const ok = j.generated && bits >= HMAC[a].bits && keyBytes >= HMAC[a].bytes && !whitespace;
    algs[a] = ok ? 'strong' : 'weak';
  }
  const required = HMAC[alg].bits;
  const verdict = algs[alg];
  if (verdict === 'weak' && keyBytes < HMAC[alg].bytes) {
    // Said first (after a known value): no judgement of randomness can make up for length.
    const at = reasons[0]?.code === 'KNOWN_SECRET' || reasons[0]?.code === 'WHITESPACE' ? 1 : 0;
    reasons.splice(at, 0, { code: 'TOO_SHORT', message: `the key is ${keyBytes} bytes long; ${alg} needs at least ${HMAC[alg].bytes} bytes (RFC 7518 §3.2)` });
  }
  if (verdict === 'weak' && j.generated && bits < required) {
    const low = { code: 'LOW_ENTROPY', message: `${j.recognised}: ${Math.floor(bits)} random bits, ${alg} needs ${required} (RFC 7518 §3.2)` };
    // A UUID's or short key's real shortfall is the first thing to say.
    const uuid = reasons.findIndex((r) => r.code === 'UUID');
    if (uuid >= 0) reasons.splice(uuid, 1, low, reasons[uuid]!);
    else if (keyBytes >= HMAC[alg].bytes && !whitespace) reasons.unshift(low);
    else reasons.push(low);
  }
  let severity: Severity | null = null;
  if (verdict === 'weak') severity = j.known || bits < 64 ? 'critical' : bits < 128 ? 'high' : 'below_spec';

  let summary: string;
  if (verdict === 'strong') {
    const weaker = HMAC_ALGS.filter((a) => algs[a] === 'weak');
    summary =
      weaker.length === 0
        ? `strong for ${HMAC_ALGS.join(', ')}`
        : `strong for ${HMAC_ALGS.filter((a) => algs[a] === 'strong').join(', ')}; ${weaker.join('/')} need${weaker.length === 1 ? 's' : ''} ${weaker.map((a) => HMAC[a].bytes).join('/')} bytes`;
  } else {
    summary = reasons[0]?.message ?? 'it is not recognised as the output of a random generator';
    fix ??= `generate one with \`jwtkit gen${required > 256 ? ` --bytes ${HMAC[alg].bytes}` : ''}\` and store it in your host's secret store`;
  }
  return {
    verdict,
    alg,
    bits,
    required_bits: required,
    encoding: j.encoding,
    length: secret.length,
    bytes: keyBytes,
    recognised: j.recognised,
    reasons,
    severity,
    algs,
    needsFullPatterns: j.needsFull === true,
    summary,
    fix: verdict === 'weak' ? fix : null,
  };
}
