// main(): one run of the commander program, given argv and the process it runs in (Sys: env, stdin,
// stdout, stderr), returning the exit code. src/cli.ts runs it for the real process; the tests run
// it in-process (tests/helpers/cli.ts). Each command's definition lives beside its CLI half in
// src/cli/NAME.ts, whose action loads the command's code only when it runs (so `jwtkit gen` never
// runs jose, the decoders or zxcvbn). Only src/cli/* writes output (through Io), and only main()
// decides the exit code.
import { CommanderError } from 'commander';
import { commanderMessage } from './cli-messages.js';
import { isReportCommand, reportIsJson, type CliContext, type CommandUnknownOpts } from './cli/common.js';
import { EXIT, JwtkitError, worseExit, type ExitCode } from './errors.js';
import { io, type Io, type Sys } from './output.js';
import { buildProgram, OTHER_TOOLS_VERBS, VERSION } from './program.js';
// Named imports, so the bundle keeps only the error renderers (chalk itself loads only for colour).
import { colorEnabled, errorText, painter, renderErrorJson, renderErrorLine } from './render.js';
import { shown } from './shown.js';

/** `--env-file`: Node.js (20, and later ones too) takes any argument starting so as its own, wherever it is. */
function nodeEnvFileFlag(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a.startsWith('--env-file'));
}

/** `jwtkit --version --verbose` (either order, -V too): commander stops at --version, so it is read here. */
function isVerboseVersion(argv: readonly string[]): boolean {
  return argv.length === 2 && argv.includes('--verbose') && (argv.includes('--version') || argv.includes('-V'));
}

/** What a bug report needs: jwtkit's version, Node's, and the platform. */
async function verboseVersion(): Promise<string> {
  const { release } = await import('node:os');
  return `jwtkit ${VERSION}\nnode ${process.version} (V8 ${process.versions.v8})\nplatform ${process.platform} ${process.arch} (OS release ${release()})\n`;
}

function subcommandOf(argv: readonly string[], program: CommandUnknownOpts): CommandUnknownOpts | undefined {
  const name = argv.find((a) => !a.startsWith('-'));
  return program.commands.find((c) => c.name() === name);
}

/**
 * Whether the output is JSON, read the way commander reads argv (the value of an option such as
 * `--claim --json` is not the flag): for errors raised before the command's own options exist.
 * A report command follows reportIsJson (JSON in a pipe unless --pretty); `decode --claim` prints
 * the claim itself, so it is JSON only with --json.
 */
function jsonRequested(argv: readonly string[], command: CommandUnknownOpts | undefined, stdoutIsTerminal: boolean): boolean {
  if (!command) return false;
  const seen = { json: false, pretty: false, claim: false };
  for (let i = argv.indexOf(command.name()) + 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '--json') seen.json = true;
    if (arg === '--pretty') seen.pretty = true;
    if (arg === '--claim' || arg.startsWith('--claim=') || arg === '--payload') seen.claim = true;
    const option = arg.startsWith('--') && !arg.includes('=') ? command.options.find((o) => o.long === arg) : undefined;
    if (option?.required || (option?.optional && !argv[i + 1]?.startsWith('-'))) i++;
  }
  if (!isReportCommand(command) || seen.claim) return seen.json;
  return reportIsJson(seen, stdoutIsTerminal);
}

/**
 * One run of jwtkit: argv without node and the script, the process's env and streams. Returns the
 * exit code; the caller sets it. Errors become output here (report), so it rejects only on a bug
 * in this function itself.
 */
export async function main(argv: readonly string[], sys: Sys): Promise<ExitCode> {
  let exit: ExitCode = EXIT.ok;
  const ctx: CliContext = {
    ...io(sys),
    setExit: (code) => {
      exit = worseExit(exit, code);
    },
  };
  // `jwtkit gen …` defines gen alone, --help the commands' headers (program.ts: needed()).
  const program = buildProgram(ctx, argv);
  // `jwtkit … | head -1` (or `2>&1 | head -1`): the reader left; stop quietly, as grep does.
  for (const stream of [sys.stdout, sys.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(exit);
    });
  }
  try {
    // A hook for the test of the bug path (exit 70, stack only with JWTKIT_DEBUG=1).
    if (sys.env.JWTKIT_INTERNAL_CRASH === '1') throw new Error('simulated internal error');
    if (argv.length === 0) program.outputHelp();
    else if (isVerboseVersion(argv)) await ctx.out.write(await verboseVersion());
    else if (nodeEnvFileFlag(argv)) {
      throw new JwtkitError(
        'usage',
        '--env-file is an option of Node.js itself, which reads it even after a program\'s name (and stops with "not found" when the file does not exist)',
        "use jwtkit's --dotenv-file PATH",
      );
    }
    else if (argv[0] !== undefined && Object.hasOwn(OTHER_TOOLS_VERBS, argv[0]) && !subcommandOf(argv.slice(0, 1), program)) {
      const ours = OTHER_TOOLS_VERBS[argv[0]]!;
      throw new JwtkitError('usage', `jwtkit calls that \`${ours}\``, `see 'jwtkit ${ours.split(' ')[0]} --help'`);
    } else if (argv[0] === 'help' && argv[1] !== undefined && !subcommandOf(argv.slice(1), program)) {
      throw new JwtkitError('usage', `no command ${shown(argv[1])} to show help for`, "see 'jwtkit --help' for the commands");
    } else await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    const sub = subcommandOf(argv, program);
    if (err instanceof CommanderError && err.code !== 'commander.executeSubCommandAsync') ctx.json ||= jsonRequested(argv, sub, sys.stdout.isTTY === true);
    exit = worseExit(exit, await report(err, ctx, sub?.name()));
  }
  await ctx.out.flush();
  await ctx.err.flush();
  return exit;
}

/** The one place an error becomes output: one line on stderr, and the JSON object in --json. */
async function report(err: unknown, ctx: Io, sub: string | undefined): Promise<ExitCode> {
  if (err instanceof CommanderError && err.exitCode === 0) return EXIT.ok; // --help, --version
  let error: JwtkitError;
  if (err instanceof CommanderError) {
    error = new JwtkitError('usage', commanderMessage(err.code, err.message), `see 'jwtkit${sub ? ` ${sub}` : ''} --help'`);
  } else if (err instanceof JwtkitError) {
    error = err;
  } else {
    const what = err instanceof Error ? err.message : String(err);
    error = new JwtkitError('internal', `internal error (a bug in jwtkit): ${what}`, 'please report it; JWTKIT_DEBUG=1 shows the stack');
  }
  const paint = await painter(colorEnabled(ctx.sys.stderr, ctx.sys.env));
  if (ctx.json) await ctx.out.write(renderErrorJson(error.code, errorText(error.message, error.hint)));
  await ctx.err.write(renderErrorLine(error.message, error.hint, paint));
  if (error.exitCode === EXIT.bug && ctx.sys.env.JWTKIT_DEBUG === '1' && err instanceof Error && err.stack) {
    await ctx.err.write(`${err.stack}\n`);
  }
  return error.exitCode;
}
