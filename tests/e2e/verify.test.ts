// Most cases run in-process (cli(), tests/helpers/cli.ts: the same main() as the binary), PyJWT's
// tokens too (one python3 makes them all; jwtkit's side needs no process of its own). Through the
// built binary (jwtkit()) go what only a process shows, three runs: a success with the --json shape
// (exit 0), the --json error of a malformed token (exit 2), and a batch on stdin big enough to
// cross several pipe reads and fill the stdout pipe (exit 1, the worst verdict).
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectOneLineError, jwtkit } from '../helpers/run.js';
import { cli } from '../helpers/cli.js';
import { DURING, HS_SECRET, IAT, JWE, TOKENS, key } from '../helpers/fixtures.js';
import { json, serve, type TestServer } from '../helpers/server.js';
import { hasTool, requireTools } from '../helpers/tools.js';

const AT = ['--at', String(DURING)];
const ENV = { JWT_SECRET: HS_SECRET };
const tmp = mkdtempSync(join(tmpdir(), 'jwtkit-verify-'));
const pem = (name: string) => readFileSync(key(name), 'utf8');
const jwkOf = (name: string, kid?: string) => ({ ...createPublicKey(pem(name)).export({ format: 'jwk' }), ...(kid ? { kid } : {}) });

/** PyJWT (Debian's python3-jwt) signs fresh tokens, right now: all of them in one python3 process. */
async function pyjwt(requests: [alg: string, keyFile: string, claims: Record<string, unknown>][]): Promise<string[]> {
  const script = `
import jwt, json, sys
from cryptography.hazmat.primitives import serialization
for alg, key_file, claims in json.loads(sys.argv[1]):
    key = open(key_file).read() if key_file.endswith('.secret') else serialization.load_pem_private_key(open(key_file, 'rb').read(), None)
    print(jwt.encode(claims, key, algorithm=alg, headers={"kid": "py-" + alg}))`;
  const r = await execa('/usr/bin/python3', ['-c', script, JSON.stringify(requests)]);
  return r.stdout.trim().split('\n');
}

const PRIVATE: Record<string, [string, string]> = {
  RS256: ['rsa.key.pem', 'rsa.pub.pem'], RS384: ['rsa.key.pem', 'rsa.crt.pem'], RS512: ['rsa.key.pem', 'rsa.pub.pem'],
  PS256: ['rsa.key.pem', 'rsa.pub.pem'], PS384: ['rsa.key.pem', 'rsa.pub.pem'], PS512: ['rsa.key.pem', 'rsa.pub.pem'],
  ES256: ['ec256.key.pem', 'ec256.pub.pem'], ES384: ['ec384.key.pem', 'ec384.pub.pem'], ES512: ['ec521.key.pem', 'ec521.pub.pem'],
  EdDSA: ['ed25519.key.pem', 'ed25519.pub.pem'],
};

