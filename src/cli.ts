// The commander program. Each action loads its command lazily, so `jwtkit gen` never parses jose
// or the decoders. This is the only module that writes to stdout/stderr or sets the exit code.
import { once } from 'node:events';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ASYMMETRIC_ALGS, HMAC_ALGS, SECRET_ENCODINGS, isAsymmetricAlg, type HmacAlg } from './crypto.js';
import { commanderMessage } from './cli-messages.js';
import { EXIT, UsageError, isJwtkitError, worseExit, type ExitCode, type JwtkitError as JwtkitErrorType } from './errors.js';

declare const __JWTKIT_VERSION__: string;
const VERSION = typeof __JWTKIT_VERSION__ === 'string' ? __JWTKIT_VERSION__ : '0.0.0-dev';

/** Buffers writes into large chunks (fast for 100k-line outputs) and respects back-pressure. */
class Output {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly stream: NodeJS.WriteStream) {}

  /** Returns a promise only when it had to flush, so hot loops can skip the await. */
  write(text: string): Promise<void> | undefined {
    if (text === '') return undefined;
    this.parts.push(text);
    this.size += text.length;
    return this.size >= 1 << 16 ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const data = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(data)) await once(this.stream, 'drain');
  }
}

interface Io {
  out: Output;
  err: Output;
  json: boolean;
}

function io(): Io {
  return { out: new Output(process.stdout), err: new Output(process.stderr), json: false };
}

function wholeNumber(min: number, max: number) {
  return (value: string): number => {
    const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

const GEN_ALGS = [...HMAC_ALGS, ...ASYMMETRIC_ALGS];

function buildProgram(ctx: Io, setExit: (code: ExitCode) => void): Command {
  const program = new Command('jwtkit');
  program
    .description('Make JWT signing secrets and key pairs; decode, verify, sign and judge JWTs.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void ctx.out.write(s),
      writeErr: (s) => void ctx.err.write(s),
      outputError: () => {},
    });

  program
    .command('gen')
    .description('print a fresh random secret (for HS256/384/512), or a key pair with --alg')
    .addOption(new Option('--bytes <n>', 'random bytes, 32 to 64').default(32).argParser(wholeNumber(32, 64)))
    .addOption(new Option('--encoding <enc>', 'how to write the secret').choices(SECRET_ENCODINGS).default('base64'))
    .addOption(new Option('--count <n>', 'how many secrets').default(1).argParser(wholeNumber(1, 1_000_000)))
    .option('--dotenv [name]', 'print NAME=<secret>, a dotenv line (NAME defaults to JWT_SECRET)')
    .option('--copy', 'put the secret on the clipboard instead of printing it')
    .addOption(new Option('--alg <alg>', 'HS256/384/512 for a secret of the right size; others make a key pair').choices(GEN_ALGS))
    .addOption(new Option('--format <format>', 'key pair format').choices(['pem', 'jwk']).default('pem'))
    .option('--out <prefix>', 'write PREFIX.key.pem (mode 0600) and PREFIX.pub.pem; never overwrites')
    .addOption(new Option('--modulus-length <bits>', 'RSA key size (2048 or more)').argParser(wholeNumber(2048, 16384)))
    .option('--json', 'print JSON: {"secret","bytes","bits","encoding"}, one line per secret')
    .addHelpText(
      'after',
      `
Examples:
  $ jwtkit gen                          # 32 random bytes, base64: paste as JWT_SECRET
  $ jwtkit gen --copy                   # straight to the clipboard, never on screen
  $ jwtkit gen --dotenv >> .env         # JWT_SECRET=… (keep .env out of git)
  $ jwtkit gen --alg ES256 --out keys/jwt   # keys/jwt.key.pem (0600) + keys/jwt.pub.pem`,
    )
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      setExit(await runGen(opts, cmd, ctx));
    });

  program
    .command('decode')
    .description('show what a token says: header, claims, times in words, warnings (no verification)')
    .argument('[token]', 'the token; "-" or nothing reads stdin, one token per line')
    .option('--scan', 'find every JWT anywhere in the input (logs, curl -v output, JSON)')
    .option('--claim <name>', 'print one claim alone (a string raw, anything else as JSON); exit 1 if missing')
    .option('--at <time>', 'judge times as of TIME: ISO 8601, Unix seconds, or -1h / +30m')
    .option('--json', 'print JSON, one object per token (NDJSON)')
    .addHelpText(
      'after',
      `
Examples:
  $ jwtkit decode eyJhbGciOi...              # header, payload, "expired 3h ago"
  $ pbpaste | jwtkit decode                   # "Bearer …" and quotes are fine
  $ jwtkit decode --claim sub "$TOKEN"        # one claim, for scripts
  $ grep -h Authorization access.log | jwtkit decode --scan --json | jq -r .payload.sub`,
    )
    .action(async (token: string | undefined, opts: Record<string, unknown>) => {
      setExit(await runDecode(token, opts, ctx));
    });

  addKeyOptions(
    program
      .command('verify')
      .description("check a token's signature and claims with a secret, a key, a JWKS or an OpenID issuer")
      .argument('[token]', 'the token; "-" or nothing reads stdin, one token per line'),
  )
    .option('--alg <list>', 'allowed algorithms, comma-separated (default: those of the secret or key)', collectList, undefined)
    .option('--iss <issuer>', 'require this issuer')
    .option('--aud <audience>', 'require this audience (repeat for any of several)', collect, undefined)
    .option('--sub <subject>', 'require this subject')
    .option('--leeway <duration>', 'clock skew allowed for exp and nbf', '0s')
    .option('--at <time>', 'check times as of TIME: ISO 8601, Unix seconds, or -1h / +30m')
    .option('--max-age <duration>', 'refuse tokens issued (iat) longer ago than this')
    .option('--require <claims>', 'claims that must be present, comma-separated', collectList, undefined)
    .option('--scan', 'find every JWT anywhere in the input (logs, curl -v output, JSON)')
    .option('--json', 'print JSON, one object per token (NDJSON)')
    .addHelpText(
      'after',
      `
Examples:
  $ jwtkit verify --secret-env JWT_SECRET "$TOKEN"
  $ jwtkit verify --secret-env JWT_SECRET --secret-env JWT_SECRET_OLD "$TOKEN"   # rotation
  $ jwtkit verify --issuer https://accounts.google.com --aud my-client-id "$ID_TOKEN"
  $ jwtkit verify --key keys/jwt.pub.pem --json < tokens.txt | jq -c 'select(.valid | not)'`,
    )
    .action(async (token: string | undefined, opts: Record<string, unknown>) => {
      setExit(await runVerify(token, opts, ctx));
    });

  return program;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

