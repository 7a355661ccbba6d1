// The CLI half of `jwtkit gen`: options in, output through Io.
import type { Command } from 'commander';
import { isAsymmetricAlg, type HmacAlg, type SECRET_ENCODINGS } from '../crypto.js';
import { copyToClipboard } from '../clipboard.js';
import { HMAC_KEY_BYTES, genKeyPair, genSecrets } from '../commands/gen.js';
import { EXIT, JwtkitError, type ExitCode } from '../errors.js';
import type { Io } from '../output.js';
// Static imports: this module is itself loaded on demand, and named imports let the bundler keep
// only what gen uses (no decode or check renderers in gen's start-up).
import * as render from '../render.js';

export async function runGen(opts: Record<string, unknown>, cmd: Command, ctx: Io): Promise<ExitCode> {
  const errPaint = await render.painter(render.colorEnabled(process.stderr));
  const hints = render.hintsEnabled(process.stdout, process.stderr);
  const alg = opts.alg as string | undefined;
  const given = (name: string) => cmd.getOptionValueSource(name) === 'cli';

  if (alg !== undefined && isAsymmetricAlg(alg)) {
    for (const name of ['copy', 'dotenv', 'count', 'bytes', 'encoding']) {
      if (given(name)) {
        throw new JwtkitError('usage', 
          `--${name} is for secrets, not ${alg} key pairs`,
          name === 'copy' ? 'write the keys with --out PREFIX instead' : `drop --${name}`,
        );
      }
    }
    const result = genKeyPair({
      alg,
      format: opts.format as 'pem' | 'jwk',
      out: opts.out as string | undefined,
      modulusLength: opts.modulusLength as number | undefined,
    });
    await ctx.out.write(render.renderGenKeyPair(result, ctx.json));
    if (result.files || hints) await ctx.err.write(render.genKeyPairNote(result, errPaint));
    return EXIT.ok;
  }
  if (opts.modulusLength !== undefined) throw new JwtkitError('usage', '--modulus-length is for RSA key pairs', 'add --alg RS256 (or PS256…)');
  for (const name of ['out', 'format']) {
    if (given(name)) throw new JwtkitError('usage', `--${name} is for key pairs`, 'add --alg ES256 (or RS256, EdDSA…)');
  }

  let bytes = opts.bytes as number;
  if (alg !== undefined) {
    const needed = HMAC_KEY_BYTES[alg as HmacAlg];
    if (!given('bytes')) bytes = needed;
    else if (bytes < needed) throw new JwtkitError('usage', `${alg} needs a key of at least ${needed} bytes (RFC 7518 §3.2)`, `use --bytes ${needed} or more`);
  }
  const dotenv = opts.dotenv === true ? 'JWT_SECRET' : (opts.dotenv as string | undefined);
  const copy = opts.copy === true;
  const count = opts.count as number;
  if (copy && count !== 1) throw new JwtkitError('usage', '--copy holds one secret', 'drop --count, or drop --copy to print them');

  const secrets = genSecrets({ bytes, encoding: opts.encoding as (typeof SECRET_ENCODINGS)[number], count, dotenv });
  if (copy) {
    const result = secrets.next().value!;
    const outcome = await copyToClipboard(result.line);
    if (outcome.copied) {
      await ctx.out.write(render.renderGenSecretCopied(result, ctx.json));
      await ctx.err.write(
        `Copied a ${result.bits}-bit secret to the clipboard. Paste it as ${result.name ?? 'JWT_SECRET'} in your host's secret store; never commit it.\n`,
      );
    } else {
      await ctx.err.write(render.renderWarningLine(`could not copy to the clipboard: ${outcome.reason}. Printing the secret instead.`, errPaint));
      await ctx.out.write(render.renderGenSecret(result, ctx.json));
    }
    return EXIT.ok;
  }
  let last: ReturnType<typeof secrets.next>['value'];
  for (const result of secrets) {
    await ctx.out.write(render.renderGenSecret(result, ctx.json));
    last = result;
  }
  if (hints && last && !ctx.json) await ctx.err.write(render.genSecretHint(last, errPaint));
  return EXIT.ok;
}

