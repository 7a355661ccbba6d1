// The commander program: each command's definition lives beside its CLI half in src/cli/NAME.ts,
// whose action loads the command's code only when it runs (so `jwtkit gen` never runs jose, the
// decoders or zxcvbn). Only src/cli/* writes output (through Io), and only main() sets the exit code.
import { Command, CommanderError } from 'commander';
import { OTHER_TOOLS_VERBS, commanderMessage, shownValue } from './cli-messages.js';
import { checkCommand } from './cli/check.js';
import { isReportCommand, reportIsJson, type CliContext } from './cli/common.js';
import { completionCommand } from './cli/completion.js';
import { decodeCommand } from './cli/decode.js';
import { genCommand } from './cli/gen.js';
import { keyCommand } from './cli/key.js';
import { signCommand } from './cli/sign.js';
import { verifyCommand } from './cli/verify.js';
import { EXIT, JwtkitError, worseExit, type ExitCode } from './errors.js';
import { io, type Io } from './output.js';
// Named imports, so the bundle keeps only the error renderers (chalk itself loads only for colour).
import { capitalise, colorEnabled, painter, renderErrorJson, renderErrorLine } from './render.js';
import { safeText } from './safe-text.js';

declare const __JWTKIT_VERSION__: string;
const VERSION = typeof __JWTKIT_VERSION__ === 'string' ? __JWTKIT_VERSION__ : '0.0.0-dev';

function buildProgram(ctx: CliContext): Command {
  const program = new Command('jwtkit');
  program
    .description('Make JWT signing secrets and key pairs; decode, verify, sign and judge JWTs.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void ctx.out.write(s),
      writeErr: (s) => void ctx.err.write(s),
      outputError: () => {},
    });
  program.addHelpText(
    'after',
    `
Examples:
  $ jwtkit gen --copy                                  # a JWT_SECRET, straight to the clipboard
  $ pbpaste | jwtkit decode                            # what a token says, "expired 3h ago"
  $ jwtkit verify --secret-env JWT_SECRET "$TOKEN"     # is it genuine and valid?
  $ jwtkit check --secret-env JWT_SECRET || exit 1     # a deploy gate on the secret

Exit codes: 0 done/valid/strong, 1 invalid/weak, 2 usage or input error, 70 bug.
Every command takes --json. decode, verify and check print the human view on a terminal and
JSON (NDJSON) when stdout is a pipe or a file; --pretty keeps the human view in a pipe.
Docs: jwtkit COMMAND --help`,
  );
  for (const command of [genCommand(ctx), decodeCommand(ctx), verifyCommand(ctx), signCommand(ctx), completionCommand(ctx, () => program), checkCommand(ctx), keyCommand(ctx)]) {
    // A subcommand's JSON mode comes from its own parsed options, before its action runs; a report
    // command (one with --pretty) prints JSON by default when stdout is not a terminal (issue #16).
    (command as unknown as Command).hook('preAction', (_, action) => {
      const opts = action.opts<{ json?: boolean; pretty?: boolean }>();
      ctx.json = isReportCommand(action) ? reportIsJson(opts) : opts.json === true;
    });
    program.addCommand(inheritSettings(command as unknown as Command, program));
  }
  return program;
}

/** The program's settings (exit override, output, help) for a command and its own subcommands (`key inspect`…). */
function inheritSettings(command: Command, parent: Command): Command {
  command.copyInheritedSettings(parent);
  for (const sub of command.commands) inheritSettings(sub, command);
  return command;
}

function subcommandOf(argv: readonly string[], program: Command): Command | undefined {
  const name = argv.find((a) => !a.startsWith('-'));
  return program.commands.find((c) => c.name() === name);
}

/**
 * Whether the output is JSON, read the way commander reads argv (the value of an option such as
 * `--claim --json` is not the flag): for errors raised before the command's own options exist.
 * A report command follows reportIsJson (JSON in a pipe unless --pretty); `decode --claim` prints
 * the claim itself, so it is JSON only with --json.
 */
function jsonRequested(argv: readonly string[], command: Command | undefined): boolean {
  if (!command) return false;
  const seen = { json: false, pretty: false, claim: false };
  for (let i = argv.indexOf(command.name()) + 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '--json') seen.json = true;
    if (arg === '--pretty') seen.pretty = true;
    if (arg === '--claim' || arg.startsWith('--claim=')) seen.claim = true;
    const option = arg.startsWith('--') && !arg.includes('=') ? command.options.find((o) => o.long === arg) : undefined;
    if (option?.required || (option?.optional && !argv[i + 1]?.startsWith('-'))) i++;
  }
  if (!isReportCommand(command) || (command.name() === 'decode' && seen.claim)) return seen.json;
  return reportIsJson(seen);
}

async function main(argv: readonly string[]): Promise<void> {
  let exit: ExitCode = EXIT.ok;
  const ctx: CliContext = {
    ...io(),
    setExit: (code) => {
      exit = worseExit(exit, code);
    },
  };
  const program = buildProgram(ctx);
  // `jwtkit … | head -1` (or `2>&1 | head -1`): the reader left; stop quietly, as grep does.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(exit);
    });
  }
  try {
    // A hook for the test of the bug path (exit 70, stack only with JWTKIT_DEBUG=1).
    if (process.env.JWTKIT_INTERNAL_CRASH === '1') throw new Error('simulated internal error');
    if (argv.length === 0) program.outputHelp();
    else if (argv[0] !== undefined && Object.hasOwn(OTHER_TOOLS_VERBS, argv[0])) {
      const ours = OTHER_TOOLS_VERBS[argv[0]]!;
      throw new JwtkitError('usage', `jwtkit calls that \`${ours}\``, `see 'jwtkit ${ours.split(' ')[0]} --help'`);
    } else if (argv[0] === 'help' && argv[1] !== undefined && !subcommandOf(argv.slice(1), program)) {
      throw new JwtkitError('usage', `no command ${shownValue(argv[1])} to show help for`, "see 'jwtkit --help' for the commands");
    } else await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    const sub = subcommandOf(argv, program);
    if (err instanceof CommanderError && err.code !== 'commander.executeSubCommandAsync') ctx.json ||= jsonRequested(argv, sub);
    exit = worseExit(exit, await report(err, ctx, sub?.name()));
  }
  await ctx.out.flush();
  await ctx.err.flush();
  process.exitCode = exit;
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
  const paint = await painter(colorEnabled(process.stderr));
  if (ctx.json) await ctx.out.write(renderErrorJson(error.code, error.hint ? `${error.message}. ${capitalise(error.hint)}` : error.message));
  await ctx.err.write(renderErrorLine(error.message, error.hint, paint));
  if (error.exitCode === EXIT.bug && process.env.JWTKIT_DEBUG === '1' && err instanceof Error && err.stack) {
    await ctx.err.write(`${err.stack}\n`);
  }
  return error.exitCode;
}

void main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`jwtkit: error: internal error (a bug in jwtkit): ${safeText(err instanceof Error ? err.message : String(err))}\n`);
  if (process.env.JWTKIT_DEBUG === '1' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exitCode = EXIT.bug;
});