/** Secret and key options, shared by verify and sign. */
function addKeyOptions(cmd: Command): Command {
  return cmd
    .option('--secret-env <name>', 'the secret is in this environment variable (repeat for rotation)', collect, undefined)
    .option('--secret-file <path>', 'the secret is in this file (one trailing newline is dropped)')
    .option('--secret <value>', 'the secret itself (lands in shell history: prefer --secret-env)')
    .addOption(new Option('--secret-encoding <enc>', 'decode the secret first, for apps that do Buffer.from(secret, enc)').choices(SECRET_ENCODINGS))
    .option('--key <file>', 'a PEM key or certificate, a JWK or a JWKS, recognised by content', collect, undefined)
    .option('--jwks <file|url>', 'a JWKS file or URL; the key is chosen by the token\'s kid')
    .option('--issuer <url>', "an OpenID Connect issuer: its discovery document's jwks_uri, and iss must match")
    .option('--timeout <duration>', 'time limit for each remote fetch', '5s');
}

async function runVerify(arg: string | undefined, opts: Record<string, unknown>, ctx: Io): Promise<ExitCode> {
  const [verifyMod, { describeToken }, { loadKeys }, { readTokenBatches }, render, time, { JWS_ALGS }, batchMod] = await Promise.all([
    import('./commands/verify.js'),
    import('./commands/decode.js'),
    import('./keys.js'),
    import('./input.js'),
    import('./render.js'),
    import('./time.js'),
    import('./crypto.js'),
    import('./verify-batch.js'),
  ]);
  type BatchOutput = import('./verify-batch.js').BatchOutput;
  const now = opts.at === undefined ? time.nowSeconds() : time.parseTime('--at', opts.at as string, time.nowSeconds());
  const algs = opts.alg as string[] | undefined;
  for (const alg of algs ?? []) {
    if (alg.toLowerCase() === 'none') throw new UsageError('--alg none is never accepted: an unsigned token proves nothing');
    if (!(JWS_ALGS as readonly string[]).includes(alg)) throw new UsageError(`--alg ${alg} is not a JWS algorithm`, `use some of ${JWS_ALGS.join(', ')}`);
  }
  const leeway = time.requireDuration('--leeway', opts.leeway as string);
  const maxAge = opts.maxAge === undefined ? undefined : time.requireDuration('--max-age', opts.maxAge as string);
  const loaded = await loadKeys(keyOptions(opts, time.requireDuration), process.env);
  const errPaint = await render.painter(render.colorEnabled(process.stderr));
  for (const w of loaded.warnings) await ctx.err.write(render.renderWarningLine(w, errPaint));
  const paint = await render.painter(!ctx.json && render.colorEnabled(process.stdout));
  const options: import('./commands/verify.js').VerifyOptions = {
    keys: loaded.keys,
    algs,
    iss: (opts.iss as string | undefined) ?? loaded.issuer,
    aud: opts.aud as string[] | undefined,
    sub: opts.sub as string | undefined,
    leeway,
    maxAge,
    require: (opts.require as string[] | undefined) ?? [],
    now,
  };
  const verify = verifyMod.createVerifier(options);
  const many = arg === undefined || arg === '-' || opts.scan === true;
  const source = readTokenBatches({ arg, scan: opts.scan === true, stdin: () => process.stdin });
  if (!many) {
    // One token from the argument: the verdict line and the decoded view.
    let exit: ExitCode = EXIT.ok;
    for await (const items of source) {
      for (const item of items) {
        const r = 'error' in item ? verifyMod.malformedResult(item.error.message) : verify(item.text);
        exit = worseExit(exit, batchMod.exitFor(r));
        if (r.reason === 'malformed') await ctx.err.write(render.renderErrorLine(r.message, undefined, errPaint));
        if (ctx.json) await ctx.out.write(verifyMod.verifyJsonLine(r));
        else if (r.token) await ctx.out.write(render.renderDecoded(describeToken(r.token, now), paint, { verifiedLine: render.renderVerdictLine(r, paint) }));
        else if (r.reason !== 'malformed') await ctx.out.write(`${render.renderVerdictLine(r, paint)}\n`);
      }
    }
    return exit;
  }

  // Many tokens: batches alternate between this thread and a worker thread (started once the
  // input proves big), and are written in input order.
  const format = { json: ctx.json, paint, errPaint };
  let exit: ExitCode = EXIT.ok;
  let worker: InstanceType<typeof batchMod.VerifyWorker> | undefined;
  const queue: (BatchOutput | Promise<BatchOutput>)[] = [];
  const writeOut = async (pending: BatchOutput | Promise<BatchOutput>) => {
    const out = await pending;
    exit = worseExit(exit, out.exit);
    if (out.stderr) await ctx.err.write(out.stderr);
    await ctx.out.write(out.stdout);
  };
  let turn = 0;
  try {
    for await (const items of source) {
      if (!worker && items.length >= WORKER_MIN_BATCH) {
        worker = new batchMod.VerifyWorker({ options, json: ctx.json, color: paint !== render.PLAIN, errColor: errPaint !== render.PLAIN });
      }
      const toWorker = worker !== undefined && turn++ % 2 === 0 && items.every((i) => !('error' in i));
      queue.push(toWorker ? worker!.run(items) : batchMod.verifyBatch(verify, items, format));
      while (queue.length > 6) await writeOut(queue.shift()!);
    }
    while (queue.length > 0) await writeOut(queue.shift()!);
  } finally {
    await worker?.close();
  }
  return exit;
}

