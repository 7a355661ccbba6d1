// `jwtkit verify`: whether to believe a token. Signature first (with the key's own algorithms
// only), then every claim check, all failures named in one message.
import { decodeCanonical, describeKey, isJwsAlg, keyAlgorithms, secretKeyMaterial, signatureCheck, verifySignature, MIN_RSA_BITS, type JwsAlg, type KeyMaterial, type SignatureCheck } from '../crypto.js';
import { JwtkitError, isJwtkitError } from '../errors.js';
import { JWS_ALGS } from '../algs.js';
import { formatDuration, isoTime, relativeTime } from '../time.js';
import { attachPayload, createTokenParser, type JsonObject, type ParsedJws, type ParsedJwsJson, type ParsedToken } from '../token.js';
import { notNumericDate, payloadKind } from './decode.js';
import { couldBeSecret, lengthOnly, shown } from '../shown.js';

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
  /** --payload-file: the detached payload of tokens whose payload part is empty (RFC 7515 Appendix F) */
  detachedPayload?: Buffer | undefined;
  /** --all-signatures: a JSON serialization is valid only when every signature verifies */
  allSignatures?: boolean | undefined;
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
  /** the claims; null when the payload is not a JSON object (then `jwt` is false) */
  payload: JsonObject | null;
  /** every reason the token failed, in order: the first is `reason` */
  failures: readonly FailureCode[];
  /** whether the payload is JWT claims; false for any other payload, and when none was read */
  jwt: boolean;
  /** the signature shown: the one that verified, else the first */
  token: ParsedJws | null;
  /** a JSON serialization: the token as parsed, and what became of each signature */
  source: ParsedJwsJson | null;
  signatures: SignatureOutcome[] | null;
}

/** One signature of a JSON serialization: whether it verified, with which key, or why not. */
export type SignatureOutcome = Pick<VerifyResult, 'valid' | 'reason' | 'message' | 'alg' | 'kid' | 'key'>;

/** One reason a token failed, for scripts: the claim it concerns, if any. */
export interface FailureCode {
  reason: Reason;
  claim?: string;
}

interface Failure extends FailureCode {
  message: string;
}

/** Header parameters jwtkit understands when a token lists them in "crit": RFC 7797's unencoded payload. */
const UNDERSTOOD_CRIT = new Set<string>(['b64']);

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
  /** valid-token messages by key, alg and exp (Maps keyed by objects and parsed values: no key text made per token) */
  messages: Map<KeyMaterial, Map<string, Map<unknown, string>>>;
  /** this verifier's token parser (it remembers the last header) */
  parse: (raw: string) => ParsedToken;
  /** each secret's other readings (hex, base64, base64url bytes), made after a signature fails */
  decodedSecrets: Map<KeyMaterial, { encoding: (typeof SECRET_DECODINGS)[number]; bytes: Buffer; key: KeyMaterial }[]>;
  keys: KeyMaterial[];
  /** alg_not_allowed messages by algorithm */
  refusals: Map<string, string>;
  /** each key's signature check (an HMAC key's bytes exported once) */
  checks: Map<KeyMaterial, SignatureCheck>;
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
    keys: options.keys,
    refusals: new Map(),
    checks: new Map(options.keys.map((k) => [k, signatureCheck(k)])),
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
      ...result(null, { reason: 'encrypted', message: 'the token is encrypted (JWE): verify checks signed tokens; open it with jwtkit decrypt' }),
      header: token.header,
      kid: token.header.kid ?? null,
      alg: typeof token.header.alg === 'string' ? token.header.alg : null,
    };
  }
  if (token.kind === 'jws-json') return verifyJsonSerialization(token, prepared, options);
  if (options.detachedPayload !== undefined) {
    const attached = withDetached(token, options.detachedPayload);
    if ('reason' in attached) return result(token, attached);
    token = attached;
  }
  const sig = checkSignature(token.header, token.signingInput, token.signature, token.header.kid, prepared);
  if ('reason' in sig) return result(token, token.payloadEmpty && sig.reason === 'signature_invalid' ? { ...sig, message: sig.message + DETACHED_HINT } : sig);
  const failures = token.payload === null ? notClaims(token, options) : checkClaims(token.payload, options);
  if (failures.length > 0) return result(token, ...(failures as [Failure, ...Failure[]]));
  return {
    valid: true,
    reason: null,
    message: validMessage(token, sig, options, prepared.messages),
    alg: token.header.alg as string,
    kid: token.header.kid ?? null,
    key: sig.label,
    header: token.header,
    payload: token.payload,
    failures: NO_FAILURES,
    jwt: token.payload !== null,
    token,
    source: null,
    signatures: null,
  };
}

const DETACHED_HINT = '; the payload is empty: if it is detached (RFC 7515 Appendix F), give it with --payload-file';

