// The commander program. Each action loads its command's CLI module (src/cli/*.ts, each its own
// file in dist/) only when it runs, so `jwtkit gen` never parses jose, the decoders or zxcvbn.
// Only this module and src/cli/* write output (through Io), and only main() sets the exit code.
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ASYMMETRIC_ALGS, HMAC_ALGS, SECRET_ENCODINGS } from './algs.js';
import { commanderMessage } from './cli-messages.js';
import { EXIT, JwtkitError, isJwtkitError, worseExit, type ExitCode } from './errors.js';
import { io, type Io } from './output.js';
// Named imports, so the bundle keeps only the error renderers (chalk itself loads only for colour).
import { capitalise, colorEnabled, painter, renderErrorJson, renderErrorLine } from './render.js';

declare const __JWTKIT_VERSION__: string;
const VERSION = typeof __JWTKIT_VERSION__ === 'string' ? __JWTKIT_VERSION__ : '0.0.0-dev';

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

  program.addHelpText(
    'after',
    `
Examples:
  $ jwtkit gen --copy                                  # a JWT_SECRET, straight to the clipboard
  $ pbpaste | jwtkit decode                            # what a token says, "expired 3h ago"
  $ jwtkit verify --secret-env JWT_SECRET "$TOKEN"     # is it genuine and valid?
  $ jwtkit check --secret-env JWT_SECRET || exit 1     # a deploy gate on the secret

Exit codes: 0 done/valid/strong, 1 invalid/weak, 2 usage or input error, 70 bug.
Every command takes --json. Docs: jwtkit COMMAND --help`,
  );

  program
    .command('gen')
    .description('print a fresh random secret (for HS256/384/512), or a key pair with --alg')
    .addOption(new Option('--bytes <n>', 'random bytes, 32 to 64').default(32).argParser(wholeNumber(32, 64)))
    .addOption(new Option('--encoding <enc>', 'how to write the secret').choices(SECRET_ENCODINGS).default('base64'))
    .addOption(new Option('--count <n>', 'how many secrets').default(1).argParser(wholeNumber(1, 1_000_000)))
    .option('--dotenv [name]', 'print NAME=<secret>, a dotenv line (NAME defaults to JWT_SECRET)')
    .option('--copy', 'put the secret on the clipboard instead of printing it')
    .addOption(new Option('--alg <alg>', 'HS256/384/512 for a secret of the right size; others make a key pair').choices(GEN_ALGS))
    .addOption(new Option('--format <format>', 'key pair format: pem, jwk (one private JWK), jwks (with --out: private JWK + public JWKS)').choices(['pem', 'jwk', 'jwks']).default('pem'))
    .option('--out <prefix>', 'write PREFIX.key.pem (mode 0600) and PREFIX.pub.pem; PREFIX.key.json and PREFIX.pub.json with --format jwk, PREFIX.key.json and PREFIX.jwks.json with --format jwks; never overwrites')
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
      setExit(await (await import('./cli/gen.js')).runGen(opts, cmd, ctx));
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
      setExit(await (await import('./cli/decode.js')).runDecode(token, opts, ctx));
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
      setExit(await (await import('./cli/verify.js')).runVerify(token, opts, ctx));
    });

  addSecretOptions(
    program
      .command('sign')
      .description('mint a test token: exactly the claims you ask for, 15-minute expiry, never a weak secret')
      .argument('[payload]', 'payload JSON object; "-" or piped stdin reads it; none is {}'),
    'the secret is in this environment variable',
  )
    .option('--key <file>', 'a private key: PEM (PKCS#8, PKCS#1, SEC1) or JWK, recognised by content', collect, undefined)
    .option('--alg <alg>', "the algorithm (default: HS256 for a secret, the key's own for a key)")
    .option('--sub <subject>', 'the subject claim')
    .option('--iss <issuer>', 'the issuer claim')
    .option('--aud <audience>', 'the audience claim (repeat for an array)', collect, undefined)
    .option('--exp <when>', 'expiry: a duration from iat (15m, 1h, 7d) or a time (ISO 8601, Unix seconds)', undefined)
    .option('--no-exp', 'no expiry claim (a token valid forever: only for tests)')
    .option('--nbf <when>', 'not before: a duration from iat or a time')
    .option('--iat <time>', 'issued at (default now)')
    .option('--no-iat', 'no issued-at claim')
    .option('--jti <id>', 'a token id, or "auto" for a random one')
    .option('--kid <kid>', 'a key id in the header (default: the JWK\'s own kid; "thumbprint": the key\'s RFC 7638 thumbprint)')
    .option('--passphrase-env <name>', 'the passphrase of an encrypted PEM --key is in this environment variable')
    .option('--passphrase-file <path>', 'the passphrase of an encrypted PEM --key is in this file')
    .option('--claim <name=value>', 'any claim; the value is JSON when it parses, else a string (repeatable)', collect, undefined)
    .option('--header <name=value>', 'any header parameter but alg and crit (repeatable)', collect, undefined)
    .option('--allow-weak-secret', 'sign even with a secret `jwtkit check` calls weak (a warning instead of an error)')
    .option('--copy', 'put the token on the clipboard instead of printing it')
    .option('--json', 'print {"token","header","payload"}')
    .addHelpText(
      'after',
      `
Examples:
  $ jwtkit sign --secret-env JWT_SECRET --sub user-42 --claim role=admin
  $ jwtkit sign --secret-env JWT_SECRET --exp 10s | jwtkit verify --secret-env JWT_SECRET
  $ jwtkit sign --key keys/jwt.key.pem --aud api --aud web '{"scope":"read"}'
  $ curl -H "Authorization: Bearer $(jwtkit sign --secret-env JWT_SECRET --sub me)" localhost:3000/me`,
    )
    .action(async (payload: string | undefined, opts: Record<string, unknown>) => {
      setExit(await (await import('./cli/sign.js')).runSign(payload, opts, ctx));
    });

  defineKey(program, ctx, setExit);

  program
    .command('completion')
    .description('print a shell completion script for bash, zsh or fish')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      `
Examples:
  $ source <(jwtkit completion bash)                                  # in ~/.bashrc
  $ source <(jwtkit completion zsh)                                   # in ~/.zshrc
  $ jwtkit completion fish > ~/.config/fish/completions/jwtkit.fish`,
    )
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      const { completionScript, FILE_OPTIONS } = await import('./cli/completion.js');
      const specs = program.commands
        .filter((c) => c.name() !== 'help')
        .map((c) => ({
          name: c.name(),
          description: c.description(),
          options: c.options.map((o) => ({
            long: o.long ?? o.flags,
            short: o.short,
            description: o.description,
            takesValue: o.required || o.optional,
            // --alg of verify and sign takes any JWS algorithm (a list for verify): offer them all.
            choices: o.argChoices ?? (o.long === '--alg' ? [...HMAC_ALGS, ...ASYMMETRIC_ALGS] : undefined),
            file: FILE_OPTIONS.has(o.long ?? ''),
          })),
        }));
      await ctx.out.write(completionScript(shell, specs));
    });

  program
    .command('check')
    .description('judge whether a secret is fit to sign tokens: strong only if it looks generated and is long enough')
    .argument('[secret]', 'the secret (lands in shell history: prefer --secret-env or stdin)')
    .option('--secret-env <name>', 'the secret is in this environment variable')
    .option('--secret-file <path>', 'the secret is in this file (one trailing newline is dropped)')
    .addOption(new Option('--secret-encoding <enc>', 'the key is the decoded bytes, for apps that do Buffer.from(secret, enc)').choices(SECRET_ENCODINGS))
    .addOption(new Option('--alg <alg>', 'the algorithm it must be fit for').choices(HMAC_ALGS).default('HS256'))
    .option('--wordlist <file>', 'also refuse secrets listed in FILE, one per line (e.g. wallarm/jwt-secrets)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
A secret is strong only when jwtkit recognises a generator's output (random bytes in hex, base64
or base64url, a random alphanumeric string, UUIDs) carrying the bits the algorithm needs
(RFC 7518 §3.2: 256/384/512), with at least that many key bytes. Entropy belongs to the
generator, not to the string: jwtkit cannot prove a secret random, only recognise generated
output and refute it by finding structure, words or published values. The secret is never printed.

