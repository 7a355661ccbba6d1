// Pure parsing of compact JWS (RFC 7515 §7.1) and JWE (RFC 7516 §7.1) tokens, cleaning of pasted
// input, and finding tokens in free text. No signatures are checked here.
import { base64urlDecodeText, hasCanonicalTail, isBase64url } from './crypto.js';
import { JwtkitError, jsonErrorReason } from './errors.js';

export type JsonObject = Record<string, unknown>;

export interface ParsedJws {
  kind: 'jws';
  raw: string;
  header: JsonObject;
  payload: JsonObject;
  /** the decoded JSON texts, reused for output when they are already one line */
  headerJson: string;
  payloadJson: string;
  /** base64url signature exactly as in the token */
  signature: string;
  /** ASCII(BASE64URL(header) || '.' || BASE64URL(payload)), what the signature covers */
  signingInput: string;
}

export interface ParsedJwe {
  kind: 'jwe';
  raw: string;
  header: JsonObject;
  headerJson: string;
}

export type ParsedToken = ParsedJws | ParsedJwe;

/** Longest token jwtkit reads; real JWTs are a few KiB, headers rarely allow more than 8–16 KiB. */
export const MAX_TOKEN_LENGTH = 1 << 20;


/**
 * Strips what surrounds a token when it is pasted from a header, a log or a JSON string:
 * whitespace and newlines, a UTF-8 BOM, matching quotes, `Authorization:` and `Bearer ` (any case).
 */
/** A–Z a–z 0–9 - _ . : the characters a compact token is made of. */
const isTokenChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95 || c === 46;

export function cleanTokenText(text: string): string {
  // The common case in a batch, in O(1): a JOSE header starts "ey"/"ew" ('{'), never "Bearer",
  // "Authorization", a quote, a BOM or a space; and nothing trails it. Anything in between that
  // is not a token character is left for parseToken to report.
  if (text.charCodeAt(0) === 101 && isTokenChar(text.charCodeAt(text.length - 1))) return text;
  let t = text.replace(/^\uFEFF/, '').trim();
  for (let i = 0; i < 3; i++) {
    const before = t;
    if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0]) t = t.slice(1, -1).trim();
    t = t.replace(/^authorization\s*:\s*/i, '');
    t = t.replace(/^bearer\s+/i, '');
    if (t === before) break;
  }
  return t;
}