describe('jwtkit verify with tokens PyJWT makes now', () => {
  beforeEach((ctx) => requireTools(ctx, 'PyJWT'));
  const secretFile = join(tmp, 'hs.secret');
  writeFileSync(secretFile, 'x'.repeat(64));
  const HS = ['HS256', 'HS384', 'HS512'];

  // All thirteen tokens from one python3, made just before they are checked (the HS assertion
  // reads the remaining lifetime to the minute); jwtkit's side in-process: all ten keyed tokens in
  // one verify per key form (stdin lines, one JSON line each), the three HS ones in one more.
  const PUBLIC_FILES = [...new Set(Object.values(PRIVATE).map(([, pub]) => pub))];
  const FORMS: Record<string, () => string[]> = {
    'PEM': () => PUBLIC_FILES.flatMap((pub) => ['--key', key(pub)]),
    'JWK': () => PUBLIC_FILES.flatMap((pub) => {
      const file = join(tmp, `${pub}.jwk.json`);
      writeFileSync(file, JSON.stringify(jwkOf(pub)));
      return ['--key', file];
    }),
    'JWKS': () => {
      const file = join(tmp, 'py.jwks.json');
      writeFileSync(file, JSON.stringify({ keys: [jwkOf('rsa-other.pub.pem', 'other'), ...Object.entries(PRIVATE).map(([alg, [, pub]]) => jwkOf(pub, `py-${alg}`))] }));
      return ['--jwks', file];
    },
  };
  const rows: Record<string, Record<string, unknown>[]> = {};
  let hsLines: string[] = [];
  beforeAll(async () => {
    if (!hasTool('PyJWT')) return;
    const algs = Object.keys(PRIVATE);
    const at = Math.floor(Date.now() / 1000);
    const claims = { sub: 'py-user', aud: 'api', iat: at, exp: at + 600 };
    const tokens = await pyjwt([
      ...algs.map((alg): [string, string, Record<string, unknown>] => [alg, key(PRIVATE[alg]![0]), claims]),
      ...HS.map((alg): [string, string, Record<string, unknown>] => [alg, secretFile, claims]),
    ]);
    const hs = await cli(['verify', '--pretty', '--secret-env', 'S'], { env: { S: 'x'.repeat(64) }, input: tokens.slice(algs.length).join('\n') });
    expect(hs.exitCode, hs.stderr).toBe(0);
    hsLines = hs.stdout.trimEnd().split('\n');
    const input = tokens.slice(0, algs.length).join('\n');
    for (const [form, args] of Object.entries(FORMS)) {
      const r = await cli(['verify', '--json', '--aud', 'api', ...args()], { input });
      expect(r.exitCode, `${form}: ${r.stdout}${r.stderr}`).toBe(0);
      rows[form] = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    }
  }, 120_000);

  it.each(Object.entries(PRIVATE))('%s: valid with the key as PEM, JWK and JWKS', (alg, [, pub]) => {
    const i = Object.keys(PRIVATE).indexOf(alg);
    for (const form of Object.keys(FORMS)) {
      const row = rows[form]![i]!;
      expect(row, form).toMatchObject({ valid: true, reason: null, alg, kid: `py-${alg}`, payload: { sub: 'py-user' } });
      // verified by this algorithm's key (RSA: the same key is in rsa.pub.pem and rsa.crt.pem)
      const same = PUBLIC_FILES.filter((f) => createPublicKey(pem(f)).equals(createPublicKey(pem(pub))));
      if (form === 'PEM') expect(same.map(key), form).toContain(row.key);
      if (form === 'JWK') expect(same.map((f) => join(tmp, `${f}.jwk.json`)), form).toContain(row.key);
      if (form === 'JWKS') expect(String(row.key), form).toMatch(/kid py-/);
    }
  });

  it.each(HS)('%s: valid with the secret from the environment', (alg) => {
    const i = HS.indexOf(alg);
    expect(hsLines[i]).toMatch(new RegExp(`^token ${i + 1}: ✓ valid: ${alg} signature verified with S; expires in (10m|9m \\d+s)$`));
  });
});

