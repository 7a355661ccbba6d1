// `jwtkit verify`: whether to believe a token. Signature first (with the key's own algorithms
// only), then every claim check, all failures named in one message.
import { decodeCanonical, describeKey, isJwsAlg, keyAlgorithms, secretKeyMaterial, verifySignature, MIN_RSA_BITS, type JwsAlg, type KeyMaterial } from '../crypto.js';
import { isJwtkitError } from '../errors.js';
import { formatDuration, isoTime, relativeTime } from '../time.js';
import { createTokenParser, type JsonObject, type ParsedJws, type ParsedToken } from '../token.js';
import { notNumericDate } from './decode.js';

export const REASONS = Object.freeze([
  'signature_invalid',
  'expired',
  'not_yet_valid',
  'claim_mismatch',
  'claim_missing',
  'alg_not_allowed',
  'alg_none',
  'no_matching_key',
  'encrypted',
  'malformed',
] as const);
export type Reason = (typeof REASONS)[number];

export interface VerifyOptions {
  keys: KeyMaterial[];
  /** --alg allow-list; undefined: the algorithms of the keys given */
  algs?: string[] | undefined;
  /** any of these issuers (repeated --iss, like --aud) */
  iss?: string[] | undefined;
  aud?: string[] | undefined;
  sub?: string | undefined;
  leeway: number;
  maxAge?: number | undefined;
  require: string[];
  now: number;
  /** take the one token inside text that is not a token (a JSON body, a URL…): the CLI's input */
  embedded?: boolean | undefined;
}

export interface VerifyResult {
  valid: boolean;
  reason: Reason | null;
  message: string;
  alg: string | null;
  kid: unknown;
  /** label of the key that verified */
  key: string | null;
  header: JsonObject | null;
  payload: JsonObject | null;
  /** every reason the token failed, in order: the first is `reason` */
  failures: readonly FailureCode[];
  token: ParsedJws | null;
}

/** One reason a token failed, for scripts: the claim it concerns, if any. */
export interface FailureCode {
  reason: Reason;
  claim?: string;
}

interface Failure extends FailureCode {
  message: string;
}

/** Header parameters jwtkit understands when a token lists them in "crit" (none, today). */
const UNDERSTOOD_CRIT = new Set<string>();

/**
 * A verifier for many tokens: everything that depends only on the options (the keys' algorithms,
 * the allow-list) is worked out once, not per token.
 */
/**
 * A verifier for many tokens: everything that depends only on the options (the keys' algorithms,
 * the allow-list) is worked out once, not per token.
 */
export function createVerifier(options: VerifyOptions): (text: string) => VerifyResult {
  const prepared = prepare(options);
  return (text) => verifyWith(text, prepared, options);
}

interface Prepared {
  keyAlgs: Set<string>;
  allowed: string[];
  allowedSet: Set<string>;
  byAlg: Map<string, KeyMaterial[]>;
  /** algorithms some of whose keys have a kid (then the token's kid picks among them) */
  kidAlgs: Set<string>;
  /** algorithms all of whose keys are RSA keys under 2048 bits */
  weakAlgs: Set<string>;
  kinds: string;
  /** valid-token messages by (alg, key) and exp */
  messages: Map<string, Map<unknown, string>>;
  /** this verifier's token parser (it remembers the last header) */
  parse: (raw: string) => ParsedToken;
  /** each secret's other readings (hex, base64, base64url bytes), made after a signature fails */
  decodedSecrets: Map<KeyMaterial, { encoding: (typeof SECRET_DECODINGS)[number]; bytes: Buffer; key: KeyMaterial }[]>;
}

function prepare(options: VerifyOptions): Prepared {
  const byAlg = new Map<string, KeyMaterial[]>();
  for (const key of options.keys) {
    if (key.use === 'enc') continue;
    for (const alg of keyAlgorithms(key)) byAlg.set(alg, [...(byAlg.get(alg) ?? []), key]);
  }
  const keyAlgs = new Set(options.keys.flatMap((k) => keyAlgorithms(k)));
  const allowed = options.algs ?? [...keyAlgs];
  const isWeak = (k: KeyMaterial) => (k.publicKey?.asymmetricKeyDetails?.modulusLength ?? Infinity) < MIN_RSA_BITS;
  return {
    keyAlgs,
    allowed,
    allowedSet: new Set(allowed),
    byAlg,
    kidAlgs: new Set([...byAlg].filter(([, keys]) => keys.some((k) => k.kid !== undefined)).map(([alg]) => alg)),
    weakAlgs: new Set([...byAlg].filter(([, keys]) => keys.every(isWeak)).map(([alg]) => alg)),
    kinds: [...new Set(options.keys.map(describeKey))].join(' or '),
    messages: new Map(),
    parse: createTokenParser({ embedded: options.embedded === true }),
    decodedSecrets: new Map(),
  };
}

