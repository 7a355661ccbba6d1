// `jwtkit gen`: its definition, and the CLI half that turns the parsed options into output.
import { ASYMMETRIC_ALGS, DEFAULT_SECRET_NAME, HMAC, HMAC_ALGS, KEY_FORMATS, RSA_BITS, SECRET_BYTES, SECRET_COUNT, SECRET_ENCODINGS } from '../algs.js';
import type { GenPlan } from '../commands/gen.js';
import { EXIT, type ExitCode } from '../errors.js';
// Named, not `await import('../render.js')`: cli.ts loads render.ts anyway, and named imports let
// the front bundle (scripts/build.mjs) keep only gen's renderers.
import {
  colorEnabled,
  dotenvFileRotationHint,
  genKeyPairNote,
  genSecretCopiedNote,
  genSecretHint,
  hintsEnabled,
  keyText,
  painter,
  renderEnvFileResult,
  renderGenKeyPair,
  renderGenSecret,
  renderGenSecretCopied,
  renderWarningLine,
  type Paint,
} from '../render.js';
import { type CliContext, type CommandHeader, commandOf, Option, wholeNumber } from './common.js';

/** jwtkit gen's line in `jwtkit --help`; its definition starts from it. */
export const genHeader: CommandHeader = Object.freeze({
  name: 'gen',
  term: '[options]',
  description: 'print a fresh random secret (for HS256/384/512), or a key pair with --alg',
});

function definition() {
  return commandOf(genHeader)
    .addOption(new Option('--bytes <n>', `random bytes, ${SECRET_BYTES.min} to ${SECRET_BYTES.max}`).default(HMAC.HS256.bytes).argParser(wholeNumber(SECRET_BYTES)))
    .addOption(new Option('--encoding <enc>', 'how to write the secret').choices(SECRET_ENCODINGS).default('base64' as const))
    .addOption(new Option('--count <n>', 'how many secrets').default(1).argParser(wholeNumber(SECRET_COUNT)))
    .option('--dotenv [name]', `print NAME=<secret>, a dotenv line (NAME defaults to ${DEFAULT_SECRET_NAME})`)
    .option('--dotenv-file <path>', 'write NAME=<secret> into this dotenv file in place (the old value kept as NAME_PREVIOUS; mode 0600 when new); prints no secret')
    .option('--name <name>', `the variable --dotenv-file writes (default ${DEFAULT_SECRET_NAME})`)
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
  const [{ genKeyPair, genSecrets, planGen }, { copyOrPrint }] = await Promise.all([import('../commands/gen.js'), import('./copy.js')]);
  const errPaint = await painter(colorEnabled(ctx.sys.stderr, ctx.sys.env));
  const hints = hintsEnabled(ctx.sys.stdout, ctx.sys.stderr, ctx.sys.env);
  const plan = planGen(opts, (name) => cmd.getOptionValueSource(name) === 'cli', ctx.json);
  if (plan.kind === 'keypair') {
    const result = genKeyPair(plan, keyText);
    await ctx.out.write(renderGenKeyPair(result, ctx.json));
    if (result.files || hints) await ctx.err.write(genKeyPairNote(result, errPaint));
    return EXIT.ok;
  }
  if (plan.kind === 'dotenv-file') return runEnvFile(plan, ctx, errPaint, hints);
  const secrets = genSecrets(plan);
  if (plan.copy) {
    const result = secrets.next().value!;
    await copyOrPrint(ctx, errPaint, {
      text: result.line,
      what: 'the secret',
      printed: renderGenSecret(result, ctx.json),
      copiedJson: renderGenSecretCopied(result, ctx.json),
      copiedNote: genSecretCopiedNote(result),
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
async function runEnvFile(plan: Extract<GenPlan, { kind: 'dotenv-file' }>, ctx: CliContext, errPaint: Paint, hints: boolean): Promise<ExitCode> {
  const [{ genSecrets }, { writeEnvFile }] = await Promise.all([import('../commands/gen.js'), import('../commands/env-file.js')]);
  const secret = genSecrets({ bytes: plan.bytes, encoding: plan.encoding, count: 1 }).next().value!;
  const result = writeEnvFile(plan.file, plan.name, secret.secret, { force: plan.force, env: ctx.sys.env });
  for (const w of result.warnings) await ctx.err.write(renderWarningLine(w, errPaint));
  await ctx.out.write(renderEnvFileResult(result, secret, ctx.json));
  if (hints && !ctx.json && result.previous) await ctx.err.write(dotenvFileRotationHint(result, errPaint));
  return EXIT.ok;
}
