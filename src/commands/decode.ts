// `jwtkit decode`: what a token says, in words. Nothing here checks a signature.
import { formatDuration, isoTime, relativeTime } from '../time.js';
import { payloadText } from '../json-text.js';
import { shown } from '../shown.js';
import { KEY_HEADERS, MS_TIME, JWT_TYP, SUSPICIOUS_KID } from '../token-rules.js';
import { parseToken, payloadJsonProblem, type DuplicateMember, type JsonObject, type ParsedJws, type ParsedToken } from '../token.js';

export const TIME_CLAIMS = Object.freeze(['exp', 'nbf', 'iat', 'auth_time', 'updated_at'] as const);

export interface TimeInfo {
  value: number;
  iso: string;
  relative: string;
}

export type Status = 'active' | 'expired' | 'not_yet_valid' | 'no_expiry';

export interface Warning {
  code: string;
  message: string;
}

export interface ClaimReport {
  status: Status;
  times: Record<string, TimeInfo>;
  /** exp − (iat or nbf), and how much of it has passed (0…1, more when expired) */
  lifetime: { seconds: number; used: number } | null;
  warnings: Warning[];
}

export interface Decoded {
  token: ParsedToken;
  /** the protected header (of the first signature, in a JSON serialization) */
  header: JsonObject;
  /** the claims; null for a JWE, and for a JWS whose payload is not a JSON object */
  payload: JsonObject | null;
  signature: string | null;
  encrypted: boolean;
  /** whether the payload is JWT claims (a JSON object); false for any other JWS payload and a JWE */
  jwt: boolean;
  /** a JWS payload that is not claims: its octets (empty when the payload part is empty: maybe detached) */
  payloadBytes: Buffer | null;
  /** a JSON serialization's signatures, each with its protected and unprotected header */
  signatures: SignatureView[] | null;
  serialization: 'compact' | 'flattened' | 'general';
  /** null for a JWE, whose claims are encrypted, and for a payload that is not claims */
  report: ClaimReport | null;
  warnings: Warning[];
}

export interface SignatureView {
  header: JsonObject;
  unprotected: JsonObject | null;
  signature: string;
}

/** Beyond these a time claim is no date at all, in seconds or in milliseconds (year 0 to 9999). */
const FIRST_SECOND = -62_167_219_200;
const LAST_MS = 253_402_300_799_999;

/** Access tokens usually live minutes to hours; more than a day deserves a second look. */
export const LONG_LIFETIME_SECONDS = 24 * 3600;

/** `parse`: a run's own parser (createTokenParser), or a plain parse of one token. */
export function decodeToken(text: string, now: number, parse: (raw: string) => ParsedToken = parseToken): Decoded {
  return describeToken(parse(text), now);
}

/** The decoded view of an already parsed token (verify shows it too). */
export function describeToken(token: ParsedToken, now: number): Decoded {
  if (token.kind === 'jws-json') return describeJsonSerialization(token, now);
  const warnings = headerWarnings(token.header);
  if (token.duplicates) warnings.push(...duplicateWarnings(token));
  if (token.kind === 'jwe') {
    return { token, header: token.header, payload: null, signature: null, encrypted: true, jwt: false, payloadBytes: null, signatures: null, serialization: 'compact', report: null, warnings };
  }
  if (token.payload === null || token.header.b64 !== undefined) {
    return withPayload(token, now, { token, header: token.header, signature: token.signature, signatures: null, serialization: 'compact' }, warnings);
  }
  // A JWT, the common case in a batch: one object literal, no spreads.
  const report = inspectClaims(token.payload, now);
  return {
    token,
    header: token.header,
    payload: token.payload,
    signature: token.signature,
    encrypted: false,
    jwt: true,
    payloadBytes: null,
    signatures: null,
    serialization: 'compact',
    report,
    warnings: report.warnings.length === 0 ? warnings : [...warnings, ...report.warnings],
  };
}

