// The facts, each written once: algorithm names and sizes (JWS, JWE), encodings, key formats and
// uses, thumbprint hashes, audit's severities, and the ranges options accept. Constants only (no
// node:crypto), so the CLI's option definitions, the crypto module, the pure modules and the
// renderers all read them from here. Every table is frozen (tests/unit/frozen.test.ts).

export const SECRET_ENCODINGS = Object.freeze(['base64', 'base64url', 'hex'] as const);

/** The variable a secret goes in when none is named (gen --dotenv, --dotenv-file, the hints). */
export const DEFAULT_SECRET_NAME = 'JWT_SECRET';
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

/**
 * The hash of each HMAC algorithm, and the key it needs: at least as long as the hash (RFC 7518
 * §3.2); `block`, the hash's block size in bytes (RFC 2104's B: the key's padded length).
 */
export const HMAC = Object.freeze({
  HS256: Object.freeze({ hash: 'sha256', bytes: 32, bits: 256, block: 64 }),
  HS384: Object.freeze({ hash: 'sha384', bytes: 48, bits: 384, block: 128 }),
  HS512: Object.freeze({ hash: 'sha512', bytes: 64, bits: 512, block: 128 }),
} as const satisfies Record<HmacAlg, { hash: string; bytes: number; bits: number; block: number }>);

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
/** `audit --jobs`: threads for the word-list search. */
export const AUDIT_JOBS: Range = Object.freeze({ min: 1, max: 256 });

/** How keys are written: `gen --format`, `key public --format`, `key convert --to`. */
export const KEY_FORMATS = Object.freeze(['pem', 'jwk', 'jwks'] as const);
export type KeyFormat = (typeof KEY_FORMATS)[number];

/** A JWK's "use" (RFC 7517 §4.2). */
export const KEY_USES = Object.freeze(['sig', 'enc'] as const);
export type KeyUse = (typeof KEY_USES)[number];

/** `audit`'s severities, most severe first: its findings' and `--fail-on`'s. */
export const SEVERITIES = Object.freeze(['critical', 'high', 'medium', 'low', 'info'] as const);
export type Severity = (typeof SEVERITIES)[number];

/** The hashes of a JWK thumbprint (RFC 7638) that `key thumbprint --hash` offers. */
export const THUMBPRINT_HASHES = Object.freeze(['sha256', 'sha384', 'sha512'] as const);
export type ThumbprintHash = (typeof THUMBPRINT_HASHES)[number];

// ---------------------------------------------------------------------------------------------
// JWE (RFC 7516, RFC 7518 §4 and §5)

/** Key management algorithms jwtkit decrypts and encrypts with (RFC 7518 §4), RSA1_5 aside. */
export const JWE_ALGS = Object.freeze([
  'dir',
  'A128KW', 'A192KW', 'A256KW',
  'A128GCMKW', 'A192GCMKW', 'A256GCMKW',
  'RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512',
  'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW',
  'PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW',
] as const);
export type JweAlg = (typeof JWE_ALGS)[number];

/** RSAES-PKCS1-v1_5: registered, open to Bleichenbacher's attack; refused unless asked for. */
export const RSA1_5 = 'RSA1_5';

/** Content encryption algorithms (RFC 7518 §5), with the size of their content key in bytes. */
export const JWE_ENC_KEY_BYTES = Object.freeze({
  'A128CBC-HS256': 32,
  'A192CBC-HS384': 48,
  'A256CBC-HS512': 64,
  A128GCM: 16,
  A192GCM: 24,
  A256GCM: 32,
} as const);
export type JweEnc = keyof typeof JWE_ENC_KEY_BYTES;
export const JWE_ENCS = Object.freeze(Object.keys(JWE_ENC_KEY_BYTES) as JweEnc[]);

/** How `encrypt` writes a JWE: compact (RFC 7516 §7.1) or a JSON serialization (§7.2), one recipient. */
export const JWE_SERIALIZATIONS = Object.freeze(['compact', 'flattened', 'general'] as const);
export type JweSerialization = (typeof JWE_SERIALIZATIONS)[number];

/** The IV and tag sizes of each enc, in bytes (RFC 7518 §5.2.3–5, §5.3). */
const sizes = (iv: number, tag: number) => Object.freeze({ iv, tag });
export const JWE_ENC_SIZES: Readonly<Record<JweEnc, { readonly iv: number; readonly tag: number }>> = Object.freeze({
  'A128CBC-HS256': sizes(16, 16),
  'A192CBC-HS384': sizes(16, 24),
  'A256CBC-HS512': sizes(16, 32),
  A128GCM: sizes(12, 16),
  A192GCM: sizes(12, 16),
  A256GCM: sizes(12, 16),
});

/** The key-wrapping algorithms whose key is a secret of a fixed size, in bytes. */
export const JWE_WRAP_KEY_BYTES: Readonly<Partial<Record<JweAlg, number>>> = Object.freeze({
  A128KW: 16, A192KW: 24, A256KW: 32,
  A128GCMKW: 16, A192GCMKW: 24, A256GCMKW: 32,
});

/** The most PBES2 iterations (p2c) jwtkit will run: each costs a hash, and the count is the sender's choice. */
export const MAX_P2C = 1_000_000;
/** MAX_P2C as messages write it ("1,000,000"), without loading ICU at start-up. */
export const MAX_P2C_TEXT = String(MAX_P2C).replace(/\B(?=(\d{3})+$)/g, ',');
/**
 * PBES2 iterations one token may cost `decrypt`, summed over every recipient and key tried: two
 * attempts at the p2c cap (about 1 s). The cap alone bounds one attempt, not 64 recipients × N keys.
 */
export const MAX_PBES2_BUDGET = 2 * MAX_P2C;
export const MAX_PBES2_BUDGET_TEXT = String(MAX_PBES2_BUDGET).replace(/\B(?=(\d{3})+$)/g, ',');
/** PBES2 iterations `encrypt` uses unless told (RFC 7518 §4.8.1.2 asks for at least 1000). */
export const DEFAULT_P2C = 100_000;
/** `encrypt --p2c`. */
export const P2C_RANGE: Range = Object.freeze({ min: 1000, max: MAX_P2C });

export function isJweAlg(alg: string): alg is JweAlg {
  return (JWE_ALGS as readonly string[]).includes(alg);
}

export function isJweEnc(enc: string): enc is JweEnc {
  return Object.hasOwn(JWE_ENC_KEY_BYTES, enc);
}
