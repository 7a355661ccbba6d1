// `jwtkit decrypt`: its definition, and the CLI half that turns the parsed options into output.
import { JWE_ALGS, JWE_ENCS, MAX_P2C_TEXT, MAX_PBES2_BUDGET_TEXT, RSA1_5, SECRET_ENCODINGS } from '../algs.js';
import { EXIT, JwtkitError, worseExit, type ExitCode } from '../errors.js';
import type { Io } from '../output.js';
import { Command, Option, collect, collectList, keyOptionsOf, withSecretOptions, type CliContext } from './common.js';
import { shown } from '../shown.js';

function definition() {
  return withSecretOptions(
    new Command('decrypt')
      .description('decrypt a JWE (compact or JSON serialization) with a secret or a private key; the plaintext goes to stdout')
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

function checkList(option: string, given: string[] | undefined, known: readonly string[], extra: readonly string[] = []): void {
  if (given === undefined) return;
  if (given.length === 0) throw new JwtkitError('usage', `${option} is empty`, `name some of ${known.join(', ')}`);
  for (const name of given) {
    if (!known.includes(name) && !extra.includes(name)) throw new JwtkitError('usage', `${option} ${shown(name)} is not one jwtkit knows`, `use some of ${known.join(', ')}`);
  }
}

export async function runDecrypt(arg: string | undefined, opts: DecryptOpts, ctx: Io): Promise<ExitCode> {
  const [dec, { loadKeys }, render, time, { describeToken }, { safeText }] = await Promise.all([
    import('../commands/decrypt.js'),
    import('../keys.js'),
    import('../render.js'),
    import('../time.js'),
    import('../commands/decode.js'),
    import('../safe-text.js'),
  ]);
  checkList('--alg', opts.alg, JWE_ALGS, [RSA1_5]);
  checkList('--enc', opts.enc, JWE_ENCS);
  if (opts.alg?.includes(RSA1_5) && opts.allowRsa1_5 !== true) {
    throw new JwtkitError('usage', '--alg RSA1_5 needs --allow-rsa1_5', 'RSAES-PKCS1-v1_5 is open to padding-oracle attacks');
  }
  const errPaint = await render.painter(render.colorEnabled(process.stderr));
  const loaded = await loadKeys({ ...keyOptionsOf(opts), use: 'enc' }, process.env);
  for (const w of loaded.warnings) await ctx.err.write(render.renderWarningLine(w, errPaint));
  const now = opts.at === undefined ? time.nowSeconds() : time.parseTime('--at', opts.at, time.nowSeconds());

  // The nested JWT's verifier, when a verify key is given (sign-then-encrypt in one run).
  let verify: ((text: string) => import('../commands/verify.js').VerifyResult) | undefined;
  if (opts.verifyKey !== undefined || opts.verifyJwks !== undefined || opts.verifySecretEnv !== undefined) {
    const { createVerifier } = await import('../commands/verify.js');
    const verifyKeys = await loadKeys({ key: opts.verifyKey, jwks: opts.verifyJwks, secretEnv: opts.verifySecretEnv, secretEncoding: opts.verifySecretEncoding }, process.env);
    for (const w of verifyKeys.warnings) await ctx.err.write(render.renderWarningLine(w, errPaint));
    verify = createVerifier({ keys: verifyKeys.keys, leeway: 0, require: [], now });
  }

  const options = { keys: loaded.keys, algs: opts.alg, encs: opts.enc, allowRsa15: opts.allowRsa1_5 === true };
  const terminal = process.stdout.isTTY === true;
  const items = dec.readJweItems(arg, () => process.stdin)[Symbol.asyncIterator]();
  let next = await items.next();
  // One item of lookahead: a single token prints its plaintext exactly; several print a line each.
  let lookahead: IteratorResult<import('../commands/decrypt.js').JweItem> | undefined = next.done ? undefined : await items.next();
  const many = lookahead !== undefined && lookahead.done !== true;
  let exit: ExitCode = EXIT.ok;
  while (!next.done) {
    const item = next.value;
    const where = many ? `token ${item.index + 1}: ` : '';
    const failWith = async (code: string, message: string, hint: string | undefined, exitCode: ExitCode) => {
      exit = worseExit(exit, exitCode);
      if (ctx.json) await ctx.out.write(render.renderErrorJson(code, `${where}${message}${hint ? `. ${render.capitalise(hint)}` : ''}`));
      await ctx.err.write(render.renderErrorLine(`${where}${message}`, hint, errPaint));
    };
    let outcome: import('../commands/decrypt.js').DecryptOutcome | undefined;
    try {
      if ('error' in item) throw item.error;
      outcome = await dec.decryptInput(dec.parseJweInput(item.text), options);
    } catch (err) {
      if (!(err instanceof JwtkitError)) throw err;
      await failWith(err.code, err.message, err.hint, err.exitCode);
    }
    if (outcome && !outcome.ok) {
      await failWith(outcome.reason, outcome.message, outcome.hint, outcome.reason === 'malformed' || outcome.reason === 'too_long' ? EXIT.usage : EXIT.no);
    } else if (outcome) {
      const view = dec.viewPlaintext(outcome.plaintext, outcome.header);
      const nestedDecoded = view.nested ? describeToken(view.nested, now) : null;
      const verdict = view.nested?.kind === 'jws' && verify ? verify(view.nested.raw) : undefined;
      if (verdict) exit = worseExit(exit, verdict.valid ? EXIT.ok : verdict.reason === 'malformed' ? EXIT.usage : EXIT.no);
      if (ctx.json) {
        let nested: Record<string, unknown> | null = nestedDecoded ? (JSON.parse(render.renderDecodedJson(nestedDecoded)) as Record<string, unknown>) : null;
        if (nested && verdict) {
          nested = { ...nested, verified: verdict.valid, verification: { valid: verdict.valid, reason: verdict.reason, message: verdict.message, key: verdict.key, failures: verdict.failures } };
        }
        await ctx.out.write(
          render.jsonLine({
            header: outcome.header,
            plaintext: view.text,
            plaintext_base64url: view.base64url,
            nested,
            serialization: outcome.serialization,
            recipient: outcome.recipient,
            key: outcome.key,
          }),
        );
      } else if (terminal) {
        // A terminal gets text escaped (a token's plaintext may hold terminal controls), binary as base64url.
        if (view.text !== null) await ctx.out.write(`${safeText(view.text)}${view.text.endsWith('\n') || view.text === '' ? '' : '\n'}`);
        else {
          await ctx.out.write(`${view.base64url}\n`);
          await ctx.err.write(`${errPaint.warn('jwtkit: note:')} ${where}the plaintext is ${outcome.plaintext.byteLength} bytes of binary, shown as base64url; redirect stdout to a file for the bytes\n`);
        }
      } else {
        await ctx.out.writeBytes(outcome.plaintext);
        if (many) await ctx.out.write('\n');
      }
      if (!ctx.json) {
        if (view.nestedError) await ctx.err.write(render.renderWarningLine(`${where}${view.nestedError}`, errPaint));
        if (view.nested?.kind === 'jwe') {
          await ctx.err.write(`${errPaint.warn('jwtkit: note:')} ${where}the plaintext is itself an encrypted token (JWE): decrypt it in turn with jwtkit decrypt\n`);
        } else if (verdict) {
          await ctx.err.write(`${where}nested JWT: ${render.renderVerdictLine(verdict, errPaint)}\n`);
        } else if (view.nested) {
          await ctx.err.write(
            `${errPaint.warn('jwtkit: note:')} ${where}the plaintext is a signed JWT whose signature was NOT verified; pass --verify-key, --verify-jwks or --verify-secret-env, or pipe it to jwtkit verify\n`,
          );
        }
      }
    }
    next = lookahead ?? (await items.next());
    lookahead = undefined;
  }
  return exit;
}
