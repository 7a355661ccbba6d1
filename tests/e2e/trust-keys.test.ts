// What jwtkit trusts from each key source, end to end: remote sets give
// public keys only, plain http only on loopback, redirects never downgrade, bundles give their
// leaf only, files are read with a cap, and no secret or URL password is ever echoed.
// Most cases run in-process (cli(), tests/helpers/cli.ts: the same main() as the binary); through
// the built binary (jwtkit()) go what a process shows: https with the process's
// NODE_EXTRA_CA_CERTS (a success, a refused redirect), a secret from a FIFO and from /dev/stdin,
// and /dev/zero as stdin (64 MiB read: the endless-line bound is 64 times the 1 MiB token bound).
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, expectOneLineError, jwtkit } from '../helpers/run.js';
import { cli } from '../helpers/cli.js';
import { DURING, HS_SECRET, TOKENS, key } from '../helpers/fixtures.js';
import { json, serve, type TestServer } from '../helpers/server.js';
import { hasTool, requireTools } from '../helpers/tools.js';

const AT = ['--at', String(DURING)];
const tmp = mkdtempSync(join(tmpdir(), 'jwtkit-trust-'));
const pem = (name: string) => readFileSync(key(name), 'utf8');
const jwkOf = (name: string, kid?: string) => ({ ...createPublicKey(pem(name)).export({ format: 'jwk' }), ...(kid ? { kid } : {}) });
const HS_OCT = { kty: 'oct', k: Buffer.from(HS_SECRET).toString('base64url'), kid: 'test-hs256' };
const RS_PUBLIC = jwkOf('rsa.pub.pem', 'test-rs256');

