// gen --dotenv-file: a secret written into a dotenv file in place, the old one kept for a rotation
// window, never printed; files that must not be written are refused with one line.
// Through the built binary (jwtkit(), in the folder as its working directory) go what the process
// shows: a relative path created in the working directory (mode 0600 under the process's umask,
// through dist/front.cjs, gen's bundle), git asked about a relative path from that directory, and
// --env-file (Node.js's own option). The rest runs in-process (cli(), tests/helpers/cli.ts: the
// same main()) with absolute paths, as the working directory of the test process is not theirs.
import { createHmac } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { expectOneLineError, jwtkit } from '../helpers/run.js';
import { cli } from '../helpers/cli.js';
import { requireTools } from '../helpers/tools.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'jwtkit-dotenv-'));
const modeOf = (path: string) => lstatSync(path).mode & 0o777;
/** The file's variables, the way a dotenv loader reads these simple lines. */
const variables = (path: string) =>
  Object.fromEntries(readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => /^\w+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
const hs256 = (secret: string, payload: object) => {
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};

describe('jwtkit gen --dotenv-file', () => {
  it('rotation: a new file (0600), then a new secret with the old one as JWT_SECRET_PREVIOUS; verify accepts both', async () => {
    const dir = fresh();
    const file = join(dir, '.env');
    const first = await jwtkit(['gen', '--dotenv-file', '.env'], { cwd: dir });
    expect(first).toEqual({ exitCode: 0, stdout: 'Created .env (mode 0600) with JWT_SECRET (a new 256-bit secret, base64)\n', stderr: '' });
    expect(modeOf(file)).toBe(0o600);
    const old = variables(file).JWT_SECRET!;
    expect(old).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const oldToken = hs256(old, { sub: 'before-rotation', exp: 4_000_000_000 });

    const second = await cli(['gen', '--dotenv-file', file, '--json']);
    expect(second.exitCode).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ file, name: 'JWT_SECRET', previous: 'JWT_SECRET_PREVIOUS', created: false, mode: '0600', bytes: 32, bits: 256, encoding: 'base64' });
    const env = variables(file);
    expect(Object.keys(env)).toEqual(['JWT_SECRET', 'JWT_SECRET_PREVIOUS']);
    expect(env.JWT_SECRET_PREVIOUS).toBe(old);
    expect(env.JWT_SECRET).not.toBe(old);
    for (const out of [first, second]) expect(out.stdout + out.stderr).not.toContain(env.JWT_SECRET!.slice(0, 12));
    expect(second.stdout).not.toContain(old.slice(0, 12));
    expect(modeOf(file)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['.env']); // no temporary file left behind

    const newToken = hs256(env.JWT_SECRET!, { sub: 'after-rotation', exp: 4_000_000_000 });
    const r = await cli(['verify', '--json', '--secret-env', 'JWT_SECRET', '--secret-env', 'JWT_SECRET_PREVIOUS'], {
      env,
      input: `${oldToken}\n${newToken}\n`,
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l)).map((v) => [v.valid, v.key, v.payload.sub])).toEqual([
      [true, 'JWT_SECRET_PREVIOUS', 'before-rotation'],
      [true, 'JWT_SECRET', 'after-rotation'],
    ]);
  });

  it('edits in place: other lines, comments, CRLF, export and the mode stay; --name and --alg HS384', async () => {
    const dir = fresh();
    const file = join(dir, 'app.env');
    writeFileSync(file, '# app settings\r\nPORT=3000\r\nexport API_SECRET="old value" # 2025\r\nTAIL=x');
    chmodSync(file, 0o640);
    const r = await cli(['gen', '--dotenv-file', file, '--name', 'API_SECRET', '--alg', 'HS384', '--encoding', 'hex']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`Wrote API_SECRET (a new 384-bit secret, hex) to ${file}; its old value is now API_SECRET_PREVIOUS\n`);
    expect(r.stderr).toBe(`jwtkit: warning: ${file} can be read by other users (mode 0640); chmod 600 app.env keeps it to you\n`);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# app settings\r\nPORT=3000\r\nexport API_SECRET=[0-9a-f]{96}\r\nexport API_SECRET_PREVIOUS="old value" # 2025\r\nTAIL=x$/);
    expect(modeOf(file)).toBe(0o640);
  });

  it('refuses a symbolic link, a named pipe, key pairs and --env-file (Node.js reads that one itself)', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'real.env'), 'JWT_SECRET=keep\n');
    symlinkSync('real.env', join(dir, 'link.env'));
    expect(expectOneLineError(await cli(['gen', '--dotenv-file', join(dir, 'link.env')]))).toBe(
      `jwtkit: error: ${join(dir, 'link.env')} is a symbolic link; jwtkit writes a dotenv file by renaming a new copy over it, which would replace the link itself. Give the path of the file it points to`,
    );
    expect(readFileSync(join(dir, 'real.env'), 'utf8')).toBe('JWT_SECRET=keep\n');
    await execa('mkfifo', [join(dir, 'pipe')]);
    expect(expectOneLineError(await cli(['gen', '--dotenv-file', join(dir, 'pipe')]))).toBe(
      `jwtkit: error: ${join(dir, 'pipe')} is a named pipe, not a dotenv file. Give the path of a regular file (or of one to create)`,
    );
    expect(expectOneLineError(await cli(['gen', '--dotenv-file', join(dir, 'k.env'), '--alg', 'ES256']))).toBe(
      'jwtkit: error: --dotenv-file is for secrets, not ES256 key pairs. Write the keys with --out PREFIX instead (a key pair does not belong in a dotenv file)',
    );
    // Node.js reads --env-file wherever it is; when the file exists, jwtkit gets to say so.
    expect(expectOneLineError(await jwtkit(['gen', '--env-file', 'real.env'], { cwd: dir }))).toBe(
      'jwtkit: error: --env-file is an option of Node.js itself, which reads it even after a program\'s name (and stops with "not found" when the file does not exist). Use jwtkit\'s --dotenv-file PATH',
    );
  });

  it('git: a tracked file is refused unless --force; an untracked one that is not ignored gets a warning', async (ctx) => {
    requireTools(ctx, 'git');
    const dir = fresh();
    const git = (...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
    await git('init', '-q');
    writeFileSync(join(dir, '.env'), 'JWT_SECRET=committed\n');
    await git('add', '.env');
    await git('commit', '-qm', 'oops');
    expect(expectOneLineError(await jwtkit(['gen', '--dotenv-file', '.env'], { cwd: dir }))).toBe(
      'jwtkit: error: .env is tracked by git, and a secret written there is one commit away from being leaked (it stays in the history for good). Untrack it (git rm --cached -- .env, then add it to .gitignore), or pass --force',
    );
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe('JWT_SECRET=committed\n');
    const forced = await cli(['gen', '--dotenv-file', join(dir, '.env'), '--force']);
    expect(forced.exitCode).toBe(0);
    expect(variables(join(dir, '.env')).JWT_SECRET_PREVIOUS).toBe('committed');

    mkdirSync(join(dir, 'sub'));
    const local = join(dir, 'sub/.env.local');
    const untracked = await cli(['gen', '--dotenv-file', local]);
    expect(untracked.exitCode).toBe(0);
    expect(untracked.stderr).toBe(`jwtkit: warning: ${local} is not ignored by git: add it to .gitignore, or the next \`git add .\` commits the secret\n`);
    writeFileSync(join(dir, '.gitignore'), '.env.*\n');
    expect(await cli(['gen', '--dotenv-file', local])).toMatchObject({ exitCode: 0, stderr: '' });

    // No git on PATH (a folder without it): the tracked file cannot be told from any other, and nothing is said of git.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const noGit = await cli(['gen', '--dotenv-file', join(dir, '.env')], { env: { PATH: bin } });
    expect(noGit).toMatchObject({ exitCode: 0, stderr: `jwtkit: warning: ${join(dir, '.env')} can be read by other users (mode 0644); chmod 600 .env keeps it to you\n` });
  });
});
