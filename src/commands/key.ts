// `jwtkit key`: what a key is, its public half, its other form (PEM ↔ JWK), its RFC 7638
// thumbprint, and the JWKS to publish. Pure: key texts and options in, data out (the CLI half
// reads files and writes output).
import {
  MIN_RSA_BITS,
  isJwsAlg,
  jwkThumbprint,
  keyAlgorithms,
  keyFacts,
  keyJsonError,
  keyThumbprint,
  keyToJwk,
  keyToPem,
  parseJwkJson,
  parseKeyText,
  thumbprintUri,
  type Jwk,
  type JwsAlg,
  type KeyMaterial,
  type ThumbprintHash,
} from '../crypto.js';
import type { KeyFormat } from '../algs.js';
import { JwtkitError } from '../errors.js';
import { safeJson, safeText } from '../safe-text.js';
import { shown } from '../shown.js';

/** A key file's text, already read (from a file or stdin). */
export interface KeyInput {
  label: string;
  text: string;
}

export interface KeyEntry {
  key: KeyMaterial;
  /** the file (or "stdin") it came from */
  source: string;
  /** it came from a JSON set (JWKS or certificate map): output keeps the set form */
  inSet: boolean;
}

export interface Finding {
  code: string;
  message: string;
}

/** Findings that make a key unfit to sign or verify JWTs: `key inspect` exits 1 on them. */
export const PROBLEM_CODES: readonly string[] = Object.freeze(['rsa_too_small', 'alg_mismatch', 'no_algorithm', 'duplicate_kid']);

/**
 * Every key in the inputs, in order. Strict, unlike verify's reading of a JWKS (which skips
 * members it cannot use, RFC 7517 §5): here an unusable member is the answer the user needs.
 */
export function readKeys(inputs: readonly KeyInput[], options: { passphrase?: string | undefined; notes?: string[] } = {}): KeyEntry[] {
  const entries: KeyEntry[] = [];
  for (const input of inputs) {
    const json = parseJsonSet(input);
    if (json === undefined) {
      for (const key of parseKeyText(input.text, input.label, options.notes, options)) entries.push({ key, source: input.label, inSet: false });
      continue;
    }
    if (Array.isArray(json.keys)) {
      if (json.keys.length === 0) throw new JwtkitError('bad_key', `${input.label} is a JWKS with no keys`);
      json.keys.forEach((member, i) => {
        const kid = member && typeof member === 'object' ? (member as { kid?: unknown }).kid : undefined;
        const label = typeof kid === 'string' ? `${input.label} kid ${safeText(JSON.stringify(kid))}` : `${input.label} key #${i + 1}`;
        for (const key of parseJwkJson(member, label, { anyUse: true })) entries.push({ key: { ...key, form: 'JWKS member' }, source: input.label, inSet: true });
      });
      continue;
    }
    const keys = parseJwkJson(json, input.label, { anyUse: true });
    for (const key of keys) entries.push({ key, source: input.label, inSet: key.form === 'certificate map' });
  }
  return entries;
}

/** The JSON object of a JWK/JWKS/certificate-map text, or undefined for PEM. */
function parseJsonSet(input: KeyInput): { keys?: unknown[] } | undefined {
  const trimmed = input.text.replace(/^\uFEFF/, '').trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    return JSON.parse(trimmed) as { keys?: unknown[] };
  } catch {
    throw keyJsonError(input.label);
  }
}

/** "kid 2011-04-29" or the source: how a key is named in messages. */
export function keyName(entry: KeyEntry): string {
  return entry.key.kid !== undefined ? `${entry.source} kid ${safeText(JSON.stringify(entry.key.kid))}` : entry.key.label;
}

// ---------------------------------------------------------------------------------------------
// inspect

export interface CertificateReport {
  subject: string;
  issuer: string;
  serial: string;
  not_before: string;
  not_after: string;
  expired: boolean;
  not_yet_valid: boolean;
}

export interface KeyReport {
  source: string;
  form: string;
  kty: string;
  type: string;
  curve?: string;
  bits: number;
  private: boolean;
  /** the algorithms it can sign (private) or verify with: its type's, narrowed by its "alg" */
  algs: JwsAlg[];
  thumbprint: string;
  thumbprint_uri: string;
  kid?: string;
  use?: string;
  key_ops?: string[];
  alg?: string;
  certificate?: CertificateReport;
  warnings: Finding[];
}

