// Data → text. Human renderings (the only place chalk is used) and JSON renderings. Functions
// here return strings; cli.ts decides where they go.
import type { Decoded, TimeInfo } from './commands/decode.js';
import type { JsonObject } from './token.js';
import type { VerifyResult } from './commands/verify.js';
import type { GenKeyPair, GenSecret } from './commands/gen.js';
import type { EnvFileResult } from './commands/env-file.js';
import { HMAC_ALGS, JWE_ENC_KEY_BYTES, JWE_WRAP_KEY_BYTES, isJweAlg, isJweEnc } from './algs.js';
import { safeJson, safeText } from './safe-text.js';
import { shown } from './shown.js';
import { formatDuration, zonedTime } from './time.js';
import { compactJson, payloadText } from './json-text.js';

export interface Streamish {
  isTTY?: boolean | undefined;
}

/**
 * Colour only on a terminal. FORCE_COLOR (anything but 0/false) forces it, NO_COLOR (non-empty,
 * no-color.org) and TERM=dumb turn it off.
 */
export function colorEnabled(stream: Streamish, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** Friendly hints (where to paste a secret…) only for a person at a terminal. */
export function hintsEnabled(stdout: Streamish, stderr: Streamish, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stdout.isTTY === true && stderr.isTTY === true;
}

/** Semantic styles; render code names what a piece of text is, not its colour. */
export type Style = 'error' | 'warn' | 'ok' | 'bad' | 'dim' | 'bold' | 'key' | 'string' | 'number' | 'literal' | 'heading';
export type Paint = Record<Style, (text: string) => string>;

const plain = (text: string) => text;
export const PLAIN: Paint = Object.freeze({
  error: plain, warn: plain, ok: plain, bad: plain, dim: plain, bold: plain,
  key: plain, string: plain, number: plain, literal: plain, heading: plain,
});

/** chalk is loaded only when colour is on, so piped runs never evaluate it. */
export async function painter(enabled: boolean): Promise<Paint> {
  if (!enabled) return PLAIN;
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: 1 });
  return {
    error: c.red.bold, warn: c.yellow, ok: c.green.bold, bad: c.red.bold, dim: c.dim, bold: c.bold,
    key: c.cyan, string: c.green, number: c.yellow, literal: c.magenta, heading: c.bold.underline,
  };
}

/**
 * The one JSON writer: every JSON line jwtkit prints goes through it (or through safeJson when
 * composed by hand). JSON.stringify escapes C0 but leaves C1 (U+009B is CSI), bidi controls and
 * U+2028/9 raw; safeJson writes them as \\u escapes, so a terminal sees no control and a JSON
 * reader gets the same values.
 */
export function jsonLine(value: unknown): string {
  return `${safeJson(JSON.stringify(value))}\n`;
}

