// Judging an HMAC secret (../shared/SECRET-STRENGTH.md): strong only when it is recognised as a
// generator's output and carries the bits the algorithm needs. Entropy belongs to the generator,
// not the string: jwtkit can only bound it by recognising a generator's output, and refute it by
// finding structure or a published value. Pure: the word tables and pattern matchers come in
// through `JudgeDeps`.
import type { Lexicon } from './lexicon.js';

export type SecretEncodingName = 'base64' | 'base64url' | 'hex' | 'base32' | 'text';
export type HmacAlgName = 'HS256' | 'HS384' | 'HS512';
export const REQUIRED_BITS: Record<HmacAlgName, number> = { HS256: 256, HS384: 384, HS512: 512 };

/** A non-bruteforce match of zxcvbn's best sequence (spatial, sequence, repeat, date, dictionary…). */
export interface PatternMatch {
  pattern: string;
  i: number;
  j: number;
  guessesLog10: number;
}

export interface JudgeDeps {
  lexicon: Lexicon;
  patterns: (text: string) => PatternMatch[];
  /** whether `patterns` includes zxcvbn's dictionaries (the slow, exact path) */
  full: boolean;
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
  alg: HmacAlgName;
  bits: number;
  required_bits: number;
  encoding: SecretEncodingName;
  length: number;
  bytes: number;
  recognised: string;
  reasons: Reason[];
  severity: Severity | null;
  algs: Record<HmacAlgName, 'strong' | 'weak'>;
  /** the fast path found words it cannot rule out: judge again with the full matchers */
  needsFullPatterns: boolean;
}

// ---------------------------------------------------------------------------------------------

const ALPHABETS: readonly [number, RegExp, string][] = [
  [10, /^[0-9]+$/, 'digits'],
  [16, /^(?:[0-9a-f]+|[0-9A-F]+)$/, 'hex digits'],
  [26, /^(?:[a-z]+|[A-Z]+)$/, 'letters of one case'],
  [32, /^[A-Z2-7]+$/, 'base32 characters'],
  [36, /^(?:[a-z0-9]+|[A-Z0-9]+)$/, 'letters of one case and digits'],
  [52, /^[A-Za-z]+$/, 'letters'],
  [62, /^[A-Za-z0-9]+$/, 'letters and digits'],
  [64, /^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)$/, 'base64 characters'],
  [95, /^[\x20-\x7e]+$/, 'printable characters'],
];

/** The smallest standard alphabet holding `text`, or null (non-ASCII, control characters). */
export function alphabetOf(text: string): { k: number; name: string } | null {
  for (const [k, re, name] of ALPHABETS) if (re.test(text)) return { k, name };
  return null;
}

/** Per-character Shannon entropy: used only as a non-uniformity test, never as a bit count. */
export function shannon(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / text.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const floorCache = new Map<string, number>();

/**
 * The lowest Shannon entropy a truly random string of alphabet size k and length L plausibly has:
 * mean − 6σ of 2000 random samples (a seeded generator, so the answer is the same every run).
 */
export function shannonFloor(k: number, length: number): number {
  const id = `${k}:${length}`;
  const hit = floorCache.get(id);
  if (hit !== undefined) return hit;
  let seed = (k * 2654435761 + length * 40503) >>> 0 || 1;
  const next = () => {
    seed ^= seed << 13;
    seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    return seed;
  };
  const samples = 2000;
  const counts = new Uint16Array(k);
  let sum = 0;
  let sumSq = 0;
  for (let s = 0; s < samples; s++) {
    counts.fill(0);
    for (let i = 0; i < length; i++) counts[next() % k]!++;
    let h = 0;
    for (let c = 0; c < k; c++) {
      const n = counts[c]!;
      if (n > 0) h -= (n / length) * Math.log2(n / length);
    }
    sum += h;
    sumSq += h * h;
  }
  const mean = sum / samples;
  const sd = Math.sqrt(Math.max(0, sumSq / samples - mean * mean));
  const floor = mean - 6 * sd;
  floorCache.set(id, floor);
  return floor;
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

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const UUID_BITS: Record<string, number> = { '4': 122, '7': 74, '1': 14, '6': 14 };

function uuids(text: string): { count: number; bits: number; versions: string[] } | null {
  const found = [...text.matchAll(UUID_RE)];
  if (found.length === 0) return null;
  const rest = text.replace(UUID_RE, '').replace(/[\s,;:._-]/g, '');
  if (rest !== '') return null;
  const versions = found.map((m) => m[1]!);
  return { count: found.length, bits: versions.reduce((b, v) => b + (UUID_BITS[v] ?? 0), 0), versions };
}

interface Decoded {
  encoding: SecretEncodingName;
  bytes: Buffer;
  k: number;
}

/** A canonical encoding: the text re-encodes to itself. All digits or all lower-case letters are charset strings. */
export function canonicalDecode(text: string): Decoded | null {
  if (/^[0-9]+$/.test(text) || /^[a-z]+$/.test(text) || /^[A-Z]+$/.test(text)) return null;
  if (text.length % 2 === 0 && /^(?:[0-9a-f]+|[0-9A-F]+)$/.test(text)) {
    return { encoding: 'hex', bytes: Buffer.from(text, 'hex'), k: 16 };
  }
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text) && (/[+/=]/.test(text) || text.length % 4 === 0)) {
    const bytes = Buffer.from(text, 'base64');
    const again = bytes.toString('base64');
    if (again === text || (!text.includes('=') && again.replace(/=+$/, '') === text)) return { encoding: 'base64', bytes, k: 64 };
  }
  if (/^[A-Za-z0-9_-]+$/.test(text) && text.length % 4 !== 1) {
    const bytes = Buffer.from(text, 'base64url');
    if (bytes.toString('base64url') === text) return { encoding: 'base64url', bytes, k: 64 };
  }
  if (/^[A-Z2-7]+=*$/.test(text) && text.replace(/=+$/, '').length >= 16) {
    const bytes = base32Decode(text.replace(/=+$/, ''));
    if (bytes) return { encoding: 'base32', bytes, k: 32 };
  }
  return null;
}