export function inspectKeys(entries: readonly KeyEntry[], options: { now: number }): KeyReport[] {
  const reports = entries.map((entry) => inspectKey(entry, options.now));
  // A kid names one key: two different keys under one kid defeat a verifier's choice (jose:
  // ERR_JWKS_MULTIPLE_MATCHING_KEYS). The same key twice is only a note.
  reports.forEach((r, i) => {
    if (r.kid === undefined) return;
    for (let j = 0; j < reports.length; j++) {
      const other = reports[j]!;
      if (j === i || other.kid !== r.kid) continue;
      if (other.thumbprint !== r.thumbprint) {
        r.warnings.push({ code: 'duplicate_kid', message: `kid ${JSON.stringify(r.kid)} is also on a different key (${other.source}, thumbprint ${other.thumbprint}): a verifier cannot tell them apart` });
        break;
      }
    }
  });
  return reports;
}

function inspectKey(entry: KeyEntry, now: number): KeyReport {
  const { key } = entry;
  const facts = keyFacts(key);
  const thumbprint = keyThumbprint(key);
  const report: KeyReport = {
    source: entry.source,
    form: key.form ?? 'key',
    kty: facts.kty,
    type: facts.type,
    ...(facts.curve === undefined ? {} : { curve: facts.curve }),
    bits: facts.bits,
    private: facts.private,
    algs: keyAlgorithms(key),
    thumbprint,
    thumbprint_uri: thumbprintUri(thumbprint),
    warnings: keyWarnings(key),
  };
  if (key.kid !== undefined) report.kid = key.kid;
  if (key.use !== undefined) report.use = key.use;
  if (key.keyOps !== undefined) report.key_ops = key.keyOps;
  if (key.alg !== undefined) report.alg = key.alg;
  const cert = key.certificate;
  if (cert) {
    const notBefore = Date.parse(cert.notBefore) / 1000;
    const notAfter = Date.parse(cert.notAfter) / 1000;
    report.certificate = {
      subject: cert.subject,
      issuer: cert.issuer,
      serial: cert.serialNumber,
      not_before: cert.notBefore,
      not_after: cert.notAfter,
      expired: now > notAfter,
      not_yet_valid: now < notBefore,
    };
    if (now > notAfter) report.warnings.push({ code: 'expired', message: `the certificate expired on ${cert.notAfter} (its key still verifies; verifiers that check certificates refuse it)` });
  }
  return report;
}

/** What is wrong with a key for JWS, whatever the command. */
export function keyWarnings(key: KeyMaterial): Finding[] {
  const facts = keyFacts(key);
  const out: Finding[] = [];
  if (facts.kty === 'RSA' && facts.bits < MIN_RSA_BITS) {
    out.push({ code: 'rsa_too_small', message: `an RSA key of ${facts.bits} bits: JWS needs ${MIN_RSA_BITS} or more (RFC 7518 §3.3), so jwtkit and jose refuse it` });
  }
  if (facts.algs.length === 0) {
    out.push({ code: 'no_algorithm', message: `${describeFacts(facts)} signs no JWS algorithm` });
  } else if (key.alg !== undefined && !isJwsAlg(key.alg)) {
    out.push({ code: 'alg_mismatch', message: `its "alg" ${JSON.stringify(key.alg)} is not a JWS algorithm: it is not a signing key` });
  } else if (key.alg !== undefined && !facts.algs.includes(key.alg as JwsAlg)) {
    out.push({ code: 'alg_mismatch', message: `its "alg" ${JSON.stringify(key.alg)} does not fit ${describeFacts(facts)}, which signs ${facts.algs.join(', ')}` });
  }
  if (key.use !== undefined && key.use !== 'sig') {
    out.push({ code: 'not_for_signatures', message: `its "use" is ${JSON.stringify(key.use)}: verifiers skip it for signatures` });
  }
  return out;
}

function describeFacts(facts: { type: string; bits: number; kty: string }): string {
  if (facts.kty === 'RSA') return `an ${facts.type} key`;
  if (facts.kty === 'oct') return `a ${facts.bits}-bit secret`;
  return `an ${facts.type} key`;
}

// ---------------------------------------------------------------------------------------------
// public, convert, jwks: keys out

export type { KeyFormat };

