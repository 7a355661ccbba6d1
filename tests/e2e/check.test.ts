// Most cases run in-process (cli(), tests/helpers/cli.ts: the same main() as the binary); through
// the built binary (jwtkit()) go what a process shows, one run for each exit code: a strong secret
// on stdin (exit 0), the --json shape of a weak one (exit 1), the JSON error (exit 2).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createSecretChecker } from '../../src/commands/check.js';
import { expectOneLineError, jwtkit } from '../helpers/run.js';
import { cli } from '../helpers/cli.js';
import { requireTools, runs } from '../helpers/tools.js';

const tmp = mkdtempSync(join(tmpdir(), 'jwtkit-check-'));
/** Random-looking (a SHA-256 in hex) and on the word list below: only --wordlist can know it is leaked. */
const LEAKED = createHash('sha256').update('jwtkit test: a leaked secret').digest('hex');
/** A small list of "published" secrets of its own, shaped like the real ones: one per line, CRLF. */
const WORDLIST = join(tmp, 'leaked-secrets.list');
writeFileSync(
  WORDLIST,
  [...Array.from({ length: 2000 }, (_, i) => createHash('sha256').update(`filler ${i}`).digest(i % 2 ? 'hex' : 'base64')), LEAKED, 'secret', 'changeme']
    .map((line) => `${line}\r\n`)
    .join(''),
);