/** A worker thread costs ~30 ms to start: worth it only when one chunk of input holds this many tokens. */
const WORKER_MIN_BATCH = 64;

function keyOptions(opts: Record<string, unknown>, duration: (option: string, text: string) => number): import('./keys.js').KeyOptions {
  return {
    secretEnv: opts.secretEnv as string[] | undefined,
    secretFile: opts.secretFile as string | undefined,
    secret: opts.secret as string | undefined,
    secretEncoding: opts.secretEncoding as (typeof SECRET_ENCODINGS)[number] | undefined,
    key: opts.key as string[] | undefined,
    jwks: opts.jwks as string | undefined,
    issuer: opts.issuer as string | undefined,
    timeoutMs: duration('--timeout', opts.timeout as string) * 1000,
  };
}

interface TokenLoop {
  /** from stdin or --scan: errors name the token's position */
  many: boolean;
}

async function runDecode(arg: string | undefined, opts: Record<string, unknown>, ctx: Io): Promise<ExitCode> {
  const [{ decodeToken, decodedJsonLine, pickClaim }, { readTokenBatches }, render, time] = await Promise.all([
    import('./commands/decode.js'),
    import('./input.js'),
    import('./render.js'),
    import('./time.js'),
  ]);
  const now = opts.at === undefined ? time.nowSeconds() : time.parseTime('--at', opts.at as string, time.nowSeconds());
  const paint = await render.painter(!ctx.json && render.colorEnabled(process.stdout));
  const errPaint = await render.painter(render.colorEnabled(process.stderr));
  const claim = opts.claim as string | undefined;
  const loop: TokenLoop = { many: arg === undefined || arg === '-' || opts.scan === true };
  let exit: ExitCode = EXIT.ok;
  let decoded = 0;

  for await (const batch of readTokenBatches({ arg, scan: opts.scan === true, stdin: () => process.stdin })) for (const item of batch) {
    let result;
    try {
      if ('error' in item) throw item.error;
      result = decodeToken(item.text, now);
    } catch (err) {
      if (!isJwtkitError(err)) throw err;
      exit = worseExit(exit, err.exitCode);
      await reportTokenError(err, item.index, loop, ctx, render, errPaint);
      continue;
    }
    decoded++;
    if (claim !== undefined) {
      const picked = result.payload ? pickClaim(result.payload, claim) : { found: false as const };
      if (!picked.found) {
        exit = worseExit(exit, EXIT.no);
        const why = result.encrypted ? 'the token is encrypted' : `claim "${claim}" is not in the token`;
        if (ctx.json) await ctx.out.write(render.renderErrorJson('claim_missing', why));
        await ctx.err.write(`jwtkit: ${loop.many ? `token ${item.index + 1}: ` : ''}${why}\n`);
        continue;
      }
      await ctx.out.write(ctx.json ? render.jsonLine({ claim, value: picked.value }) : render.renderClaimValue(picked.value));
      continue;
    }
    if (ctx.json) {
      const pending = ctx.out.write(decodedJsonLine(result));
      if (pending) await pending;
    } else {
      const heading = item.index > 0 ? `\n── token ${item.index + 1} ──` : undefined;
      await ctx.out.write(render.renderDecoded(result, paint, heading ? { heading } : {}));
    }
  }
  if (decoded > 0 && claim === undefined) {
    await ctx.err.write(
      `${errPaint.warn('jwtkit: note:')} the signature was NOT verified; check it with jwtkit verify and the secret or key\n`,
    );
  }
  return exit;
}