describe('remote key sets give public keys only', () => {
  let server: TestServer;
  const privateRsa = { ...createPrivateJwk('rsa.key.pem'), kid: 'test-rs256' };
  beforeAll(async () => {
    server = await serve((req, res, base) => {
      switch (req.url) {
        case '/oct-and-rsa.json': return json(res, { keys: [HS_OCT, RS_PUBLIC] });
        case '/oct-only.json': return json(res, { keys: [HS_OCT] });
        case '/private.json': return json(res, { keys: [privateRsa] });
        case '/enc-only.json': return json(res, { keys: [{ ...RS_PUBLIC, use: 'enc' }, { ...jwkOf('ec256.pub.pem', 'e2'), use: 'enc' }] });
        case '/.well-known/openid-configuration': return json(res, { issuer: base, jwks_uri: `${base}/oct-and-rsa.json` });
        default: return json(res, { error: 'nope' }, 404);
      }
    });
  });
  afterAll(() => server.close());

  it('an oct key from --jwks URL does not verify HS256, with a warning naming its kid', async () => {
    const r = await cli(['verify', '--json', '--jwks', `${server.base}/oct-and-rsa.json`, TOKENS.HS256!, ...AT]);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: false, reason: 'alg_not_allowed' });
    expect(r.stderr).toMatch(/warning: .*kid test-hs256.*secret \(oct\) key.*refused/);
    const rs = await cli(['verify', '--json', '--jwks', `${server.base}/oct-and-rsa.json`, TOKENS.RS256!, ...AT]);
    expect(JSON.parse(rs.stdout)).toMatchObject({ valid: true, key: `${server.base}/oct-and-rsa.json kid test-rs256` });
  });

  it("the same from an --issuer's jwks_uri", async () => {
    const r = await cli(['verify', '--json', '--issuer', server.base, '--iss', 'https://auth.example.com', TOKENS.HS256!, ...AT]);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ reason: 'alg_not_allowed' });
    expect(r.stderr).toMatch(/kid test-hs256.*refused/);
  });

  it('a set of only secret keys is an error that says why', async () => {
    const r = await cli(['verify', '--jwks', `${server.base}/oct-only.json`, TOKENS.HS256!, ...AT]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no usable public signing key/);
    expect(r.stderr).not.toMatch(/valid/);
  });

  it('a key with private members from a URL is refused', async () => {
    const r = await cli(['verify', '--json', '--jwks', `${server.base}/private.json`, TOKENS.RS256!, ...AT]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/test-rs256.*private/);
  });

  it('a local --jwks FILE may keep its oct key', async () => {
    const file = join(tmp, 'local-oct.json');
    writeFileSync(file, JSON.stringify({ keys: [HS_OCT, RS_PUBLIC] }));
    const r = await cli(['verify', '--json', '--jwks', file, TOKENS.HS256!, ...AT]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('a set of only encryption keys says so, not "none of the 0 keys"', async () => {
    const r = await cli(['verify', '--jwks', `${server.base}/enc-only.json`, TOKENS.RS256!, ...AT]);
    expect(expectOneLineError(r)).toMatch(/2 keys.*all for encryption \(use "enc"\)/);
    const file = join(tmp, 'enc.json');
    writeFileSync(file, JSON.stringify({ keys: [{ ...RS_PUBLIC, use: 'enc' }] }));
    const local = await cli(['verify', '--jwks', file, TOKENS.RS256!, ...AT]);
    expect(expectOneLineError(local)).toMatch(/for encryption/);
    expect(local.stderr + local.stdout).not.toMatch(/none of the 0 keys/);
  });
});

describe('plain http only on loopback; redirects never downgrade; labels name where keys came from', () => {
  let http: TestServer;
  let https: TestServer;
  let caFile = '';
  let lastAuth: string | undefined;
  // openssl makes the TLS certificate the servers below need.
  beforeEach((ctx) => requireTools(ctx, 'openssl'));
  beforeAll(async () => {
    if (!hasTool('openssl')) return;
    // A certificate for 127.0.0.1, trusted by the child through NODE_EXTRA_CA_CERTS.
    const keyFile = join(tmp, 'tls.key');
    caFile = join(tmp, 'tls.crt');
    await execa('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', caFile,
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '2']);
    http = await serve((req, res, base) => {
      lastAuth = req.headers.authorization;
      switch (req.url) {
        case '/jwks.json': return json(res, { keys: [RS_PUBLIC] });
        case '/moved': res.writeHead(302, { location: '/jwks.json' }); return res.end();
        case '/loop': res.writeHead(302, { location: '/loop' }); return res.end();
        case '/to-far-http': res.writeHead(302, { location: 'http://192.0.2.1/jwks.json' }); return res.end();
        case '/insecure-jwks-uri/.well-known/openid-configuration':
          return json(res, { issuer: `${base}/insecure-jwks-uri`, jwks_uri: 'http://192.0.2.1/jwks.json' });
        case '/no-issuer/.well-known/openid-configuration': return json(res, { jwks_uri: `${base}/jwks.json` });
        case '/number-issuer/.well-known/openid-configuration': return json(res, { issuer: 42, jwks_uri: `${base}/jwks.json` });
        default: return json(res, { error: 'nope' }, 404);
      }
    });
    https = await serve(
      (req, res) => {
        if (req.url === '/jwks.json') return json(res, { keys: [RS_PUBLIC] });
        if (req.url === '/down') {
          res.writeHead(301, { location: `${http.base}/jwks.json` });
          return res.end();
        }
        return json(res, {}, 404);
      },
      { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(caFile, 'utf8') },
    );
  });
  afterAll(() => Promise.all([http?.close(), https?.close()]));
  const tls = () => ({ env: { NODE_EXTRA_CA_CERTS: caFile } });

  it('https works and is labelled with its URL', async () => {
    const r = await jwtkit(['verify', '--json', '--jwks', `${https.base}/jwks.json`, TOKENS.RS256!, ...AT], tls());
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, key: `${https.base}/jwks.json kid test-rs256` });
  });

  it.each([
    ['--jwks', 'http://192.0.2.1/jwks.json'],
    ['--jwks', 'http://example.com/jwks.json'],
    ['--issuer', 'http://192.0.2.1'],
  ])('%s %s: plain http to a non-loopback host is refused', async (option, url) => {
    const r = await cli(['verify', option, url, TOKENS.RS256!, ...AT]);
    expect(expectOneLineError(r)).toMatch(/plain http.*refused|refus.*plain http/i);
    expect(r.stderr).toMatch(/https/);
  });

  it('http://localhost is loopback and allowed', async () => {
    const r = await cli(['verify', '--json', '--jwks', `${http.base.replace('127.0.0.1', 'localhost')}/jwks.json`, TOKENS.RS256!, ...AT]);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true });
  });

  it("a discovered jwks_uri on plain http to a non-loopback host is refused", async () => {
    const r = await cli(['verify', '--issuer', `${http.base}/insecure-jwks-uri`, TOKENS.RS256!, ...AT]);
    expect(expectOneLineError(r)).toMatch(/plain http/i);
  });

  it('a redirect from https to http is refused, even to loopback', async () => {
    const r = await jwtkit(['verify', '--jwks', `${https.base}/down`, TOKENS.RS256!, ...AT], tls());
    expect(expectOneLineError(r)).toMatch(/redirect.*from https to http/i);
  });

  it('a redirect to a non-loopback http host is refused', async () => {
    const r = await cli(['verify', '--jwks', `${http.base}/to-far-http`, TOKENS.RS256!, ...AT]);
    expect(expectOneLineError(r)).toMatch(/plain http/i);
  });

  it('redirects are followed a few times, and the label names the final URL', async () => {
    const r = await cli(['verify', '--json', '--jwks', `${http.base}/moved`, TOKENS.RS256!, ...AT]);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, key: `${http.base}/jwks.json kid test-rs256` });
    const loop = await cli(['verify', '--jwks', `${http.base}/loop`, TOKENS.RS256!, ...AT]);
    expect(expectOneLineError(loop)).toMatch(/too many redirects|more than \d+ redirects/);
  });

  it('a password in the URL is sent as Basic auth and never shown', async () => {
    const withPw = http.base.replace('http://', 'http://alice:hunter2pw@');
    const ok = await cli(['verify', '--json', '--jwks', `${withPw}/jwks.json`, TOKENS.RS256!, ...AT]);
    expect(ok.exitCode).toBe(0);
    expect(lastAuth).toBe(`Basic ${Buffer.from('alice:hunter2pw').toString('base64')}`);
    expect(ok.stdout + ok.stderr).not.toContain('hunter2pw');
    for (const args of [['--jwks', `${withPw}/missing`], ['--issuer', `${withPw}/nowhere`], ['--jwks', 'http://alice:hunter2pw@192.0.2.1/x']]) {
      const r = await cli(['verify', '--json', ...args, TOKENS.RS256!, ...AT]);
      expect(r.exitCode).toBe(2);
      expect(r.stdout + r.stderr, args.join(' ')).not.toMatch(/hunter2pw|alice/);
    }
  });

  it.each([
    ['no issuer', 'no-issuer'],
    ['a non-string issuer', 'number-issuer'],
  ])('a discovery document with %s is refused', async (_what, path) => {
    const r = await cli(['verify', '--issuer', `${http.base}/${path}`, TOKENS.RS256!, ...AT]);
    expect(expectOneLineError(r)).toMatch(/issuer/);
  });
});

