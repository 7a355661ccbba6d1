// Most cases run in-process (cli(), tests/helpers/cli.ts: the same main() as the binary); through
// the built binary (jwtkit()) go what a process shows: the --json shape (a success), the --json
// error of a malformed token, a batch on stdin with a line 4 times the 1 MiB token bound (the bound
// through real pipe reads), the zone of TZ, a terminal (colours; no token), the real clipboard.
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, expectOneLineError, jwtkit, type RunResult } from '../helpers/run.js';
import { cli } from '../helpers/cli.js';
import { DURING, HS_SECRET, IAT, JWE, TOKENS } from '../helpers/fixtures.js';
import { hasTool, requireTools } from '../helpers/tools.js';
import { startXvfb, type XServer } from '../helpers/xvfb.js';

const T = TOKENS.HS256!;
const AT = ['--at', String(DURING)];
const NOT_VERIFIED = 'jwtkit: note: the signature was NOT verified; check it with jwtkit verify and the secret or key\n';

describe('times in a zone: --tz ZONE and --local, beside UTC', () => {
  it("decode --tz shows each time on the zone's clock", async () => {
    const r = await cli(['decode', '--pretty', '--tz', 'asia/tokyo', T, ...AT]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('"iat": 1795000000,  // issued at: 2026-11-18T11:06:40Z = 2026-11-18 20:06:40 Asia/Tokyo (UTC+09:00), 5m ago');
    expect(r.stdout).toContain('"exp": 1795000900,  // expires: 2026-11-18T11:21:40Z = 2026-11-18 20:21:40 Asia/Tokyo (UTC+09:00), in 10m');
  });

  it("verify --local uses this machine's zone (TZ)", async () => {
    const r = await jwtkit(['verify', '--pretty', '--verbose', '--secret-env', 'JWT_SECRET', '--local', T, ...AT], { env: { JWT_SECRET: HS_SECRET, TZ: 'America/New_York' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('"exp": 1795000900,  // expires: 2026-11-18T11:21:40Z = 2026-11-18 06:21:40 America/New_York (UTC-05:00), in 10m');
  });

  it('a zone Intl does not know, or two zones, is one line, exit 2, the value escaped', async () => {
    expect(expectOneLineError(await cli(['decode', '--tz', 'Mars/Olympus_Mons', T]))).toBe(
      'jwtkit: error: --tz "Mars/Olympus_Mons" is not a time zone. Give an IANA name such as Europe/Paris, America/New_York, Asia/Tokyo or UTC',
    );
    const hostile = await cli(['verify', '--secret-env', 'JWT_SECRET', '--tz', 'Europe/\u001b[2J\u202eParis', T], { env: { JWT_SECRET: HS_SECRET } });
    expect(expectOneLineError(hostile)).toBe(
      'jwtkit: error: --tz (a 17-character value, not shown) is not a time zone. Give an IANA name such as Europe/Paris, America/New_York, Asia/Tokyo or UTC',
    );
    // In a pipe a report command's error is also the JSON object; neither holds the raw value.
    expect(JSON.parse(hostile.stdout)).toEqual({ error: { code: 'usage', message: expect.stringContaining('--tz (a 17-character value, not shown) is not a time zone') } });
    expect(hostile.stdout + hostile.stderr).not.toContain('\u001b');
    expect(expectOneLineError(await cli(['decode', '--local', '--tz', 'UTC', T]))).toBe('jwtkit: error: --local and --tz both choose a time zone. Give one of them');
  });
});

describe('jwtkit decode', () => {
  it('shows header, payload with times in words, lifetime, status and signature', async () => {
    const r = await cli(['decode', '--pretty', T, ...AT]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe(NOT_VERIFIED);
    expect(r.stdout).toContain('Header\n{\n  "alg": "HS256",  // algorithm');
    expect(r.stdout).toContain('"sub": "user-42",  // subject');
    expect(r.stdout).toContain('"iat": 1795000000,  // issued at: 2026-11-18T11:06:40Z, 5m ago');
    expect(r.stdout).toContain('"exp": 1795000900,  // expires: 2026-11-18T11:21:40Z, in 10m');
    expect(r.stdout).toContain('Lifetime   15m, 33% used');
    expect(r.stdout).toContain('Status     active: expires in 10m');
    expect(r.stdout).toContain(`Signature  ${T.split('.')[2]} (not verified)`);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('says "expired 3h ago" for an expired token', async () => {
    const r = await cli(['decode', '--pretty', T, '--at', String(IAT + 900 + 3 * 3600)]);
    expect(r.stdout).toContain('Status     expired 3h ago');
    expect(r.stdout).toContain('// expires: 2026-11-18T11:21:40Z, expired 3h ago');
  });

  it('decodes a token PyJWT makes right now (python3-jwt)', async (ctx) => {
    requireTools(ctx, 'PyJWT');
    const py = await execa('/usr/bin/python3', ['-c', 'import jwt,time; print(jwt.encode({"sub":"py","exp":int(time.time())+600}, "k"*32, algorithm="HS512"))']);
    const r = await cli(['decode', '--json'], { input: py.stdout });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ header: { alg: 'HS512', typ: 'JWT' }, payload: { sub: 'py' }, status: 'active' });
    expect(JSON.parse(r.stdout).times.exp.relative).toMatch(/^in (10m|9m \d+s)$/);
  });

  it('colours the JSON on a terminal, and FORCE_COLOR=1 forces it in a pipe', async (ctx) => {
    requireTools(ctx, 'script');
    const pty = await execa('script', ['-qec', `node ${BIN} decode ${T}`, '/dev/null'], { env: cleanEnv({ TERM: 'xterm' }), extendEnv: false });
    expect(String(pty.stdout)).toContain('\u001b[36m"alg"\u001b[39m');
    const forced = await cli(['decode', '--pretty', T], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[');
    const plain = await cli(['decode', '--pretty', T], { env: { NO_COLOR: '1' } });
    expect(plain.stdout).not.toContain('\u001b[');
  });

  it('--json prints the contract shape', async () => {
    const r = await jwtkit(['decode', '--json', T, ...AT]);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      header: { alg: 'HS256', kid: 'test-hs256', typ: 'JWT' },
      payload: { sub: 'user-42', iss: 'https://auth.example.com', aud: 'api', iat: IAT, exp: IAT + 900, name: 'Ada Lovelace', roles: ['admin', 'dev'] },
      signature: T.split('.')[2],
      verified: false,
      status: 'active',
      times: {
        exp: { value: IAT + 900, iso: '2026-11-18T11:21:40Z', relative: 'in 10m' },
        iat: { value: IAT, iso: '2026-11-18T11:06:40Z', relative: '5m ago' },
      },
      warnings: [],
      jwt: true,
      index: 1,
    });
  });

  it.each(Object.keys(TOKENS).filter((k) => !k.includes('_') && k !== 'none'))('decodes a PyJWT %s token', async (alg) => {
    const r = await cli(['decode', '--json', TOKENS[alg]!, ...AT]);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ header: { alg }, payload: { sub: 'user-42' }, status: 'active' });
  });

  it.each([
    ['a Bearer prefix', `Bearer ${T}\n`],
    ['an Authorization header', `Authorization: Bearer ${T}\r\n`],
    ['quotes', `"${T}"`],
    ['a BOM and CRLF', `\uFEFF${T}\r\n`],
    ['blank lines around', `\n\n  ${T}  \n\n`],
  ])('reads a token from stdin with %s', async (_what, input) => {
    const r = await cli(['decode', '--json', ...AT], { input });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).payload.sub).toBe('user-42');
  });

  it('"-" reads stdin', async () => {
    const r = await cli(['decode', '-', '--claim', 'sub'], { input: T });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'user-42\n' });
  });

  // One binary run for both tests below: a batch on stdin whose last line is 4 MiB, 4 times the
  // token bound (MAX_TOKEN_LENGTH, 1 MiB) and 64 pipe reads long.
  const OVERLONG = `eyJ${'A'.repeat(4 * 1024 * 1024)}`;
  let batchRun: Promise<RunResult> | undefined;
  const batch = () => (batchRun ??= jwtkit(['decode', '--json', ...AT], { input: `${[TOKENS.HS256, 'not-a-token', TOKENS.ES256, '', JWE, OVERLONG].join('\n')}\n` }));
  const stderrLine = (r: RunResult, token: number) => r.stderr.split('\n').filter((l) => l.includes(`token ${token}:`));

  it('several lines: one NDJSON result each, in order; a malformed line gets its error and the rest go on', async () => {
    const r = await batch();
    expect(r.exitCode).toBe(2);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(5);
    expect(rows[0].header.alg).toBe('HS256');
    expect(rows[1]).toEqual({ error: { code: 'malformed', message: 'token 2: the token has 1 part separated by dots; a JWT has 3 (signed) or 5 (encrypted)' }, index: 2, line: 2 });
    expect(rows[2].header.alg).toBe('ES256');
    // each record says where it came from: the token's place (from 1) and its stdin line (the empty line 4 is skipped)
    expect(rows.map((row) => [row.index, row.line])).toEqual([[1, 1], [2, 2], [3, 3], [4, 5], [5, 6]]);
    expect(rows[3]).toMatchObject({ encrypted: true, payload: null, header: { enc: 'A128CBC-HS256' } });
    expect(stderrLine(r, 2)).toEqual(['jwtkit: error: token 2: the token has 1 part separated by dots; a JWT has 3 (signed) or 5 (encrypted)']);
  });

  it('human output for several tokens separates them', async () => {
    const r = await cli(['decode', '--pretty', ...AT], { input: `${T}\n${TOKENS.EdDSA}\n` });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('── token 2 ──');
    expect(r.stdout.match(/^Header$/gm)).toHaveLength(2);
  });

  it('--scan finds every token in a log, and exit 2 when there is none', async () => {
    const log = `* Connected\n> Authorization: Bearer ${T}\n< HTTP/1.1 200\n{"id_token":"${TOKENS.RS256}"}\nnothing here\n`;
    const r = await cli(['decode', '--scan', '--json', ...AT], { input: log });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).header.alg)).toEqual(['HS256', 'RS256']);

    const none = await cli(['decode', '--scan'], { input: 'just a log line\nand another\n' });
    expect(expectOneLineError(none)).toBe('jwtkit: error: no JWT found in the input');
  });

  it('a JWE shows its protected header, says plainly it is encrypted, and names the decrypt command (no word of a signature)', async () => {
    const r = await cli(['decode', '--pretty', JWE]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Header (JWE, encrypted)');
    expect(r.stdout).toContain('"enc": "A128CBC-HS256"');
    expect(r.stdout).toContain('encrypted (JWE, A128KW + A128CBC-HS256): read it with jwtkit decrypt --secret-env NAME');
    expect(r.stderr).toBe('jwtkit: note: the token is encrypted: decode shows its header only; decrypt it with `jwtkit decrypt --secret-env NAME TOKEN` (the A128KW key: a 16-byte secret)\n');
    expect(r.stderr).not.toMatch(/signature/);
  });

  it('--claim prints a string raw, anything else as JSON, and exits 1 when missing', async () => {
    expect(await cli(['decode', '--claim', 'sub', T])).toMatchObject({ exitCode: 0, stdout: 'user-42\n', stderr: '' });
    expect(await cli(['decode', '--claim', 'roles', T])).toMatchObject({ exitCode: 0, stdout: '["admin","dev"]\n' });
    expect(await cli(['decode', '--claim', 'exp', T])).toMatchObject({ exitCode: 0, stdout: '1795000900\n' });
    const missing = await cli(['decode', '--claim', 'email', T]);
    expect(missing).toMatchObject({ exitCode: 1, stdout: '', stderr: 'jwtkit: error: claim "email" is not in the token\n' });
  });

  it('warnings appear in both outputs', async () => {
    const human = await cli(['decode', '--pretty', TOKENS.none!, ...AT]);
    expect(human.stdout).toContain('alg is "none": the token is unsigned and anyone could have made it (alg_none)');
    const json = await cli(['decode', '--json', TOKENS.HS256_headers!, ...AT]);
    expect(JSON.parse(json.stdout).warnings.map((w: { code: string }) => w.code)).toEqual(['key_in_header', 'suspicious_kid', 'unusual_typ']);
  });

  it.each([
    ['abc', /the token has 1 part separated by dots/],
    ['a.b.c.d', /the token has 4 parts/],
    ['eyJhbGciOiJIUzI1NiJ9.e30=.c2ln', /payload is not valid base64url/],
    ['{"payload":"e30","signatures":[]}', /JSON serialization: "signatures" is empty/],
    ['e30=.e30.c2ln', /header is not valid base64url/],
    ['""', /the token is empty/],
  ])('malformed %j exits 2 with one line naming the part', async (token, message) => {
    const r = await cli(['decode', '--pretty', token]);
    expect(expectOneLineError(r)).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('malformed with --json is the error object', async () => {
    const r = await jwtkit(['decode', '--json', 'abc']);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'malformed', message: expect.stringMatching(/1 part/) }, index: 1 });
  });

  it('a line over the bound exits 2 with one line, never held whole (the batch above)', async () => {
    const r = await batch();
    expect(r.exitCode).toBe(2);
    const message = `token 5: a line of ${OVERLONG.length} characters is too long to be a token (the limit is 1048576)`;
    expect(stderrLine(r, 5)).toEqual([`jwtkit: error: ${message}`]);
    expect(JSON.parse(r.stdout.trimEnd().split('\n')[4]!)).toEqual({ error: { code: 'malformed', message }, index: 5, line: 6 });
    // stderr: each malformed line's error, one line each, then the batch's notes; no stack
    expect(r.stderr.split('\n')).toEqual([
      'jwtkit: error: token 2: the token has 1 part separated by dots; a JWT has 3 (signed) or 5 (encrypted)',
      `jwtkit: error: ${message}`,
      expect.stringMatching(/^jwtkit: note: the token is encrypted: decode shows its header only/),
      NOT_VERIFIED.trimEnd(),
      '',
    ]);
  });

  it('empty stdin: no token in the input, exit 2', async () => {
    const r = await cli(['decode'], { input: '\n\n' });
    expect(expectOneLineError(r)).toMatch(/no token in the input/);
  });

  it('no token and a terminal on stdin: says how to give one', async (ctx) => {
    requireTools(ctx, 'script');
    const r = await execa('script', ['-qec', `node ${BIN} decode`, '/dev/null'], { env: cleanEnv({ TERM: 'dumb' }), extendEnv: false, reject: false });
    expect(r.exitCode).toBe(2);
    expect(String(r.stdout).trim()).toBe("jwtkit: error: no token given. Pass it as an argument, pipe it in, or read the clipboard with --paste");
  });

  it('--at accepts ISO 8601 and refuses nonsense', async () => {
    const r = await cli(['decode', '--json', T, '--at', '2026-11-18T11:16:40Z']);
    expect(JSON.parse(r.stdout).times.exp.relative).toBe('in 5m');
    expect(expectOneLineError(await cli(['decode', T, '--at', 'yesterday']))).toMatch(/--at "yesterday" is not a time/);
  });

  it('a JSON body, a callback URL, a cookie or a log line holding one token is that token, said on stderr; several: use --scan', async () => {
    const T2 = TOKENS.ES256!;
    const input = [
      `{"access_token":"${T}","token_type":"Bearer"}`,
      `https://app.example/cb#id_token=${T2}&state=x`,
      `Cookie: theme=dark; session=${T}`,
      `{"access_token":"${T}","id_token":"${T2}"}`,
      `INFO login token=${T2} ok`,
    ].join('\n');
    const [batch, one] = await Promise.all([
      cli(['decode', '--claim', 'sub', ...AT], { input }),
      cli(['decode', '--json', `Set-Cookie: session=${T}; Path=/; HttpOnly`, ...AT]),
    ]);
    expect(batch.exitCode).toBe(2);
    expect(batch.stdout).toBe('user-42\nuser-42\nuser-42\nuser-42\n');
    expect(batch.stderr.split('\n').filter(Boolean)).toEqual([
      'jwtkit: note: token 1: the input is a JSON body, not a token; using the one token in it (--scan finds every token in any text)',
      'jwtkit: error: token 4: the input is not a token: it is a JSON body holding 2 tokens; use --scan to take each of them',
      'jwtkit: note: 3 more inputs held one token inside other text; each was used',
    ]);
    expect(one.exitCode).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ header: { alg: 'HS256' }, payload: { sub: 'user-42' }, index: 1 });
    expect(one.stderr).toMatch(/^jwtkit: note: the input is a Set-Cookie header, not a token; using the one token in it/);
  });
});