describe('jwtkit check', () => {
  it('a strong secret from the environment: exit 0, one ✓ line and details, never the secret', async () => {
    const secret = randomBytes(32).toString('base64');
    const r = await cli(['check', '--pretty', '--secret-env', 'JWT_SECRET'], { env: { JWT_SECRET: secret } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('✓ strong for HS256: 32 random bytes, base64, 256 bits (HS256 needs 256), key 44 bytes');
    expect(r.stdout).toContain(`'${secret.slice(0, 4)}…' from JWT_SECRET, 44 characters`);
    expect(r.stdout).toContain('strong for HS256; HS384/HS512 need 48/64 bytes');
    expect(r.stdout).not.toMatch(/\bweak\b/);
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stderr).toBe('');
  });

  it('--json: the contract shape plus codes and severity', async () => {
    const r = await jwtkit(['check', '--json', '--secret-env', 'S'], { env: { S: 'your-256-bit-secret' } });
    expect(r.exitCode).toBe(1);
    const body = JSON.parse(r.stdout);
    expect(body).toEqual({
      verdict: 'weak',
      alg: 'HS256',
      bits: 17,
      required_bits: 256,
      encoding: 'text',
      length: 19,
      bytes: 19,
      reasons: ['it is a published or commonly used value, so attackers try it first', 'the key is 19 bytes long; HS256 needs at least 32 bytes (RFC 7518 §3.2)'],
      codes: ['KNOWN_SECRET', 'TOO_SHORT'],
      severity: 'critical',
      recognised: 'a known secret',
      algs: { HS256: 'weak', HS384: 'weak', HS512: 'weak' },
    });
    expect(r.stdout).not.toContain('your-256-bit-secret');
  });

  it('a weak secret: exit 1, the reason, the fix', async () => {
    // 16 random bytes in hex; not a draw that reads as a UUID v4 (1 in 64), which check names as such
    let s = randomBytes(16).toString('hex');
    while (s[12] === '4') s = randomBytes(16).toString('hex');
    const r = await cli(['check', '--pretty', '--secret-env', 'S'], { env: { S: s } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('✗ weak for HS256 (below spec): 16 random bytes, hex: 128 random bits, HS256 needs 256 (RFC 7518 §3.2)');
    expect(r.stdout).toContain('fix: generate one with `jwtkit gen` and store it');
  });

  it('--alg HS512 asks for 512 bits and 64 bytes', async () => {
    // a draw that is all letters and digits (1 in 8) reads as 381 bits, weak for HS384: draw again,
    // as gen does (its own test covers that case)
    let s = randomBytes(48).toString('base64url');
    while (/^[A-Za-z0-9]+$/.test(s)) s = randomBytes(48).toString('base64url');
    const env = { S: s };
    expect((await cli(['check', '--alg', 'HS384', '--secret-env', 'S'], { env })).exitCode).toBe(0);
    const r = await cli(['check', '--alg', 'HS512', '--json', '--secret-env', 'S'], { env });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'weak', required_bits: 512, codes: ['LOW_ENTROPY'] });
  });

  it('unset or empty variable: exit 2, "JWT_SECRET is not set"', async () => {
    expect(expectOneLineError(await cli(['check', '--secret-env', 'JWT_SECRET']))).toBe(
      'jwtkit: error: JWT_SECRET is not set. Export JWT_SECRET=…, or pass --secret-file PATH',
    );
    expect((await cli(['check', '--secret-env', 'JWT_SECRET'], { env: { JWT_SECRET: '' } })).exitCode).toBe(2);
    const json = await jwtkit(['check', '--json', '--secret-env', 'JWT_SECRET']);
    // exit 2 and the one stderr line (the usage error as a process gives it), and the JSON object
    expect(expectOneLineError(json)).toBe('jwtkit: error: JWT_SECRET is not set. Export JWT_SECRET=…, or pass --secret-file PATH');
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'no_secret', message: 'JWT_SECRET is not set. Export JWT_SECRET=…, or pass --secret-file PATH' } });
  });

  it('stdin: one trailing newline is how pipes end, not part of the secret', async () => {
    const secret = randomBytes(32).toString('hex');
    // through the binary: the secret from a real stdin pipe, and stdout a pipe, so the report is JSON
    const piped = await jwtkit(['check'], { input: `${secret}\n` });
    expect(piped).toMatchObject({ exitCode: 0, stderr: '' });
    expect(JSON.parse(piped.stdout)).toMatchObject({ verdict: 'strong', length: 64 });
    const r = await cli(['check', '--json'], { input: `${secret}\n\n` });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).codes).toContain('WHITESPACE');
    // `-` is stdin, as everywhere else: not a 1-character secret, and no shell-history warning
    const dash = await cli(['check', '--json', '-'], { input: `${secret}\n` });
    expect(dash.stderr).toBe('');
    expect(dash.exitCode).toBe(0);
    expect(JSON.parse(dash.stdout)).toMatchObject({ verdict: 'strong', length: 64 });
  });

  it('--secret-file: a newline the editor added is fine, a space pasted in is a finding', async () => {
    const file = join(tmp, 'secret');
    const secret = randomBytes(32).toString('base64');
    writeFileSync(file, `${secret}\n`);
    expect((await cli(['check', '--secret-file', file])).exitCode).toBe(0);
    writeFileSync(file, `${secret} \n`);
    const r = await cli(['check', '--json', '--secret-file', file]);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).codes[0]).toBe('WHITESPACE');
  });

  it('an argument works, with a warning about shell history', async () => {
    const r = await cli(['check', randomBytes(32).toString('base64')]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/^jwtkit: warning: a secret argument puts the secret in your shell history/);
  });

  it('no secret at all: exit 2', async () => {
    expect(expectOneLineError(await cli(['check'], { input: '' }))).toMatch(/stdin is empty: no secret to check/);
    expect(expectOneLineError(await cli(['check', 'a', '--secret-env', 'X']))).toMatch(/give one secret/);
  });

  it('--wordlist: a random-looking secret from a list of published ones is refused', async () => {
    expect((await cli(['check', '--secret-env', 'S'], { env: { S: LEAKED } })).exitCode).toBe(0);
    const r = await cli(['check', '--json', '--secret-env', 'S', '--wordlist', WORDLIST], { env: { S: LEAKED } });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'weak', severity: 'critical', codes: ['KNOWN_SECRET'] });
    const fresh = await cli(['check', '--secret-env', 'S', '--wordlist', WORDLIST], { env: { S: randomBytes(32).toString('base64') } });
    expect(fresh.exitCode).toBe(0);
    expect(expectOneLineError(await cli(['check', '--secret-env', 'S', '--wordlist', '/nope'], { env: { S: LEAKED } }))).toMatch(
      /cannot read --wordlist \/nope: no such file/,
    );
  });

  it('--wordlist: a UTF-8 BOM does not hide the first line; a directory is exit 2, not a crash', async () => {
    const first = randomBytes(32).toString('base64');
    const list = join(tmp, 'bom.list');
    writeFileSync(list, `\uFEFF${first}\nother\n`);
    expect((await cli(['check', '--secret-env', 'S', '--wordlist', list], { env: { S: first } })).exitCode).toBe(1);
    const dir = await cli(['check', '--secret-env', 'S', '--wordlist', tmp], { env: { S: first } });
    expect(dir.exitCode).toBe(2);
    expect(expectOneLineError(dir)).toBe(`jwtkit: error: cannot read --wordlist ${tmp}: it is a folder`);
  });

  it('openssl rand -base64 64 pasted as printed (two lines): named, with the one-line fix', async (ctx) => {
    requireTools(ctx, 'openssl');
    const secret = `${(await execa('openssl', ['rand', '-base64', '64'])).stdout}\n`;
    expect(secret.trim()).toContain('\n');
    const r = await cli(['check', '--pretty'], { input: `${secret}` });
    expect(r.exitCode).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^✗ weak for HS256 \(below spec\): it is base64 broken over several lines, as `openssl rand -base64`/);
    expect(r.stdout).toContain("fix: make it on one line: `openssl rand -base64 64 | tr -d '\\n'`, or `jwtkit gen --bytes 64`");
  });

  it('a UUID: "122 random bits, HS256 needs 256"', async () => {
    const r = await cli(['check', '--pretty', '--secret-env', 'S'], { env: { S: randomUUID() } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('✗ weak for HS256 (high): a UUID v4: 122 random bits, HS256 needs 256 (RFC 7518 §3.2)');
  });

  it('openssl rand -base64 32 and -hex 32 are strong; -hex 16 is not', async (ctx) => {
    requireTools(ctx, 'openssl');
    for (const [args, code] of [[['-base64', '32'], 0], [['-hex', '32'], 0], [['-hex', '16'], 1]] as const) {
      const secret = (await execa('openssl', ['rand', ...args])).stdout;
      expect((await cli(['check', '--secret-env', 'S'], { env: { S: secret } })).exitCode, args.join(' ')).toBe(code);
    }
  });
});

