// Verifying tokens into output text: a batch (one chunk of input) at a time, and the one-token
// views. What goes to stdout depends on the mode: the report (a verdict line, or the NDJSON
// record), nothing (--quiet), one claim (--claim) or the payload (--payload).
import { claimMissing, duplicateWarnings, pickClaim } from './commands/decode.js';
import { malformedResult, type VerifyResult } from './commands/verify.js';
import { EXIT, worseExit, type ExitCode } from './errors.js';
import type { TokenItem } from './input.js';
import { payloadBytesJson, renderClaimJson, renderClaimValue, renderErrorJson, renderErrorLine, renderFoundNote, renderVerdictLine, renderVerifyJson, renderWarningLine, type Paint, type Position } from './render.js';
import { safeJson, safeText } from './safe-text.js';
import { compactJson, payloadText } from './json-text.js';

export type VerifyMode = 'report' | 'quiet' | 'claim' | 'payload';

export interface BatchFormat {
  json: boolean;
  paint: Paint;
  errPaint: Paint;
  mode: VerifyMode;
  /** the claim of --claim */
  claim?: string | undefined;
  /** stdout is a terminal: a raw claim is escaped there */
  terminal: boolean;
  /** inputs so far that held a token inside other text (the first is noted on stderr) */
  found: { count: number };
  /** the --json line of a token: renderVerifyJson, or the faster one of a run (createVerifyJsonRenderer) */
  verifyJson?: ((r: VerifyResult, at?: Position) => string) | undefined;
}

export interface BatchOutput {
  stdout: string;
  stderr: string;
  exit: ExitCode;
}

export function exitFor(r: VerifyResult): ExitCode {
  return r.valid ? EXIT.ok : r.reason === 'malformed' ? EXIT.usage : EXIT.no;
}

/** One line per token (verdict, or the NDJSON object), errors on stderr; the worst exit code. */
export function verifyBatch(verify: (text: string) => VerifyResult, items: TokenItem[], format: BatchFormat): BatchOutput {
  let stdout = '';
  let stderr = '';
  let exit: ExitCode = EXIT.ok;
  // --json's report of a valid token that has nothing to say on stderr: verifyOne's line, made
  // without its closures and objects (the common case of a batch)
  const render = format.mode === 'report' && format.json ? (format.verifyJson ?? renderVerifyJson) : undefined;
  for (const item of items) {
    const r = 'error' in item ? malformedResult(item.error.message) : verify(item.text);
    if (render !== undefined && r.valid && r.token !== null && r.token.foundIn === undefined && r.token.duplicates === undefined && r.source === null) {
      stdout += render(r, { index: item.index + 1, line: item.line });
      continue;
    }
    const out = verifyOne(r, item, format, item.index + 1);
    exit = worseExit(exit, out.exit);
    stderr += out.stderr;
    stdout += out.stdout;
  }
  return { stdout, stderr, exit };
}

/**
 * One token's output in `format`; `prefix` ("" for a lone token, or the token's number n, then
 * "token n: ", made only when a line needs it) starts its lines. The report mode's human view is
 * one verdict line (the lone token's full view is verify.ts's).
 */
export function verifyOne(r: VerifyResult, item: Pick<TokenItem, 'index' | 'line'>, format: BatchFormat, prefix: string | number): BatchOutput {
  const where = () => (typeof prefix === 'string' ? prefix : `token ${prefix}: `);
  let exit = exitFor(r);
  let stdout = '';
  let stderr = '';
  if (r.token?.foundIn !== undefined && format.found.count++ === 0) stderr += renderFoundNote(r.token.foundIn, where(), format.errPaint);
  if (r.reason === 'malformed') stderr += renderErrorLine(`${where()}${r.message}`, undefined, format.errPaint);
  else if (r.token?.duplicates || r.source?.duplicates) stderr += verifyWarnings(r, where(), format.errPaint);
  const at = { index: item.index + 1, line: item.line };
  switch (format.mode) {
    case 'quiet':
      break;
    case 'report':
      if (format.json) stdout = (format.verifyJson ?? renderVerifyJson)(r, at);
      else if (r.reason !== 'malformed') stdout = `${where()}${renderVerdictLine(r, format.paint)}\n`;
      break;
    case 'claim':
    case 'payload':
      // Only a verified token's claims are printed; an invalid one says why on stderr.
      if (!r.valid) {
        if (r.reason !== 'malformed') stderr += `jwtkit: ${where()}${renderVerdictLine(r, format.errPaint)}\n`;
      } else if (format.mode === 'payload') {
        stdout = payloadOut(r, format);
      } else {
        const name = format.claim!;
        const picked = r.payload === null ? ({ found: false } as const) : pickClaim(r.payload, name);
        if (!picked.found) {
          exit = worseExit(exit, EXIT.no);
          const why = `${where()}${claimMissing(name, r.payload !== null)}`;
          if (format.json) stdout = renderErrorJson('claim_missing', why, at);
          stderr += renderErrorLine(why, undefined, format.errPaint);
        } else {
          stdout = format.json
            ? renderClaimJson(name, picked.value, at)
            : renderClaimValue(picked.value, format.terminal);
        }
      }
      break;
  }
  return { stdout, stderr, exit };
}

/**
 * --payload: claims as JSON; a payload that is not claims as its text exactly (UTF-8; escaped on a
 * terminal) or, when binary, its base64url; with --json, `{"payload_text":…,"payload_base64url":…}`.
 */
function payloadOut(r: VerifyResult, format: BatchFormat): string {
  if (r.token && r.payload !== null) return `${safeJson(compactJson(r.token.payloadJson, r.payload))}\n`;
  const bytes = r.token?.payloadBytes;
  if (!bytes) return `${safeJson(JSON.stringify(r.payload))}\n`;
  if (format.json) return `{${payloadBytesJson(bytes).slice(1)}}\n`;
  const text = payloadText(bytes);
  if (text === null) return `${bytes.toString('base64url')}\n`;
  return `${format.terminal ? safeText(text) : text}\n`;
}

/** What verify says beside its verdict: repeated member names (RFC 7515 §5.2), on stderr. */
export function verifyWarnings(r: VerifyResult, where: string, errPaint: Paint): string {
  if (!r.token) return '';
  // a JSON serialization's own repeated members (a second "payload") come first
  const own = r.source?.duplicates ? duplicateWarnings({ duplicates: r.source.duplicates, header: {}, payload: r.payload }) : [];
  return [...own, ...duplicateWarnings(r.token)].map((w) => renderWarningLine(`${where}${w.message}`, errPaint)).join('');
}
