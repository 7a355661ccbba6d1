// `jwtkit encrypt`: its definition, and the CLI half that turns the parsed options into output.
import { DEFAULT_P2C, JWE_SERIALIZATIONS, P2C_RANGE } from '../algs.js';
import { EXIT, type ExitCode } from '../errors.js';
import type { Io } from '../output.js';
import { type CliContext, collect, type CommandHeader, commandOf, keyOptionsOf, Option, wholeNumber, withClaimOptions, withSecretOptions } from './common.js';

/** jwtkit encrypt's line in `jwtkit --help`; its definition starts from it. */
export const encryptHeader: CommandHeader = Object.freeze({
  name: 'encrypt',
  term: '[options] [payload]',
  description: 'make a test JWE: claims, a signed JWT (sign-then-encrypt) or any text, encrypted to a secret or a public key',
});

function definition() {
  return withClaimOptions(
    withSecretOptions(
      commandOf(encryptHeader)
        .argument('[payload]', 'claims JSON, a compact JWT, or text; "-" or piped stdin reads it; none is {}'),
      'the secret is in this environment variable',
    ),
  )
    .option('--key <file>', 'the recipient\'s key: PEM (public or private), JWK or JWKS of one key, recognised by content', collect)
    .option('--passphrase-env <name>', 'the passphrase of an encrypted PEM --key is in this environment variable')
    .option('--passphrase-file <path>', 'the passphrase of an encrypted PEM --key is in this file')
    .option('--alg <alg>', 'key management (default: dir for a secret, RSA-OAEP-256 for RSA, ECDH-ES for EC and X25519)')
    .option('--enc <enc>', 'content encryption (default A256GCM; for dir the one that fits the secret)')
    .option('--cty <type>', 'the content type header (default: JWT when the payload is a signed JWT)')
    .option('--kid <kid>', "a key id in the header (default: a JWK's own kid)")
    .option('--zip', 'compress the plaintext first (zip DEF)')
    .addOption(
      new Option('--serialization <form>', 'compact, or a JSON serialization (one line): flattened, or general with one recipient')
        .choices(JWE_SERIALIZATIONS)
        .default('compact' as const),
    )
    .option('--p2c <count>', `PBES2 iterations (default ${DEFAULT_P2C})`, wholeNumber(P2C_RANGE))
    .option('--allow-weak-secret', 'encrypt even with a secret `jwtkit check` calls weak (a warning instead of an error)')
    .option('--json', 'print {"token","header","payload"} (token: the JSON serialization\'s object when not compact)')
    .addHelpText(
      'after',
      `
A JSON object payload (or none) is claims, with sign's defaults (iat now, exp in 15 minutes);
a compact JWT payload is encrypted as it is, with cty JWT; any other text is encrypted as it is.
--serialization flattened or general writes the JWE JSON serialization (RFC 7516 §7.2) on one
line; general puts alg and kid in the recipient's header, the rest in the protected header.

Examples:
  $ jwtkit encrypt --secret-env JWE_KEY --secret-encoding base64 --sub user-42
  $ jwtkit encrypt --key recipient.pub.pem '{"card":"4111…"}'
  $ jwtkit sign --key sig.key.pem --sub me | jwtkit encrypt --key enc.pub.pem     # sign-then-encrypt
  $ jwtkit encrypt --key enc.pub.pem 'hello' | jwtkit decrypt --key enc.key.pem
  $ jwtkit encrypt --key enc.pub.pem --serialization general 'hello' > jwe.json`,
    );
}

type EncryptOpts = ReturnType<ReturnType<typeof definition>['opts']>;

export function encryptCommand(ctx: CliContext) {
  // The CLI half through import(): the front bundle (gen, --help; scripts/build.mjs) leaves it out.
  return definition().action(async (payload, opts) => ctx.setExit(await (await import('./encrypt.js')).runEncrypt(payload, opts, ctx)));
}

export async function runEncrypt(arg: string | undefined, opts: EncryptOpts, ctx: Io): Promise<ExitCode> {
  const [enc, { loadKeys }, { readStdinText }, render, time] = await Promise.all([
    import('../commands/encrypt.js'),
    import('../keys.js'),
    import('../input.js'),
    import('../render.js'),
    import('../time.js'),
  ]);
  const errPaint = await render.painter(render.colorEnabled(ctx.sys.stderr, ctx.sys.env));
  let payloadText = '';
  if (arg !== undefined && arg !== '-') payloadText = arg;
  else if (arg === '-' || !ctx.sys.stdin.isTTY) payloadText = await readStdinText(ctx.sys.stdin, 'the payload');

  const loaded = await loadKeys({ ...keyOptionsOf(opts), use: 'enc' }, ctx.sys.env);
  for (const w of loaded.warnings) await ctx.err.write(render.renderWarningLine(w, errPaint));
  const key = enc.encryptionKey(loaded);
  const { alg, enc: contentEnc } = enc.chooseJweAlgs(key, opts.alg, opts.enc);
  const weak = await enc.judgeEncryptionSecret(loaded, key, alg, contentEnc, { encoding: opts.secretEncoding, allowWeak: opts.allowWeakSecret === true });
  if (weak) await ctx.err.write(render.renderWarningLine(weak, errPaint));

  const made = enc.encryptPlaintext(payloadText, opts, { cty: opts.cty, now: time.nowSeconds() });
  for (const note of made.overrides) await ctx.err.write(render.renderNoteLine(note, errPaint));
  const { token, header, jwe } = await enc.encryptPayload(
    { plaintext: made.plaintext, alg, enc: contentEnc, cty: made.cty, typ: made.typ, kid: opts.kid ?? key.kid, zip: opts.zip === true, p2c: opts.p2c, serialization: opts.serialization },
    key,
  );
  await ctx.out.write(render.renderEncryptResult({ token, jwe, header, payload: made.payload }, ctx.json));
  return EXIT.ok;
}
