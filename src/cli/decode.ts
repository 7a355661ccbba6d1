// The CLI half of `jwtkit decode`.
import { EXIT, isJwtkitError, worseExit, type ExitCode, type JwtkitError } from '../errors.js';
import type { Io } from '../output.js';

interface TokenLoop {
  /** from stdin or --scan: errors name the token's position */
  many: boolean;
}

export async function runDecode(arg: string | undefined, opts: Record<string, unknown>, ctx: Io): Promise<ExitCode> {
  const [{ decodeToken, decodedJsonLine, pickClaim }, { readTokenBatches }, render, time] = await Promise.all([
    import('../commands/decode.js'),
    import('../input.js'),
    import('../render.js'),
    import('../time.js'),
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
  err: JwtkitError,
  index: number,
  loop: TokenLoop,
  ctx: Io,
  render: typeof import('../render.js'),
  errPaint: import('../render.js').Paint,
): Promise<void> {
  const where = loop.many ? `token ${index + 1}: ` : '';
  if (ctx.json) await ctx.out.write(render.renderErrorJson(err.code, `${where}${err.message}`));
  await ctx.err.write(render.renderErrorLine(`${where}${err.message}`, err.hint, errPaint));
}

