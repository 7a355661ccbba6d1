// Verifying a batch of tokens (one chunk of input) into output text.
import { duplicateWarnings } from './commands/decode.js';
import { malformedResult, type VerifyResult } from './commands/verify.js';
import { EXIT, worseExit, type ExitCode } from './errors.js';
import type { TokenItem } from './input.js';
import { renderErrorLine, renderVerdictLine, renderVerifyJson, renderWarningLine, type Paint } from './render.js';

export interface BatchFormat {
  json: boolean;
  paint: Paint;
  errPaint: Paint;
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
  for (const item of items) {
    const r = 'error' in item ? malformedResult(item.error.message) : verify(item.text);
    exit = worseExit(exit, exitFor(r));
    const where = `token ${item.index + 1}: `;
    if (r.reason === 'malformed') stderr += renderErrorLine(`${where}${r.message}`, undefined, format.errPaint);
    else if (r.token?.duplicates || r.source?.duplicates) stderr += verifyWarnings(r, where, format.errPaint);
    if (format.json) stdout += renderVerifyJson(r);
    else if (r.reason !== 'malformed') stdout += `${where}${renderVerdictLine(r, format.paint)}\n`;
  }
  return { stdout, stderr, exit };
}

/** What verify says beside its verdict: repeated member names (RFC 7515 §5.2), on stderr. */
export function verifyWarnings(r: VerifyResult, where: string, errPaint: Paint): string {
  if (!r.token) return '';
  // a JSON serialization's own repeated members (a second "payload") come first
  const own = r.source?.duplicates ? duplicateWarnings({ duplicates: r.source.duplicates, header: {}, payload: r.payload }) : [];
  return [...own, ...duplicateWarnings(r.token)].map((w) => renderWarningLine(`${where}${w.message}`, errPaint)).join('');
}
