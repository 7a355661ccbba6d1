// Pure parsing of compact JWS (RFC 7515 §7.1) and JWE (RFC 7516 §7.1) tokens, cleaning of pasted
// input, and finding tokens in free text. No signatures are checked here.
import { isUtf8 } from 'node:buffer';
import { base64urlDecodeText, hasCanonicalTail, isBase64url } from './encoding.js';
import { JwtkitError, isJwtkitError, jsonErrorReason } from './errors.js';

export type JsonObject = Record<string, unknown>;

/** A member name that occurs more than once in one object of the header or payload (RFC 7515 §5.2). */
export interface DuplicateMember {
  part: 'header' | 'payload' | 'unprotected header' | 'JSON serialization';
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
  /** the protected header */
  header: JsonObject;
  /** the claims when the payload is a JSON object (a JWT); null for any other payload (RFC 7515 allows any octets) */
  payload: JsonObject | null;
  /** the decoded JSON texts, reused for output when they are already one line ('' for a payload that is not claims) */
  headerJson: string;
  payloadJson: string;
  /** the payload's octets, only when `payload` is null */
  payloadBytes?: Buffer;
  /** the payload part is empty: an empty payload, or a detached one (RFC 7515 Appendix F) */
  payloadEmpty?: boolean;
  /** base64url signature exactly as in the token */
  signature: string;
  /**
   * ASCII(BASE64URL(header) || '.' || BASE64URL(payload)), what the signature covers; bytes when
   * the payload is unencoded (RFC 7797 "b64": false) and not ASCII
   */
  signingInput: string | Buffer;
  /** the JWS Unprotected Header of a JSON serialization (never trusted for alg, crit or b64) */
  unprotected?: JsonObject;
  /** present only when some member name is repeated; JSON.parse kept the last value */
  duplicates?: DuplicateMember[];
}

/** A JWS in JSON serialization (RFC 7515 §7.2): one view per signature, all sharing the payload. */
export interface ParsedJwsJson {
  kind: 'jws-json';
  raw: string;
  foundIn?: TokenContainer;
  serialization: 'flattened' | 'general';
  /** at least one; each view's `header` is that signature's protected header ({} when it has none) */
  signatures: [ParsedJws, ...ParsedJws[]];
  /** repeated member names in the serialization's own object */
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

export type ParsedToken = ParsedJws | ParsedJwsJson | ParsedJwe;

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
/** A decoded header, and whether it asks for an unencoded payload (RFC 7797 "b64": false). */
type DecodedHeader = DecodedPart & { unencoded: boolean };
type HeaderDecoder = (text: string, alphabetChecked?: boolean) => DecodedHeader;

const decodeHeader: HeaderDecoder = (text, alphabetChecked) => {
  const decoded = decodePart('header', text, alphabetChecked);
  return { ...decoded, unencoded: decoded.value.b64 === false };
};

/**
 * A parser for a run of tokens (one decode or verify; with `embedded`, input that is not a token
 * but holds one is that token, marked `foundIn`: the CLI's reading, never a library default): tokens in a batch nearly always share one
 * header, so it remembers the last one, which saves a decode and a JSON.parse per token. Parsed
 * headers are never mutated, so sharing the object is safe; the memo lives and dies with the run.
 */
export function createTokenParser(options: { embedded?: boolean } = {}): (raw: string) => ParsedToken {
  let last: { text: string; decoded: DecodedHeader } | undefined;
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
    if (h.unencoded) return parseTokenSlowly(raw, decodeHeader);
    let p: DecodedPart;
    try {
      p = decodePart('payload', fast[2]!, true);
    } catch {
      // Not JWT claims (any other payload, an unencoded one, or a malformed part): the general path.
      return parseTokenSlowly(raw, decodeHeader);
    }
    const signature = fast[3]!;
    const token: ParsedJws = { kind: 'jws', raw, header: h.value, payload: p.value, headerJson: h.json, payloadJson: p.json, signature, signingInput: raw.slice(0, raw.length - signature.length - 1) };
    if (h.duplicates.length > 0 || p.duplicates.length > 0) token.duplicates = duplicatesOf(h, p);
    return token;
  }
  return parseTokenSlowly(raw, decodeHeader);
}

function duplicatesOf(header: DecodedPart, payload: { duplicates: readonly (readonly string[])[] } | null): DuplicateMember[] {
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
  if (raw.charCodeAt(0) === 123) return parseJsonSerialization(raw);
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
  const signature = parts[2]!;
  if (!isBase64url(signature)) {
    throw new JwtkitError('malformed', 'signature is not valid base64url');
  }
  // RFC 7797: with "b64": false the payload part is the payload itself (it cannot hold a '.').
  const p = h.unencoded ? unencodedPayload(parts[1]!) : encodedPayload(parts[1]!);
  const token: ParsedJws = { kind: 'jws', raw, header, headerJson: h.json, ...payloadFields(p), signature, signingInput: `${parts[0]}.${parts[1]}` };
  if (h.duplicates.length > 0 || p.duplicates.length > 0) token.duplicates = duplicatesOf(h, p);
  return token;
}

