// Issue 11, end to end: nothing hostile reaches the terminal, and the token-parsing
// crashes and wrong results (deep nesting, duplicate members, 5-part tokens without enc,
// exp 1e400, leeway wording).
// Most cases run in-process (cli(), tests/helpers/cli.ts: the same main() as the binary); through
// the built binary (jwtkit()) go what a process shows: raw bytes in a real pipe and escapes on a
// real terminal (decode --claim, a batch on stdin), and a deep-nesting batch each for decode and
// verify (the process, with its own stack, must not crash).
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, expectOneLineError, inPty, jwtkit } from '../helpers/run.js';
import { cli } from '../helpers/cli.js';
import { IAT } from '../helpers/fixtures.js';
import { requireTools } from '../helpers/tools.js';
import { json, serve, type TestServer } from '../helpers/server.js';

const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const CLEAR = '\u001b[2J\u001b[H';
const OSC52 = '\u001b]52;c;cHduZWQ=\u0007';
const C1 = '\u009b2J';
const BIDI = '\u202etxt.exe';
const EVIL = `${CLEAR}${OSC52}${C1}${BIDI}`;
const SECRET = 'a-test-secret-of-32-bytes-or-more!!';
const ENV = { JWT_SECRET: SECRET };
const AT = ['--at', String(IAT + 300)];
const tmp = mkdtempSync(join(tmpdir(), 'jwtkit-safety-'));

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const sign = (header: unknown, payload: unknown, secret = SECRET) => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};
const claims = { sub: 'user-42', iss: 'https://auth.example.com', aud: 'api', iat: IAT, exp: IAT + 900 };