describe("jwtkit gen's output is always strong for its own size", () => {
  const checker = createSecretChecker();
  /** secrets per case: a few in `npm test` (each check costs ~7 ms of CPU: zxcvbn's matchers on a
   *  long string; fresh random keys of every encoding are also a unit test, tests/unit/check.test.ts),
   *  40 with JWTKIT_TEST_LONG=1 */
  const COUNT = runs(4, 40);
  const SIZES: [number, 'HS256' | 'HS384' | 'HS512'][] = [[32, 'HS256'], [40, 'HS256'], [48, 'HS384'], [56, 'HS384'], [64, 'HS512']];
  it.each(SIZES.flatMap(([bytes, alg]) => (['base64', 'base64url', 'hex'] as const).map((enc) => [bytes, enc, alg] as const)))(
    '%i bytes, %s, for %s',
    async (bytes, encoding, alg) => {
      const r = await cli(['gen', '--count', String(COUNT), '--bytes', String(bytes), '--encoding', encoding]);
      for (const secret of r.stdout.trimEnd().split('\n')) {
        const v = await checker.check({ secret, label: 'gen', alg });
        // Credited bits are the minimum over every alphabet the string fits (64 base64 characters
        // of letters and digits only are 381 bits; 43 of letters only, 245): gen draws such a
        // secret again (carriesItsBytes), so every one it prints is strong.
        expect(v.verdict, `${secret}: ${JSON.stringify(v.reasons)}`).toBe('strong');
      }
    },
    runs(120_000, 300_000),
  );
});
