// What the command definitions share: commander's classes with their option types, the option
// parsers (each range from algs.ts), and the secret and key options of verify and sign.
import { InvalidArgumentError } from 'commander';
import type * as Typed from '@commander-js/extra-typings';
import { SECRET_ENCODINGS, type Range } from '../algs.js';
import type { ExitCode } from '../errors.js';
import type { KeyOptions } from '../keys.js';
import type { Io } from '../output.js';

// commander's own classes, seen through @commander-js/extra-typings' types (types only: the
// runtime is commander's; see typed-commander.d.ts), so each action receives its options typed.
export { Argument, Command, Option } from './typed-commander.js';
import { Command, Option } from './typed-commander.js';
export type { Command as TypedCommand, CommandUnknownOpts } from '@commander-js/extra-typings';

/** What an action is handed: the output streams, and where its exit code goes. */
export interface CliContext extends Io {
  setExit(code: ExitCode): void;
}

/**
 * A command's line in `jwtkit --help`: its name, what follows the name there (commander's
 * "[options] [token]"), and its description. Each definition starts from its header, and
 * top-level help is built from the headers alone: defining ten commands' ~150 options to list
 * ten names cost --help its start-up target (tests/unit/program.test.ts keeps the two equal).
 */
export interface CommandHeader {
  readonly name: string;
  readonly term: string;
  readonly description: string;
}

/** A command with its header's name and description: where each definition starts. */
export function commandOf(header: CommandHeader) {
  return new Command(header.name).description(header.description);
}

/** A parser for a whole number in `range`; the message names the range. */
export function wholeNumber(range: Range): (value: string) => number {
  return (value) => {
    const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
      throw new InvalidArgumentError(`must be a whole number from ${range.min} to ${range.max}`);
    }
    return n;
  };
}

/** A repeatable option: every value, in order. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A repeatable comma-separated list: every item, in order. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

/** The secret options of verify and sign. */
export function withSecretOptions<A extends unknown[], O extends Typed.OptionValues>(cmd: Typed.Command<A, O>, envHelp: string) {
  return cmd
    .option('--secret-env <name>', envHelp, collect)
    .option('--secret-file <path>', 'the secret is in this file (one trailing newline is dropped)')
    .option('--secret <value>', 'the secret itself (lands in shell history: prefer --secret-env)')
    .addOption(
      new Option('--secret-encoding <enc>', 'decode the secret first, for apps that do Buffer.from(secret, enc)').choices(SECRET_ENCODINGS),
    );
}

/** The claims options of sign and encrypt (encrypt: for a claims payload), defined once. */
export function withClaimOptions<A extends unknown[], O extends Typed.OptionValues>(cmd: Typed.Command<A, O>) {
  return cmd
    .option('--sub <subject>', 'the subject claim')
    .option('--iss <issuer>', 'the issuer claim')
    .option('--aud <audience>', 'the audience claim (repeat for an array)', collect)
    .option('--exp <when>', 'expiry: a duration from iat with a unit (90s, 15m, 1h, 7d) or a time (ISO 8601, or a bare number: Unix seconds); default 15m')
    .option('--no-exp', 'no expiry claim (a token valid forever: only for tests)')
    .option('--nbf <when>', 'not before: a duration from iat with a unit, or a time (ISO 8601, Unix seconds)')
    .option('--iat <time>', 'issued at: a time (ISO 8601, Unix seconds, or -1h / +5m from now); default now')
    .option('--no-iat', 'no issued-at claim')
    .option('--jti <id>', 'a token id, or "auto" for a random one')
    .option('--claim <name=value>', 'any claim; the value is JSON when it parses, else a string (repeatable)', collect);
}

/** The parsed secret and key options → keys.ts's KeyOptions. */
export function keyOptionsOf(
  opts: {
    secretEnv?: string[];
    secretFile?: string;
    secret?: string;
    secretEncoding?: KeyOptions['secretEncoding'];
    key?: string[];
    jwks?: string;
    issuer?: string;
    passphraseEnv?: string;
    passphraseFile?: string;
    timeout?: string;
  },
): KeyOptions {
  return {
    secretEnv: opts.secretEnv,
    secretFile: opts.secretFile,
    secret: opts.secret,
    secretEncoding: opts.secretEncoding,
    key: opts.key,
    jwks: opts.jwks,
    issuer: opts.issuer,
    passphraseEnv: opts.passphraseEnv,
    passphraseFile: opts.passphraseFile,
    timeout: opts.timeout,
  };
}

/**
 * Report commands (decode, verify, check, audit…) follow one rule (issue #16): the human view on a
 * terminal, NDJSON when stdout is not a terminal; `--json` forces JSON, `--pretty` the human view.
 * Exit codes and stderr do not depend on it.
 */
export function reportIsJson(opts: { json?: unknown; pretty?: unknown }, stdoutIsTerminal: boolean): boolean {
  if (opts.json === true) return true;
  if (opts.pretty === true) return false;
  return !stdoutIsTerminal;
}

/** A report command declares `--pretty`; the preAction hook in cli.ts applies reportIsJson to it. */
export function isReportCommand(command: { options: readonly { long?: string }[] }): boolean {
  return command.options.some((o) => o.long === '--pretty');
}

/** The help lines of a report command's two output options. */
export const REPORT_JSON_HELP = 'print JSON, one object per line (NDJSON); the default when stdout is not a terminal';
export const REPORT_PRETTY_HELP = 'print the human view; the default on a terminal (use it in a pipe to keep that view)';