/** --payload-file goes where the payload part is empty; a token that carries its own payload is an error. */
function withDetached(token: ParsedJws, bytes: Buffer): ParsedJws | Failure {
  if (!token.payloadEmpty) {
    return { reason: 'malformed', message: 'the token carries its own payload; --payload-file is for a detached payload (an empty payload part: header..signature, RFC 7515 Appendix F)' };
  }
  try {
    return attachPayload(token, bytes);
  } catch (err) {
    if (!isJwtkitError(err)) throw err;
    return { reason: 'malformed', message: `--payload-file: ${err.message}` };
  }
}

/** A payload that is not claims has none to check: every claim asked for is missing. */
function notClaims(token: ParsedJws, options: VerifyOptions): readonly Failure[] {
  const failures = checkClaims({}, options);
  if (failures.length === 0) return failures;
  const why = `: the payload is ${payloadKind(token.payloadBytes)}, not JWT claims`;
  return failures.map((f) => ({ ...f, message: f.message + why }));
}

/**
 * A JSON serialization (RFC 7515 §7.2): each signature is checked on its own (alg, crit and b64
 * from its protected header only; kid may come from the unprotected one, since it only picks
 * among the keys given). Valid when one verifies, or every one with --all-signatures.
 */
function verifyJsonSerialization(parsed: ParsedJwsJson, prepared: Prepared, options: VerifyOptions): VerifyResult {
  const outcomes: SignatureOutcome[] = [];
  const views: ParsedJws[] = [];
  const failed: Failure[] = [];
  let verified: { view: ParsedJws; key: KeyMaterial; index: number } | undefined;
  const many = parsed.signatures.length > 1;
  for (const [i, original] of parsed.signatures.entries()) {
    let view = original;
    if (options.detachedPayload !== undefined) {
      const attached = withDetached(view, options.detachedPayload);
      if ('reason' in attached) return { ...result(view, attached), source: parsed, signatures: null };
      view = attached;
    }
    views.push(view);
    const kid = view.header.kid ?? view.unprotected?.kid;
    const alg = typeof view.header.alg === 'string' ? view.header.alg : null;
    const sig = unprotectedProblem(view) ?? checkSignature(view.header, view.signingInput, view.signature, kid, prepared);
    if ('reason' in sig) {
      const message = view.payloadEmpty && sig.reason === 'signature_invalid' ? sig.message + DETACHED_HINT : sig.message;
      outcomes.push({ valid: false, reason: sig.reason, message, alg, kid: kid ?? null, key: null });
      failed.push({ reason: sig.reason, message: many ? `signature ${i + 1}: ${message}` : message });
    } else {
      outcomes.push({ valid: true, reason: null, message: `${alg} signature verified with ${sig.label}`, alg, kid: kid ?? null, key: sig.label });
      verified ??= { view, key: sig, index: i };
    }
  }
  const shown = verified?.view ?? views[0]!;
  const extra = { source: parsed, signatures: outcomes };
  if (!verified || (options.allSignatures && failed.length > 0)) {
    let first = failed[0]!;
    if (verified) first = { ...first, message: `${first.message} (--all-signatures: every signature must verify)` };
    else if (many) first = { reason: failed.every((f) => f.reason === failed[0]!.reason) ? failed[0]!.reason : failed[0]!.reason, message: `none of the ${failed.length} signatures verifies: ${failed.map((f) => f.message).join('; ')}` };
    const r = result(shown, first);
    return { ...r, kid: verified ? r.kid : (shown.header.kid ?? shown.unprotected?.kid ?? null), ...extra };
  }
  const failures = shown.payload === null ? notClaims(shown, options) : checkClaims(shown.payload, options);
  if (failures.length > 0) return { ...result(shown, ...(failures as [Failure, ...Failure[]])), ...extra };
  const alg = shown.header.alg as string;
  const which = many ? `${options.allSignatures ? `all ${outcomes.length} signatures verified; ` : ''}${alg} signature ${verified.index + 1} of ${outcomes.length}` : `${alg} signature`;
  return {
    valid: true,
    reason: null,
    message: `${which} verified with ${verified.key.label}; ${lifePhrase(shown, options)}`,
    alg,
    kid: shown.header.kid ?? shown.unprotected?.kid ?? null,
    key: verified.key.label,
    header: shown.header,
    payload: shown.payload,
    failures: NO_FAILURES,
    jwt: shown.payload !== null,
    token: shown,
    ...extra,
  };
}

