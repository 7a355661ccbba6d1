// `jwtkit audit`: is this token safe to ship? Best-practice findings about the token itself, and
// the secret behind an HMAC token when it is a known one or in a word list.
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { HMAC, SEVERITIES, isHmacAlg, type Severity } from '../algs.js';
import { MAX_CANDIDATE_BYTES, makeTesters, searchKnownList, searchLines, type ChunkResult, type Hit, type SearchOptions, type Target, type Variant } from '../audit-search.js';
import type { ToWorker, WorkerInit } from '../audit-worker.js';
import { formatDuration } from '../time.js';
import { JWT_TYP, KEY_HEADERS, MS_TIME, SUSPICIOUS_KID } from '../token-rules.js';
import { MAX_JSON_DEPTH, type JsonObject, type ParsedJwe, type ParsedJws, type ParsedToken } from '../token.js';
import type { PackedKeys } from '../wordhash.js';
import { openWordlist, type ListPiece, type OpenedList } from '../wordlist.js';

export { SEVERITIES, type Severity } from '../algs.js';

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  fix: string;
}

export type SecretResult =
  | { found: true; value: string; hex?: string; variant: Variant; source: 'builtin' | 'wordlist'; file?: string; line?: number; tried: number }
  | { found: false; tried: number; skipped?: number; limited?: string };

export interface AuditResult {
  alg: string | null;
  encrypted: boolean;
  /** null when the token is not HMAC-signed (or is a JWE): no secret to search for */
  secret: SecretResult | null;
  findings: Finding[];
}

export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

/** Access tokens: guidance (and `jwtkit sign`'s default) is minutes; refresh tokens live days. */
const HOUR = 3600;
const DAY = 24 * HOUR;
const LIMITS = {
  access: { medium: HOUR, high: DAY },
  refresh: { medium: 30 * DAY, high: 90 * DAY },
} as const;

const COOKIE_BYTES = 4096;
const HEADER_BYTES = 8192;

/**
 * Claim names that hold what must never travel in a readable token, by the words of the name
 * (split at camelCase, digits, _, -, . and spaces; any case): any word below, or the whole name
 * (words joined) in SENSITIVE_NAMES or ending in one of SENSITIVE_ENDINGS. A name whose last word
 * says it is about the secret, not the secret (…_at, …_expires_at, …_set, …_version), is not.
 */
const SENSITIVE_WORDS = new Set(['password', 'passwords', 'passwd', 'pwd', 'passphrase', 'passcode', 'secret', 'secrets', 'ssn', 'cvv', 'cvc', 'iban', 'pin']);
const SENSITIVE_NAMES = new Set([
  'pass', 'card', 'cardnumber', 'ccnumber', 'creditcard', 'creditcardnumber', 'pan', 'accountnumber', 'taxid', 'passport', 'passportnumber',
  'socialsecuritynumber', 'accesskeyid',
]);
const SENSITIVE_ENDINGS = ['privatekey', 'signingkey', 'encryptionkey', 'accesskey', 'apikey', 'secretkey', 'cardnumber', 'creditcard'];
const ABOUT_WORDS = new Set([
  'at', 'time', 'date', 'ts', 'timestamp', 'exp', 'expires', 'expiry', 'expiration', 'expired', 'changed', 'updated', 'created', 'rotated', 'rotation', 'set', 'enabled',
  'required', 'present', 'exists', 'status', 'version', 'ver', 'name', 'type', 'hint', 'policy', 'length', 'len', 'count', 'strength', 'alg', 'algorithm',
]);

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])|([0-9])([A-Za-z])/g, '$1$3 $2$4')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether a claim of this name holding this value is sensitive by its name (a boolean, null or "" holds nothing). */
function sensitiveName(name: string, value: unknown): boolean {
  if (value === null || value === '' || typeof value === 'boolean') return false;
  const words = nameWords(name);
  if (words.length === 0 || ABOUT_WORDS.has(words[words.length - 1]!)) return false;
  const joined = words.join('');
  return words.some((w) => SENSITIVE_WORDS.has(w)) || SENSITIVE_NAMES.has(joined) || SENSITIVE_ENDINGS.some((e) => joined.endsWith(e));
}
const API_KEY_VALUE = /(?:^|[^A-Za-z0-9])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|(?:AKIA|ASIA)[0-9A-Z]{16}|https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{20,}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}|xox[abpre]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|sk-[A-Za-z0-9_-]{32,}/;
const PRIVATE_KEY_VALUE = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;
const EMAIL_VALUE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;
const PHONE_NAME = /phone|mobile|msisdn|tel/i;
const PHONE_VALUE = /^\+?[0-9][0-9 ().-]{6,20}[0-9]$/;
const CARD_VALUE = /^[0-9][0-9 -]{11,21}[0-9]$/;
/** Card brands' number prefixes (IIN) and lengths: Visa, Mastercard, Amex, Discover/UnionPay, JCB, Diners. */
const CARD_BRAND = /^(?:4(?:[0-9]{12}|[0-9]{15}|[0-9]{18})|(?:5[1-5][0-9]{2}|222[1-9]|22[3-9][0-9]|2[3-6][0-9]{2}|27[01][0-9]|2720)[0-9]{12}|3[47][0-9]{13}|(?:6011|65[0-9]{2}|64[4-9][0-9]|62[0-9]{2}|35(?:2[89]|[3-8][0-9]))[0-9]{12,15}|3(?:0[0-5]|[68][0-9])[0-9]{11,16})$/;
/** Claim names that hold times (exp, iat, created_at, updatedAt, timestamp…): never card numbers. */
const TIME_NAME = /^(?:exp|iat|nbf|ts|time|date|timestamp)$|[_.-](?:at|ts|time|date|timestamp)$|timestamp/i;
const TIME_NAME_CAMEL = /[a-z0-9](?:At|Ts|Time|Date)$/;

