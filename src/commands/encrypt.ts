// `jwtkit encrypt`: a JWE for tests (compact, or JSON serialization) (RFC 7516), to a secret or a public key, with safe
// defaults: dir + A256GCM for a secret of a content key's size, ECDH-ES for EC and X25519 keys,
// RSA-OAEP-256 for RSA keys; never a weak secret; never RSA1_5.
import { DEFAULT_P2C, HMAC, JWE_ENC_KEY_BYTES, JWE_ENCS, JWE_WRAP_KEY_BYTES, isJweAlg, isJweEnc, RSA1_5, type JweAlg, type JweEnc, type SecretEncoding } from '../algs.js';
import { describeKey, encryptJwe, keyJweAlgorithms, secretKeyBase64url, secretLength, directEncs, JWE_ALGS, type FlattenedJwe, type GeneralJwe, type JweSerialization, type KeyMaterial } from '../crypto.js';
import { JwtkitError } from '../errors.js';
import { KEY_HINT, type LoadedKeys } from '../keys.js';
import { shown } from '../shown.js';
import { parseToken, type JsonObject } from '../token.js';
import { mint, parsePayload, type ClaimOptionValues } from './sign.js';

/** The one key to encrypt to. */
export function encryptionKey(loaded: LoadedKeys): KeyMaterial {
  if (loaded.keys.length !== 1) {
    throw new JwtkitError('usage', `encrypt takes one secret or key, and ${loaded.keys.length} were given`, KEY_HINT);
  }
  return loaded.keys[0]!;
}

/** --alg and --enc, checked against the key; the defaults when they are not given. */
export function chooseJweAlgs(key: KeyMaterial, requestedAlg: string | undefined, requestedEnc: string | undefined): { alg: JweAlg; enc: JweEnc } {
  const fits = keyJweAlgorithms(key);
  if (requestedEnc !== undefined && !isJweEnc(requestedEnc)) {
    throw new JwtkitError('usage', `--enc ${shown(requestedEnc)} is not a JWE content encryption`, `use one of ${JWE_ENCS.join(', ')}`);
  }
  let alg: JweAlg;
  if (requestedAlg === undefined) {
    if (key.secret) {
      const direct = directEncs(key);
      const wrap = fits.find((a) => a !== 'dir' && !a.startsWith('PBES2'));
      if (key.alg !== undefined && fits[0] !== undefined) alg = fits[0];
      else if (direct.length > 0 && (requestedEnc === undefined || direct.includes(requestedEnc as JweEnc))) alg = 'dir';
      else if (wrap !== undefined) alg = wrap;
      else {
        throw new JwtkitError(
          'usage',
          `${key.label} is ${secretLength(key)} bytes: dir with A256GCM needs a 32-byte key (A128KW 16, A192KW 24, A256KW 32)`,
          'a secret is used as its UTF-8 text unless --secret-encoding base64|base64url|hex says how it is written (`jwtkit gen` makes a 32-byte one); for a password use --alg PBES2-HS256+A128KW',
        );
      }
    } else {
      const preferred: JweAlg[] = ['RSA-OAEP-256', 'ECDH-ES'];
      const found = preferred.find((a) => fits.includes(a)) ?? fits[0];
      if (found === undefined) throw new JwtkitError('usage', `${key.label} is ${describeKey(key)}, which encrypts with no JWE algorithm`, 'encrypt to an RSA, EC (P-256, P-384, P-521) or X25519 public key, or a secret');
      alg = found;
    }
  } else {
    if (requestedAlg === RSA1_5) throw new JwtkitError('usage', 'jwtkit never encrypts with RSA1_5 (open to padding-oracle attacks)', 'use RSA-OAEP-256');
    if (!isJweAlg(requestedAlg)) throw new JwtkitError('usage', `--alg ${shown(requestedAlg)} is not a JWE key management algorithm`, `use one of ${JWE_ALGS.join(', ')}`);
    if (!fits.includes(requestedAlg)) {
      const need = JWE_WRAP_KEY_BYTES[requestedAlg];
      throw new JwtkitError(
        'usage',
        `${requestedAlg} does not fit ${key.label} (${describeKey(key)}${key.secret ? `, ${secretLength(key)} bytes` : ''})${need !== undefined && key.secret ? `: it needs a ${need}-byte key` : ''}`,
        `it encrypts with ${fits.join(', ') || 'nothing'}`,
      );
    }
    alg = requestedAlg;
  }
  let enc: JweEnc;
  if (requestedEnc !== undefined) enc = requestedEnc as JweEnc;
  else if (alg === 'dir') enc = directEncs(key).includes('A256GCM') ? 'A256GCM' : directEncs(key)[0]!;
  else enc = 'A256GCM';
  if (alg === 'dir' && JWE_ENC_KEY_BYTES[enc] !== secretLength(key)) {
    throw new JwtkitError('usage', `dir with ${enc} needs a ${JWE_ENC_KEY_BYTES[enc]}-byte key and ${key.label} is ${secretLength(key)} bytes`, `with this key use --enc ${directEncs(key).join(' or --enc ') || '… (none fits)'}, or --alg A256KW / PBES2-HS256+A128KW`);
  }
  return { alg, enc };
}

