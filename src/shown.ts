// The one rule for how a value the user typed (an option's value, an argument) appears in an
// error, a warning or a note. A secret pasted into the wrong place (`--alg "$JWT_SECRET"`,
// `--key "$JWT_SECRET"`, `jwtkit key "$JWT_SECRET"`) must never be echoed: a value is shown only
// when it is plainly not a secret (a short word, an algorithm's name, a number, a duration, a date,
// a path whose folder exists); anything else by its length only.
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { safeText } from './safe-text.js';

/**
 * What the value is given as. `word` (the default): any option value or argument, shown quoted;
 * `name`: an environment variable's name (A–Z, 0–9, _), shown as it is; `path`: a file's path,
 * shown as it is, and also when its folder exists whatever its letters.
 */
export type ValueKind = 'word' | 'name' | 'path';

/** Names of variables that hold secrets (and not those that only name a file or a host). */
export const SECRET_VARIABLE = /SECRET|TOKEN|PASS|KEY|CRED|AUTH|JWT|PRIVATE|SALT/i;
export const NOT_SECRET_VARIABLE = /_(?:FILE|PATH|DIR|URL|URI|HOST|ID)$/i;

/** How a value that is not shown is named: its length only ("an 8-character value, not shown"). */
export function lengthOnly(text: string): string {
  const n = String(text.length);
  const an = n.startsWith('8') || (/^1[18]/.test(n) && n.length % 3 === 2);
  return `${an ? 'an' : 'a'} ${n}-character value, not shown`;
}

/** `text` for a message: quoted (a `name` or `path` bare) when plainly not a secret, else `(lengthOnly)`. */
export function shown(text: string, kind: ValueKind = 'word', env: NodeJS.ProcessEnv = {}): string {
  if (couldBeSecret(text, kind, env)) return `(${lengthOnly(text)})`;
  if (kind === 'word' || text === '' || /^\s|\s$/.test(text)) return safeText(JSON.stringify(text));
  return safeText(text);
}

// Characters of a plain word: an algorithm, a duration, a date, a URL, a claim name, a path. A
// space, a quote, `!&$#%*?`, a non-ASCII letter may be a password's: such a value is not shown.
const WORD = /^[A-Za-z0-9._:/@+,=~-]+$/;
const PATH = /^[A-Za-z0-9._:/@+,=~\\-]+$/;
// An ISO 8601 date with a space before its time (`--at '2026-11-29 16:00'`).
const DATE_WITH_SPACE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Whether `text` could be a secret, and so is shown by its length only: the value of a
 * secret-named variable of `env`, PEM, JSON or token text, a control character, a character a
 * plain word does not have, or a run of random-looking letters and digits (a base64 or hex secret,
 * `hunter2hunter2`, `Tr0ub4dor3`). A short word (`nope`, `HS265`, `hunter2`) is plain.
 */
export function couldBeSecret(text: string, kind: ValueKind = 'word', env: NodeJS.ProcessEnv = {}): boolean {
  if (text === '') return false;
  for (const [name, value] of Object.entries(env)) {
    if (value === text && SECRET_VARIABLE.test(name) && !NOT_SECRET_VARIABLE.test(name)) return true;
  }
  if (text.length > 4096 || /[\u0000-\u001f\u007f-\u009f]/.test(text)) return true;
  if (text.includes('-----BEGIN') || /^\s*[{[]/.test(text) || /^eyJ[\w-]*\.[\w-]*\./.test(text)) return true;
  switch (kind) {
    case 'name':
      return !/^[A-Z_][A-Z0-9_]{0,127}$/.test(text) || randomLooking(text);
    case 'path':
      // /tmp/jwtkit-wl-0uAjj9 is made of base64's letters too: a path whose folder exists is a path.
      if (inExistingFolder(text)) return false;
      return !PATH.test(text) || randomLooking(text);
    default:
      if (text.length > 64) return true;
      if (DATE_WITH_SPACE.test(text)) return false;
      return !WORD.test(text) || randomLooking(text);
  }
}

/**
 * Random-looking: base64 of 32 characters or more (upper and lower case and digits), or a piece between separators
 * (`-_./+:@,=~`) that is long (24+), mixes letters and digits over 12+, or upper case, lower case
 * and digits over 8+. `PBES2-HS256+A128KW`, `America/Argentina/ComodRivadavia`, `MY_APP_SECRET2`
 * and `2026-11-29T16:00:00Z` are not; `q3pcm0Rnl0n8…` and `hunter2hunter2` are.
 */
function randomLooking(text: string): boolean {
  if (text.length >= 32 && /^[A-Za-z0-9+/=_-]+$/.test(text) && /\d/.test(text) && /[A-Z]/.test(text) && /[a-z]/.test(text)) return true;
  return text.split(/[-_./+:@,=~\\]+/).some((piece) => {
    const letters = /[A-Za-z]/.test(piece);
    const digits = /\d/.test(piece);
    if (piece.length >= 24) return true;
    if (piece.length >= 12 && letters && digits) return true;
    return piece.length >= 8 && digits && /[A-Z]/.test(piece) && /[a-z]/.test(piece);
  });
}

/** Whether `text` names something in a folder that exists (not the root, not the current folder). */
function inExistingFolder(text: string): boolean {
  const folder = dirname(text);
  if (folder === '.' || folder === '/' || folder === text) return false;
  try {
    return statSync(folder).isDirectory();
  } catch {
    return false;
  }
}