describe('jwtkit verify: outputs and exit codes', () => {
  it('the --json shape of the contract', async () => {
    const r = await jwtkit(['verify', '--json', '--secret-env', 'JWT_SECRET', TOKENS.HS256!, ...AT], { env: ENV });
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    const body = JSON.parse(r.stdout);
    expect(Object.keys(body)).toEqual(['valid', 'reason', 'message', 'alg', 'kid', 'key', 'header', 'payload', 'failures', 'jwt', 'index']);
    expect(body.failures).toEqual([]);
    expect(body).toMatchObject({ valid: true, reason: null, alg: 'HS256', kid: 'test-hs256', key: 'JWT_SECRET', message: 'HS256 signature verified with JWT_SECRET; expires in 10m' });
  });

  it('a ✗ line with the reason, the decoded view, exit 1', async () => {
    const r = await cli(['verify', '--pretty', '--secret-env', 'JWT_SECRET', '--aud', 'web', TOKENS.HS256!, '--at', String(IAT + 900 + 7320)], { env: ENV });
    expect(r.exitCode).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe("✗ invalid (expired): token expired 2h 2m ago (exp) and audience 'api' is not 'web' (aud)");
    expect(r.stdout).toContain('"sub": "user-42"');
  });

  it.each([
    ['alg_none', TOKENS.none!, ['--secret-env', 'JWT_SECRET']],
    ['signature_invalid', TOKENS.RS256_other_key!, ['--key', key('rsa.pub.pem')]],
    ['alg_not_allowed', TOKENS.HS256!, ['--key', key('rsa.pub.pem')]],
    ['not_yet_valid', TOKENS.HS256_nbf_future!, ['--secret-env', 'JWT_SECRET', '--at', String(IAT + 1)]],
    ['claim_missing', TOKENS.HS256!, ['--secret-env', 'JWT_SECRET', '--require', 'email,sub']],
    ['claim_mismatch', TOKENS.HS256!, ['--secret-env', 'JWT_SECRET', '--iss', 'https://nope']],
    ['encrypted', JWE, ['--secret-env', 'JWT_SECRET']],
  ])('%s exits 1', async (reason, token, args) => {
    const r = await cli(['verify', '--json', ...AT, ...args, token], { env: ENV });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: false, reason });
  });

  it('malformed exits 2, with the result object in --json', async () => {
    const r = await jwtkit(['verify', '--json', '--secret-env', 'JWT_SECRET', 'not.a'], { env: ENV });
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: false, reason: 'malformed' });
    expect(r.stderr).toMatch(/^jwtkit: error: the token has 2 parts/);
  });

  it('rotation: --secret-env twice, says which matched', async () => {
    const r = await cli(['verify', '--pretty', '--secret-env', 'JWT_SECRET_NEW', '--secret-env', 'JWT_SECRET', TOKENS.HS256!, ...AT], {
      env: { ...ENV, JWT_SECRET_NEW: 'n'.repeat(44) },
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^✓ valid: HS256 signature verified with JWT_SECRET; expires in 10m/);
  });

  it("alg_not_allowed names the actual reason: the JWK's alg member, the key's type, --alg", async () => {
    const file = join(tmp, 'rs256-only.jwk.json');
    writeFileSync(file, JSON.stringify({ ...jwkOf('rsa.pub.pem', 'k1'), alg: 'RS256' }));
    const input = [TOKENS.PS256, TOKENS.HS256, TOKENS.RS256].join('\n');
    const r = await cli(['verify', '--json', '--key', file, '--alg', 'PS256', ...AT], { input });
    expect(r.exitCode).toBe(1);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((row) => [row.reason, row.message])).toEqual([
      ['alg_not_allowed', `PS256 cannot be verified with ${file}: its JWK names "alg": "RS256", the one algorithm it may be used with (RFC 7517 §4.4); the key's type alone would allow PS256`],
      ['alg_not_allowed', "HS256 cannot be verified with an RSA key (2048 bits), which verifies RS256; a key's type decides its algorithms"],
      ['alg_not_allowed', 'RS256 is not allowed: --alg PS256 narrows the list (the key would verify it)'],
    ]);
  });

  it('many tokens on stdin: one line each, in order, exit = the worst', async () => {
    const input = [TOKENS.HS256, TOKENS.RS256_other_key, 'garbage', TOKENS.HS256].join('\n');
    const r = await cli(['verify', '--pretty', '--secret-env', 'JWT_SECRET', ...AT], { env: ENV, input });
    expect(r.exitCode).toBe(2);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'token 1: ✓ valid: HS256 signature verified with JWT_SECRET; expires in 10m',
      "token 2: ✗ invalid (alg_not_allowed): RS256 cannot be verified with a secret, which verifies HS256, HS384, HS512; a key's type decides its algorithms",
      'token 4: ✓ valid: HS256 signature verified with JWT_SECRET; expires in 10m',
    ]);
    expect(r.stderr).toBe('jwtkit: error: token 3: the token has 1 part separated by dots; a JWT has 3 (signed) or 5 (encrypted)\n');
  });

  // Through the binary: stdin arrives in several pipe reads (64 KiB each) and the output is several
  // times the stdout pipe's buffer; 600 tokens are ~200 kB in, ~250 kB out (3000 were needed when
  // a worker thread took batches of that size; it is gone).
  it('a big batch gives the same results, in order', async () => {
    const tokens = Array.from({ length: 600 }, (_, i) => (i % 7 === 3 ? TOKENS.RS256_other_key! : TOKENS.HS256!));
    const input = tokens.join('\n');
    expect(input.length).toBeGreaterThan(3 * 65536);
    const r = await jwtkit(['verify', '--json', '--secret-env', 'JWT_SECRET', ...AT], { env: ENV, input });
    expect(r.exitCode).toBe(1);
    expect(r.stdout.length).toBeGreaterThan(3 * 65536);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(600);
    rows.forEach((row, i) => expect(row.valid).toBe(i % 7 !== 3));
  });

  it('--scan verifies every token found in a log', async () => {
    const log = `GET / Authorization: Bearer ${TOKENS.HS256}\nnoise\nid_token=${TOKENS.HS256_no_exp}\n`;
    const r = await cli(['verify', '--scan', '--json', '--secret-env', 'JWT_SECRET', ...AT], { env: ENV, input: log });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(2);
  });
});

