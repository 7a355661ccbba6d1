// `jwtkit decode`: its definition, and the CLI half that turns the parsed options into output.
import { EXIT, isJwtkitError, worseExit, type ExitCode, type JwtkitError } from '../errors.js';
import type { Io } from '../output.js';
import { type CliContext, type CommandHeader, commandOf, REPORT_JSON_HELP, REPORT_PRETTY_HELP } from './common.js';

/** jwtkit decode's line in `jwtkit --help`; its definition starts from it. */
export const decodeHeader: CommandHeader = Object.freeze({
  name: 'decode',
  term: '[options] [token]',
  description: 'show what a token says: header, claims, times in words, warnings (no verification)',
});

function definition() {
  return commandOf(decodeHeader)
    .argument('[token]', 'the token; "-" or nothing reads stdin, one token per line')
    .option('--scan', 'find every JWT anywhere in the input (logs, curl -v output, JSON)')
    .option('--paste', 'read the token from the clipboard (one token a line, as stdin)')
    .option('--claim <name>', 'print one claim alone (a string raw, anything else as JSON); exit 1 if missing')
    .option('--at <time>', 'judge times as of TIME: ISO 8601, Unix seconds, or -1h / +30m')
    .option('--local', "also show times on this machine's clock (its time zone; TZ is honoured)")
    .option('--tz <zone>', 'also show times in this IANA time zone: Europe/Paris, America/New_York, Asia/Tokyo…')
    .option('--json', REPORT_JSON_HELP)
    .option('--pretty', REPORT_PRETTY_HELP)
    .addHelpText(
      'after',
      `
On a terminal decode prints the human view; in a pipe or a file, one JSON object per token
(--json's form), so \`jwtkit decode "$T" | jq .\` works. --pretty keeps the human view in a pipe.
--claim prints the claim itself either way. --tz Europe/Paris (or --local) adds each time on that
zone's clock beside UTC.

Any JWS (RFC 7515) decodes: a payload that is not a JSON object is shown as text (escaped) or as
hex/base64url when binary ("jwt": false, "payload_text", "payload_base64url" in JSON). A JSON
serialization (flattened or general) goes as the argument, jwtkit decode "$(cat jws.json)", or as
one line on stdin; its unprotected headers are shown apart from the protected ones.

Examples:
  $ jwtkit decode eyJhbGciOi...              # header, payload, "expired 3h ago"
  $ jwtkit decode "$TOKEN" | jq .payload      # JSON in a pipe
  $ jwtkit decode --claim sub "$TOKEN"        # one claim, for scripts
  $ grep -h Authorization access.log | jwtkit decode --scan | jq -r .payload.sub`,
    );
}

type DecodeOpts = ReturnType<ReturnType<typeof definition>['opts']>;

export function decodeCommand(ctx: CliContext) {
  // The CLI half through import(): the front bundle (gen, --help; scripts/build.mjs) leaves it out.
  return definition().action(async (token, opts) => ctx.setExit(await (await import('./decode.js')).runDecode(token, opts, ctx)));
}

interface TokenLoop {
  /** from stdin or --scan: errors name the token's position */
  many: boolean;
}

