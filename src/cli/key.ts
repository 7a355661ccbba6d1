// `jwtkit key inspect|public|convert|thumbprint|jwks`: their definitions, and the CLI half that
// reads the key files (or stdin) and writes the output (or a new file).
import { ASYMMETRIC_ALGS, HMAC_ALGS, KEY_FORMATS, KEY_USES, THUMBPRINT_HASHES, type ThumbprintHash } from '../algs.js';
import type { KeyFormat, KeyInput, KeyOutput } from '../commands/key.js';
import { EXIT, JwtkitError, type ExitCode } from '../errors.js';
import type { Io } from '../output.js';
import { type CliContext, collect, Command, type CommandHeader, commandOf, Option, type TypedCommand } from './common.js';
import { shown } from '../shown.js';

export type KeyVerb = 'inspect' | 'public' | 'convert' | 'thumbprint' | 'jwks';
export const KEY_VERBS: readonly KeyVerb[] = Object.freeze(['inspect', 'public', 'convert', 'thumbprint', 'jwks']);
const SIGNING_ALGS = [...ASYMMETRIC_ALGS, ...HMAC_ALGS];

/** --passphrase-env/--passphrase-file: encrypted PEM private keys, never a passphrase in argv. */
function withPassphrase<A extends unknown[], O extends Record<string, unknown>>(cmd: TypedCommand<A, O>) {
  return cmd
    .option('--passphrase-env <name>', 'the passphrase of an encrypted PEM private key is in this environment variable')
    .option('--passphrase-file <path>', 'the passphrase of an encrypted PEM private key is in this file');
}

/** jwtkit key's line in `jwtkit --help`; its definition starts from it. */
export const keyHeader: CommandHeader = Object.freeze({
  name: 'key',
  term: '[verb]',
  description: 'the key toolbox: inspect, public half, PEM <-> JWK, thumbprint, the JWKS to publish',
});

export function keyCommand(ctx: CliContext) {
  // The CLI half through import(): the front bundle (gen, --help; scripts/build.mjs) leaves it out.
  const run = (verb: KeyVerb) => async (files: string[] | string | undefined, opts: KeyCliOptions) =>
    ctx.setExit(await (await import('./key.js')).runKey(verb, files === undefined ? [] : Array.isArray(files) ? files : [files], opts, ctx));

  const inspect = withPassphrase(
    new Command('inspect')
      .description("what a key is: type, size, algorithms, RFC 7638 thumbprint, kid; a certificate's subject and dates")
      .argument('[files...]', 'PEM, certificate, JWK, JWKS or certificate map; "-" or nothing reads stdin'),
  )
    .option('--at <time>', 'judge certificate dates as of TIME: ISO 8601, Unix seconds, or -1h / +30m')
    .option('--local', "also show certificate dates on this machine's clock (its time zone; TZ is honoured)")
    .option('--tz <zone>', 'also show certificate dates in this IANA time zone: Europe/Paris, America/New_York…')
    .option('--json', 'print JSON, one object per key')
    .action(run('inspect'));
  const pub = withPassphrase(
    new Command('public').description('the public half of a key, in the same format or --format').argument('[file]', 'a key; "-" or nothing reads stdin'),
  )
    .addOption(new Option('--format <format>', 'output format (default: that of the input)').choices(KEY_FORMATS))
    .option('--out <file>', 'write FILE instead of printing; never overwrites')
    .option('--json', 'print {"format","private","keys","key"}')
    .action(run('public'));
  const convert = withPassphrase(
    new Command('convert')
      .description('PEM <-> JWK, private stays private; a JWK gets kid = thumbprint unless it has one')
      .argument('[file]', 'a key; "-" or nothing reads stdin'),
  )
    .addOption(new Option('--to <format>', 'pem (PKCS#8 or SPKI), jwk, or jwks').choices(KEY_FORMATS).makeOptionMandatory())
    .addOption(new Option('--alg <alg>', "set the JWK's alg (it must fit the key)").choices(SIGNING_ALGS))
    .addOption(new Option('--use <use>', "set the JWK's use").choices(KEY_USES))
    .option('--out <file>', 'write FILE instead of printing (a private key with mode 0600); never overwrites')
    .option('--json', 'print {"format","private","keys","key"}')
    .action(run('convert'));
  const thumbprint = withPassphrase(
    new Command('thumbprint').description('the RFC 7638 JWK thumbprint of each key (of its public half)').argument('[files...]', 'keys; "-" or nothing reads stdin'),
  )
    .addOption(new Option('--hash <hash>', 'the hash').choices(THUMBPRINT_HASHES).default('sha256' as const))
    .option('--json', 'print {"source","kid","thumbprint","hash","uri"} per key')
    .action(run('thumbprint'));
  const jwks = new Command('jwks')
    .description('a JWKS of public keys from any mix of PEM/JWK/JWKS files: merged, de-duplicated, in order')
    .argument('[files...]', 'keys and key sets; "-" reads stdin')
    .option('--drop <kid>', 'leave out the key with this kid or thumbprint (repeatable): the last step of a rotation', collect)
    .addOption(new Option('--alg <alg>', 'set alg on every key (it must fit each)').choices(SIGNING_ALGS))
    .addOption(new Option('--use <use>', 'use for keys that have none').choices(KEY_USES).default('sig' as const))
    .option('--private', 'keep private keys and secrets (a set for the signer: never publish it)')
    .option('--out <file>', 'write FILE instead of printing (mode 0600 with --private); never overwrites')
    .option('--json', 'print {"format","private","keys","key"}')
    .addHelpText(
      'after',
      `
Rotation:
  $ jwtkit key jwks public/jwks.json keys/new.pub.pem > jwks.next.json   # publish both
  $ jwtkit key jwks public/jwks.json --drop OLD_KID > jwks.next.json     # later: drop the old`,
    )
    .action(run('jwks'));

  const key = commandOf(keyHeader)
    .usage('inspect|public|convert|thumbprint|jwks [options] [files...]')
    .addHelpText(
      'after',
      `
Examples:
  $ jwtkit key inspect keys/jwt.key.pem                  # type, algorithms, thumbprint
  $ jwtkit key public keys/jwt.key.pem > keys/jwt.pub.pem
  $ jwtkit key convert keys/jwt.pub.pem --to jwk         # kid = RFC 7638 thumbprint
  $ jwtkit key jwks keys/jwt.pub.pem > jwks.json         # publish at /.well-known/jwks.json`,
    )
    // `jwtkit key` alone shows the verbs; an unknown verb is a usage error naming them.
    .argument('[verb]')
    .action((verb) => {
      if (verb !== undefined) throw new JwtkitError('usage', `unknown key command ${shown(verb)}`, `use one of ${KEY_VERBS.join(', ')}`);
      key.outputHelp();
    });
  for (const verb of [inspect, pub, convert, thumbprint, jwks]) key.addCommand(verb);
  return key;
}