/** RFC 7515 §4.1.11 and RFC 7797 §3: crit and b64 must be protected; jwtkit takes alg from the protected header only. */
function unprotectedProblem(view: ParsedJws): Failure | undefined {
  const unprotected = view.unprotected;
  if (!unprotected) return undefined;
  for (const name of ['crit', 'b64']) {
    if (name in unprotected) {
      return { reason: 'signature_invalid', message: `"${name}" is in the unprotected header, where the signature does not cover it; it must be integrity protected (RFC 7515 §4.1.11, RFC 7797 §3)` };
    }
  }
  if ('alg' in unprotected && view.header.alg === undefined) {
    return {
      reason: 'alg_not_allowed',
      message: 'alg is only in the unprotected header, which the signature does not cover; jwtkit takes alg from the protected header only, so this signature is not checked',
    };
  }
  return undefined;
}

function lifePhrase(token: ParsedJws, options: VerifyOptions): string {
  const { now, leeway } = options;
  if (token.payload === null) return `not a JWT: the payload is ${payloadKind(token.payloadBytes)}`;
  const { exp, nbf } = token.payload;
  const withinLeeway = `accepted within the leeway of ${formatDuration(leeway)}`;
  let life = typeof exp !== 'number' ? 'never expires (no exp)' : exp <= now ? `expired ${relativeTime(exp, now)}, ${withinLeeway}` : `expires ${relativeTime(exp, now)}`;
  if (typeof nbf === 'number' && nbf > now) life += `; becomes valid ${relativeTime(nbf, now)} (nbf), ${withinLeeway}`;
  return life;
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
    jwt: token !== null && token.payload !== null,
    token,
    source: null,
    signatures: null,
  };
}

// Tokens of one batch share an algorithm, a key and few expiry times: each verifier remembers the
// message per (alg, key, exp); its `now` is fixed. A token accepted only thanks to the leeway
// (expired, or not yet valid, by less than it) says so.
function validMessage(token: ParsedJws, key: KeyMaterial, options: VerifyOptions, messages: Prepared['messages']): string {
  const { now, leeway } = options;
  const alg = token.header.alg as string;
  if (token.payload === null) return `${alg} signature verified with ${key.label}; ${lifePhrase(token, options)}`;
  let byAlg = messages.get(key);
  if (!byAlg) messages.set(key, (byAlg = new Map()));
  let byExp = byAlg.get(alg);
  if (!byExp) byAlg.set(alg, (byExp = new Map()));
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

/** Why the signature is refused, or the key that verified it. */
function checkSignature(header: JsonObject, signingInput: string | Buffer, signature: string, kid: unknown, prepared: Prepared): Failure | KeyMaterial {
  const alg = header.alg;
  if (typeof alg !== 'string') return { reason: 'malformed', message: 'the header has no "alg"' };
  if (alg.length === 4 && alg.toLowerCase() === 'none') {
    return { reason: 'alg_none', message: `alg "${alg}" is never accepted: the token is unsigned` };
  }
  if (header.crit !== undefined || header.b64 !== undefined) {
    const refused = critProblem(header);
    if (refused) return refused;
  }
  const { keyAlgs, allowed } = prepared;
  if (!isJwsAlg(alg)) {
    return { reason: 'alg_not_allowed', message: `algorithm ${JSON.stringify(alg)} is not a JWS algorithm jwtkit accepts` };
  }
  if (!keyAlgs.has(alg)) return { reason: 'alg_not_allowed', message: algRefusal(alg, prepared) };
  if (!prepared.allowedSet.has(alg)) {
    return { reason: 'alg_not_allowed', message: `${alg} is not allowed: --alg ${allowed.join(',')} narrows the list (the key would verify it)` };
  }
  let candidates = prepared.byAlg.get(alg) ?? [];
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
    if (prepared.checks.get(key)!(alg as JwsAlg, signingInput, signature)) return key;
  }
  return signatureMismatch(candidates, encodedSecretHint(alg as JwsAlg, { signingInput, signature }, candidates, prepared));
}

/**
 * Why no key given verifies `alg`, naming the actual reason: a JWK's own "alg" member, an RSA-PSS
 * key's parameters, or the key's type. Worked out once per algorithm (a batch repeats it).
 */
