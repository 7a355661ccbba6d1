// Most cases run in-process (cli(), tests/helpers/cli.ts: the same main() as the binary), jwtkit's
// side of the PyJWT interop too (one python3 verifies every token). Through the built binary
// (jwtkit()) go what a process shows: sign | verify through a real pipe (a success, stdin /dev/null),
// a payload on stdin with the defaults in --json (one run for two tests), a weak secret refused
// (exit 2, one line).
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, expectOneLineError, jwtkit, type RunResult } from '../helpers/run.js';
import { cli } from '../helpers/cli.js';
import { HS_SECRET, key } from '../helpers/fixtures.js';
import { hasTool, requireTools } from '../helpers/tools.js';

const tmp = mkdtempSync(join(tmpdir(), 'jwtkit-sign-'));
const ENV = { JWT_SECRET: HS_SECRET };
const decodeJson = async (token: string) => JSON.parse((await cli(['decode', '--json', token])).stdout);

/** PyJWT (Debian's python3-jwt) verifies tokens, each with its algorithm and PEM public key or
 *  secret: all of them in one python3 process, one JSON payload a line. */
async function pyjwtVerify(requests: [token: string, alg: string, keyText: string][]): Promise<Record<string, unknown>[]> {
  const script = `
import jwt, json, sys
for token, alg, key in json.loads(sys.stdin.read()):
    print(json.dumps(jwt.decode(token, key, algorithms=[alg], options={"verify_aud": False})))`;
  const r = await execa('/usr/bin/python3', ['-c', script], { input: JSON.stringify(requests) });
  return r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
}

const KEYS: Record<string, [string, string]> = {
  RS256: ['rsa.key.pem', 'rsa.pub.pem'], RS384: ['rsa.pkcs1.pem', 'rsa.pub.pem'], RS512: ['rsa.key.pem', 'rsa.pub.pem'],
  PS256: ['rsa.key.pem', 'rsa.pub.pem'], PS384: ['rsa.key.pem', 'rsa.pub.pem'], PS512: ['rsa.pkcs1.pem', 'rsa.pub.pem'],
  ES256: ['ec256.sec1.pem', 'ec256.pub.pem'], ES384: ['ec384.key.pem', 'ec384.pub.pem'], ES512: ['ec521.key.pem', 'ec521.pub.pem'],
  EdDSA: ['ed25519.key.pem', 'ed25519.pub.pem'],
};

