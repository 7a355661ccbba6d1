// Errors are data until cli.ts prints them. Every error a user can cause is a JwtkitError with a
// stable `code` (shown in --json) and an exit code from the contract's table.

export const EXIT = {
  ok: 0,
  /** a "no": invalid token, weak secret, missing claim */
  no: 1,
  /** asked wrong: bad option or value, missing key or secret, malformed token */
  usage: 2,
  /** a bug in jwtkit */
  bug: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Each command's CLI module is its own bundle with its own copy of this file, so an error made in
 * one is recognised in cli.ts by this brand, not by instanceof.
 */
const BRAND = Symbol.for('jwtkit.error');

export class JwtkitError extends Error {
  override readonly name: string = 'JwtkitError';
  readonly [BRAND] = true;
  readonly code: string;
  readonly exitCode: ExitCode;
  /** How to fix it; printed after the message. */
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { exitCode?: ExitCode; hint?: string } = {}) {
    super(message);
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT.usage;
    this.hint = options.hint;
  }
}

/** The user asked for something jwtkit cannot do as asked (exit 2). */
export class UsageError extends JwtkitError {
  override readonly name = 'UsageError';
  constructor(message: string, hint?: string, code = 'usage') {
    super(code, message, hint === undefined ? {} : { hint });
  }
}

/** Input (a token, a key, a secret, a file) could not be read or understood (exit 2). */
export class InputError extends JwtkitError {
  override readonly name = 'InputError';
  constructor(code: string, message: string, hint?: string) {
    super(code, message, hint === undefined ? {} : { hint });
  }
}

export function isJwtkitError(err: unknown): err is JwtkitError {
  return typeof err === 'object' && err !== null && (err as { [BRAND]?: boolean })[BRAND] === true;
}

/** Highest exit code wins, as the contract orders them: 2 over 1 over 0. */
export function worseExit(a: ExitCode, b: ExitCode): ExitCode {
  const rank = (c: ExitCode) => (c === EXIT.bug ? 3 : c === EXIT.usage ? 2 : c === EXIT.no ? 1 : 0);
  return rank(a) >= rank(b) ? a : b;
}