export interface KeyOutput {
  format: KeyFormat;
  /** the text to print or write: PEM block(s), or pretty JSON with a final newline */
  text: string;
  /** the value for --json: a JWK, a JWKS, or PEM text */
  value: Jwk | { keys: Jwk[] } | string;
  /** private keys or secrets inside: written only with mode 0600 */
  private: boolean;
  keys: { source: string; kid?: string; thumbprint: string }[];
  /** stderr notes: what was dropped, what was not kept */
  notes: string[];
}

function jsonText(value: unknown): string {
  return `${safeJson(JSON.stringify(value, null, 2))}\n`;
}

/** Output as JWK (one key), JWKS (a set or several keys) or PEM. */
function render(entries: readonly KeyEntry[], format: KeyFormat, jwks: Jwk[], withPrivate: boolean, notes: string[]): KeyOutput {
  const isPrivate = withPrivate && entries.some((e) => e.key.privateKey !== undefined || e.key.secret !== undefined);
  const keys = entries.map((e, i) => ({ source: e.source, ...(jwks[i]?.kid === undefined ? {} : { kid: jwks[i]!.kid! }), thumbprint: keyThumbprint(e.key) }));
  if (format === 'pem') {
    const text = entries.map((e) => keyToPem(e.key, withPrivate)).join('');
    const kept = entries.filter((e) => e.key.kid !== undefined || e.key.alg !== undefined || e.key.use !== undefined);
    if (kept.length > 0) notes.push('PEM has no place for a JWK\'s kid, alg or use: they are not in the output');
    return { format, text, value: text, private: isPrivate, keys, notes };
  }
  if (format === 'jwk' && jwks.length === 1) return { format, text: jsonText(jwks[0]), value: jwks[0]!, private: isPrivate, keys, notes };
  const set = { keys: jwks };
  return { format: 'jwks', text: jsonText(set), value: set, private: isPrivate, keys, notes };
}

/** The format of the inputs: a set stays a set, a JWK a JWK, PEM stays PEM. */
function sameFormat(entries: readonly KeyEntry[]): KeyFormat {
  if (entries.some((e) => e.inSet)) return 'jwks';
  if (entries.every((e) => e.key.form === 'JWK')) return 'jwk';
  if (entries.some((e) => e.key.form === 'JWK')) return 'jwks';
  return 'pem';
}

export interface PublicOptions {
  format?: KeyFormat | undefined;
}

/** `key public`: the public half, in the input's format unless told. */
export function publicKeys(entries: readonly KeyEntry[], options: PublicOptions = {}): KeyOutput {
  for (const e of entries) {
    if (e.key.secret) throw new JwtkitError('bad_key', `${keyName(e)} is a secret (oct) key: it has no public half`, 'a secret is shared, never published');
  }
  const format = options.format ?? sameFormat(entries);
  return render(entries, format, entries.map((e) => keyToJwk(e.key, false)), false, []);
}

export interface ConvertOptions {
  to: KeyFormat;
  alg?: string | undefined;
  use?: string | undefined;
}

/**
 * `key convert`: PEM ↔ JWK, private stays private. JWKs get kid = RFC 7638 thumbprint unless they
 * have one, and alg/use when asked for.
 */
export function convertKeys(entries: readonly KeyEntry[], options: ConvertOptions): KeyOutput {
  const jwks = entries.map((e) => withMeta(e, options.alg, options.use, true));
  return render(entries, options.to, jwks, true, []);
}

/** The JWK of an entry with kid (thumbprint by default), and alg/use if asked (checked against the key). */
function withMeta(entry: KeyEntry, alg: string | undefined, use: string | undefined, withPrivate: boolean): Jwk {
  const jwk = keyToJwk(entry.key, withPrivate);
  if (alg !== undefined) {
    const fits = keyAlgorithms({ ...entry.key, alg: undefined });
    if (!isJwsAlg(alg) || !fits.includes(alg)) {
      throw new JwtkitError('usage', `--alg ${shown(alg)} does not fit ${keyName(entry)} (${keyFacts(entry.key).type})`, `it signs ${fits.join(', ') || 'no JWS algorithm'}`);
    }
    jwk.alg = alg;
  }
  if (use !== undefined) jwk.use = use;
  if (jwk.kid === undefined) jwk.kid = jwkThumbprint(jwk);
  // Members in the fixed order again (alg/use/kid may be new).
  return keyToJwk({ ...entry.key, kid: jwk.kid, ...(jwk.alg === undefined ? {} : { alg: jwk.alg }), ...(jwk.use === undefined ? {} : { use: jwk.use }) }, withPrivate);
}

