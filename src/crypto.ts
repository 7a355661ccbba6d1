// The one crypto module: every random byte, key, signature and base64url string in jwtkit goes
// through here. It is the only file that imports node:crypto or jose (jose is loaded lazily, so
// commands that do not need it never pay for it).
import {
  createHash,
  generateKeyPairSync,
  randomBytes,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { UsageError } from './errors.js';

// ---------------------------------------------------------------------------------------------
// Encodings

export const SECRET_ENCODINGS = ['base64', 'base64url', 'hex'] as const;
export type SecretEncoding = (typeof SECRET_ENCODINGS)[number];

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

/** Whether `text` is canonical, unpadded base64url (see base64urlDecode). */
export function isBase64url(text: string): boolean {
  const tail = text.length % 4;
  if (tail === 1 || !BASE64URL_RE.test(text)) return false;
  if (tail === 2 && !CANONICAL_LAST_OF_2.test(text)) return false;
  if (tail === 3 && !CANONICAL_LAST_OF_3.test(text)) return false;
  return true;
}

let scratch = Buffer.allocUnsafe(16 * 1024);

/**
 * Strict base64url → UTF-8 text, or null when the text is not canonical base64url ('base64')
 * or its bytes are not UTF-8 ('utf8'). Decodes into one reused buffer: a batch of a million
 * tokens allocates no Buffer per token, which keeps memory flat.
 */
export function base64urlDecodeText(text: string): string | 'not-base64url' | 'not-utf8' {
  if (!isBase64url(text)) return 'not-base64url';
  const size = Math.ceil((text.length * 3) / 4);
  if (size > scratch.length) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
  const length = scratch.write(text, 'base64url');
  const bytes = scratch.subarray(0, length);
  return isUtf8(bytes) ? bytes.toString('utf8') : 'not-utf8';
}

// ---------------------------------------------------------------------------------------------
// Random secrets

/** Bytes from the OS CSPRNG (node:crypto randomBytes reads getrandom(2) / /dev/urandom). */
export function randomSecret(byteLength: number): Buffer {
  return randomBytes(byteLength);
}

// ---------------------------------------------------------------------------------------------
// Key pairs

export const ASYMMETRIC_ALGS = [
  'RS256', 'RS384', 'RS512',
  'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512',
  'EdDSA',
] as const;
export type AsymmetricAlg = (typeof ASYMMETRIC_ALGS)[number];

export const HMAC_ALGS = ['HS256', 'HS384', 'HS512'] as const;
export type HmacAlg = (typeof HMAC_ALGS)[number];

export const MIN_RSA_BITS = 2048;

export interface KeyPair {
  alg: AsymmetricAlg;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const EC_CURVES = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' } as const;

export function isAsymmetricAlg(alg: string): alg is AsymmetricAlg {
  return (ASYMMETRIC_ALGS as readonly string[]).includes(alg);
}

export function generateKeyPair(alg: AsymmetricAlg, options: { modulusLength?: number } = {}): KeyPair {
  if (alg.startsWith('RS') || alg.startsWith('PS')) {
    const modulusLength = options.modulusLength ?? MIN_RSA_BITS;
    if (!Number.isInteger(modulusLength) || modulusLength < MIN_RSA_BITS || modulusLength > 16384 || modulusLength % 8 !== 0) {
      throw new UsageError(
        `--modulus-length must be a multiple of 8 from ${MIN_RSA_BITS} to 16384`,
        'RFC 7518 §3.3 requires RSA keys of 2048 bits or more; 3072 or 4096 are common choices.',
      );
    }
    // A plain `rsa` key (not `rsa-pss`) serves both RS* and PS*, and every JOSE library reads it.
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength, publicExponent: 0x10001 });
    return { alg, privateKey, publicKey };
  }
  if (alg === 'EdDSA') {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    return { alg, privateKey, publicKey };
  }
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: EC_CURVES[alg as keyof typeof EC_CURVES] });
  return { alg, privateKey, publicKey };
}

export function exportPem(pair: KeyPair): { privateKey: string; publicKey: string } {
  return {
    privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export type Jwk = JsonWebKey & { kid?: string; alg?: string; use?: string };

export function exportJwk(pair: KeyPair): { privateKey: Jwk; publicKey: Jwk; kid: string } {
  const pub = pair.publicKey.export({ format: 'jwk' });
  const kid = jwkThumbprint(pub);
  const meta = { kid, alg: pair.alg, use: 'sig' };
  return {
    privateKey: { ...pair.privateKey.export({ format: 'jwk' }), ...meta },
    publicKey: { ...pub, ...meta },
    kid,
  };
}

const THUMBPRINT_MEMBERS: Record<string, readonly string[]> = {
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  oct: ['k', 'kty'],
};

/** RFC 7638 JWK thumbprint (SHA-256, base64url): the required members, sorted, no whitespace. */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const kty = jwk.kty ?? '';
  const members = THUMBPRINT_MEMBERS[kty];
  if (!members) throw new UsageError(`cannot compute a thumbprint for key type "${kty}"`);
  const canonical: Record<string, unknown> = {};
  for (const name of members) canonical[name] = (jwk as Record<string, unknown>)[name];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}

export function keyPairThumbprint(pair: KeyPair): string {
  return jwkThumbprint(pair.publicKey.export({ format: 'jwk' }));
}