/** The one renderer of error lines on stderr: one line, and nothing from the input raw. */
export function renderErrorLine(message: string, hint: string | undefined, paint: Paint): string {
  const oneLine = (s: string) => s.replace(/\s*\r?\n\s*/g, ' ').trim();
  const text = hint ? `${oneLine(message)}. ${capitalise(oneLine(hint))}` : oneLine(message);
  return `${paint.error('jwtkit: error:')} ${safeText(text)}\n`;
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function renderWarningLine(message: string, paint: Paint): string {
  return `${paint.warn('jwtkit: warning:')} ${safeText(message)}\n`;
}

/**
 * The note for a token found inside other text (a JSON body, a URL, a cookie, a log line): said for
 * the first such input of a run, and `more` tells how many followed (said once, at the end).
 */
export function renderFoundNote(container: string, where: string, paint: Paint): string {
  return `${paint.warn('jwtkit: note:')} ${where}the input is ${container}, not a token; using the one token in it (--scan finds every token in any text)\n`;
}

export function renderFoundMoreNote(more: number, paint: Paint): string {
  return `${paint.warn('jwtkit: note:')} ${more} more input${more === 1 ? '' : 's'} held one token inside other text; each was used\n`;
}

export function renderErrorJson(code: string, message: string, at?: Position): string {
  return `{"error":${safeJson(JSON.stringify({ code, message }))}${positionJson(at)}}\n`;
}

/** Where a token came from in the input: `index` from 1 in input order, `line` the stdin line. */
export interface Position {
  index: number;
  line?: number | undefined;
}

/** `,"index":N,"line":M` for an NDJSON record (issue #16: results join back to input lines). */
export function positionJson(at: Position | undefined): string {
  if (at === undefined) return '';
  return at.line === undefined ? `,"index":${at.index}` : `,"index":${at.index},"line":${at.line}`;
}

// ---------------------------------------------------------------------------------------------
// gen

export function renderGenSecret(result: GenSecret, json: boolean): string {
  if (!json) return `${result.line}\n`;
  const { secret, bytes, bits, encoding, name } = result;
  return jsonLine(name === undefined ? { secret, bytes, bits, encoding } : { secret, bytes, bits, encoding, name });
}

export function renderGenSecretCopied(result: GenSecret, json: boolean): string {
  if (!json) return '';
  const { bytes, bits, encoding, name } = result;
  return jsonLine({ copied: true, bytes, bits, encoding, ...(name === undefined ? {} : { name }) });
}

export function genSecretHint(result: GenSecret, paint: Paint): string {
  const name = result.name ?? 'JWT_SECRET';
  return `${paint.dim(
    `${result.bits}-bit secret. Store it as ${name} in your host's secret store (Replit: Tools → Secrets); never commit it to git.`,
  )}\n`;
}

/** gen --dotenv-file: what was written where, never the secret. */
export function renderEnvFileResult(r: EnvFileResult, secret: GenSecret, json: boolean): string {
  const { bytes, bits, encoding } = secret;
  if (json) return jsonLine({ file: r.file, name: r.name, previous: r.previous, created: r.created, mode: r.mode, bytes, bits, encoding });
  const what = `${r.name} (a new ${bits}-bit secret, ${encoding})`;
  const file = shown(r.file, 'path');
  if (r.created) return `Created ${file} (mode ${r.mode}) with ${what}\n`;
  if (r.previous) return `Wrote ${what} to ${file}; its old value is now ${r.previous}\n`;
  return `Wrote ${what} to ${file}\n`;
}

export function dotenvFileRotationHint(r: EnvFileResult, paint: Paint): string {
  return `${paint.dim(
    `Until tokens signed with the old secret expire, verify both: jwtkit verify --secret-env ${r.name} --secret-env ${r.previous}; then delete ${r.previous}.`,
  )}\n`;
}

export function renderGenKeyPair(result: GenKeyPair, json: boolean): string {
  if (json) {
    const { alg, kid, format, privateKey, publicKey, files } = result;
    return jsonLine(files ? { alg, kid, format, files } : { alg, kid, format, privateKey, publicKey });
  }
  if (result.files) return '';
  if (typeof result.privateKey === 'string' && typeof result.publicKey === 'string') {
    return result.privateKey + result.publicKey;
  }
  // One JSON value: the private JWK, which holds the public members too (`jwtkit key public`).
  return `${safeJson(JSON.stringify(result.privateKey, null, 2))}\n`;
}

export function genKeyPairNote(result: GenKeyPair, paint: Paint): string {
  if (result.files) {
    return `Wrote ${paint.bold(shown(result.files.privateKey, 'path'))} (private, mode 0600: keep it secret) and ${paint.bold(
      shown(result.files.publicKey, 'path'),
    )} (public, for verifiers). kid ${result.kid}\n`;
  }
  if (result.format !== 'pem') {
    return `${paint.dim(`${result.alg} private JWK, kid ${result.kid}: keep it secret. Its public half: jwtkit key public FILE (--format jwks for the set to publish).`)}\n`;
  }
  return `${paint.dim(
    `${result.alg} key pair, kid ${result.kid}: the private key first (keep it secret), then the public key (for verifiers).`,
  )}\n`;
}

// ---------------------------------------------------------------------------------------------
// decode

export const CLAIM_NAMES: Readonly<Record<string, string>> = Object.freeze({
  iss: 'issuer',
  sub: 'subject',
  aud: 'audience',
  exp: 'expires',
  nbf: 'not before',
  iat: 'issued at',
  jti: 'token id',
  auth_time: 'authenticated at',
  updated_at: 'profile updated at',
  azp: 'authorized party',
  scope: 'scopes',
  scp: 'scopes',
  sid: 'session id',
  client_id: 'client id',
  act: 'actor',
  cnf: 'confirmation key',
});

const HEADER_NAMES: Readonly<Record<string, string>> = Object.freeze({
  alg: 'algorithm',
  typ: 'type',
  kid: 'key id',
  cty: 'content type',
  enc: 'encryption',
  zip: 'compression',
  crit: 'critical extensions',
  jku: 'key set URL (never trusted)',
  x5u: 'certificate URL (never trusted)',
  jwk: 'embedded key (never trusted)',
  x5c: 'certificate chain (never trusted)',
  x5t: 'certificate thumbprint',
  'x5t#S256': 'certificate thumbprint',
});

/** Deeper than this, prettyJson shows `[…]` / `{…}` (tokens are refused deeper than 128 levels). */
export const PRETTY_MAX_DEPTH = 160;

/**
 * Pretty JSON with colours; `comment(key)` adds a dim note after a top-level member. Strings and
 * names are escaped for a terminal and stay valid JSON (C1 and bidi characters as \u escapes).
 */
export function prettyJson(value: unknown, paint: Paint, comment?: (key: string) => string | undefined): string {
  const lines: string[] = [];
  const scalar = (v: unknown): string => {
    if (typeof v === 'string') return paint.string(safeJson(JSON.stringify(v)));
    if (typeof v === 'number') return paint.number(JSON.stringify(v));
    return paint.literal(JSON.stringify(v));
  };
  const name = (k: string) => paint.key(safeJson(JSON.stringify(k)));
  const walk = (v: unknown, indent: string, depth: number): string => {
    if (v === null || typeof v !== 'object') return scalar(v);
    if (depth >= PRETTY_MAX_DEPTH) return paint.dim(Array.isArray(v) ? '[…]' : '{…}');
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      if (v.every((x) => x === null || typeof x !== 'object') && JSON.stringify(v).length <= 60) {
        return `[${v.map(scalar).join(', ')}]`;
      }
      return `[\n${v.map((x) => inner + walk(x, inner, depth + 1)).join(',\n')}\n${indent}]`;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, x]) => `${inner}${name(k)}: ${walk(x, inner, depth + 1)}`).join(',\n')}\n${indent}}`;
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !comment) return walk(value, '', 0);
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  lines.push('{');
  entries.forEach(([k, x], i) => {
    const note = comment(k);
    const text = `  ${name(k)}: ${walk(x, '  ', 1)}${i < entries.length - 1 ? ',' : ''}`;
    lines.push(note ? `${text}  ${paint.dim(`// ${safeText(note)}`)}` : text);
  });
  lines.push('}');
  return lines.join('\n');
}