function expectNoRaw(text: string): void {
  const m = RAW.exec(text.replace(/\u001b\[\d+(?:;\d+)*m/g, ''));
  if (m) throw new Error(`raw U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} in ${JSON.stringify(text)}`);
}

describe('nothing hostile reaches the terminal', () => {
  it("verify's no_matching_key names the kid of an unsigned token escaped", async () => {
    const jwks = join(tmp, 'kids.jwks.json');
    writeFileSync(jwks, JSON.stringify({ keys: [{ kty: 'oct', k: b64(SECRET), kid: 'k1' }] }));
    const token = `${b64({ alg: 'HS256', kid: EVIL })}.${b64(claims)}.c2ln`;
    const r = await cli(['verify', '--pretty', '--jwks', jwks, token, ...AT]);
    expect(r.exitCode).toBe(1);
    expectNoRaw(r.stdout + r.stderr);
    expect(r.stdout).toContain('no HS256 key has kid "\\x1b[2J\\x1b[H\\x1b]52;c;cHduZWQ=\\x07\\x9b2J\\u202etxt.exe"');
    // --json keeps the exact value
    const j = await cli(['verify', '--json', '--jwks', jwks, token, ...AT]);
    expect(JSON.parse(j.stdout)).toMatchObject({ reason: 'no_matching_key', kid: EVIL, message: `no HS256 key has kid "${EVIL}" (the keys have: k1)` });
  });

  it('claim-mismatch messages escape iss, sub and aud', async () => {
    const token = sign({ alg: 'HS256' }, { ...claims, iss: EVIL, sub: EVIL, aud: [EVIL] });
    const r = await cli(['verify', '--pretty', '--secret-env', 'JWT_SECRET', '--iss', 'a', '--sub', 'b', '--aud', 'c', token, ...AT], { env: ENV });
    expect(r.exitCode).toBe(1);
    expectNoRaw(r.stdout + r.stderr);
    expect(r.stdout).toContain("issuer '\\x1b[2J");
    expect(r.stdout).toContain("subject '\\x1b[2J");
    expect(r.stdout).toContain("audience ['\\x1b[2J");
  });

  it('JWKS kids in key labels are escaped, in a batch too', async () => {
    const jwks = join(tmp, 'evil.jwks.json');
    writeFileSync(jwks, JSON.stringify({ keys: [{ kty: 'oct', k: b64(SECRET), kid: EVIL }, { kty: 'oct', k: b64('x'.repeat(32)), kid: `${EVIL}2` }] }));
    const good = sign({ alg: 'HS256', kid: EVIL }, claims);
    const bad = sign({ alg: 'HS256' }, claims, 'y'.repeat(32));
    const one = await cli(['verify', '--pretty', '--jwks', jwks, good, ...AT]);
    expect(one.exitCode).toBe(0);
    expectNoRaw(one.stdout + one.stderr);
    expect(one.stdout).toContain(`✓ valid: HS256 signature verified with ${jwks} kid \\x1b[2J`);
    const many = await cli(['verify', '--pretty', '--jwks', jwks, ...AT], { input: `${good}\n${bad}\n` });
    expect(many.exitCode).toBe(1);
    expectNoRaw(many.stdout + many.stderr);
    expect(many.stdout).toContain('token 2: ✗ invalid (signature_invalid): the signature matches none of the 2 keys');
  });

  describe('the discovery issuer', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await serve((req, res, base) => {
        if (req.url === '/.well-known/openid-configuration') return json(res, { issuer: `${base}/${EVIL}`, jwks_uri: `${base}/jwks.json` });
        return json(res, { keys: [] });
      });
    });
    afterAll(() => server.close());

    it('is escaped in the error that names it', async () => {
      const r = await cli(['verify', '--pretty', '--issuer', server.base, sign({ alg: 'RS256' }, claims), ...AT]);
      expectNoRaw(r.stdout + r.stderr);
      expect(expectOneLineError(r)).toContain('\\x1b[2J');
    });
  });

  it('decode --claim escapes on a terminal and stays raw in a pipe (like jq -r)', async (ctx) => {
    requireTools(ctx, 'script');
    const token = sign({ alg: 'HS256' }, { ...claims, note: EVIL });
    // the claim an object: printed as JSON, escaped on a terminal too
    const obj = sign({ alg: 'HS256' }, { ...claims, note: { x: `\u009b${BIDI}` } });
    const pipe = await jwtkit(['decode', '--claim', 'note', token]);
    expect(pipe.stdout).toBe(`${EVIL}\n`);
    // one process on the terminal: both tokens on stdin (a pipe), stdout the terminal
    const pty = await inPty(`printf '%s\\n' ${token} ${obj} | node ${BIN} decode --claim note`);
    const out = String(pty.stdout);
    expectNoRaw(out.replace(/\r\n/g, '\n'));
    expect(out).toContain('\\x1b[2J\\x1b[H\\x1b]52;c;cHduZWQ=\\x07\\x9b2J\\u202etxt.exe');
    expect(out).toContain('{"x":"\\u009b\\u202etxt.exe"}');
  });

  it('the decode and verify views escape C1 and bidi characters in the pretty JSON, keys, warnings', async () => {
    const token = sign({ alg: 'HS256', typ: `JWT${C1}`, [`x${BIDI}`]: EVIL }, { ...claims, [`name${BIDI}`]: `Zoë ${EVIL}` });
    for (const args of [['decode', token], ['verify', '--verbose', '--secret-env', 'JWT_SECRET', token]]) {
      const r = await cli([...args, '--pretty', ...AT], { env: ENV });
      expect(r.exitCode).toBe(0);
      expectNoRaw(r.stdout + r.stderr);
      expect(r.stdout).toContain('"name\\u202etxt.exe": "Zoë \\u001b[2J\\u001b[H\\u001b]52;c;cHduZWQ=\\u0007\\u009b2J\\u202etxt.exe"');
      if (args[0] === 'decode') expect(r.stdout).toContain('typ is "JWT\\x9b2J", not "JWT"');
    }
    const j = await cli(['decode', '--json', token]);
    expect(JSON.parse(j.stdout).payload[`name${BIDI}`]).toBe(`Zoë ${EVIL}`);
    expect(JSON.parse(j.stdout).header.typ).toBe(`JWT${C1}`);
  });

  it('"not valid JSON" and other malformed messages carry nothing raw', async () => {
    const token = `${b64(`{"alg":${EVIL}}`)}.${b64({})}.c2ln`;
    for (const args of [['decode', token], ['verify', '--secret-env', 'JWT_SECRET', token]]) {
      const r = await cli(args, { env: ENV });
      expect(r.exitCode).toBe(2);
      expectNoRaw(r.stdout + r.stderr);
      expect(r.stderr).toContain('header is not valid JSON');
    }
  });

  it('a payload that is text (here broken JSON) is shown escaped by decode and verify', async () => {
    const token = `${b64({ alg: 'HS256' })}.${b64(`{"a":${EVIL}}`)}.c2ln`;
    for (const [args, exit] of [[['decode', '--pretty', token], 0], [['verify', '--pretty', '--secret-env', 'JWT_SECRET', token], 1]] as const) {
      const r = await cli(args, { env: ENV });
      expect(r.exitCode).toBe(exit);
      expectNoRaw(r.stdout + r.stderr);
      expect(r.stdout).toContain('Payload (text, ');
    }
  });
});

