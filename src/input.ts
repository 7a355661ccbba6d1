// Where bytes come from: argv, stdin (streamed line by line, memory flat however long the input),
// environment variables and files.
import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { JwtkitError, fileErrorReason } from './errors.js';
import { safeText } from './safe-text.js';
import { NOT_SECRET_VARIABLE, SECRET_VARIABLE, couldBeSecret, lengthOnly, shown } from './shown.js';
import { MAX_TOKEN_LENGTH, cleanTokenText, findTokens } from './token.js';

export interface InputStream extends AsyncIterable<string | Buffer> {
  isTTY?: boolean | undefined;
  setEncoding?(encoding: BufferEncoding): unknown;
}

/** A line too long to be a token: its length, without keeping it in memory. */
export interface OverlongLine {
  overlong: number;
}

/** One overlong line is skipped and reported; a line 64 times the limit ends the input (exit 2). */
export const ENDLESS_LINE_FACTOR = 64;

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
      // An endless line (/dev/zero, a binary file) would be read until killed: past this much of
      // one line, the input is not tokens, and jwtkit stops reading it.
      if (skipped > maxLength * ENDLESS_LINE_FACTOR) {
        throw new JwtkitError('too_long', `the input has a line of more than ${maxLength * ENDLESS_LINE_FACTOR} characters: it is not tokens, one per line`, 'is it a binary file?');
      }
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

