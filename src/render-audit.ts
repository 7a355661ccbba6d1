// What `jwtkit audit` prints: the human view (findings by severity, each with its fix), the
// NDJSON form, and the progress line of a long word-list search (stderr, terminals only).
import type { AuditResult, Finding, Progress, Severity } from './commands/audit.js';
import { jsonLine, type Paint } from './render.js';
import { safeText } from './safe-text.js';

const MARK: Record<Severity, string> = { critical: '✗', high: '✗', medium: '!', low: '·', info: '·' };

export function renderAuditJson(result: AuditResult, index: number | undefined): string {
  const worst = result.findings[0]?.severity ?? null;
  return jsonLine({ ...(index === undefined ? {} : { token: index + 1 }), alg: result.alg, encrypted: result.encrypted, worst, secret: result.secret, findings: result.findings });
}

const count = (n: number) => n.toLocaleString('en-US');

export function renderAudit(result: AuditResult, paint: Paint, options: { heading?: string | undefined; first: boolean; failOn: Severity }): string {
  const lines: string[] = [];
  if (options.heading) lines.push(`${options.first ? '' : '\n'}${paint.heading(options.heading)}`);
  const order = ['critical', 'high', 'medium', 'low', 'info'];
  const bad = result.findings.filter((f) => order.indexOf(f.severity) <= order.indexOf(options.failOn));
  const tally = order
    .map((s) => [s, result.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  if (result.encrypted) lines.push(`${paint.warn('·')} encrypted (JWE): its claims cannot be read without the key; the header alone was audited`);
  else if (bad.length > 0) lines.push(`${paint.bad('✗ fix before shipping')}: ${tally}`);
  else lines.push(`${paint.ok('✓ nothing at or above ' + options.failOn)}${tally ? ` (${tally})` : ''}`);
  lines.push(`  ${paint.dim('alg')}      ${safeText(result.alg ?? '(none)')}`);
  const s = result.secret;
  if (s === null) {
    if (!result.encrypted) lines.push(`  ${paint.dim('secret')}   not searched: ${safeText(result.alg ?? 'no alg')} is not an HMAC algorithm`);
  } else if (s.found) {
    const where = s.source === 'wordlist' ? `${s.file} line ${s.line}` : s.value === '' ? 'the empty key: an unset secret' : 'built-in list of known secrets';
    const how = s.variant === 'base64' ? ', base64-decoded' : s.variant === 'newline' ? ', with a trailing newline' : '';
    lines.push(`  ${paint.dim('secret')}   ${paint.bad('FOUND')} ${paint.string(safeText(JSON.stringify(s.value)))}${s.hex === undefined ? '' : ` (not UTF-8: hex ${s.hex})`} (${safeText(where)}${how}; ${count(s.tried)} ${s.tried === 1 ? 'key' : 'keys'} tried)`);
  } else {
    const skipped = `${s.skipped ? `; ${count(s.skipped)} over-long lines skipped` : ''}${s.limited ? '; built-in defaults only: the token is over 16 KiB' : ''}`;
    const unsearchable = s.tried === 0 ? result.findings.find((f) => f.code === 'signature_missing' || f.code === 'signature_length') : undefined;
    if (unsearchable) lines.push(`  ${paint.dim('secret')}   not searched: ${unsearchable.code === 'signature_missing' ? 'the signature is empty (the token is unsigned as it stands)' : `the signature is not the length ${safeText(result.alg ?? 'HMAC')} makes`}`);
    else lines.push(`  ${paint.dim('secret')}   not found (${count(s.tried)} ${s.tried === 1 ? 'key' : 'keys'} tried${skipped})`);
  }
  for (const f of result.findings) lines.push(findingLine(f, paint));
  return `${lines.join('\n')}\n`;
}

function findingLine(f: Finding, paint: Paint): string {
  const style = f.severity === 'critical' || f.severity === 'high' ? paint.bad : f.severity === 'medium' ? paint.warn : paint.dim;
  return `${style(`${MARK[f.severity]} ${f.severity.padEnd(8)}`)} ${safeText(f.message)}\n  ${' '.repeat(9)}${paint.dim('fix:')} ${safeText(f.fix)}  ${paint.dim(`[${f.code}]`)}`;
}

/** The progress line of a search, redrawn in place on a terminal at most 5 times a second. */
export function progressLine(stream: NodeJS.WritableStream, paint: Paint): { update: (p: Progress) => void; done: () => void } {
  let last = 0;
  let shown = false;
  return {
    update: (p) => {
      const t = Date.now();
      if (t - last < 200) return;
      last = t;
      const rate = p.elapsedMs > 0 ? (p.tried / p.elapsedMs) * 1000 : 0;
      const eta = p.fraction !== undefined && p.fraction > 0 ? ` · ${p.fraction < 1 ? `ETA ${Math.ceil(((1 - p.fraction) / p.fraction) * (p.elapsedMs / 1000))}s` : 'done'} (${Math.floor(p.fraction * 100)}%)` : '';
      stream.write(`\r\x1b[K${paint.dim(`audit: ${count(p.tried)} keys tried · ${count(Math.round(rate / 1000))}k/s${eta}`)}`);
      shown = true;
    },
    done: () => {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