/** What renderDecoded shows: decode's result (verify shows the same view). */
export type DecodedView = Pick<Decoded, 'header' | 'payload' | 'signature' | 'encrypted' | 'report' | 'warnings'> &
  Partial<Pick<Decoded, 'payloadBytes' | 'signatures' | 'serialization'>>;

/** How to decrypt a JWE with this header: the key option to pass, and the key it needs, in words. */
export function decryptAdvice(header: JsonObject): { option: string; key: string } {
  const alg = typeof header.alg === 'string' ? header.alg : '';
  const enc = typeof header.enc === 'string' ? header.enc : '';
  const wrapBytes = isJweAlg(alg) ? JWE_WRAP_KEY_BYTES[alg] : undefined;
  if (wrapBytes !== undefined) return { option: '--secret-env NAME', key: `a ${wrapBytes}-byte secret` };
  if (alg === 'dir') return { option: '--secret-env NAME', key: isJweEnc(enc) ? `a ${JWE_ENC_KEY_BYTES[enc]}-byte secret` : 'a secret' };
  if (alg.startsWith('PBES2')) return { option: '--secret-env NAME', key: 'a password' };
  if (alg.startsWith('RSA')) return { option: '--key PRIVATE_KEY', key: 'an RSA private key' };
  if (alg.startsWith('ECDH-ES')) {
    const epk = header.epk;
    const crv = epk !== null && typeof epk === 'object' && typeof (epk as JsonObject).crv === 'string' ? String((epk as JsonObject).crv) : 'EC';
    return { option: '--key PRIVATE_KEY', key: `${crv.startsWith('P-') ? 'a' : 'an'} ${crv} private key` };
  }
  return { option: '--key PRIVATE_KEY', key: 'its private key or secret' };
}

