// `jwtkit gen`: its definition, and the CLI half that turns the parsed options into output.
import { ASYMMETRIC_ALGS, HMAC, HMAC_ALGS, KEY_FORMATS, RSA_BITS, SECRET_BYTES, SECRET_COUNT, SECRET_ENCODINGS, isHmacAlg } from '../algs.js';
import { EXIT, JwtkitError, type ExitCode } from '../errors.js';
// Named, not `await import('../render.js')`: cli.ts loads render.ts anyway, and named imports let
// the front bundle (scripts/build.mjs) keep only gen's renderers.
import {
  colorEnabled,
  dotenvFileRotationHint,
  genKeyPairNote,
  genSecretHint,
  hintsEnabled,
  painter,
  renderEnvFileResult,
  renderGenKeyPair,
  renderGenSecret,
  renderGenSecretCopied,
  renderWarningLine,
  type Paint,
} from '../render.js';
import { Command, Option, wholeNumber, type CliContext } from './common.js';

function definition() {
  return new Command('gen')
    .description('print a fresh random secret (for HS256/384/512), or a key pair with --alg')
    .addOption(new Option('--bytes <n>', `random bytes, ${SECRET_BYTES.min} to ${SECRET_BYTES.max}`).default(HMAC.HS256.bytes).argParser(wholeNumber(SECRET_BYTES)))
    .addOption(new Option('--encoding <enc>', 'how to write the secret').choices(SECRET_ENCODINGS).default('base64' as const))
    .addOption(new Option('--count <n>', 'how many secrets').default(1).argParser(wholeNumber(SECRET_COUNT)))
    .option('--dotenv [name]', 'print NAME=<secret>, a dotenv line (NAME defaults to JWT_SECRET)')
    .option('--dotenv-file <path>', 'write NAME=<secret> into this dotenv file in place (the old value kept as NAME_PREVIOUS; mode 0600 when new); prints no secret')
    .option('--name <name>', 'the variable --dotenv-file writes (default JWT_SECRET)')
    .option('--force', 'with --dotenv-file: write even a file that git tracks')
    .option('--copy', 'put the secret on the clipboard, not on stdout; with no clipboard (SSH, CI, a container) say why on stderr and print it')
    .addOption(
      new Option('--alg <alg>', 'HS256/384/512 for a secret of the right size; others make a key pair').choices([...HMAC_ALGS, ...ASYMMETRIC_ALGS]),
    )
    .addOption(
      new Option('--format <format>', 'key pair format: pem, jwk (one private JWK), jwks (with --out: private JWK + public JWKS)')
        .choices(KEY_FORMATS)
        .default('pem' as const),
    )
    .option(
      '--out <prefix>',
      'write PREFIX.key.pem (mode 0600) and PREFIX.pub.pem; PREFIX.key.json and PREFIX.pub.json with --format jwk, PREFIX.key.json and PREFIX.jwks.json with --format jwks; never overwrites',
    )
    .addOption(new Option('--modulus-length <bits>', `RSA key size (${RSA_BITS.min} or more)`).argParser(wholeNumber(RSA_BITS)))
    .option('--json', 'print JSON: {"secret","bytes","bits","encoding"}, one line per secret')
    .addHelpText(
      'after',
      `
Examples:
  $ jwtkit gen                          # 32 random bytes, base64: paste as JWT_SECRET
  $ jwtkit gen --copy                   # straight to the clipboard (printed if none can be reached)
  $ jwtkit gen --dotenv-file .env       # JWT_SECRET=… into .env, the old value kept as JWT_SECRET_PREVIOUS
  $ jwtkit gen --alg ES256 --out keys/jwt   # keys/jwt.key.pem (0600) + keys/jwt.pub.pem`,
    );
}

type GenCommand = ReturnType<typeof definition>;
type GenOpts = ReturnType<GenCommand['opts']>;

export function genCommand(ctx: CliContext) {
  return definition().action(async (opts, cmd) => ctx.setExit(await runGen(opts, cmd, ctx)));
}