async function reportTokenError(
  err: JwtkitErrorType,
  index: number,
  loop: TokenLoop,
  ctx: Io,
  render: typeof import('./render.js'),
  errPaint: import('./render.js').Paint,
): Promise<void> {
  const where = loop.many ? `token ${index + 1}: ` : '';
  if (ctx.json) await ctx.out.write(render.renderErrorJson(err.code, `${where}${err.message}`));
  await ctx.err.write(render.renderErrorLine(`${where}${err.message}`, err.hint, errPaint));
}

async function runGen(opts: Record<string, unknown>, cmd: Command, ctx: Io): Promise<ExitCode> {
  const [{ genSecrets, genKeyPair, HMAC_KEY_BYTES }, render] = await Promise.all([
    import('./commands/gen.js'),
    import('./render.js'),
  ]);
  const errPaint = await render.painter(render.colorEnabled(process.stderr));
  const hints = render.hintsEnabled(process.stdout, process.stderr);
  const alg = opts.alg as string | undefined;
  const given = (name: string) => cmd.getOptionValueSource(name) === 'cli';

  if (alg !== undefined && isAsymmetricAlg(alg)) {
    for (const name of ['copy', 'dotenv', 'count', 'bytes', 'encoding']) {
      if (given(name)) {
        throw new UsageError(
          `--${name} is for secrets, not ${alg} key pairs`,
          name === 'copy' ? 'write the keys with --out PREFIX instead' : `drop --${name}`,
        );
      }
    }
    const result = genKeyPair({
      alg,
      format: opts.format as 'pem' | 'jwk',
      out: opts.out as string | undefined,
      modulusLength: opts.modulusLength as number | undefined,
    });
    await ctx.out.write(render.renderGenKeyPair(result, ctx.json));
    if (result.files || hints) await ctx.err.write(render.genKeyPairNote(result, errPaint));
    return EXIT.ok;
  }
  if (opts.modulusLength !== undefined) throw new UsageError('--modulus-length is for RSA key pairs', 'add --alg RS256 (or PS256…)');
  for (const name of ['out', 'format']) {
    if (given(name)) throw new UsageError(`--${name} is for key pairs`, 'add --alg ES256 (or RS256, EdDSA…)');
  }

  let bytes = opts.bytes as number;
  if (alg !== undefined) {
    const needed = HMAC_KEY_BYTES[alg as HmacAlg];
    if (!given('bytes')) bytes = needed;
    else if (bytes < needed) throw new UsageError(`${alg} needs a key of at least ${needed} bytes (RFC 7518 §3.2)`, `use --bytes ${needed} or more`);
  }
  const dotenv = opts.dotenv === true ? 'JWT_SECRET' : (opts.dotenv as string | undefined);
  const copy = opts.copy === true;
  const count = opts.count as number;
  if (copy && count !== 1) throw new UsageError('--copy holds one secret', 'drop --count, or drop --copy to print them');

  const secrets = genSecrets({ bytes, encoding: opts.encoding as (typeof SECRET_ENCODINGS)[number], count, dotenv });
  if (copy) {
    const result = secrets.next().value!;
    const { copyToClipboard } = await import('./clipboard.js');
    const outcome = await copyToClipboard(result.line);
    if (outcome.copied) {
      await ctx.out.write(render.renderGenSecretCopied(result, ctx.json));
      await ctx.err.write(
        `Copied a ${result.bits}-bit secret to the clipboard. Paste it as ${result.name ?? 'JWT_SECRET'} in your host's secret store; never commit it.\n`,
      );
    } else {
      await ctx.err.write(render.renderWarningLine(`could not copy to the clipboard: ${outcome.reason}. Printing the secret instead.`, errPaint));
      await ctx.out.write(render.renderGenSecret(result, ctx.json));
    }
    return EXIT.ok;
  }
  let last: ReturnType<typeof secrets.next>['value'];
  for (const result of secrets) {
    await ctx.out.write(render.renderGenSecret(result, ctx.json));
    last = result;
  }
  if (hints && last && !ctx.json) await ctx.err.write(render.genSecretHint(last, errPaint));
  return EXIT.ok;
}

