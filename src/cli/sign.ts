// `jwtkit sign`: its definition, and the CLI half that turns the parsed options into output.
import { EXIT, type ExitCode } from '../errors.js';
import type { Io } from '../output.js';
import { type CliContext, collect, type CommandHeader, commandOf, keyOptionsOf, withClaimOptions, withSecretOptions } from './common.js';

/** jwtkit sign's line in `jwtkit --help`; its definition starts from it. */
export const signHeader: CommandHeader = Object.freeze({
  name: 'sign',
  term: '[options] [payload]',
  description: 'mint a test token: exactly the claims you ask for, 15-minute expiry, never a weak secret',
});

function definition() {
  return withClaimOptions(
    withSecretOptions(
      commandOf(signHeader)
        .argument('[payload]', 'payload JSON object; "-" or piped stdin reads it; none is {}'),
      'the secret is in this environment variable',
    ),
  )
    .option('--key <file>', 'a private key: PEM (PKCS#8, PKCS#1, SEC1) or JWK, recognised by content', collect)
    .option('--alg <alg>', "the algorithm (default: HS256 for a secret, the key's own for a key)")
    .option('--kid <kid>', 'a key id in the header (default: a JWK\'s own kid; "thumbprint": the key\'s RFC 7638 thumbprint)')
    .option('--passphrase-env <name>', 'the passphrase of an encrypted PEM --key is in this environment variable')
    .option('--passphrase-file <path>', 'the passphrase of an encrypted PEM --key is in this file')
    .option('--header <name=value>', 'any header parameter but alg and crit (repeatable)', collect)
    .option('--allow-weak-secret', 'sign even with a secret `jwtkit check` calls weak (a warning instead of an error)')
    .option('--copy', 'put the token on the clipboard, not on stdout; with no clipboard (SSH, CI, a container) say why on stderr and print it')
    .option('--json', 'print {"token","header","payload"}')
    .addHelpText(
      'after',
      `
Times: a duration needs a unit (30s, 15m, 1h, 7d, 2w); a bare number is a Unix time, so
--exp 3600 is 1970-01-01T01:00:00Z, not an hour (sign warns when --exp lands in the past).

Examples:
  $ jwtkit sign --secret-env JWT_SECRET --sub user-42 --claim role=admin
  $ jwtkit sign --secret-env JWT_SECRET --exp 10s | jwtkit verify --secret-env JWT_SECRET
  $ jwtkit sign --key keys/jwt.key.pem --aud api --aud web '{"scope":"read"}'
  $ curl -H "Authorization: Bearer $(jwtkit sign --secret-env JWT_SECRET --sub me)" localhost:3000/me`,
    );
}

type SignOpts = ReturnType<ReturnType<typeof definition>['opts']>;

export function signCommand(ctx: CliContext) {
  // The CLI half through import(): the front bundle (gen, --help; scripts/build.mjs) leaves it out.
  return definition().action(async (payload, opts) => ctx.setExit(await (await import('./sign.js')).runSign(payload, opts, ctx)));
}

export async function runSign(arg: string | undefined, opts: SignOpts, ctx: Io): Promise<ExitCode> {
  const [signMod, { loadKeys }, { readStdinText }, render, time, { copyOrPrint }] = await Promise.all([
    import('../commands/sign.js'),
    import('../keys.js'),
    import('../input.js'),
    import('../render.js'),
    import('../time.js'),
    import('./copy.js'),
  ]);
  const errPaint = await render.painter(render.colorEnabled(ctx.sys.stderr, ctx.sys.env));

  let payloadText = '';
  if (arg !== undefined && arg !== '-') payloadText = arg;
  else if (arg === '-' || !ctx.sys.stdin.isTTY) payloadText = await readStdinText(ctx.sys.stdin, 'the payload');
  const payload = signMod.parsePayload(payloadText);

  const loaded = await loadKeys(keyOptionsOf(opts), ctx.sys.env);
  for (const w of loaded.warnings) await ctx.err.write(render.renderWarningLine(w, errPaint));
  const key = signMod.signingKey(loaded);
  const alg = signMod.chooseAlg(opts.alg, key);
  const weak = await signMod.judgeSigningSecret(loaded, key, alg, { encoding: opts.secretEncoding, allowWeak: opts.allowWeakSecret === true });
  if (weak) await ctx.err.write(render.renderWarningLine(weak, errPaint));

  const now = time.nowSeconds();
  const minted = signMod.mint(
    {
      payload,
      sub: opts.sub,
      iss: opts.iss,
      aud: opts.aud,
      exp: opts.exp,
      nbf: opts.nbf,
      iat: opts.iat,
      jti: opts.jti,
      kid: signMod.headerKid(opts.kid, key),
      claims: opts.claim ?? [],
      headers: opts.header ?? [],
      alg: opts.alg,
      now,
    },
    alg,
  );
  for (const note of minted.overrides) await ctx.err.write(render.renderNoteLine(note, errPaint));
  for (const warning of minted.warnings) await ctx.err.write(render.renderWarningLine(warning, errPaint));
  const signed = { token: await signMod.signToken(minted, key), header: minted.header, payload: minted.payload };
  const printed = render.renderSignResult(signed, ctx.json);
  if (opts.copy === true) {
    await copyOrPrint(ctx, errPaint, {
      text: signed.token,
      what: 'the token',
      printed,
      copiedJson: render.renderSignCopied(signed, ctx.json),
      copiedNote: render.signCopiedNote(alg, minted.payload, now),
    });
    return EXIT.ok;
  }
  await ctx.out.write(printed);
  return EXIT.ok;
}