async function runGen(opts: GenOpts, cmd: GenCommand, ctx: CliContext): Promise<ExitCode> {
  const [{ genKeyPair, genSecrets }, { copyOrPrint }] = await Promise.all([import('../commands/gen.js'), import('./copy.js')]);
  const errPaint = await painter(colorEnabled(process.stderr));
  const hints = hintsEnabled(process.stdout, process.stderr);
  const given = (name: keyof GenOpts) => cmd.getOptionValueSource(name) === 'cli';
  const alg = opts.alg;
  if (alg !== undefined && !isHmacAlg(alg)) {
    for (const name of ['copy', 'dotenvFile', 'dotenv', 'count', 'bytes', 'encoding'] as const) {
      if (given(name)) {
        const flag = name === 'dotenvFile' ? 'dotenv-file' : name;
        throw new JwtkitError(
          'usage',
          `--${flag} is for secrets, not ${alg} key pairs`,
          name === 'copy' || name === 'dotenvFile' ? 'write the keys with --out PREFIX instead (a key pair does not belong in a dotenv file)' : `drop --${name}`,
        );
      }
    }
    if (opts.format === 'jwks' && opts.out === undefined && !ctx.json) {
      throw new JwtkitError('usage', '--format jwks makes two files: the private key and the JWKS to publish', 'add --out PREFIX (PREFIX.key.json and PREFIX.jwks.json)');
    }
    const result = genKeyPair({ alg, format: opts.format, out: opts.out, modulusLength: opts.modulusLength });
    await ctx.out.write(renderGenKeyPair(result, ctx.json));
    if (result.files || hints) await ctx.err.write(genKeyPairNote(result, errPaint));
    return EXIT.ok;
  }
  if (opts.modulusLength !== undefined) throw new JwtkitError('usage', '--modulus-length is for RSA key pairs', 'add --alg RS256 (or PS256…)');
  for (const name of ['out', 'format'] as const) {
    if (given(name)) throw new JwtkitError('usage', `--${name} is for key pairs`, 'add --alg ES256 (or RS256, EdDSA…)');
  }
  let bytes = opts.bytes;
  if (alg !== undefined) {
    const needed = HMAC[alg].bytes;
    if (!given('bytes')) bytes = needed;
    else if (bytes < needed) throw new JwtkitError('usage', `${alg} needs a key of at least ${needed} bytes (RFC 7518 §3.2)`, `use --bytes ${needed} or more`);
  }
  if (opts.dotenvFile !== undefined) return runEnvFile(opts, bytes, ctx, errPaint, hints);
  for (const name of ['name', 'force'] as const) {
    if (opts[name] !== undefined) throw new JwtkitError('usage', `--${name} is for --dotenv-file`, `add --dotenv-file .env${name === 'name' ? ' (or use --dotenv NAME to print the line)' : ''}`);
  }
  const dotenv = opts.dotenv === true ? 'JWT_SECRET' : opts.dotenv;
  if (opts.copy && opts.count !== 1) throw new JwtkitError('usage', '--copy holds one secret', 'drop --count, or drop --copy to print them');
  const secrets = genSecrets({ bytes, encoding: opts.encoding, count: opts.count, dotenv });
  if (opts.copy) {
    const result = secrets.next().value!;
    await copyOrPrint(ctx, errPaint, {
      text: result.line,
      what: 'the secret',
      printed: renderGenSecret(result, ctx.json),
      copiedJson: renderGenSecretCopied(result, ctx.json),
      copiedNote: `Copied a ${result.bits}-bit secret to the clipboard. Paste it as ${result.name ?? 'JWT_SECRET'} in your host's secret store; never commit it.`,
    });
    return EXIT.ok;
  }
  let last: ReturnType<typeof secrets.next>['value'];
  for (const result of secrets) {
    const pending = ctx.out.write(renderGenSecret(result, ctx.json));
    if (pending) await pending;
    last = result;
  }
  if (hints && last && !ctx.json) await ctx.err.write(genSecretHint(last, errPaint));
  return EXIT.ok;
}

/** --dotenv-file: the secret goes into the file, and stdout says what was written, never the value. */
async function runEnvFile(
  opts: GenOpts,
  bytes: number,
  ctx: CliContext,
  errPaint: Paint,
  hints: boolean,
): Promise<ExitCode> {
  for (const [name, flag, hint] of [
    ['dotenv', '--dotenv', 'use --name NAME for the variable'],
    ['copy', '--copy', 'drop --copy'],
  ] as const) {
    if (opts[name] !== undefined) throw new JwtkitError('usage', `--dotenv-file writes the secret into the file; ${flag} does not go with it`, hint);
  }
  if (opts.count !== 1) throw new JwtkitError('usage', '--dotenv-file holds one secret', 'drop --count');
  const [{ genSecrets }, { writeEnvFile }] = await Promise.all([import('../commands/gen.js'), import('../commands/env-file.js')]);
  const name = opts.name ?? 'JWT_SECRET';
  const secret = genSecrets({ bytes, encoding: opts.encoding, count: 1 }).next().value!;
  const result = writeEnvFile(opts.dotenvFile!, name, secret.secret, { force: opts.force === true });
  for (const w of result.warnings) await ctx.err.write(renderWarningLine(w, errPaint));
  await ctx.out.write(renderEnvFileResult(result, secret, ctx.json));
  if (hints && !ctx.json && result.previous) await ctx.err.write(dotenvFileRotationHint(result, errPaint));
  return EXIT.ok;
}