function algRefusal(alg: JwsAlg, prepared: Prepared): string {
  let message = prepared.refusals.get(alg);
  if (message !== undefined) return message;
  const keys = prepared.keys;
  const byType = (k: KeyMaterial) => keyAlgorithms(k.alg === undefined ? k : { ...k, alg: undefined });
  const member = keys.filter((k) => k.alg !== undefined && byType(k).includes(alg));
  const pss = keys.filter((k) => (k.publicKey ?? k.privateKey)?.asymmetricKeyType === 'rsa-pss' && alg.startsWith('PS') && !byType(k).includes(alg));
  const others = (n: number) => (n > 1 ? ` (and ${n - 1} more key${n > 2 ? 's' : ''} like it)` : '');
  if (member.length > 0) {
    const k = member[0]!;
    message = `${alg} cannot be verified with ${k.label}: its JWK names "alg": ${JSON.stringify(k.alg)}, the one algorithm it may be used with (RFC 7517 §4.4)${others(member.length)}; the key's type alone would allow ${alg}`;
  } else if (pss.length > 0) {
    const k = pss[0]!;
    const fits = byType(k);
    message = `${alg} cannot be verified with ${k.label}: an RSA-PSS key whose own parameters allow ${fits.join(', ') || 'no JWS algorithm'} only${others(pss.length)}`;
  } else {
    message = `${alg} cannot be verified with ${prepared.kinds}, which verifies ${[...prepared.keyAlgs].join(', ') || 'nothing'}; a key's type decides its algorithms`;
  }
  prepared.refusals.set(alg, message);
  return message;
}

/** crit (RFC 7515 §4.1.11) names only what jwtkit understands; b64 (RFC 7797) is a boolean named in crit. */
function critProblem(header: JsonObject): Failure | undefined {
  const crit = header.crit;
  if (crit !== undefined) {
    const unknown = Array.isArray(crit) ? crit.filter((c) => typeof c !== 'string' || !UNDERSTOOD_CRIT.has(c) || !(c in header)) : [crit];
    if (!Array.isArray(crit) || crit.length === 0 || unknown.length > 0) {
      return {
        reason: 'signature_invalid',
        message: `the token requires header extensions jwtkit does not understand or that are absent (crit: ${JSON.stringify(crit)}); refused as RFC 7515 §4.1.11 demands`,
      };
    }
  }
  const b64 = header.b64;
  if (b64 !== undefined) {
    if (typeof b64 !== 'boolean') return { reason: 'malformed', message: `"b64" is ${JSON.stringify(b64)}, not true or false (RFC 7797 §3)` };
    if (!Array.isArray(crit) || !crit.includes('b64')) {
      return { reason: 'signature_invalid', message: `"b64": ${b64} without "crit": ["b64"]; RFC 7797 §6 requires crit to name it, so the token is refused` };
    }
  }
  return undefined;
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
function encodedSecretHint(alg: JwsAlg, token: { signingInput: string | Buffer; signature: string }, candidates: KeyMaterial[], prepared: Prepared): string {
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
/** A value the user asked for (--iss, --sub, --aud, --require): quoted, or by its length when it could be a secret (src/shown.ts). */
const asked = (v: string) => (couldBeSecret(v) ? lengthOnly(v) : quote(v));

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
    if (Object.hasOwn(payload, name)) continue;
    // A --require value that could be a secret (src/shown.ts) is named by its length, here and in `claim`.
    const named = couldBeSecret(name) ? lengthOnly(name) : name;
    failures.push({ reason: 'claim_missing', claim: named, message: named === name ? `required claim ${name} is missing (${name})` : `a required claim (${named}) is missing` });
  }
  if (options.iss !== undefined && options.iss.length > 0) {
    const iss = payload.iss;
    const expected = options.iss.map(asked).join(' or ');
    if (iss === undefined) failures.push({ reason: 'claim_missing', claim: 'iss', message: `issuer is missing, expected ${expected} (iss)` });
    else if (!options.iss.includes(iss as string)) failures.push({ reason: 'claim_mismatch', claim: 'iss', message: `issuer ${quote(iss)} is not ${expected} (iss)` });
  }
  if (options.sub !== undefined) {
    const sub = payload.sub;
    if (sub === undefined) failures.push({ reason: 'claim_missing', claim: 'sub', message: `subject is missing, expected ${asked(options.sub)} (sub)` });
    else if (sub !== options.sub) failures.push({ reason: 'claim_mismatch', claim: 'sub', message: `subject ${quote(sub)} is not ${asked(options.sub)} (sub)` });
  }
  if (options.aud !== undefined && options.aud.length > 0) {
    const aud = payload.aud;
    const expected = options.aud.map(asked).join(' or ');
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

/** --alg: a non-empty list of JWS algorithms, never "none" (an unsigned token proves nothing). */
export function checkAllowedAlgs(algs: readonly string[] | undefined): void {
  if (algs === undefined) return;
  if (algs.length === 0) throw new JwtkitError('usage', '--alg is empty', `name the algorithms to allow, e.g. --alg HS256 (some of ${JWS_ALGS.join(', ')})`);
  for (const alg of algs) {
    if (alg.toLowerCase() === 'none') throw new JwtkitError('usage', '--alg none is never accepted: an unsigned token proves nothing');
    if (!isJwsAlg(alg)) throw new JwtkitError('usage', `--alg ${shown(alg)} is not a JWS algorithm`, `use some of ${JWS_ALGS.join(', ')}`);
  }
}
