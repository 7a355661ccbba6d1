// `jwtkit gen --dotenv-file PATH [--name NAME]`: write a fresh secret into a dotenv file in place.
// NAME=… is replaced (or added), its old value kept as NAME_PREVIOUS for a rotation window; every
// other line, comment, quote and line ending stays as it was. The file is user data: its values
// are never echoed (messages give line numbers), it is read up to 1 MiB, written through a
// temporary file renamed over it (keeping its mode), and never through a symbolic link. A file
// that git tracks is refused unless --force: a committed secret is a leaked secret.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { JwtkitError, fileErrorReason } from '../errors.js';
import { shown } from '../shown.js';

/** Larger than this is not a dotenv file. */
export const MAX_ENV_FILE_BYTES = 1 << 20;

export const DOTENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface EnvEdit {
  /** the new file text (latin1: every byte kept as it was) */
  text: string;
  /** NAME had a non-empty value, now kept as NAME_PREVIOUS */
  previous: boolean;
  /** NAME was already in the file (replaced in place) */
  replaced: boolean;
}

/** The BOM as latin1 text (the file is edited byte for byte). */
const BOM = '\xEF\xBB\xBF';

/**
 * The pure edit. `text` is the file read as latin1 (so bytes that are not UTF-8 survive), `name` a
 * valid variable name, `secret` the new value (base64/base64url/hex: never needs quoting).
 * Throws a usage error, naming line numbers only, when the file cannot be edited safely.
 */
