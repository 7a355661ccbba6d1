// Encodings, pure (Buffer only, no node:crypto): strict base64url, and the one canonical form of a
// secret in base64, base64url or hex. crypto.ts re-exports them; token.ts and strength.ts, which
// must not load node:crypto, import them from here.
import { isUtf8 } from 'node:buffer';
import type { SecretEncoding } from './algs.js';

export function encodeBytes(bytes: Uint8Array, encoding: SecretEncoding): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(encoding);
}

export function base64urlEncode(data: Uint8Array | string): string {
  return (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)).toString('base64url');
}

const BASE64URL_RE = /^[A-Za-z0-9_-]*$/;
// The last character of a canonical encoding leaves its unused low bits zero: with 2 characters
// in the final group 4 bits are unused, with 3 characters 2 bits.
const CANONICAL_LAST_OF_2 = /[AQgw]$/;
const CANONICAL_LAST_OF_3 = /[AEIMQUYcgkosw048]$/;

/**
 * Strict base64url (RFC 7515 §2: no padding, no `+/`, no whitespace, canonical trailing bits).
 * Returns null for anything else, which Buffer.from alone would silently accept.
 */
export function base64urlDecode(text: string): Buffer | null {
  return isBase64url(text) ? Buffer.from(text, 'base64url') : null;
}

/** The length and last-character part of isBase64url, for text whose alphabet is already checked. */
export function hasCanonicalTail(text: string): boolean {
  const tail = text.length % 4;
  if (tail === 0) return true;
  if (tail === 1) return false;
  const value = BASE64URL_VALUE[text.charCodeAt(text.length - 1)] ?? -1;
  // 2 characters in the last group leave 4 unused bits, 3 leave 2: they must be zero.
  return value >= 0 && (value & (tail === 2 ? 0x0f : 0x03)) === 0;
}

const BASE64URL_VALUE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

/** Whether `text` is canonical, unpadded base64url (see base64urlDecode). */
export function isBase64url(text: string): boolean {
  const tail = text.length % 4;
  if (tail === 1 || !BASE64URL_RE.test(text)) return false;
  if (tail === 2 && !CANONICAL_LAST_OF_2.test(text)) return false;
  if (tail === 3 && !CANONICAL_LAST_OF_3.test(text)) return false;
  return true;
}

/**
 * The one module-level mutable value in the pure modules, and why it is safe there: it is scratch
 * space, not a cache. base64urlDecodeText writes a part's bytes into it and copies them out as a
 * string within one synchronous call; no reference to it escapes, nothing reads it between calls,
 * and no result depends on an earlier call. One call runs at a time in a thread, and each worker
 * thread has its own instance of this module. It grows to the largest part decoded so far.
 */
let scratch = Buffer.allocUnsafe(16 * 1024);

/**
 * Strict base64url → UTF-8 text, or 'not-base64url' when the text is not canonical base64url,
 * 'not-utf8' when its bytes are not UTF-8. Decodes into `scratch`: a batch of a million tokens
 * allocates no Buffer per token, which keeps memory flat.
 */
export function base64urlDecodeText(text: string, alphabetChecked = false): string | 'not-base64url' | 'not-utf8' {
  if (alphabetChecked ? !hasCanonicalTail(text) : !isBase64url(text)) return 'not-base64url';
  const size = Math.ceil((text.length * 3) / 4);
  if (size > scratch.length) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
  const length = scratch.write(text, 'base64url');
  const decoded = scratch.toString('utf8', 0, length);
  // Invalid UTF-8 decodes to U+FFFD; only then is the exact (slower) check needed.
  if (decoded.includes('\uFFFD') && !isUtf8(scratch.subarray(0, length))) return 'not-utf8';
  return decoded;
}

/**
 * The bytes of `text` in `encoding`, or null unless it is that encoding's one canonical form:
 * Buffer.from alone skips bad characters and stray bits. Hex takes either case; base64 takes its
 * padding or none; base64url never has padding.
 */
export function decodeCanonical(text: string, encoding: SecretEncoding): Buffer | null {
  switch (encoding) {
    case 'hex':
      return /^(?:[0-9a-fA-F]{2})*$/.test(text) ? Buffer.from(text, 'hex') : null;
    case 'base64': {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || (text.includes('=') && text.length % 4 !== 0)) return null;
      const bytes = Buffer.from(text, 'base64');
      return bytes.toString('base64').replace(/=+$/, '') === text.replace(/=+$/, '') ? bytes : null;
    }
    case 'base64url':
      return base64urlDecode(text);
  }
}