export interface ThumbprintResult {
  source: string;
  kid?: string;
  thumbprint: string;
  hash: ThumbprintHash;
  uri: string;
}

/** `key thumbprint`: RFC 7638 of each key's public half. */
export function thumbprints(entries: readonly KeyEntry[], options: { hash: ThumbprintHash }): ThumbprintResult[] {
  return entries.map((e) => {
    const thumbprint = keyThumbprint(e.key, options.hash);
    return { source: e.source, ...(e.key.kid === undefined ? {} : { kid: e.key.kid }), thumbprint, hash: options.hash, uri: thumbprintUri(thumbprint, options.hash) };
  });
}

export interface JwksOptions {
  /** keep private members and secrets (a set for the signer, never to publish) */
  private: boolean;
  /** kids (or thumbprints) to leave out: the last step of a rotation */
  drop: string[];
  alg?: string | undefined;
  /** "use" for keys that have none (default "sig") */
  use?: string | undefined;
}

/**
 * `key jwks`: one JWKS from any mix of PEM/JWK/JWKS inputs, de-duplicated by thumbprint (the
 * first of equal keys wins), in input order: the file to publish at /.well-known/jwks.json.
 */
export function buildJwks(entries: readonly KeyEntry[], options: JwksOptions): KeyOutput {
  const notes: string[] = [];
  const dropped = new Set<string>();
  const kept: KeyEntry[] = [];
  const jwks: Jwk[] = [];
  const byThumbprint = new Map<string, string>();
  const byKid = new Map<string, { thumbprint: string; source: string }>();
  for (const entry of entries) {
    const { key } = entry;
    const name = keyName(entry);
    if (!options.private) {
      if (key.secret) {
        throw new JwtkitError('bad_key', `${name} is a secret (oct) key, which never goes in a published JWKS`, 'leave it out, or pass --private for a set kept secret');
      }
      if (key.privateKey) {
        throw new JwtkitError('bad_key',
          `${name} is a private key, and a published JWKS holds public keys only`,
          `give its public half (jwtkit key public ${entry.source}), or pass --private for a set kept secret`,
        );
      }
    }
    const thumbprint = keyThumbprint(key);
    // EC and EdDSA keys sign one algorithm: say it, so every library picks the key without guessing.
    const algs = keyFacts(key).algs;
    const alg = options.alg ?? (key.alg === undefined && algs.length === 1 ? algs[0] : undefined);
    const jwk = withMeta(entry, alg, key.use === undefined ? (options.use ?? 'sig') : undefined, options.private);
    const kid = jwk.kid!;
    if (options.drop.includes(kid) || options.drop.includes(thumbprint)) {
      dropped.add(options.drop.includes(kid) ? kid : thumbprint);
      continue;
    }
    for (const w of keyWarnings({ ...key, alg: jwk.alg, use: jwk.use })) {
      if (w.code === 'rsa_too_small' || w.code === 'alg_mismatch' || w.code === 'no_algorithm') {
        throw new JwtkitError('bad_key', `${name}: ${w.message}`, 'leave it out of the set');
      }
    }
    const same = byThumbprint.get(thumbprint);
    if (same !== undefined) {
      notes.push(`${name} is the same key as ${same}: kept once`);
      continue;
    }
    const clash = byKid.get(kid);
    if (clash) {
      throw new JwtkitError('bad_key',
        `kid ${JSON.stringify(kid)} is on two different keys (${clash.source}, thumbprint ${clash.thumbprint}, and ${entry.source}, thumbprint ${thumbprint}): verifiers could not tell them apart`,
        'give one of them a new kid (jwtkit key convert FILE --to jwk makes kid = thumbprint)',
      );
    }
    byThumbprint.set(thumbprint, name);
    byKid.set(kid, { thumbprint, source: entry.source });
    kept.push(entry);
    jwks.push(jwk);
  }
  for (const kid of options.drop) {
    if (!dropped.has(kid)) throw new JwtkitError('usage', `--drop ${shown(kid)} matches no key's kid or thumbprint`, 'check the kid: jwtkit key inspect FILE lists them');
  }
  if (jwks.length === 0) throw new JwtkitError('usage', 'the JWKS would hold no keys', 'a verifier needs at least one');
  const out = render(kept, 'jwks', jwks, options.private, notes);
  return out;
}
