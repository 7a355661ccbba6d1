// A command's options parsed in-process: commander's parsers and the CLI half's own checks, the
// way cli.ts reports them, without starting a process (tests/README.md: a table of invalid values
// is a unit test; one e2e test shows the exit code and the stderr line).
import { CommanderError, type Command } from 'commander';
import { commanderMessage } from '../../src/cli-messages.js';
import type { CliContext } from '../../src/cli/common.js';
import { JwtkitError } from '../../src/errors.js';
import { capitalise } from '../../src/render.js';
import { testSys } from './cli.js';

/**
 * The text of the error line (after "jwtkit: error: ") for argv given to the command made by
 * `make`, and its exit code. Throws if the command does not fail: this is for usage errors, which
 * are raised before anything is read or written.
 */
export async function usageError(make: (ctx: CliContext) => unknown, argv: readonly string[]): Promise<{ message: string; exitCode: number }> {
  const written: string[] = [];
  const sink = { write: (s: string) => void written.push(s), flush: async () => {} };
  const ctx = { out: sink, err: sink, json: false, sys: testSys().sys, setExit: () => {} } as unknown as CliContext;
  const command = make(ctx) as Command;
  // as cli.ts sets up the program, for the command and its own subcommands (`key inspect`…)
  const quiet = (c: Command): void => {
    c.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
    for (const sub of c.commands) quiet(sub);
  };
  quiet(command);
  try {
    await command.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return { message: `${commanderMessage(err.code, err.message)}. See 'jwtkit ${command.name()} --help'`, exitCode: 2 };
    if (err instanceof JwtkitError) return { message: err.hint ? `${err.message}. ${capitalise(err.hint)}` : err.message, exitCode: err.exitCode };
    throw err;
  }
  throw new Error(`${command.name()} ${argv.join(' ')} did not fail; it wrote: ${written.join('')}`);
}

/** The command's --help text (description, options, examples), made in-process. */
export function helpText(make: (ctx: CliContext) => unknown): string {
  const ctx = { out: { write: () => undefined, flush: async () => {} }, err: { write: () => undefined, flush: async () => {} }, json: false, sys: testSys().sys, setExit: () => {} } as unknown as CliContext;
  const command = make(ctx) as Command;
  let text = '';
  command.configureOutput({ writeOut: (s) => void (text += s), writeErr: (s) => void (text += s) });
  command.outputHelp();
  return text;
}