export async function runDecode(arg: string | undefined, opts: DecodeOpts, ctx: Io): Promise<ExitCode> {
  // --claim prints the claim itself (raw in a pipe, like jq -r): JSON only when asked.
  if (opts.claim !== undefined) ctx.json = opts.json === true;
  const [{ claimMissing, decodeToken, pickClaim }, { readTokenBatches }, render, time, { createTokenParser }] = await Promise.all([
    import('../commands/decode.js'),
    import('../input.js'),
    import('../render.js'),
    import('../time.js'),
    import('../token.js'),
  ]);
  const parse = createTokenParser({ embedded: true });
  const now = opts.at === undefined ? time.nowSeconds() : time.parseTime('--at', opts.at, time.nowSeconds());
  const zone = time.resolveZone(opts);
  const paint = await render.painter(!ctx.json && render.colorEnabled(ctx.sys.stdout, ctx.sys.env));
  const errPaint = await render.painter(render.colorEnabled(ctx.sys.stderr, ctx.sys.env));
  const claim = opts.claim;
  const loop: TokenLoop = { many: arg === undefined || arg === '-' || opts.scan === true };
  let exit: ExitCode = EXIT.ok;
  let decoded = 0;
  let encrypted: import('../token.js').JsonObject | undefined;
  let found = 0;

  const pasted = opts.paste === true ? await (await import('./copy.js')).pastedInput(arg, ctx.sys.env) : undefined;
  for await (const batch of readTokenBatches({ arg: pasted ? '-' : arg, scan: opts.scan === true, stdin: () => pasted ?? ctx.sys.stdin })) for (const item of batch) {
    let result;
    try {
      if ('error' in item) throw item.error;
      result = decodeToken(item.text, now, parse);
    } catch (err) {
      if (!isJwtkitError(err)) throw err;
      exit = worseExit(exit, err.exitCode);
      await reportTokenError(err, item, loop, ctx, render, errPaint);
      continue;
    }
    if (result.encrypted) encrypted ??= result.header;
    else decoded++;
    if (result.token.foundIn !== undefined && found++ === 0) {
      await ctx.err.write(render.renderFoundNote(result.token.foundIn, loop.many ? `token ${item.index + 1}: ` : '', errPaint));
    }
    if (claim !== undefined) {
      const picked = result.payload ? pickClaim(result.payload, claim) : { found: false as const };
      if (!picked.found) {
        exit = worseExit(exit, EXIT.no);
        const why = result.encrypted ? 'the token is encrypted' : claimMissing(claim, result.jwt);
        const where = loop.many ? `token ${item.index + 1}: ` : '';
        if (ctx.json) await ctx.out.write(render.renderErrorJson('claim_missing', `${where}${why}`, positionOf(item)));
        await ctx.err.write(render.renderErrorLine(`${where}${why}`, undefined, errPaint));
        continue;
      }
      await ctx.out.write(
        ctx.json
          ? render.renderClaimJson(claim, picked.value, positionOf(item))
          : render.renderClaimValue(picked.value, ctx.sys.stdout.isTTY === true),
      );
      continue;
    }
    if (ctx.json) {
      const pending = ctx.out.write(render.renderDecodedJson(result, positionOf(item)));
      if (pending) await pending;
    } else {
      const heading = item.index > 0 ? `\n── token ${item.index + 1} ──` : undefined;
      await ctx.out.write(render.renderDecoded(result, paint, { ...(heading ? { heading } : {}), zone }));
    }
  }
  if (encrypted !== undefined && claim === undefined) {
    await ctx.err.write(render.renderEncryptedNote(encrypted, errPaint));
  }
  if (found > 1) await ctx.err.write(render.renderFoundMoreNote(found - 1, errPaint));
  if (decoded > 0 && claim === undefined) {
    await ctx.err.write(render.renderNoteLine('the signature was NOT verified; check it with jwtkit verify and the secret or key', errPaint));
  }
  return exit;
}

/** An NDJSON record's position: `index` from 1 in input order, `line` the stdin line. */
function positionOf(item: { index: number; line?: number | undefined }): { index: number; line?: number | undefined } {
  return { index: item.index + 1, line: item.line };
}

async function reportTokenError(
  err: JwtkitError,
  item: { index: number; line?: number | undefined },
  loop: TokenLoop,
  ctx: Io,
  render: typeof import('../render.js'),
  errPaint: import('../render.js').Paint,
): Promise<void> {
  const where = loop.many ? `token ${item.index + 1}: ` : '';
  if (ctx.json) await ctx.out.write(render.renderErrorJson(err.code, `${where}${err.message}`, positionOf(item)));
  await ctx.err.write(render.renderErrorLine(`${where}${err.message}`, err.hint, errPaint));
}

