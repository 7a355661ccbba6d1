// The one crypto module: every random byte, key, signature and base64url string in jwtkit goes
// through here. It is the only file that imports node:crypto or jose (jose is loaded lazily, so
// commands that do not need it never pay for it).
import {
  X509Certificate,
  constants as cryptoConstants,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createDecipheriv,
  createSecretKey,
  generateKeyPairSync,
  hash as oneShotHash,
  privateDecrypt,
  randomBytes,
  timingSafeEqual,
  verify as verifySignatureRaw,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import {
  ASYMMETRIC_ALGS,
  HMAC,
  HMAC_ALGS,
  JWE_ALGS,
  JWE_ENC_KEY_BYTES,
  JWE_ENCS,
  JWE_WRAP_KEY_BYTES,
  JWS_ALGS,
  RSA_BITS,
  isHmacAlg,
  type AsymmetricAlg,
  type HmacAlg,
  type JweAlg,
  type JweEnc,
  type JweSerialization,
  type JwsAlg,
  type KeyUse,
  type SecretEncoding,
  type ThumbprintHash,
} from './algs.js';
import { base64urlDecode, decodeCanonical, isBase64url } from './encoding.js';
import { JwtkitError } from './errors.js';
import { HMAC_SIMD_WASM } from './hmac-simd-wasm.js';
import { SHA256_SHAPE, SHA512_SHAPE, simdLayout, type SimdShape } from './hmac-simd.js';
import type { PackedKeys } from './wordhash.js';

export { ASYMMETRIC_ALGS, HMAC_ALGS, JWS_ALGS, SECRET_ENCODINGS, type AsymmetricAlg, type HmacAlg, type JwsAlg, type SecretEncoding } from './algs.js';

// ---------------------------------------------------------------------------------------------
// Encodings: pure, in encoding.ts (token parsing and the strength judgement use them without node:crypto)

export {
  base64urlDecode,
  base64urlDecodeText,
  base64urlEncode,
  decodeCanonical,
  encodeBytes,
  hasCanonicalTail,
  isBase64url,
} from './encoding.js';

// ---------------------------------------------------------------------------------------------
// Random secrets

/** Bytes from the OS CSPRNG (node:crypto randomBytes reads getrandom(2) / /dev/urandom). */
export function randomSecret(byteLength: number): Buffer {
  return randomBytes(byteLength);
}

// ---------------------------------------------------------------------------------------------
// Key pairs


export const MIN_RSA_BITS = RSA_BITS.min;

export interface KeyPair {
  alg: AsymmetricAlg;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const EC_CURVES = Object.freeze({ ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' } as const);

export function isAsymmetricAlg(alg: string): alg is AsymmetricAlg {
  return (ASYMMETRIC_ALGS as readonly string[]).includes(alg);
}

export function generateKeyPair(alg: AsymmetricAlg, options: { modulusLength?: number } = {}): KeyPair {
  if (alg.startsWith('RS') || alg.startsWith('PS')) {
    const modulusLength = options.modulusLength ?? RSA_BITS.min;
    if (!Number.isInteger(modulusLength) || modulusLength < RSA_BITS.min || modulusLength > RSA_BITS.max || modulusLength % 8 !== 0) {
      throw new JwtkitError(
        'usage',
        `--modulus-length must be a multiple of 8 from ${RSA_BITS.min} to ${RSA_BITS.max}`,
        `RFC 7518 §3.3 requires RSA keys of ${RSA_BITS.min} bits or more; 3072 or 4096 are common choices.`,
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

const THUMBPRINT_MEMBERS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  oct: ['k', 'kty'],
});

export type { ThumbprintHash } from './algs.js';

/** RFC 7638 JWK thumbprint (SHA-256 unless told, base64url): the required members, sorted, no whitespace. */
export function jwkThumbprint(jwk: JsonWebKey, hash: ThumbprintHash = 'sha256'): string {
  const kty = jwk.kty ?? '';
  const members = THUMBPRINT_MEMBERS[kty];
  if (!members) throw new JwtkitError('usage', `cannot compute a thumbprint for key type "${kty}"`);
  const canonical: Record<string, unknown> = {};
  for (const name of members) canonical[name] = (jwk as Record<string, unknown>)[name];
  return createHash(hash).update(JSON.stringify(canonical)).digest('base64url');
}

export function keyPairThumbprint(pair: KeyPair): string {
  return jwkThumbprint(pair.publicKey.export({ format: 'jwk' }));
}

// ---------------------------------------------------------------------------------------------
// Secrets as HMAC keys

/**
 * The HMAC key bytes of a secret: its UTF-8 bytes exactly as stored (what an app does with
 * process.env.JWT_SECRET), or decoded first with --secret-encoding. Strict: a value that is not
 * canonical in the named encoding is an error, never silently half-decoded.
 */
export function secretBytes(text: string, encoding: SecretEncoding | undefined, label: string): Buffer {
  if (encoding === undefined) return Buffer.from(text, 'utf8');
  const bytes = text === '' ? null : decodeCanonical(text, encoding);
  if (!bytes) {
    throw new JwtkitError('bad_secret', `${label} is not valid ${encoding}`, `check the value, or drop --secret-encoding to use its text as the key`);
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Keys


/** A key jwtkit can verify (and, with a private half or a secret, sign) with. */
export interface KeyMaterial {
  /** where it came from, for messages: "JWT_SECRET", "keys/rsa.pub.pem", "jwks kid abc" */
  label: string;
  secret?: KeyObject;
  /** a secret's text when its key is that text's UTF-8 bytes (no --secret-encoding): verify tries
   *  its base64/base64url/hex bytes only after a signature fails, to say which flag is missing */
  secretText?: string;
  publicKey?: KeyObject;
  privateKey?: KeyObject;
  kid?: string;
  /** a JWK's own "alg": the only algorithm it may be used with */
  alg?: string;
  use?: string;
  /** a JWK's own "key_ops" */
  keyOps?: string[];
  /** how it was written: "PKCS#8 PEM", "JWK", "X.509 certificate"… (for `key inspect`) */
  form?: string;
  /** what an X.509 certificate says about itself, when the key came from one */
  certificate?: CertificateInfo;
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  /** validity, ISO 8601 UTC */
  notBefore: string;
  notAfter: string;
  serialNumber: string;
}

/** An HMAC key's bytes as base64url (for judging an `oct` JWK's strength). */
export function secretKeyBase64url(key: KeyMaterial): string {
  return key.secret ? key.secret.export().toString('base64url') : '';
}

export function secretKeyMaterial(label: string, bytes: Buffer): KeyMaterial {
  return { label, secret: createSecretKey(bytes) };
}

const CURVE_ALG: Readonly<Record<string, JwsAlg>> = Object.freeze({ prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' });
const RSA_ALGS: readonly JwsAlg[] = Object.freeze(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const);

/** The algorithms a key's type allows: the defence against algorithm confusion. */
export function keyAlgorithms(key: KeyMaterial): JwsAlg[] {
  let algs: JwsAlg[];
  if (key.secret) {
    algs = [...HMAC_ALGS];
  } else {
    const k = (key.publicKey ?? key.privateKey)!;
    switch (k.asymmetricKeyType) {
      case 'rsa': algs = [...RSA_ALGS]; break;
      case 'rsa-pss': {
        // A PSS key may carry its own parameters (RFC 4055): then it serves only the PS algorithm
        // whose hash, MGF1 hash and salt length they allow.
        const d = k.asymmetricKeyDetails;
        algs = RSA_ALGS.filter((a) => {
          if (!a.startsWith('PS')) return false;
          const hash = `sha${a.slice(2)}`;
          return (
            (d?.hashAlgorithm === undefined || d.hashAlgorithm === hash) &&
            (d?.mgf1HashAlgorithm === undefined || d.mgf1HashAlgorithm === hash) &&
            (d?.saltLength === undefined || d.saltLength <= Number(a.slice(2)) / 8)
          );
        });
        break;
      }
      case 'ec': {
        const alg = CURVE_ALG[k.asymmetricKeyDetails?.namedCurve ?? ''];
        algs = alg ? [alg] : [];
        break;
      }
      case 'ed25519': case 'ed448': algs = ['EdDSA']; break;
      default: algs = [];
    }
  }
  return key.alg === undefined ? algs : algs.filter((a) => a === key.alg);
}

/** "an RSA public key", "an EC P-256 key", "a secret" — for messages. */
export function describeKey(key: KeyMaterial): string {
  if (key.secret) return 'a secret';
  const k = (key.publicKey ?? key.privateKey)!;
  const type = k.asymmetricKeyType;
  if (type === 'rsa' || type === 'rsa-pss') return `an RSA key (${k.asymmetricKeyDetails?.modulusLength} bits)`;
  if (type === 'ec') return `an EC ${k.asymmetricKeyDetails?.namedCurve} key`;
  return `an ${type} key`;
}

const PEM_RE = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** A key file that starts like JSON (a JWK, JWKS or certificate map) but is not JSON. */
export function keyJsonError(label: string): JwtkitError {
  return new JwtkitError('bad_key', `${label} looks like JSON but does not parse`, 'give a PEM key, a JWK or a JWKS');
}

/**
 * Keys from a file's text, recognised by content, never by file name: PEM (SPKI public key,
 * X.509 certificate, PKCS#8, PKCS#1 or SEC1 private key), a JWK or a JWKS.
 */
export function parseKeyText(
  text: string,
  label: string,
  notes?: string[],
  options: { passphrase?: string | undefined; use?: KeyUse | undefined; notKeyHint?: string } = {},
): KeyMaterial[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw keyJsonError(label);
    }
    return parseJwkJson(json, label, { ...(notes === undefined ? {} : { warnings: notes }), ...(options.use === undefined ? {} : { use: options.use }) });
  }
  let blocks = [...trimmed.matchAll(PEM_RE)];
  if (blocks.length === 0) {
    if (/-----BEGIN [A-Z0-9 ]+-----/.test(trimmed)) {
      throw new JwtkitError('bad_key', `${label} has a PEM BEGIN line without its END line`, 'the file looks cut short: copy the whole key, -----BEGIN to -----END');
    }
    throw new JwtkitError('bad_key', `${label} is not a PEM key, certificate, JWK or JWKS`, options.notKeyHint);
  }
  // A certificate bundle (fullchain.pem) is the leaf followed by the CAs that signed it: only the
  // leaf's key signs tokens; a CA's key verifying them would trust whatever that CA's holder signs.
  const certificates = blocks.filter((b) => b[1] === 'CERTIFICATE');
  if (certificates.length > 1) {
    blocks = blocks.filter((b) => b[1] !== 'CERTIFICATE' || b === certificates[0]);
    notes?.push(`${label} holds ${certificates.length} certificates (a chain); only the first verifies tokens, the others are taken as its CAs and not used`);
  }
  return blocks.map((block, i) =>
    checkRsaExponent(parsePem(block[0], block[1]!, blocks.length > 1 ? `${label} #${i + 1}` : label, options.passphrase)),
  );
}

const PEM_FORMS: Record<string, string> = {
  'PUBLIC KEY': 'SPKI PEM',
  'RSA PUBLIC KEY': 'PKCS#1 PEM',
  CERTIFICATE: 'X.509 certificate',
  'PRIVATE KEY': 'PKCS#8 PEM',
  'RSA PRIVATE KEY': 'PKCS#1 PEM',
  'EC PRIVATE KEY': 'SEC1 PEM',
  'ENCRYPTED PRIVATE KEY': 'encrypted PKCS#8 PEM',
};

function parsePem(pem: string, type: string, label: string, passphrase?: string): KeyMaterial {
  const form = PEM_FORMS[type];
  try {
    switch (type) {
      case 'PUBLIC KEY':
      case 'RSA PUBLIC KEY':
        return { label, publicKey: createPublicKey(pem), form: form! };
      case 'CERTIFICATE': {
        const cert = new X509Certificate(pem);
        return { label, publicKey: cert.publicKey, form: form!, certificate: certificateInfo(cert) };
      }
      case 'PRIVATE KEY':
      case 'RSA PRIVATE KEY':
      case 'EC PRIVATE KEY':
      case 'ENCRYPTED PRIVATE KEY': {
        // PKCS#8 encryption, or the legacy OpenSSL kind (Proc-Type: 4,ENCRYPTED inside the block).
        const encrypted = type === 'ENCRYPTED PRIVATE KEY' || /^Proc-Type:\s*4,ENCRYPTED/m.test(pem);
        if (encrypted && passphrase === undefined) {
          throw new JwtkitError('bad_key',
            `${label} is an encrypted private key`,
            'pass its passphrase with --passphrase-env NAME or --passphrase-file PATH (key and sign), or give the public key',
          );
        }
        let privateKey: KeyObject;
        try {
          privateKey = encrypted ? createPrivateKey({ key: pem, passphrase: passphrase! }) : createPrivateKey(pem);
        } catch (err) {
          if (encrypted && /BAD_DECRYPT|bad decrypt/i.test(`${(err as { code?: string }).code} ${(err as Error).message}`)) {
            throw new JwtkitError('bad_key', `${label}: the passphrase does not decrypt it`, 'check the passphrase (a trailing newline in the file is dropped)');
          }
          throw err;
        }
        return { label, privateKey, publicKey: createPublicKey(privateKey), form: encrypted && type !== 'ENCRYPTED PRIVATE KEY' ? `encrypted ${form}` : form! };
      }
      default:
        throw new JwtkitError('bad_key', `${label} holds a PEM "${type}", not a key or certificate`);
    }
  } catch (err) {
    if (err instanceof JwtkitError) throw err;
    throw new JwtkitError('bad_key', `${label}: the ${type} PEM block does not parse`, 'check that the file is complete');
  }
}

function certificateInfo(cert: X509Certificate): CertificateInfo {
  const iso = (text: string) => {
    const t = Date.parse(text);
    return Number.isNaN(t) ? text : new Date(t).toISOString().replace(/\.000Z$/, 'Z');
  };
  // Node writes distinguished names one attribute a line; one line reads better in a report.
  const dn = (text: string) => text.split('\n').filter(Boolean).join(', ');
  return { subject: dn(cert.subject), issuer: dn(cert.issuer), notBefore: iso(cert.validFrom), notAfter: iso(cert.validTo), serialNumber: cert.serialNumber };
}

/** RSA with e = 1 (or an even e) is no signature at all: anyone can "sign". Refused wherever a key is read. */
function checkRsaExponent(key: KeyMaterial): KeyMaterial {
  const k = key.publicKey ?? key.privateKey;
  const e = k?.asymmetricKeyDetails?.publicExponent;
  if ((k?.asymmetricKeyType === 'rsa' || k?.asymmetricKeyType === 'rsa-pss') && e !== undefined && (e < 3n || e % 2n === 0n)) {
    throw new JwtkitError('bad_key', `${key.label}: an RSA key with public exponent ${e} is unsafe (anyone can forge its signatures)`, 'use a key with e = 65537');
  }
  return key;
}

export interface JwkSource {
  /** a set fetched from a URL: public keys only (an oct or private key is refused, with a warning) */
  remote?: boolean;
  /** where warnings go: keys refused from a remote set */
  warnings?: string[];
  /** read keys whatever their "use" or "key_ops" (`jwtkit key`, which reports them) */
  anyUse?: boolean;
  /** what the keys are for: signatures (the default) or encryption (decrypt, encrypt) */
  use?: KeyUse;
}

const ENCRYPTION_OPS: ReadonlySet<string> = new Set(['encrypt', 'decrypt', 'wrapKey', 'unwrapKey', 'deriveKey', 'deriveBits']);

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'priv'];

/** Why a remote set's key is refused, or undefined: a published set carries public keys only. */
function remoteRefusal(jwk: Record<string, unknown>): string | undefined {
  if (jwk.kty === 'oct') return 'a secret (oct) key';
  const members = PRIVATE_MEMBERS.filter((m) => jwk[m] !== undefined);
  if (members.length > 0) return `a private key (it holds ${members.join(', ')})`;
  return undefined;
}

/** Whether a JWK may verify signatures: `use` absent or "sig", `key_ops` absent or naming verify/sign (as jose);
 *  for `use: 'enc'` (decrypt, encrypt), whether it may encrypt: `use` absent or "enc", `key_ops` absent or
 *  naming an encryption operation. */
function isSigningJwk(jwk: Record<string, unknown>, purpose: KeyUse = 'sig'): boolean {
  const use = jwk.use;
  if (purpose === 'enc') {
    const ops = jwk.key_ops;
    return (use === undefined || use === 'enc') && (ops === undefined || (Array.isArray(ops) && ops.some((op) => ENCRYPTION_OPS.has(op as string))));
  }
  const ops = jwk.key_ops;
  return (use === undefined || use === 'sig') && (ops === undefined || (Array.isArray(ops) && (ops.includes('verify') || ops.includes('sign'))));
}

/** Keys from an already parsed JWK or JWKS (a JWK/JWKS file, or a fetched --jwks URL). */
export function parseJwkJson(json: unknown, label: string, source: JwkSource = {}): KeyMaterial[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const where = source.remote ? 'from a URL' : '';
  if (isObject(json) && Array.isArray(json.keys)) {
    const keys = json.keys as unknown[];
    const out: KeyMaterial[] = [];
    const refused: string[] = [];
    let notForSigning = 0;
    let encryption = 0;
    keys.forEach((jwk, i) => {
      if (!isObject(jwk)) return;
      const kid = jwk.kid;
      const name = typeof kid === 'string' ? `kid ${kid}` : `key #${i + 1}`;
      if (!source.anyUse && !isSigningJwk(jwk, source.use)) {
        notForSigning++;
        if (jwk.use === (source.use === 'enc' ? 'sig' : 'enc')) encryption++;
        return;
      }
      const refusal = source.remote ? remoteRefusal(jwk) : undefined;
      if (refusal !== undefined) {
        refused.push(`${name} is ${refusal}`);
        source.warnings?.push(`${label} ${name}: ${refusal} in a key set ${where} is refused: a published set carries public keys only`);
        return;
      }
      try {
        out.push(jwkToKey(jwk, `${label} ${name}`));
      } catch {
        // RFC 7517 §5: keys of unknown or unsupported types in a set are skipped.
      }
    });
    if (out.length === 0) {
      const count = `${keys.length} key${keys.length === 1 ? '' : 's'}`;
      if (refused.length > 0) {
        throw new JwtkitError('bad_key', `${label} has no usable public signing key (refused: ${refused.join('; ')})`, 'a JWKS URL may publish public keys only');
      }
      if (notForSigning > 0 && notForSigning === keys.length && source.use === 'enc') {
        throw new JwtkitError(
          'bad_key',
          encryption === keys.length
            ? `${label} holds ${count}, all for signatures (use "sig"); none decrypts`
            : `${label} holds ${count}, none for encryption (by their "use" or "key_ops")`,
          'give the set that holds the encryption keys',
        );
      }
      if (notForSigning > 0 && notForSigning === keys.length) {
        throw new JwtkitError(
          'bad_key',
          encryption === keys.length
            ? `${label} holds ${count}, all for encryption (use "enc"); none verifies a signature`
            : `${label} holds ${count}, none for signatures (by their "use" or "key_ops")`,
          'give the set that holds the signing keys',
        );
      }
      throw new JwtkitError('bad_key', `${label} is a JWKS with no usable ${source.use === 'enc' ? 'encryption' : 'signing'} key`);
    }
    return out;
  }
  if (isObject(json) && typeof json.kty === 'string') {
    if (!source.anyUse && source.use === 'enc' && !isSigningJwk(json, 'enc')) {
      throw new JwtkitError('bad_key', `${label} is not an encryption key (by its "use" or "key_ops")`);
    }
    if (!source.anyUse && source.use !== 'enc' && !isSigningJwk(json)) {
      throw new JwtkitError('bad_key', json.use === 'enc' ? `${label} is an encryption key (use "enc"), not a signing key` : `${label} is not a signing key (by its "use" or "key_ops")`);
    }
    const refusal = source.remote ? remoteRefusal(json) : undefined;
    if (refusal !== undefined) throw new JwtkitError('bad_key', `${label} is ${refusal}, refused ${where}`, 'a JWKS URL may publish public keys only');
    return [jwkToKey(json, label)];
  }
  if (isCertificateMap(json)) {
    // Google's and Firebase's {"kid": "-----BEGIN CERTIFICATE-----…"}: one certificate per kid.
    return Object.entries(json).map(([kid, pem]) => {
      const block = pem.match(PEM_RE)?.[0] ?? pem;
      return { ...checkRsaExponent(parsePem(block, 'CERTIFICATE', `${label} kid ${kid}`)), kid, form: 'certificate map' };
    });
  }
  throw new JwtkitError('bad_key', `${label} is JSON but neither a JWK (no "kty"), a JWKS (no "keys") nor a map of kids to certificates`);
}

function isCertificateMap(json: unknown): json is Record<string, string> {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return false;
  const values = Object.values(json);
  return values.length > 0 && values.every((v) => typeof v === 'string' && v.includes('-----BEGIN CERTIFICATE-----'));
}

function jwkToKey(value: unknown, label: string): KeyMaterial {
  const jwk = value as JsonWebKey & { kid?: unknown; alg?: unknown; use?: unknown };
  const meta: Partial<KeyMaterial> = {};
  if (typeof jwk.kid === 'string') meta.kid = jwk.kid;
  if (typeof jwk.alg === 'string') meta.alg = jwk.alg;
  if (typeof jwk.use === 'string') meta.use = jwk.use;
  if (Array.isArray(jwk.key_ops) && jwk.key_ops.every((op) => typeof op === 'string')) meta.keyOps = jwk.key_ops;
  meta.form = 'JWK';
  return checkRsaExponent(jwkMaterial(jwk, label, meta));
}

function jwkMaterial(jwk: JsonWebKey, label: string, meta: Partial<KeyMaterial>): KeyMaterial {
  try {
    if (jwk.kty === 'oct') {
      if (typeof jwk.k !== 'string' || !isBase64url(jwk.k)) throw new Error('bad k');
      return { label, secret: createSecretKey(Buffer.from(jwk.k, 'base64url')), ...meta };
    }
    if (typeof jwk.d === 'string') {
      const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
      return { label, privateKey, publicKey: createPublicKey(privateKey), ...meta };
    }
    return { label, publicKey: createPublicKey({ key: jwk, format: 'jwk' }), ...meta };
  } catch {
    throw new JwtkitError('bad_key', `${label}: the JWK does not make a valid ${String(jwk.kty)} key`);
  }
}

// ---------------------------------------------------------------------------------------------
// Signatures

const HASH: Readonly<Record<string, string>> = Object.freeze({ '256': 'sha256', '384': 'sha384', '512': 'sha512' });

const JWS_ALG_SET: ReadonlySet<string> = new Set(JWS_ALGS);

export function isJwsAlg(alg: string): alg is JwsAlg {
  return JWS_ALG_SET.has(alg);
}

/**
 * String equality whose time depends only on the length (public: a MAC's length is fixed by its
 * algorithm): every character is XORed in, with no early exit on the first difference.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Whether `signature` (base64url) is a valid `alg` signature of `signingInput` under `key`.
 * node:crypto does the maths; the checks around it are those of RFC 7518 §3 and of jose:
 * RSA keys of 2048 bits or more, ECDSA signatures in the fixed-length IEEE P1363 form, PSS with a
 * salt as long as the hash. The caller has already checked that the key allows `alg`.
 */
export function verifySignature(alg: JwsAlg, signingInput: string | Buffer, signature: string, key: KeyMaterial): boolean {
  const hmacHash = (HMAC as Partial<Record<JwsAlg, { hash: string }>>)[alg]?.hash;
  if (hmacHash !== undefined) {
    if (!key.secret) return false;
    // Compared as base64url text: parseToken admits only canonical base64url, so equal text is
    // equal bytes; and this is 1.2 µs a token faster than a Buffer and timingSafeEqual.
    return constantTimeEqual(createHmac(hmacHash, key.secret).update(signingInput).digest('base64url'), signature);
  }
  const publicKey = key.publicKey;
  if (!publicKey) return false;
  try {
    return verifyAsymmetric(alg, typeof signingInput === 'string' ? Buffer.from(signingInput, 'utf8') : signingInput, Buffer.from(signature, 'base64url'), publicKey);
  } catch {
    // OpenSSL refusing the operation (a key's own restrictions, a malformed signature) is a
    // signature that does not verify, never a crash.
    return false;
  }
}

/** A signature check bound to one key: `verifySignature` with what depends on the key alone worked out once. */
export type SignatureCheck = (alg: JwsAlg, signingInput: string | Buffer, signature: string) => boolean;

/**
 * `verifySignature` for one key and many tokens: an HMAC key's bytes are taken out of its
 * KeyObject once, into each algorithm's `hmacBase64url` (made when a token first asks for it).
 * The bytes stay in these closures.
 */
export function signatureCheck(key: KeyMaterial): SignatureCheck {
  if (!key.secret) return (alg, signingInput, signature) => verifySignature(alg, signingInput, signature, key);
  const bytes = key.secret.export();
  const macs = new Map<JwsAlg, (message: string | Buffer) => string>();
  return (alg, signingInput, signature) => {
    let mac = macs.get(alg);
    if (mac === undefined) {
      // A secret verifies HMAC algorithms only (verifySignature: no public key, so false).
      if (!isHmacAlg(alg)) return false;
      macs.set(alg, (mac = hmacBase64url(alg, bytes)));
    }
    // Compared as base64url text, as in verifySignature.
    return constantTimeEqual(mac(signingInput), signature);
  };
}

/** Longest message (UTF-16 code units) hmacBase64url hashes through its own buffer; longer ones go to createHmac. */
export const HMAC_BUFFERED_CHARS = 8192;

/**
 * HMAC (RFC 2104) under one key, as base64url: `createHmac(hash, key).update(message).digest('base64url')`
 * for any message, made cheaper for many short ones. A createHmac makes a JavaScript object and a
 * native HMAC context per call (and garbage for the collector to finalize); here the key's padded
 * blocks are made once, and a message costs two one-shot hashes (crypto.hash, Node 20.12 and
 * later): H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ message)). The same compressions as createHmac, about
 * 1.5 µs a token less (issue #10: verify's floor). Node before 20.12, a Buffer message (RFC 7797's
 * unencoded payload) and a message over HMAC_BUFFERED_CHARS take createHmac itself.
 */
export function hmacBase64url(alg: HmacAlg, key: Buffer): (message: string | Buffer) => string {
  const { hash: name, block, bytes: size } = HMAC[alg];
  const slow = (message: string | Buffer) => createHmac(name, key).update(message).digest('base64url');
  // read once: dist/jwtkit.cjs reads node:crypto's exports through getters (scripts/build.mjs)
  const digest = oneShotHash;
  if (typeof digest !== 'function') return slow;
  // RFC 2104 §2: a key longer than the block is hashed first; a shorter one is padded with zeros.
  const k = key.length > block ? createHash(name).update(key).digest() : key;
  // The inner input, K ⊕ ipad then the message (UTF-8, as update(string) writes it: at most 3
  // bytes a code unit); the outer input, K ⊕ opad then the inner digest.
  const inner = Buffer.alloc(block + 3 * HMAC_BUFFERED_CHARS);
  const outer = Buffer.alloc(block + size);
  for (let i = 0; i < block; i++) {
    inner[i] = (k[i] ?? 0) ^ 0x36;
    outer[i] = (k[i] ?? 0) ^ 0x5c;
  }
  // One view of `inner` per message length (a batch's tokens have few lengths).
  const views = new Map<number, Buffer>();
  return (message) => {
    if (typeof message !== 'string' || message.length > HMAC_BUFFERED_CHARS) return slow(message);
    const length = block + inner.write(message, block, 'utf8');
    let view = views.get(length);
    if (view === undefined) {
      view = inner.subarray(0, length);
      if (views.size < 1024) views.set(length, view);
    }
    outer.write(digest(name, view, 'binary'), block, 'latin1');
    return digest(name, outer, 'base64url');
  };
}

function verifyAsymmetric(alg: JwsAlg, data: Buffer, sig: Buffer, publicKey: KeyObject): boolean {
  if (alg === 'EdDSA') return verifySignatureRaw(null, data, publicKey, sig);
  const hash = HASH[alg.slice(2)]!;
  if (alg.startsWith('RS') || alg.startsWith('PS')) {
    if ((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) return false;
    if (alg.startsWith('RS')) return verifySignatureRaw(hash, data, publicKey, sig);
    return verifySignatureRaw(hash, data, { key: publicKey, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 }, sig);
  }
  return verifySignatureRaw(hash, data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig);
}

// ---------------------------------------------------------------------------------------------
// Signing (jose's CompactSign: the reference implementation does the JWS serialisation)

/** The algorithm a key signs with when --alg is not given. */
export function defaultSigningAlg(key: KeyMaterial): JwsAlg | undefined {
  const algs = keyAlgorithms(key);
  if (key.alg !== undefined) return algs[0];
  return algs.includes('RS256') ? 'RS256' : algs[0];
}

/** Signs `payload` (JSON text) with a protected `header` whose alg is `alg`. */
export async function signCompact(header: Record<string, unknown> & { alg: JwsAlg }, payload: string, key: KeyMaterial): Promise<string> {
  const { CompactSign } = await import('jose');
  const signingKey = key.secret ?? key.privateKey;
  if (!signingKey) throw new JwtkitError('bad_key', `${key.label} is a public key; signing needs the private key`);
  try {
    return await new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader(header).sign(signingKey);
  } catch (err) {
    throw new JwtkitError('bad_key', `cannot sign ${header.alg} with ${key.label}: ${joseErrorReason(err)}`);
  }
}

/** jose's errors, told apart by their stable `code` (never by their message text). */
const JOSE_REASONS: Readonly<Record<string, string>> = Object.freeze({
  ERR_JOSE_NOT_SUPPORTED: 'the key or algorithm is not supported for this',
  ERR_JWS_INVALID: 'the header or payload is not a valid JWS',
  ERR_JWK_INVALID: 'the key is not a valid JWK',
  ERR_JOSE_ALG_NOT_ALLOWED: 'the algorithm is not allowed for this key',
});

function joseErrorReason(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && Object.hasOwn(JOSE_REASONS, code)) return JOSE_REASONS[code]!;
  // A TypeError from node:crypto: the key does not fit the algorithm.
  return err instanceof TypeError ? 'the key does not fit the algorithm' : 'the signing failed';
}

export function randomTokenId(): string {
  return randomBytes(16).toString('base64url');
}

// ---------------------------------------------------------------------------------------------
// The key toolbox (`jwtkit key`): facts about a key, its JWK and PEM forms, thumbprints

export type KeyKind = 'RSA' | 'EC' | 'OKP' | 'oct';

export interface KeyFacts {
  kty: KeyKind | string;
  /** "RSA", "RSA-PSS", "EC P-256", "Ed25519", "secret" */
  type: string;
  curve?: string;
  /** modulus size, curve size or secret length */
  bits: number;
  /** holds a private key or a secret */
  private: boolean;
  /** the JWS algorithms the key's type allows (before a JWK's own "alg" narrows them) */
  algs: JwsAlg[];
}

const JWK_CURVES: Record<string, { crv: string; bits: number }> = {
  prime256v1: { crv: 'P-256', bits: 256 },
  secp384r1: { crv: 'P-384', bits: 384 },
  secp521r1: { crv: 'P-521', bits: 521 },
  secp256k1: { crv: 'secp256k1', bits: 256 },
};

export function keyFacts(key: KeyMaterial): KeyFacts {
  const algs = keyAlgorithms({ ...key, alg: undefined });
  if (key.secret) return { kty: 'oct', type: 'secret', bits: key.secret.symmetricKeySize! * 8, private: true, algs };
  const k = (key.publicKey ?? key.privateKey)!;
  const details = k.asymmetricKeyDetails ?? {};
  const isPrivate = key.privateKey !== undefined;
  switch (k.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return { kty: 'RSA', type: k.asymmetricKeyType === 'rsa' ? 'RSA' : 'RSA-PSS', bits: details.modulusLength ?? 0, private: isPrivate, algs };
    case 'ec': {
      const curve = JWK_CURVES[details.namedCurve ?? ''];
      const crv = curve?.crv ?? details.namedCurve ?? 'unknown curve';
      return { kty: 'EC', type: `EC ${crv}`, curve: crv, bits: curve?.bits ?? 0, private: isPrivate, algs };
    }
    case 'ed25519': return { kty: 'OKP', type: 'Ed25519', curve: 'Ed25519', bits: 256, private: isPrivate, algs };
    case 'ed448': return { kty: 'OKP', type: 'Ed448', curve: 'Ed448', bits: 456, private: isPrivate, algs };
    case 'x25519': return { kty: 'OKP', type: 'X25519', curve: 'X25519', bits: 256, private: isPrivate, algs };
    case 'x448': return { kty: 'OKP', type: 'X448', curve: 'X448', bits: 448, private: isPrivate, algs };
    default: return { kty: k.asymmetricKeyType ?? 'unknown', type: k.asymmetricKeyType ?? 'unknown', bits: 0, private: isPrivate, algs };
  }
}

/** JWK members in a fixed order: the key's own, then the optional ones (RFC 7517 §4). */
const JWK_ORDER = ['kty', 'crv', 'x', 'y', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'use', 'key_ops', 'alg', 'kid'];

function orderJwk(jwk: Record<string, unknown>): Jwk {
  const out: Record<string, unknown> = {};
  for (const name of JWK_ORDER) if (jwk[name] !== undefined) out[name] = jwk[name];
  return out as Jwk;
}

/** The content of the DER SEQUENCE members of `der`'s outer SEQUENCE, as [tag, content] pairs. */
function derChildren(der: Buffer): [number, Buffer][] {
  const read = (at: number): { tag: number; start: number; end: number } => {
    const tag = der[at]!;
    let length = der[at + 1]!;
    let start = at + 2;
    if (length & 0x80) {
      const n = length & 0x7f;
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + der[start + i]!;
      start += n;
    }
    return { tag, start, end: start + length };
  };
  const outer = read(0);
  const children: [number, Buffer][] = [];
  for (let at = outer.start; at < outer.end; ) {
    const child = read(at);
    children.push([child.tag, der.subarray(child.start, child.end)]);
    at = child.end;
  }
  return children;
}

/**
 * An RSA-PSS key (OID id-RSASSA-PSS) as a plain RSA key: the same numbers without the PSS
 * restriction, which a JWK cannot express beyond "alg" (node:crypto exports no JWK for it).
 */
function asPlainRsa(k: KeyObject): KeyObject {
  if (k.type === 'public') {
    // SubjectPublicKeyInfo: SEQUENCE { AlgorithmIdentifier, BIT STRING { RSAPublicKey } }
    const bits = derChildren(k.export({ type: 'spki', format: 'der' }))[1]![1];
    return createPublicKey({ key: bits.subarray(1), format: 'der', type: 'pkcs1' });
  }
  // PrivateKeyInfo: SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING { RSAPrivateKey } }
  const octets = derChildren(k.export({ type: 'pkcs8', format: 'der' }))[2]![1];
  return createPrivateKey({ key: octets, format: 'der', type: 'pkcs1' });
}

function exportKeyJwk(k: KeyObject): Record<string, unknown> {
  return (k.asymmetricKeyType === 'rsa-pss' ? asPlainRsa(k) : k).export({ format: 'jwk' }) as Record<string, unknown>;
}

/** The PS algorithm an RSA-PSS key's parameters name, if any. */
function pssAlg(k: KeyObject): string | undefined {
  const hash = k.asymmetricKeyType === 'rsa-pss' ? k.asymmetricKeyDetails?.hashAlgorithm : undefined;
  return hash === 'sha256' ? 'PS256' : hash === 'sha384' ? 'PS384' : hash === 'sha512' ? 'PS512' : undefined;
}

const PUBLIC_KEY_OPS = new Set(['verify', 'encrypt', 'wrapKey']);

/**
 * The key as a JWK: its public half unless `withPrivate` (and it has one), with the JWK's own
 * kid/alg/use/key_ops kept. A secret is an "oct" JWK, which is all private.
 */
export function keyToJwk(key: KeyMaterial, withPrivate: boolean): Jwk {
  let members: Record<string, unknown>;
  let keyOps = key.keyOps;
  if (key.secret) {
    members = key.secret.export({ format: 'jwk' }) as Record<string, unknown>;
  } else if (withPrivate && key.privateKey) {
    members = exportKeyJwk(key.privateKey);
  } else {
    members = exportKeyJwk((key.publicKey ?? key.privateKey)!);
    keyOps = keyOps?.filter((op) => PUBLIC_KEY_OPS.has(op));
    if (keyOps?.length === 0) keyOps = undefined;
  }
  const k = key.publicKey ?? key.privateKey;
  const alg = key.alg ?? (k ? pssAlg(k) : undefined);
  return orderJwk({ ...members, use: key.use, key_ops: keyOps, alg, kid: key.kid });
}

/** RFC 7638 thumbprint of any key (of its public half). */
export function keyThumbprint(key: KeyMaterial, hash: ThumbprintHash = 'sha256'): string {
  return jwkThumbprint(keyToJwk(key, false), hash);
}

/** RFC 9278: the thumbprint as a URI. */
export function thumbprintUri(thumbprint: string, hash: ThumbprintHash = 'sha256'): string {
  return `urn:ietf:params:oauth:jwk-thumbprint:${hash.replace('sha', 'sha-')}:${thumbprint}`;
}

/** The key as PEM: PKCS#8 for a private key (when `withPrivate`), SPKI for a public one. */
export function keyToPem(key: KeyMaterial, withPrivate: boolean): string {
  if (key.secret) throw new JwtkitError('bad_key', `${key.label} is a secret (oct) key, which has no PEM form`, 'keep it as a JWK, or use it with --secret-file');
  if (withPrivate && key.privateKey) return key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return (key.publicKey ?? createPublicKey(key.privateKey!)).export({ type: 'spki', format: 'pem' }).toString();
}

// ---------------------------------------------------------------------------------------------
// JWE (RFC 7516): jose's flattenedDecrypt and CompactEncrypt do the cryptography; jwtkit picks
// the keys, narrows the algorithms and tells failures apart by jose's error codes.

export { JWE_ALGS, JWE_ENCS, type JweAlg, type JweEnc, type JweSerialization } from './algs.js';

const ECDH_ALGS: readonly JweAlg[] = ['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW'];
const RSA_OAEP_ALGS: readonly JweAlg[] = ['RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512'];
const PBES2_ALGS: readonly JweAlg[] = ['PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW'];
const ECDH_CURVES: Readonly<Record<string, string>> = Object.freeze({ prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' });

/** The curve of an ECDH key as a JWK names it ("P-256", "X25519"), or undefined for other keys. */
export function ecdhCurve(key: KeyMaterial): string | undefined {
  const k = key.privateKey ?? key.publicKey;
  if (!k) return undefined;
  if (k.asymmetricKeyType === 'x25519') return 'X25519';
  if (k.asymmetricKeyType === 'ec') return ECDH_CURVES[k.asymmetricKeyDetails?.namedCurve ?? ''];
  return undefined;
}

/** A secret's length in bytes (0 for other keys). */
export function secretLength(key: KeyMaterial): number {
  return key.secret?.symmetricKeySize ?? 0;
}

/**
 * The JWE key management algorithms a key's type allows: a secret by its length (`dir` for a
 * content key's size, A*KW and A*GCMKW for 16, 24 or 32 bytes, PBES2 for any), an RSA key the
 * RSA-OAEP family, an EC (P-256/384/521) or X25519 key the ECDH-ES family. A JWK's own "alg"
 * narrows them. Decrypting needs the private half of an asymmetric key.
 */
export function keyJweAlgorithms(key: KeyMaterial): JweAlg[] {
  let algs: JweAlg[];
  if (key.secret) {
    const n = secretLength(key);
    algs = [];
    if (JWE_ENCS.some((enc) => JWE_ENC_KEY_BYTES[enc] === n)) algs.push('dir');
    for (const alg of JWE_ALGS) if (JWE_WRAP_KEY_BYTES[alg] === n) algs.push(alg);
    algs.push(...PBES2_ALGS);
  } else {
    const k = (key.publicKey ?? key.privateKey)!;
    if (k.asymmetricKeyType === 'rsa') algs = [...RSA_OAEP_ALGS];
    else algs = ecdhCurve(key) === undefined ? [] : [...ECDH_ALGS];
  }
  if (key.alg === undefined) return algs;
  // A content key's JWK may name its enc as "alg" (the jose C tool does): it serves `dir` with it.
  if (Object.hasOwn(JWE_ENC_KEY_BYTES, key.alg)) return algs.filter((a) => a === 'dir');
  return algs.filter((a) => a === key.alg);
}

/** The content encryptions a secret of this length serves with `dir`. */
export function directEncs(key: KeyMaterial): JweEnc[] {
  const n = secretLength(key);
  return JWE_ENCS.filter((enc) => JWE_ENC_KEY_BYTES[enc] === n && (key.alg === undefined || key.alg === 'dir' || key.alg === enc));
}

/** A JWE in the flattened JSON serialization (RFC 7516 §7.2.2); compact tokens are read as one. */
export interface FlattenedJwe {
  protected?: string;
  unprotected?: Record<string, unknown>;
  header?: Record<string, unknown>;
  encrypted_key?: string;
  iv?: string;
  ciphertext: string;
  tag?: string;
  aad?: string;
}

export interface JweDecryptOptions {
  algs: readonly string[];
  encs: readonly string[];
  maxP2c: number;
  /** the largest plaintext a `zip: DEF` token may inflate to */
  maxInflated: number;
}

/** Why a decryption did not give a plaintext: jose's error codes, in jwtkit's words. */
export type JweFailure = 'decryption_failed' | 'alg_not_allowed' | 'unsupported' | 'malformed' | 'key_mismatch';

export type JweOutcome = { plaintext: Uint8Array } | { failure: JweFailure };

const JWE_FAILURES: Readonly<Record<string, JweFailure>> = Object.freeze({
  ERR_JWE_DECRYPTION_FAILED: 'decryption_failed',
  ERR_JOSE_ALG_NOT_ALLOWED: 'alg_not_allowed',
  ERR_JOSE_NOT_SUPPORTED: 'unsupported',
  ERR_JWE_INVALID: 'malformed',
});

/**
 * Decrypts one recipient of a JWE with one key. The caller has checked the structure (sizes,
 * p2c, zip) and chosen the key; what remains can only fail in the ways of JweFailure. Every
 * integrity failure (a wrong key, an altered part, a bad padding) is 'decryption_failed': jose
 * goes on with a random content key when unwrapping fails (RFC 7516 §11.5), so a wrong key and an
 * altered ciphertext look alike.
 */
export async function decryptJwe(jwe: FlattenedJwe, key: KeyMaterial, options: JweDecryptOptions): Promise<JweOutcome> {
  const { flattenedDecrypt } = await import('jose');
  const joseKey = key.secret ? new Uint8Array(key.secret.export()) : key.privateKey;
  if (!joseKey) return { failure: 'key_mismatch' };
  try {
    const { plaintext } = await flattenedDecrypt(jwe, joseKey, {
      keyManagementAlgorithms: [...options.algs],
      contentEncryptionAlgorithms: [...options.encs],
      maxPBES2Count: options.maxP2c,
      maxDecompressedLength: options.maxInflated,
    });
    return { plaintext };
  } catch (err) {
    const code = (err as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string' && Object.hasOwn(JWE_FAILURES, code)) return { failure: JWE_FAILURES[code]! };
    // A TypeError: the key does not fit the algorithm (jose checks this before any decryption).
    if (err instanceof TypeError) return { failure: 'key_mismatch' };
    return { failure: 'decryption_failed' };
  }
}

/** A JWE in the general JSON serialization (RFC 7516 §7.2.1), as jwtkit writes it: one recipient. */
export interface GeneralJwe {
  protected?: string;
  unprotected?: Record<string, unknown>;
  recipients: { header?: Record<string, unknown>; encrypted_key?: string }[];
  aad?: string;
  iv?: string;
  ciphertext: string;
  tag?: string;
}

/**
 * Encrypts `plaintext` with the protected `header` (its alg and enc chosen): a compact JWE by
 * default; the flattened JSON serialization with everything in the protected header, as compact
 * has it; the general one with the shared parameters (enc, typ, cty, zip) protected and the
 * recipient's `alg` and `kid` in its own header, as RFC 7516 §7.2.1 lays a recipient out.
 */
export async function encryptJwe(
  plaintext: Uint8Array,
  header: Record<string, unknown> & { alg: JweAlg; enc: JweEnc },
  key: KeyMaterial,
  options: { p2c?: number; serialization?: JweSerialization } = {},
): Promise<string | FlattenedJwe | GeneralJwe> {
  const { CompactEncrypt, FlattenedEncrypt, GeneralEncrypt } = await import('jose');
  const joseKey = key.secret ? new Uint8Array(key.secret.export()) : key.publicKey;
  if (!joseKey) throw new JwtkitError('bad_key', `${key.label} has no public key to encrypt to`);
  const parameters = header.alg.startsWith('PBES2') && options.p2c !== undefined ? { p2c: options.p2c } : undefined;
  try {
    switch (options.serialization ?? 'compact') {
      case 'compact': {
        const jwe = new CompactEncrypt(plaintext).setProtectedHeader(header);
        if (parameters) jwe.setKeyManagementParameters(parameters);
        return await jwe.encrypt(joseKey);
      }
      case 'flattened': {
        const jwe = new FlattenedEncrypt(plaintext).setProtectedHeader(header);
        if (parameters) jwe.setKeyManagementParameters(parameters);
        return (await jwe.encrypt(joseKey)) as FlattenedJwe;
      }
      case 'general': {
        const { alg, kid, ...shared } = header;
        const recipientHeader: Record<string, unknown> = kid === undefined ? { alg } : { alg, kid };
        const jwe = new GeneralEncrypt(plaintext).setProtectedHeader(shared as typeof header);
        const recipient = jwe.addRecipient(joseKey).setUnprotectedHeader(recipientHeader);
        if (parameters) recipient.setKeyManagementParameters(parameters);
        return (await jwe.encrypt()) as GeneralJwe;
      }
    }
  } catch (err) {
    throw new JwtkitError('bad_key', `cannot encrypt with ${header.alg} and ${key.label}: ${joseErrorReason(err)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// RSA1_5 (RSAES-PKCS1-v1_5), only behind --allow-rsa1_5. jose dropped it and Node.js refuses
// PKCS#1 v1.5 decryption (CVE-2023-46809), so the padding is undone here after a raw RSA
// operation, with RFC 7516 §11.5's defence: a bad padding or a content key of the wrong size goes
// on with a random content key, so it fails exactly as a wrong tag does (one message, no oracle).

/** The content key an RSA1_5 encrypted key holds, or a random one of `cekBytes` when it holds none. */
function rsa15ContentKey(encryptedKey: Buffer, privateKey: KeyObject, cekBytes: number): Buffer {
  const random = randomBytes(cekBytes);
  const k = Math.ceil((privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  if (encryptedKey.length !== k || k < 11 + cekBytes) return random;
  let em: Buffer;
  try {
    em = privateDecrypt({ key: privateKey, padding: cryptoConstants.RSA_NO_PADDING }, encryptedKey);
  } catch {
    return random;
  }
  // EM = 0x00 || 0x02 || PS (8 or more non-zero bytes) || 0x00 || CEK, with CEK of exactly cekBytes:
  // every byte is looked at, whatever the first difference.
  const separator = k - cekBytes - 1;
  let bad = em[0]! | (em[1]! ^ 0x02) | em[separator]!;
  for (let i = 2; i < separator; i++) bad |= em[i]! === 0 ? 1 : 0;
  const cek = Buffer.from(em.subarray(separator + 1));
  const mask = bad === 0 ? 0xff : 0x00;
  for (let i = 0; i < cekBytes; i++) cek[i] = (cek[i]! & mask) | (random[i]! & ~mask);
  return cek;
}

/** Content decryption (RFC 7518 §5.2 and §5.3) for RSA1_5, which jose no longer does; null when the tag does not match. */
function decryptContent(enc: JweEnc, cek: Buffer, iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): Buffer | null {
  try {
    if (enc.endsWith('GCM')) {
      const decipher = createDecipheriv(`aes-${cek.length * 8}-gcm` as 'aes-256-gcm', cek, iv);
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    }
    const half = cek.length / 2;
    const al = Buffer.alloc(8);
    al.writeBigUInt64BE(BigInt(aad.length * 8));
    const mac = createHmac(`sha${half * 16}`, cek.subarray(0, half)).update(Buffer.concat([aad, iv, ciphertext, al])).digest().subarray(0, half);
    if (mac.length !== tag.length || !timingSafeEqual(mac, tag)) return null;
    const decipher = createDecipheriv(`aes-${half * 8}-cbc`, cek.subarray(half), iv);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return null;
  }
}

/**
 * Decrypts one RSA1_5 recipient (the caller has checked the structure and that RSA1_5 was allowed).
 * 'malformed' only when the tag verified and a compressed plaintext does not inflate within `maxInflated`.
 */
export async function decryptRsa15(jwe: FlattenedJwe, header: Record<string, unknown>, key: KeyMaterial, maxInflated: number): Promise<JweOutcome> {
  const enc = header.enc as JweEnc;
  if (!key.privateKey || key.privateKey.asymmetricKeyType !== 'rsa') return { failure: 'key_mismatch' };
  const part = (text: string | undefined) => Buffer.from(text ?? '', 'base64url');
  const cek = rsa15ContentKey(part(jwe.encrypted_key), key.privateKey, JWE_ENC_KEY_BYTES[enc]);
  const aad = Buffer.from(`${jwe.protected ?? ''}${jwe.aad === undefined ? '' : `.${jwe.aad}`}`, 'ascii');
  const plaintext = decryptContent(enc, cek, part(jwe.iv), part(jwe.ciphertext), part(jwe.tag), aad);
  if (!plaintext) return { failure: 'decryption_failed' };
  if (header.zip !== 'DEF') return { plaintext };
  const { inflateRawSync } = await import('node:zlib');
  try {
    return { plaintext: inflateRawSync(plaintext, { maxOutputLength: maxInflated }) };
  } catch {
    return { failure: 'malformed' };
  }
}

// ---------------------------------------------------------------------------------------------
// The secret behind an HMAC token (`jwtkit audit`): trying candidate keys

/**
 * A tester of candidate HMAC keys against one token: HMAC(K, m) = H((K⊕opad) ‖ H((K⊕ipad) ‖ m))
 * computed here in plain JavaScript, not by node:crypto. A createHmac per candidate costs a
 * native call, a KeyObject and a Buffer (~4 µs a key here); this costs none: the message blocks
 * after the key block are the same for every candidate, so their message schedules (with the
 * round constants added) are computed once per token; per candidate only the two key blocks and
 * the outer block are scheduled and compressed, in typed arrays allocated once. Keys longer than
 * the hash's block are hashed first (RFC 2104), by node:crypto.
 */
export interface SecretTester {
  readonly alg: HmacAlg;
  /** whether bytes[start, end), followed by "\n" when `newline`, is the key that signed the token */
  test(bytes: Uint8Array, start: number, end: number, newline?: boolean): boolean;
  /** a faster way for many keys (HS256 where WebAssembly SIMD runs), else undefined */
  readonly batch?: KeyBatch | undefined;
}

const SHA256_K = Int32Array.from(
  [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ],
  (x) => x | 0,
);
const SHA256_IV = Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19], (x) => x | 0);

/** SHA-256's message schedule: w[0..15] given, w[16..63] filled. */
function sha256Schedule(w: Int32Array): void {
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15]!;
    const y = w[t - 2]!;
    w[t] = ((((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) + w[t - 7]! + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w[t - 16]!) | 0;
  }
}

/** One SHA-256 compression of state `s` with `kw` = round constant + schedule word, per round. */
function sha256Compress(s: Int32Array, kw: Int32Array): void {
  let a = s[0]!, b = s[1]!, c = s[2]!, d = s[3]!, e = s[4]!, f = s[5]!, g = s[6]!, h = s[7]!;
  for (let t = 0; t < 64; t++) {
    const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + kw[t]!) | 0;
    const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  s[0] = (s[0]! + a) | 0;
  s[1] = (s[1]! + b) | 0;
  s[2] = (s[2]! + c) | 0;
  s[3] = (s[3]! + d) | 0;
  s[4] = (s[4]! + e) | 0;
  s[5] = (s[5]! + f) | 0;
  s[6] = (s[6]! + g) | 0;
  s[7] = (s[7]! + h) | 0;
}

function addConstants(w: Int32Array, k: Int32Array): Int32Array {
  for (let t = 0; t < w.length; t++) w[t] = (w[t]! + k[t]!) | 0;
  return w;
}

/** The padded message blocks that follow one key block: m ‖ 0x80 ‖ 0… ‖ bit length of (block ‖ m). */
function messageBlocks(message: Buffer, blockSize: number): Buffer {
  const lengthBytes = blockSize / 8; // 8 (SHA-256) or 16 (SHA-512)
  const total = blockSize + message.length;
  const padded = Math.ceil((total + 1 + lengthBytes) / blockSize) * blockSize - blockSize;
  const blocks = Buffer.alloc(padded);
  message.copy(blocks, 0);
  blocks[message.length] = 0x80;
  const bits = total * 8;
  blocks.writeUInt32BE(Math.floor(bits / 2 ** 32), padded - 8);
  blocks.writeUInt32BE(bits >>> 0, padded - 4);
  return blocks;
}

/** Loads key bytes (≤ one block; then "\n" when asked) into big-endian words, the rest zero. */
function loadKeyWords(words: Int32Array, bytes: Uint8Array, start: number, end: number, newline: boolean): void {
  words.fill(0);
  let j = 0;
  for (let i = start; i < end; i++, j++) words[j >> 2]! |= bytes[i]! << (24 - ((j & 3) << 3));
  if (newline) words[j >> 2]! |= 0x0a << (24 - ((j & 3) << 3));
}

function sha256Tester(message: Buffer, signature: Buffer): SecretTester {
  const blocks = messageBlocks(message, 64);
  const schedules: Int32Array[] = [];
  for (let o = 0; o < blocks.length; o += 64) {
    const w = new Int32Array(64);
    for (let i = 0; i < 16; i++) w[i] = blocks.readInt32BE(o + i * 4);
    sha256Schedule(w);
    schedules.push(addConstants(w, SHA256_K));
  }
  const target = new Int32Array(8);
  for (let i = 0; i < 8; i++) target[i] = signature.readInt32BE(i * 4);
  const key = new Int32Array(16);
  const w = new Int32Array(64);
  const inner = new Int32Array(8);
  const outer = new Int32Array(8);
  const keyBlock = (state: Int32Array, pad: number) => {
    for (let i = 0; i < 16; i++) w[i] = key[i]! ^ pad;
    sha256Schedule(w);
    state.set(SHA256_IV);
    sha256Compress(state, addConstants(w, SHA256_K));
  };
  return {
    alg: 'HS256',
    batch: sha256Batch(schedules, target),
    test(bytes, start, end, newline = false) {
      if (end - start + (newline ? 1 : 0) > 64) return this.test(longKey('sha256', bytes, start, end, newline), 0, 32);
      loadKeyWords(key, bytes, start, end, newline);
      keyBlock(inner, 0x36363636);
      keyBlock(outer, 0x5c5c5c5c);
      for (const s of schedules) sha256Compress(inner, s);
      w.set(inner);
      w[8] = 0x80000000 | 0;
      w.fill(0, 9, 15);
      w[15] = (64 + 32) * 8;
      sha256Schedule(w);
      sha256Compress(outer, addConstants(w, SHA256_K));
      for (let i = 0; i < 8; i++) if (outer[i] !== target[i]) return false;
      return true;
    },
  };
}

/**
 * A key longer than the hash's block is its hash (RFC 2104): the SHA-256/384/512 of
 * bytes[start, end), then "\n" when `newline`. Computed here with the testers' own compression
 * functions, not node:crypto, so that audit's search never needs node:crypto loaded (several of
 * the built-in defaults are long keys).
 */
function longKey(hash: string, bytes: Uint8Array, start: number, end: number, newline: boolean): Buffer {
  const wide = hash !== 'sha256';
  const block = wide ? 128 : 64;
  const length = end - start + (newline ? 1 : 0);
  // The message, 0x80, zeros, and its length in bits (in the last 8 bytes of the 8 or 16 there are).
  const padded = Buffer.alloc(Math.ceil((length + 1 + block / 8) / block) * block);
  padded.set(bytes.subarray(start, end));
  if (newline) padded[length - 1] = 0x0a;
  padded[length] = 0x80;
  padded.writeUInt32BE(Math.floor((length * 8) / 2 ** 32), padded.length - 8);
  padded.writeUInt32BE((length * 8) >>> 0, padded.length - 4);
  const state = Int32Array.from(wide ? (hash === 'sha384' ? SHA384_IV : SHA512_IV) : SHA256_IV);
  const w = new Int32Array(wide ? 160 : 64);
  for (let o = 0; o < padded.length; o += block) {
    for (let i = 0; i < block / 4; i++) w[i] = padded.readInt32BE(o + i * 4);
    if (wide) {
      sha512Schedule(w);
      sha512Compress(state, w);
    } else {
      sha256Schedule(w);
      sha256Compress(state, addConstants(w, SHA256_K));
    }
  }
  const digest = Buffer.alloc(hash === 'sha256' ? 32 : hash === 'sha384' ? 48 : 64);
  for (let i = 0; i < digest.length / 4; i++) digest.writeInt32BE(state[i]!, i * 4);
  return digest;
}

// SHA-384/512: 64-bit words as (high, low) pairs of 32-bit integers, interleaved in Int32Arrays.
const SHA512_K = Int32Array.from(
  [
    0x428a2f98, 0xd728ae22, 0x71374491, 0x23ef65cd, 0xb5c0fbcf, 0xec4d3b2f, 0xe9b5dba5, 0x8189dbbc, 0x3956c25b, 0xf348b538, 0x59f111f1, 0xb605d019,
    0x923f82a4, 0xaf194f9b, 0xab1c5ed5, 0xda6d8118, 0xd807aa98, 0xa3030242, 0x12835b01, 0x45706fbe, 0x243185be, 0x4ee4b28c, 0x550c7dc3, 0xd5ffb4e2,
    0x72be5d74, 0xf27b896f, 0x80deb1fe, 0x3b1696b1, 0x9bdc06a7, 0x25c71235, 0xc19bf174, 0xcf692694, 0xe49b69c1, 0x9ef14ad2, 0xefbe4786, 0x384f25e3,
    0x0fc19dc6, 0x8b8cd5b5, 0x240ca1cc, 0x77ac9c65, 0x2de92c6f, 0x592b0275, 0x4a7484aa, 0x6ea6e483, 0x5cb0a9dc, 0xbd41fbd4, 0x76f988da, 0x831153b5,
    0x983e5152, 0xee66dfab, 0xa831c66d, 0x2db43210, 0xb00327c8, 0x98fb213f, 0xbf597fc7, 0xbeef0ee4, 0xc6e00bf3, 0x3da88fc2, 0xd5a79147, 0x930aa725,
    0x06ca6351, 0xe003826f, 0x14292967, 0x0a0e6e70, 0x27b70a85, 0x46d22ffc, 0x2e1b2138, 0x5c26c926, 0x4d2c6dfc, 0x5ac42aed, 0x53380d13, 0x9d95b3df,
    0x650a7354, 0x8baf63de, 0x766a0abb, 0x3c77b2a8, 0x81c2c92e, 0x47edaee6, 0x92722c85, 0x1482353b, 0xa2bfe8a1, 0x4cf10364, 0xa81a664b, 0xbc423001,
    0xc24b8b70, 0xd0f89791, 0xc76c51a3, 0x0654be30, 0xd192e819, 0xd6ef5218, 0xd6990624, 0x5565a910, 0xf40e3585, 0x5771202a, 0x106aa070, 0x32bbd1b8,
    0x19a4c116, 0xb8d2d0c8, 0x1e376c08, 0x5141ab53, 0x2748774c, 0xdf8eeb99, 0x34b0bcb5, 0xe19b48a8, 0x391c0cb3, 0xc5c95a63, 0x4ed8aa4a, 0xe3418acb,
    0x5b9cca4f, 0x7763e373, 0x682e6ff3, 0xd6b2b8a3, 0x748f82ee, 0x5defb2fc, 0x78a5636f, 0x43172f60, 0x84c87814, 0xa1f0ab72, 0x8cc70208, 0x1a6439ec,
    0x90befffa, 0x23631e28, 0xa4506ceb, 0xde82bde9, 0xbef9a3f7, 0xb2c67915, 0xc67178f2, 0xe372532b, 0xca273ece, 0xea26619c, 0xd186b8c7, 0x21c0c207,
    0xeada7dd6, 0xcde0eb1e, 0xf57d4f7f, 0xee6ed178, 0x06f067aa, 0x72176fba, 0x0a637dc5, 0xa2c898a6, 0x113f9804, 0xbef90dae, 0x1b710b35, 0x131c471b,
    0x28db77f5, 0x23047d84, 0x32caab7b, 0x40c72493, 0x3c9ebe0a, 0x15c9bebc, 0x431d67c4, 0x9c100d4c, 0x4cc5d4be, 0xcb3e42b6, 0x597f299c, 0xfc657e2a,
    0x5fcb6fab, 0x3ad6faec, 0x6c44198c, 0x4a475817,
  ],
  (x) => x | 0,
);
const SHA512_IV = Int32Array.from(
  [0x6a09e667, 0xf3bcc908, 0xbb67ae85, 0x84caa73b, 0x3c6ef372, 0xfe94f82b, 0xa54ff53a, 0x5f1d36f1, 0x510e527f, 0xade682d1, 0x9b05688c, 0x2b3e6c1f, 0x1f83d9ab, 0xfb41bd6b, 0x5be0cd19, 0x137e2179],
  (x) => x | 0,
);
const SHA384_IV = Int32Array.from(
  [0xcbbb9d5d, 0xc1059ed8, 0x629a292a, 0x367cd507, 0x9159015a, 0x3070dd17, 0x152fecd8, 0xf70e5939, 0x67332667, 0xffc00b31, 0x8eb44a87, 0x68581511, 0xdb0c2e0d, 0x64f98fa7, 0x47b5481d, 0xbefa4fa4],
  (x) => x | 0,
);
const TWO_32 = 0x100000000;

function sha512Schedule(w: Int32Array): void {
  for (let t = 16; t < 80; t++) {
    const xh = w[2 * (t - 15)]!, xl = w[2 * (t - 15) + 1]!, yh = w[2 * (t - 2)]!, yl = w[2 * (t - 2) + 1]!;
    const s0h = ((xh >>> 1) | (xl << 31)) ^ ((xh >>> 8) | (xl << 24)) ^ (xh >>> 7);
    const s0l = ((xl >>> 1) | (xh << 31)) ^ ((xl >>> 8) | (xh << 24)) ^ ((xl >>> 7) | (xh << 25));
    const s1h = ((yh >>> 19) | (yl << 13)) ^ ((yl >>> 29) | (yh << 3)) ^ (yh >>> 6);
    const s1l = ((yl >>> 19) | (yh << 13)) ^ ((yh >>> 29) | (yl << 3)) ^ ((yl >>> 6) | (yh << 26));
    const l = (s0l >>> 0) + (s1l >>> 0) + (w[2 * (t - 7) + 1]! >>> 0) + (w[2 * (t - 16) + 1]! >>> 0);
    w[2 * t] = (s0h + s1h + w[2 * (t - 7)]! + w[2 * (t - 16)]! + ((l / TWO_32) | 0)) | 0;
    w[2 * t + 1] = l | 0;
  }
}

function sha512Compress(s: Int32Array, w: Int32Array): void {
  const K = SHA512_K;
  let ah = s[0]!, al = s[1]!, bh = s[2]!, bl = s[3]!, ch = s[4]!, cl = s[5]!, dh = s[6]!, dl = s[7]!;
  let eh = s[8]!, el = s[9]!, fh = s[10]!, fl = s[11]!, gh = s[12]!, gl = s[13]!, hh = s[14]!, hl = s[15]!;
  for (let t = 0; t < 80; t++) {
    const S1h = ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
    const S1l = ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
    const chh = gh ^ (eh & (fh ^ gh));
    const chl = gl ^ (el & (fl ^ gl));
    const t1lo = (hl >>> 0) + (S1l >>> 0) + (chl >>> 0) + (K[2 * t + 1]! >>> 0) + (w[2 * t + 1]! >>> 0);
    const t1h = (hh + S1h + chh + K[2 * t]! + w[2 * t]! + ((t1lo / TWO_32) | 0)) | 0;
    const t1l = t1lo | 0;
    const S0h = ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
    const S0l = ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
    const t2lo = (S0l >>> 0) + (((al & bl) | (cl & (al | bl))) >>> 0);
    const t2h = (S0h + ((ah & bh) | (ch & (ah | bh))) + ((t2lo / TWO_32) | 0)) | 0;
    hh = gh;
    hl = gl;
    gh = fh;
    gl = fl;
    fh = eh;
    fl = el;
    const elo = (dl >>> 0) + (t1l >>> 0);
    eh = (dh + t1h + ((elo / TWO_32) | 0)) | 0;
    el = elo | 0;
    dh = ch;
    dl = cl;
    ch = bh;
    cl = bl;
    bh = ah;
    bl = al;
    const alo = (t1l >>> 0) + ((t2lo | 0) >>> 0);
    ah = (t1h + t2h + ((alo / TWO_32) | 0)) | 0;
    al = alo | 0;
  }
  add64(s, 0, ah, al);
  add64(s, 2, bh, bl);
  add64(s, 4, ch, cl);
  add64(s, 6, dh, dl);
  add64(s, 8, eh, el);
  add64(s, 10, fh, fl);
  add64(s, 12, gh, gl);
  add64(s, 14, hh, hl);
}

function add64(s: Int32Array, i: number, h: number, l: number): void {
  const lo = (s[i + 1]! >>> 0) + (l >>> 0);
  s[i] = (s[i]! + h + ((lo / TWO_32) | 0)) | 0;
  s[i + 1] = lo | 0;
}

function sha512Tester(alg: Exclude<HmacAlg, 'HS256'>, message: Buffer, signature: Buffer): SecretTester {
  const bits = HMAC[alg].bits;
  const iv = alg === 'HS384' ? SHA384_IV : SHA512_IV;
  const outWords = bits / 32;
  const blocks = messageBlocks(message, 128);
  const schedules: Int32Array[] = [];
  for (let o = 0; o < blocks.length; o += 128) {
    const w = new Int32Array(160);
    for (let i = 0; i < 32; i++) w[i] = blocks.readInt32BE(o + i * 4);
    sha512Schedule(w);
    schedules.push(w);
  }
  const target = new Int32Array(outWords);
  for (let i = 0; i < outWords; i++) target[i] = signature.readInt32BE(i * 4);
  const key = new Int32Array(32);
  const w = new Int32Array(160);
  const inner = new Int32Array(16);
  const outer = new Int32Array(16);
  const keyBlock = (state: Int32Array, pad: number) => {
    for (let i = 0; i < 32; i++) w[i] = key[i]! ^ pad;
    sha512Schedule(w);
    state.set(iv);
    sha512Compress(state, w);
  };
  const hash = HMAC[alg].hash;
  return {
    alg,
    batch: sha512Batch(iv, schedules, target, bits, hash),
    test(bytes, start, end, newline = false) {
      if (end - start + (newline ? 1 : 0) > 128) return this.test(longKey(hash, bytes, start, end, newline), 0, bits / 8);
      loadKeyWords(key, bytes, start, end, newline);
      keyBlock(inner, 0x36363636);
      keyBlock(outer, 0x5c5c5c5c);
      for (const s of schedules) sha512Compress(inner, s);
      w.fill(0, 0, 32);
      w.set(inner.subarray(0, outWords));
      w[outWords] = 0x80000000 | 0;
      w[31] = (128 + bits / 8) * 8;
      sha512Schedule(w);
      sha512Compress(outer, w);
      for (let i = 0; i < outWords; i++) if (outer[i] !== target[i]) return false;
      return true;
    },
  };
}

/**
 * A tester for a token's `alg` (HS256/384/512), its signing input (ASCII) and its signature
 * (base64url), or null when the signature does not have the algorithm's length.
 */
export function secretTester(alg: HmacAlg, signingInput: string, signature: string): SecretTester | null {
  const sig = base64urlDecode(signature);
  const message = Buffer.from(signingInput, 'latin1');
  if (!sig || sig.length !== HMAC[alg].bytes) return null;
  return alg === 'HS256' ? sha256Tester(message, sig) : sha512Tester(alg, message, sig);
}

/** The part of the WebAssembly API used here (TypeScript's node types leave it out). */
interface Wasm {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly?: Wasm }).WebAssembly;

// Compiled once per process (a WebAssembly.Module is immutable; each tester makes its own Instance).
const simdModules = new Map<SimdShape, object | null>();

/** The compiled module for a shape, or null where WebAssembly SIMD is not available. */
function simdModule(shape: SimdShape): object | null {
  let module = simdModules.get(shape);
  if (module === undefined) {
    try {
      const bytes = Buffer.from(shape === SHA256_SHAPE ? HMAC_SIMD_WASM.sha256 : HMAC_SIMD_WASM.sha512, 'base64');
      module = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
    } catch {
      module = null;
    }
    simdModules.set(shape, module);
  }
  return module;
}

/** Many keys per call, for the search loop: load keys 0…capacity−1, then run. */
export interface KeyBatch {
  readonly capacity: number;
  /** key n is bytes[start, end), then "\n" when `newline` */
  load(n: number, bytes: Uint8Array, start: number, end: number, newline: boolean): void;
  /**
   * Keys 0…count−1 are packed keys `first`… of `keys` (src/wordhash.ts PackedKeys), their words
   * starting at keys.words[at]; returns where the next key's words start. One call a batch, no
   * work per byte: the built-in list's loading (src/audit-search.ts searchKnownList).
   */
  loadWords(keys: PackedKeys, first: number, at: number, count: number): number;
  /** the first of keys 0…count−1 that signs the token, or −1 */
  run(count: number): number;
}

/**
 * The batch of a token: `fixed` are the schedules of its message blocks (K + W for SHA-256; bare
 * W as (high, low) pairs for SHA-512, whose K is added here), `target` its signature's words.
 */
function simdBatch(shape: SimdShape, iv: Int32Array, fixed: readonly Int32Array[], target: Int32Array, digestBits: number, hash: string): KeyBatch | undefined {
  const module = fixed.length <= shape.maxFixed ? simdModule(shape) : null;
  if (!module) return undefined;
  const L = simdLayout(shape);
  const wide = shape.bits === 64;
  const instance = new wasm!.Instance(module, {});
  const mem = new Int32Array((instance.exports.mem as { buffer: ArrayBuffer }).buffer);
  const run = instance.exports.run as (pairs: number, fixedBlocks: number, innerWords: number) => void;
  // Each word in every lane. SHA-512's words come as (high, low) pairs and go in little-endian: (low, high).
  const splatAll = (offset: number, words: ArrayLike<number>) => {
    const base = offset >> 2;
    if (!wide) for (let i = 0; i < words.length; i++) for (let lane = 0; lane < 4; lane++) mem[base + i * 4 + lane] = words[i]!;
    else
      for (let i = 0; i < words.length / 2; i++)
        for (let lane = 0; lane < 2; lane++) {
          mem[base + i * 4 + lane * 2] = words[2 * i + 1]!;
          mem[base + i * 4 + lane * 2 + 1] = words[2 * i]!;
        }
  };
  splatAll(L.K, wide ? SHA512_K : SHA256_K);
  splatAll(L.IV, iv);
  fixed.forEach((w, b) => {
    if (!wide) return splatAll(L.FIXED + b * L.blockBytes, w);
    const kw = new Int32Array(160);
    for (let t = 0; t < 80; t++) {
      const lo = (w[2 * t + 1]! >>> 0) + (SHA512_K[2 * t + 1]! >>> 0);
      kw[2 * t] = (w[2 * t]! + SHA512_K[2 * t]! + ((lo / TWO_32) | 0)) | 0;
      kw[2 * t + 1] = lo | 0;
    }
    splatAll(L.FIXED + b * L.blockBytes, kw);
  });
  // The outer block after the inner digest: 0x80, zeros, the bit length of (block ‖ digest).
  const innerWords = digestBits / shape.bits;
  const blockBytes = shape.bits * 2;
  const pad = new Int32Array(wide ? 32 : 16);
  pad[wide ? innerWords * 2 : innerWords] = 0x80000000 | 0;
  pad[pad.length - 1] = (blockBytes + digestBits / 8) * 8;
  splatAll(L.PAD, pad);
  const keys = L.KEYS >> 2;
  const out = L.OUT >> 2;
  const lanes = wide ? 2 : 4;
  const laneShift = wide ? 1 : 2;
  // A key's bytes into its lane: word i of key n is at group n >> laneShift, lane n & (lanes − 1);
  // a SHA-512 word's high half is the int32 after its low half.
  // How many words of each key's slot may be nonzero: only those are cleared for the next key.
  const used = new Uint8Array(shape.groups * lanes);
  // Key n into its slot (the word index computed here, not by a call to word() per word: the
  // loading was most of the cold main thread's time for the built-in list).
  const put = (n: number, bytes: Uint8Array, start: number, end: number, newline: boolean): void => {
    if (end - start + (newline ? 1 : 0) > blockBytes) {
      const digest = longKey(hash, bytes, start, end, newline);
      put(n, digest, 0, digest.length, false);
      return;
    }
    // Word w (big-endian, 32 bits) is at base + 4w (SHA-256); a SHA-512 word's high half is the
    // int32 after its low half, at base + 4(w >> 1) + (~w & 1).
    const base = wide ? keys + (n >> 1) * 64 + (n & 1) * 2 : keys + (n >> 2) * 64 + (n & 3);
    let w = 0;
    let i = start;
    for (; i + 4 <= end; i += 4, w++) mem[wide ? base + (w >> 1) * 4 + (~w & 1) : base + w * 4] = (bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (i < end || newline) {
      let last = 0;
      let shift = 24;
      for (; i < end; i++, shift -= 8) last |= bytes[i]! << shift;
      if (newline) last |= 0x0a << shift;
      mem[wide ? base + (w >> 1) * 4 + (~w & 1) : base + w * 4] = last;
      w++;
    }
    for (let z = w; z < used[n]!; z++) mem[wide ? base + (z >> 1) * 4 + (~z & 1) : base + z * 4] = 0;
    used[n] = w;
  };
  return {
    capacity: shape.groups * lanes,
    load: put,
    loadWords({ lengths, words }, first, at, count) {
      for (let n = 0; n < count; n++) {
        const length = lengths[first + n]!;
        const base = wide ? keys + (n >> 1) * 64 + (n & 1) * 2 : keys + (n >> 2) * 64 + (n & 3);
        const w = (length + 3) >> 2;
        for (let z = 0; z < w; z++) mem[wide ? base + (z >> 1) * 4 + (~z & 1) : base + z * 4] = words[at + z]!;
        for (let z = w; z < used[n]!; z++) mem[wide ? base + (z >> 1) * 4 + (~z & 1) : base + z * 4] = 0;
        used[n] = w;
        at += w;
      }
      return at;
    },
    run(count) {
      if (count <= 0) return -1;
      run(Math.ceil(count / (2 * lanes)), fixed.length, innerWords);
      // The digest's 32-bit words in order, each compared with the target's.
      const words = digestBits / 32;
      for (let n = 0; n < count; n++) {
        const o = out + (n >> laneShift) * 32 + (n & (lanes - 1)) * (wide ? 2 : 1);
        let i = 0;
        if (wide) while (i < words && mem[o + (i >> 1) * 4 + ((i & 1) === 0 ? 1 : 0)] === target[i]) i++;
        else while (i < words && mem[o + i * 4] === target[i]) i++;
        if (i === words) return n;
      }
      return -1;
    },
  };
}

function sha256Batch(fixedSchedules: readonly Int32Array[], target: Int32Array): KeyBatch | undefined {
  return simdBatch(SHA256_SHAPE, SHA256_IV, fixedSchedules, target, 256, 'sha256');
}

function sha512Batch(iv: Int32Array, fixedSchedules: readonly Int32Array[], target: Int32Array, bits: number, hash: string): KeyBatch | undefined {
  return simdBatch(SHA512_SHAPE, iv, fixedSchedules, target, bits, hash);
}
