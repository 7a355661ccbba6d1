// `jwtkit sign`: a test token with exactly the claims asked for, with safe defaults (15 minutes,
// no weak secrets, never alg "none").
import { JWS_ALGS, isHmacAlg, type SecretEncoding } from '../algs.js';
import {
  describeKey,
  defaultSigningAlg,
  isJwsAlg,
  keyAlgorithms,
  randomTokenId,
  keyThumbprint,
  secretKeyBase64url,
  signCompact,
  type JwsAlg,
  type KeyMaterial,
} from '../crypto.js';
import { KEY_HINT, type LoadedKeys } from '../keys.js';
import { JwtkitError, jsonErrorReason } from '../errors.js';
import { formatDuration, isoTime, parseTime } from '../time.js';
import { MAX_JSON_DEPTH, nestsTooDeep, type JsonObject } from '../token.js';
import { shown } from '../shown.js';

/** The claims options (defined once in src/cli/common.ts, for sign and encrypt), as parsed. */
export interface ClaimOptionValues {
  sub?: string | undefined;
  iss?: string | undefined;
  aud?: string[] | undefined;
  /** DUR or TIME; false for --no-exp; undefined for the 15-minute default */
  exp?: string | false | undefined;
  nbf?: string | undefined;
  /** TIME; false for --no-iat */
  iat?: string | false | undefined;
  jti?: string | undefined;
  claim?: string[] | undefined;
}

export interface SignOptions extends Omit<ClaimOptionValues, 'claim'> {
  payload: JsonObject;
  kid?: string | undefined;
  claims: string[];
  headers: string[];
  alg?: string | undefined;
  now: number;
}

export const DEFAULT_LIFETIME = '15m';

export interface Minted {
  header: JsonObject & { alg: JwsAlg };
  payload: JsonObject;
  /** "--sub overrides the payload's sub", for stderr */
  overrides: string[];
  /** "--exp is in the past…", for stderr */
  warnings: string[];
}

/** "k=v" → [k, v], v a JSON value when it parses, else the string. */
export function parseAssignment(option: string, text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new JwtkitError('usage', `${option} ${shown(text)} is not NAME=VALUE`, `for example ${option} role=admin`);
  const name = text.slice(0, eq);
  const raw = text.slice(eq + 1);
  if (nestsTooDeep(raw)) throw new JwtkitError('usage', `${option} ${shown(name)} is nested too deep (more than ${MAX_JSON_DEPTH} levels)`);
  try {
    return [name, JSON.parse(raw)];
  } catch {
    return [name, raw];
  }
}