export function verifyToken(text: string, options: VerifyOptions): VerifyResult {
  return verifyWith(text, prepare(options), options);
}

function verifyWith(text: string, prepared: Prepared, options: VerifyOptions): VerifyResult {
  let token;
  try {
    token = prepared.parse(text);
  } catch (err) {
    if (!isJwtkitError(err)) throw err;
    return result(null, { reason: 'malformed', message: err.message });
  }
  if (token.kind === 'jwe') {
    return {
      ...result(null, { reason: 'encrypted', message: 'the token is encrypted (JWE); jwtkit verifies signed tokens (JWS)' }),
      header: token.header,
      kid: token.header.kid ?? null,
      alg: typeof token.header.alg === 'string' ? token.header.alg : null,
    };
  }
  const sig = checkSignature(token, prepared);
  if ('reason' in sig) return result(token, sig);
  const failures = checkClaims(token.payload, options);
  if (failures.length > 0) return result(token, ...(failures as [Failure, ...Failure[]]));
  return {
    valid: true,
    reason: null,
    message: validMessage(token, sig.key, options, prepared.messages),
    alg: token.header.alg as string,
    kid: token.header.kid ?? null,
    key: sig.key.label,
    header: token.header,
    payload: token.payload,
    failures: NO_FAILURES,
    token,
  };
}

export function malformedResult(message: string): VerifyResult {
  return result(null, { reason: 'malformed', message });
}

/** An invalid token's result: every failure is listed; the first is its `reason`. */
function result(token: ParsedJws | null, ...failures: [Failure, ...Failure[]]): VerifyResult {
  const alg = token?.header.alg;
  return {
    valid: false,
    reason: failures[0].reason,
    message: failures.map((f) => f.message).join(' and '),
    failures: failures.map(({ reason, claim }) => (claim === undefined ? { reason } : { reason, claim })),
    alg: typeof alg === 'string' ? alg : null,
    kid: token?.header.kid ?? null,
    key: null,
    header: token?.header ?? null,
    payload: token?.payload ?? null,
    token,
  };
}

// Tokens of one batch share an algorithm, a key and few expiry times: each verifier remembers the
// message per (alg, key, exp); its `now` is fixed. A token accepted only thanks to the leeway
// (expired, or not yet valid, by less than it) says so.
function validMessage(token: ParsedJws, key: KeyMaterial, options: VerifyOptions, messages: Map<string, Map<unknown, string>>): string {
  const { now, leeway } = options;
  const alg = token.header.alg as string;
  const id = `${alg} ${key.label}`;
  let byExp = messages.get(id);
  if (!byExp) messages.set(id, (byExp = new Map()));
  const exp = token.payload.exp;
  const nbf = token.payload.nbf;
  const early = typeof nbf === 'number' && nbf > now;
  let message = early ? undefined : byExp.get(exp);
  if (message === undefined) {
    const withinLeeway = `accepted within the leeway of ${formatDuration(leeway)}`;
    const life =
      typeof exp !== 'number' ? 'never expires (no exp)' : exp <= now ? `expired ${relativeTime(exp, now)}, ${withinLeeway}` : `expires ${relativeTime(exp, now)}`;
    message = `${alg} signature verified with ${key.label}; ${life}`;
    if (early) message += `; becomes valid ${relativeTime(nbf, now)} (nbf), ${withinLeeway}`;
    else if (byExp.size < 4096) byExp.set(exp, message);
  }
  return message;
}

