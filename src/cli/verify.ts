// `jwtkit verify`: its definition, and the CLI half that turns the parsed options into output.
import { EXIT, worseExit, type ExitCode } from '../errors.js';
import type { Io } from '../output.js';
import { type CliContext, collect, collectList, type CommandHeader, commandOf, keyOptionsOf, Option, REPORT_JSON_HELP, REPORT_PRETTY_HELP, withSecretOptions } from './common.js';

/** jwtkit verify's line in `jwtkit --help`; its definition starts from it. */
export const verifyHeader: CommandHeader = Object.freeze({
  name: 'verify',
  term: '[options] [token]',
  description: "check a token's signature and claims with a secret, a key, a JWKS or an OpenID issuer",
});

function definition() {
  return withSecretOptions(
    commandOf(verifyHeader)
      .argument('[token]', 'the token; "-" or nothing reads stdin, one token per line'),
    'the secret is in this environment variable (repeat for rotation)',
  )
    .option('--key <file>', 'a PEM key or certificate, a JWK or a JWKS, recognised by content', collect)
    .option('--jwks <file|url>', "a JWKS file or URL; the key is chosen by the token's kid")
    .option('--issuer <url>', "an OpenID Connect issuer: its discovery document's jwks_uri, and iss must match")
    .option('--timeout <duration>', 'time limit for each remote fetch', '5s')
    .option('--alg <list>', 'allowed algorithms, comma-separated (default: those of the secret or key)', collectList)
    .option('--iss <issuer>', 'require this issuer (repeat for any of several)', collect)
    .option('--aud <audience>', 'require this audience (repeat for any of several)', collect)
    .option('--sub <subject>', 'require this subject')
    .option('--leeway <duration>', 'clock skew allowed for exp and nbf', '0s')
    .option('--at <time>', 'check times as of TIME: ISO 8601, Unix seconds, or -1h / +30m')
    .option('--local', "also show times on this machine's clock (its time zone; TZ is honoured)")
    .option('--tz <zone>', 'also show times in this IANA time zone: Europe/Paris, America/New_York, Asia/Tokyo…')
    .option('--max-age <duration>', 'refuse tokens issued (iat) longer ago than this')
    .option('--require <claims>', 'claims that must be present, comma-separated', collectList)
    .option('--scan', 'find every JWT anywhere in the input (logs, curl -v output, JSON)')
    .option('--payload-file <path>', 'the detached payload (RFC 7515 Appendix F) of a token whose payload part is empty (header..signature)')
    .option('--all-signatures', 'a JSON serialization is valid only when every signature verifies (default: one is enough)')
    .option('--paste', 'read the token from the clipboard (one token a line, as stdin)')
    .addOption(new Option('-q, --quiet', 'print nothing: the exit code is the verdict (errors still go to stderr)').conflicts(['claim', 'payload', 'verbose']))
    .addOption(new Option('--claim <name>', 'print one claim of a verified token (a string raw, anything else as JSON)').conflicts('payload'))
    .option('--payload', 'print only the verified payload: JWT claims as JSON; any other payload as its text (UTF-8), or base64url when binary')
    .option('--verbose', 'show the full decoded token for a valid token too (an invalid one always shows it)')
    .option('--json', REPORT_JSON_HELP)
    .option('--pretty', REPORT_PRETTY_HELP)
    .addHelpText(
      'after',
      `
On a terminal verify prints the verdict (and the decoded token when it is invalid, or with
--verbose); in a pipe or a file, one JSON object per token (--json's form), whose "index" counts
the tokens from 1 and "line" names the stdin line. --pretty keeps the human view in a pipe. The exit
code is the verdict: 0 valid, 1 invalid, 2 malformed or no key. --quiet, --claim and --payload
print nothing, one claim, or the payload of a valid token (an invalid one says why on stderr).
--payload prints JWT claims as one JSON line; a payload that is not claims as its text exactly,
then a newline (escaped on a terminal), or as base64url when it is not UTF-8; with --json,
{"payload_text":…,"payload_base64url":…}.

Any JWS verifies, whatever its payload ("jwt": false when it is not JSON claims; --iss, --aud,
--require… then fail with claim_missing). A JSON serialization (RFC 7515 §7.2, flattened or
general, the argument or one line on stdin) is valid when one signature verifies with the keys
given (--all-signatures: every one); alg is read from the protected header only, never from an
unprotected one. A detached payload (header..signature) comes from --payload-file; RFC 7797
"b64": false is supported when "crit" names it.

Examples:
  $ jwtkit verify -q --secret-env JWT_SECRET "$TOKEN" && echo genuine
  $ jwtkit verify --secret-env JWT_SECRET --claim sub "$TOKEN"       # one verified claim
  $ jwtkit verify --secret-env JWT_SECRET --secret-env JWT_SECRET_PREVIOUS "$TOKEN"   # rotation (gen --dotenv-file)
  $ jwtkit verify --key keys/jwt.pub.pem < tokens.txt | jq -c 'select(.valid | not)'`,
    );
}

type VerifyOpts = ReturnType<ReturnType<typeof definition>['opts']>;