function base32Decode(text: string): Buffer | null {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  if (bits >= 5 || (value & ((1 << bits) - 1)) !== 0) return null;
  return Buffer.from(out);
}

function isPrintableText(bytes: Buffer): boolean {
  if (bytes.length < 4) return false;
  for (const b of bytes) if (b < 0x20 || b > 0x7e) return false;
  return true;
}

function isStructuredBytes(bytes: Buffer): boolean {
  if (bytes.length < 2) return true;
  const step = (bytes[1]! - bytes[0]! + 256) % 256;
  for (let i = 2; i < bytes.length; i++) if ((bytes[i]! - bytes[i - 1]! + 256) % 256 !== step) return false;
  return true; // constant (step 0) or counting
}

/** First 4 characters, never the whole secret, for messages. */
export function fragment(text: string): string {
  return text.length <= 4 ? '…' : `'${text.slice(0, 4)}…'`;
}

const DE_L33T: Record<string, string> = { '4': 'a', '@': 'a', '3': 'e', '0': 'o', '1': 'i', '!': 'i', '5': 's', $: 's', '7': 't', '+': 't', '8': 'b', '9': 'g' };

/** Dictionary words (≥ 4 letters, also de-l33ted) inside the text: a cheap bound before zxcvbn. */
function wordHits(text: string, lexicon: Lexicon): { i: number; j: number }[] {
  const lower = text.toLowerCase();
  const plain = [...lower].map((c) => DE_L33T[c] ?? c).join('');
  const hits: { i: number; j: number }[] = [];
  for (let i = 0; i < lower.length; i++) {
    for (let len = 4; len <= 24 && i + len <= lower.length; len++) {
      const a = lower.slice(i, i + len);
      if (!/[a-z]/.test(a)) continue;
      if (lexicon.hasWord(a) || (plain !== lower && lexicon.hasWord(plain.slice(i, i + len)))) hits.push({ i, j: i + len - 1 });
    }
  }
  return hits;
}

function coverage(spans: { i: number; j: number }[], length: number): number {
  const covered = new Uint8Array(length);
  for (const s of spans) covered.fill(1, s.i, s.j + 1);
  return covered.reduce((a, b) => a + b, 0) / length;
}

const PATTERN_NAMES: Record<string, string> = {
  dictionary: 'a dictionary word',
  spatial: 'a keyboard walk',
  sequence: 'a sequence',
  repeat: 'a repeat',
  regex: 'a recent year',
  date: 'a date',
  separator: 'separators',
};

/** Everything else: a pattern estimate (matchers at log2(guesses), other characters by class). */
function estimateBits(text: string, matches: PatternMatch[]): number {
  const covered = new Uint8Array(text.length);
  let bits = 0;
  for (const m of matches) {
    bits += m.guessesLog10 * Math.log2(10);
    covered.fill(1, m.i, m.j + 1);
  }
  for (let i = 0; i < text.length; i++) {
    if (covered[i]) continue;
    const c = text[i]!;
    bits += Math.log2(/[0-9]/.test(c) ? 10 : /[a-z]/.test(c) || /[A-Z]/.test(c) ? 26 : 33);
  }
  return bits;
}