describe('decode --paste, verify --paste: the token from the clipboard', () => {
  let x: XServer;
  beforeAll(async () => {
    if (hasTool('Xvfb') && hasTool('xsel')) x = await startXvfb();
  });
  afterAll(async () => {
    await x?.stop();
  });

  it('reads the clipboard as stdin is read (Bearer, a callback URL, one token a line)', async (ctx) => {
    requireTools(ctx, 'Xvfb', 'xsel');
    const env = { DISPLAY: x.display };
    await execa('xsel', ['--clipboard', '--input'], { input: `Bearer ${T}\nhttps://app.example/cb#id_token=${T}&state=x\n`, env: cleanEnv(env), extendEnv: false });
    const [decoded, verified, audited] = await Promise.all([
      jwtkit(['decode', '--paste', '--claim', 'sub', ...AT], { env }),
      jwtkit(['verify', '--paste', '-q', '--secret-env', 'JWT_SECRET', ...AT], { env: { ...env, JWT_SECRET: HS_SECRET } }),
      jwtkit(['audit', '--paste', '--json', '--fail-on', 'critical', ...AT], { env }),
    ]);
    expect(decoded).toMatchObject({ exitCode: 0, stdout: 'user-42\nuser-42\n' });
    expect(decoded.stderr).toMatch(/^jwtkit: note: token 2: the input is a URL, not a token/);
    expect(verified).toMatchObject({ exitCode: 0, stdout: '' });
    expect(audited.exitCode).toBe(0);
    expect(audited.stderr).toMatch(/^jwtkit: note: token 2: the input is a URL, not a token/);
    expect(audited.stdout.trim().split('\n').map((l) => JSON.parse(l) as { token: number; alg: string })).toMatchObject([
      { token: 1, alg: 'HS256' },
      { token: 2, alg: 'HS256' },
    ]);
  });

  it('with no display says why, as gen --copy does, and exits 2; a token argument beside it is a usage error', async () => {
    const [headless, both, auditHeadless] = await Promise.all([cli(['decode', '--paste']), cli(['verify', '--paste', '--secret', 'x', T]), cli(['audit', '--paste'])]);
    expect(expectOneLineError(auditHeadless)).toBe(expectOneLineError(headless));
    expect(expectOneLineError(headless)).toBe(
      'jwtkit: error: could not read the clipboard: no display server (DISPLAY and WAYLAND_DISPLAY are not set), as over SSH, in CI or in a container. Pass the token as an argument, or pipe it in',
    );
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toMatch(/--paste reads the token from the clipboard; give no token argument with it/);
  });
});