// ---------------------------------------------------------------------------------------------
// Any payload (RFC 7515: any octets), and the JSON serialization (RFC 7515 §7.2)

/** A payload as read: claims when it is a JSON object, else its octets. */
export interface PayloadPart {
  value: JsonObject | null;
  json: string;
  bytes?: Buffer;
  empty?: boolean;
  duplicates: readonly (readonly string[])[];
}

const EMPTY_BYTES = Buffer.alloc(0);
const EMPTY_PAYLOAD: PayloadPart = Object.freeze({ value: null, json: '', bytes: EMPTY_BYTES, empty: true, duplicates: NO_DUPLICATES });

function payloadFields(p: PayloadPart): Pick<ParsedJws, 'payload' | 'payloadJson' | 'payloadBytes' | 'payloadEmpty'> {
  if (p.value !== null) return { payload: p.value, payloadJson: p.json };
  return p.empty ? { payload: null, payloadJson: '', payloadBytes: p.bytes!, payloadEmpty: true } : { payload: null, payloadJson: '', payloadBytes: p.bytes! };
}

function encodedPayload(text: string): PayloadPart {
  if (text === '') return EMPTY_PAYLOAD;
  if (!isBase64url(text)) {
    throw new JwtkitError('malformed', 'payload is not valid base64url', 'a JWT uses A–Z a–z 0–9 - _ only, with no padding');
  }
  return payloadOfBytes(Buffer.from(text, 'base64url'));
}

function unencodedPayload(text: string): PayloadPart {
  return text === '' ? EMPTY_PAYLOAD : payloadOfBytes(Buffer.from(text, 'utf8'));
}

