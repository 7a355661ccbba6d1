// The CLI half of `jwtkit check`.
import type { SECRET_ENCODINGS } from '../crypto.js';
import { EXIT, JwtkitError, type ExitCode } from '../errors.js';
import type { Io } from '../output.js';

export async function runCheck(arg: string | undefined, opts: Record<string, unknown>, ctx: Io): Promise<ExitCode> {
  const [{ checkSecret }, { readSecrets, readStdinText }, render] = await Promise.all([
    import('../commands/check.js'),
    import('../input.js'),
    import('../render.js'),
  ]);
  const errPaint = await render.painter(render.colorEnabled(process.stderr));
  const given = [arg !== undefined, opts.secretEnv !== undefined, opts.secretFile !== undefined].filter(Boolean).length;
  if (given > 1) throw new JwtkitError('usage', 'give one secret: an argument, --secret-env or --secret-file');
  let secret: string;
  let label: string;
  if (given === 1) {
    const { secrets, warnings } = readSecrets(
      {
        secretEnv: opts.secretEnv === undefined ? undefined : [opts.secretEnv as string],
        secretFile: opts.secretFile as string | undefined,
        secret: arg,
        secretArgName: 'a secret argument',
        // check reports whitespace around the secret itself, as a finding.
        warnWhitespace: false,
      },
      process.env,
    );
    for (const w of warnings) await ctx.err.write(render.renderWarningLine(w, errPaint));
    secret = secrets[0]!.text;
    label = secrets[0]!.label === '--secret' ? 'the argument' : secrets[0]!.label;
  } else if (!process.stdin.isTTY) {
    secret = await readStdinText(process.stdin);
    label = 'stdin';
    if (secret === '') throw new JwtkitError('usage', 'stdin is empty: no secret to check', 'pipe it in, or use --secret-env NAME');
  } else {
    throw new JwtkitError('usage', 'no secret given', 'use --secret-env JWT_SECRET, --secret-file PATH, or pipe it in');
  }
  const verdict = await checkSecret({
    secret,
    label,
    encoding: opts.secretEncoding as (typeof SECRET_ENCODINGS)[number] | undefined,
    alg: opts.alg as 'HS256' | 'HS384' | 'HS512',
    wordlist: opts.wordlist as string | undefined,
  });
  const paint = await render.painter(!ctx.json && render.colorEnabled(process.stdout));
  await ctx.out.write(ctx.json ? render.renderVerdictJson(verdict) : render.renderVerdict(verdict, secret, label, paint));
  return verdict.verdict === 'strong' ? EXIT.ok : EXIT.no;
}

