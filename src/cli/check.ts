// `jwtkit check`: its definition, and the CLI half that turns the parsed options into output.
import { HMAC, HMAC_ALGS, SECRET_ENCODINGS } from '../algs.js';
import { EXIT, type ExitCode } from '../errors.js';
import type { Io } from '../output.js';
import { type CliContext, type CommandHeader, commandOf, Option, REPORT_PRETTY_HELP } from './common.js';

/** jwtkit check's line in `jwtkit --help`; its definition starts from it. */
export const checkHeader: CommandHeader = Object.freeze({
  name: 'check',
  term: '[options] [secret]',
  description: 'judge whether a secret is fit to sign tokens: strong only if it looks generated and is long enough',
});

function definition() {
  return commandOf(checkHeader)
    .argument('[secret]', 'the secret (lands in shell history: prefer --secret-env or stdin; - is stdin)')
    .option('--secret-env <name>', 'the secret is in this environment variable')
    .option('--secret-file <path>', 'the secret is in this file (one trailing newline is dropped)')
    .addOption(
      new Option('--secret-encoding <enc>', 'the key is the decoded bytes, for apps that do Buffer.from(secret, enc)').choices(SECRET_ENCODINGS),
    )
    .addOption(new Option('--alg <alg>', 'the algorithm it must be fit for').choices(HMAC_ALGS).default('HS256' as const))
    .option('--wordlist <file>', 'also refuse secrets listed in FILE, one per line (e.g. wallarm/jwt-secrets)')
    .option('--json', 'print JSON; the default when stdout is not a terminal')
    .option('--pretty', REPORT_PRETTY_HELP)
    .addHelpText(
      'after',
      `
A secret is strong only when jwtkit recognises a generator's output (random bytes in hex, base64
or base64url, a random alphanumeric string, UUIDs) carrying the bits the algorithm needs
(RFC 7518 §3.2: ${HMAC_ALGS.map((a) => HMAC[a].bits).join('/')}), with at least that many key bytes. Entropy belongs to the
generator, not to the string: jwtkit cannot prove a secret random, only recognise generated
output and refute it by finding structure, words or published values. The secret is never printed.
On a terminal check prints the verdict in words; in a pipe or a file, JSON (--pretty keeps words).

Examples:
  $ jwtkit check --secret-env JWT_SECRET || exit 1        # a deploy gate
  $ printenv JWT_SECRET | jwtkit check | jq .verdict
  $ jwtkit check --secret-env JWT_SECRET --wordlist jwt.secrets.list`,
    );
}

type CheckOpts = ReturnType<ReturnType<typeof definition>['opts']>;

export function checkCommand(ctx: CliContext) {
  // The CLI half through import(): the front bundle (gen, --help; scripts/build.mjs) leaves it out.
  return definition().action(async (secret, opts) => ctx.setExit(await (await import('./check.js')).runCheck(secret, opts, ctx)));
}

export async function runCheck(arg: string | undefined, opts: CheckOpts, ctx: Io): Promise<ExitCode> {
  const [{ checkSecret }, { readOneSecret }, render] = await Promise.all([
    import('../commands/check.js'),
    import('../input.js'),
    import('../render.js'),
  ]);
  const errPaint = await render.painter(render.colorEnabled(ctx.sys.stderr, ctx.sys.env));
  const { secret, warnings } = await readOneSecret(
    // `-` is stdin, as for every command: not a one-character secret
    { secretEnv: opts.secretEnv, secretFile: opts.secretFile, secret: arg === '-' ? undefined : arg, secretArgName: 'a secret argument' },
    ctx.sys.env,
    ctx.sys.stdin,
  );
  for (const w of warnings) await ctx.err.write(render.renderWarningLine(w, errPaint));
  const verdict = await checkSecret({ secret: secret.text, label: secret.label, encoding: opts.secretEncoding, alg: opts.alg, wordlist: opts.wordlist, env: ctx.sys.env });
  const paint = await render.painter(!ctx.json && render.colorEnabled(ctx.sys.stdout, ctx.sys.env));
  await ctx.out.write(ctx.json ? render.renderVerdictJson(verdict) : render.renderVerdict(verdict, secret.text, secret.label, paint));
  return verdict.verdict === 'strong' ? EXIT.ok : EXIT.no;
}