/** How many bits of unpredictability a secret needs to serve `alg`/`enc`: the key size, 256 for a PBES2 password. */
export function requiredSecretBits(alg: JweAlg, enc: JweEnc): number {
  if (alg === 'dir') return Math.min(HMAC.HS256.bits, JWE_ENC_KEY_BYTES[enc] * 8);
  const wrap = JWE_WRAP_KEY_BYTES[alg];
  return wrap === undefined ? HMAC.HS256.bits : wrap * 8;
}

/**
 * sign's weak-secret gate, for encryption: the secret is judged as `check` judges it, and one with
 * fewer bits of real unpredictability than the key needs (256 for HS256-strength, a PBES2
 * password included) is refused unless the user allows it; then the warning to show is returned.
 */
export async function judgeEncryptionSecret(
  loaded: LoadedKeys,
  key: KeyMaterial,
  alg: JweAlg,
  enc: JweEnc,
  options: { encoding: SecretEncoding | undefined; allowWeak: boolean },
): Promise<string | undefined> {
  if (!key.secret) return undefined;
  const text = loaded.secretTexts.get(key.label);
  const judged = text === undefined ? { secret: secretKeyBase64url(key), encoding: 'base64url' as const } : { secret: text, encoding: options.encoding };
  const { checkSecret } = await import('./check.js');
  const verdict = await checkSecret({ ...judged, label: key.label, alg: 'HS256' });
  const required = requiredSecretBits(alg, enc);
  const weak = required >= HMAC.HS256.bits ? verdict.verdict === 'weak' : verdict.bits < required;
  if (!weak) return undefined;
  const why = `${key.label} is weak for ${alg === 'dir' ? `dir with ${enc}` : alg}: ${verdict.reasons[0]?.message ?? `about ${Math.floor(verdict.bits)} bits of ${required} needed`}`;
  if (!options.allowWeak) {
    throw new JwtkitError('weak_secret', why, 'generate one with `jwtkit gen` (and --secret-encoding base64), or pass --allow-weak-secret for a throwaway test token');
  }
  return `${why} (encrypting anyway: --allow-weak-secret)`;
}

export interface EncryptRequest {
  plaintext: Uint8Array;
  alg: JweAlg;
  enc: JweEnc;
  cty?: string | undefined;
  typ?: string | undefined;
  kid?: string | undefined;
  zip?: boolean | undefined;
  p2c?: number | undefined;
  serialization?: JweSerialization | undefined;
}

/**
 * The JWE, written as `serialization` says: `token` is the text to print (the compact token, or the
 * JSON serialization on one line), `jwe` the JSON serialization's object (null for compact), and
 * `header` the JOSE header (for general, the protected and the recipient's header together).
 */