export function parsePayload(text: string): JsonObject {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return {};
  if (nestsTooDeep(trimmed)) throw new JwtkitError('usage', `the payload is nested too deep (more than ${MAX_JSON_DEPTH} levels)`);
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (err) {
    throw new JwtkitError('usage', `the payload is not valid JSON: ${jsonErrorReason(err)}`, `give a JSON object, for example '{"sub":"user-1","role":"admin"}'`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new JwtkitError('usage', `the payload must be a JSON object, not ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}`);
  }
  return value as JsonObject;
}

/** The algorithm to sign with: --alg if it fits the key (never "none"), else the key's own. */
export function chooseAlg(requested: string | undefined, key: KeyMaterial): JwsAlg {
  const fits = keyAlgorithms(key);
  if (requested === undefined) {
    const alg = defaultSigningAlg(key);
    if (!alg) throw new JwtkitError('usage', `${key.label} is ${describeKey(key)}, which signs no JWS algorithm`);
    return alg;
  }
  if (requested.trim() === '') throw new JwtkitError('usage', '--alg is empty', `name one, or leave --alg out: this key signs ${fits.join(', ')}`);
  if (requested.toLowerCase() === 'none') {
    throw new JwtkitError('usage', 'jwtkit never makes unsigned tokens (alg "none")', `use one of ${fits.join(', ')}`);
  }
  if (!isJwsAlg(requested)) {
    throw new JwtkitError(
      'usage',
      `--alg ${shown(requested)} is not a JWS algorithm jwtkit signs with`,
      fits.length > 0 ? `this key signs ${fits.join(', ')}` : `${key.label} is ${describeKey(key)}, which signs none of them (${JWS_ALGS.join(', ')})`,
    );
  }
  if (!fits.includes(requested)) {
    throw new JwtkitError('usage', `${requested} does not fit ${key.label} (${describeKey(key)})`, `it signs ${fits.join(', ') || 'nothing'}`);
  }
  return requested;
}

/**
 * The header's kid: --kid as given, "thumbprint" for the key's RFC 7638 thumbprint, and by default
 * a JWK's own kid, so that a verifier holding a JWKS picks the right key.
 */
export function headerKid(requested: string | undefined, key: KeyMaterial): string | undefined {
  if (requested === 'thumbprint') return keyThumbprint(key);
  return requested ?? key.kid;
}

/** Sets a member as an own property, whatever its name (`__proto__` included: a plain
 *  assignment would change the object's prototype and drop the claim). */
function setMember(target: JsonObject, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/** The header and payload of the token: the payload, then the flags over it. */
export function mint(options: SignOptions, alg: JwsAlg): Minted {
  const payload: JsonObject = { ...options.payload };
  const overrides: string[] = [];
  const set = (flag: string, name: string, value: unknown) => {
    if (Object.hasOwn(options.payload, name) && JSON.stringify(options.payload[name]) !== JSON.stringify(value)) {
      overrides.push(`${flag} overrides the payload's ${name}`);
    }
    setMember(payload, name, value);
  };
  const { now } = options;
  for (const text of options.claims) {
    const [name, value] = parseAssignment('--claim', text);
    set('--claim', name, value);
  }
  if (options.iss !== undefined) set('--iss', 'iss', options.iss);
  if (options.sub !== undefined) set('--sub', 'sub', options.sub);
  if (options.aud !== undefined && options.aud.length > 0) set('--aud', 'aud', options.aud.length === 1 ? options.aud[0] : options.aud);

  // The defaults (iat now, exp 15 minutes after iat) fill only what neither the payload nor a
  // --claim gave.
  if (options.iat === false) delete payload.iat;
  else if (options.iat !== undefined) set('--iat', 'iat', Math.floor(parseTime('--iat', options.iat, now)));
  else if (!Object.hasOwn(payload, 'iat')) payload.iat = now;
  const base = typeof payload.iat === 'number' && Number.isFinite(payload.iat) ? payload.iat : now;

  if (options.nbf !== undefined) set('--nbf', 'nbf', Math.floor(parseTime('--nbf', options.nbf, base, true)));
  if (options.exp === false) {
    delete payload.exp;
  } else if (options.exp !== undefined) {
    set('--exp', 'exp', Math.floor(parseTime('--exp', options.exp, base, true)));
  } else if (!Object.hasOwn(payload, 'exp')) {
    payload.exp = Math.floor(parseTime('--exp', DEFAULT_LIFETIME, base, true));
  }
  if (options.jti !== undefined) set('--jti', 'jti', options.jti === 'auto' ? randomTokenId() : options.jti);
  const warnings: string[] = [];
  if (typeof options.exp === 'string' && typeof payload.exp === 'number' && payload.exp <= now) {
    const text = options.exp.trim();
    const bare = /^\d+$/.test(text);
    const when = `${isoTime(payload.exp)}, ${formatDuration(now - payload.exp)} ago`;
    warnings.push(
      bare
        ? `--exp ${text} is the Unix time ${when}: the token is born expired${text.length < 9 ? `; for a lifetime give a unit: --exp ${text}s` : ''}`
        : `--exp lands in the past (${when}): the token is born expired`,
    );
  }

  const header: JsonObject & { alg: JwsAlg } = { alg, typ: 'JWT' };
  if (options.kid !== undefined) header.kid = options.kid;
  for (const text of options.headers) {
    const [name, value] = parseAssignment('--header', text);
    if (name === 'alg') throw new JwtkitError('usage', '--header cannot set alg', 'use --alg; jwtkit never makes alg "none"');
    if (name === 'crit') throw new JwtkitError('usage', '--header cannot set crit', 'verifiers must refuse extensions they do not understand');
    setMember(header, name, value);
  }
  return { header, payload, overrides, warnings };
}

/** sign takes exactly one secret or key. */
export function signingKey(loaded: LoadedKeys): KeyMaterial {
  if (loaded.keys.length !== 1) {
    throw new JwtkitError('usage', `sign takes one secret or key, and ${loaded.keys.length} were given`, KEY_HINT);
  }
  return loaded.keys[0]!;
}

/**
 * The weak-secret gate: a secret (from --secret*, or an `oct` JWK) is judged as `check` judges it,
 * and a weak one is refused unless the user allows it; then the warning to show is returned.
 */
export async function judgeSigningSecret(
  loaded: LoadedKeys,
  key: KeyMaterial,
  alg: JwsAlg,
  options: { encoding: SecretEncoding | undefined; allowWeak: boolean },
): Promise<string | undefined> {
  if (!key.secret || !isHmacAlg(alg)) return undefined;
  const text = loaded.secretTexts.get(key.label);
  // A secret as given is judged as its text (and --secret-encoding); an `oct` JWK by its key bytes.
  const judged = text === undefined ? { secret: secretKeyBase64url(key), encoding: 'base64url' as const } : { secret: text, encoding: options.encoding };
  const { checkSecret } = await import('./check.js');
  const verdict = await checkSecret({ ...judged, label: key.label, alg });
  if (verdict.verdict === 'strong') return undefined;
  const why = `${key.label} is weak for ${alg}: ${verdict.reasons[0]?.message ?? 'not recognised as generated'}`;
  if (!options.allowWeak) {
    throw new JwtkitError(
      'weak_secret',
      why,
      `generate one with \`jwtkit gen${alg === 'HS256' ? '' : ` --alg ${alg}`}\`, or pass --allow-weak-secret for a throwaway test token`,
    );
  }
  return `${why} (signing anyway: --allow-weak-secret)`;
}

export async function signToken(minted: Minted, key: KeyMaterial): Promise<string> {
  return signCompact(minted.header, JSON.stringify(minted.payload), key);
}
