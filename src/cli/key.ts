// The CLI half of `jwtkit key inspect|public|convert|thumbprint|jwks`: files and stdin in,
// output (or a new file) through Io.
import type { KeyFormat, KeyInput, KeyOutput } from '../commands/key.js';
import { EXIT, JwtkitError, type ExitCode } from '../errors.js';
import type { Io } from '../output.js';

export type KeyVerb = 'inspect' | 'public' | 'convert' | 'thumbprint' | 'jwks';

export interface KeyCliOptions {
  passphraseEnv?: string | undefined;
  passphraseFile?: string | undefined;
  format?: KeyFormat | undefined;
  to?: KeyFormat | undefined;
  alg?: string | undefined;
  use?: string | undefined;
  hash?: 'sha256' | 'sha384' | 'sha512' | undefined;
  private?: boolean | undefined;
  drop?: string[] | undefined;
  out?: string | undefined;
  at?: string | undefined;
}

export async function runKey(verb: KeyVerb, files: string[], opts: KeyCliOptions, ctx: Io): Promise<ExitCode> {
  const [keyMod, input, render, renderKey, time, { writeNewFile }] = await Promise.all([
    import('../commands/key.js'),
    import('../input.js'),
    import('../render.js'),
    import('../render-key.js'),
    import('../time.js'),
    import('../commands/gen.js'),
  ]);
  const errPaint = await render.painter(render.colorEnabled(process.stderr));
  const note = (text: string) => ctx.err.write(`${errPaint.warn('jwtkit: note:')} ${renderKey.safeText(text)}\n`);

  if (files.length === 0) files = ['-'];
  if (files.filter((f) => f === '-').length > 1) throw new JwtkitError('usage', 'stdin ("-") can be read once');
  const inputs: KeyInput[] = [];
  for (const file of files) {
    if (file === '-') {
      if (process.stdin.isTTY) throw new JwtkitError('usage', 'no key file given', `pass a file, or pipe the key in: cat key.pem | jwtkit key ${verb}`);
      const text = await input.readStdinText(process.stdin);
      if (text.trim() === '') throw new JwtkitError('bad_key', 'stdin is empty: no key to read');
      inputs.push({ label: 'stdin', text });
    } else {
      inputs.push({ label: file, text: input.readTextFile(file, 'key file') });
    }
  }
  const passphrase = input.readPassphrase(opts, process.env);
  const entries = keyMod.readKeys(inputs, { passphrase });

  if (verb === 'inspect') {
    const now = opts.at === undefined ? time.nowSeconds() : time.parseTime('--at', opts.at, time.nowSeconds());
    const reports = keyMod.inspectKeys(entries, { now });
    const paint = await render.painter(!ctx.json && render.colorEnabled(process.stdout));
    await ctx.out.write(ctx.json ? renderKey.renderInspectJson(reports) : renderKey.renderInspect(reports, { now, paint }));
    return reports.some((r) => r.warnings.some((w) => keyMod.PROBLEM_CODES.has(w.code))) ? EXIT.no : EXIT.ok;
  }
  if (verb === 'thumbprint') {
    await ctx.out.write(renderKey.renderThumbprints(keyMod.thumbprints(entries, { hash: opts.hash ?? 'sha256' }), ctx.json));
    return EXIT.ok;
  }

  let out: KeyOutput;
  if (verb === 'public') out = keyMod.publicKeys(entries, { format: opts.format });
  else if (verb === 'convert') out = keyMod.convertKeys(entries, { to: opts.to!, alg: opts.alg, use: opts.use });
  else out = keyMod.buildJwks(entries, { private: opts.private === true, drop: opts.drop ?? [], alg: opts.alg, use: opts.use });

  for (const text of out.notes) await note(text);
  if (verb === 'jwks' && out.private) {
    await ctx.err.write(render.renderWarningLine('this JWKS holds PRIVATE keys (--private): keep it secret, never publish it', errPaint));
  }
  if (opts.out !== undefined) {
    if (opts.out === '') throw new JwtkitError('usage', '--out needs a file name');
    // Private keys: mode 0600 from the start. Nothing is ever written over an existing file.
    writeNewFile(opts.out, out.text, out.private ? 0o600 : 0o644, 'choose another --out file, or move the old one away first');
    await ctx.out.write(renderKey.renderKeyOutput(out, ctx.json, opts.out));
    await ctx.err.write(`Wrote ${opts.out}${out.private ? ' (private, mode 0600: keep it secret)' : ''}.\n`);
    return EXIT.ok;
  }
  await ctx.out.write(renderKey.renderKeyOutput(out, ctx.json));
  return EXIT.ok;
}
