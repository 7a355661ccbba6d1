// The commander program, built from each command's definition in src/cli/NAME.ts. Apart from
// cli.ts (which runs it), the build reads it to write the man page (src/man.ts), so --help, the
// completion scripts and `man jwtkit` come from the same definitions.
import { Command } from 'commander';
import { auditCommand } from './cli/audit.js';
import { isReportCommand, reportIsJson, type CliContext } from './cli/common.js';
import { checkCommand } from './cli/check.js';
import { completionCommand } from './cli/completion.js';
import { decodeCommand } from './cli/decode.js';
import { decryptCommand } from './cli/decrypt.js';
import { encryptCommand } from './cli/encrypt.js';
import { genCommand } from './cli/gen.js';
import { keyCommand } from './cli/key.js';
import { signCommand } from './cli/sign.js';
import { verifyCommand } from './cli/verify.js';

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

/** Each command, in --help's order. `completion` needs the whole program (it lists every command). */
const COMMANDS = {
  gen: genCommand,
  decode: decodeCommand,
  verify: verifyCommand,
  sign: signCommand,
  completion: completionCommand,
  check: checkCommand,
  key: keyCommand,
  decrypt: decryptCommand,
  encrypt: encryptCommand,
  audit: auditCommand,
} as const satisfies Record<string, (ctx: CliContext, program: () => Command) => unknown>;

/**
 * The program. With `only`, the one command a run names as its first argument: `jwtkit gen …`
 * needs neither decode's options nor its help, and defining all ten commands' ~150 options costs
 * several milliseconds of start-up. --help, `help …`, a typo and `completion` get every command.
 */
export function buildProgram(ctx: CliContext, only?: string): Command {
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
  const names = only !== undefined && only !== 'completion' && Object.hasOwn(COMMANDS, only) ? [only as keyof typeof COMMANDS] : (Object.keys(COMMANDS) as (keyof typeof COMMANDS)[]);
  for (const name of names) {
    const command = COMMANDS[name](ctx, () => program);
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

