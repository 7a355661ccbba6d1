// Pure parsing of compact JWS (RFC 7515 §7.1) and JWE (RFC 7516 §7.1) tokens, cleaning of pasted
// input, and finding tokens in free text. No signatures are checked here.
import { base64urlDecodeText, hasCanonicalTail, isBase64url } from './crypto.js';
import { JwtkitError, jsonErrorReason } from './errors.js';

export type JsonObject = Record<string, unknown>;

/** A member name that occurs more than once in one object of the header or payload (RFC 7515 §5.2). */
export interface DuplicateMember {
  part: 'header' | 'payload';
  /** names from the top: ["sub"], ["realm_access", "roles"]; "[]" stands for an array's items */
  path: readonly string[];
}

/** What held a token that was given inside other text (issue #16): said on stderr. */
export type TokenContainer = 'a JSON body' | 'a URL' | 'a Cookie header' | 'a Set-Cookie header' | 'a line of text';

export interface ParsedJws {
  kind: 'jws';
  raw: string;
  /** set when the input was not a token but held exactly one: what held it */
  foundIn?: TokenContainer;
  header: JsonObject;
  payload: JsonObject;
  /** the decoded JSON texts, reused for output when they are already one line */
  headerJson: string;
  payloadJson: string;
  /** base64url signature exactly as in the token */
  signature: string;
  /** ASCII(BASE64URL(header) || '.' || BASE64URL(payload)), what the signature covers */
  signingInput: string;
  /** present only when some member name is repeated; JSON.parse kept the last value */
  duplicates?: DuplicateMember[];
}

export interface ParsedJwe {
  kind: 'jwe';
  raw: string;
  foundIn?: TokenContainer;
  header: JsonObject;
  headerJson: string;
  duplicates?: DuplicateMember[];
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

/** Deepest nesting of objects and arrays read in a header or payload (real claims use 2 or 3). */
export const MAX_JSON_DEPTH = 128;

export const NO_DUPLICATES: readonly (readonly string[])[] = Object.freeze([]);

const isEscapedQuote = (text: string, at: number): boolean => {
  let backslashes = 0;
  while (text.charCodeAt(at - 1 - backslashes) === 92) backslashes++;
  return backslashes % 2 === 1;
};

/**
 * One pass over JSON text, no recursion and no parsing of values: 'too-deep' when objects and
 * arrays nest more than MAX_JSON_DEPTH levels, else the paths of member names repeated within one
 * object (NO_DUPLICATES, shared, in the common case). Text that is not JSON gives some answer
 * and never throws: JSON.parse judges it.
 */
export function scanJson(text: string): 'too-deep' | readonly (readonly string[])[] {
  let found: string[][] | undefined;
  // The open containers: each object's names so far (an array, a Set once it is big; null for an
  // array), and the name of the member holding it ("[]" in an array).
  const names: (string[] | Set<string> | null)[] = [];
  const holders: string[] = [];
  let current: string[] | Set<string> | null = null;
  let expectName = false;
  let member = '';
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      let end = text.indexOf('"', i + 1);
      while (end !== -1 && text.charCodeAt(end - 1) === 92 && isEscapedQuote(text, end)) end = text.indexOf('"', end + 1);
      if (end === -1) break;
      if (expectName && current !== null) {
        let name = text.slice(i + 1, end);
        if (name.includes('\\')) {
          try {
            name = JSON.parse(text.slice(i, end + 1)) as string;
          } catch {
            // not JSON: JSON.parse will say so
          }
        }
        if (Array.isArray(current) ? current.includes(name) : current.has(name)) {
          const path = [...holders.slice(1), name];
          const key = path.join('\u0000');
          if (!found?.some((p) => p.join('\u0000') === key)) (found ??= []).push(path);
        } else if (Array.isArray(current)) {
          current.push(name);
          if (current.length > 16) names[names.length - 1] = current = new Set(current);
        } else {
          current.add(name);
        }
        member = name;
        expectName = false;
      }
      i = end;
    } else if (c === 123 || c === 91) {
      // '{' or '['
      if (names.length >= MAX_JSON_DEPTH) return 'too-deep';
      holders.push(current === null ? (names.length === 0 ? '' : '[]') : member);
      current = c === 123 ? [] : null;
      names.push(current);
      expectName = c === 123;
    } else if (c === 125 || c === 93) {
      // '}' or ']'
      names.pop();
      holders.pop();
      current = names.length === 0 ? null : names[names.length - 1]!;
      expectName = false;
    } else if (c === 44) {
      // ','
      expectName = current !== null;
    }
  }
  return found ?? NO_DUPLICATES;
}