function decodePart(name: 'header' | 'payload', text: string, alphabetChecked = false): { value: JsonObject; json: string } {
  if (text === '') throw new JwtkitError('malformed', `${name} is empty`);
  const json = base64urlDecodeText(text, alphabetChecked);
  if (json === 'not-base64url') {
    throw new JwtkitError('malformed', `${name} is not valid base64url`, 'a JWT uses A–Z a–z 0–9 - _ only, with no padding');
  }
  if (json === 'not-utf8') throw new JwtkitError('malformed', `${name} is not valid UTF-8`);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new JwtkitError('malformed', `${name} is not valid JSON: ${jsonErrorReason(err)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new JwtkitError('malformed', `${name} is not a JSON object (it is ${describeJson(value)})`);
  }
  return { value: value as JsonObject, json };
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

const PART_RE = /^[A-Za-z0-9_-]*$/;

// Tokens in a batch nearly always share one header; remembering the last one saves a decode and a
// JSON.parse per token. Parsed headers are never mutated, so sharing the object is safe.
let lastHeader: { text: string; decoded: { value: JsonObject; json: string } } | undefined;

function decodeHeader(text: string, alphabetChecked = false): { value: JsonObject; json: string } {
  if (lastHeader?.text === text) return lastHeader.decoded;
  const decoded = decodePart('header', text, alphabetChecked);
  lastHeader = { text, decoded };
  return decoded;
}

// The common case, a well-formed JWS, checked by one regular expression for all three parts.
const JWS_RE = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;

/** Parses one cleaned token; throws a JwtkitError "malformed" naming the part that is wrong. */
export function parseToken(raw: string): ParsedToken {
  const fast = raw.length <= MAX_TOKEN_LENGTH ? JWS_RE.exec(raw) : null;
  if (fast && hasCanonicalTail(fast[3]!)) {
    const { value: header, json: headerJson } = decodeHeader(fast[1]!, true);
    const { value: payload, json: payloadJson } = decodePart('payload', fast[2]!, true);
    const signature = fast[3]!;
    return { kind: 'jws', raw, header, payload, headerJson, payloadJson, signature, signingInput: raw.slice(0, raw.length - signature.length - 1) };
  }
  return parseTokenSlowly(raw);
}

function parseTokenSlowly(raw: string): ParsedToken {
  if (raw === '') throw new JwtkitError('malformed', 'the token is empty', 'pass a token as an argument or on stdin');
  if (raw.length > MAX_TOKEN_LENGTH) {
    throw new JwtkitError('malformed', `the token is ${raw.length} characters long, more than the ${MAX_TOKEN_LENGTH} jwtkit reads`);
  }
  const parts = raw.split('.');
  if (parts.length !== 3 && parts.length !== 5) {
    throw new JwtkitError('malformed', 
      `the token has ${parts.length} part${parts.length === 1 ? '' : 's'} separated by dots; a JWT has 3 (signed) or 5 (encrypted)`,
    );
  }
  const { value: header, json: headerJson } = decodeHeader(parts[0]!);
  if (parts.length === 5) {
    for (const [i, name] of ['encrypted key', 'IV', 'ciphertext', 'tag'].entries()) {
      if (!PART_RE.test(parts[i + 1]!)) throw new JwtkitError('malformed', `JWE ${name} is not valid base64url`);
    }
    return { kind: 'jwe', raw, header, headerJson };
  }
  const { value: payload, json: payloadJson } = decodePart('payload', parts[1]!);
  const signature = parts[2]!;
  if (!isBase64url(signature)) {
    throw new JwtkitError('malformed', 'signature is not valid base64url');
  }
  return { kind: 'jws', raw, header, payload, headerJson, payloadJson, signature, signingInput: `${parts[0]}.${parts[1]}` };
}

// A compact JWS/JWE: the header is base64url JSON, so it starts with "ey" ('{"') or "ew" ('{\n').
const SCAN_RE = /(?<![A-Za-z0-9_-])e[wy][A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?(?![A-Za-z0-9_-])/g;

/** Every compact JWS or JWE in free text (logs, curl -v output, JSON), in order. */
export function findTokens(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(SCAN_RE)) {
    let candidate = match[0];
    // A 5-part match that is really a JWS followed by ".x.y" prose is unlikely; a 4-dot match
    // whose header is not a JWE header is cut back to its first three parts.
    const parts = candidate.split('.');
    if (parts.length === 5 && !looksLikeJweHeader(parts[0]!)) candidate = parts.slice(0, 3).join('.');
    if (looksLikeJoseHeader(candidate.slice(0, candidate.indexOf('.')))) found.push(candidate);
  }
  return found;
}

function headerOf(part: string): JsonObject | null {
  const json = base64urlDecodeText(part);
  if (json === 'not-base64url' || json === 'not-utf8') return null;
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : null;
  } catch {
    return null;
  }
}

function looksLikeJoseHeader(part: string): boolean {
  const header = headerOf(part);
  return header !== null && typeof header.alg === 'string';
}

function looksLikeJweHeader(part: string): boolean {
  const header = headerOf(part);
  return header !== null && typeof header.enc === 'string';
}

const NEEDS_RESERIALISING = /[\n\r\u2028\u2029]|^\s|\s$/;

/**
 * JSON for one output line: the token's own decoded JSON text when it is already a single line
 * (same meaning, no re-serialising, 2× faster on big batches), else JSON.stringify(value).
 */
export function compactJson(text: string, value: unknown): string {
  return NEEDS_RESERIALISING.test(text) ? JSON.stringify(value) : text;
}
