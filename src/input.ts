// Where bytes come from: argv, stdin (streamed line by line, memory flat however long the input),
// environment variables and files.
import { InputError, UsageError, type JwtkitError } from './errors.js';
import { MAX_TOKEN_LENGTH, MalformedTokenError, cleanTokenText, findTokens } from './token.js';

export interface InputStream extends AsyncIterable<string | Buffer> {
  isTTY?: boolean | undefined;
  setEncoding?(encoding: BufferEncoding): unknown;
}

/** A line too long to be a token: its length, without keeping it in memory. */
export interface OverlongLine {
  overlong: number;
}

/** Splits a stream into lines (LF or CRLF), never holding more than `maxLength` of one line. */
export async function* streamLines(stream: InputStream, maxLength = MAX_TOKEN_LENGTH): AsyncGenerator<string | OverlongLine> {
  stream.setEncoding?.('utf8');
  let pending = '';
  let skipped = -1; // ≥ 0 while discarding the rest of an overlong line: characters seen so far
  for await (const chunk of stream) {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      if (skipped >= 0) {
        yield { overlong: skipped + nl - start };
        skipped = -1;
      } else {
        const line = pending === '' ? text.slice(start, nl) : pending + text.slice(start, nl);
        pending = '';
        yield line.endsWith('\r') ? line.slice(0, -1) : line;
      }
      start = nl + 1;
    }
    const rest = text.slice(start);
    if (skipped >= 0) {
      skipped += rest.length;
    } else if (pending.length + rest.length > maxLength) {
      skipped = pending.length + rest.length;
      pending = '';
    } else {
      pending += rest;
    }
  }
  if (skipped >= 0) yield { overlong: skipped };
  else if (pending !== '') yield pending.endsWith('\r') ? pending.slice(0, -1) : pending;
}

export type TokenItem = { index: number; text: string } | { index: number; error: JwtkitError };

export interface TokenSource {
  /** the positional argument: a token, "-" for stdin, or undefined */
  arg?: string | undefined;
  /** find every token in free text instead of one token per line */
  scan: boolean;
  /** a getter, so that a token given as an argument never touches stdin */
  stdin: () => InputStream;
}

/**
 * The tokens to process, in order: from the argument, or from stdin when it is "-" or not a
 * terminal. One token per non-empty line, or with `scan` every token found anywhere.
 */
export async function* readTokens(source: TokenSource): AsyncGenerator<TokenItem> {
  const { arg, scan } = source;
  let index = 0;
  if (arg !== undefined && arg !== '-') {
    const texts = scan ? findTokens(arg) : [cleanTokenText(arg)];
    if (texts.length === 0) throw new InputError('no_token', 'no JWT found in the argument');
    for (const text of texts) yield { index: index++, text };
    return;
  }
  const stdin = source.stdin();
  if (arg === undefined && stdin.isTTY) {
    throw new UsageError('no token given', 'pass it as an argument, or pipe it in: pbpaste | jwtkit decode');
  }
  for await (const line of streamLines(stdin)) {
    if (typeof line !== 'string') {
      yield {
        index: index++,
        error: new MalformedTokenError(`a line of ${line.overlong} characters is too long to be a token (the limit is ${MAX_TOKEN_LENGTH})`),
      };
      continue;
    }
    if (scan) {
      for (const text of findTokens(line)) yield { index: index++, text };
    } else {
      const text = cleanTokenText(line);
      if (text !== '') yield { index: index++, text };
    }
  }
  if (index === 0) {
    throw new InputError(
      'no_token',
      scan ? 'no JWT found in the input' : 'no token in the input',
      scan ? undefined : 'pipe one token per line, or use --scan to find tokens in logs',
    );
  }
}