/**
 * A payment card number: a string (a JSON number is an id or a time, and a 16-digit one does not
 * even survive as a double), digits with optional spaces or dashes, a card brand's prefix and
 * length, the Luhn check, not one digit repeated, and not under a time claim's name.
 */
function isCardNumber(value: string, name: string): boolean {
  if (!CARD_VALUE.test(value) || TIME_NAME.test(name) || TIME_NAME_CAMEL.test(name)) return false;
  const digits = value.replace(/[ -]/g, '');
  return CARD_BRAND.test(digits) && !/^(.)\1*$/.test(digits) && luhn(digits);
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Types that name a refresh token, compared without case: refresh, refresh_token, refresh-token,
 * rt, Keycloak's "Refresh" and "Offline", the OAuth token type URN, and `…+jwt` forms of them.
 */
const REFRESH_TYPE = /^(?:application\/)?(?:refresh(?:[_-]?token)?|rt|offline|urn:ietf:params:oauth:token-type:refresh_token)(?:\+jwt)?$/i;

/**
 * Whether the token says it is a refresh token, by exact signals only: the header's typ, or the
 * payload's typ, type, token_use, token_type or use, naming a refresh type; a scope (a
 * space-separated string, or scp/scope as a list) with the item "refresh"; or "refresh": true.
 * Not offline_access: access tokens carry it too (it asks for a refresh token).
 */
export function isRefreshToken(header: JsonObject, payload: JsonObject): boolean {
  const says = (v: unknown) => typeof v === 'string' && REFRESH_TYPE.test(v.trim());
  const items = (v: unknown): unknown[] => (typeof v === 'string' ? v.split(/\s+/) : Array.isArray(v) ? v : []);
  return (
    says(header.typ) ||
    ['token_use', 'token_type', 'typ', 'type', 'use'].some((k) => says(payload[k])) ||
    [...items(payload.scope), ...items(payload.scp)].some((item) => typeof item === 'string' && item.toLowerCase() === 'refresh') ||
    payload.refresh === true
  );
}

/**
 * Findings of one code listed one by one before the rest are counted in one more finding of the
 * same code and severity: a payload of 1,000 emails stays one screen, and a flood of low findings
 * never pushes out a higher one (each code has its own count).
 */
const LISTED: Record<Severity, number> = { critical: 10, high: 10, medium: 10, low: 5, info: 5 };

type Add = (code: string, severity: Severity, path: string, what: string) => void;

/** Payload findings, listed per code up to LISTED and counted beyond. */
function collector(): { add: Add; findings: () => Finding[] } {
  const found = new Map<string, Finding>();
  const listed = new Map<string, { severity: Severity; fix: string; shown: number; more: number }>();
  const add: Add = (code, severity, path, what) => {
    const key = `${code} ${path}`;
    if (found.has(key)) return;
    const fix = severity === 'info' ? 'keep personal data out of tokens unless the receiver needs it; send an id instead' : 'remove it from the token and rotate it: it has been exposed wherever the token went';
    const tally = listed.get(code) ?? { severity, fix, shown: 0, more: 0 };
    listed.set(code, tally);
    if (tally.shown >= LISTED[severity]) {
      tally.more++;
      return;
    }
    tally.shown++;
    found.set(key, { code, severity, message: `${path} holds ${what}; a token is readable by anyone who holds it (base64, not encryption)`, fix });
  };
  const findings = () => {
    const out = [...found.values()];
    for (const [code, t] of listed) {
      if (t.more > 0) out.push({ code, severity: t.severity, message: `${t.more} more claims like these (${code}) are not listed; a token is readable by anyone who holds it`, fix: t.fix });
    }
    return out;
  };
  return { add, findings };
}

/** The findings about one value (a string or number) under a claim name. */
function valueFindings(add: Add, value: string | number, shown: string, name: string): void {
  const text = String(value);
  if (PRIVATE_KEY_VALUE.test(text)) add('private_key_in_payload', 'critical', shown, 'a private key');
  else if (API_KEY_VALUE.test(text)) add('api_key_in_payload', 'high', shown, 'what looks like an API key');
  else if (typeof value === 'string' && isCardNumber(text, name)) add('card_number_in_payload', 'high', shown, 'what looks like a payment card number');
  else if (typeof value === 'string' && EMAIL_VALUE.test(text)) add('email_in_payload', 'info', shown, 'an email address');
  else if (PHONE_VALUE.test(text) && (PHONE_NAME.test(name) || text.startsWith('+')) && text.replace(/\D/g, '').length >= 8) add('phone_in_payload', 'info', shown, 'a phone number');
}

/** Values and members the payload walk visits at most (a token's claims are a few dozen). */
const WALK_BUDGET = 10_000;

/**
 * Sensitive data anywhere in the payload: a walk bounded in members (the parser bounds the depth,
 * MAX_JSON_DEPTH); a payload with more says so in an info finding.
 */
function sensitiveFindings(payload: JsonObject): Finding[] {
  const { add, findings } = collector();
  let budget = WALK_BUDGET;
  const walk = (value: unknown, path: string, name: string, depth: number) => {
    if (--budget < 0 || depth > MAX_JSON_DEPTH + 1) return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`, name, depth + 1));
      return;
    }
    if (isObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        const p = path === '' ? k : `${path}.${k}`;
        if (sensitiveName(k, v)) add('sensitive_claim', 'high', `claim ${JSON.stringify(p)}`, `what its name says is sensitive (${k})`);
        walk(v, p, k, depth + 1);
      }
      return;
    }
    if (typeof value === 'string' || typeof value === 'number') valueFindings(add, value, `claim ${JSON.stringify(path)}`, name);
  };
  walk(payload, '', '', 0);
  const out = findings();
  if (budget < 0) {
    out.push({
      code: 'payload_scan_limited',
      severity: 'info',
      message: `the payload has over ${WALK_BUDGET.toLocaleString('en-US')} values and members: only the first ${WALK_BUDGET.toLocaleString('en-US')} were inspected for sensitive data`,
      fix: 'keep tokens small: carry a reference to the data, not the data',
    });
  }
  return out;
}

/** The most of a payload that is not claims read for names and values (a token is at most a few KiB). */
const RAW_SCAN_BYTES = 64 * 1024;

/**
 * A payload that is not JSON claims: the claim rules cannot run, and that is a finding; its text
 * is still searched for member names that are sensitive ("password": in broken JSON) and for
 * private keys and API keys anywhere in it.
 */
function notClaimsFindings(token: ParsedJws): Finding[] {
  const bytes = token.payloadBytes ?? Buffer.alloc(0);
  const text = bytes.subarray(0, RAW_SCAN_BYTES).toString('utf8');
  let what = 'not JSON';
  if (token.payloadEmpty || bytes.length === 0) what = 'empty';
  else {
    try {
      const v: unknown = JSON.parse(text);
      what = Array.isArray(v) ? 'a JSON array' : `a JSON ${v === null ? 'null' : typeof v}`;
    } catch {
      // not JSON (or broken JSON)
    }
  }
  const findings: Finding[] = [
    {
      code: 'payload_not_claims',
      severity: 'medium',
      message: `the payload is not a JSON object of claims (it is ${what}): the claim rules (exp, aud, sensitive claims) could not run`,
      fix: 'a JWT payload is a JSON object of claims (RFC 7519); fix the issuer, or audit the token that carries the claims',
    },
  ];
  const { add, findings: found } = collector();
  const MEMBER = /"((?:[^"\\\n]|\\.){1,64})"\s*:\s*("(?:[^"\\\n]|\\.)*"|[^,}\]\s]+)?/g;
  for (const m of text.matchAll(MEMBER)) {
    let name = m[1]!;
    try {
      name = JSON.parse(`"${name}"`) as string;
    } catch {
      // kept as written
    }
    let value: unknown = m[2] ?? '';
    try {
      value = JSON.parse(m[2] ?? '""');
    } catch {
      // kept as written
    }
    if (sensitiveName(name, value)) add('sensitive_claim', 'high', `member ${JSON.stringify(name)}`, `what its name says is sensitive (${name})`);
  }
  if (PRIVATE_KEY_VALUE.test(text)) add('private_key_in_payload', 'critical', 'the payload', 'a private key');
  if (API_KEY_VALUE.test(text)) add('api_key_in_payload', 'high', 'the payload', 'what looks like an API key');
  return [...findings, ...found()];
}

/**
 * An https URL whose host (parsed: userinfo and port aside) is not loopback: localhost,
 * *.localhost, 127.0.0.0/8 or ::1. Private ranges count as public here: an issuer on an internal
 * network still has other services verifying its tokens.
 */
function isPublicHttpsUrl(text: string): boolean {
  if (!/^https:/i.test(text)) return false;
  let host: string;
  try {
    host = new URL(text).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return false;
  }
  if (host === '') return false;
  const loopback = host === 'localhost' || host.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '[::1]';
  return !loopback;
}

/** What audit looks at: a JSON serialization (RFC 7515 §7.2) by its first signature, anything else as it is. */
export function auditedView(token: ParsedToken): ParsedJws | ParsedJwe {
  return token.kind === 'jws-json' ? token.signatures[0] : token;
}

/** The findings about a token itself (all but the secret search), as of `now` (Unix seconds). */
export function lintToken(whole: ParsedToken, now: number): Finding[] {
  const findings: Finding[] = [];
  const token = auditedView(whole);
  const header = token.header;
  const f = (code: string, severity: Severity, message: string, fix: string) => findings.push({ code, severity, message, fix });
  const alg = typeof header.alg === 'string' ? header.alg : undefined;
  if (alg !== undefined && alg.toLowerCase() === 'none') {
    f('alg_none', 'critical', 'alg is "none": the token is not signed, anyone can write one', 'sign every token (jwtkit sign) and make verifiers refuse "none" (jwtkit verify always does)');
  }
  if (token.kind === 'jws' && (alg === undefined || alg.toLowerCase() !== 'none')) {
    // An empty signature: the token was stripped (or never signed) and only a verifier that
    // skips an empty signature accepts it. A wrong length cannot be that HMAC's output.
    const bytes = Math.floor((token.signature.length * 6) / 8);
    if (token.signature === '') {
      f('signature_missing', 'high', `the signature is empty: the token is unsigned as it stands${alg ? ` though alg is ${JSON.stringify(alg)}` : ''}`, 'sign the token (jwtkit sign); verifiers must refuse a token whose signature is empty or stripped (jwtkit verify does)');
    } else if (alg !== undefined && isHmacAlg(alg) && bytes !== HMAC[alg].bytes) {
      f('signature_length', 'high', `the signature is ${bytes} bytes; ${alg} makes ${HMAC[alg].bytes}: it is truncated, altered or made by another algorithm`, 'sign the token again (jwtkit sign) and find what cuts or rewrites signatures on the way');
    }
  }
  for (const name of KEY_HEADERS) {
    if (name in header) f(`header_${name}`, 'medium', `the header names its own key (${name}): a verifier that trusts it can be handed an attacker's key`, `drop ${name} from the header; verifiers take keys from their own configuration (a pinned JWKS), never from the token`);
  }
  if (typeof header.kid === 'string' && SUSPICIOUS_KID.test(header.kid)) {
    f('kid_injection', 'medium', 'kid holds path, SQL or control characters: a verifier that looks keys up by it may read a file or run a query', 'use plain ids for kid (a thumbprint: jwtkit key thumbprint) and look them up in a fixed set');
  }
  if ('crit' in header) f('header_crit', 'low', 'the header has crit: verifiers that do not know those extensions must refuse the token', 'drop crit unless every verifier implements the extensions it names');
  if (token.duplicates && token.duplicates.length > 0) {
    f('duplicate_member', 'medium', 'a member name is repeated in the header or payload: parsers disagree on which value counts', 'write each member once');
  }
  if (!('typ' in header)) f('typ_missing', 'info', 'the header has no typ', 'set typ "JWT" (or an explicit type such as "at+jwt", RFC 9068) so tokens of one kind cannot pass for another');
  else if (typeof header.typ !== 'string' || (!JWT_TYP.test(header.typ) && !REFRESH_TYPE.test(header.typ))) {
    f('typ_unusual', 'low', 'typ is not JWT or a +jwt type', 'set typ "JWT" or an explicit "…+jwt" type');
  }
  const bytes = whole.raw.length;
  if (bytes > HEADER_BYTES) {
    f('size_over_8k', 'medium', `the token is ${bytes} bytes: most servers cap request headers at 8 KB`, 'move data out of the token (claims by reference, smaller keys in x5c, fewer roles)');
  } else if (bytes > COOKIE_BYTES) {
    f('size_over_4k', 'low', `the token is ${bytes} bytes: it will not fit in a cookie (4 KB), where browsers should keep tokens (HttpOnly)`, 'move data out of the token');
  }
  if (token.kind === 'jwe') return findings;
  if (token.payload === null) {
    findings.push(...notClaimsFindings(token));
    return findings;
  }

  const payload = token.payload;
  const refresh = isRefreshToken(header, payload);
  const kind = refresh ? 'refresh' : 'access';
  // Times: a value that is not a number, or is milliseconds (RFC 7519 §2 says seconds), is its
  // own finding and is not judged further.
  const time = (name: 'exp' | 'iat' | 'nbf'): number | undefined => {
    if (!(name in payload)) return undefined;
    const value = payload[name];
    const severity: Severity = name === 'exp' ? 'high' : 'medium';
    if (num(value) === undefined) {
      const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'number' ? 'not finite' : `a ${typeof value}`;
      f('time_not_numeric', severity, `${name} is not a number (${what}): JWT times are seconds since 1970 (RFC 7519 §2); verifiers ignore it${name === 'exp' ? ' (the token never expires)' : ''} or refuse the token`, `write ${name} as a number of seconds (jwtkit sign does)`);
      return undefined;
    }
    if ((value as number) > MS_TIME) {
      const effect = name === 'exp' ? 'the token practically never expires' : name === 'nbf' ? 'the token is never valid' : 'it is far in the future';
      f('time_in_ms', severity, `${name} looks like milliseconds; JWT times are seconds (RFC 7519 §2): read as seconds, ${effect}`, `write ${name} in seconds (Math.floor(Date.now() / 1000)), not milliseconds`);
      return undefined;
    }
    return value as number;
  };
  const exp = time('exp');
  const iat = time('iat');
  const nbf = time('nbf');
  if (!('exp' in payload)) {
    f('no_exp', 'high', `no exp: the ${kind} token never expires, so a leaked copy works forever`, refresh ? 'give refresh tokens an exp (days to weeks) and rotate them on use' : 'give access tokens a short exp (jwtkit sign defaults to 15 minutes)');
  } else if (exp !== undefined && iat !== undefined && exp <= iat) {
    f('exp_before_iat', 'medium', 'exp is not after iat: the token was expired when it was issued', 'fix the issuer: exp is iat plus the lifetime');
  } else if (exp !== undefined) {
    // From iat, else nbf, else the audit time: a token with only exp still has a lifetime.
    const from = iat ?? nbf ?? now;
    const since = iat !== undefined ? 'from iat' : nbf !== undefined ? 'from nbf' : 'no iat or nbf: counted from the audit time';
    if (exp > from) {
      const life = exp - from;
      const limit = LIMITS[kind];
      const severity: Severity | undefined = life > limit.high ? 'high' : life > limit.medium ? 'medium' : undefined;
      if (severity) {
        f(
          'long_lifetime',
          severity,
          `the ${kind} token lives ${formatDuration(life)} (${since}; over ${formatDuration(severity === 'high' ? limit.high : limit.medium)})`,
          refresh ? 'keep refresh tokens to days or weeks and rotate them on use' : 'keep access tokens short (15 minutes is common: jwtkit sign --exp 15m) and renew them with a refresh token',
        );
      }
    }
  }
  if (iat !== undefined && iat > now + 60) f('iat_future', 'medium', 'iat is in the future: the issuer\'s clock is wrong, or the token was made by hand', 'sync the issuer\'s clock (NTP); verifiers should refuse tokens issued in the future');
  if (nbf !== undefined && exp !== undefined && nbf >= exp) f('nbf_after_exp', 'medium', 'nbf is not before exp: the token is never valid', 'fix the issuer: nbf must come before exp');
  const aud = payload.aud;
  const noAud = aud === undefined || aud === null || aud === '' || (Array.isArray(aud) && aud.every((a) => a === '' || a === null));
  if (noAud) f('no_aud', 'low', 'no aud: any service that trusts the issuer also accepts this token', 'set aud to the service the token is for, and make that service check it');
  if (payload.iss === undefined || payload.iss === null || payload.iss === '') f('no_iss', 'low', 'no iss: verifiers cannot tell whose token it is', 'set iss, and make verifiers check it');
  if (alg !== undefined && isHmacAlg(alg) && typeof payload.iss === 'string' && isPublicHttpsUrl(payload.iss)) {
    f('hmac_public_issuer', 'low', `${alg} with a public issuer URL: every verifier holds the signing secret, so any of them can mint tokens`, 'when others verify your tokens, sign with RS256/ES256/EdDSA and publish the public key (jwtkit gen --alg ES256 --format jwks)');
  }
  findings.push(...sensitiveFindings(payload));
  return findings;
}

/** The finding for a secret that was found. */
export function secretFinding(alg: string, secret: Extract<SecretResult, { found: true }>): Finding {
  const where = secret.source === 'builtin' ? "jwtkit's list of known secrets" : `${secret.file} line ${secret.line}`;
  const how = secret.variant === 'base64' ? ' (base64-decoded)' : secret.variant === 'newline' ? ' (with a trailing newline)' : '';
  if (secret.value === '' && secret.source === 'builtin') {
    return {
      code: 'secret_found',
      severity: 'critical',
      message: `the ${alg} secret is empty${how}: an unset secret variable, and anyone can forge tokens that every verifier accepts`,
      fix: `set the secret (jwtkit gen --alg ${alg}), make the app refuse to start without it, and treat every token signed so far as forgeable`,
    };
  }
  return {
    code: 'secret_found',
    severity: 'critical',
    message: `the ${alg} secret is in ${where}${how}: anyone can forge tokens that every verifier accepts`,
    fix: 'rotate now: a new secret from jwtkit gen (jwtkit gen --alg ' + alg + '), and treat every token signed with the old one as forgeable',
  };
}

/** The finding for a secret search cut short (a large token), or undefined. */
export function searchFinding(secret: SecretResult): Finding | undefined {
  if (secret.found || secret.limited === undefined) return undefined;
  return {
    code: 'secret_search_limited',
    severity: 'info',
    message: `the secret search was cut short: ${secret.limited}`,
    fix: 'sign a small token with the same secret and audit that one (add --wordlist as needed)',
  };
}

// ---------------------------------------------------------------------------------------------
// The secret search

/**
 * The largest signing input searched in full. Every key tried costs an HMAC over the signing
 * input, so the search grows with the token (a 533 KB token took 89 s for the built-in list
 * alone, with no progress line). 16 KiB is Node.js's default cap on HTTP headers and twice
 * nginx's buffer: a bearer token larger than that is not accepted by the servers it would be
 * sent to. A larger one is searched with the built-in defaults only (about 340 keys), and its
 * result says so.
 */
export const MAX_SEARCH_INPUT = 16 * 1024;

export interface SearchSource {
  /** null: the built-in list */
  wordlist: string | null;
}

export interface Progress {
  tried: number;
  elapsedMs: number;
  /** 0…1 when the lists' sizes are known */
  fraction: number | undefined;
}

export interface SearchRun {
  targets: Target[];
  /** the built-in list: defaults (text, tried with variants) and common passwords (packed keys, tried as written) */
  builtin: () => BuiltinList;
  wordlists: string[];
  stdin: () => Readable;
  /** the environment, so that a --wordlist path that is a variable's value is not shown */
  env?: NodeJS.ProcessEnv;
  jobs: number;
  variants: boolean;
  onProgress?: ((p: Progress) => void) | undefined;
  /** where dist/audit-worker.cjs is */
  workerPath?: string;
}

interface Open {
  hit?: { source: number; seq: number; hit: Hit };
  tried: number;
}

/**
 * The word-list search's threads: --jobs, or every core, and never more threads than cores (each
 * is a whole V8 instance, ~8 MB: --jobs 256 on two cores took 2 GB and 50x the time).
 */
export function searchJobs(requested: number | undefined, cores: number): number {
  const most = Math.max(1, cores);
  return Math.min(requested ?? most, most);
}

/** Searches the built-in list, then each word list, for every target; a target found is closed. */
export async function searchSecrets(run: SearchRun): Promise<SecretResult[]> {
  const state: Open[] = run.targets.map(() => ({ tried: 0 }));
  const open = run.targets.map(() => true);
  const options: SearchOptions = { variants: run.variants, maxLine: MAX_CANDIDATE_BYTES };
  const testers = makeTesters(run.targets);
  testers.forEach((t, i) => void (t === null && (open[i] = false)));
  // Tokens too large to search in full: the built-in defaults (source 0) only.
  const limited = run.targets.map((t) => t.signingInput.length > MAX_SEARCH_INPUT);
  // Sources in order: the built-in defaults, the built-in passwords, then each word list.
  const BUILTIN = 2;
  const names: (string | null)[] = [null, null, ...run.wordlists];
  let builtin: BuiltinList | undefined;
  const lineHits: { source: number; line: number }[] = [];
  let skipped = 0;
  const started = Date.now();
  let triedAll = 0;
  const lists: OpenedList[] = [];
  // Opened up front: a missing file is an error before any work.
  for (const name of run.wordlists) lists.push(openWordlist(name, run.stdin, run.env));
  const totalSize = lists.every((l) => l.size !== undefined) ? lists.reduce((s, l) => s + l.size!, 0) : undefined;
  const progress = () => {
    if (!run.onProgress) return;
    const read = lists.reduce((s, l) => s + l.readBytes(), 0);
    run.onProgress({ tried: triedAll, elapsedMs: Date.now() - started, fraction: totalSize ? Math.min(1, read / totalSize) : undefined });
  };
  // Chunk buffers whose search is done, for the reader to fill again: memory stays flat.
  const spare: ArrayBuffer[] = [];
  // Workers only for word lists: the built-in list alone (~50,000 keys, ~100 ms cold) stays on the
  // main thread. A worker started at once to share it was slower (wall 1.33x, +130 ms CPU, 12
  // paired rounds at load 10–13): a worker's start costs more than its share of the work.
  const pool = run.jobs > 1 && run.wordlists.length > 0 ? await WorkerPool.start(run.workerPath ?? defaultWorkerPath(), { targets: run.targets, options }, run.jobs, spare) : null;
  // The empty key first (and "\n" with the variants): what an unset variable gives the many
  // libraries that sign with it anyway (PyJWT does). A line of a list is never empty.
  const empty = new Uint8Array(0);
  const emptyVariants = options.variants ? [false, true] : [false];
  testers.forEach((tester, t) => {
    if (!tester || !open[t]) return;
    // In the batch when there is one (the scalar tester's cold JavaScript cost ~2 ms here).
    const batch = tester.batch;
    emptyVariants.forEach((newline, n) => batch?.load(n, empty, 0, 0, newline));
    const first = batch ? batch.run(emptyVariants.length) : emptyVariants.findIndex((newline) => tester.test(empty, 0, 0, newline));
    const tried = first >= 0 ? first + 1 : emptyVariants.length;
    state[t]!.tried += tried;
    triedAll += tried;
    if (first >= 0) {
      state[t]!.hit = { source: 0, seq: -1, hit: { target: t, line: -1, variant: emptyVariants[first] ? 'newline' : 'text', bytes: empty } };
      open[t] = false;
      pool?.close(t);
    }
  });
  try {
    for (let source = 0; source < names.length; source++) {
      if (!open.some(Boolean)) break;
      const lineCounts: number[] = [];
      const triedBySeq: (readonly number[])[] = [];
      const hits: { seq: number; hit: Hit }[] = [];
      const take = (seq: number, result: ChunkResult) => {
        lineCounts[seq] = result.lines;
        triedBySeq[seq] = result.tried;
        skipped += result.skipped;
        for (const n of result.tried) triedAll += n;
        for (const hit of result.hits) {
          hits.push({ seq, hit });
          if (open[hit.target]) {
            open[hit.target] = false;
            pool?.close(hit.target);
          }
        }
      };
      if (source < BUILTIN) builtin ??= run.builtin();
      const pieces: AsyncIterable<ListPiece> | Iterable<BuiltinSlice> =
        source === 0 ? builtinSlices(builtin!.defaults) : source === 1 ? packedSlices(builtin!.passwords) : lists[source - BUILTIN]!.pieces(() => spare.pop());
      const cursor = { key: 0, word: 0 };
      let seq = 0;
      for await (const piece of pieces) {
        const s = seq++;
        if (piece.kind === 'builtin') {
          // The common passwords are tried as written: their variants are not keys people use.
          take(s, source === 1 ? searchKnownList(testers, open, builtin!.passwords, cursor, piece.end - piece.start) : searchLines(testers, open, builtin!.defaults, piece.start, piece.end, options));
          progress();
          // Let the progress timer and signals in between slices.
          await new Promise<void>((r) => setImmediate(r));
        } else if (piece.kind === 'overlong') {
          take(s, { lines: piece.lines, tried: [], skipped: piece.lines, hits: [] });
        } else if (pool) {
          await pool.submit(s, piece.data, piece.length, take);
        } else {
          take(s, searchLines(testers, open, Buffer.from(piece.data, 0, piece.length), 0, piece.length, options));
          if (spare.length < 4) spare.push(piece.data);
          progress();
          // Let the progress timer and signals in between chunks.
          await new Promise<void>((r) => setImmediate(r));
        }
        if (!open.some(Boolean)) break;
        if (pool) progress();
      }
      if (source === 0) {
        limited.forEach((l, t) => {
          if (l && open[t]) {
            open[t] = false;
            pool?.close(t);
          }
        });
      }
      if (source >= BUILTIN) lists[source - BUILTIN]!.close();
      if (pool) await pool.drain();
      // Line numbers: every chunk before a hit's is done, so its lines are counted.
      const offsets: number[] = [];
      let sum = 0;
      for (let i = 0; i < lineCounts.length; i++) {
        offsets[i] = sum;
        sum += lineCounts[i] ?? 0;
      }
      const hitSeq = state.map(() => Infinity);
      for (const { seq: s, hit } of hits.sort((a, b) => a.seq - b.seq || a.hit.line - b.hit.line)) {
        const st = state[hit.target]!;
        if (st.hit) continue;
        st.hit = { source, seq: s, hit };
        hitSeq[hit.target] = s;
        lineHits[hit.target] = { source, line: offsets[s]! + hit.line + 1 };
      }
      // tried: the keys up to the hit, in the list's order (what one job tries), whatever other
      // workers tried past it before they heard of the hit; so it does not depend on --jobs.
      state.forEach((st, t) => {
        for (let i = 0; i < triedBySeq.length && i <= hitSeq[t]!; i++) st.tried += triedBySeq[i]?.[t] ?? 0;
      });
    }
  } finally {
    for (const l of lists) l.close();
    await pool?.stop();
  }
  progress();
  return state.map((st, t): SecretResult => {
    if (!st.hit) {
      return {
        found: false,
        tried: st.tried,
        ...(skipped > 0 ? { skipped } : {}),
        ...(limited[t] ? { limited: `the signing input is ${run.targets[t]!.signingInput.length} bytes, over ${MAX_SEARCH_INPUT}: only the built-in default secrets were tried` } : {}),
      };
    }
    const { source, hit } = st.hit;
    const bytes = Buffer.from(hit.bytes);
    const utf8 = isUtf8(bytes);
    const base = { found: true as const, value: bytes.toString('utf8'), ...(utf8 ? {} : { hex: bytes.toString('hex') }), variant: hit.variant, tried: st.tried };
    if (source < BUILTIN) return { ...base, source: 'builtin' };
    return { ...base, source: 'wordlist', file: names[source]!, line: lineHits[t]!.line };
  });
}

/** The built-in list: its defaults as text, one a line; its common passwords packed (src/wordhash.ts). */
export interface BuiltinList {
  defaults: Buffer;
  passwords: PackedKeys;
}

interface BuiltinSlice {
  kind: 'builtin';
  /** bytes of the defaults, or keys of the passwords */
  start: number;
  end: number;
}

/** The packed passwords in slices of 8,192 keys (a yield to the event loop between them). */
function* packedSlices(keys: PackedKeys, size = 8192): Generator<BuiltinSlice> {
  for (let at = 0; at < keys.lengths.length; at += size) yield { kind: 'builtin', start: at, end: Math.min(keys.lengths.length, at + size) };
}

/**
 * The built-in list in line-aligned slices of about 64 KiB, searched where they are (the list is
 * never copied: fresh memory costs page faults, ~1.5 ms for the list's 388 KB here).
 */
export function* builtinSlices(text: Buffer, size = 64 * 1024): Generator<BuiltinSlice> {
  let at = 0;
  while (at < text.length) {
    let end = Math.min(text.length, at + size);
    if (end < text.length) {
      // After the last line end in the slice, or after the first one past it (a line longer than a slice).
      const cut = text.lastIndexOf(10, end - 1);
      end = cut >= at ? cut + 1 : text.indexOf(10, end) + 1 || text.length;
    }
    yield { kind: 'builtin', start: at, end };
    at = end;
  }
}

/** dist/audit-worker.cjs: beside the bundle (where import.meta is empty), or ../../dist from src/commands (vitest). */
function defaultWorkerPath(): string {
  return import.meta.url ? fileURLToPath(new URL('../../dist/audit-worker.cjs', import.meta.url)) : join(__dirname, 'audit-worker.cjs');
}

type Take = (seq: number, result: ChunkResult) => void;

/** Worker threads, each with up to two chunks in flight. */
class WorkerPool {
  private inFlight = new Map<number, Take>();
  private perWorker: number[];
  private waiters: (() => void)[] = [];
  private failure: Error | undefined;

  private constructor(
    private readonly workers: import('node:worker_threads').Worker[],
    spare: ArrayBuffer[],
  ) {
    this.perWorker = workers.map(() => 0);
    workers.forEach((w, i) => {
      w.on('message', (m: { type: 'done'; seq: number; result: ChunkResult; data: ArrayBuffer }) => {
        this.perWorker[i]!--;
        if (spare.length < 2 * workers.length) spare.push(m.data);
        const take = this.inFlight.get(m.seq);
        this.inFlight.delete(m.seq);
        take?.(m.seq, m.result);
        this.wake();
      });
      w.on('error', (err) => {
        this.failure ??= err;
        this.wake();
      });
    });
  }

  static async start(path: string, init: WorkerInit, jobs: number, spare: ArrayBuffer[]): Promise<WorkerPool> {
    const { Worker } = await import('node:worker_threads');
    return new WorkerPool(Array.from({ length: jobs }, () => new Worker(path, { workerData: init })), spare);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private wait(): Promise<void> {
    return new Promise((r) => this.waiters.push(r));
  }

  async submit(seq: number, data: ArrayBuffer, length: number, take: Take): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure;
      const free = this.perWorker.findIndex((n) => n < 2);
      // The least busy worker.
      const idle = this.perWorker.indexOf(0);
      const pick = idle >= 0 ? idle : free;
      if (pick >= 0) {
        this.perWorker[pick]!++;
        this.inFlight.set(seq, take);
        const message: ToWorker = { type: 'chunk', seq, data, length };
        this.workers[pick]!.postMessage(message, [data]);
        return;
      }
      await this.wait();
    }
  }

  close(target: number): void {
    const message: ToWorker = { type: 'close', target };
    for (const w of this.workers) w.postMessage(message);
  }

  async drain(): Promise<void> {
    while (this.inFlight.size > 0) {
      if (this.failure) throw this.failure;
      await this.wait();
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