export function updateEnvText(text: string, name: string, secret: string, file: string): EnvEdit {
  const previousName = `${name}_PREVIOUS`;
  // Lines with their own terminators ("\n", "\r\n", or none for the last).
  const lines = text === '' ? [] : text.split(/(?<=\n)/);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const assignment = (n: string) => new RegExp(`^((?:${BOM})?[ \\t]*(?:export[ \\t]+)?)${n}[ \\t]*=(.*?)(\\r?\\n)?$`, 's');
  const nameRe = assignment(name);
  const previousRe = assignment(previousName);
  const find = (re: RegExp) => lines.flatMap((line, i) => (re.test(line) ? [i] : []));
  const at = find(nameRe);
  const previousAt = find(previousRe);
  for (const [n, found] of [[name, at], [previousName, previousAt]] as const) {
    if (found.length > 1) {
      throw new JwtkitError(
        'usage',
        `${shown(file, 'path')} sets ${n} ${found.length} times (lines ${found.map((i) => i + 1).join(', ')}); jwtkit will not guess which one your app reads`,
        'keep one of them and run again',
      );
    }
  }
  if (at.length === 0) {
    const ending = text === '' || text.endsWith('\n') ? '' : eol;
    return { text: `${text}${ending}${name}=${secret}${eol}`, previous: false, replaced: false };
  }
  const index = at[0]!;
  const [, prefix, rawValue, terminator] = nameRe.exec(lines[index]!)!;
  const value = rawValue!;
  const opening = /^[ \t]*(["'`])/.exec(value)?.[1];
  if (opening !== undefined && !new RegExp(`^[ \\t]*${opening}(?:\\\\.|[^${opening}\\\\])*${opening}`).test(value)) {
    throw new JwtkitError('usage', `${shown(file, 'path')} line ${index + 1}: the value of ${name} is a quoted text over several lines`, 'make it one line, or edit the file by hand');
  }
  const empty = /^[ \t]*(?:""|''|``)?[ \t]*(?:#.*)?$/.test(value);
  lines[index] = `${prefix}${name}=${secret}${terminator ?? ''}`;
  if (!empty) {
    if (previousAt.length === 1) {
      const p = previousAt[0]!;
      const [, previousPrefix, , previousTerminator] = previousRe.exec(lines[p]!)!;
      lines[p] = `${previousPrefix}${previousName}=${value}${previousTerminator ?? ''}`;
    } else {
      if (terminator === undefined) lines[index] += eol;
      lines.splice(index + 1, 0, `${prefix!.replace(BOM, '')}${previousName}=${value}${terminator === undefined ? '' : eol}`);
    }
  }
  return { text: lines.join(''), previous: !empty, replaced: true };
}

export interface EnvFileResult {
  file: string;
  name: string;
  /** NAME_PREVIOUS when the old value was kept */
  previous: string | null;
  created: boolean;
  /** the file's mode, e.g. "0600" */
  mode: string;
  /** stderr notes: the file is readable by others, or is not ignored by git */
  warnings: string[];
}

export interface EnvFileOptions {
  force: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Writes `secret` as NAME in the dotenv file at `path` (see the top of this file). */
export function writeEnvFile(path: string, name: string, secret: string, options: EnvFileOptions): EnvFileResult {
  if (path === '') throw new JwtkitError('usage', '--dotenv-file needs a file name', 'for example --dotenv-file .env');
  if (!DOTENV_NAME_RE.test(name)) {
    throw new JwtkitError('usage', '--name needs a variable name of letters, digits and underscores', 'for example --name JWT_SECRET');
  }
  let stats: Stats | undefined;
  try {
    stats = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new JwtkitError('unreadable', `cannot read ${shown(path, 'path')}: ${fileErrorReason(err)}`);
  }
  if (stats) refuseOddFile(path, stats);
  const git = gitStatus(path, options.env ?? process.env);
  if (git === 'tracked' && !options.force) {
    throw new JwtkitError(
      'usage',
      `${shown(path, 'path')} is tracked by git, and a secret written there is one commit away from being leaked (it stays in the history for good)`,
      `untrack it (git rm --cached -- ${basename(path)}, then add it to .gitignore), or pass --force`,
    );
  }
  const warnings: string[] = [];
  if (git === 'not_ignored') {
    warnings.push(`${shown(path, 'path')} is not ignored by git: add it to .gitignore, or the next \`git add .\` commits the secret`);
  }
  if (!stats) {
    const edit = updateEnvText('', name, secret, path);
    writeNew(path, edit.text);
    return { file: path, name, previous: null, created: true, mode: '0600', warnings };
  }
  const { text, stats: opened } = readEnvFile(path);
  const edit = updateEnvText(text, name, secret, path);
  const mode = opened.mode & 0o7777;
  if (mode & 0o077) warnings.push(`${shown(path, 'path')} can be read by other users (mode ${octal(mode)}); chmod 600 ${basename(path)} keeps it to you`);
  replaceFile(path, edit.text, opened);
  return { file: path, name, previous: edit.previous ? `${name}_PREVIOUS` : null, created: false, mode: octal(mode), warnings };
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

function refuseOddFile(path: string, stats: Stats): void {
  if (stats.isSymbolicLink()) {
    throw new JwtkitError(
      'usage',
      `${shown(path, 'path')} is a symbolic link; jwtkit writes a dotenv file by renaming a new copy over it, which would replace the link itself`,
      'give the path of the file it points to',
    );
  }
  if (!stats.isFile()) {
    const kind = stats.isDirectory() ? 'a folder' : stats.isFIFO() ? 'a named pipe' : stats.isSocket() ? 'a socket' : 'a device';
    throw new JwtkitError('usage', `${shown(path, 'path')} is ${kind}, not a dotenv file`, 'give the path of a regular file (or of one to create)');
  }
  if (stats.nlink > 1) {
    throw new JwtkitError(
      'usage',
      `${shown(path, 'path')} has ${stats.nlink} hard links; writing a new copy would leave the other names with the old secret`,
      'give a file with one name (or edit it by hand)',
    );
  }
}

/** The file as latin1 text (bytes kept), at most MAX_ENV_FILE_BYTES, never through a link. */
function readEnvFile(path: string): { text: string; stats: Stats } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') refuseOddFile(path, lstatSync(path));
    throw new JwtkitError('unreadable', `cannot read ${shown(path, 'path')}: ${fileErrorReason(err)}`);
  }
  try {
    const stats = fstatSync(fd);
    refuseOddFile(path, stats);
    const chunks: Buffer[] = [];
    const buffer = Buffer.allocUnsafe(64 * 1024);
    let size = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      size += n;
      if (size > MAX_ENV_FILE_BYTES) {
        throw new JwtkitError('too_long', `${shown(path, 'path')} is larger than 1 MiB, too large for a dotenv file`, 'is it the right file?');
      }
      chunks.push(Buffer.from(buffer.subarray(0, n)));
    }
    return { text: Buffer.concat(chunks, size).toString('latin1'), stats };
  } finally {
    closeSync(fd);
  }
}

let tempCounter = 0;

/** A temporary file beside `path` (same folder, so a rename is atomic), created exclusively. */
function openTemp(path: string, mode: number): { temp: string; fd: number } {
  for (let attempt = 0; ; attempt++) {
    const temp = join(dirname(path), `.${basename(path)}.jwtkit-${process.pid}-${Date.now().toString(36)}-${tempCounter++}.tmp`);
    try {
      return { temp, fd: openSync(temp, 'wx', mode) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 5) continue;
      throw new JwtkitError('write_failed', `cannot write ${shown(path, 'path')}: ${fileErrorReason(err, true)}`);
    }
  }
}

function writeTemp(path: string, text: string, mode: number, owner?: { uid: number; gid: number }): string {
  const { temp, fd } = openTemp(path, mode);
  try {
    fchmodSync(fd, mode); // the umask does not get a say
    if (owner) {
      try {
        fchownSync(fd, owner.uid, owner.gid);
      } catch {
        // Only root can give a file away; a user's own file keeps its owner anyway.
      }
    }
    const bytes = Buffer.from(text, 'latin1');
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkQuietly(temp);
    throw new JwtkitError('write_failed', `cannot write ${shown(path, 'path')}: ${fileErrorReason(err, true)}`);
  }
  closeSync(fd);
  return temp;
}

/** A new file, mode 0600, all at once: linked into place, so a file that appeared meanwhile is never replaced. */
function writeNew(path: string, text: string): void {
  const temp = writeTemp(path, text, 0o600);
  try {
    linkSync(temp, path);
  } catch (err) {
    unlinkQuietly(temp);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new JwtkitError('file_exists', `${shown(path, 'path')} appeared while jwtkit was writing it`, 'run again');
    throw new JwtkitError('write_failed', `cannot write ${shown(path, 'path')}: ${fileErrorReason(err, true)}`);
  }
  unlinkQuietly(temp);
}

function replaceFile(path: string, text: string, stats: Stats): void {
  const temp = writeTemp(path, text, stats.mode & 0o7777, { uid: stats.uid, gid: stats.gid });
  try {
    renameSync(temp, path);
  } catch (err) {
    unlinkQuietly(temp);
    throw new JwtkitError('write_failed', `cannot write ${shown(path, 'path')}: ${fileErrorReason(err, true)}`);
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

export type GitStatus = 'tracked' | 'not_ignored' | 'ignored' | 'outside';

/**
 * What git thinks of `path`: tracked, ignored, neither, or no repository (or no git at all, which
 * is said nothing about). git runs with an argument array (no shell), the path given as a literal
 * pathspec after `--`, from the file's own folder, with fsmonitor off (a repository's config may
 * name a program for it), and a time limit.
 */
export function gitStatus(path: string, env: NodeJS.ProcessEnv): GitStatus {
  // ls-files takes pathspecs (a literal one here: `*` in a file name is a file name); check-ignore
  // takes plain path names and refuses the literal magic.
  const run = (args: string[], literal: boolean) =>
    spawnSync('git', ['-c', 'core.fsmonitor=false', ...args, '--', basename(path)], {
      cwd: dirname(path),
      env: { ...env, ...(literal ? { GIT_LITERAL_PATHSPECS: '1' } : {}), GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' },
      stdio: 'ignore',
      timeout: 5000,
      windowsHide: true,
    });
  const tracked = run(['ls-files', '--error-unmatch'], true);
  if (tracked.error || tracked.status === null) return 'outside';
  if (tracked.status === 0) return 'tracked';
  if (tracked.status !== 1) return 'outside'; // 128: not in a repository (or git could not tell)
  const ignored = run(['check-ignore', '-q'], false);
  if (ignored.status === 0) return 'ignored';
  if (ignored.status === 1) return 'not_ignored';
  return 'outside';
}