export function statusPhrase(view: DecodedView, paint: Paint): string {
  const report = view.report;
  if (!report && !view.encrypted) return paint.dim('not a JWT: the payload is not JSON claims, so there is no expiry or other claim to judge');
  if (!report) {
    const alg = typeof view.header.alg === 'string' ? view.header.alg : '?';
    const enc = typeof view.header.enc === 'string' ? view.header.enc : '?';
    return paint.dim(safeText(`encrypted (JWE, ${alg} + ${enc}): read it with jwtkit decrypt ${decryptAdvice(view.header).option}`));
  }
  const exp = report.times.exp;
  const nbf = report.times.nbf;
  switch (report.status) {
    case 'expired':
      return paint.bad(`expired ${exp!.relative}`);
    case 'not_yet_valid':
      return paint.warn(`not yet valid: becomes valid ${nbf!.relative}`);
    case 'active':
      return paint.ok(`active: expires ${exp!.relative}`);
    default:
      return paint.warn('no expiry: valid forever once signed');
  }
}

/** What verify found for each signature of a JSON serialization. */
export interface SignatureVerdict {
  valid: boolean;
  reason: string | null;
  message: string;
}

export function renderDecoded(
  view: DecodedView,
  paint: Paint,
  options: { heading?: string; verifiedLine?: string; outcomes?: readonly SignatureVerdict[] | null; zone?: string | undefined } = {},
): string {
  const out: string[] = [];
  if (options.heading) out.push(paint.heading(options.heading));
  if (options.verifiedLine) out.push(options.verifiedLine, '');
  const signatures = view.signatures;
  if (signatures) {
    const n = signatures.length;
    out.push(paint.dim(`JWS JSON serialization, ${view.serialization} (RFC 7515 §7.2), ${n} signature${n === 1 ? '' : 's'}`));
  } else {
    out.push(paint.heading(view.encrypted ? 'Header (JWE, encrypted)' : 'Header'));
    out.push(prettyJson(view.header, paint, (k) => HEADER_NAMES[k]));
  }
  if (!view.payload && view.payloadBytes) {
    out.push('', ...renderPayloadBytes(view.payloadBytes, paint));
  }
  if (view.payload) {
    const times = view.report?.times ?? {};
    out.push('', paint.heading('Payload'));
    out.push(
      prettyJson(view.payload, paint, (k) => {
        const name = CLAIM_NAMES[k];
        const t = times[k];
        if (t) {
          // --local / --tz: the same moment on the zone's wall clock, beside UTC.
          const zoned = options.zone === undefined ? null : zonedTime(t.value, options.zone);
          return `${name ?? k}: ${t.iso}${zoned ? ` = ${zoned}` : ''}, ${k === 'exp' && t.relative.endsWith('ago') ? 'expired ' : ''}${t.relative}`;
        }
        return name;
      }),
    );
  }
  out.push('');
  const lifetime = view.report?.lifetime;
  if (lifetime) {
    const used = Math.round(lifetime.used * 100);
    out.push(`${paint.bold('Lifetime ')}  ${formatDuration(lifetime.seconds)}, ${used >= 100 ? 'all' : `${Math.max(used, 0)}%`} used`);
  }
  out.push(`${paint.bold('Status   ')}  ${statusPhrase(view, paint)}`);
  if (signatures) {
    signatures.forEach((sig, i) => {
      const outcome = options.outcomes?.[i];
      const verdict = outcome
        ? outcome.valid
          ? paint.ok(`✓ ${safeText(outcome.message)}`)
          : paint.bad(`✗ (${outcome.reason}) `) + safeText(outcome.message)
        : paint.dim('(not verified)');
      out.push('', `${paint.heading(`Signature ${i + 1} of ${signatures.length}`)}  ${verdict}`);
      out.push(paint.bold('Protected header'));
      out.push(prettyJson(sig.header, paint, (k) => HEADER_NAMES[k]));
      if (sig.unprotected) {
        out.push(`${paint.bold('Unprotected header')} ${paint.dim('(not covered by the signature: alg, crit and b64 are never taken from it)')}`);
        out.push(prettyJson(sig.unprotected, paint, (k) => HEADER_NAMES[k]));
      }
      out.push(`${paint.bold('Value    ')}  ${sig.signature === '' ? paint.bad('(empty)') : paint.dim(sig.signature)}`);
    });
  } else if (view.signature !== null) {
    out.push(`${paint.bold('Signature')}  ${view.signature === '' ? paint.bad('(empty)') : paint.dim(view.signature)}${options.verifiedLine ? '' : paint.dim(' (not verified)')}`);
  }
  if (view.warnings.length > 0) {
    out.push('', paint.heading('Warnings'));
    for (const w of view.warnings) out.push(`  ${paint.warn('!')} ${safeText(w.message)} ${paint.dim(`(${w.code})`)}`);
  }
  return `${out.join('\n')}\n`;
}