function checkSignature(token: ParsedJws, prepared: Prepared): Failure | { key: KeyMaterial } {
  const { header } = token;
  const alg = header.alg;
  if (typeof alg !== 'string') return { reason: 'malformed', message: 'the header has no "alg"' };
  if (alg.length === 4 && alg.toLowerCase() === 'none') {
    return { reason: 'alg_none', message: `alg "${alg}" is never accepted: the token is unsigned` };
  }
  if (header.crit !== undefined) {
    const crit = header.crit;
    const unknown = Array.isArray(crit) ? crit.filter((c) => typeof c !== 'string' || !UNDERSTOOD_CRIT.has(c)) : [crit];
    if (!Array.isArray(crit) || crit.length === 0 || unknown.length > 0) {
      return {
        reason: 'signature_invalid',
        message: `the token requires header extensions jwtkit does not understand (crit: ${JSON.stringify(crit)}); refused as RFC 7515 §4.1.11 demands`,
      };
    }
  }
  const { keyAlgs, allowed } = prepared;
  if (!isJwsAlg(alg)) {
    return { reason: 'alg_not_allowed', message: `algorithm ${JSON.stringify(alg)} is not a JWS algorithm jwtkit accepts` };
  }
  if (!keyAlgs.has(alg)) {
    return {
      reason: 'alg_not_allowed',
      message: `${alg} cannot be verified with ${prepared.kinds}, which verifies ${[...keyAlgs].join(', ') || 'nothing'}; a key's type decides its algorithms`,
    };
  }
  if (!prepared.allowedSet.has(alg)) {
    return { reason: 'alg_not_allowed', message: `algorithm ${alg} is not allowed (--alg ${allowed.join(',')})` };
  }
  let candidates = prepared.byAlg.get(alg) ?? [];
  const kid = header.kid;
  if (typeof kid === 'string' && prepared.kidAlgs.has(alg)) {
    const matching = candidates.filter((k) => k.kid === undefined || k.kid === kid);
    if (matching.length === 0) {
      const kids = candidates.map((k) => k.kid).filter((k) => k !== undefined);
      return { reason: 'no_matching_key', message: `no ${alg} key has kid "${kid}" (the keys have: ${kids.join(', ')})` };
    }
    candidates = matching;
  }
  if (prepared.weakAlgs.has(alg) && candidates.every((k) => (k.publicKey?.asymmetricKeyDetails?.modulusLength ?? Infinity) < MIN_RSA_BITS)) {
    return { reason: 'alg_not_allowed', message: `RSA keys under ${MIN_RSA_BITS} bits are refused (RFC 7518 §3.3)` };
  }
  for (const key of candidates) {
    if (verifySignature(alg as JwsAlg, token.signingInput, token.signature, key)) return { key };
  }
  return signatureMismatch(candidates, encodedSecretHint(alg as JwsAlg, token, candidates, prepared));
}

function signatureMismatch(candidates: KeyMaterial[], decodedHint = ''): Failure {
  const names = candidates.map((k) => k.label);
  const none = names.length === 1 ? `the signature does not match ${names[0]}` : `the signature matches none of the ${names.length} keys (${names.join(', ')})`;
  return {
    reason: 'signature_invalid',
    message: decodedHint ? `${none} as text, but ${decodedHint}` : names.length === 1 ? `${none}: the token was signed with another key, or altered` : none,
  };
}

/** Hex first: a hex string is also valid base64, with other bytes. */
const SECRET_DECODINGS = ['hex', 'base64', 'base64url'] as const;

/**
 * After a signature failed: whether it verifies with a secret's text decoded (the app does
 * Buffer.from(secret, 'base64')), and then the flag to add. Still a failure: the key is what the
 * user named. The decoded keys are made once per run, and only when some signature failed.
 */
function encodedSecretHint(alg: JwsAlg, token: ParsedJws, candidates: KeyMaterial[], prepared: Prepared): string {
  for (const key of candidates) {
    if (key.secretText === undefined) continue;
    let decoded = prepared.decodedSecrets.get(key);
    if (!decoded) {
      decoded = [];
      const own = key.secret!.export();
      for (const encoding of SECRET_DECODINGS) {
        const bytes = decodeCanonical(key.secretText, encoding);
        if (bytes && bytes.length > 0 && !bytes.equals(own) && !decoded.some((d) => d.bytes.equals(bytes))) {
          decoded.push({ encoding, bytes, key: secretKeyMaterial(key.label, bytes) });
        }
      }
      prepared.decodedSecrets.set(key, decoded);
    }
    for (const d of decoded) {
      if (verifySignature(alg, token.signingInput, token.signature, d.key)) {
        const which = candidates.length === 1 ? 'the secret' : `the secret ${key.label}`;
        return `it verifies when ${which} is ${d.encoding}-decoded: add --secret-encoding ${d.encoding}`;
      }
    }
  }
  return '';
}

const quote = (v: unknown) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));

const NO_FAILURES: readonly Failure[] = Object.freeze([]);

const isTime = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

