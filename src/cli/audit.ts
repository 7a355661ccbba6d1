// `jwtkit audit`: its definition, and the CLI half that turns the parsed options into output.
import { AUDIT_JOBS, SEVERITIES, isHmacAlg } from '../algs.js';
import { EXIT, JwtkitError, isJwtkitError, worseExit, type ExitCode } from '../errors.js';
import type { Io } from '../output.js';
import { type CliContext, collect, type CommandHeader, commandOf, Option, REPORT_JSON_HELP, REPORT_PRETTY_HELP, reportIsJson, wholeNumber } from './common.js';

/** jwtkit audit's line in `jwtkit --help`; its definition starts from it. */
export const auditHeader: CommandHeader = Object.freeze({
  name: 'audit',
  term: '[options] [token]',
  description: "is this token safe to ship? best-practice findings, and the HMAC secret behind it if it is a known one",
});

function definition() {
  return commandOf(auditHeader)
    .argument('[token]', 'the token; "-" or nothing reads stdin, one token per line')
    .option('--scan', 'find every JWT anywhere in the input (logs, curl -v output, JSON)')
    .option('--paste', 'read the token from the clipboard (one token a line, as stdin)')
    .option('--wordlist <file>', 'also try every line of FILE as the secret (repeatable; "-" is stdin, .gz is gunzipped)', collect)
    .option('--jobs <n>', 'threads for the word-list search (default and at most: every core)', wholeNumber(AUDIT_JOBS))
    .option('--no-variants', "try each candidate only as written (not also base64-decoded, or with a trailing newline)")
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at least this severe').choices(SEVERITIES).default('high' as const))
    .option('--at <time>', 'judge times as of TIME: ISO 8601, Unix seconds, or -1h / +30m')
    .option('--json', REPORT_JSON_HELP)
    .option('--pretty', REPORT_PRETTY_HELP)
    .addHelpText(
      'after',
      `
Findings have a severity (critical, high, medium, low, info) and a fix. The secret search tries
jwtkit's built-in list of known secrets (framework defaults, documentation examples, common
passwords) and every line of each --wordlist, each also base64-decoded and with a trailing
newline (the common passwords as written only); a secret found is printed: it is already
public, and that is the finding. A token whose signing input is over 16 KiB (the search costs a
hash of the whole token per key) is searched with the built-in defaults only, and says so.

Exit codes: 0 nothing at or above --fail-on (default high), 1 findings at or above it, 2 bad input.

Examples:
  $ jwtkit audit "$TOKEN"
  $ jwtkit audit --wordlist jwt.secrets.list "$TOKEN"
  $ grep -h Authorization access.log | jwtkit audit --scan --json | jq -c '{alg, secret}'`,
    );
}

type AuditOpts = ReturnType<ReturnType<typeof definition>['opts']>;

export function auditCommand(ctx: CliContext) {
  // The CLI half through import(): the front bundle (gen, --help; scripts/build.mjs) leaves it out.
  return definition().action(async (token, opts) => ctx.setExit(await (await import('./audit.js')).runAudit(token, opts, ctx)));
}

/** Tokens searched together: one pass over the word lists for each group. */
const GROUP = 256;