const LABEL_WORDS = new Set([
  'sk', 'pk', 'rk', 'live', 'test', 'prod', 'production', 'dev', 'development', 'staging', 'stage', 'stg', 'qa',
  'secret', 'key', 'jwt', 'token', 'api', 'app', 'auth', 'session', 'hmac', 'sig', 'signing', 'access', 'refresh', 'private',
]);
const LABEL_RE = /^((?:[a-z]{2,12}[_-])+)(.{16,})$/;

function judgeText(text: string, deps: JudgeDeps, depth = 0): TextJudgement {
  const L = text.length;
  const reasons: Reason[] = [];
  const weak = (bits: number, recognised: string, encoding: SecretEncodingName = 'text', extra: Partial<TextJudgement> = {}): TextJudgement => ({
    generated: false, bits, recognised, encoding, reasons, ...extra,
  });

  if (deps.lexicon.isKnown(text)) {
    reasons.push({ code: 'KNOWN_SECRET', message: 'it is a common, published or default value: the first thing an attacker tries' });
    return weak(17, 'a known secret', 'text', { known: true });
  }
  const ids = uuids(text);
  if (ids) {
    const v = [...new Set(ids.versions)].join('/');
    reasons.push({ code: 'UUID', message: `${ids.count} UUID${ids.count > 1 ? 's' : ''} (v${v}): about ${ids.bits} random bits, not ${L * 4}` });
    return { generated: true, bits: ids.bits, recognised: `${ids.count} UUID${ids.count > 1 ? 's' : ''} v${v}`, encoding: 'text', reasons };
  }
  const period = periodOf(text);
  if (period > 0) {
    const block = judgeText(text.slice(0, period), deps, depth + 1);
    reasons.push({ code: 'REPEATED', message: `the same ${period} characters repeat (${fragment(text)}); only one copy counts` }, ...block.reasons);
    return weak(block.bits, `a repeated ${period}-character block`, block.encoding, block.needsFull ? { needsFull: true } : {});
  }
  const label = LABEL_RE.exec(text);
  if (label && label[1]!.slice(0, -1).split(/[_-]/).every((w) => LABEL_WORDS.has(w)) && !/[_-]/.test(label[2]!)) {
    const tail = judgeText(label[2]!, deps, depth + 1);
    reasons.push({ code: 'PREFIX_IGNORED', message: `the label '${label[1]}' is not secret; only the ${label[2]!.length} characters after it count` }, ...tail.reasons);
    return { ...tail, reasons, recognised: `${tail.recognised} after a label` };
  }

  let k: number;
  let bits: number;
  let recognised: string;
  let encoding: SecretEncodingName = 'text';
  const decoded = canonicalDecode(text);
  if (decoded) {
    const { bytes } = decoded;
    encoding = decoded.encoding;
    if ([16, 20, 32].includes(bytes.length) && deps.lexicon.isHashOfKnown(bytes)) {
      reasons.push({ code: 'HASH_OF_KNOWN', message: `it is the ${bytes.length === 16 ? 'md5' : bytes.length === 20 ? 'sha1' : 'sha256'} hash of a common word, in ${encoding}` });
      return weak(20, `a hash of a common word (${encoding})`, encoding, { known: true });
    }
    if (isPrintableText(bytes) && depth === 0) {
      const inner = judgeText(bytes.toString('latin1'), deps, depth + 1);
      reasons.push({ code: 'ENCODED_TEXT', message: `it is ${encoding} of readable text (${fragment(bytes.toString('latin1'))}), judged as that text` }, ...inner.reasons);
      return weak(Math.min(inner.bits, bytes.length * 8), `${encoding} of text`, encoding, inner.needsFull ? { needsFull: true, known: inner.known ?? false } : { known: inner.known ?? false });
    }
    if (isStructuredBytes(bytes)) {
      reasons.push({ code: 'DECODED_STRUCTURE', message: `its ${bytes.length} decoded bytes are constant or counting` });
      return weak(Math.min(8, bytes.length * 8), `${encoding} of patterned bytes`, encoding);
    }
    const bytePeriod = periodOf(bytes);
    if (bytePeriod > 0) {
      reasons.push({ code: 'REPEATED', message: `its decoded bytes repeat every ${bytePeriod} bytes; only one copy counts` });
      return weak(bytePeriod * 8, `${encoding} of a repeated block`, encoding);
    }
    k = decoded.k;
    bits = bytes.length * 8;
    recognised = `${bytes.length} random bytes, ${encoding}`;
  } else {
    const alphabet = alphabetOf(text);
    if (!alphabet) {
      const matches = deps.patterns(text);
      reasons.push({ code: 'HUMAN_LIKE', message: 'it contains characters outside printable ASCII, unlike any generator output' });
      return weak(estimateBits(text, matches), 'text', 'text', deps.full ? {} : { needsFull: true });
    }
    k = alphabet.k;
    bits = L * Math.log2(k);
    recognised = `${L} random ${alphabet.name}`;
  }

  // The gates: a generator's output is uniform and holds no long or dense patterns.
  const matches = deps.patterns(text);
  const hits = deps.full ? [] : wordHits(text, deps.lexicon);
  // The word tables can only say where words might be; if they could matter, ask zxcvbn's own
  // dictionary matcher (the slow, exact path).
  const needsFull = !deps.full && (hits.some((h) => h.j - h.i + 1 >= 6) || coverage([...matches, ...hits], L) >= 0.4);
  const floor = shannonFloor(k, L);
  const failures: Reason[] = [];
  if (shannon(text) < floor) {
    failures.push({ code: 'NON_UNIFORM', message: `its characters are far less varied than random ${k}-symbol text of this length` });
  }
  const perChar = Math.log2(k);
  // One long pattern that saves an attacker ≥ 26 bits gives the string away. A random string of
  // length L offers ~L places for a chance match, so log2(L) more is asked before blaming one.
  const threshold = 26 + Math.log2(L);
  for (const m of matches) {
    const len = m.j - m.i + 1;
    const saving = len * perChar - m.guessesLog10 * Math.log2(10);
    if (len >= 6 && saving >= threshold) {
      failures.push({ code: 'PATTERN', message: `it contains ${PATTERN_NAMES[m.pattern] ?? m.pattern} of ${len} characters (${fragment(text.slice(m.i, m.j + 1))})` });
      break;
    }
  }
  // "Explained" bits are those a pattern saves an attacker: a date in random digits saves little.
  const explained = matches.reduce((sum, m) => sum + Math.max(0, (m.j - m.i + 1) * perChar - m.guessesLog10 * Math.log2(10)), 0);
  if (failures.every((f) => f.code !== 'PATTERN') && explained >= 0.4 * L * perChar) {
    failures.push({ code: 'PATTERN', message: `words, keyboard walks, sequences or dates explain ${Math.round((explained / (L * perChar)) * 100)}% of it` });
  }
  if (failures.length === 0 && !needsFull) {
    return { generated: true, bits, recognised, encoding, reasons };
  }
  if (failures.length === 0 && needsFull) {
    return { generated: true, bits, recognised, encoding, reasons, needsFull: true };
  }
  reasons.push(...failures);
  if (!reasons.some((r) => r.code === 'HUMAN_LIKE')) {
    reasons.push({ code: 'HUMAN_LIKE', message: 'it looks made by a person, not a generator (RFC 8725 §3.5: never use a password as an HMAC key)' });
  }
  return weak(Math.min(bits, estimateBits(text, matches)), 'human-made text', encoding, needsFull ? { needsFull: true } : {});
}