describe('certificate bundles', () => {
  it("only the first certificate verifies; a CA's key in the bundle does not", async (ctx) => {
    requireTools(ctx, 'openssl');
    const ca = join(tmp, 'ca.pem');
    await execa('openssl', ['req', '-x509', '-key', key('rsa-other.key.pem'), '-subj', '/CN=jwtkit test CA', '-days', '2', '-out', ca]);
    const bundle = join(tmp, 'fullchain.pem');
    writeFileSync(bundle, pem('rsa.crt.pem') + readFileSync(ca, 'utf8'));
    // a token signed by the CA's key, then one by the leaf's: one line each
    const r = await cli(['verify', '--json', '--key', bundle, ...AT], { input: `${TOKENS.RS256_other_key}\n${TOKENS.RS256}\n` });
    expect(r.exitCode).toBe(1);
    const [byCa, byLeaf] = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(byCa).toMatchObject({ valid: false, reason: 'signature_invalid' });
    expect(r.stderr).toMatch(/holds 2 certificates.*only the first/);
    expect(byLeaf).toMatchObject({ valid: true, key: bundle });
  });
});

describe('RSA-PSS key restricted to SHA-512', () => {
  it('a PS256 token is refused (exit 1), never a crash (exit 70)', async () => {
    const publicKey = createPublicKey(readFileSync(key('rsa-pss-sha512.key.pem'))); // openssl's, restricted to SHA-512 (fixtures/make-fixtures.sh)
    const file = join(tmp, 'pss512.pub.pem');
    writeFileSync(file, publicKey.export({ type: 'spki', format: 'pem' }));
    const r = await cli(['verify', '--json', '--key', file, TOKENS.PS256!, ...AT]);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: false, reason: 'alg_not_allowed' });
    const forced = await cli(['verify', '--json', '--alg', 'PS256', '--key', file, TOKENS.PS256!, ...AT]);
    expect(forced.exitCode).toBe(1);
  });
});

