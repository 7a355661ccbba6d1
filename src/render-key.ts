// `jwtkit key` results → text: the human view and the JSON lines. Strings that come from a key
// file (kid, use, certificate names) are escaped before they reach a terminal.
import type { KeyOutput, KeyReport, ThumbprintResult } from './commands/key.js';
import { relativeTime, zonedTime } from './time.js';
import { keyText, type Paint } from './render.js';
import { safeJson, safeText } from './safe-text.js';
import { shown } from './shown.js';

/** One JSON line; JSON.stringify leaves C1 controls and bidi overrides raw, so they are escaped too. */
export function keyJsonLine(value: unknown): string {
  return `${safeJson(JSON.stringify(value))}\n`;
}

function keyTitle(r: KeyReport): string {
  return r.kty === 'oct' ? `${r.bits}-bit secret` : `${r.type} ${r.private ? 'private key' : 'public key'}`;
}

function algsText(r: KeyReport): string {
  if (r.algs.length > 0) return r.algs.join(', ');
  return r.kty === 'oct' ? 'none' : 'no JWS algorithm';
}

/** `key inspect`: a block for one key, one line per key for several (a JWKS). */
export function renderInspect(reports: readonly KeyReport[], options: { now: number; paint: Paint; zone?: string | undefined }): string {
  const { paint, now } = options;
  if (reports.length === 1) return renderInspectOne(reports[0]!, now, paint, options.zone);
  const names = reports.map((r) => (r.kid !== undefined ? `kid ${safeText(JSON.stringify(r.kid))}` : safeText(r.source)));
  const titles = reports.map(keyTitle);
  const algs = reports.map(algsText);
  const w = (list: string[]) => Math.max(...list.map((s) => s.length));
  const [wn, wt, wa] = [w(names), w(titles), w(algs)];
  const lines: string[] = [];
  reports.forEach((r, i) => {
    lines.push(`${paint.bold(names[i]!.padEnd(wn))}  ${titles[i]!.padEnd(wt)}  ${algs[i]!.padEnd(wa)}  ${paint.dim(r.thumbprint)}`);
    for (const f of r.warnings) lines.push(`  ${paint.warn('!')} ${safeText(f.message)} ${paint.dim(`(${f.code})`)}`);
  });
  return `${lines.join('\n')}\n`;
}

function renderInspectOne(r: KeyReport, now: number, paint: Paint, zone?: string): string {
  const lines: string[] = [];
  const row = (name: string, value: string) => lines.push(`  ${paint.dim(name.padEnd(11))} ${value}`);
  lines.push(`${paint.bold(keyTitle(r))}${r.kty === 'RSA' ? `, ${r.bits} bits` : r.kty === 'oct' ? '' : ''} ${paint.dim(`(${r.form}, ${safeText(r.source)})`)}`);
  row(r.private ? 'signs' : 'verifies', algsText(r));
  row('thumbprint', `${r.thumbprint} ${paint.dim('(RFC 7638, SHA-256)')}`);
  row('uri', r.thumbprint_uri);
  if (r.kid !== undefined) row('kid', safeText(r.kid));
  if (r.alg !== undefined) row('alg', safeText(r.alg));
  if (r.use !== undefined) row('use', safeText(r.use));
  if (r.key_ops !== undefined) row('key_ops', safeText(r.key_ops.join(', ')));
  const c = r.certificate;
  if (c) {
    row('subject', safeText(c.subject));
    row('issuer', safeText(c.issuer));
    row('serial', safeText(c.serial));
    const after = Date.parse(c.not_after) / 1000;
    const before = Date.parse(c.not_before) / 1000;
    const state = c.expired ? paint.bad(`expired ${relativeTime(after, now)}`)
      : c.not_yet_valid ? paint.bad(`not valid until ${relativeTime(before, now)}`)
      : `expires ${relativeTime(after, now)}`;
    row('valid', `${c.not_before} to ${c.not_after} (${state})`);
    // --local / --tz: the same dates on the zone's clock.
    const zb = zone === undefined ? null : zonedTime(before, zone);
    const za = zone === undefined ? null : zonedTime(after, zone);
    if (zb && za) row('', `= ${zb} to ${za}`);
  }
  for (const f of r.warnings) lines.push(`  ${paint.warn('!')} ${safeText(f.message)} ${paint.dim(`(${f.code})`)}`);
  return `${lines.join('\n')}\n`;
}

/** `key inspect --json`: one object per key. */
export function renderInspectJson(reports: readonly KeyReport[]): string {
  return reports.map((r) => keyJsonLine(r)).join('');
}

/** `key thumbprint`: one thumbprint a line (as `jose jwk thp`), or JSON lines. */
export function renderThumbprints(results: readonly ThumbprintResult[], json: boolean): string {
  if (json) return results.map((r) => keyJsonLine(r)).join('');
  return results.map((r) => `${r.thumbprint}\n`).join('');
}

/** public, convert, jwks: the text to print or write: PEM block(s), or pretty JSON with a final newline. */
export function keyOutputText(out: KeyOutput): string {
  return keyText(out.value);
}

/** public, convert, jwks: the key text itself, or with --json one object saying what it is. */
export function renderKeyOutput(out: KeyOutput, json: boolean, file?: string): string {
  if (!json) return file === undefined ? keyOutputText(out) : '';
  const body: Record<string, unknown> = { format: out.format, private: out.private, keys: out.keys };
  if (file === undefined) body.key = out.value;
  else body.file = file;
  return keyJsonLine(body);
}

/** public, convert, jwks --out: the line on stderr saying what was written. */
export function keyWrittenNote(out: KeyOutput, file: string): string {
  return `Wrote ${shown(file, 'path')}${out.private ? ' (private, mode 0600: keep it secret)' : ''}.\n`;
}