export async function encryptPayload(
  request: EncryptRequest,
  key: KeyMaterial,
): Promise<{ token: string; header: JsonObject; jwe: FlattenedJwe | GeneralJwe | null }> {
  const header: JsonObject & { alg: JweAlg; enc: JweEnc } = { alg: request.alg, enc: request.enc };
  if (request.typ !== undefined) header.typ = request.typ;
  if (request.cty !== undefined) header.cty = request.cty;
  if (request.kid !== undefined) header.kid = request.kid;
  if (request.zip) header.zip = 'DEF';
  const made = await encryptJwe(request.plaintext, header, key, { p2c: request.p2c ?? DEFAULT_P2C, serialization: request.serialization ?? 'compact' });
  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as JsonObject;
  if (typeof made === 'string') return { token: made, header: decode(made.slice(0, made.indexOf('.'))), jwe: null };
  const recipientHeader = 'recipients' in made ? made.recipients[0]?.header : made.header;
  const joseHeader = { ...(made.protected === undefined ? {} : decode(made.protected)), ...(recipientHeader as JsonObject | undefined) };
  // RFC 7516's order (§7.2.1): protected, unprotected, recipients (or header, encrypted_key), aad, iv, ciphertext, tag.
  const order = ['protected', 'unprotected', 'recipients', 'header', 'encrypted_key', 'aad', 'iv', 'ciphertext', 'tag'];
  const ordered = <T extends object>(o: T): T =>
    Object.fromEntries(order.flatMap((name) => (Object.hasOwn(o, name) ? [[name, (o as Record<string, unknown>)[name]]] : []))) as T;
  const jwe = ordered(made);
  if ('recipients' in jwe) jwe.recipients = jwe.recipients.map(ordered);
  return { token: JSON.stringify(jwe), header: joseHeader, jwe };
}


/** The claims options given, by name (--no-exp is not counted: a payload that is not claims has no expiry either). */
export function givenClaimOptions(opts: ClaimOptionValues): string[] {
  const given: string[] = (['sub', 'iss', 'aud', 'nbf', 'iat', 'jti', 'claim'] as const).filter((name) => opts[name] !== undefined);
  if (typeof opts.exp === 'string') given.push('exp');
  return given;
}

/** A compact JWS's shape: a candidate for a signed JWT payload (parseToken decides). */
const COMPACT_JWS = /^e[wy][A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

export interface EncryptPlaintext {
  plaintext: Uint8Array;
  /** the claims, for a claims payload (null otherwise) */
  payload: JsonObject | null;
  cty?: string | undefined;
  typ?: string | undefined;
  /** "--sub overrides the payload's sub", for stderr */
  overrides: string[];
}

/**
 * What encrypt encrypts (its help's rule): a signed compact JWT as it is, with cty JWT (sign-then-
 * encrypt); a JSON object, or nothing, as claims with sign's defaults (iat now, exp in 15 minutes)
 * and typ JWT; any other text as it is. The claims options apply to claims only.
 */
export function encryptPlaintext(text: string, claims: ClaimOptionValues, options: { cty?: string | undefined; now: number }): EncryptPlaintext {
  const given = givenClaimOptions(claims);
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (isSignedJwt(trimmed)) {
    if (given.length > 0) throw new JwtkitError('usage', `--${given[0]} cannot change a signed JWT's claims`, 'set them when signing it: jwtkit sign … | jwtkit encrypt …');
    return { plaintext: new TextEncoder().encode(trimmed), payload: null, cty: options.cty ?? 'JWT', overrides: [] };
  }
  if (trimmed === '' || trimmed.startsWith('{')) {
    const minted = mint(
      {
        payload: parsePayload(trimmed),
        sub: claims.sub,
        iss: claims.iss,
        aud: claims.aud,
        exp: claims.exp,
        nbf: claims.nbf,
        iat: claims.iat,
        jti: claims.jti,
        claims: claims.claim ?? [],
        headers: [],
        now: options.now,
      },
      'HS256',
    );
    return { plaintext: new TextEncoder().encode(JSON.stringify(minted.payload)), payload: minted.payload, cty: options.cty, typ: 'JWT', overrides: minted.overrides };
  }
  if (given.length > 0) throw new JwtkitError('usage', `--${given[0]} applies to a claims payload (a JSON object), and this payload is text`, 'give the claims as JSON, or drop the claim options');
  return { plaintext: new TextEncoder().encode(text), payload: null, cty: options.cty, overrides: [] };
}

function isSignedJwt(text: string): boolean {
  if (!COMPACT_JWS.test(text)) return false;
  try {
    return parseToken(text).kind === 'jws';
  } catch {
    return false;
  }
}