describe('files are read with a cap', () => {
  it.each([
    ['--key', 'key file'],
    ['--secret-file', 'secret file'],
    ['--jwks', 'JWKS file'],
  ])('%s /dev/zero: a clear exit 2, fast', async (option) => {
    const started = Date.now();
    const r = await cli(['verify', option, '/dev/zero', TOKENS.HS256!, ...AT]);
    expect(expectOneLineError(r)).toMatch(/\/dev\/zero is larger than 1 MiB/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  // With V8's heap capped at 24 MB: a reader that held the 64 MiB line whole (as a string or
  // chunks) dies out of memory instead of exiting 2 (checked: a plain `s += chunk` reader does).
  it('stdin that is /dev/zero (an endless line): a clear exit 2, not a hang, in bounded memory', async () => {
    const r = await execa('sh', ['-c', `node --max-old-space-size=24 ${BIN} decode < /dev/zero`], { env: cleanEnv({}), extendEnv: false, reject: false, timeout: 60_000 });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('jwtkit: error: the input has a line of more than 67108864 characters: it is not tokens, one per line. Is it a binary file?');
  });

  it('a secret from a FIFO and from /dev/stdin', async () => {
    const fifo = join(tmp, 'secret.fifo');
    await execa('mkfifo', [fifo]);
    const script = `(printf '%s\\n' "$S" > ${fifo} &) ; node ${BIN} verify --secret-file ${fifo} --at ${DURING} ${TOKENS.HS256}`;
    const viaFifo = await execa('sh', ['-c', script], { env: cleanEnv({ S: HS_SECRET }), extendEnv: false, reject: false });
    expect(viaFifo.exitCode, viaFifo.stderr).toBe(0);
    const viaStdin = await jwtkit(['verify', '--secret-file', '/dev/stdin', TOKENS.HS256!, ...AT], { input: `${HS_SECRET}\n` });
    expect(viaStdin.exitCode, viaStdin.stderr).toBe(0);
  });

  it('a folder is a clear error', async () => {
    expect(expectOneLineError(await cli(['verify', '--key', tmp, TOKENS.RS256!, ...AT]))).toMatch(/it is a folder/);
  });
});

describe('--timeout has a range', () => {
  let hang: TestServer;
  beforeAll(async () => {
    hang = await serve(() => {});
  });
  afterAll(() => hang.close());

  // Every refused value is a unit test of parseTimeout (tests/unit/keys.test.ts); one here.
  it.each(['49d'])('--timeout %s: exit 2 with the range', async (value) => {
    const r = await cli(['verify', '--jwks', `${hang.base}/jwks.json`, '--timeout', value, TOKENS.RS256!, ...AT]);
    expect(expectOneLineError(r)).toMatch(/--timeout.*0\.1s.*5m/);
  });

  it('--timeout 0.4s means 0.4 s, not 5 s', async () => {
    const started = Date.now();
    const r = await cli(['verify', '--jwks', `${hang.base}/jwks.json`, '--timeout', '0.4s', TOKENS.RS256!, ...AT]);
    expect(expectOneLineError(r)).toMatch(/no answer within 0\.4s/);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});

describe('a secret value given where a name or a path belongs is never echoed', () => {
  const VALUE = 'hunter2-Zm9vYmFyYmF6cXV4';
  it.each([
    ['--secret-env', VALUE],
    ['--secret-env', 'hunter2hunter2'],
    ['--secret-file', VALUE],
    ['--key', VALUE],
    ['--jwks', VALUE],
    ['--issuer', VALUE],
  ])('%s %s', async (option, value) => {
    for (const json of [[], ['--json']]) {
      const r = await cli(['verify', ...json, option, value, TOKENS.HS256!, ...AT], { env: { JWT_SECRET: value } });
      expect(r.exitCode).toBe(2);
      expect(r.stdout + r.stderr).not.toContain(value);
      expect(r.stdout + r.stderr).not.toContain(value.slice(0, 8));
      expect(r.stderr).toMatch(new RegExp(`an? ${value.length}-character value, not shown`));
    }
  });

  it('audit --wordlist VALUE and an unknown "option" that is a secret too', async () => {
    const r = await cli(['audit', '--wordlist', VALUE, TOKENS.HS256!]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout + r.stderr).not.toContain(VALUE.slice(0, 8));
    expect(r.stderr).toMatch(new RegExp(`cannot read --wordlist \\(an? ${VALUE.length}-character value, not shown\\)`));
    const o = await cli(['check', `-${VALUE}'q`]);
    expect(o.exitCode).toBe(2);
    expect(o.stdout + o.stderr).not.toContain(VALUE.slice(0, 8));
  });

  it('check --secret-env VALUE too', async () => {
    const r = await cli(['check', '--secret-env', VALUE], { env: { JWT_SECRET: VALUE } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).not.toContain(VALUE.slice(0, 8));
    expect(r.stderr).toMatch(/value of JWT_SECRET/);
  });

  it('a real missing name or path is still named', async () => {
    expect(expectOneLineError(await cli(['verify', '--secret-env', 'NOPE_SECRET', TOKENS.HS256!]))).toMatch(/NOPE_SECRET is not set/);
    expect(expectOneLineError(await cli(['verify', '--key', 'keys/missing.pem', TOKENS.HS256!]))).toMatch(/keys\/missing\.pem: no such file/);
  });
});

function createPrivateJwk(name: string) {
  return createPrivateKey(pem(name)).export({ format: 'jwk' });
}
