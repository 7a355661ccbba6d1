// Copy-or-print, for every command with --copy: the clipboard when one can be reached, else
// stdout with one line on stderr saying why.
import { copyToClipboard } from '../clipboard.js';
import { renderWarningLine, type Paint } from '../render.js';
import type { Io } from '../output.js';

export interface CopyRequest {
  /** what goes on the clipboard */
  text: string;
  /** "the secret", "the token": for the fallback's warning */
  what: string;
  /** stdout when it cannot be copied */
  printed: string;
  /** stdout when it was copied (the --json record, or nothing) */
  copiedJson: string;
  /** stderr when it was copied */
  copiedNote: string;
}

export async function copyOrPrint(ctx: Io, errPaint: Paint, request: CopyRequest): Promise<boolean> {
  const outcome = await copyToClipboard(request.text);
  if (outcome.copied) {
    await ctx.out.write(request.copiedJson);
    await ctx.err.write(`${request.copiedNote}\n`);
    return true;
  }
  await ctx.err.write(renderWarningLine(`could not copy to the clipboard: ${outcome.reason}. Printing ${request.what} instead.`, errPaint));
  await ctx.out.write(request.printed);
  return false;
}
