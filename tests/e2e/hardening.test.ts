// Hostile and careless input at the CLI's edge (issue 11): one clear line, the contract's exit
// code, nothing echoed that could be a secret, never exit 70.
// Most cases run in-process (cli(), tests/helpers/cli.ts: the same main() as the binary); through
// the built binary (jwtkit()) go what a process shows: a JSON error from gen (its own bundle,
// dist/front.cjs), stdin a folder, a closed stderr pipe, and files named by a secret written in the
// process's working directory (gen, so front.cjs again).
import { execa } from 'execa';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOKENS, HS_SECRET } from '../helpers/fixtures.js';
import { BIN, cleanEnv, jwtkit } from '../helpers/run.js';
import { cli } from '../helpers/cli.js';
import { requireTools } from '../helpers/tools.js';

const SECRET = 'q3pcm0Rnl0n8S7rQv7Zz1oGmBQ1+YlT1YgkqlQ2y0m8=';
const oneLine = (text: string) => expect(text.trimEnd().split('\n')).toHaveLength(1);

describe('the CLI edge', () => {
  it('`jwtkit help bogus` is one usage line, not "(outputHelp)"', async () => {
    const r = await cli(['help', 'bogus']);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toBe('jwtkit: error: no command "bogus" to show help for. See \'jwtkit --help\' for the commands\n');
  });

  it('`--json` that is the value of another option does not switch JSON on', async () => {
    const r = await cli(['decode', '--claim', '--json']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('`--json` after a bad value still gives the JSON error', async () => {
    const r = await jwtkit(['gen', '--json', '--bytes', '3']);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'usage' } });
  });

  it('a secret given to an option with choices is never echoed', async () => {
    for (const args of [['gen', '--encoding', SECRET], ['check', '--alg', SECRET, 'x'], ['gen', `--${SECRET}`]]) {
      const r = await cli(args);
      expect(r.exitCode).toBe(2);
      oneLine(r.stderr);
      expect(r.stderr).not.toContain(SECRET.slice(0, 12));
      expect(r.stderr).toMatch(/a 4\d-character value/);
    }
  });

  it('a secret given as sign\'s payload is never echoed by the JSON error', async () => {
    const r = await cli(['sign', '--secret-env', 'JWT_SECRET', SECRET], { env: { JWT_SECRET: HS_SECRET } });
    expect(r.exitCode).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/the payload is not valid JSON: unexpected character/);
    expect(r.stderr).not.toContain(SECRET.slice(0, 4));
  });

  it('`verify --alg ""` (an unset variable) is a usage error, not "not allowed"', async () => {
    const r = await cli(['verify', '--pretty', '--secret-env', 'JWT_SECRET', '--alg', '', TOKENS.HS256!], { env: { JWT_SECRET: HS_SECRET } });
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toMatch(/^jwtkit: error: --alg is empty/);
    const s = await cli(['sign', '--secret-env', 'JWT_SECRET', '--alg', ''], { env: { JWT_SECRET: SECRET } });
    expect(s).toMatchObject({ exitCode: 2, stdout: '' });
    expect(s.stderr).toMatch(/^jwtkit: error: --alg is empty/);
  });

  it('impossible dates and times beyond the calendar are refused', async () => {
    const r = await cli(['decode', '--at', '2021-02-29', TOKENS.HS256!]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--at "2021-02-29" is not a date: February 2021 has 28 days/);
    const s = await cli(['sign', '--secret-env', 'JWT_SECRET', '--exp', '9999999999y'], { env: { JWT_SECRET: SECRET } });
    expect(s.exitCode).toBe(2);
    expect(s.stderr).toMatch(/beyond the year 9999/);
  });

  it('`gen --out keys/` is refused instead of writing hidden keys/.key.pem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwtkit-out-'));
    for (const out of [`${dir}/`, dir, `${dir}/.`]) {
      const r = await cli(['gen', '--alg', 'ES256', '--out', out]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/names a folder, not a file name prefix/);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('`sign` with stdin a folder is an error, not a token for {}', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwtkit-stdin-'));
    const r = await execa('sh', ['-c', `node "${BIN}" sign --secret-env JWT_SECRET < "${dir}"`], {
      reject: false,
      env: cleanEnv({ JWT_SECRET: SECRET }),
      extendEnv: false,
    });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(String(r.stderr)).toMatch(/^jwtkit: error: cannot read stdin: it is a folder/);
  });

  it('a weak `oct` JWK is judged like --secret by sign', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwtkit-oct-'));
    const weak = join(dir, 'weak.jwk');
    writeFileSync(weak, JSON.stringify({ kty: 'oct', k: Buffer.from('secret').toString('base64url') }));
    const r = await cli(['sign', '--key', weak]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/weak for HS256/);
    const allowed = await cli(['sign', '--key', weak, '--allow-weak-secret']);
    expect(allowed.exitCode).toBe(0);
    const strong = join(dir, 'strong.jwk');
    writeFileSync(strong, JSON.stringify({ kty: 'oct', k: Buffer.from(SECRET, 'base64').toString('base64url') }));
    expect((await cli(['sign', '--key', strong])).exitCode).toBe(0);
  });

  it('a closed stderr pipe (`2>&1 | head -1`) ends quietly, not with exit 1 or 70', async (ctx) => {
    requireTools(ctx, 'bash');
    const lines = Array.from({ length: 20_000 }, (_, i) => `garbage-${i}`).join('\n');
    const r = await execa('bash', ['-c', `node "${BIN}" decode 2>&1 | head -1 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`], {
      reject: false,
      input: lines,
      env: cleanEnv(),
      extendEnv: false,
    });
    const exit = Number(/exit=(\d+)/.exec(String(r.stdout))?.[1]);
    expect([0, 2]).toContain(exit);
  });
});

// The in-process table (tests/unit/no-echo.test.ts) covers every option; these are what main()
// itself answers (in-process: the same main() as dist/jwtkit.cjs), and the options whose value
// names a file to write in the working directory (through the binary: gen's bundle, and a cwd).
describe('a secret typed into the wrong place is never echoed', () => {
  const PASSWORD = 'ThisIsMyProductionSecretKey!!';
  const pieces = (value: string) => [value, ...value.split(/[^A-Za-z0-9]/).filter((p) => p.length >= 8)];
  const never = (r: { stdout: string; stderr: string }, value: string) => {
    for (const piece of pieces(value)) expect(r.stdout + r.stderr).not.toContain(piece);
  };

  it('in main(): help, a key verb, sign --alg (the review\'s example)', async () => {
    for (const args of [['help', PASSWORD], ['key', SECRET], ['sign', '--secret-env', 'HOME', '--allow-weak-secret', '--alg', PASSWORD, '{}']]) {
      const r = await cli(args);
      expect(r.exitCode).toBe(2);
      oneLine(r.stderr);
      never(r, args.includes(PASSWORD) ? PASSWORD : SECRET);
      expect(r.stderr).toMatch(/\(an? \d+-character value, not shown\)/);
    }
  });

  it('a file to write named by a secret: the notes name it by its length', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'jwtkit-noecho-'));
    for (const args of [['gen', '--dotenv-file', PASSWORD], ['gen', '--alg', 'ES256', '--out', SECRET], ['gen', '--alg', 'ES256', '--out', SECRET]]) {
      const r = await jwtkit(args, { cwd });
      never(r, args.at(-1)!);
      expect(r.stdout + r.stderr).toMatch(/\(an? \d+-character value, not shown\)/);
    }
  });
});
