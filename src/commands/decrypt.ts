// `jwtkit decrypt`: a JWE (RFC 7516), compact or JSON-serialized (flattened or general), opened
// with the keys given. The structure is checked here, before any key is used, so that what is left
// to fail is the cryptography, and every integrity failure reads the same (no padding oracle).
import { isUtf8 } from 'node:buffer';
import { JWE_ALGS, JWE_ENCS, JWE_ENC_KEY_BYTES, JWE_ENC_SIZES, JWE_WRAP_KEY_BYTES, MAX_P2C, MAX_P2C_TEXT, MAX_PBES2_BUDGET, MAX_PBES2_BUDGET_TEXT, RSA1_5, isJweAlg, isJweEnc, type JweAlg, type JweEnc } from '../algs.js';
import {
  base64urlDecode,
  base64urlDecodeText,
  decryptJwe,
  decryptRsa15,
  describeKey,
  directEncs,
  ecdhCurve,
  isBase64url,
  secretLength,
  type FlattenedJwe,
  type KeyMaterial,
} from '../crypto.js';
import { JwtkitError, jsonErrorReason } from '../errors.js';
import { streamLineBatches, type InputStream } from '../input.js';
import { MAX_JSON_DEPTH, MAX_TOKEN_LENGTH, cleanTokenText, nestsTooDeep, parseToken, type JsonObject, type ParsedToken } from '../token.js';

/** The largest plaintext a compressed (`zip: DEF`) token may inflate to: what jwtkit reads of any input. */
export const MAX_INFLATED = MAX_TOKEN_LENGTH;
/** Recipients read from a general JSON serialization (real ones have one or two); as many as JWS signatures. */
export const MAX_RECIPIENTS = 64;

export const DECRYPT_REASONS = Object.freeze(['decryption_failed', 'no_matching_key', 'alg_not_allowed', 'unsupported', 'malformed', 'too_long'] as const);
export type DecryptReason = (typeof DECRYPT_REASONS)[number];

/** The one message of every integrity failure, whatever part was wrong. */
export function decryptionFailedMessage(keys: readonly KeyMaterial[]): string {
  return keys.length === 1
    ? `decryption failed: ${keys[0]!.label} does not decrypt this token, or the token was altered`
    : `decryption failed: none of the ${keys.length} keys decrypts this token, or the token was altered`;
}

export interface JweRecipient {
  header?: JsonObject;
  encrypted_key?: string;
}

/** A JWE read from any serialization, its parts still base64url. */
export interface ParsedJweInput {
  serialization: 'compact' | 'flattened' | 'general';
  protectedHeader: JsonObject | null;
  shared: Omit<FlattenedJwe, 'header' | 'encrypted_key'>;
  recipients: JweRecipient[];
}

/** A value from the token, for a message: its JSON when short, else only its length (a header may be 1 MiB). */
export function shown(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length <= 80 ? json : `(${json.length} characters, not shown)`;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function malformed(message: string, hint?: string): never {
  throw new JwtkitError('malformed', message, hint);
}

/** The protected header (base64url JSON) as an object; throws `malformed`. */
function decodeProtected(text: string): JsonObject {
  if (text === '') malformed('the protected header is empty');
  const json = base64urlDecodeText(text);
  if (json === 'not-base64url') malformed('the protected header is not valid base64url', 'a JWE uses A–Z a–z 0–9 - _ only, with no padding');
  if (json === 'not-utf8') malformed('the protected header is not valid UTF-8');
  if (nestsTooDeep(json)) malformed(`the protected header is nested too deep (more than ${MAX_JSON_DEPTH} levels)`);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    malformed(`the protected header is not valid JSON: ${jsonErrorReason(err)}`);
  }
  if (!isObject(value)) malformed('the protected header is not a JSON object');
  return value;
}

/**
 * A JWE from its text: compact (5 parts), or the JSON serialization, flattened or general
 * (RFC 7516 §7.2). Throws `malformed` naming what is wrong.
 */
