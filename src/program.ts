// The commander program, built from each command's definition in src/cli/NAME.ts. Apart from
// cli.ts (which runs it), the build reads it to write the man page (src/man.ts), so --help, the
// completion scripts and `man jwtkit` come from the same definitions.
import { auditCommand, auditHeader } from './cli/audit.js';
import { Command, commandOf, isReportCommand, reportIsJson, type CliContext, type CommandHeader, type CommandUnknownOpts } from './cli/common.js';
import { checkCommand, checkHeader } from './cli/check.js';
import { completionCommand, completionHeader } from './cli/completion.js';
import { decodeCommand, decodeHeader } from './cli/decode.js';
import { decryptCommand, decryptHeader } from './cli/decrypt.js';
import { encryptCommand, encryptHeader } from './cli/encrypt.js';
import { genCommand, genHeader } from './cli/gen.js';
import { keyCommand, keyHeader } from './cli/key.js';
import { signCommand, signHeader } from './cli/sign.js';
import { verifyCommand, verifyHeader } from './cli/verify.js';

declare const __JWTKIT_VERSION__: string;
export const VERSION = typeof __JWTKIT_VERSION__ === 'string' ? __JWTKIT_VERSION__ : '0.0.0-dev';

/** The verbs of other JWT tools, and what jwtkit calls them (commander's nearest spelling would
 *  answer `encode` with "did you mean decode?", the opposite). A real command always wins over
 *  this map (`decrypt` is jwtkit's own command once it exists). */
export const OTHER_TOOLS_VERBS: Readonly<Record<string, string>> = Object.freeze({
  encode: 'sign',
  create: 'sign',
  'generate-token': 'sign',
  validate: 'verify',
  inspect: 'decode',
  show: 'decode',
  parse: 'decode',
  generate: 'gen',
  secret: 'gen',
  rand: 'gen',
  keygen: 'gen --alg ES256',
  jwks: 'key jwks',
  thumbprint: 'key thumbprint',
  crack: 'audit --wordlist FILE',
  lint: 'audit',
});

/** Each command, in --help's order: its header (its line in --help) and its definition. `completion` needs the whole program (it lists every command). */
const COMMANDS = {
  gen: [genHeader, genCommand],
  decode: [decodeHeader, decodeCommand],
  verify: [verifyHeader, verifyCommand],
  sign: [signHeader, signCommand],
  completion: [completionHeader, completionCommand],
  check: [checkHeader, checkCommand],
  key: [keyHeader, keyCommand],
  decrypt: [decryptHeader, decryptCommand],
  encrypt: [encryptHeader, encryptCommand],
  audit: [auditHeader, auditCommand],
} as const satisfies Record<string, readonly [CommandHeader, (ctx: CliContext, program: () => CommandUnknownOpts) => CommandUnknownOpts]>;

type CommandName = keyof typeof COMMANDS;
const COMMAND_NAMES = Object.freeze(Object.keys(COMMANDS) as CommandName[]);

function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

/**
 * What a run needs defined, read from its arguments (argv without node and the script):
 * - `jwtkit gen …`: gen alone. It needs neither decode's options nor its help, and defining all
 *   ten commands' ~150 options costs several milliseconds of start-up.
 * - `jwtkit`, `jwtkit --help`, `jwtkit help`: only the commands' headers, which is all top-level
 *   help shows.
 * - `jwtkit --version`: no command at all.
 * - anything else that might list or suggest the commands (`help gen`, a typo, a verb of other
 *   tools, `completion`), and no argv: every command, whole.
 */
function needed(argv: readonly string[] | undefined): 'all' | 'headers' | 'none' | CommandName {
  if (argv === undefined) return 'all';
  const [first, ...rest] = argv;
  if (rest.length === 0 && (first === '--version' || first === '-V')) return 'none';
  if (rest.length === 0 && (first === undefined || first === '--help' || first === '-h' || first === 'help')) return 'headers';
  return isCommandName(first) && first !== 'completion' ? first : 'all';
}

/** The program, with the commands `argv` needs (see needed()); without argv, every command. */
export function buildProgram(ctx: CliContext, argv?: readonly string[]): CommandUnknownOpts {
  const program = new Command('jwtkit');
  program
    .description('Make JWT signing secrets and key pairs; decode, verify, sign and judge JWTs.')
    .version(VERSION, '-V, --version', 'print the version (with --verbose: also the Node.js version and the platform)')
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
  $ jwtkit decode --paste                              # the token on the clipboard: "expired 3h ago"
  $ jwtkit verify --secret-env JWT_SECRET "$TOKEN"     # is it genuine and valid?
  $ jwtkit check --secret-env JWT_SECRET || exit 1     # a deploy gate on the secret

Exit codes: 0 done/valid/strong, 1 invalid/weak, 2 usage or input error, 70 bug.
Every command takes --json. decode, verify, check and audit print the human view on a terminal and
JSON (NDJSON) when stdout is a pipe or a file; --pretty keeps the human view in a pipe.
Docs: jwtkit COMMAND --help`,
  );
  const need = needed(argv);
  if (need === 'none') return program;
  if (need === 'headers') {
    for (const name of COMMAND_NAMES) program.addCommand(commandOf(COMMANDS[name][0]));
    // commander would write "[options]" only for a command with options defined: the header says it.
    const plain = program.createHelp(); // for `help [command]`
    program.configureHelp({ subcommandTerm: (cmd) => (isCommandName(cmd.name()) ? headerTerm(COMMANDS[cmd.name() as CommandName][0]) : plain.subcommandTerm(cmd)) });
    return program;
  }
  for (const name of need === 'all' ? COMMAND_NAMES : [need]) {
    const command = COMMANDS[name][1](ctx, () => program);
    // A subcommand's JSON mode comes from its own parsed options, before its action runs; a report
    // command (one with --pretty) prints JSON by default when stdout is not a terminal (issue #16).
    command.hook('preAction', (_, action) => {
      const opts: { json?: unknown; pretty?: unknown } = action.opts();
      ctx.json = isReportCommand(action) ? reportIsJson(opts, ctx.sys.stdout.isTTY === true) : opts.json === true;
    });
    program.addCommand(inheritSettings(command, program));
  }
  return program;
}

/** A command's line in top-level help, up to its description: "decode [options] [token]". */
function headerTerm(header: CommandHeader): string {
  return header.term === '' ? header.name : `${header.name} ${header.term}`;
}

/** The program's settings (exit override, output, help) for a command and its own subcommands (`key inspect`…). */
function inheritSettings(command: CommandUnknownOpts, parent: CommandUnknownOpts): CommandUnknownOpts {
  command.copyInheritedSettings(parent);
  for (const sub of command.commands) inheritSettings(sub, command);
  return command;
}

