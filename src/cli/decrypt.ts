// `jwtkit decrypt`: its definition, and the CLI half that turns the parsed options into output.
import { MAX_P2C_TEXT, MAX_PBES2_BUDGET_TEXT, SECRET_ENCODINGS } from '../algs.js';
import { ERROR_EXITS, EXIT, JwtkitError, worseExit, type ErrorCode, type ExitCode } from '../errors.js';
import type { Io } from '../output.js';
import { type CliContext, collect, collectList, type CommandHeader, commandOf, keyOptionsOf, Option, withSecretOptions } from './common.js';

/** jwtkit decrypt's line in `jwtkit --help`; its definition starts from it. */
export const decryptHeader: CommandHeader = Object.freeze({
  name: 'decrypt',
  term: '[options] [token]',
  description: 'decrypt a JWE (compact or JSON serialization) with a secret or a private key; the plaintext goes to stdout',
});

function definition() {
  return withSecretOptions(
    commandOf(decryptHeader)
      .argument('[token]', 'the JWE; "-" or nothing reads stdin, one compact JWE per line (or one JSON serialization)'),
    'the secret is in this environment variable (repeatable)',
  )
    .option('--key <file>', 'a private key: PEM, JWK or JWKS, recognised by content (repeatable; kid chooses)', collect)
    .option('--jwks <file>', "a JWKS file; the key is chosen by the token's kid")
    .option('--passphrase-env <name>', 'the passphrase of an encrypted PEM --key is in this environment variable')
    .option('--passphrase-file <path>', 'the passphrase of an encrypted PEM --key is in this file')
    .option('--alg <list>', 'allowed key management algorithms, comma-separated (default: those of the keys)', collectList)
    .option('--enc <list>', 'allowed content encryptions, comma-separated (default: all)', collectList)
    .option('--allow-rsa1_5', 'decrypt RSA1_5 too (RSAES-PKCS1-v1_5, open to Bleichenbacher: refused by default)')
    .option('--verify-key <file>', 'when the plaintext is a signed JWT, verify it with this key (PEM, JWK, JWKS; repeatable)', collect)
    .option('--verify-jwks <file|url>', 'when the plaintext is a signed JWT, verify it with this JWKS')
    .option('--verify-secret-env <name>', 'when the plaintext is a signed JWT, verify it with the secret in this variable (repeatable)', collect)
    .addOption(new Option('--verify-secret-encoding <enc>', 'decode the --verify-secret-env secret first (as --secret-encoding)').choices(SECRET_ENCODINGS))
    .option('--at <time>', "judge the nested JWT's times as of TIME: ISO 8601, Unix seconds, or -1h / +30m")
    .option('--json', 'print {"header","plaintext","plaintext_base64url","nested"}, one object per token (NDJSON)')
    .addHelpText(
      'after',
      `
Limits: PBES2 tokens with p2c over ${MAX_P2C_TEXT} are refused, and one token may cost at most
${MAX_PBES2_BUDGET_TEXT} PBES2 iterations over all its recipients and keys; at most 64 recipients; a compressed
(zip DEF) plaintext may inflate to 1 MiB. Every integrity failure (wrong key, altered token)
gives the same message.

Examples:
  $ jwtkit decrypt --key idp-enc.key.pem "$ACCESS_TOKEN"                  # an identity provider's JWE
  $ jwtkit decrypt --secret-env JWE_KEY --secret-encoding base64 < token.txt
  $ jwtkit decrypt --key enc.key.pem --verify-key sig.pub.pem "$NESTED"    # sign-then-encrypt, both checked
  $ jwtkit decrypt --jwks enc.jwks.json --json < tokens.txt | jq -r .plaintext`,
    );
}

type DecryptOpts = ReturnType<ReturnType<typeof definition>['opts']>;

export function decryptCommand(ctx: CliContext) {
  // The CLI half through import(): the front bundle (gen, --help; scripts/build.mjs) leaves it out.
  return definition().action(async (token, opts) => ctx.setExit(await (await import('./decrypt.js')).runDecrypt(token, opts, ctx)));
}