/** Hex up to this many bytes of a binary payload; base64url beyond. */
const HEX_MAX = 64;

/**
 * A payload that is not claims: UTF-8 text line by line (indented, so that no line of it can pass
 * for jwtkit's own output, and escaped), else hex or base64url.
 */
export function renderPayloadBytes(bytes: Buffer, paint: Paint): string[] {
  if (bytes.length === 0) {
    return [`${paint.heading('Payload')} ${paint.dim('(empty: if it is detached, RFC 7515 Appendix F, verify it with --payload-file)')}`];
  }
  const size = `${bytes.length} byte${bytes.length === 1 ? '' : 's'}`;
  const text = payloadText(bytes);
  if (text !== null) {
    const endsWithNewline = text.endsWith('\n');
    const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n');
    const note = `(text, ${size}${endsWithNewline ? ', ends with a newline' : ''}; not JWT claims)`;
    return [`${paint.heading('Payload')} ${paint.dim(note)}`, ...lines.map((line) => `  ${paint.string(safeText(line))}`)];
  }
  if (bytes.length <= HEX_MAX) {
    const hex = bytes.toString('hex').replace(/(..)(?!$)/g, '$1 ');
    const lines = hex.match(/.{1,48}/g)!.map((l) => `  ${l.trim()}`);
    return [`${paint.heading('Payload')} ${paint.dim(`(binary, ${size}, hex; not JWT claims)`)}`, ...lines];
  }
  const b64 = bytes.toString('base64url');
  return [`${paint.heading('Payload')} ${paint.dim(`(binary, ${size}, base64url; not JWT claims)`)}`, ...b64.match(/.{1,76}/g)!.map((l) => `  ${l}`)];
}

/** The JSON members of a payload that is not claims: its text when UTF-8, and its base64url. */
export function payloadBytesJson(bytes: Buffer): string {
  const text = payloadText(bytes);
  return `${text === null ? '' : `,"payload_text":${safeJson(JSON.stringify(text))}`},"payload_base64url":"${bytes.toString('base64url')}"`;
}