function withPayload(view: ParsedJws, now: number, base: Pick<Decoded, 'token' | 'header' | 'signature' | 'signatures' | 'serialization'>, warnings: Warning[]): Decoded {
  warnings.push(...unencodedWarnings(view.header));
  if (view.payload === null) {
    const problem = view.payloadBytes ? payloadJsonProblem(view.payloadBytes) : null;
    if (problem !== null) warnings.push({ code: 'payload_not_json', message: `the payload begins like a JSON object but is not valid JSON (${problem}); shown as text, not as claims` });
    return { ...base, payload: null, encrypted: false, jwt: false, payloadBytes: view.payloadBytes ?? null, report: null, warnings };
  }
  const report = inspectClaims(view.payload, now);
  return { ...base, payload: view.payload, encrypted: false, jwt: true, payloadBytes: null, report, warnings: [...warnings, ...report.warnings] };
}

/** RFC 7797: "b64" is understood only when "crit" names it; a verifier that does not know it reads the payload as base64url. */
function unencodedWarnings(header: JsonObject): Warning[] {
  if (header.b64 === undefined) return [];
  const crit = header.crit;
  if (!Array.isArray(crit) || !crit.includes('b64')) {
    return [{ code: 'b64_without_crit', message: `"b64": ${JSON.stringify(header.b64)} without "crit": ["b64"]; RFC 7797 §6 requires it, and jwtkit verify refuses the token` }];
  }
  return [];
}

function describeJsonSerialization(token: import('../token.js').ParsedJwsJson, now: number): Decoded {
  const many = token.signatures.length > 1;
  const warnings: Warning[] = [];
  if (token.duplicates) warnings.push(...duplicateWarnings({ ...token, header: {} }));
  token.signatures.forEach((sig, i) => {
    const where = many ? `signature ${i + 1}: ` : '';
    const own = [...headerWarnings(sig.header, sig.unprotected), ...(sig.duplicates ? duplicateWarnings(sig) : [])];
    for (const w of own) warnings.push({ code: w.code, message: `${where}${w.message}` });
  });
  const first = token.signatures[0];
  const signatures = token.signatures.map((s) => ({ header: s.header, unprotected: s.unprotected ?? null, signature: s.signature }));
  return withPayload(first, now, { token, header: first.header, signature: first.signature, signatures, serialization: token.serialization }, warnings);
}

/**
 * RFC 7515 §5.2: a repeated member name is either refused or read as its last value, which is
 * what JSON.parse (and so jwtkit and jose) does. Another parser may take the first: say so.
 */
export function duplicateWarnings(token: { duplicates?: DuplicateMember[] | undefined; header: JsonObject; payload?: JsonObject | null }): Warning[] {
  return (token.duplicates ?? []).map((d: DuplicateMember) => {
    const shown = d.path.reduce((text, name) => (name === '[]' ? `${text}[]` : text === '' ? name : `${text}.${name}`), '');
    const top = d.path.length === 1 ? (d.part === 'header' ? token.header : d.part === 'payload' ? token.payload : undefined)?.[d.path[0]!] : undefined;
    const json = top === undefined || (top !== null && typeof top === 'object') ? undefined : JSON.stringify(top);
    const value = json !== undefined && json.length <= 60 ? `, ${json}` : '';
    return {
      code: 'duplicate_member',
      message: `the ${d.part} has ${JSON.stringify(shown)} more than once; jwtkit used the last value${value} (RFC 7515 §5.2)`,
    };
  });
}

/** Why a time claim is not a NumericDate; 1e400 in the JSON text parses as Infinity. */
export function notNumericDate(name: string, value: unknown): string {
  if (typeof value === 'number') return `${name} is not a valid NumericDate: the JSON text has a number too large for one`;
  return `${name} is ${JSON.stringify(value)}, not a NumericDate (seconds since 1970)`;
}