export async function runDecrypt(arg: string | undefined, opts: DecryptOpts, ctx: Io): Promise<ExitCode> {
  const [dec, { loadKeys }, render, time, { describeToken }, { exitFor }] = await Promise.all([
    import('../commands/decrypt.js'),
    import('../keys.js'),
    import('../render.js'),
    import('../time.js'),
    import('../commands/decode.js'),
    import('../verify-batch.js'),
  ]);
  const algOptions = { algs: opts.alg, encs: opts.enc, allowRsa15: opts.allowRsa1_5 === true };
  dec.checkAlgOptions(algOptions);
  const errPaint = await render.painter(render.colorEnabled(ctx.sys.stderr, ctx.sys.env));
  const loaded = await loadKeys({ ...keyOptionsOf(opts), use: 'enc' }, ctx.sys.env);
  for (const w of loaded.warnings) await ctx.err.write(render.renderWarningLine(w, errPaint));
  const now = opts.at === undefined ? time.nowSeconds() : time.parseTime('--at', opts.at, time.nowSeconds());

  // The nested JWT's verifier, when a verify key is given (sign-then-encrypt in one run).
  let verify: ((text: string) => import('../commands/verify.js').VerifyResult) | undefined;
  if (opts.verifyKey !== undefined || opts.verifyJwks !== undefined || opts.verifySecretEnv !== undefined) {
    const { createVerifier } = await import('../commands/verify.js');
    const verifyKeys = await loadKeys({ key: opts.verifyKey, jwks: opts.verifyJwks, secretEnv: opts.verifySecretEnv, secretEncoding: opts.verifySecretEncoding }, ctx.sys.env);
    for (const w of verifyKeys.warnings) await ctx.err.write(render.renderWarningLine(w, errPaint));
    verify = createVerifier({ keys: verifyKeys.keys, leeway: 0, require: [], now });
  }

  const options = { keys: loaded.keys, ...algOptions };
  const terminal = ctx.sys.stdout.isTTY === true;
  const items = dec.readJweItems(arg, () => ctx.sys.stdin)[Symbol.asyncIterator]();
  let next = await items.next();
  // One item of lookahead: a single token prints its plaintext exactly; several print a line each.
  let lookahead: IteratorResult<import('../commands/decrypt.js').JweItem> | undefined = next.done ? undefined : await items.next();
  const many = lookahead !== undefined && lookahead.done !== true;
  let exit: ExitCode = EXIT.ok;
  while (!next.done) {
    const item = next.value;
    const where = many ? `token ${item.index + 1}: ` : '';
    const failWith = async (code: ErrorCode, message: string, hint: string | undefined) => {
      exit = worseExit(exit, ERROR_EXITS[code]);
      if (ctx.json) await ctx.out.write(render.renderErrorJson(code, render.errorText(`${where}${message}`, hint)));
      await ctx.err.write(render.renderErrorLine(`${where}${message}`, hint, errPaint));
    };
    let outcome: import('../commands/decrypt.js').DecryptOutcome | undefined;
    try {
      if ('error' in item) throw item.error;
      outcome = await dec.decryptInput(dec.parseJweInput(item.text), options);
    } catch (err) {
      if (!(err instanceof JwtkitError)) throw err;
      await failWith(err.code, err.message, err.hint);
    }
    if (outcome && !outcome.ok) {
      await failWith(outcome.reason, outcome.message, outcome.hint);
    } else if (outcome) {
      const view = dec.viewPlaintext(outcome.plaintext, outcome.header);
      const nestedDecoded = view.nested ? describeToken(view.nested, now) : null;
      const verdict = view.nested?.kind === 'jws' && verify ? verify(view.nested.raw) : undefined;
      if (verdict) exit = worseExit(exit, exitFor(verdict));
      if (ctx.json) {
        await ctx.out.write(
          render.renderDecryptJson({
            header: outcome.header,
            plaintext: view.text,
            plaintextBase64url: view.base64url,
            nested: nestedDecoded,
            verification: verdict,
            serialization: outcome.serialization,
            recipient: outcome.recipient,
            key: outcome.key,
          }),
        );
      } else if (terminal) {
        // A terminal gets text escaped (a token's plaintext may hold terminal controls), binary as base64url.
        await ctx.out.write(render.renderPlaintextOnTerminal(view));
        if (view.text === null) {
          await ctx.err.write(render.renderNoteLine(`${where}the plaintext is ${outcome.plaintext.byteLength} bytes of binary, shown as base64url; redirect stdout to a file for the bytes`, errPaint));
        }
      } else {
        await ctx.out.writeBytes(outcome.plaintext);
        if (many) await ctx.out.write('\n');
      }
      if (!ctx.json) {
        if (view.nestedError) await ctx.err.write(render.renderWarningLine(`${where}${view.nestedError}`, errPaint));
        if (view.nested?.kind === 'jwe') {
          await ctx.err.write(render.renderNoteLine(`${where}the plaintext is itself an encrypted token (JWE): decrypt it in turn with jwtkit decrypt`, errPaint));
        } else if (verdict) {
          await ctx.err.write(render.renderNestedVerdict(where, verdict, errPaint));
        } else if (view.nested) {
          await ctx.err.write(
            render.renderNoteLine(`${where}the plaintext is a signed JWT whose signature was NOT verified; pass --verify-key, --verify-jwks or --verify-secret-env, or pipe it to jwtkit verify`, errPaint),
          );
        }
      }
    }
    next = lookahead ?? (await items.next());
    lookahead = undefined;
  }
  return exit;
}