describe('tokens that broke the parser', () => {
  const deep = (n: number) => `${b64({ alg: 'HS256' })}.${b64(`{"a":${'['.repeat(n)}${']'.repeat(n)}}`)}.c2ln`;

  it('a payload nested 3,000 deep is a per-token malformed, and the batch goes on', async () => {
    const ok = sign({ alg: 'HS256' }, claims);
    // decode --json and verify --pretty through the binary (a process's own stack), the other two in-process
    for (const json of [false, true]) {
      const r = await (json ? jwtkit : cli)(['decode', ...(json ? ['--json'] : ['--pretty']), ...AT], { input: `${ok}\n${deep(3000)}\n${ok}\n` });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('jwtkit: error: token 2: payload is nested too deep (more than 128 levels)');
      expect(r.stderr).not.toContain('internal');
      if (json) expect(r.stdout.trim().split('\n').map((l) => Object.keys(JSON.parse(l))[0])).toEqual(['header', 'error', 'header']);
      else expect(r.stdout.match(/Status {5}active/g)).toHaveLength(2);
      const v = await (json ? cli : jwtkit)(['verify', '--secret-env', 'JWT_SECRET', ...(json ? ['--json'] : ['--pretty']), ...AT], { input: `${ok}\n${deep(3000)}\n${ok}\n`, env: ENV });
      expect(v.exitCode).toBe(2);
      expect(v.stderr).toContain('token 2: payload is nested too deep');
      expect(v.stdout.trim().split('\n')).toHaveLength(json ? 3 : 2);
    }
    const single = await cli(['verify', '--pretty', '--secret-env', 'JWT_SECRET', deep(3000)], { env: ENV });
    expect(expectOneLineError(single)).toContain('payload is nested too deep');
    expect((await cli(['decode', '--pretty', deep(100), ...AT])).exitCode).toBe(0);
  });

  it('duplicate member names are reported, naming the value used (RFC 7515 §5.2)', async () => {
    const token = (() => {
      const input = `${b64('{"alg":"none","alg":"HS256"}')}.${b64(`{"sub":"admin","exp":${IAT + 900},"sub":"user-42"}`)}`;
      return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
    })();
    const d = await cli(['decode', '--json', token, ...AT]);
    const warnings = JSON.parse(d.stdout).warnings;
    expect(warnings).toContainEqual({ code: 'duplicate_member', message: 'the header has "alg" more than once; jwtkit used the last value, "HS256" (RFC 7515 §5.2)' });
    expect(warnings).toContainEqual({ code: 'duplicate_member', message: 'the payload has "sub" more than once; jwtkit used the last value, "user-42" (RFC 7515 §5.2)' });
    const human = await cli(['decode', '--pretty', token, ...AT]);
    expect(human.stdout).toContain('the payload has "sub" more than once; jwtkit used the last value, "user-42"');
    const v = await cli(['verify', '--secret-env', 'JWT_SECRET', '--json', token, ...AT], { env: ENV });
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: true });
    expect(v.stderr).toContain('jwtkit: warning: the payload has "sub" more than once; jwtkit used the last value, "user-42"');
    const batch = await cli(['verify', '--pretty', '--secret-env', 'JWT_SECRET', ...AT], { input: `${sign({ alg: 'HS256' }, claims)}\n${token}\n`, env: ENV });
    expect(batch.stderr).toContain('jwtkit: warning: token 2: the header has "alg" more than once');
    const vh = await cli(['verify', '--pretty', '--secret-env', 'JWT_SECRET', token, ...AT], { env: ENV });
    expect(vh.stdout + vh.stderr).toContain('the payload has "sub" more than once');
  });

  it('a 5-part token whose header has no enc is malformed, not a JWE', async () => {
    const token = `${b64({ alg: 'HS256' })}.${b64(claims)}.c2ln.aXY.dGFn`;
    const d = await cli(['decode', '--pretty', token]);
    expect(expectOneLineError(d)).toContain('5 parts (an encrypted token) but its header has no "enc"');
    const v = await cli(['verify', '--json', '--secret-env', 'JWT_SECRET', token], { env: ENV });
    expect(JSON.parse(v.stdout)).toMatchObject({ reason: 'malformed' });
  });

  it('exp: 1e400 is not a valid NumericDate (too large), not "null"', async () => {
    const input = `${b64({ alg: 'HS256' })}.${b64(`{"sub":"x","exp":1e400}`)}`;
    const token = `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
    const d = await cli(['decode', '--pretty', token]);
    expect(d.stdout).toContain('exp is not a valid NumericDate: the JSON text has a number too large for one');
    expect(d.stdout).not.toContain('exp is null');
    const v = await cli(['verify', '--json', '--secret-env', 'JWT_SECRET', token], { env: ENV });
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: false, reason: 'claim_mismatch', message: 'exp is not a valid NumericDate: the JSON text has a number too large for one (exp)' });
  });

  it('huge and negative time claims render sanely', async () => {
    for (const [exp, iso] of [[1e300, 'after 9999-12-31T23:59:59Z'], [-1e300, 'before 0000-01-01T00:00:00Z'], [-1, '1969-12-31T23:59:59Z']] as const) {
      const r = await cli(['decode', '--json', sign({ alg: 'HS256' }, { exp }), ...AT]);
      expect(r.exitCode).toBe(0);
      const t = JSON.parse(r.stdout).times.exp;
      expect(t.iso).toBe(iso);
      expect(t.relative).toMatch(/^(?:in )?(?:\d+y(?: \d+d)?|more than 9999y)(?: ago)?$/);
      const human = await cli(['decode', '--pretty', sign({ alg: 'HS256' }, { exp }), ...AT]);
      // the claim's own JSON number aside, no exponent, Infinity, NaN or "invalid date"
      expect(human.stdout.replace(/"exp": -?1e\+300/, '')).not.toMatch(/e\+\d|Infinity|NaN|invalid date/);
    }
  });

  it('a token valid only thanks to --leeway says it expired and was accepted within the leeway', async () => {
    const token = sign({ alg: 'HS256' }, claims);
    const r = await cli(['verify', '--pretty', '--secret-env', 'JWT_SECRET', '--leeway', '10s', '--at', String(IAT + 903), token], { env: ENV });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('✓ valid: HS256 signature verified with JWT_SECRET; expired 3s ago, accepted within the leeway of 10s');
    expect(r.stdout).not.toContain('expires 3s ago');
    const early = await cli(['verify', '--pretty', '--secret-env', 'JWT_SECRET', '--leeway', '1m', '--at', String(IAT - 30), sign({ alg: 'HS256' }, { ...claims, nbf: IAT })], { env: ENV });
    expect(early.stdout).toContain('becomes valid in 30s (nbf), accepted within the leeway of 1m');
  });
});