export function judgeSecret(secret: string, keyBytes: number, alg: HmacAlgName, deps: JudgeDeps): Verdict {
  const reasons: Reason[] = [];
  const core = secret.trim();
  if (core !== secret || /[\r\n]/.test(secret)) {
    reasons.push({
      code: 'WHITESPACE',
      message: 'it has whitespace or a newline around it, which becomes part of the HMAC key: apps that trim it and apps that do not will disagree',
    });
  }
  const text = core === '' ? secret : core;
  const j = judgeText(text, deps);
  reasons.push(...j.reasons);
  const bits = Math.floor(j.bits * 100) / 100;
  const algs = {} as Record<HmacAlgName, 'strong' | 'weak'>;
  for (const a of Object.keys(REQUIRED_BITS) as HmacAlgName[]) {
    const ok = j.generated && bits >= REQUIRED_BITS[a] && keyBytes >= REQUIRED_BITS[a] / 8 && reasons.every((r) => r.code !== 'WHITESPACE');
    algs[a] = ok ? 'strong' : 'weak';
  }
  const required = REQUIRED_BITS[alg];
  if (algs[alg] === 'weak' && keyBytes < required / 8) {
    // Said first (after a known value): no judgement of randomness can make up for length.
    const at = reasons[0]?.code === 'KNOWN_SECRET' || reasons[0]?.code === 'WHITESPACE' ? 1 : 0;
    reasons.splice(at, 0, { code: 'TOO_SHORT', message: `the key is ${keyBytes} bytes; ${alg} needs at least ${required / 8} (RFC 7518 §3.2)` });
  }
  if (algs[alg] === 'weak' && j.generated && bits < required) {
    reasons.push({ code: 'LOW_ENTROPY', message: `${j.recognised} carry about ${Math.floor(bits)} bits; ${alg} needs ${required} (RFC 7518 §3.2)` });
  }
  const verdict = algs[alg];
  let severity: Severity | null = null;
  if (verdict === 'weak') {
    severity = j.known || bits < 64 ? 'critical' : bits < 128 ? 'high' : 'below_spec';
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
  };
}