/** One input to decode or verify: `index` counts from 0 in input order; `line` (from 1) is the stdin line it came from. */
export type TokenItem = { index: number; text: string; line?: number } | { index: number; error: JwtkitError; line?: number };

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
    throw new JwtkitError('usage', 'no token given', 'pass it as an argument, pipe it in, or read the clipboard with --paste');
  }
  // A JSON document printed over several lines (`jq .`, `jose jws sig`, json.dumps(indent=2)): a
  // line that is only "{" opens it and a line that is only "}" closes it; it is one token.
  let doc: { index: number; text: string; tooLong: boolean; line: number } | undefined;
  let lineNo = 0;
  for await (const lines of streamLineBatches(stdin)) {
    const batch: TokenItem[] = [];
    for (const line of lines) {
      lineNo++;
      if (doc) {
        const part = typeof line === 'string' ? line : '';
        if (typeof line !== 'string' || doc.text.length + part.length + 1 > MAX_TOKEN_LENGTH) doc.tooLong = true;
        else doc.text += `\n${part}`;
        if (part.trimEnd() === '}') {
          batch.push(doc.tooLong ? { index: doc.index, error: new JwtkitError('malformed', `a JSON object on stdin longer than the ${MAX_TOKEN_LENGTH} characters jwtkit reads`), line: doc.line } : { index: doc.index, text: doc.text, line: doc.line });
          doc = undefined;
        }
      } else if (typeof line !== 'string') {
        batch.push({
          index: index++,
          error: new JwtkitError('malformed', `a line of ${line.overlong} characters is too long to be a token (the limit is ${MAX_TOKEN_LENGTH})`),
          line: lineNo,
        });
      } else if (scan) {
        for (const text of findTokens(line)) batch.push({ index: index++, text, line: lineNo });
      } else {
        const text = cleanTokenText(line);
        if (text === '{') doc = { index: index++, text, tooLong: false, line: lineNo };
        else if (text !== '') batch.push({ index: index++, text, line: lineNo });
      }
    }
    if (batch.length > 0) yield batch;
  }
  if (doc) yield [{ index: doc.index, error: new JwtkitError('malformed', 'a JSON object on stdin opens with a line "{" and is never closed by a line "}"'), line: doc.line }];
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
    if (value === undefined || value === '') throw unsetVariable(name, env);
    secrets.push({ label: name, text: value });
  }
  if (options.secretFile !== undefined) {
    const path = options.secretFile;
    const bytes = readBytesFile(path, 'secret file', { env });
    // A binary key file would be read as text with every invalid byte replaced: a different key.
    if (!isUtf8(bytes)) {
      throw new JwtkitError(
        'bad_secret',
        `${shown(path, 'path', env)} is not text (not valid UTF-8): a raw binary key`,
        `store it as base64 (base64 -w0 ${path.length <= 64 && /^[\w./-]+$/.test(path) ? path : 'FILE'}) and add --secret-encoding base64`,
      );
    }
    let text = bytes.toString('utf8');
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

export interface PassphraseOptions {
  passphraseEnv?: string | undefined;
  passphraseFile?: string | undefined;
}

/**
 * The passphrase of an encrypted PEM private key, from an environment variable or a file (one
 * trailing newline dropped), never from argv. Undefined when neither is given.
 */
export function readPassphrase(options: PassphraseOptions, env: NodeJS.ProcessEnv): string | undefined {
  const { passphraseEnv, passphraseFile } = options;
  if (passphraseEnv !== undefined && passphraseFile !== undefined) {
    throw new JwtkitError('usage', '--passphrase-env and --passphrase-file both give the passphrase', 'keep one of them');
  }
  if (passphraseEnv !== undefined) {
    const value = env[passphraseEnv];
    if (value === undefined || value === '') {
      if (couldBeSecret(passphraseEnv, 'name', env)) {
        throw new JwtkitError('no_secret', `--passphrase-env names no variable that is set: what was given (${lengthOnly(passphraseEnv)}) looks like a passphrase, not a variable name`, 'pass the name of the variable that holds it: --passphrase-env KEY_PASSPHRASE');
      }
      throw new JwtkitError('no_secret', `${passphraseEnv} is not set`, `export ${passphraseEnv}=…, or pass --passphrase-file PATH`);
    }
    return value;
  }
  if (passphraseFile !== undefined) {
    const text = readTextFile(passphraseFile, 'passphrase file').replace(/\r?\n$/, '');
    if (text === '') throw new JwtkitError('no_secret', `${passphraseFile} is empty`, 'write the passphrase into it');
    return text;
  }
  return undefined;
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
  const text = await readStdinText(stdin, 'the secret');
  if (text === '') throw new JwtkitError('usage', 'stdin is empty: no secret to check', 'pipe it in, or use --secret-env NAME');
  return { secret: { label: 'stdin', text }, warnings: [] };
}

/**
 * `--secret-env NAME` names no variable that is set. The name is shown only when it looks like one:
 * `--secret-env "$JWT_SECRET"` passes the secret itself, which must never be echoed.
 */
function unsetVariable(name: string, env: NodeJS.ProcessEnv): JwtkitError {
  const holder = variableHolding(name, env);
  if (holder !== undefined) {
    return new JwtkitError(
      'no_secret',
      `--secret-env takes a variable's name, and was given the value of ${holder} (${lengthOnly(name)})`,
      `pass its name: --secret-env ${holder}`,
    );
  }
  if (couldBeSecret(name, 'name', env)) {
    return new JwtkitError(
      'no_secret',
      `--secret-env names no variable that is set: what was given (${lengthOnly(name)}) looks like a secret value, not a variable name`,
      'pass the name of the variable that holds the secret: --secret-env JWT_SECRET',
    );
  }
  return new JwtkitError('no_secret', `${name} is not set`, `export ${name}=…, or pass --secret-file PATH`);
}

/** The name of an environment variable whose value is `text`: a secret-looking name first. */
function variableHolding(text: string, env: NodeJS.ProcessEnv): string | undefined {
  let any: string | undefined;
  for (const [name, value] of Object.entries(env)) {
    if (value !== text || value === '') continue;
    if (SECRET_VARIABLE.test(name) && !NOT_SECRET_VARIABLE.test(name)) return name;
    any ??= name;
  }
  return any;
}


/** A --wordlist file (check's or audit's) that cannot be read; `gzip`: its .gz data is not gzip. */
export function wordlistError(path: string, err: unknown, env: NodeJS.ProcessEnv, gzip = false): JwtkitError {
  // zlib's messages are its own fixed words ("incorrect header check", "unexpected end of file").
  const zlib = (err as { code?: unknown }).code;
  const reason = typeof zlib === 'string' && zlib.startsWith('Z_') && err instanceof Error ? safeText(err.message) : fileErrorReason(err);
  const why = gzip ? `not gzip data (${reason})` : reason;
  return new JwtkitError('unreadable', `cannot read --wordlist ${shown(path, 'path', env)}: ${why}`);
}

/** Key, secret and JWKS files: a key is a few kilobytes, a large JWKS a few hundred. */
export const MAX_KEY_FILE_BYTES = 1 << 20;

/**
 * A whole text file, at most `maxBytes` (read piece by piece from the descriptor, so /dev/zero, a
 * FIFO or /dev/stdin work and never fill memory), with one clear error for each way it can fail.
 * The path is shown unless it looks like a secret value given by mistake.
 */
export function readTextFile(path: string, what: string, options: { maxBytes?: number; env?: NodeJS.ProcessEnv } = {}): string {
  return readBytesFile(path, what, options).toString('utf8');
}

/** A detached payload (verify --payload-file) is read up to this size. */
export const MAX_PAYLOAD_FILE_BYTES = 16 << 20;

/** A whole file's bytes, exactly, bounded as readTextFile's text is. */
export function readBytesFile(path: string, what: string, options: { maxBytes?: number; env?: NodeJS.ProcessEnv } = {}): Buffer {
  const maxBytes = options.maxBytes ?? MAX_KEY_FILE_BYTES;
  const env = options.env ?? {};
  const fail = (err: unknown) => {
    const why = fileErrorReason(err);
    if (couldBeSecret(path, 'path', env)) {
      return new JwtkitError(
        'unreadable',
        `cannot read the ${what}: ${why}; what was given as its path (${lengthOnly(path)}) looks like a secret value, not a path`,
        "give the file's path; a secret itself goes in an environment variable (--secret-env NAME)",
      );
    }
    return new JwtkitError('unreadable', `cannot read ${what} ${shown(path, 'path', env)}: ${why}`);
  };
  let fd: number;
  let own = true;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    // Linux cannot reopen a socket through /dev/stdin (ENXIO), and a parent process may give
    // stdin as a socket: read the descriptor itself.
    if ((err as NodeJS.ErrnoException).code !== 'ENXIO' || !STDIN_PATHS.has(path)) throw fail(err);
    fd = 0;
    own = false;
  }
  try {
    const chunks: Buffer[] = [];
    const buffer = Buffer.allocUnsafe(64 * 1024);
    let size = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buffer, 0, buffer.length, null);
      } catch (err) {
        // A non-blocking descriptor (a terminal or pipe some parent left so): wait and read again.
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
          continue;
        }
        throw fail(err);
      }
      if (n === 0) break;
      size += n;
      if (size > maxBytes) {
        throw new JwtkitError(
          'too_long',
          `${what} ${shown(path, 'path', env)} is larger than ${formatSize(maxBytes)}`,
          maxBytes === MAX_PAYLOAD_FILE_BYTES ? undefined : `a ${what.replace(/ file$/, '')} is a few kilobytes: is it the right file?`,
        );
      }
      chunks.push(Buffer.from(buffer.subarray(0, n)));
    }
    return Buffer.concat(chunks, size);
  } finally {
    if (own) closeSync(fd);
  }
}

