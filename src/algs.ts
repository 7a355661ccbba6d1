// Facts about algorithms, key sizes and encodings: constants only (no node:crypto), so the CLI's
// option definitions, the crypto module, check and the renderers all read them from one place.

export const SECRET_ENCODINGS = Object.freeze(['base64', 'base64url', 'hex'] as const);
export type SecretEncoding = (typeof SECRET_ENCODINGS)[number];

export const HMAC_ALGS = Object.freeze(['HS256', 'HS384', 'HS512'] as const);
export type HmacAlg = (typeof HMAC_ALGS)[number];

export const ASYMMETRIC_ALGS = Object.freeze([
  'RS256', 'RS384', 'RS512',
  'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512',
  'EdDSA',
] as const);
export type AsymmetricAlg = (typeof ASYMMETRIC_ALGS)[number];

export const JWS_ALGS = Object.freeze([...HMAC_ALGS, ...ASYMMETRIC_ALGS] as const);
export type JwsAlg = (typeof JWS_ALGS)[number];

/** The hash of each HMAC algorithm, and the key it needs: at least as long as the hash (RFC 7518 §3.2). */
export const HMAC = Object.freeze({
  HS256: Object.freeze({ hash: 'sha256', bytes: 32, bits: 256 }),
  HS384: Object.freeze({ hash: 'sha384', bytes: 48, bits: 384 }),
  HS512: Object.freeze({ hash: 'sha512', bytes: 64, bits: 512 }),
} as const satisfies Record<HmacAlg, { hash: string; bytes: number; bits: number }>);

export function isHmacAlg(alg: string): alg is HmacAlg {
  return Object.hasOwn(HMAC, alg);
}

/** An inclusive range of whole numbers an option accepts. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/** `gen --bytes`: a secret from the smallest HMAC key to the largest. */
export const SECRET_BYTES: Range = Object.freeze({ min: HMAC.HS256.bytes, max: HMAC.HS512.bytes });
/** `gen --count`. */
export const SECRET_COUNT: Range = Object.freeze({ min: 1, max: 1_000_000 });
/** RSA modulus sizes: RFC 7518 §3.3 requires 2048 bits or more. */
export const RSA_BITS: Range = Object.freeze({ min: 2048, max: 16384 });