Examples:
  $ jwtkit check --secret-env JWT_SECRET || exit 1        # a deploy gate
  $ printenv JWT_SECRET | jwtkit check --json | jq .verdict
  $ jwtkit check --secret-env JWT_SECRET --wordlist jwt.secrets.list`,
    )
    .action(async (secret: string | undefined, opts: Record<string, unknown>) => {
      setExit(await (await import('./cli/check.js')).runCheck(secret, opts, ctx));
    });

  return program;
}

/** `jwtkit key VERB`: one subcommand per chore. */
function defineKey(program: Command, ctx: Io, setExit: (code: ExitCode) => void): void {
  const key = program
    .command('key')
    .description('the key toolbox: inspect, public half, PEM <-> JWK, thumbprint, the JWKS to publish')
    .usage('inspect|public|convert|thumbprint|jwks [options] [files...]')
    .addHelpText(
      'after',
      `
Examples:
  $ jwtkit key inspect keys/jwt.key.pem                  # type, algorithms, thumbprint
  $ jwtkit key public keys/jwt.key.pem > keys/jwt.pub.pem
  $ jwtkit key convert keys/jwt.pub.pem --to jwk         # kid = RFC 7638 thumbprint
  $ jwtkit key jwks keys/jwt.pub.pem > jwks.json         # publish at /.well-known/jwks.json`,
    );
  // `jwtkit key` alone shows the verbs; an unknown verb is a usage error that names them.
  key.argument('[verb]').action((verb: string | undefined) => {
    if (verb !== undefined) {
      throw new JwtkitError('usage', `unknown key command ${JSON.stringify(verb)}`, 'use one of inspect, public, convert, thumbprint, jwks');
    }
    key.outputHelp();
  });
  const passphrase = (cmd: Command) =>
    cmd
      .option('--passphrase-env <name>', 'the passphrase of an encrypted PEM private key is in this environment variable')
      .option('--passphrase-file <path>', 'the passphrase of an encrypted PEM private key is in this file');
  const run = (verb: 'inspect' | 'public' | 'convert' | 'thumbprint' | 'jwks') => async (files: string | string[] | undefined, opts: Record<string, unknown>) => {
    const list = files === undefined ? [] : Array.isArray(files) ? files : [files];
    setExit(await (await import('./cli/key.js')).runKey(verb, list, opts, ctx));
  };
  const FORMATS = ['pem', 'jwk', 'jwks'];
  passphrase(
    key
      .command('inspect')
      .description('what a key is: type, size, algorithms, RFC 7638 thumbprint, kid; a certificate\'s subject and dates')
      .argument('[files...]', 'PEM, certificate, JWK, JWKS or certificate map; "-" or nothing reads stdin'),
  )
    .option('--at <time>', 'judge certificate dates as of TIME')
    .option('--json', 'print JSON, one object per key')
    .action(run('inspect'));
  passphrase(
    key
      .command('public')
      .description('the public half of a key, in the same format or --format')
      .argument('[file]', 'a private or public key; "-" or nothing reads stdin'),
  )
    .addOption(new Option('--format <format>', 'output format (default: that of the input)').choices(FORMATS))
    .option('--out <file>', 'write FILE instead of printing; never overwrites')
    .option('--json', 'print {"format","private","keys","key"}')
    .action(run('public'));
  passphrase(
    key
      .command('convert')
      .description('PEM <-> JWK, private stays private; JWKs get kid = thumbprint unless they have one')
      .argument('[file]', 'a key; "-" or nothing reads stdin'),
  )
    .addOption(new Option('--to <format>', 'pem (PKCS#8 or SPKI), jwk, or jwks').choices(FORMATS).makeOptionMandatory())
    .addOption(new Option('--alg <alg>', 'set the JWK\'s alg (must fit the key)').choices([...ASYMMETRIC_ALGS, ...HMAC_ALGS]))
    .addOption(new Option('--use <use>', 'set the JWK\'s use').choices(['sig', 'enc']))
    .option('--out <file>', 'write FILE instead of printing (a private key with mode 0600); never overwrites')
    .option('--json', 'print {"format","private","keys","key"}')
    .action(run('convert'));
  passphrase(
    key
      .command('thumbprint')
      .description('the RFC 7638 JWK thumbprint of each key (of its public half)')
      .argument('[files...]', 'keys; "-" or nothing reads stdin'),
  )
    .addOption(new Option('--hash <hash>', 'the hash').choices(['sha256', 'sha384', 'sha512']).default('sha256'))
    .option('--json', 'print {"source","kid","thumbprint","hash","uri"} per key')
    .action(run('thumbprint'));
  key
    .command('jwks')
    .description('a JWKS of public keys from any mix of PEM/JWK/JWKS files: merged, de-duplicated, in order')
    .argument('[files...]', 'keys and key sets; "-" reads stdin')
    .option('--drop <kid>', 'leave out the key with this kid or thumbprint (repeatable): the last step of a rotation', collect, undefined)
    .addOption(new Option('--alg <alg>', 'set alg on every key (must fit each)').choices([...ASYMMETRIC_ALGS, ...HMAC_ALGS]))
    .addOption(new Option('--use <use>', 'use for keys that have none').choices(['sig', 'enc']).default('sig'))
    .option('--private', 'keep private keys and secrets (a set for the signer: never publish it)')
    .option('--out <file>', 'write FILE instead of printing (mode 0600 with --private); never overwrites')
    .option('--json', 'print {"format","private","keys","key"}')
    .addHelpText(
      'after',
      `
Rotation:
  $ jwtkit key jwks keys/jwks.json keys/new.pub.pem > jwks.next.json   # publish both
  $ jwtkit key jwks keys/jwks.json --drop OLD_KID > jwks.next.json     # later: drop the old`,
    )
    .action(run('jwks'));
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