const STDIN_PATHS = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

function formatSize(bytes: number): string {
  return bytes % (1 << 20) === 0 ? `${bytes / (1 << 20)} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

// ---------------------------------------------------------------------------------------------
// Remote JSON (JWKS, OpenID Connect discovery)

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

export const DEFAULT_FETCH_LIMITS: Readonly<FetchLimits> = Object.freeze({ timeoutMs: 5000, maxBytes: 1 << 20 });

/** At most this many redirects are followed, each checked as the first URL is. */
export const MAX_REDIRECTS = 5;

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost: the hosts plain http may reach. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost') return true;
  if (/^127(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(host)) return true;
  if (host === '::1' || /^(?:0{1,4}:){7}0{0,3}1$/.test(host)) return true;
  return /^::ffff:(?:7f[0-9a-f]{2}:[0-9a-f]{1,4}|127(?:\.\d{1,3}){3})$/.test(host);
}

/** A URL as shown in messages and key labels: any user name or password becomes `***`. */
export function displayUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(a URL that does not parse)';
  }
  if (parsed.username === '' && parsed.password === '') return parsed.href;
  parsed.username = '';
  parsed.password = '';
  return parsed.href.replace('//', '//***@');
}

export interface FetchedJson {
  json: unknown;
  /** where the document really came from, after redirects, as displayUrl shows it */
  url: string;
  /** whether every hop was https */
  secure: boolean;
}

/**
 * GET a JSON document with a timeout and a size limit; every failure is one clear JwtkitError.
 * Plain http only to loopback; redirects followed by hand (at most MAX_REDIRECTS), never from
 * https to http; a user and password in the URL are sent as Basic auth to that origin only, and
 * never shown.
 */
export async function fetchJson(url: string, what: string, limits: FetchLimits = DEFAULT_FETCH_LIMITS, options: { httpsOnly?: boolean } = {}): Promise<FetchedJson> {
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new JwtkitError('fetch_failed', `the URL of ${what} is not a valid URL (${url.length} characters)`);
  }
  if (current.protocol !== 'https:' && current.protocol !== 'http:') {
    throw new JwtkitError('fetch_failed', `${what} URL must be http(s), not ${current.protocol}`);
  }
  const shown = displayUrl(current);
  let authorization: string | undefined;
  if (current.username !== '' || current.password !== '') {
    const user = decodeURIComponent(current.username);
    const password = decodeURIComponent(current.password);
    authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    current.username = '';
    current.password = '';
  }
  const origin = current.origin;
  const fail = (why: string, hint?: string) => new JwtkitError('fetch_failed', `cannot fetch ${what} from ${shown}: ${why}`, hint);
  const plainHttp = (target: URL) =>
    new JwtkitError(
      'fetch_failed',
      `refusing plain http for ${what} at ${displayUrl(target)}: keys fetched without TLS can be swapped by anyone on the way`,
      'use https://; plain http is allowed only to loopback (127.0.0.1, ::1, localhost)',
    );
  if (current.protocol === 'http:' && options.httpsOnly) {
    throw new JwtkitError('fetch_failed', `${what} at ${displayUrl(current)} is plain http, named by a document fetched over https: refused`, 'the server must publish an https:// jwks_uri');
  }
  if (current.protocol === 'http:' && !isLoopbackHost(current.hostname)) throw plainHttp(current);

  const signal = AbortSignal.timeout(limits.timeoutMs);
  let secure = current.protocol === 'https:';
  let response: Response;
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (authorization !== undefined && current.origin === origin) headers.authorization = authorization;
    try {
      response = await fetch(current, { signal, redirect: 'manual', headers });
    } catch (err) {
      throw fail(describeFetchError(err, limits.timeoutMs));
    }
    if (![301, 302, 303, 307, 308].includes(response.status)) break;
    await response.body?.cancel().catch(() => {});
    if (hop >= MAX_REDIRECTS) throw fail(`more than ${MAX_REDIRECTS} redirects`);
    const location = response.headers.get('location');
    let next: URL;
    try {
      if (location === null) throw new Error('no location');
      next = new URL(location, current);
    } catch {
      throw fail(`HTTP ${response.status}, a redirect without a valid Location`);
    }
    next.username = '';
    next.password = '';
    if (next.protocol !== 'https:' && next.protocol !== 'http:') throw fail(`it redirects to a ${next.protocol} URL: refused`);
    if (next.protocol === 'http:') {
      if (current.protocol === 'https:' || options.httpsOnly) {
        throw fail(`it redirects from https to http (${displayUrl(next)}): refused`, 'keys must come over https all the way');
      }
      if (!isLoopbackHost(next.hostname)) {
        throw fail(`it redirects to plain http on ${next.host}: refused`, 'plain http is allowed only to loopback (127.0.0.1, ::1, localhost)');
      }
    }
    secure &&= next.protocol === 'https:';
    current = next;
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
  const finalUrl = displayUrl(current);
  try {
    return { json: JSON.parse(Buffer.concat(chunks).toString('utf8')), url: finalUrl, secure };
  } catch {
    throw fail('the response is not JSON', `open ${finalUrl} in a browser to see what the server sends`);
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
export async function readStdinText(stdin: InputStream, what: string, maxBytes = 1 << 20): Promise<string> {
  assertNotFolder(stdin);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    size += bytes.length;
    if (size > maxBytes) throw new JwtkitError('too_long', `stdin holds more than ${maxBytes} bytes, more than jwtkit reads for ${what}`);
    chunks.push(bytes);
  }
  const all = Buffer.concat(chunks);
  // Invalid bytes would be replaced by U+FFFD: a different secret, key or payload, silently.
  if (!isUtf8(all)) throw new JwtkitError('malformed', `stdin is not text (not valid UTF-8), and jwtkit reads ${what} as text`, 'base64-encode binary data first');
  return all.toString('utf8').replace(/\r?\n$/, '');
}