describe('jwtkit sign: tokens other implementations accept', () => {
  // One sign per token (that is the command), then one python3 and one jwtkit verify for them all,
  // made once before the tests (two minutes allowed on a busy machine); jwtkit in-process.
  // The HS* tokens with a generated secret go to the same python3 process, after the keys' ones.
  const ALGS = Object.keys(KEYS);
  const HS = [['HS256', 32], ['HS384', 48], ['HS512', 64]] as const;
  const signed = new Map<string, string>();
  let py: Record<string, unknown>[] = [];
  /** each HS alg's sign run, and what PyJWT made of its token (when sign succeeded) */
  const hsRuns = new Map<string, { exitCode: number; py?: Record<string, unknown> }>();
  let ours: Record<string, unknown>[] = [];
  beforeAll(async () => {
    if (!hasTool('PyJWT')) return;
    for (const [alg, [priv]] of Object.entries(KEYS)) {
      const r = await cli(['sign', '--key', key(priv), '--alg', alg, '--sub', 'user-1', '--aud', 'api']);
      expect(r, alg).toMatchObject({ exitCode: 0, stderr: '' });
      const token = r.stdout.trimEnd();
      expect(r.stdout, alg).toBe(`${token}\n`);
      signed.set(alg, token);
    }
    const hs: [string, string, string][] = [];
    for (const [alg, bytes] of HS) {
      const secret = (await cli(['gen', '--bytes', String(bytes)])).stdout.trimEnd();
      const r = await cli(['sign', '--secret-env', 'S', '--alg', alg, '--claim', 'role=admin'], { env: { S: secret } });
      hsRuns.set(alg, { exitCode: r.exitCode });
      if (r.exitCode === 0) hs.push([r.stdout.trimEnd(), alg, secret]);
    }
    const all = await pyjwtVerify([...ALGS.map((alg): [string, string, string] => [signed.get(alg)!, alg, readFileSync(key(KEYS[alg]![1]), 'utf8')]), ...hs]);
    py = all.slice(0, ALGS.length);
    hs.forEach(([, alg], i) => (hsRuns.get(alg)!.py = all[ALGS.length + i]));
    const pubs = [...new Set(Object.values(KEYS).map(([, pub]) => pub))].flatMap((pub) => ['--key', key(pub)]);
    const v = await cli(['verify', '--json', '--aud', 'api', ...pubs], { input: ALGS.map((alg) => signed.get(alg)!).join('\n') });
    expect(v.exitCode, v.stderr).toBe(0);
    ours = v.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  }, 120_000);

  it.for(Object.entries(KEYS))('%s with %s verifies in PyJWT and in jwtkit verify', ([alg], ctx) => {
    requireTools(ctx, 'PyJWT');
    const i = ALGS.indexOf(alg);
    expect(py[i]).toMatchObject({ sub: 'user-1', aud: 'api' });
    expect(ours[i]).toMatchObject({ valid: true, alg, payload: { sub: 'user-1' } });
  });

  it.for(HS)('%s with a generated secret verifies in PyJWT', ([alg], ctx) => {
    requireTools(ctx, 'PyJWT');
    expect(hsRuns.get(alg)?.exitCode).toBe(0);
    expect(hsRuns.get(alg)!.py).toMatchObject({ role: 'admin' });
  });

  it('a JWK private key works, and the default algorithm follows the key', async () => {
    const pair = JSON.parse((await cli(['gen', '--alg', 'ES384', '--format', 'jwk', '--json'])).stdout);
    const file = join(tmp, 'es384.jwk.json');
    writeFileSync(file, JSON.stringify(pair.privateKey));
    const r = await cli(['sign', '--key', file, '--kid', pair.kid]);
    const d = await decodeJson(r.stdout.trimEnd());
    expect(d.header).toEqual({ alg: 'ES384', typ: 'JWT', kid: pair.kid });
    const pubFile = join(tmp, 'es384.pub.json');
    writeFileSync(pubFile, JSON.stringify(pair.publicKey));
    expect((await cli(['verify', '--key', pubFile, r.stdout.trimEnd()])).exitCode).toBe(0);
    expect(createPrivateKey({ key: pair.privateKey, format: 'jwk' }).asymmetricKeyType).toBe('ec');
  });

  it('sign | verify works in a pipe', async () => {
    const { stdout } = await execa('sh', ['-c', `node bin/jwtkit.js sign --secret-env JWT_SECRET --exp 1h | node bin/jwtkit.js verify --secret-env JWT_SECRET --json`], {
      env: cleanEnv(ENV),
      extendEnv: false,
      stdin: 'ignore',
    });
    expect(JSON.parse(stdout)).toMatchObject({ valid: true, alg: 'HS256' });
  });
});

