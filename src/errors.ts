// Errors are data until the CLI's edge prints them. Every error a user can cause is a JwtkitError
// with a stable code from the closed list below (scripts read it in --json) and the exit code of
// the contract's table. docs/CONTRACT.md lists the same codes.
export const EXIT = Object.freeze({
  ok: 0,
  /** a "no": invalid token, weak secret, missing claim */
  no: 1,
  /** asked wrong: bad option or value, missing key or secret, malformed token */
  usage: 2,
  /** a bug in jwtkit */
  bug: 70,
} as const);

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Every error code, with its exit code. */
export const ERROR_EXITS = Object.freeze({
  /** an option or argument is wrong or missing */
  usage: EXIT.usage,
  /** no secret or key was given */
  no_key: EXIT.usage,
  /** a named secret is unset or empty */
  no_secret: EXIT.usage,
  /** a secret is not valid in its --secret-encoding */
  bad_secret: EXIT.usage,
  /** `sign` refuses a secret that `check` calls weak */
  weak_secret: EXIT.usage,
  /** a key file, JWK or JWKS cannot be used */
  bad_key: EXIT.usage,
  /** no token in the argument or the input */
  no_token: EXIT.usage,
  /** a token cannot be decoded */
  malformed: EXIT.usage,
  /** an input is larger than jwtkit reads */
  too_long: EXIT.usage,
  /** a file cannot be read */
  unreadable: EXIT.usage,
  /** a remote JWKS or discovery document cannot be fetched or used */
  fetch_failed: EXIT.usage,
  /** a file to write already exists */
  file_exists: EXIT.usage,
  /** a file cannot be written */
  write_failed: EXIT.usage,
  /** `decode --claim`, `verify --claim`: the claim is not in the token (a "no"; wording: claimMissing in commands/decode.ts) */
  claim_missing: EXIT.no,
  /** `decrypt`: the keys do not decrypt the token, or it was altered (one message for every integrity failure) */
  decryption_failed: EXIT.no,
  /** `decrypt`: no key given fits the token (size, curve, kid, private half) */
  no_matching_key: EXIT.no,
  /** `decrypt`: the token's alg or enc is not allowed (--alg/--enc, the key's type, RSA1_5) */
  alg_not_allowed: EXIT.no,
  /** `decrypt`: the token needs something jwtkit does not do (an unknown alg, enc, zip or crit; p2c over the cap) */
  unsupported: EXIT.no,
  /** a bug in jwtkit */
  internal: EXIT.bug,
} as const satisfies Record<string, ExitCode>);

export type ErrorCode = keyof typeof ERROR_EXITS;

export class JwtkitError extends Error {
  override readonly name = 'JwtkitError';
  readonly exitCode: ExitCode;

  /** `hint` says how to fix it; it is printed after the message. */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.exitCode = ERROR_EXITS[code];
  }
}


export function isJwtkitError(err: unknown): err is JwtkitError {
  return err instanceof JwtkitError;
}

/** Highest exit code wins, as the contract orders them: 2 over 1 over 0. */
export function worseExit(a: ExitCode, b: ExitCode): ExitCode {
  const rank = (c: ExitCode) => (c === EXIT.bug ? 3 : c === EXIT.usage ? 2 : c === EXIT.no ? 1 : 0);
  return rank(a) >= rank(b) ? a : b;
}

/** Why a file could not be read or written, in words, from a Node system error. */
export function fileErrorReason(err: unknown, writing = false): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return writing ? 'its folder does not exist' : 'no such file';
    case 'EEXIST':
      return 'it already exists';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return `the system said ${code ?? 'no'}`;
  }
}

/**
 * Why JSON.parse failed, without any of the input: V8 quotes an excerpt (`, "…" is not valid
 * JSON` or `, "…"... is not valid JSON`) and the offending character, either of which can be a
 * secret or a terminal escape. Only V8's own words and the position are kept.
 */
export function jsonErrorReason(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  if (message.startsWith('Unexpected end of JSON input')) return 'it ends too early';
  const position = /\bat position (\d+)/.exec(message)?.[1];
  const at = position === undefined ? '' : ` at position ${position}`;
  if (message.startsWith('Unexpected token')) return `unexpected character${at}`;
  const words = /^[A-Za-z ,':{}[\]]+?(?= in JSON\b|$)/.exec(message.split(', "')[0] ?? '')?.[0];
  return words ? `${words.charAt(0).toLowerCase()}${words.slice(1)}${at}` : `not valid JSON${at}`;
}
