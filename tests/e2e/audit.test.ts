// jwtkit audit end to end: tokens signed by PyJWT with secrets from a generated word list, found
// at the right line; lint-only exits; JWE and alg none; hostile word lists; the progress line.
// Through the built binary (jwtkit()) go a batch on stdin searched with a word list (no progress
// line in a pipe), the two-worker search (dist/audit-worker.cjs found beside the bundle) and the
// progress line on a terminal; the rest runs in-process (cli(), tests/helpers/cli.ts: the same
// main()). PyJWT signs every token of the file in one python3 process.
import { execa } from 'execa';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWE, TOKENS } from '../helpers/fixtures.js';
import { BIN, cleanEnv, expectOneLineError, jwtkit } from '../helpers/run.js';
import { cli, testSys } from '../helpers/cli.js';
import { main } from '../../src/main.js';
import { hasTool, requireTools } from '../helpers/tools.js';

const LINES = 3000;
const hs256 = (secret: string) => {
  const input = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"a"}').toString('base64url')}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};
const HOSTILE = '\u001b]52;c;ZXZpbA==\u0007pwn\u202e';
const B64_LINE = 'c2VjcmV0LWZyb20tYmFzZTY0'; // base64 of "secret-from-base64"
let dir: string;
let list: string;
let gz: string;
const words: string[] = [];