export async function runAudit(arg: string | undefined, opts: AuditOpts, ctx: Io): Promise<ExitCode> {
  ctx.json = reportIsJson(opts, ctx.sys.stdout.isTTY === true);
  const wordlists = opts.wordlist ?? [];
  const tokenFromStdin = opts.paste !== true && (arg === undefined || arg === '-');
  if (wordlists.filter((w) => w === '-').length > 1) throw new JwtkitError('usage', 'stdin can be read once: give --wordlist - at most once');
  if (wordlists.includes('-') && tokenFromStdin) {
    throw new JwtkitError('usage', 'stdin cannot be both the token and the word list', 'pass the token as an argument: jwtkit audit --wordlist - "$TOKEN"');
  }
  const [audit, { readTokenBatches }, render, time, { createTokenParser }, view, { knownSecrets }] = await Promise.all([
    import('../commands/audit.js'),
    import('../input.js'),
    import('../render.js'),
    import('../time.js'),
    import('../token.js'),
    import('../render-audit.js'),
    import('../lexicon.js'),
  ]);
  // A JSON body, a callback URL or a Cookie header that holds one token is that token, as for decode.
  const parse = createTokenParser({ embedded: true });
  const now = opts.at === undefined ? time.nowSeconds() : time.parseTime('--at', opts.at, time.nowSeconds());
  const paint = await render.painter(!ctx.json && render.colorEnabled(ctx.sys.stdout, ctx.sys.env));
  const errPaint = await render.painter(render.colorEnabled(ctx.sys.stderr, ctx.sys.env));
  const failOn = audit.severityRank(opts.failOn);
  const pasted = opts.paste === true ? await (await import('./copy.js')).pastedInput(arg, ctx.sys.env) : undefined;
  const many = tokenFromStdin || pasted !== undefined || opts.scan === true;
  // Threads serve word lists only. The built-in list alone does not ask node:os: in the bundle
  // import() starts Node's ESM loader (~9 ms of CPU, measured), a tenth of audit's budget there.
  const jobs = wordlists.length > 0 ? audit.searchJobs(opts.jobs, (await import('node:os')).availableParallelism()) : 1;
  // A dumb terminal (TERM=dumb: Emacs shells, some CI consoles) cannot redraw a line in place.
  const progressShown = ctx.sys.stderr.isTTY === true && ctx.sys.env.TERM !== 'dumb' && wordlists.length > 0;
  let exit: ExitCode = EXIT.ok;
  let passes = 0;

  type Entry = { index: number; error: JwtkitError } | { index: number; token: import('../token.js').ParsedToken; findings: import('../commands/audit.js').Finding[]; target?: number };
  const flush = async (group: Entry[]) => {
    const targets: import('../audit-search.js').Target[] = [];
    for (const e of group) {
      if (!('token' in e)) continue;
      const view = audit.auditedView(e.token);
      if (view.kind !== 'jws') continue;
      const alg = view.header.alg;
      if (typeof alg === 'string' && isHmacAlg(alg)) {
        e.target = targets.length;
        // A signing input of bytes (an unencoded payload, RFC 7797) travels as latin1 text: byte for byte.
        const signingInput = typeof view.signingInput === 'string' ? view.signingInput : view.signingInput.toString('latin1');
        targets.push({ alg, signingInput, signature: view.signature });
      }
    }
    let secrets: import('../commands/audit.js').SecretResult[] = [];
    if (targets.length > 0) {
      if (passes++ > 0 && wordlists.includes('-')) {
        throw new JwtkitError('usage', `stdin as a word list can be read once: more than ${GROUP} HMAC tokens`, 'save the word list to a file');
      }
      await ctx.err.flush();
      const progress = progressShown ? view.progressLine(ctx.sys.stderr, errPaint) : undefined;
      try {
        secrets = await audit.searchSecrets({
          targets,
          builtin: knownSecrets,
          wordlists,
          stdin: () => ctx.sys.stdin,
          env: ctx.sys.env,
          jobs,
          variants: opts.variants !== false,
          onProgress: progress?.update,
        });
      } finally {
        progress?.done();
      }
    }
    for (const e of group) {
      if ('error' in e) {
        exit = worseExit(exit, e.error.exitCode);
        const where = many ? `token ${e.index + 1}: ` : '';
        if (ctx.json) await ctx.out.write(render.renderErrorJson(e.error.code, `${where}${e.error.message}`));
        await ctx.err.write(render.renderErrorLine(`${where}${e.error.message}`, e.error.hint, errPaint));
        continue;
      }
      const secret = e.target === undefined ? null : secrets[e.target]!;
      const findings = [...e.findings];
      const header = audit.auditedView(e.token).header;
      const alg = typeof header.alg === 'string' ? header.alg : null;
      if (secret?.found) findings.push(audit.secretFinding(alg ?? 'HMAC', secret));
      const limited = secret && audit.searchFinding(secret);
      if (limited) findings.push(limited);
      findings.sort((a, b) => audit.severityRank(a.severity) - audit.severityRank(b.severity));
      const result = { alg, encrypted: e.token.kind === 'jwe', secret, findings };
      if (findings.some((f) => audit.severityRank(f.severity) <= failOn)) exit = worseExit(exit, EXIT.no);
      const text = ctx.json
        ? view.renderAuditJson(result, many ? e.index : undefined)
        : view.renderAudit(result, paint, { heading: many ? `── token ${e.index + 1} ──` : undefined, first: e.index === 0, failOn: opts.failOn });
      const pending = ctx.out.write(text);
      if (pending) await pending;
    }
  };

  let group: Entry[] = [];
  let hmacInGroup = 0;
  let found = 0;
  for await (const batch of readTokenBatches({ arg: pasted ? '-' : arg, scan: opts.scan === true, stdin: () => pasted ?? ctx.sys.stdin })) {
    for (const item of batch) {
      if ('error' in item) {
        group.push({ index: item.index, error: item.error });
        continue;
      }
      try {
        const token = parse(item.text);
        if (token.foundIn !== undefined && found++ === 0) await ctx.err.write(render.renderFoundNote(token.foundIn, many ? `token ${item.index + 1}: ` : '', errPaint));
        group.push({ index: item.index, token, findings: audit.lintToken(token, now) });
        const view = audit.auditedView(token);
        if (view.kind === 'jws' && isHmacAlg(String(view.header.alg))) hmacInGroup++;
      } catch (err) {
        if (!isJwtkitError(err)) throw err;
        group.push({ index: item.index, error: err });
      }
      // A stdin word list is read in one pass: every token of an argument goes in one group.
      if ((hmacInGroup >= GROUP || group.length >= 4 * GROUP) && !wordlists.includes('-')) {
        await flush(group);
        group = [];
        hmacInGroup = 0;
      }
    }
  }
  if (group.length > 0) await flush(group);
  if (found > 1) await ctx.err.write(render.renderFoundMoreNote(found - 1, errPaint));
  return exit;
}
