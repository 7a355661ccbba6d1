// Copy-or-print, for every command with --copy: the clipboard when one can be reached, else
// stdout with one line on stderr saying why. And --paste: the clipboard as the input.
import { copyToClipboard, readClipboard } from '../clipboard.js';
import { JwtkitError } from '../errors.js';
import type { InputStream } from '../input.js';
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
  const outcome = await copyToClipboard(request.text, ctx.sys.env);
  if (outcome.copied) {
    await ctx.out.write(request.copiedJson);
    await ctx.err.write(`${request.copiedNote}\n`);
    return true;
  }
  await ctx.err.write(renderWarningLine(`could not copy to the clipboard: ${outcome.reason}. Printing ${request.what} instead.`, errPaint));
  await ctx.out.write(request.printed);
  return false;
}

/** The most of the clipboard --paste reads (a token is at most 1 MiB; a few of them, one a line). */
export const MAX_PASTE = 8 << 20;

/**
 * --paste: the clipboard's text as the input, read as stdin would be (one token a line, --scan
 * works). Where no clipboard can be reached it says why, as gen --copy does, and exits 2.
 */
export async function pastedInput(arg: string | undefined, env: NodeJS.ProcessEnv): Promise<InputStream> {
  if (arg !== undefined) throw new JwtkitError('usage', '--paste reads the token from the clipboard; give no token argument with it');
  const outcome = await readClipboard(env);
  if (outcome.text === undefined) {
    throw new JwtkitError('no_token', `could not read the clipboard: ${outcome.reason}`, 'pass the token as an argument, or pipe it in');
  }
  if (outcome.text.length > MAX_PASTE) {
    throw new JwtkitError('too_long', `the clipboard holds ${outcome.text.length} characters, more than the ${MAX_PASTE} --paste reads`);
  }
  if (outcome.text.trim() === '') throw new JwtkitError('no_token', 'the clipboard is empty', 'copy the token first');
  const text = outcome.text;
  return {
    async *[Symbol.asyncIterator]() {
      yield text;
    },
  };
}
