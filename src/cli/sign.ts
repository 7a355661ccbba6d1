// The CLI half of `jwtkit sign`.
import type { SecretEncoding } from '../algs.js';
import { EXIT, JwtkitError, type ExitCode } from '../errors.js';
import type { Io } from '../output.js';
import { keyOptions } from './options.js';

export async function runSign(arg: string | undefined, opts: Record<string, unknown>, ctx: Io): Promise<ExitCode> {
  const [signMod, { loadKeys, KEY_HINT }, { readStdinText }, render, time, { checkSecret }] = await Promise.all([
    import('../commands/sign.js'),
    import('../keys.js'),
    import('../input.js'),
    import('../render.js'),
    import('../time.js'),
    import('../commands/check.js'),
  ]);
  const errPaint = await render.painter(render.colorEnabled(process.stderr));

  let payloadText = '';
  if (arg !== undefined && arg !== '-') payloadText = arg;
  else if (arg === '-' || !process.stdin.isTTY) payloadText = await readStdinText(process.stdin);
  const payload = signMod.parsePayload(payloadText);

  const encoding = opts.secretEncoding as SecretEncoding | undefined;
  const loaded = await loadKeys(keyOptions(opts), process.env);
  if (loaded.keys.length !== 1) {
    throw new JwtkitError('usage', `sign takes one secret or key, and ${loaded.keys.length} were given`, KEY_HINT);
  }
  const key = loaded.keys[0]!;
  for (const w of loaded.warnings) await ctx.err.write(render.renderWarningLine(w, errPaint));
  const alg = signMod.chooseAlg(opts.alg as string | undefined, key);

  if (key.secret) {
    // The secret's text as given (env, file or argv), judged as `check` judges it.
    const secretText = loaded.secretTexts.get(key.label);
    if (secretText !== undefined) {
      const verdict = await checkSecret({ secret: secretText, label: key.label, encoding, alg: alg as 'HS256' | 'HS384' | 'HS512' });
      if (verdict.verdict === 'weak') {
        const why = `${key.label} is weak for ${alg}: ${verdict.reasons[0]?.message ?? 'not recognised as generated'}`;
        if (opts.allowWeakSecret !== true) {
          throw new JwtkitError('weak_secret', why, `generate one with \`jwtkit gen${alg === 'HS256' ? '' : ` --alg ${alg}`}\`, or pass --allow-weak-secret for a throwaway test token`);
        }
        await ctx.err.write(render.renderWarningLine(`${why} (signing anyway: --allow-weak-secret)`, errPaint));
      }
    }
  }

  const now = time.nowSeconds();
  const minted = signMod.mint(
    {
      payload,
      sub: opts.sub as string | undefined,
      iss: opts.iss as string | undefined,
      aud: opts.aud as string[] | undefined,
      exp: opts.exp as string | false | undefined,
      nbf: opts.nbf as string | undefined,
      iat: opts.iat === true ? undefined : (opts.iat as string | false | undefined),
      jti: opts.jti as string | undefined,
      kid: opts.kid as string | undefined,
      claims: (opts.claim as string[] | undefined) ?? [],
      headers: (opts.header as string[] | undefined) ?? [],
      alg: opts.alg as string | undefined,
      now,
    },
    alg,
  );
  for (const note of minted.overrides) await ctx.err.write(`${errPaint.warn('jwtkit: note:')} ${note}\n`);
  const token = await signMod.signToken(minted, key);
  const line = ctx.json ? render.jsonLine({ token, header: minted.header, payload: minted.payload }) : `${token}\n`;

  if (opts.copy === true) {
    const { copyToClipboard } = await import('../clipboard.js');
    const outcome = await copyToClipboard(token);
    if (outcome.copied) {
      if (ctx.json) await ctx.out.write(render.jsonLine({ copied: true, header: minted.header, payload: minted.payload }));
      await ctx.err.write(`Copied a ${alg} token to the clipboard (${describeExpiry(minted.payload, now, time.relativeTime)}).\n`);
      return EXIT.ok;
    }
    await ctx.err.write(render.renderWarningLine(`could not copy to the clipboard: ${outcome.reason}. Printing the token instead.`, errPaint));
  }
  await ctx.out.write(line);
  return EXIT.ok;
}

function describeExpiry(payload: Record<string, unknown>, now: number, relative: (t: number, now: number) => string): string {
  return typeof payload.exp === 'number' ? `expires ${relative(payload.exp, now)}` : 'no expiry';
}