export function headerWarnings(header: JsonObject, unprotected?: JsonObject): Warning[] {
  const warnings: Warning[] = [];
  const alg = header.alg;
  if (typeof alg !== 'string') {
    if (unprotected && 'alg' in unprotected) {
      warnings.push({
        code: 'alg_unprotected',
        message: 'alg is only in the unprotected header, which the signature does not cover; jwtkit takes alg from the protected header only and refuses this signature',
      });
    } else {
      warnings.push({ code: 'no_alg', message: 'the header has no "alg"; no verifier should accept this token' });
    }
  } else if (alg.toLowerCase() === 'none') {
    warnings.push({ code: 'alg_none', message: `alg is "${alg}": the token is unsigned and anyone could have made it` });
  }
  for (const name of ['crit', 'b64'] as const) {
    if (unprotected && name in unprotected) {
      warnings.push({ code: 'unprotected_critical', message: `"${name}" is in the unprotected header; it must be integrity protected (RFC 7515 §4.1.11, RFC 7797 §3), so jwtkit verify refuses this signature` });
    }
  }
  for (const name of KEY_HEADERS) {
    if (name in header || (unprotected && name in unprotected)) {
      warnings.push({
        code: 'key_in_header',
        message: `the header names its own key (${name}); a verifier must never fetch or trust it`,
      });
    }
  }
  const kid = header.kid ?? unprotected?.kid;
  if (typeof kid === 'string' && SUSPICIOUS_KID.test(kid)) {
    warnings.push({
      code: 'suspicious_kid',
      message: 'kid contains path, SQL or control characters; a server that uses it in a file path or query can be attacked',
    });
  }
  const typ = header.typ;
  if (typ !== undefined && (typeof typ !== 'string' || !JWT_TYP.test(typ))) {
    warnings.push({ code: 'unusual_typ', message: `typ is ${JSON.stringify(typ)}, not "JWT"` });
  }
  return warnings;
}

export function inspectClaims(payload: JsonObject, now: number): ClaimReport {
  const warnings: Warning[] = [];
  const times: Record<string, TimeInfo> = {};
  for (const name of TIME_CLAIMS) {
    const value = payload[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      warnings.push({ code: 'invalid_time', message: notNumericDate(name, value) });
      continue;
    }
    if (value > LAST_MS || value < FIRST_SECOND) {
      warnings.push({ code: 'time_out_of_range', message: `${name} is ${value > 0 ? 'after the year 9999, even read as milliseconds' : 'before the year 0'}` });
    } else if (value > MS_TIME) {
      warnings.push({ code: 'time_in_ms', message: `${name} looks like milliseconds; JWT times are seconds (RFC 7519 §2)` });
    }
    times[name] = { value, iso: isoTime(value), relative: relativeTime(value, now) };
  }
  const exp = times.exp?.value;
  const nbf = times.nbf?.value;
  const iat = times.iat?.value;

  let status: Status;
  if (exp !== undefined && now >= exp) status = 'expired';
  else if (nbf !== undefined && now < nbf) status = 'not_yet_valid';
  else status = exp === undefined ? 'no_expiry' : 'active';

  let lifetime: ClaimReport['lifetime'] = null;
  const start = iat ?? nbf;
  if (exp !== undefined && start !== undefined && exp > start) {
    const seconds = exp - start;
    lifetime = { seconds, used: (now - start) / seconds };
    if (seconds > LONG_LIFETIME_SECONDS) {
      warnings.push({
        code: 'long_lifetime',
        message: `lives ${formatDuration(seconds)}, longer than an access token usually does (24h)`,
      });
    }
  }
  if (exp === undefined && !('exp' in payload)) {
    warnings.push({ code: 'no_exp', message: 'no exp: this token never expires' });
  }
  if (iat !== undefined && iat > now) {
    warnings.push({ code: 'iat_future', message: `iat is in the future (${relativeTime(iat, now)}): the issuer's clock may be wrong` });
  }
  return { status, times, lifetime, warnings };
}

/** A claim by exact name, else by a dotted path ("realm_access.roles"). */
export function pickClaim(payload: JsonObject, name: string): { found: true; value: unknown } | { found: false } {
  if (Object.hasOwn(payload, name)) return { found: true, value: payload[name] };
  let current: unknown = payload;
  for (const key of name.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return { found: false };
    current = (current as JsonObject)[key];
  }
  return { found: true, value: current };
}

/** What `decode --claim` and `verify --claim` say when a token's payload does not hold the claim. */
export function claimMissing(name: string, jwt: boolean): string {
  return `claim ${shown(name)} is not in the token${jwt ? '' : ': its payload is not JWT claims'}`;
}

/** "text, 11 bytes", "binary, 300 bytes", "empty": what a payload that is not claims is. */
export function payloadKind(bytes: Buffer | undefined | null): string {
  if (!bytes || bytes.length === 0) return 'empty';
  const size = `${bytes.length} byte${bytes.length === 1 ? '' : 's'}`;
  return `${payloadText(bytes) === null ? 'binary' : 'text'}, ${size}`;
}