describe('jwtkit verify: quiet, one claim, the payload (issue #16)', () => {
  const tampered = `${TOKENS.HS256!.slice(0, -4)}AAAA`;

  it('a valid token shows the verdict alone; --verbose (or an invalid token) adds the decoded view', async () => {
    const [plain, verbose] = await Promise.all([
      cli(['verify', '--pretty', '--secret-env', 'JWT_SECRET', TOKENS.HS256!, ...AT], { env: ENV }),
      cli(['verify', '--pretty', '--verbose', '--secret-env', 'JWT_SECRET', TOKENS.HS256!, ...AT], { env: ENV }),
    ]);
    expect(plain).toMatchObject({ exitCode: 0, stdout: '✓ valid: HS256 signature verified with JWT_SECRET; expires in 10m\n', stderr: '' });
    expect(verbose.stdout).toMatch(/^✓ valid: HS256 signature verified with JWT_SECRET; expires in 10m\n\nHeader\n/);
    expect(verbose.stdout).toContain('"sub": "user-42"');
  });

  it('-q: nothing on stdout, the exit code is the verdict, errors still on stderr', async () => {
    const [valid, invalid, batch] = await Promise.all([
      cli(['verify', '-q', '--secret-env', 'JWT_SECRET', TOKENS.HS256!, ...AT], { env: ENV }),
      cli(['verify', '--quiet', '--secret-env', 'JWT_SECRET', tampered, ...AT], { env: ENV }),
      cli(['verify', '-q', '--secret-env', 'JWT_SECRET', ...AT], { env: ENV, input: `${TOKENS.HS256}\nnot.a\n${tampered}\n` }),
    ]);
    expect(valid).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    expect(invalid).toMatchObject({ exitCode: 1, stdout: '', stderr: '' });
    expect(batch).toMatchObject({ exitCode: 2, stdout: '' });
    expect(batch.stderr).toBe('jwtkit: error: token 2: the token has 2 parts separated by dots; a JWT has 3 (signed) or 5 (encrypted)\n');
  });

  it('--claim prints one verified claim per token (raw string, else JSON); an invalid token says why on stderr', async () => {
    const input = [TOKENS.HS256, tampered, TOKENS.HS256].join('\n');
    const [sub, roles, missing, json] = await Promise.all([
      cli(['verify', '--claim', 'sub', '--secret-env', 'JWT_SECRET', ...AT], { env: ENV, input }),
      cli(['verify', '--claim', 'roles', '--secret-env', 'JWT_SECRET', TOKENS.HS256!, ...AT], { env: ENV }),
      cli(['verify', '--claim', 'email', '--secret-env', 'JWT_SECRET', TOKENS.HS256!, ...AT], { env: ENV }),
      cli(['verify', '--claim', 'sub', '--json', '--secret-env', 'JWT_SECRET', ...AT], { env: ENV, input }),
    ]);
    expect(sub).toMatchObject({ exitCode: 1, stdout: 'user-42\nuser-42\n' });
    expect(sub.stderr).toBe("jwtkit: token 2: ✗ invalid (signature_invalid): the signature does not match JWT_SECRET: the token was signed with another key, or altered\n");
    expect(roles).toMatchObject({ exitCode: 0, stdout: '["admin","dev"]\n', stderr: '' });
    expect(missing).toMatchObject({ exitCode: 1, stdout: '', stderr: 'jwtkit: error: claim "email" is not in the token\n' });
    expect(json.stdout.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual([
      { claim: 'sub', value: 'user-42', index: 1, line: 1 },
      { claim: 'sub', value: 'user-42', index: 3, line: 3 },
    ]);
  });

  it('--payload prints only the verified payload; repeated --iss is any-of; -q with --claim is a usage error', async () => {
    const [payload, bad, iss, conflict] = await Promise.all([
      cli(['verify', '--payload', '--secret-env', 'JWT_SECRET', TOKENS.HS256!, ...AT], { env: ENV }),
      cli(['verify', '--payload', '--secret-env', 'JWT_SECRET', '--iss', 'a', '--iss', 'b', TOKENS.HS256!, ...AT], { env: ENV }),
      cli(['verify', '--payload', '--secret-env', 'JWT_SECRET', '--iss', 'auth.example.com', '--iss', 'https://auth.example.com', TOKENS.HS256!, ...AT], { env: ENV }),
      cli(['verify', '-q', '--claim', 'sub', '--secret-env', 'JWT_SECRET', TOKENS.HS256!], { env: ENV }),
    ]);
    expect(payload).toMatchObject({ exitCode: 0, stderr: '' });
    expect(JSON.parse(payload.stdout)).toEqual({ sub: 'user-42', iss: 'https://auth.example.com', aud: 'api', iat: IAT, exp: IAT + 900, name: 'Ada Lovelace', roles: ['admin', 'dev'] });
    expect(bad).toMatchObject({ exitCode: 1, stdout: '', stderr: "jwtkit: ✗ invalid (claim_mismatch): issuer 'https://auth.example.com' is not 'a' or 'b' (iss)\n" });
    expect(iss).toMatchObject({ exitCode: 0, stdout: payload.stdout });
    expect(expectOneLineError(conflict)).toMatch(/option '-q, --quiet' cannot be used with option '--claim <name>'/);
  });
});

describe('jwtkit verify: a token inside other text', () => {
  it('verifies the one token of a callback URL, saying so on stderr', async () => {
    const r = await cli(['verify', '--pretty', '--secret-env', 'JWT_SECRET', `https://app.example/cb#id_token=${TOKENS.HS256}&state=x`, ...AT], { env: ENV });
    expect(r).toMatchObject({ exitCode: 0, stdout: '✓ valid: HS256 signature verified with JWT_SECRET; expires in 10m\n' });
    expect(r.stderr).toBe('jwtkit: note: the input is a URL, not a token; using the one token in it (--scan finds every token in any text)\n');
  });
});

describe('jwtkit verify: secrets and keys given wrong', () => {
  it.each([
    [['verify', TOKENS.HS256!], /no secret or key given. Pass --secret-env JWT_SECRET/],
    [['verify', '--secret-env', 'JWT_SECRET', TOKENS.HS256!], /JWT_SECRET is not set/],
    [['verify', '--secret-file', '/nonexistent/s', TOKENS.HS256!], /cannot read secret file \/nonexistent\/s: no such file/],
    [['verify', '--key', '/nonexistent.pem', TOKENS.HS256!], /cannot read key file \/nonexistent.pem: no such file/],
    [['verify', '--key', key('../hs256.secret'), TOKENS.HS256!], /is not a PEM key, certificate, JWK or JWKS. For a secret use --secret-file instead of --key$/],
    [['verify', '--alg', 'none', '--secret', 'x', TOKENS.HS256!], /--alg none is never accepted/],
    [['verify', '--alg', 'HS999', '--secret', 'x', TOKENS.HS256!], /--alg "HS999" is not a JWS algorithm/],
    [['verify', '--leeway', 'soon', '--secret', 'x', TOKENS.HS256!], /--leeway "soon" is not a duration/],
    [['verify', '--secret-encoding', 'hex', '--secret', 'zz', TOKENS.HS256!], /--secret is not valid hex/],
  ])('%j', async (args, message) => {
    const r = await cli([...args, '--pretty']);
    const lines = r.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('jwtkit: warning:'));
    expect(r.exitCode).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('--secret works, with a warning that never shows the secret', async () => {
    const r = await cli(['verify', '--pretty', '--secret', HS_SECRET, TOKENS.HS256!, ...AT]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe(
      'jwtkit: warning: --secret puts the secret in your shell history and the process list; prefer --secret-env NAME or --secret-file PATH\n',
    );
    expect(r.stderr).not.toContain(HS_SECRET);
  });

  it('--secret-file drops one trailing newline, warns about other whitespace', async () => {
    const file = join(tmp, 'secret.txt');
    writeFileSync(file, `${HS_SECRET}\n`);
    expect((await cli(['verify', '--secret-file', file, TOKENS.HS256!, ...AT])).exitCode).toBe(0);
    writeFileSync(file, `${HS_SECRET} \n`);
    const r = await cli(['verify', '--pretty', '--secret-file', file, TOKENS.HS256!, ...AT]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('has whitespace around the secret');
  });

  it('--secret-encoding base64 decodes the secret first', async () => {
    const raw = Buffer.from('0123456789abcdef0123456789abcdef');
    const { createHmac } = await import('node:crypto');
    const input = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('{"sub":"b"}').toString('base64url')}`;
    const token = `${input}.${createHmac('sha256', raw).update(input).digest('base64url')}`;
    const env = { S: raw.toString('base64') };
    expect((await cli(['verify', '--secret-env', 'S', '--secret-encoding', 'base64', token], { env })).exitCode).toBe(0);
    const without = await cli(['verify', '--pretty', '--secret-env', 'S', token], { env });
    expect(without.exitCode).toBe(1);
    // the failure names the missing flag (still exit 1), and never the secret
    expect(without.stdout.split('\n')[0]).toBe(
      '✗ invalid (signature_invalid): the signature does not match S as text, but it verifies when the secret is base64-decoded: add --secret-encoding base64',
    );
    expect(without.stdout + without.stderr).not.toContain(env.S);
  });

  it('the key is recognised by content, never by file name', async () => {
    const misnamed = join(tmp, 'public-key.txt');
    writeFileSync(misnamed, pem('ec256.pub.pem'));
    expect((await cli(['verify', '--key', misnamed, TOKENS.ES256!, ...AT])).exitCode).toBe(0);
    for (const f of ['rsa.pkcs1.pem', 'rsa.crt.pem', 'rsa.key.pem']) {
      expect((await cli(['verify', '--key', key(f), TOKENS.RS256!, ...AT])).exitCode).toBe(0);
    }
    expect((await cli(['verify', '--key', key('ec256.sec1.pem'), TOKENS.ES256!, ...AT])).exitCode).toBe(0);
  });
});

describe('jwtkit verify over HTTP: JWKS URL and OpenID discovery', () => {
  let server: TestServer;
  let hang: TestServer;
  let tls: TestServer;
  let closedBase = '';
  const jwks = { keys: [jwkOf('rsa.pub.pem', 'test-rs256'), jwkOf('ec256.pub.pem', 'test-es256')] };

  beforeAll(async () => {
    server = await serve((req, res, base) => {
      switch (req.url) {
        case '/jwks.json': return json(res, jwks);
        case '/.well-known/openid-configuration': return json(res, { issuer: base, jwks_uri: `${base}/jwks.json` });
        case '/wrong-issuer/.well-known/openid-configuration': return json(res, { issuer: 'https://elsewhere', jwks_uri: `${base}/jwks.json` });
        case '/no-jwks/.well-known/openid-configuration': return json(res, { issuer: `${base}/no-jwks` });
        case '/html': res.writeHead(200, { 'content-type': 'text/html' }); return res.end('<html>login</html>');
        case '/huge': res.writeHead(200); return res.end('x'.repeat(2 << 20));
        default: return json(res, { error: 'nope' }, 404);
      }
    });
    hang = await serve(() => {});
    tls = await serve((_req, res) => json(res, jwks), { key: pem('rsa.key.pem'), cert: pem('rsa.crt.pem') });
    const closed = await serve(() => {});
    closedBase = closed.base;
    await closed.close();
  });
  afterAll(async () => {
    await Promise.all([server.close(), hang.close(), tls.close()]);
  });

  it('--jwks URL picks the key by kid', async () => {
    const r = await cli(['verify', '--json', '--jwks', `${server.base}/jwks.json`, TOKENS.ES256!, ...AT]);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, key: `${server.base}/jwks.json kid test-es256` });
  });

  it('--jwks URL without the token kid: no_matching_key', async () => {
    const r = await cli(['verify', '--json', '--jwks', `${server.base}/jwks.json`, TOKENS.RS384!, ...AT]);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ reason: 'no_matching_key', message: 'no RS384 key has kid "test-rs384" (the keys have: test-rs256)' });
  });

  it('--issuer discovers the JWKS and checks iss', async () => {
    const r = await cli(['verify', '--json', '--issuer', server.base, TOKENS.RS256!, ...AT]);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ reason: 'claim_mismatch', message: `issuer 'https://auth.example.com' is not '${server.base}' (iss)` });
    const ok = await cli(['verify', '--json', '--issuer', server.base, '--iss', 'https://auth.example.com', TOKENS.RS256!, ...AT]);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true });
  });

  it.each([
    ['HTTP status', () => ['--jwks', `${server.base}/missing`], /cannot fetch the JWKS from .*\/missing: HTTP 404 Not Found/],
    ['not JSON', () => ['--jwks', `${server.base}/html`], /the response is not JSON/],
    ['too big', () => ['--jwks', `${server.base}/huge`], /larger than the 1048576 bytes allowed|more than the 1048576 allowed/],
    ['timeout', () => ['--jwks', `${hang.base}/jwks.json`, '--timeout', '1s'], /no answer within 1s/],
    ['refused', () => ['--jwks', `${closedBase}/jwks.json`], /the connection was refused/],
    ['DNS', () => ['--jwks', 'https://jwks.nonexistent.invalid/keys'], /the host name does not resolve \(DNS\)/],
    ['TLS', () => ['--jwks', `${tls.base}/jwks.json`], /TLS failed \(depth zero self signed cert\)/],
    ['no jwks_uri', () => ['--issuer', `${server.base}/no-jwks`], /has no jwks_uri/],
    ['issuer mismatch', () => ['--issuer', `${server.base}/wrong-issuer`], /is for issuer https:\/\/elsewhere/],
  ])('%s: one clear line, exit 2', async (_what, args, message) => {
    const r = await cli(['verify', '--pretty', ...args(), TOKENS.RS256!, ...AT]);
    expect(expectOneLineError(r)).toMatch(message);
  });
});