export function verifyCommand(ctx: CliContext) {
  // The CLI half through import(): the front bundle (gen, --help; scripts/build.mjs) leaves it out.
  return definition().action(async (token, opts) => ctx.setExit(await (await import('./verify.js')).runVerify(token, opts, ctx)));
}

export async function runVerify(arg: string | undefined, opts: VerifyOpts, ctx: Io): Promise<ExitCode> {
  const [verifyMod, { describeToken }, { loadKeys }, { readTokenBatches, readBytesFile, MAX_PAYLOAD_FILE_BYTES }, render, time, batchMod] = await Promise.all([
    import('../commands/verify.js'),
    import('../commands/decode.js'),
    import('../keys.js'),
    import('../input.js'),
    import('../render.js'),
    import('../time.js'),
    import('../verify-batch.js'),
  ]);
  // --claim and --payload print the token's own data (raw in a pipe): JSON records only when asked.
  if (opts.claim !== undefined || opts.payload === true) ctx.json = opts.json === true;
  const now = opts.at === undefined ? time.nowSeconds() : time.parseTime('--at', opts.at, time.nowSeconds());
  const zone = time.resolveZone(opts);
  const algs = opts.alg;
  verifyMod.checkAllowedAlgs(algs);
  const leeway = time.requireDuration('--leeway', opts.leeway);
  const maxAge = opts.maxAge === undefined ? undefined : time.requireDuration('--max-age', opts.maxAge);
  const detachedPayload = opts.payloadFile === undefined ? undefined : readBytesFile(opts.payloadFile, 'the payload file', { maxBytes: MAX_PAYLOAD_FILE_BYTES, env: ctx.sys.env });
  const loaded = await loadKeys(keyOptionsOf(opts), ctx.sys.env);
  const errPaint = await render.painter(render.colorEnabled(ctx.sys.stderr, ctx.sys.env));
  for (const w of loaded.warnings) await ctx.err.write(render.renderWarningLine(w, errPaint));
  const paint = await render.painter(!ctx.json && render.colorEnabled(ctx.sys.stdout, ctx.sys.env));
  const options: import('../commands/verify.js').VerifyOptions = {
    keys: loaded.keys,
    algs,
    iss: opts.iss ?? (loaded.issuer === undefined ? undefined : [loaded.issuer]),
    aud: opts.aud,
    sub: opts.sub,
    leeway,
    maxAge,
    require: opts.require ?? [],
    now,
    embedded: true,
    detachedPayload,
    allSignatures: opts.allSignatures === true,
  };
  const verify = verifyMod.createVerifier(options);
  const mode: import('../verify-batch.js').VerifyMode = opts.quiet ? 'quiet' : opts.claim !== undefined ? 'claim' : opts.payload ? 'payload' : 'report';
  const format: import('../verify-batch.js').BatchFormat = { json: ctx.json, paint, errPaint, mode, claim: opts.claim, terminal: ctx.sys.stdout.isTTY === true, found: { count: 0 }, verifyJson: render.createVerifyJsonRenderer() };
  const pasted = opts.paste === true ? await (await import('./copy.js')).pastedInput(arg, ctx.sys.env) : undefined;
  const iterator = readTokenBatches({ arg: pasted ? '-' : arg, scan: opts.scan === true, stdin: () => pasted ?? ctx.sys.stdin })[Symbol.asyncIterator]();
  // A single token (an argument, or one piped line) gets the one-token view; several get a line each.
  const first = await iterator.next();
  const firstItems = first.done ? [] : first.value;
  const second = first.done || firstItems.length > 1 ? undefined : await iterator.next();
  if (second?.done && firstItems.length === 1) {
    const item = firstItems[0]!;
    const r = 'error' in item ? verifyMod.malformedResult(item.error.message) : verify(item.text);
    // The human report of one token: the verdict; the full decoded view when it is invalid (what
    // the token says explains why) or with --verbose, which lists repeated members among its warnings.
    if (mode === 'report' && !ctx.json && r.token && (!r.valid || opts.verbose === true)) {
      if (r.token.foundIn !== undefined) await ctx.err.write(render.renderFoundNote(r.token.foundIn, '', errPaint));
      const view = describeToken(r.source ?? r.token, now);
      await ctx.out.write(render.renderDecoded(view, paint, { verifiedLine: render.renderVerdictLine(r, paint), outcomes: r.signatures, zone }));
      return batchMod.exitFor(r);
    }
    const out = batchMod.verifyOne(r, item, format, '');
    await ctx.err.write(out.stderr);
    await ctx.out.write(out.stdout);
    return out.exit;
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
  let exit: ExitCode = EXIT.ok;
  for await (const items of batches()) {
    const out = batchMod.verifyBatch(verify, items, format);
    exit = worseExit(exit, out.exit);
    if (out.stderr) await ctx.err.write(out.stderr);
    await ctx.out.write(out.stdout);
  }
  if (format.found.count > 1) await ctx.err.write(render.renderFoundMoreNote(format.found.count - 1, errPaint));
  return exit;
}
