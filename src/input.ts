// Where bytes come from: argv, stdin (streamed line by line, memory flat however long the input),
// environment variables and files.
import { fstatSync, readFileSync } from 'node:fs';
import { JwtkitError, fileErrorReason } from './errors.js';
import { MAX_TOKEN_LENGTH, cleanTokenText, findTokens } from './token.js';

export interface InputStream extends AsyncIterable<string | Buffer> {
  isTTY?: boolean | undefined;
  setEncoding?(encoding: BufferEncoding): unknown;
}

/** A line too long to be a token: its length, without keeping it in memory. */
export interface OverlongLine {
  overlong: number;
}

/**
 * Splits a stream into lines (LF or CRLF), never holding more than `maxLength` of one line. Yields
 * the lines of each chunk as one array: per-line promises would cost more than the work on a line.
 */
export async function* streamLineBatches(stream: InputStream, maxLength = MAX_TOKEN_LENGTH): AsyncGenerator<(string | OverlongLine)[]> {
  stream.setEncoding?.('utf8');
  let pending = '';
  let skipped = -1; // ≥ 0 while discarding the rest of an overlong line: characters seen so far
  for await (const chunk of stream) {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    const batch: (string | OverlongLine)[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      if (skipped >= 0) {
        batch.push({ overlong: skipped + nl - start });
        skipped = -1;
      } else {
        const line = pending === '' ? text.slice(start, nl) : pending + text.slice(start, nl);
        pending = '';
        batch.push(line.endsWith('\r') ? line.slice(0, -1) : line);
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
    if (batch.length > 0) yield batch;
  }
  if (skipped >= 0) yield [{ overlong: skipped }];
  else if (pending !== '') yield [pending.endsWith('\r') ? pending.slice(0, -1) : pending];
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
 * The tokens to process, in order, in batches (one per chunk of input): from the argument, or
 * from stdin when it is "-" or not a terminal. One token per non-empty line, or with `scan`
 * every token found anywhere.
 */
export async function* readTokenBatches(source: TokenSource): AsyncGenerator<TokenItem[]> {
  const { arg, scan } = source;
  let index = 0;
  if (arg !== undefined && arg !== '-') {
    const texts = scan ? findTokens(arg) : [cleanTokenText(arg)];
    if (texts.length === 0) throw new JwtkitError('no_token', 'no JWT found in the argument');
    yield texts.map((text) => ({ index: index++, text }));
    return;
  }
  const stdin = source.stdin();
  if (arg === undefined && stdin.isTTY) {
    throw new JwtkitError('usage', 'no token given', 'pass it as an argument, or pipe it in: pbpaste | jwtkit decode');
  }
  for await (const lines of streamLineBatches(stdin)) {
    const batch: TokenItem[] = [];
    for (const line of lines) {
      if (typeof line !== 'string') {
        batch.push({
          index: index++,
          error: new JwtkitError('malformed', `a line of ${line.overlong} characters is too long to be a token (the limit is ${MAX_TOKEN_LENGTH})`),
        });
      } else if (scan) {
        for (const text of findTokens(line)) batch.push({ index: index++, text });
      } else {
        const text = cleanTokenText(line);
        if (text !== '') batch.push({ index: index++, text });
      }
    }
    if (batch.length > 0) yield batch;
  }
  if (index === 0) {
    throw new JwtkitError(
      'no_token',
      scan ? 'no JWT found in the input' : 'no token in the input',
      scan ? undefined : 'pipe one token per line, or use --scan to find tokens in logs',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Secrets and key files

export interface SecretText {
  /** "JWT_SECRET", "secret.txt" or "--secret": never the value */
  label: string;
  text: string;
}

export interface SecretOptions {
  secretEnv?: string[] | undefined;
  secretFile?: string | undefined;
  secret?: string | undefined;
  /** how the argv secret is named in warnings: "--secret", or "a secret argument" for check */
  secretArgName?: string | undefined;
  /** false where the caller reports whitespace itself (check judges it as a finding) */
  warnWhitespace?: boolean | undefined;
}

/** Secrets as given, with the warnings a user should see (argv exposure, stray whitespace). */
export function readSecrets(options: SecretOptions, env: NodeJS.ProcessEnv): { secrets: SecretText[]; warnings: string[] } {
  const secrets: SecretText[] = [];
  const warnings: string[] = [];
  for (const name of options.secretEnv ?? []) {
    const value = env[name];
    if (value === undefined || value === '') {
      throw new JwtkitError('no_secret', `${name} is not set`, `export ${name}=…, or pass --secret-file PATH`);
    }
    secrets.push({ label: name, text: value });
  }
  if (options.secretFile !== undefined) {
    const path = options.secretFile;
    let text = readTextFile(path, 'secret file');
    // One trailing newline is how editors and `echo` end a file; anything else is part of the key.
    text = text.replace(/\r?\n$/, '');
    if (text === '') throw new JwtkitError('no_secret', `${path} is empty`, 'write the secret into it, e.g. jwtkit gen > secret.txt');
    if (options.warnWhitespace !== false && /^\s|\s$/.test(text)) {
      warnings.push(`${path} has whitespace around the secret; it is part of the HMAC key as stored (jwtkit check explains)`);
    }
    secrets.push({ label: path, text });
  }
  if (options.secret !== undefined) {
    if (options.secret === '') throw new JwtkitError('no_secret', '--secret is empty');
    warnings.push(
      `${options.secretArgName ?? '--secret'} puts the secret in your shell history and the process list; prefer --secret-env NAME or --secret-file PATH`,
    );
    secrets.push({ label: '--secret', text: options.secret });
  }
  return { secrets, warnings };
}

/**
 * The one secret `check` judges: from the argument, --secret-env or --secret-file (one of them),
 * else from stdin when it is not a terminal. Whitespace around it is left for check to report.
 */
export async function readOneSecret(
  options: { secretEnv?: string | undefined; secretFile?: string | undefined; secret?: string | undefined; secretArgName: string },
  env: NodeJS.ProcessEnv,
  stdin: InputStream,
): Promise<{ secret: SecretText; warnings: string[] }> {
  const given = [options.secret, options.secretEnv, options.secretFile].filter((v) => v !== undefined).length;
  if (given > 1) throw new JwtkitError('usage', 'give one secret: an argument, --secret-env or --secret-file');
  if (given === 1) {
    const { secrets, warnings } = readSecrets(
      { ...options, secretEnv: options.secretEnv === undefined ? undefined : [options.secretEnv], warnWhitespace: false },
      env,
    );
    const secret = secrets[0]!;
    return { secret: secret.label === '--secret' ? { ...secret, label: 'the argument' } : secret, warnings };
  }
  if (stdin.isTTY) throw new JwtkitError('usage', 'no secret given', 'use --secret-env JWT_SECRET, --secret-file PATH, or pipe it in');
  const text = await readStdinText(stdin);
  if (text === '') throw new JwtkitError('usage', 'stdin is empty: no secret to check', 'pipe it in, or use --secret-env NAME');
  return { secret: { label: 'stdin', text }, warnings: [] };
}

/** A whole text file, with one clear error for each way it can fail. */
export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new JwtkitError('unreadable', `cannot read ${what} ${path}: ${fileErrorReason(err)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Remote JSON (JWKS, OpenID Connect discovery)

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

export const DEFAULT_FETCH_LIMITS: Readonly<FetchLimits> = Object.freeze({ timeoutMs: 5000, maxBytes: 1 << 20 });

/** GET a JSON document with a timeout and a size limit; every failure is one clear InputError. */
export async function fetchJson(url: string, what: string, limits: FetchLimits = DEFAULT_FETCH_LIMITS): Promise<unknown> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new JwtkitError('fetch_failed', `${what} URL "${url}" is not a valid URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new JwtkitError('fetch_failed', `${what} URL must be http(s), not ${parsed.protocol}`);
  }
  const fail = (why: string, hint?: string) => new JwtkitError('fetch_failed', `cannot fetch ${what} from ${url}: ${why}`, hint);
  let response: Response;
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    response = await fetch(parsed, { signal, redirect: 'follow', headers: { accept: 'application/json' } });
  } catch (err) {
    throw fail(describeFetchError(err, limits.timeoutMs));
  }
  if (!response.ok) {
    throw fail(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > limits.maxBytes) throw fail(`the response is ${declared} bytes, more than the ${limits.maxBytes} allowed`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > limits.maxBytes) throw fail(`the response is larger than the ${limits.maxBytes} bytes allowed`);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof JwtkitError) throw err;
    throw fail(describeFetchError(err, limits.timeoutMs));
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw fail('the response is not JSON', `open ${url} in a browser to see what the server sends`);
  }
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs / 1000}s`;
  const code = e?.cause?.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve (DNS)';
  if (code === 'ECONNREFUSED') return 'the connection was refused';
  if (code === 'ECONNRESET') return 'the connection was reset';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return `no connection within ${timeoutMs / 1000}s`;
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(code)) {
    return `TLS failed (${code.toLowerCase().replace(/_/g, ' ')})`;
  }
  return e?.cause?.message ?? 'the request failed';
}

/** `jwtkit sign < somefolder`: Node reads a folder as empty input; say what it is instead. */
function assertNotFolder(stdin: InputStream): void {
  const fd = (stdin as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return;
  let folder = false;
  try {
    folder = fstatSync(fd).isDirectory();
  } catch {
    return;
  }
  if (folder) throw new JwtkitError('unreadable', 'cannot read stdin: it is a folder', 'redirect a file into it, or pipe the input in');
}

/** All of stdin as text (a secret piped in), at most `maxBytes`; one trailing newline dropped. */
export async function readStdinText(stdin: InputStream, maxBytes = 1 << 20): Promise<string> {
  assertNotFolder(stdin);
  let text = '';
  stdin.setEncoding?.('utf8');
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (text.length > maxBytes) throw new JwtkitError('too_long', `stdin holds more than ${maxBytes} bytes; a secret is a single line`);
  }
  return text.replace(/\r?\n$/, '');
}