export function checkClaims(payload: JsonObject, options: VerifyOptions): readonly Failure[] {
  const { now, leeway } = options;
  // The common case in a batch, decided without allocating: no claim options, and the times are
  // numbers in range. Anything else takes the full path below, which names every failure.
  if (!options.iss?.length && options.sub === undefined && !options.aud?.length && options.maxAge === undefined && options.require.length === 0) {
    const { exp, nbf, iat } = payload;
    if (
      (exp === undefined || (isTime(exp) && now - leeway < (exp as number))) &&
      (nbf === undefined || (isTime(nbf) && now + leeway >= (nbf as number))) &&
      (iat === undefined || isTime(iat))
    ) {
      return NO_FAILURES;
    }
  }
  const failures: Failure[] = [];
  const leewayNote = leeway > 0 ? `, leeway ${formatDuration(leeway)}` : '';
  const number = (name: string): number | undefined => {
    const v = payload[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      failures.push({ reason: 'claim_mismatch', claim: name, message: typeof v === 'number' ? `${notNumericDate(name, v)} (${name})` : `${name} is ${JSON.stringify(v)}, not a NumericDate (${name})` });
      return undefined;
    }
    return v;
  };
  const exp = number('exp');
  const nbf = number('nbf');
  const iat = number('iat');

  if (exp !== undefined && now - leeway >= exp) {
    failures.push({ reason: 'expired', claim: 'exp', message: `token expired ${formatDuration(now - exp)} ago (exp${leewayNote})` });
  }
  if (nbf !== undefined && now + leeway < nbf) {
    failures.push({ reason: 'not_yet_valid', claim: 'nbf', message: `token is not valid until ${isoTime(nbf)}, ${relativeTime(nbf, now)} (nbf${leewayNote})` });
  }
  if (options.maxAge !== undefined) {
    if (iat !== undefined && iat > now + leeway) {
      // jose refuses it too: an age cannot be judged from a time that has not come.
      failures.push({ reason: 'not_yet_valid', claim: 'iat', message: `token is issued in the future, ${relativeTime(iat, now)} (iat${leewayNote})` });
    } else if (iat === undefined) {
      failures.push({ reason: 'claim_missing', claim: 'iat', message: '--max-age needs an issued-at time and the token has none (iat)' });
    } else if (now - iat - leeway > options.maxAge) {
      failures.push({
        reason: 'expired',
        claim: 'iat',
        message: `token was issued ${formatDuration(now - iat)} ago, more than --max-age ${formatDuration(options.maxAge)} (iat)`,
      });
    }
  }
  for (const name of options.require) {
    if (!Object.hasOwn(payload, name)) failures.push({ reason: 'claim_missing', claim: name, message: `required claim ${name} is missing (${name})` });
  }
  if (options.iss !== undefined && options.iss.length > 0) {
    const iss = payload.iss;
    const expected = options.iss.map(quote).join(' or ');
    if (iss === undefined) failures.push({ reason: 'claim_missing', claim: 'iss', message: `issuer is missing, expected ${expected} (iss)` });
    else if (!options.iss.includes(iss as string)) failures.push({ reason: 'claim_mismatch', claim: 'iss', message: `issuer ${quote(iss)} is not ${expected} (iss)` });
  }
  if (options.sub !== undefined) {
    const sub = payload.sub;
    if (sub === undefined) failures.push({ reason: 'claim_missing', claim: 'sub', message: `subject is missing, expected ${quote(options.sub)} (sub)` });
    else if (sub !== options.sub) failures.push({ reason: 'claim_mismatch', claim: 'sub', message: `subject ${quote(sub)} is not ${quote(options.sub)} (sub)` });
  }
  if (options.aud !== undefined && options.aud.length > 0) {
    const aud = payload.aud;
    const expected = options.aud.map(quote).join(' or ');
    if (aud === undefined) {
      failures.push({ reason: 'claim_missing', claim: 'aud', message: `audience is missing, expected ${expected} (aud)` });
    } else {
      const values = Array.isArray(aud) ? aud : [aud];
      if (!values.some((v) => options.aud!.includes(v as string))) {
        const shown = Array.isArray(aud) ? `[${aud.map(quote).join(', ')}]` : quote(aud);
        failures.push({ reason: 'claim_mismatch', claim: 'aud', message: `audience ${shown} is not ${expected} (aud)` });
      }
    }
  }
  // Order of `reason`: the time checks first, then missing, then mismatching claims.
  const rank: Record<string, number> = { expired: 0, not_yet_valid: 1, claim_missing: 2, claim_mismatch: 3 };
  return failures.sort((a, b) => (rank[a.reason] ?? 9) - (rank[b.reason] ?? 9));
}
