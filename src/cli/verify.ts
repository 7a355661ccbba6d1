// The CLI half of `jwtkit verify`.
import { EXIT, UsageError, worseExit, type ExitCode } from '../errors.js';
import { keyOptions } from './options.js';
import type { Io } from '../output.js';

export async function runVerify(arg: string | undefined, opts: Record<string, unknown>, ctx: Io): Promise<ExitCode> {
  const [verifyMod, { describeToken }, { loadKeys }, { readTokenBatches }, render, time, { JWS_ALGS }, batchMod] = await Promise.all([
    import('../commands/verify.js'),
    import('../commands/decode.js'),
    import('../keys.js'),
    import('../input.js'),
    import('../render.js'),
    import('../time.js'),
    import('../crypto.js'),
    import('../verify-batch.js'),
  ]);
  const now = opts.at === undefined ? time.nowSeconds() : time.parseTime('--at', opts.at as string, time.nowSeconds());
  const algs = opts.alg as string[] | undefined;
  for (const alg of algs ?? []) {
    if (alg.toLowerCase() === 'none') throw new UsageError('--alg none is never accepted: an unsigned token proves nothing');
    if (!(JWS_ALGS as readonly string[]).includes(alg)) throw new UsageError(`--alg ${alg} is not a JWS algorithm`, `use some of ${JWS_ALGS.join(', ')}`);
  }
  const leeway = time.requireDuration('--leeway', opts.leeway as string);
  const maxAge = opts.maxAge === undefined ? undefined : time.requireDuration('--max-age', opts.maxAge as string);
  const loaded = await loadKeys(keyOptions(opts, time.requireDuration(`--timeout`, opts.timeout as string)), process.env);
  const errPaint = await render.painter(render.colorEnabled(process.stderr));
  for (const w of loaded.warnings) await ctx.err.write(render.renderWarningLine(w, errPaint));
  const paint = await render.painter(!ctx.json && render.colorEnabled(process.stdout));
  const options: import('../commands/verify.js').VerifyOptions = {
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
  const iterator = readTokenBatches({ arg, scan: opts.scan === true, stdin: () => process.stdin })[Symbol.asyncIterator]();
  // A single token (an argument, or one piped line) gets the full view; several get a line each.
  const first = await iterator.next();
  const firstItems = first.done ? [] : first.value;
  const second = first.done || firstItems.length > 1 ? undefined : await iterator.next();
  if (second?.done && firstItems.length === 1) {
    const item = firstItems[0]!;
    const r = 'error' in item ? verifyMod.malformedResult(item.error.message) : verify(item.text);
    if (r.reason === 'malformed') await ctx.err.write(render.renderErrorLine(r.message, undefined, errPaint));
    if (ctx.json) await ctx.out.write(verifyMod.verifyJsonLine(r));
    else if (r.token) await ctx.out.write(render.renderDecoded(describeToken(r.token, now), paint, { verifiedLine: render.renderVerdictLine(r, paint) }));
    else if (r.reason !== 'malformed') await ctx.out.write(`${render.renderVerdictLine(r, paint)}\n`);
    return batchMod.exitFor(r);
  }
  async function* batches() {
    if (!first.done) yield firstItems;
    if (second && !second.done) yield second.value;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }

  // Many tokens: a line each, in input order, batch by batch (a batch is one chunk of input).
  const format = { json: ctx.json, paint, errPaint };
  let exit: ExitCode = EXIT.ok;
  for await (const items of batches()) {
    const out = batchMod.verifyBatch(verify, items, format);
    exit = worseExit(exit, out.exit);
    if (out.stderr) await ctx.err.write(out.stderr);
    await ctx.out.write(out.stdout);
  }
  return exit;
}