const STARTS_AS_OBJECT = /^[ \t\r\n]*\{/;

/**
 * Payload octets: JWT claims when they are UTF-8 text of a JSON object (nesting limited, repeated
 * names found), anything else kept as octets. A payload that begins like an object and nests
 * deeper than MAX_JSON_DEPTH is refused, as a header is.
 */
export function payloadOfBytes(bytes: Buffer): PayloadPart {
  if (bytes.length === 0) return EMPTY_PAYLOAD;
  if (isUtf8(bytes)) {
    const json = bytes.toString('utf8');
    if (STARTS_AS_OBJECT.test(json)) {
      const scanned = scanJson(json);
      if (scanned === 'too-deep') throw new JwtkitError('malformed', `payload is nested too deep (more than ${MAX_JSON_DEPTH} levels)`);
      let value: unknown;
      try {
        value = JSON.parse(json);
      } catch {
        value = undefined;
      }
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { value: value as JsonObject, json, duplicates: scanned };
    }
  }
  return { value: null, json: '', bytes, duplicates: NO_DUPLICATES };
}

/** Why a payload that looks like a JSON object is not one (for decode's warning), or null. */
export function payloadJsonProblem(bytes: Buffer): string | null {
  if (!isUtf8(bytes)) return null;
  const text = bytes.toString('utf8');
  if (!STARTS_AS_OBJECT.test(text)) return null;
  try {
    JSON.parse(text);
    return null;
  } catch (err) {
    return jsonErrorReason(err);
  }
}

/** Most signatures read from one JSON serialization (each costs a signature check per key). */
export const MAX_SIGNATURES = 64;

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A JWS in JSON serialization, general (`signatures`) or flattened (`signature` at the top). The
 * payload may be absent (detached, RFC 7515 Appendix F). A JWE in JSON serialization (it has
 * `ciphertext`) is recognised as encrypted.
 */
export function parseJsonSerialization(raw: string): ParsedJwsJson | ParsedJwe {
  const fail = (message: string, hint?: string) => new JwtkitError('malformed', `JSON serialization: ${message}`, hint);
  const scanned = scanJson(raw);
  if (scanned === 'too-deep') throw fail(`nested too deep (more than ${MAX_JSON_DEPTH} levels)`);
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (err) {
    throw fail(`not valid JSON: ${jsonErrorReason(err)} (on stdin a JSON serialization is one line, or spans the lines from a line "{" to a line "}")`);
  }
  if (!isObject(doc)) throw fail(`not a JSON object (it is ${describeJson(doc)})`);
  const duplicates: DuplicateMember[] = scanned.map((path) => ({ part: 'JSON serialization', path }));
  if ('ciphertext' in doc) {
    const header = typeof doc.protected === 'string' ? decodePart('header', doc.protected).value : {};
    const jwe: ParsedJwe = { kind: 'jwe', raw, header, headerJson: JSON.stringify(header) };
    if (duplicates.length > 0) jwe.duplicates = duplicates;
    return jwe;
  }
  let entries: unknown[];
  let serialization: ParsedJwsJson['serialization'];
  if ('signatures' in doc) {
    for (const name of ['protected', 'header', 'signature']) {
      if (name in doc) throw fail(`"${name}" beside "signatures": a general serialization keeps it inside each signature (RFC 7515 §7.2.1)`);
    }
    if (!Array.isArray(doc.signatures)) throw fail('"signatures" is not an array');
    if (doc.signatures.length === 0) throw fail('"signatures" is empty');
    if (doc.signatures.length > MAX_SIGNATURES) throw fail(`${doc.signatures.length} signatures, more than the ${MAX_SIGNATURES} jwtkit reads`);
    entries = doc.signatures;
    serialization = 'general';
  } else if ('signature' in doc) {
    entries = [doc];
    serialization = 'flattened';
  } else {
    throw fail('no "signatures" and no "signature": not a JWS', 'a JWS in JSON has "payload" and "signatures" (general) or "protected"/"header"/"signature" (flattened)');
  }
  const payload = doc.payload;
  if (payload !== undefined && typeof payload !== 'string') throw fail('"payload" is not a string');

  const views: ParsedJws[] = [];
  let unencoded: boolean | undefined;
  let p: PayloadPart | undefined;
  for (const [i, entry] of entries.entries()) {
    const where = serialization === 'general' ? `signature ${i + 1}: ` : '';
    if (!isObject(entry)) throw fail(`${where}not a JSON object`);
    const { protected: prot, header: unprotected, signature } = entry;
    if (prot !== undefined && typeof prot !== 'string') throw fail(`${where}"protected" is not a string`);
    if (unprotected !== undefined && !isObject(unprotected)) throw fail(`${where}"header" (the unprotected header) is not a JSON object`);
    if (typeof signature !== 'string') throw fail(`${where}"signature" is ${signature === undefined ? 'missing' : 'not a string'}`);
    if (!isBase64url(signature)) throw fail(`${where}signature is not valid base64url`);
    if ((prot === undefined || prot === '') && unprotected === undefined) throw fail(`${where}no header at all ("protected" or "header" is required, RFC 7515 §7.2.1)`);
    let h: DecodedPart | undefined;
    try {
      h = prot === undefined || prot === '' ? undefined : decodePart('header', prot);
    } catch (err) {
      throw isJwtkitError(err) ? fail(`${where}${err.message}`, err.hint) : err;
    }
    const header = h?.value ?? {};
    if (unprotected) {
      const shared = Object.keys(unprotected).filter((name) => Object.hasOwn(header, name));
      if (shared.length > 0) throw fail(`${where}${shared.map((n) => JSON.stringify(n)).join(', ')} in both the protected and the unprotected header; RFC 7515 §7.2.1 requires them disjoint`);
    }
    const b64false = header.b64 === false;
    if (unencoded === undefined) unencoded = b64false;
    else if (unencoded !== b64false) throw fail('the signatures disagree on "b64"; RFC 7797 §3 requires one value for all');
    if (p === undefined) {
      try {
        p = payload === undefined ? EMPTY_PAYLOAD : b64false ? unencodedPayload(payload) : encodedPayload(payload);
      } catch (err) {
        throw isJwtkitError(err) ? fail(err.message, err.hint) : err;
      }
    }
    const view: ParsedJws = { kind: 'jws', raw, header, headerJson: h?.json ?? '{}', ...payloadFields(p), signature, signingInput: `${prot ?? ''}.${payload ?? ''}` };
    if (unprotected) view.unprotected = unprotected;
    if (h && h.duplicates.length > 0) view.duplicates = duplicatesOf(h, null);
    views.push(view);
  }
  if (p && p.duplicates.length > 0) duplicates.push(...p.duplicates.map((path) => ({ part: 'payload' as const, path })));
  const token: ParsedJwsJson = { kind: 'jws-json', raw, serialization, signatures: views as [ParsedJws, ...ParsedJws[]] };
  if (duplicates.length > 0) token.duplicates = duplicates;
  return token;
}

/**
 * A detached payload (RFC 7515 Appendix F) put back into a token whose payload part is empty:
 * the claims or octets it carries, and the signing input over it (encoded unless "b64": false).
 */
export function attachPayload(token: ParsedJws, bytes: Buffer): ParsedJws {
  const prefix = token.signingInput as string; // "BASE64URL(header)." when the payload is empty
  const p = payloadOfBytes(bytes);
  const unencoded = token.header.b64 === false;
  const signingInput = unencoded ? Buffer.concat([Buffer.from(prefix, 'latin1'), bytes]) : `${prefix}${bytes.toString('base64url')}`;
  const { payloadEmpty: _, payloadBytes: __, ...rest } = token;
  const attached: ParsedJws = { ...rest, ...payloadFields(p), signingInput };
  if (p.duplicates.length > 0) attached.duplicates = [...(token.duplicates ?? []), ...p.duplicates.map((path) => ({ part: 'payload' as const, path }))];
  return attached;
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