/**
 * --claim: a string raw, anything else as JSON. Raw is for a pipe (like `jq -r`); on a terminal
 * the text is escaped (and JSON stays JSON).
 */
export function renderClaimValue(value: unknown, terminal: boolean): string {
  if (typeof value === 'string') return `${terminal ? safeText(value) : value}\n`;
  // JSON is escaped everywhere: lossless, and a pipe may end on a terminal (`| cat`, `| less -R`)
  return `${safeJson(JSON.stringify(value))}\n`;
}

/** The --claim --json line of decode and verify. */
export function renderClaimJson(claim: string, value: unknown, at?: Position): string {
  return `{"claim":${safeJson(JSON.stringify(claim))},"value":${value === undefined ? 'null' : safeJson(JSON.stringify(value))}${positionJson(at)}}\n`;
}

/**
 * The decode --json line of the contract. The header and payload are written from the token's own
 * JSON text when that is already a single line (same meaning, no re-serialising: 2× faster on big
 * batches); otherwise JSON.stringify of the parsed value.
 */
export function renderDecodedJson(d: Decoded, at?: Position): string {
  const token = d.token.kind === 'jws-json' ? d.token.signatures[0] : d.token;
  const header = compactJson(token.headerJson, d.header);
  const payload = d.payload !== null && token.kind === 'jws' ? compactJson(token.payloadJson, d.payload) : 'null';
  const signature = d.signature === null ? 'null' : JSON.stringify(d.signature);
  const status = d.report ? `"${d.report.status}"` : 'null';
  const times = d.report ? timesJson(d.report.times) : '{}';
  const warnings = d.warnings.length === 0 ? '[]' : JSON.stringify(d.warnings);
  const kind = d.encrypted ? ',"encrypted":true' : d.jwt ? ',"jwt":true' : `,"jwt":false${d.payloadBytes ? payloadBytesJson(d.payloadBytes) : ''}`;
  const json = d.signatures
    ? `,"serialization":"${d.serialization}","signatures":${JSON.stringify(d.signatures.map((s) => ({ protected: s.header, header: s.unprotected, signature: s.signature })))}`
    : '';
  // one escaping pass over the line (a single regular-expression test when it is plain)
  return safeJson(`{"header":${header},"payload":${payload},"signature":${signature},"verified":false,"status":${status},"times":${times},"warnings":${warnings}${kind}${json}${positionJson(at)}}\n`);
}

/** Our own ISO strings and phrases need no escaping; only the numbers come from the token. */
function timesJson(times: Record<string, TimeInfo>): string {
  let out = '';
  for (const name in times) {
    const t = times[name]!;
    out += `${out === '' ? '' : ','}"${name}":{"value":${JSON.stringify(t.value)},"iso":"${t.iso}","relative":"${t.relative}"}`;
  }
  return `{${out}}`;
}



// ---------------------------------------------------------------------------------------------
// verify

/** The --json line of the contract, written from the token's own JSON text where it can be. */
export function renderVerifyJson(r: VerifyResult, at?: Position): string {
  const header = r.token ? compactJson(r.token.headerJson, r.header) : JSON.stringify(r.header);
  const payload = r.token && r.payload !== null ? compactJson(r.token.payloadJson, r.payload) : 'null';
  const alg = r.alg === null ? 'null' : JSON.stringify(r.alg);
  const key = r.key === null ? 'null' : JSON.stringify(r.key);
  const message = JSON.stringify(r.message);
  const kind = r.jwt ? ',"jwt":true' : `,"jwt":false${r.token?.payloadBytes ? payloadBytesJson(r.token.payloadBytes) : ''}`;
  // one escaping pass over the line (a single regular-expression test when it is plain)
  return safeJson(`{"valid":${r.valid},"reason":${r.reason === null ? 'null' : `"${r.reason}"`},"message":${message},"alg":${alg},"kid":${JSON.stringify(r.kid ?? null)},"key":${key},"header":${header},"payload":${payload},"failures":${r.failures.length === 0 ? "[]" : JSON.stringify(r.failures)}${kind}${r.source ? signaturesJson(r) : ''}${positionJson(at)}}\n`);
}