/** PyJWT (Debian's python3-jwt) signs every token in one python3 process; a key given as hex is bytes. */
async function pyjwt(requests: [alg: string, key: string | { hex: string }, claims: Record<string, unknown>][]): Promise<string[]> {
  const script = `
import jwt, json, sys
for alg, key, claims in json.loads(sys.argv[1]):
    print(jwt.encode(claims, bytes.fromhex(key['hex']) if isinstance(key, dict) else key, algorithm=alg))`;
  const r = await execa('/usr/bin/python3', ['-c', script, JSON.stringify(requests)]);
  return r.stdout.trim().split('\n');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jwtkit-audit-'));
  // Deterministic pseudo-random words (xorshift), one a line.
  let x = 15;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0);
  for (let i = 0; i < LINES; i++) words.push(Array.from({ length: 6 + (next() % 9) }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[next() % 36]).join(''));
  words[1999] = B64_LINE;
  list = join(dir, 'words.txt');
  writeFileSync(list, `${words.join('\n')}\n`);
  // The same words, gzipped, with a BOM, CRLF line ends, an over-long line and a hostile one.
  gz = join(dir, 'words.txt.gz');
  writeFileSync(gz, gzipSync(Buffer.from(`\ufeff${words.slice(0, 100).join('\r\n')}\r\n${'x'.repeat(10_000)}\r\n${HOSTILE}\r\n`)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const now = Math.floor(Date.now() / 1000);
const CLEAN = { sub: 'u', iss: 'auth', aud: 'api', iat: now, exp: now + 900 };
const STRONG = 'q3pcm0Rnl0n8S7rQv7Zz1oGmBQ1+YlT1YgkqlQ2y0m8=';
const json = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
/** The many-chunk list: ~1 MB, four chunks of 256 KiB (src/wordlist.ts), the secret in the second. */
const BIG_LINES = Array.from({ length: 60_000 }, (_, i) => `word-${i}-${(i * 7919) % 100_003}`);
const BIG_HIT = 29_999;

describe('jwtkit audit with tokens PyJWT signs', { timeout: 120_000 }, () => {
  // Every test's tokens from one python3 process, made when the first test asks.
  let signing: Promise<string[]> | undefined;
  const signed = () =>
    (signing ??= pyjwt([
      ['HS256', words[LINES / 2 - 1]!, CLEAN], // the middle line
      ['HS384', words[LINES - 1]!, CLEAN], // the last line
      ['HS512', { hex: Buffer.from('secret-from-base64').toString('hex') }, CLEAN], // base64-decoded line 2000
      ['HS256', STRONG, CLEAN], // not found, no findings
      ['HS256', STRONG, { sub: 'u', iss: 'auth', aud: 'api' }], // not found, no exp (high)
      ['HS256', 'changeme', CLEAN], // built-in list
      ['HS256', HOSTILE, CLEAN], // the gzipped list's hostile line
      ['HS256', words[0]!, CLEAN], // its first line
      ['HS256', '', CLEAN], // the empty key
      ['HS512', 'undefined', CLEAN], // an unset variable, as JavaScript writes it
      ['HS384', 'None', CLEAN], // and Python
      ['HS256', BIG_LINES[BIG_HIT]!, CLEAN], // the many-chunk list's
    ]));

  it('finds secrets at the right line of a word list; lint alone decides for the rest', async (ctx) => {
    requireTools(ctx, 'PyJWT');
    const tokens = (await signed()).slice(0, 6);
    const r = await jwtkit(['audit', '--wordlist', list], { input: [...tokens, TOKENS.none, JWE, TOKENS.RS256, 'not.a.token'].join('\n') });
    expect(r.exitCode).toBe(2); // the malformed line; the findings alone would be 1
    expect(r.stderr).toContain('token 10: ');
    expect(r.stderr).not.toContain('keys tried'); // no progress line in a pipe
    const out = json(r.stdout);
    const secret = (i: number) => out[i]!.secret;
    expect(secret(0)).toMatchObject({ found: true, value: words[LINES / 2 - 1], source: 'wordlist', file: list, line: LINES / 2, variant: 'text' });
    expect(secret(1)).toMatchObject({ found: true, value: words[LINES - 1], line: LINES });
    expect(secret(2)).toMatchObject({ found: true, value: B64_LINE, line: 2000, variant: 'base64' });
    expect(secret(3)).toMatchObject({ found: false });
    expect(secret(3).tried).toBeGreaterThan(LINES + 49_000);
    expect(out[3]!.findings).toEqual([]);
    expect(out[4]!.findings.map((f: { code: string }) => f.code)).toEqual(['no_exp']);
    expect(secret(5)).toEqual({ found: true, value: 'changeme', variant: 'text', source: 'builtin', tried: expect.any(Number) });
    expect(out[0]!.findings[0]).toMatchObject({ code: 'secret_found', severity: 'critical' });
    expect(out[6]).toMatchObject({ alg: 'none', secret: null, worst: 'critical' });
    expect(out[6]!.findings.map((f: { code: string }) => f.code)).toContain('alg_none');
    expect(out[7]).toMatchObject({ encrypted: true, secret: null });
    expect(out[8]).toMatchObject({ alg: 'RS256', secret: null });
    expect(out[9]).toEqual({ error: { code: 'malformed', message: expect.stringContaining('token 10: ') } });
    // Each finding has exactly the four members.
    for (const o of out.slice(0, 9)) for (const f of o.findings) expect(Object.keys(f).sort()).toEqual(['code', 'fix', 'message', 'severity']);

    // A clean token signed with a strong secret: exit 0, the human view says so.
    const clean = await cli(['audit', '--pretty', tokens[3]!]);
    expect(clean.exitCode).toBe(0);
    expect(clean.stdout).toMatch(/^✓ nothing at or above high\n/);
    expect(clean.stdout).toContain('secret   not found (');
    // --fail-on: the no-exp token passes a gate at critical.
    expect((await cli(['audit', '--fail-on', 'critical', tokens[4]!])).exitCode).toBe(0);
  });

  it('a JSON body, a callback URL or a Cookie header holding one token: audited, with a note (as decode)', async () => {
    const t = TOKENS.HS256;
    const r = await cli(['audit', '--json'], { input: [`{"access_token":"${t}","token_type":"Bearer"}`, `https://app.example/cb#id_token=${t}&state=x`, `Cookie: a=b; session=${t}`].join('\n') });
    expect(r.stderr).toBe(
      'jwtkit: note: token 1: the input is a JSON body, not a token; using the one token in it (--scan finds every token in any text)\n' +
        'jwtkit: note: 2 more inputs held one token inside other text; each was used\n',
    );
    const out = json(r.stdout);
    expect(out.map((o) => [o.token, o.alg])).toEqual([[1, 'HS256'], [2, 'HS256'], [3, 'HS256']]);
    const one = await cli(['audit', '--json', `{"access_token":"${t}"}`]);
    expect(one.stderr).toMatch(/^jwtkit: note: the input is a JSON body, not a token/);
    const { token: _, ...first } = out[0]!;
    expect(json(one.stdout)[0]).toEqual(first);
  });

  it('the empty key and what an unset variable becomes ("undefined", "None") are tried without a word list', async (ctx) => {
    requireTools(ctx, 'PyJWT');
    const tokens = (await signed()).slice(8, 11);
    const r = await cli(['audit', '--json'], { input: tokens.join('\n') });
    expect(r.exitCode).toBe(1);
    const out = json(r.stdout);
    expect(out.map((o) => o.secret)).toEqual([
      { found: true, value: '', variant: 'text', source: 'builtin', tried: 1 },
      { found: true, value: 'undefined', variant: 'text', source: 'builtin', tried: expect.any(Number) },
      { found: true, value: 'None', variant: 'text', source: 'builtin', tried: expect.any(Number) },
    ]);
    expect(out[0]!.findings[0]).toMatchObject({ code: 'secret_found', message: expect.stringContaining('secret is empty') });
    const human = await cli(['audit', '--pretty', tokens[0]!]);
    expect(human.stdout).toContain('FOUND "" (the empty key: an unset secret; 1 key tried)');
  });

  it('a list of many chunks, the secret in the middle: two workers find it at the right line, tried as one job counts it', async (ctx) => {
    requireTools(ctx, 'PyJWT');
    // ~1 MB in four chunks: chunks go to both workers, and chunks past the hit reach a worker after
    // it heard of the hit (a crash, exit 70, until session 5; with that fix undone this list still
    // crashes every run, as 0.66 MB with the secret in the first chunk did, and 0.5 MB did not).
    // Two workers through the binary (the bundle finds dist/audit-worker.cjs), one job in-process.
    const big = join(dir, 'big.txt');
    writeFileSync(big, `${BIG_LINES.join('\n')}\n`);
    const token = (await signed())[11]!;
    const two = await jwtkit(['audit', '--jobs', '2', '--wordlist', big, token]);
    const one = await cli(['audit', '--jobs', '1', '--wordlist', big, token]);
    for (const r of [two, one]) {
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(1);
    }
    const secret = json(two.stdout)[0]!.secret;
    expect(secret).toMatchObject({ found: true, value: BIG_LINES[BIG_HIT], source: 'wordlist', line: BIG_HIT + 1, variant: 'text' });
    expect(secret).toEqual(json(one.stdout)[0]!.secret);
  });

  it('gzip, BOM, CRLF, an over-long line and a hostile secret: found, shown escaped', async (ctx) => {
    requireTools(ctx, 'PyJWT');
    const [hostile, first] = (await signed()).slice(6, 8);
    const r = await cli(['audit', '--pretty', '--jobs', '1', '--wordlist', gz], { input: `${hostile}\n${first}\n` });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(r.stdout).toContain('FOUND "\\u001b]52;c;ZXZpbA==\\u0007pwn\\u202e"');
    expect(r.stdout).toContain(`${gz} line 102`);
    expect(r.stdout).toContain(`FOUND "${words[0]}" (${gz} line 1;`);
    expect(r.stdout).toMatch(/✗ critical +the HS256 secret is in/);
    expect(r.stdout).toContain('fix: rotate now');
  });

  it('bad input: a missing word list, stdin asked for twice', async () => {
    const missing = await cli(['audit', '--wordlist', join(dir, 'nope.txt'), TOKENS.HS256!]);
    expect(expectOneLineError(missing)).toMatch(/cannot read --wordlist .*nope\.txt: /);
    // through the binary, in --json: audit's input error as a process exits with it (2, one line) and its JSON error
    const json = await jwtkit(['audit', '--json', '--wordlist', join(dir, 'nope.txt'), TOKENS.HS256!]);
    expect(expectOneLineError(json)).toBe(missing.stderr.trimEnd());
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'unreadable', message: missing.stderr.trimEnd().slice('jwtkit: error: '.length) } });
    const twice = await cli(['audit', '--wordlist', '-'], { input: `${TOKENS.HS256}\n` });
    expect(expectOneLineError(twice)).toContain('stdin cannot be both the token and the word list');
  });

  it('shows a progress line on a terminal only', async (ctx) => {
    requireTools(ctx, 'script');
    if (!hasTool('script')) return;
    const pty = await execa('script', ['-qec', `node ${BIN} audit --wordlist ${list} ${TOKENS.HS256}`, '/dev/null'], {
      env: cleanEnv({ TERM: 'xterm' }),
      extendEnv: false,
      reject: false,
    });
    expect(pty.stdout).toMatch(/audit: [\d,]+ keys tried · [\d,]+k\/s/);
    // Cleared before the report.
    expect(pty.stdout).toContain('\r\u001b[K');
  });

  it("the README's audit example is what jwtkit prints", async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const shown = /\$ jwtkit audit "\$TOKEN"\n([\s\S]*?)```/.exec(readme)![1]!;
    const input = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"user-42"}').toString('base64url')}`;
    const token = `${input}.${createHmac('sha256', 'changeme').update(input).digest('base64url')}`;
    const r = await cli(['audit', '--pretty', token]);
    expect(r.stdout).toBe(shown);
    expect(r.exitCode).toBe(1);
  });

  it('draws no progress line on a dumb terminal (TERM=dumb: no cursor control)', async () => {
    const run = async (TERM: string) => {
      const { sys, err } = testSys({ env: { TERM } });
      Object.assign(sys.stderr, { isTTY: true });
      // Signed with a built-in default: found in the first chunk, which draws the line once.
      await main(['audit', '--jobs', '1', '--json', '--wordlist', list, hs256('your-256-bit-secret')], sys);
      return Buffer.concat(err).toString('utf8');
    };
    expect(await run('xterm')).toContain('\r\u001b[K');
    expect(await run('dumb')).toBe('');
  });
});