export function parseJweInput(text: string): ParsedJweInput {
  if (text.length > MAX_TOKEN_LENGTH) throw new JwtkitError('too_long', `the token is ${text.length} characters, more than jwtkit reads (${MAX_TOKEN_LENGTH})`);
  if (text.startsWith('{')) return parseJweJson(text);
  const parts = text.split('.');
  if (parts.length === 3) malformed('this is a signed token (JWS, 3 parts), not an encrypted one', "read it with 'jwtkit decode', check it with 'jwtkit verify'");
  if (parts.length !== 5) malformed(`the token has ${parts.length} part${parts.length === 1 ? '' : 's'}; a compact JWE has 5`);
  const header = decodeProtected(parts[0]!);
  const [, encryptedKey, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  return {
    serialization: 'compact',
    protectedHeader: header,
    shared: { protected: parts[0]!, iv, ciphertext, tag },
    recipients: [{ encrypted_key: encryptedKey }],
  };
}

function parseJweJson(text: string): ParsedJweInput {
  if (nestsTooDeep(text)) malformed(`the JSON is nested too deep (more than ${MAX_JSON_DEPTH} levels)`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    malformed(`the JSON is not valid: ${jsonErrorReason(err)}`);
  }
  if (!isObject(value)) malformed('the JSON is not an object');
  if ('payload' in value && ('signature' in value || 'signatures' in value)) {
    malformed('this is a signed token in the JSON serialization (JWS), not an encrypted one', "check it with 'jwtkit verify'");
  }
  if (typeof value.ciphertext !== 'string') malformed('the JSON has no "ciphertext": it is not a JWE in the JSON serialization (RFC 7516 §7.2)');
  for (const name of ['protected', 'iv', 'tag', 'aad'] as const) {
    if (value[name] !== undefined && typeof value[name] !== 'string') malformed(`"${name}" is not a string`);
  }
  if (value.unprotected !== undefined && !isObject(value.unprotected)) malformed('"unprotected" is not a JSON object');
  const protectedHeader = typeof value.protected === 'string' ? decodeProtected(value.protected) : null;
  const shared: ParsedJweInput['shared'] = { ciphertext: value.ciphertext };
  if (typeof value.protected === 'string') shared.protected = value.protected;
  if (isObject(value.unprotected)) shared.unprotected = value.unprotected;
  for (const name of ['iv', 'tag', 'aad'] as const) if (typeof value[name] === 'string') shared[name] = value[name] as string;
  const recipient = (r: unknown, where: string): JweRecipient => {
    if (!isObject(r)) malformed(`${where} is not a JSON object`);
    if (r.header !== undefined && !isObject(r.header)) malformed(`${where}'s "header" is not a JSON object`);
    if (r.encrypted_key !== undefined && typeof r.encrypted_key !== 'string') malformed(`${where}'s "encrypted_key" is not a string`);
    const out: JweRecipient = {};
    if (isObject(r.header)) out.header = r.header;
    if (typeof r.encrypted_key === 'string') out.encrypted_key = r.encrypted_key;
    return out;
  };
  if (value.recipients !== undefined) {
    if ('encrypted_key' in value || 'header' in value) malformed('the JSON has both "recipients" and a flattened "encrypted_key" or "header"');
    if (!Array.isArray(value.recipients) || value.recipients.length === 0) malformed('"recipients" is not a non-empty array');
    if (value.recipients.length > MAX_RECIPIENTS) malformed(`the JWE has ${value.recipients.length} recipients, more than the ${MAX_RECIPIENTS} jwtkit reads`);
    return { serialization: 'general', protectedHeader, shared, recipients: value.recipients.map((r, i) => recipient(r, `recipient ${i + 1}`)) };
  }
  return { serialization: 'flattened', protectedHeader, shared, recipients: [recipient(value, 'the JWE')] };
}

export interface DecryptOptions {
  keys: KeyMaterial[];
  /** --alg: allowed key management algorithms (default: those of the keys) */
  algs?: readonly string[] | undefined;
  /** --enc: allowed content encryptions (default: all) */
  encs?: readonly string[] | undefined;
  allowRsa15: boolean;
}

export type DecryptOutcome =
  | {
      ok: true;
      /** the JOSE header that applied: protected, shared unprotected and the recipient's, merged */
      header: JsonObject;
      serialization: ParsedJweInput['serialization'];
      /** which recipient (general serialization), from 0 */
      recipient: number | null;
      key: string;
      plaintext: Uint8Array;
    }
  | { ok: false; reason: DecryptReason; message: string; hint?: string; header: JsonObject | null };

type Failure = { reason: DecryptReason; message: string; hint?: string };

const fail = (reason: DecryptReason, message: string, hint?: string): Failure => (hint === undefined ? { reason, message } : { reason, message, hint });

/** The byte length of a base64url part, or a failure naming it. */
function partBytes(name: string, text: string | undefined): number | Failure {
  if (text === undefined || text === '') return 0;
  if (!isBase64url(text)) return fail('malformed', `the ${name} is not valid base64url`, 'a JWE uses A–Z a–z 0–9 - _ only, with no padding');
  return Math.floor((text.length * 3) / 4);
}

/** Whether a header member is one jose's checks would leave to an integrity failure later. */
function structureFailure(header: JsonObject, input: ParsedJweInput, r: JweRecipient, options: DecryptOptions, allowed: AllowedLists): Failure | undefined {
  const alg = header.alg;
  const enc = header.enc;
  if (typeof alg !== 'string' || alg === '') return fail('malformed', 'the header has no "alg"');
  if (typeof enc !== 'string' || enc === '') return fail('malformed', 'the header has no "enc": it is not a JWE');
  if (alg === RSA1_5 && !options.allowRsa15) {
    return fail('alg_not_allowed', 'RSA1_5 is refused: RSAES-PKCS1-v1_5 is open to padding-oracle attacks (Bleichenbacher)', 'pass --allow-rsa1_5 to decrypt it anyway, and move the sender to RSA-OAEP-256');
  }
  if (!isJweAlg(alg) && alg !== RSA1_5) return fail('unsupported', `alg ${shown(alg)} is not a JWE key management algorithm jwtkit knows`, `jwtkit decrypts ${JWE_ALGS.join(', ')}`);
  if (!isJweEnc(enc)) return fail('unsupported', `enc ${shown(enc)} is not a JWE content encryption jwtkit knows`, `jwtkit decrypts ${JWE_ENCS.join(', ')}`);
  if (header.crit !== undefined) {
    return fail('unsupported', `the token requires header extensions jwtkit does not understand (crit: ${shown(header.crit)}); refused as RFC 7516 §4.1.13 demands`);
  }
  if (header.zip !== undefined) {
    if (header.zip !== 'DEF') return fail('unsupported', `zip ${shown(header.zip)} is not a compression jwtkit knows (only DEF)`);
    if (input.protectedHeader?.zip === undefined) return fail('malformed', '"zip" must be in the protected header (RFC 7516 §4.1.3)');
  }
  if (!allowed.algs.includes(alg)) {
    return allowed.algsGiven
      ? fail('alg_not_allowed', `algorithm ${alg} is not allowed (--alg ${allowed.algs.join(',')})`)
      : fail('alg_not_allowed', `${alg} cannot be decrypted with ${allowed.kinds}, which decrypts ${allowed.algs.join(', ') || 'nothing'}; a key's type decides its algorithms`);
  }
  if (!allowed.encs.includes(enc)) return fail('alg_not_allowed', `content encryption ${enc} is not allowed (--enc ${allowed.encs.join(',')})`);
  const sizes = JWE_ENC_SIZES[enc];
  const iv = partBytes('initialization vector', input.shared.iv);
  if (typeof iv !== 'number') return iv;
  if (iv !== sizes.iv) return fail('malformed', `the initialization vector is ${iv} bytes; ${enc} uses ${sizes.iv}`);
  const tag = partBytes('authentication tag', input.shared.tag);
  if (typeof tag !== 'number') return tag;
  if (tag !== sizes.tag) return fail('malformed', `the authentication tag is ${tag} bytes; ${enc} uses ${sizes.tag}`);
  if (input.shared.ciphertext === '' && enc.includes('CBC')) return fail('malformed', `the ciphertext is empty; ${enc} always has one`);
  const ciphertext = partBytes('ciphertext', input.shared.ciphertext);
  if (typeof ciphertext !== 'number') return ciphertext;
  if (input.shared.aad !== undefined) {
    const aad = partBytes('additional authenticated data', input.shared.aad);
    if (typeof aad !== 'number') return aad;
  }
  const key = partBytes('encrypted key', r.encrypted_key);
  if (typeof key !== 'number') return key;
  const direct = alg === 'dir' || alg === 'ECDH-ES';
  if (direct && key > 0) return fail('malformed', `the encrypted key must be empty with ${alg}`);
  if (!direct && key === 0) return fail('malformed', `the encrypted key is missing; ${alg} needs one`);
  if (alg.startsWith('PBES2')) {
    const p2c = header.p2c;
    if (typeof p2c !== 'number' || !Number.isSafeInteger(p2c) || p2c < 1) return fail('malformed', '"p2c" (the PBES2 count) is missing or not a positive whole number');
    if (p2c > MAX_P2C) {
      return fail('unsupported', `p2c ${p2c} is over jwtkit's cap of ${MAX_P2C_TEXT} PBES2 iterations (a sender's count costs the reader's time)`);
    }
    if (typeof header.p2s !== 'string') return fail('malformed', '"p2s" (the PBES2 salt) is missing');
    const salt = base64urlDecode(header.p2s);
    if (!salt || salt.length < 8) return fail('malformed', '"p2s" (the PBES2 salt) must be 8 or more bytes of base64url');
  } else if (alg.startsWith('ECDH-ES')) {
    const epk = header.epk;
    if (!isObject(epk) || typeof epk.kty !== 'string' || typeof epk.crv !== 'string') return fail('malformed', '"epk" (the ephemeral public key) is missing or not a JWK');
    if (['d', 'k', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'priv'].some((m) => Object.hasOwn(epk, m))) return fail('malformed', '"epk" holds private key members');
    for (const name of ['apu', 'apv'] as const) {
      if (header[name] !== undefined && (typeof header[name] !== 'string' || !isBase64url(header[name] as string))) return fail('malformed', `"${name}" is not base64url`);
    }
  } else if (alg.endsWith('GCMKW')) {
    if (typeof header.iv !== 'string' || base64urlDecode(header.iv)?.length !== 12) return fail('malformed', `"iv" of ${alg} must be 12 bytes of base64url`);
    if (typeof header.tag !== 'string' || base64urlDecode(header.tag)?.length !== 16) return fail('malformed', `"tag" of ${alg} must be 16 bytes of base64url`);
  }
  return undefined;
}

interface AllowedLists {
  algs: string[];
  encs: string[];
  algsGiven: boolean;
  kinds: string;
}

/** The allowed lists: --alg/--enc as given, else every algorithm of the keys given (RSA1_5 only with --allow-rsa1_5). */
export function allowedLists(options: DecryptOptions): AllowedLists {
  // By the keys' types, not their sizes or curves: a secret of the wrong size for `dir` is then
  // no_matching_key, which says the size (and how --secret-encoding changes it).
  const keyAlgs: string[] = [...new Set(options.keys.flatMap((k) => keyFamily(k, options.allowRsa15).filter((a) => k.alg === undefined || a === k.alg || (a === 'dir' && isJweEnc(k.alg)) || (a === RSA1_5 && k.alg.startsWith('RSA')))))];
  const allEncs = Object.keys(JWE_ENC_SIZES);
  return {
    algs: options.algs === undefined ? keyAlgs : [...options.algs],
    encs: options.encs === undefined ? allEncs : [...options.encs],
    algsGiven: options.algs !== undefined,
    kinds: [...new Set(options.keys.map(describeKey))].join(' or '),
  };
}

/** The keys that may decrypt a recipient with `alg`/`enc`, or the failure saying why none may. */
function candidateKeys(header: JsonObject, options: DecryptOptions): KeyMaterial[] | Failure {
  const alg = header.alg as JweAlg;
  const enc = header.enc as JweEnc;
  const typed = options.keys.filter((k) => keyFamily(k, options.allowRsa15).includes(alg));
  if (typed.length === 0) {
    const kinds = [...new Set(options.keys.map(describeKey))].join(' or ');
    return fail('alg_not_allowed', `${alg} cannot be decrypted with ${kinds}; a key's type decides its algorithms`, keyHintFor(alg));
  }
  const why: string[] = [];
  let fit = typed.filter((k) => {
    if (k.alg !== undefined && k.alg !== alg && !(alg === 'dir' && k.alg === enc) && !((alg as string) === RSA1_5 && k.alg.startsWith('RSA'))) {
      why.push(`${k.label} is for ${k.alg} (its JWK "alg")`);
      return false;
    }
    if (k.secret) {
      const n = secretLength(k);
      const need = alg === 'dir' ? directBytes(enc) : JWE_WRAP_KEY_BYTES[alg];
      if (need !== undefined && n !== need) {
        why.push(`${alg}${alg === 'dir' ? ` with ${enc}` : ''} needs a ${need}-byte key and ${k.label} is ${n} bytes`);
        return false;
      }
      return alg !== 'dir' || directEncs(k).includes(enc);
    }
    if (!k.privateKey) {
      why.push(`${k.label} is a public key; decrypting needs the private key`);
      return false;
    }
    if (alg.startsWith('ECDH-ES')) {
      const crv = (header.epk as JsonObject).crv;
      if (ecdhCurve(k) !== crv) {
        why.push(`the token's ephemeral key is on ${typeof crv === 'string' ? crv : 'an unnamed curve'} and ${k.label} on ${ecdhCurve(k)}`);
        return false;
      }
    }
    return true;
  });
  if (fit.length === 0) {
    const secrets = typed.some((k) => k.secret) && why.some((w) => w.includes('-byte key'));
    return fail('no_matching_key', `no key fits: ${why.join('; ')}`, secrets ? 'a secret is used as its UTF-8 text unless --secret-encoding base64|base64url|hex says how it is written' : undefined);
  }
  const kid = header.kid;
  if (typeof kid === 'string' && fit.some((k) => k.kid !== undefined)) {
    const matching = fit.filter((k) => k.kid === undefined || k.kid === kid);
    if (matching.length === 0) {
      return fail('no_matching_key', `no ${alg} key has kid ${shown(kid)} (the keys have: ${fit.map((k) => k.kid).filter((k) => k !== undefined).join(', ')})`);
    }
    fit = matching;
  }
  return fit;
}

function directBytes(enc: JweEnc): number {
  return JWE_ENC_KEY_BYTES[enc];
}

/** The algorithms of a key's type, whatever its size or curve (keyJweAlgorithms narrows by them). */
function keyFamily(key: KeyMaterial, allowRsa15 = false): string[] {
  if (key.secret) return JWE_ALGS.filter((a) => a === 'dir' || a.includes('KW') && !a.startsWith('ECDH') || a.startsWith('PBES2'));
  const k = (key.publicKey ?? key.privateKey)!;
  if (k.asymmetricKeyType === 'rsa') return [...JWE_ALGS.filter((a) => a.startsWith('RSA-OAEP')), ...(allowRsa15 ? [RSA1_5] : [])];
  if (ecdhCurve(key) !== undefined) return JWE_ALGS.filter((a) => a.startsWith('ECDH-ES'));
  return [];
}

function keyHintFor(alg: string): string {
  if (alg === 'dir' || alg.includes('KW') && !alg.startsWith('ECDH')) return 'it needs a secret: --secret-env NAME, --secret-file PATH, or an "oct" JWK';
  if (alg.startsWith('RSA')) return 'it needs an RSA private key: --key FILE';
  return 'it needs an EC (P-256, P-384, P-521) or X25519 private key: --key FILE';
}

/** Decrypts one JWE (any serialization) with the keys given: the first recipient and key that open it. */
export async function decryptInput(input: ParsedJweInput, options: DecryptOptions): Promise<DecryptOutcome> {
  const allowed = allowedLists(options);
  let first: (Failure & { header: JsonObject | null }) | undefined;
  const tried: KeyMaterial[] = [];
  let pbes2Spent = 0;
  let pbes2Attempts = 0;
  for (const [index, r] of input.recipients.entries()) {
    const header = mergedHeader(input, r);
    if (typeof header === 'string') return { ok: false, reason: 'malformed', message: header, header: input.protectedHeader };
    const structural = structureFailure(header, input, r, options, allowed);
    const candidates: KeyMaterial[] | Failure = structural ?? candidateKeys(header, options);
    if (!Array.isArray(candidates)) {
      first ??= { ...candidates, header };
      continue;
    }
    for (const key of candidates) {
      if ((header.alg as string).startsWith('PBES2')) {
        // p2c was checked (a whole number up to the cap) by structureFailure.
        const p2c = header.p2c as number;
        if (pbes2Spent + p2c > MAX_PBES2_BUDGET) {
          return {
            ok: false,
            reason: 'unsupported',
            message: `the token asks for more PBES2 work than jwtkit's budget of ${MAX_PBES2_BUDGET_TEXT} iterations per token (p2c summed over every recipient and key tried); stopped after ${pbes2Attempts} attempt${pbes2Attempts === 1 ? '' : 's'}`,
            hint: 'each key is tried on every PBES2 recipient: pass only the password meant for this token, or ask the sender for a lower p2c',
            header,
          };
        }
        pbes2Spent += p2c;
        pbes2Attempts++;
      }
      const outcome =
        header.alg === RSA1_5
          ? await decryptRsa15(toFlattened(input, r), header, key, MAX_INFLATED)
          : await decryptJwe(toFlattened(input, r), key, { algs: [header.alg as string], encs: [header.enc as string], maxP2c: MAX_P2C, maxInflated: MAX_INFLATED });
      if ('plaintext' in outcome) {
        return { ok: true, header, serialization: input.serialization, recipient: input.serialization === 'general' ? index : null, key: key.label, plaintext: outcome.plaintext };
      }
      if (outcome.failure === 'decryption_failed') {
        tried.push(key);
        continue;
      }
      if (outcome.failure === 'malformed' && header.zip === 'DEF') {
        // Only after the tag verified: a compressed plaintext that does not inflate, or inflates too far.
        return {
          ok: false,
          reason: 'too_long',
          message: `the compressed plaintext (zip DEF) does not inflate within jwtkit's limit of ${MAX_INFLATED} bytes (a decompression bomb, or not DEFLATE data)`,
          header,
        };
      }
      first ??= {
        ...(outcome.failure === 'key_mismatch'
          ? fail('no_matching_key', `${key.label} (${describeKey(key)}) cannot be used with ${String(header.alg)}`)
          : outcome.failure === 'malformed'
            ? fail('malformed', `the token is not a valid JWE for ${String(header.alg)} and ${String(header.enc)}`)
            : fail(outcome.failure, `${String(header.alg)} with ${String(header.enc)} is not ${outcome.failure === 'unsupported' ? 'supported' : 'allowed'}`)),
        header,
      };
    }
  }
  if (tried.length > 0) {
    const keys = [...new Set(tried)];
    return { ok: false, reason: 'decryption_failed', message: decryptionFailedMessage(keys), header: first?.header ?? input.protectedHeader };
  }
  const f = first ?? { ...fail('no_matching_key', 'no key fits any recipient'), header: input.protectedHeader };
  return { ok: false, ...f };
}

/** The JOSE header of a recipient: the protected, shared unprotected and per-recipient headers, which must not share a name. */
function mergedHeader(input: ParsedJweInput, r: JweRecipient): JsonObject | string {
  const parts = [input.protectedHeader ?? {}, input.shared.unprotected ?? {}, r.header ?? {}];
  const seen = new Set<string>();
  for (const part of parts) {
    for (const name of Object.keys(part)) {
      if (seen.has(name)) return `the header parameter ${shown(name)} appears in more than one header (RFC 7516 §7.2.1 requires them disjoint)`;
      seen.add(name);
    }
  }
  return Object.assign({}, ...parts) as JsonObject;
}

function toFlattened(input: ParsedJweInput, r: JweRecipient): FlattenedJwe {
  const flat: FlattenedJwe = { ciphertext: input.shared.ciphertext };
  if (input.shared.protected !== undefined) flat.protected = input.shared.protected;
  if (input.shared.unprotected !== undefined) flat.unprotected = input.shared.unprotected;
  if (input.shared.iv !== undefined && input.shared.iv !== '') flat.iv = input.shared.iv;
  if (input.shared.tag !== undefined && input.shared.tag !== '') flat.tag = input.shared.tag;
  if (input.shared.aad !== undefined) flat.aad = input.shared.aad;
  if (r.header !== undefined) flat.header = r.header;
  if (r.encrypted_key !== undefined && r.encrypted_key !== '') flat.encrypted_key = r.encrypted_key;
  return flat;
}

// ---------------------------------------------------------------------------------------------
// The plaintext

export interface PlaintextView {
  /** the plaintext as text when it is UTF-8, else null */
  text: string | null;
  base64url: string;
  /** the plaintext read as a compact JWS or JWE (cty JWT, or it parses as one) */
  nested: ParsedToken | null;
  /** why a plaintext whose cty says JWT is not one */
  nestedError?: string;
}

const CTY_JWT = /^(?:application\/)?jwt$/i;
const LOOKS_COMPACT = /^e[wy][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){2}(?:\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?$/;

export function viewPlaintext(plaintext: Uint8Array, header: JsonObject): PlaintextView {
  const bytes = Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
  const text = isUtf8(bytes) ? bytes.toString('utf8') : null;
  const view: PlaintextView = { text, base64url: bytes.toString('base64url'), nested: null };
  const saysJwt = typeof header.cty === 'string' && CTY_JWT.test(header.cty);
  const candidate = text?.trim();
  if (candidate !== undefined && (saysJwt || LOOKS_COMPACT.test(candidate))) {
    try {
      view.nested = parseToken(candidate);
    } catch (err) {
      if (saysJwt) view.nestedError = `cty says JWT, but the plaintext is not one: ${err instanceof Error ? err.message : String(err)}`;
    }
  } else if (saysJwt) {
    view.nestedError = 'cty says JWT, but the plaintext is not text';
  }
  return view;
}

// ---------------------------------------------------------------------------------------------
// Reading JWEs: compact ones a line each; a JSON serialization on one line or spread over several
// (a pretty-printed file), read until its JSON is complete.

export type JweItem = { index: number; text: string } | { index: number; error: JwtkitError };

export async function* readJweItems(arg: string | undefined, stdin: () => InputStream): AsyncGenerator<JweItem> {
  if (arg !== undefined && arg !== '-') {
    const trimmed = arg.replace(/^\uFEFF/, '').trim();
    yield { index: 0, text: trimmed.startsWith('{') ? trimmed : cleanTokenText(arg) };
    return;
  }
  const stream = stdin();
  if (arg === undefined && stream.isTTY) {
    throw new JwtkitError('usage', 'no token given', 'pass it as an argument, or pipe it in: one compact JWE a line, or a JWE JSON serialization');
  }
  let index = 0;
  let pending: string | undefined;
  let scan: JsonScan = { depth: 0, inString: false, escaped: false };
  for await (const lines of streamLineBatches(stream)) {
    for (const line of lines) {
      if (typeof line !== 'string') {
        pending = undefined;
        yield { index: index++, error: new JwtkitError('malformed', `a line of ${line.overlong} characters is too long to be a token (the limit is ${MAX_TOKEN_LENGTH})`) };
        continue;
      }
      if (pending !== undefined) {
        pending += `\n${line}`;
        if (pending.length > MAX_TOKEN_LENGTH) {
          pending = undefined;
          yield { index: index++, error: new JwtkitError('too_long', `the JSON is more than ${MAX_TOKEN_LENGTH} characters, more than jwtkit reads`) };
        } else if (scanOn(scan, `\n${line}`)) {
          yield { index: index++, text: pending.trim() };
          pending = undefined;
        }
        continue;
      }
      const trimmed = line.replace(/^\uFEFF/, '').trim();
      if (trimmed === '') continue;
      scan = { depth: 0, inString: false, escaped: false };
      if (trimmed.startsWith('{') && !scanOn(scan, trimmed)) {
        pending = trimmed;
        continue;
      }
      yield { index: index++, text: trimmed.startsWith('{') ? trimmed : cleanTokenText(line) };
    }
  }
  if (pending !== undefined) yield { index: index++, text: pending.trim() };
  if (index === 0) throw new JwtkitError('no_token', 'no token in the input', 'pipe one compact JWE per line, or a JWE in the JSON serialization');
}

/** Braces and brackets open outside strings, line by line (linear however many lines a JSON spans). */
interface JsonScan {
  depth: number;
  inString: boolean;
  escaped: boolean;
}

/** Scans `text` on from `scan`; true when the JSON value is complete. */
function scanOn(scan: JsonScan, text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (scan.escaped) scan.escaped = false;
    else if (scan.inString) {
      if (c === 92) scan.escaped = true;
      else if (c === 34) scan.inString = false;
    } else if (c === 34) scan.inString = true;
    else if (c === 123 || c === 91) scan.depth++;
    else if (c === 125 || c === 93) scan.depth--;
  }
  return scan.depth <= 0 && !scan.inString;
}