/** A JSON serialization's signatures in verify --json: each one's headers and what became of it. */
function signaturesJson(r: VerifyResult): string {
  const source = r.source!;
  const list = source.signatures.map((view, i) => {
    const o = r.signatures?.[i];
    return { protected: view.header, header: view.unprotected ?? null, valid: o?.valid ?? false, reason: o?.reason ?? null, message: o?.message ?? 'not checked', alg: o?.alg ?? null, kid: o?.kid ?? null, key: o?.key ?? null };
  });
  return `,"serialization":"${source.serialization}","signatures":${JSON.stringify(list)}`;
}

export function renderVerdictLine(r: { valid: boolean; reason: string | null; message: string }, paint: Paint): string {
  const message = safeText(r.message);
  return r.valid ? `${paint.ok('✓ valid:')} ${message}` : `${paint.bad(`✗ invalid (${r.reason}):`)} ${message}`;
}

// ---------------------------------------------------------------------------------------------
// check

type VerdictView = import('./strength.js').Verdict;

export function renderVerdictJson(v: VerdictView): string {
  return jsonLine({
    verdict: v.verdict,
    alg: v.alg,
    bits: v.bits,
    required_bits: v.required_bits,
    encoding: v.encoding,
    length: v.length,
    bytes: v.bytes,
    reasons: v.reasons.map((r) => r.message),
    codes: v.reasons.map((r) => r.code),
    severity: v.severity,
    recognised: v.recognised,
    algs: v.algs,
  });
}

/** The secret itself is never shown: at most its first 4 characters and its length. */
export function renderVerdict(v: VerdictView, secret: string, label: string, paint: Paint): string {
  const out: string[] = [];
  const shown = secret.length > 8 ? `'${secret.slice(0, 4)}…'` : '(hidden)';
  if (v.verdict === 'strong') {
    out.push(`${paint.ok(`✓ strong for ${v.alg}:`)} ${v.recognised}, ${Math.floor(v.bits)} bits (${v.alg} needs ${v.required_bits}), key ${v.bytes} bytes`);
  } else {
    out.push(`${paint.bad(`✗ weak for ${v.alg} (${v.severity?.replace('_', ' ')}):`)} ${safeText(v.reasons[0]?.message ?? 'not recognised as generated')}`);
  }
  out.push(`  ${paint.dim('secret    ')} ${safeText(shown)} from ${safeText(label)}, ${v.length} characters`);
  out.push(`  ${paint.dim('key       ')} ${v.bytes} bytes (${v.encoding === 'text' ? 'its UTF-8 text' : `${v.encoding} text, used as UTF-8 bytes unless --secret-encoding`})`);
  out.push(`  ${paint.dim('recognised')} ${v.recognised}`);
  out.push(`  ${paint.dim('bits      ')} ~${Math.floor(v.bits)} of ${v.required_bits} required`);
  if (v.reasons.length > 0) {
    out.push(`  ${paint.dim('reasons')}`);
    for (const r of v.reasons) out.push(`    ${paint.warn(r.code.padEnd(17))} ${safeText(r.message)}`);
  }
  // A strong secret says what it is fit for ("strong for HS256; HS384/HS512 need 48/64 bytes"), not alarm.
  if (v.verdict === 'strong') out.push(`  ${paint.ok(v.summary)}`);
  else out.push(`  ${HMAC_ALGS.map((a) => `${a} ${v.algs[a] === 'strong' ? paint.ok('strong') : paint.bad('weak')}`).join(' · ')}`);
  if (v.verdict === 'weak' && v.fix) out.push(`  ${paint.bold('fix:')} ${v.fix}`);
  return `${out.join('\n')}\n`;
}