describe('jwtkit sign: claims and headers', () => {
  // One binary run for two tests: `sign --json` with a payload piped in shows the defaults it adds
  // and the payload read from stdin.
  let piped: Promise<{ before: number; r: RunResult }> | undefined;
  const pipedRun = () => (piped ??= (async () => {
    const before = Math.floor(Date.now() / 1000);
    return { before, r: await jwtkit(['sign', '--secret-env', 'JWT_SECRET', '--json'], { env: ENV, input: '{"scope":"read write"}\n' }) };
  })());

  it('defaults: iat now, exp 15 minutes later, typ JWT', async () => {
    const { before, r } = await pipedRun();
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    const body = JSON.parse(r.stdout);
    expect(Object.keys(body)).toEqual(['token', 'header', 'payload']);
    expect(body.header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(body.payload.iat).toBeGreaterThanOrEqual(before);
    expect(body.payload.exp - body.payload.iat).toBe(900);
  });

  it('every flag, and decode shows exactly the header and payload asked for', async () => {
    const r = await cli(
      [
        'sign', '--secret-env', 'JWT_SECRET', '--json',
        '--sub', 'user-42', '--iss', 'https://auth.example.com', '--aud', 'api', '--aud', 'web',
        '--iat', '2026-11-29T16:00:00Z', '--nbf', '1m', '--exp', '2h', '--jti', 'abc-1', '--kid', 'k-2026',
        '--claim', 'role=admin', '--claim', 'admin=true', '--claim', 'level=3', '--claim', 'tags=["a","b"]', '--claim', 'name=Ada Lovelace',
        '--header', 'cty=JWT', '--header', 'x-trace=42',
        '{"org":"acme","sub":"ignored"}',
      ],
      { env: ENV },
    );
    expect(r.exitCode).toBe(0);
    // --iat is a fixed day, now past: so is its exp, which sign points out
    expect(r.stderr).toMatch(/^jwtkit: note: --sub overrides the payload's sub\njwtkit: warning: --exp lands in the past \(2026-11-29T18:00:00Z, .* ago\): the token is born expired\n$/);
    const body = JSON.parse(r.stdout);
    const iat = 1_795_968_000;
    const expected = {
      header: { alg: 'HS256', typ: 'JWT', kid: 'k-2026', cty: 'JWT', 'x-trace': 42 },
      payload: {
        org: 'acme', sub: 'user-42', role: 'admin', admin: true, level: 3, tags: ['a', 'b'], name: 'Ada Lovelace',
        iss: 'https://auth.example.com', aud: ['api', 'web'], iat, nbf: iat + 60, exp: iat + 7200, jti: 'abc-1',
      },
    };
    expect(body).toMatchObject(expected);
    const d = await decodeJson(body.token);
    expect(d.header).toEqual(expected.header);
    expect(d.payload).toEqual(expected.payload);
  });

  it('--exp takes a time, --no-exp and --no-iat drop the claims, one --aud stays a string', async () => {
    const at = await decodeJson((await cli(['sign', '--secret-env', 'JWT_SECRET', '--exp', '2030-01-01T00:00:00Z', '--aud', 'api'], { env: ENV })).stdout.trim());
    expect(at.payload).toMatchObject({ exp: 1_893_456_000, aud: 'api' });
    const forever = await decodeJson((await cli(['sign', '--secret-env', 'JWT_SECRET', '--no-exp', '--no-iat', '{"sub":"x"}'], { env: ENV })).stdout.trim());
    expect(forever.payload).toEqual({ sub: 'x' });
    expect(forever.warnings.map((w: { code: string }) => w.code)).toContain('no_exp');
  });

  it('--jti auto is random; a payload from stdin', async () => {
    const a = await decodeJson((await cli(['sign', '--secret-env', 'JWT_SECRET', '--jti', 'auto'], { env: ENV })).stdout.trim());
    const b = await decodeJson((await cli(['sign', '--secret-env', 'JWT_SECRET', '--jti', 'auto'], { env: ENV })).stdout.trim());
    expect(a.payload.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a.payload.jti).not.toBe(b.payload.jti);
    const { r } = await pipedRun();
    expect(JSON.parse(r.stdout).payload.scope).toBe('read write');
  });

  it('a token that expires in 10 seconds', async () => {
    const body = JSON.parse((await cli(['sign', '--secret-env', 'JWT_SECRET', '--exp', '10s', '--json'], { env: ENV })).stdout);
    expect(body.payload.exp - body.payload.iat).toBe(10);
  });
});

describe('jwtkit sign: bare numbers in --exp are Unix times (issue #16)', () => {
  it('--exp 3600 is 1970 and warns; --exp 1h is an hour and does not; --help states the rule', async () => {
    const [bare, unit, help] = await Promise.all([
      cli(['sign', '--secret-env', 'JWT_SECRET', '--exp', '3600'], { env: ENV }),
      cli(['sign', '--secret-env', 'JWT_SECRET', '--exp', '1h'], { env: ENV }),
      cli(['sign', '--help']),
    ]);
    expect(bare.exitCode).toBe(0);
    expect(bare.stderr).toMatch(/^jwtkit: warning: --exp 3600 is the Unix time 1970-01-01T01:00:00Z, \d+y \d+d ago: the token is born expired; for a lifetime give a unit: --exp 3600s\n$/);
    expect((await decodeJson(bare.stdout.trim())).payload.exp).toBe(3600);
    expect(unit.stderr).toBe('');
    const { payload } = await decodeJson(unit.stdout.trim());
    expect(payload.exp - payload.iat).toBe(3600);
    expect(help.stdout).toContain('a duration needs a unit (30s, 15m, 1h, 7d, 2w); a bare number is a Unix time');
  });
});

describe('jwtkit sign: weak secrets', () => {
  it('refuses a secret check calls weak, with the reason and the fix', async () => {
    const message = 'S is weak for HS256: it is a published or commonly used value, so attackers try it first. Generate one with `jwtkit gen`, or pass --allow-weak-secret for a throwaway test token';
    const r = await jwtkit(['sign', '--secret-env', 'S'], { env: { S: 'your-256-bit-secret' } });
    expect(expectOneLineError(r)).toBe(`jwtkit: error: ${message}`);
    expect(r.stdout).toBe('');
    // sign's --json error, through the binary: the same line and exit code, and the JSON object
    const json = await jwtkit(['sign', '--json', '--secret-env', 'S'], { env: { S: 'your-256-bit-secret' } });
    expect(expectOneLineError(json)).toBe(`jwtkit: error: ${message}`);
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'weak_secret', message } });
  });

  it('refuses a 32-byte secret for HS512', async () => {
    const r = await cli(['sign', '--secret-env', 'JWT_SECRET', '--alg', 'HS512'], { env: ENV });
    expect(expectOneLineError(r)).toMatch(/JWT_SECRET is weak for HS512: the key is 44 bytes long; HS512 needs at least 64 bytes.*jwtkit gen --alg HS512/);
  });

  it('--allow-weak-secret signs, with a warning', async () => {
    const r = await cli(['sign', '--secret-env', 'S', '--allow-weak-secret'], { env: { S: 'secret' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(r.stderr).toMatch(/^jwtkit: warning: S is weak for HS256: .* \(signing anyway: --allow-weak-secret\)\n$/);
  });
});

describe('jwtkit sign: bad input', () => {
  it.each([
    [['sign', '--secret-env', 'JWT_SECRET', '{"sub":'], /the payload is not valid JSON: it ends too early/],
    [['sign', '--secret-env', 'JWT_SECRET', '[1,2]'], /the payload must be a JSON object, not an array/],
    [['sign', '--secret-env', 'JWT_SECRET', '"text"'], /the payload must be a JSON object, not a string/],
    [['sign', '--secret-env', 'JWT_SECRET', '--claim', 'role'], /--claim "role" is not NAME=VALUE/],
    [['sign', '--secret-env', 'JWT_SECRET', '--exp', 'soon'], /--exp "soon" is not a time/],
    [['sign', '--secret-env', 'JWT_SECRET', '--alg', 'none'], /jwtkit never makes unsigned tokens/],
    [['sign', '--secret-env', 'JWT_SECRET', '--alg', 'RS256'], /RS256 does not fit JWT_SECRET \(a secret\). It signs HS256, HS384, HS512/],
    [['sign', '--secret-env', 'JWT_SECRET', '--header', 'alg=none'], /--header cannot set alg/],
    [['sign', '--key', key('rsa.pub.pem')], /rsa.pub.pem is a public key; signing needs the private key/],
    [['sign', '--key', key('rsa.key.pem'), '--alg', 'ES256'], /ES256 does not fit .*rsa.key.pem \(an RSA key \(2048 bits\)\). It signs RS256/],
    [['sign'], /no secret or key given/],
    [['sign', '--secret-env', 'JWT_SECRET', '--key', key('rsa.key.pem')], /sign takes one secret or key, and 2 were given/],
  ])('%j', async (args, message) => {
    const r = await cli(args, { env: ENV, input: '' });
    expect(expectOneLineError(r)).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('--copy without a display prints the token and says why', async () => {
    const r = await cli(['sign', '--secret-env', 'JWT_SECRET', '--copy'], { env: ENV });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^eyJ/);
    expect(r.stderr).toMatch(/could not copy to the clipboard: no display server/);
  });
});