export interface KeyCliOptions {
  passphraseEnv?: string | undefined;
  passphraseFile?: string | undefined;
  format?: KeyFormat | undefined;
  to?: KeyFormat | undefined;
  alg?: string | undefined;
  use?: string | undefined;
  hash?: ThumbprintHash | undefined;
  private?: boolean | undefined;
  drop?: string[] | undefined;
  out?: string | undefined;
  at?: string | undefined;
  local?: boolean | undefined;
  tz?: string | undefined;
  json?: boolean | undefined;
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
  const errPaint = await render.painter(render.colorEnabled(ctx.sys.stderr, ctx.sys.env));
  const note = (text: string) => ctx.err.write(render.renderNoteLine(text, errPaint));

  if (files.length === 0) files = ['-'];
  if (files.filter((f) => f === '-').length > 1) throw new JwtkitError('usage', 'stdin ("-") can be read once');
  const inputs: KeyInput[] = [];
  for (const file of files) {
    if (file === '-') {
      if (ctx.sys.stdin.isTTY) throw new JwtkitError('usage', 'no key file given', `pass a file, or pipe the key in: cat key.pem | jwtkit key ${verb}`);
      const text = await input.readStdinText(ctx.sys.stdin, 'a key');
      if (text.trim() === '') throw new JwtkitError('bad_key', 'stdin is empty: no key to read');
      inputs.push({ label: 'stdin', text });
    } else {
      inputs.push({ label: file, text: input.readTextFile(file, 'key file') });
    }
  }
  const passphrase = input.readPassphrase(opts, ctx.sys.env);
  const readNotes: string[] = [];
  const entries = keyMod.readKeys(inputs, { passphrase, notes: readNotes });
  for (const text of readNotes) await note(text);

  if (verb === 'inspect') {
    const now = opts.at === undefined ? time.nowSeconds() : time.parseTime('--at', opts.at, time.nowSeconds());
    const zone = time.resolveZone(opts);
    const reports = keyMod.inspectKeys(entries, { now });
    const paint = await render.painter(!ctx.json && render.colorEnabled(ctx.sys.stdout, ctx.sys.env));
    await ctx.out.write(ctx.json ? renderKey.renderInspectJson(reports) : renderKey.renderInspect(reports, { now, paint, zone }));
    return reports.some((r) => r.warnings.some((w) => keyMod.PROBLEM_CODES.includes(w.code))) ? EXIT.no : EXIT.ok;
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
    writeNewFile(opts.out, renderKey.keyOutputText(out), out.private ? 0o600 : 0o644, 'choose another --out file, or move the old one away first');
    await ctx.out.write(renderKey.renderKeyOutput(out, ctx.json, opts.out));
    await ctx.err.write(renderKey.keyWrittenNote(out, opts.out));
    return EXIT.ok;
  }
  await ctx.out.write(renderKey.renderKeyOutput(out, ctx.json));
  return EXIT.ok;
}