function subcommandOf(argv: readonly string[], program: Command): string | undefined {
  const names = new Set(program.commands.map((c) => c.name()));
  return argv.find((a) => names.has(a));
}

async function main(argv: readonly string[]): Promise<void> {
  const ctx = io();
  ctx.json = argv.includes('--json');
  let exit: ExitCode = EXIT.ok;
  const program = buildProgram(ctx, (code) => {
    exit = worseExit(exit, code);
  });

  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // `jwtkit … | head -1`: the reader left; stop quietly, as grep does.
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? exit);
  });

  try {
    if (argv.length === 0) {
      await ctx.out.write(program.helpInformation());
    } else {
      await program.parseAsync(argv, { from: 'user' });
    }
  } catch (err) {
    exit = await report(err, ctx, subcommandOf(argv, program));
  }
  await ctx.out.flush();
  await ctx.err.flush();
  process.exitCode = exit;
}

async function report(err: unknown, ctx: Io, sub: string | undefined): Promise<ExitCode> {
  if (err instanceof CommanderError && err.exitCode === 0) return EXIT.ok; // --help, --version
  const render = await import('./render.js');
  const paint = await render.painter(render.colorEnabled(process.stderr));
  let code: string;
  let message: string;
  let hint: string | undefined;
  let exitCode: ExitCode;
  if (err instanceof CommanderError) {
    code = 'usage';
    message = commanderMessage(err.message);
    hint = `see 'jwtkit${sub ? ` ${sub}` : ''} --help'`;
    exitCode = EXIT.usage;
  } else if (isJwtkitError(err)) {
    code = err.code;
    message = err.message;
    hint = err.hint;
    exitCode = err.exitCode;
  } else {
    code = 'internal';
    const what = err instanceof Error ? err.message : String(err);
    message = `internal error (a bug in jwtkit): ${what}`;
    hint = 'please report it; JWTKIT_DEBUG=1 shows the stack';
    exitCode = EXIT.bug;
  }
  if (ctx.json) await ctx.out.write(render.renderErrorJson(code, hint ? `${message}. ${hint}` : message));
  await ctx.err.write(render.renderErrorLine(message, hint, paint));
  if (exitCode === EXIT.bug && process.env.JWTKIT_DEBUG === '1' && err instanceof Error && err.stack) {
    await ctx.err.write(`${err.stack}\n`);
  }
  return exitCode;
}

void main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`jwtkit: error: internal error (a bug in jwtkit): ${err instanceof Error ? err.message : String(err)}\n`);
  if (process.env.JWTKIT_DEBUG === '1' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exitCode = EXIT.bug;
});
