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
  createSecretKey,
  generateKeyPairSync,
  randomBytes,
  verify as verifySignatureRaw,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { ASYMMETRIC_ALGS, HMAC, HMAC_ALGS, JWS_ALGS, RSA_BITS, type AsymmetricAlg, type JwsAlg, type SecretEncoding } from './algs.js';
import { JwtkitError } from './errors.js';

export { ASYMMETRIC_ALGS, HMAC_ALGS, JWS_ALGS, SECRET_ENCODINGS, type AsymmetricAlg, type HmacAlg, type JwsAlg, type SecretEncoding } from './algs.js';

// ---------------------------------------------------------------------------------------------
// Encodings


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

let scratch = Buffer.allocUnsafe(16 * 1024);

/**
 * Strict base64url → UTF-8 text, or null when the text is not canonical base64url ('base64')
 * or its bytes are not UTF-8 ('utf8'). Decodes into one reused buffer: a batch of a million
 * tokens allocates no Buffer per token, which keeps memory flat.
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

export const THUMBPRINT_HASHES = ['sha256', 'sha384', 'sha512'] as const;
export type ThumbprintHash = (typeof THUMBPRINT_HASHES)[number];

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

// ---------------------------------------------------------------------------------------------
// Keys


/** A key jwtkit can verify (and, with a private half or a secret, sign) with. */
export interface KeyMaterial {
  /** where it came from, for messages: "JWT_SECRET", "keys/rsa.pub.pem", "jwks kid abc" */
  label: string;
  secret?: KeyObject;
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

/**
 * Keys from a file's text, recognised by content, never by file name: PEM (SPKI public key,
 * X.509 certificate, PKCS#8, PKCS#1 or SEC1 private key), a JWK or a JWKS.
 */
export function parseKeyText(
  text: string,
  label: string,
  notes?: string[],
  options: { passphrase?: string | undefined; notKeyHint?: string } = {},
): KeyMaterial[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw new JwtkitError('bad_key', `${label} looks like JSON but does not parse`, 'give a PEM key, a JWK or a JWKS');
    }
    return parseJwkJson(json, label, notes === undefined ? {} : { warnings: notes });
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
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'priv'];

/** Why a remote set's key is refused, or undefined: a published set carries public keys only. */
function remoteRefusal(jwk: Record<string, unknown>): string | undefined {
  if (jwk.kty === 'oct') return 'a secret (oct) key';
  const members = PRIVATE_MEMBERS.filter((m) => jwk[m] !== undefined);
  if (members.length > 0) return `a private key (it holds ${members.join(', ')})`;
  return undefined;
}

/** Whether a JWK may verify signatures: `use` absent or "sig", `key_ops` absent or naming verify/sign (as jose). */
function isSigningJwk(jwk: Record<string, unknown>): boolean {
  const use = jwk.use;
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
      if (!source.anyUse && !isSigningJwk(jwk)) {
        notForSigning++;
        if (jwk.use === 'enc') encryption++;
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
      if (notForSigning > 0 && notForSigning === keys.length) {
        throw new JwtkitError(
          'bad_key',
          encryption === keys.length
            ? `${label} holds ${count}, all for encryption (use "enc"); none verifies a signature`
            : `${label} holds ${count}, none for signatures (by their "use" or "key_ops")`,
          'give the set that holds the signing keys',
        );
      }
      throw new JwtkitError('bad_key', `${label} is a JWKS with no usable signing key`);
    }
    return out;
  }
  if (isObject(json) && typeof json.kty === 'string') {
    if (!source.anyUse && !isSigningJwk(json)) {
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