/** Secret options, shared by verify and sign. */
function addSecretOptions(cmd: Command, envHelp: string): Command {
  return cmd
    .option('--secret-env <name>', envHelp, collect, undefined)
    .option('--secret-file <path>', 'the secret is in this file (one trailing newline is dropped)')
    .option('--secret <value>', 'the secret itself (lands in shell history: prefer --secret-env)')
    .addOption(new Option('--secret-encoding <enc>', 'decode the secret first, for apps that do Buffer.from(secret, enc)').choices(SECRET_ENCODINGS));
}

/** Secret and key options of verify. */
function addKeyOptions(cmd: Command): Command {
  return addSecretOptions(cmd, 'the secret is in this environment variable (repeat for rotation)')
    .option('--key <file>', 'a PEM key or certificate, a JWK or a JWKS, recognised by content', collect, undefined)
    .option('--jwks <file|url>', 'a JWKS file or URL; the key is chosen by the token\'s kid')
    .option('--issuer <url>', "an OpenID Connect issuer: its discovery document's jwks_uri, and iss must match")
    .option('--timeout <duration>', 'time limit for each remote fetch', '5s');
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
    // A hook for the test of the bug path (exit 70, stack only with JWTKIT_DEBUG=1).
    if (process.env.JWTKIT_INTERNAL_CRASH === '1') throw new Error('simulated internal error');
    if (argv.length === 0) {
      program.outputHelp();
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
  const paint = await painter(colorEnabled(process.stderr));
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
  if (ctx.json) await ctx.out.write(renderErrorJson(code, hint ? `${message}. ${capitalise(hint)}` : message));
  await ctx.err.write(renderErrorLine(message, hint, paint));
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