function decodePart(
  name: 'header' | 'payload',
  text: string,
  alphabetChecked = false,
): { value: JsonObject; json: string; duplicates: readonly (readonly string[])[] } {
  if (text === '') throw new JwtkitError('malformed', `${name} is empty`);
  const json = base64urlDecodeText(text, alphabetChecked);
  if (json === 'not-base64url') {
    throw new JwtkitError('malformed', `${name} is not valid base64url`, 'a JWT uses A–Z a–z 0–9 - _ only, with no padding');
  }
  if (json === 'not-utf8') throw new JwtkitError('malformed', `${name} is not valid UTF-8`);
  // The common case proves both facts without the full scan: fewer brackets than the depth limit,
  // and as many names in the text as keys in the parsed value.
  const few = fewBrackets(json);
  let duplicates = NO_DUPLICATES;
  if (!few) {
    const scanned = scanJson(json);
    if (scanned === 'too-deep') throw new JwtkitError('malformed', `${name} is nested too deep (more than ${MAX_JSON_DEPTH} levels)`);
    duplicates = scanned;
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new JwtkitError('malformed', `${name} is not valid JSON: ${jsonErrorReason(err)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new JwtkitError('malformed', `${name} is not a JSON object (it is ${describeJson(value)})`);
  }
  if (few && nameBound(json) !== countKeys(value)) duplicates = scanJson(json) as readonly (readonly string[])[];
  return { value: value as JsonObject, json, duplicates };
}

/** Whether JSON text nests objects and arrays more than MAX_JSON_DEPTH levels (found without recursion). */
export function nestsTooDeep(json: string): boolean {
  return !fewBrackets(json) && scanJson(json) === 'too-deep';
}

/** Whether the text has fewer '{' and '[' (in strings too) than MAX_JSON_DEPTH: then it cannot nest deeper. */
function fewBrackets(json: string): boolean {
  let n = 0;
  for (let i = json.indexOf('{'); i !== -1; i = json.indexOf('{', i + 1)) if (++n >= MAX_JSON_DEPTH) return false;
  for (let i = json.indexOf('['); i !== -1; i = json.indexOf('[', i + 1)) if (++n >= MAX_JSON_DEPTH) return false;
  return true;
}

/**
 * At least the number of member names in JSON text: each is followed by `":` (a string may hold
 * more of them); -1 when whitespace comes before some ':' (then a name may hide behind it).
 */
function nameBound(json: string): number {
  let n = 0;
  for (let i = json.indexOf(':'); i !== -1; i = json.indexOf(':', i + 1)) {
    const before = json.charCodeAt(i - 1);
    if (before === 34) n++;
    else if (before === 32 || before === 10 || before === 13 || before === 9) return -1;
  }
  return n;
}

/**
 * The keys of every object in a parsed value: fewer than the names in its text exactly when a
 * name was repeated (JSON.parse keeps one). Its depth is below MAX_JSON_DEPTH (fewBrackets).
 */
function countKeys(value: object): number {
  let n = 0;
  if (Array.isArray(value)) {
    for (const item of value) if (item !== null && typeof item === 'object') n += countKeys(item);
    return n;
  }
  for (const key in value) {
    n++;
    const item = (value as JsonObject)[key];
    if (item !== null && typeof item === 'object') n += countKeys(item);
  }
  return n;
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

const PART_RE = /^[A-Za-z0-9_-]*$/;

type DecodedPart = ReturnType<typeof decodePart>;
type HeaderDecoder = (text: string, alphabetChecked?: boolean) => DecodedPart;

const decodeHeader: HeaderDecoder = (text, alphabetChecked) => decodePart('header', text, alphabetChecked);

/**
 * A parser for a run of tokens (one decode or verify; with `embedded`, input that is not a token
 * but holds one is that token, marked `foundIn`: the CLI's reading, never a library default): tokens in a batch nearly always share one
 * header, so it remembers the last one, which saves a decode and a JSON.parse per token. Parsed
 * headers are never mutated, so sharing the object is safe; the memo lives and dies with the run.
 */
export function createTokenParser(options: { embedded?: boolean } = {}): (raw: string) => ParsedToken {
  let last: { text: string; decoded: DecodedPart } | undefined;
  const remembered: HeaderDecoder = (text, alphabetChecked) => {
    if (last?.text === text) return last.decoded;
    const decoded = decodeHeader(text, alphabetChecked);
    last = { text, decoded };
    return decoded;
  };
  if (options.embedded !== true) return (raw) => parseWith(raw, remembered);
  return (raw) => {
    try {
      return parseWith(raw, remembered);
    } catch (err) {
      // Only when the clean parse failed: a JSON body, a callback URL, a cookie or a log line
      // that holds one token is that token; several are for --scan.
      const inner = err instanceof JwtkitError ? embeddedToken(raw) : undefined;
      if (inner === undefined) throw err;
      return { ...parseWith(inner.token, remembered), foundIn: inner.container };
    }
  };
}

/** Embedded tokens beyond this many are not counted further ("16 or more"). */
const MAX_EMBEDDED = 16;

/**
 * The one token inside text that is not itself a token (a curl JSON body, `#id_token=…&state=x`,
 * a Cookie or Set-Cookie header, a log line), and what held it; undefined when there is none;
 * a malformed error telling to use --scan when there are several.
 */
export function embeddedToken(text: string): { token: string; container: TokenContainer } | undefined {
  // Made of token characters only: then it is a broken token, not a container.
  if (text.length > MAX_TOKEN_LENGTH || /^[A-Za-z0-9_.-]*$/.test(text)) return undefined;
  const found = findTokens(text, MAX_EMBEDDED);
  if (found.length === 0) return undefined;
  const container = containerOf(text);
  if (found.length > 1) {
    const count = found.length >= MAX_EMBEDDED ? `${MAX_EMBEDDED} or more` : String(found.length);
    throw new JwtkitError('malformed', `the input is not a token: it is ${container} holding ${count} tokens; use --scan to take each of them`);
  }
  return { token: found[0]!, container };
}

function containerOf(text: string): TokenContainer {
  const t = text.trimStart();
  if (/^set-cookie\s*:/i.test(t)) return 'a Set-Cookie header';
  if (/^cookie\s*:/i.test(t)) return 'a Cookie header';
  if (t.startsWith('{') || t.startsWith('[')) return 'a JSON body';
  if (/^[a-z][a-z0-9+.-]*:\/\/\S*$/i.test(t) || /^[#?&]?[\w.-]+=[^\s]*$/.test(t)) return 'a URL';
  return 'a line of text';
}

// The common case, a well-formed JWS, checked by one regular expression for all three parts.
const JWS_RE = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;

/** Parses one cleaned token; throws a JwtkitError "malformed" naming the part that is wrong. */
export function parseToken(raw: string): ParsedToken {
  return parseWith(raw, decodeHeader);
}

function parseWith(raw: string, decodeHeader: HeaderDecoder): ParsedToken {
  const fast = raw.length <= MAX_TOKEN_LENGTH ? JWS_RE.exec(raw) : null;
  if (fast && hasCanonicalTail(fast[3]!)) {
    const h = decodeHeader(fast[1]!, true);
    const p = decodePart('payload', fast[2]!, true);
    const signature = fast[3]!;
    const token: ParsedJws = { kind: 'jws', raw, header: h.value, payload: p.value, headerJson: h.json, payloadJson: p.json, signature, signingInput: raw.slice(0, raw.length - signature.length - 1) };
    if (h.duplicates.length > 0 || p.duplicates.length > 0) token.duplicates = duplicatesOf(h, p);
    return token;
  }
  return parseTokenSlowly(raw, decodeHeader);
}

function duplicatesOf(header: DecodedPart, payload: DecodedPart | null): DuplicateMember[] {
  return [
    ...header.duplicates.map((path) => ({ part: 'header' as const, path })),
    ...(payload?.duplicates ?? []).map((path) => ({ part: 'payload' as const, path })),
  ];
}

function parseTokenSlowly(raw: string, decodeHeader: HeaderDecoder): ParsedToken {
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
  const h = decodeHeader(parts[0]!);
  const header = h.value;
  if (parts.length === 5) {
    // RFC 7516 §9: a JWE's header has "enc"; five parts without it are not a token at all.
    if (typeof header.enc !== 'string') throw new JwtkitError('malformed', 'the token has 5 parts (an encrypted token) but its header has no "enc"');
    for (const [i, name] of ['encrypted key', 'IV', 'ciphertext', 'tag'].entries()) {
      if (!PART_RE.test(parts[i + 1]!)) throw new JwtkitError('malformed', `JWE ${name} is not valid base64url`);
    }
    const jwe: ParsedJwe = { kind: 'jwe', raw, header, headerJson: h.json };
    if (h.duplicates.length > 0) jwe.duplicates = duplicatesOf(h, null);
    return jwe;
  }
  const p = decodePart('payload', parts[1]!);
  const signature = parts[2]!;
  if (!isBase64url(signature)) {
    throw new JwtkitError('malformed', 'signature is not valid base64url');
  }
  const token: ParsedJws = { kind: 'jws', raw, header, payload: p.value, headerJson: h.json, payloadJson: p.json, signature, signingInput: `${parts[0]}.${parts[1]}` };
  if (h.duplicates.length > 0 || p.duplicates.length > 0) token.duplicates = duplicatesOf(h, p);
  return token;
}

// A compact JWS/JWE: the header is base64url JSON, so it starts with "ey" ('{"') or "ew" ('{\n').
const SCAN_RE = /(?<![A-Za-z0-9_-])e[wy][A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?(?![A-Za-z0-9_-])/g;

/** Every compact JWS or JWE in free text (logs, curl -v output, JSON), in order (at most `limit`). */
export function findTokens(text: string, limit = Infinity): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(SCAN_RE)) {
    if (found.length >= limit) break;
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
