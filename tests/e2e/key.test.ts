// Most cases run in-process (cli(), tests/helpers/cli.ts: the same main() as the binary). Through
// the built binary (jwtkit()) go what a process shows: a refused value (exit 2, one line), the
// --json error (exit 2, the JSON object), and --out's files with the modes a process writes
// (private 0600, public 0644: the successes). A batch of PEM blocks on a real stdin pipe is
// key-interop.test.ts's first `key convert`; the README walkthrough (key-walkthrough.test.ts) runs
// key jwks, thumbprint and inspect through the binary too.
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hasTool, requireTools } from '../helpers/tools.js';
import { expectOneLineError, jwtkit } from '../helpers/run.js';
import { cli } from '../helpers/cli.js';
import { bashComplete as complete } from '../helpers/completion.js';
import { key } from '../helpers/fixtures.js';
import { serve, type TestServer } from '../helpers/server.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'jwtkit-key-'));
const rfc = (name: string) => key(`rfc/${name}`);
const header = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8'));
const AT_2015 = ['--at', '2015-01-01T00:00:00Z'];

describe('jwtkit key inspect', () => {
  it('a PEM private key: type, algorithms, thumbprint and its RFC 9278 URI', async () => {
    const r = await cli(['key', 'inspect', key('ec256.key.pem')]);
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    const thumbprint = (await cli(['key', 'thumbprint', key('ec256.key.pem')])).stdout.trim();
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([
      `EC P-256 private key (PKCS#8 PEM, ${key('ec256.key.pem')})`,
      '  signs       ES256',
      `  thumbprint  ${thumbprint} (RFC 7638, SHA-256)`,
      `  uri         urn:ietf:params:oauth:jwk-thumbprint:sha-256:${thumbprint}`,
    ]);
  });

  it.each([
    ['rsa.pub.pem', 'RSA public key, 2048 bits (SPKI PEM'],
    ['rsa.pkcs1.pem', 'RSA private key, 2048 bits (PKCS#1 PEM'],
    ['ec256.sec1.pem', 'EC P-256 private key (SEC1 PEM'],
    ['ec521.pub.pem', 'EC P-521 public key (SPKI PEM'],
    ['ed25519.key.pem', 'Ed25519 private key (PKCS#8 PEM'],
    ['rsa.crt.pem', 'RSA public key, 2048 bits (X.509 certificate'],
  ])('%s: %s', async (file, first) => {
    const r = await cli(['key', 'inspect', key(file)]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')[0]).toContain(first);
  });

  it('a certificate: subject, issuer, validity and "expired"', async () => {
    const r = await cli(['key', 'inspect', rfc('rfc7517-b.crt.pem')]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('  subject     C=US, ST=CO, L=Denver, O=Ping Identity Corp., CN=Brian Campbell\n');
    expect(r.stdout).toMatch(/ {2}valid {7}2013-02-21T23:29:15Z to 2018-08-14T22:29:15Z \(expired \d+y( \d+d)? ago\)\n/);
    expect(r.stdout).toContain('! the certificate expired on 2018-08-14T22:29:15Z');
    const then = await cli(['key', 'inspect', '--json', ...AT_2015, rfc('rfc7517-b.crt.pem')]);
    expect(JSON.parse(then.stdout).certificate).toMatchObject({ expired: false, not_after: '2018-08-14T22:29:15Z' });
  });

  it('a JWKS: one line per key; --json one object per key', async () => {
    const r = await cli(['key', 'inspect', rfc('rfc7517-a1.jwks.json')]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      [
        'kid "1"           EC P-256 public key  ES256  cn-I_WNMClehiVp51i_0VpOENW1upEerA8sEam5hn-s',
        '  ! its "use" is "enc": verifiers skip it for signatures (not_for_signatures)',
        'kid "2011-04-29"  RSA public key       RS256  NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
        '',
      ].join('\n'),
    );
    const j = await cli(['key', 'inspect', '--json', rfc('rfc7517-a2.jwks.json')]);
    const rows = j.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((x) => [x.kid, x.kty, x.private, x.thumbprint])).toEqual([
      ['1', 'EC', true, 'cn-I_WNMClehiVp51i_0VpOENW1upEerA8sEam5hn-s'],
      ['2011-04-29', 'RSA', true, 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'],
    ]);
    expect(rows[1]).toMatchObject({ form: 'JWKS member', type: 'RSA', bits: 2048, alg: 'RS256', algs: ['RS256'], warnings: [] });
  });

  it('reads stdin with "-" or no file', async () => {
    const pem = readFileSync(key('ed25519.pub.pem'), 'utf8');
    for (const args of [['-'], []]) {
      const r = await cli(['key', 'inspect', ...args], { input: pem });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/^Ed25519 public key \(SPKI PEM, stdin\)/);
    }
  });

  it('a kid with terminal escapes is printed escaped', async () => {
    const dir = tmp();
    const jwk = JSON.parse((await cli(['key', 'convert', '--to', 'jwk', key('ec256.pub.pem')])).stdout);
    writeFileSync(join(dir, 'evil.json'), JSON.stringify({ ...jwk, kid: 'x\u001b[2J\u009b31m' }));
    const r = await cli(['key', 'inspect', join(dir, 'evil.json')]);
    expect(r.stdout).toContain('kid         x\\x1b[2J\\x9b31m');
    expect(r.stdout).not.toMatch(/[\u001b\u009b]/);
    const j = await cli(['key', 'inspect', '--json', join(dir, 'evil.json')]);
    expect(j.stdout).not.toMatch(/[\u001b\u009b]/);
    expect(JSON.parse(j.stdout).kid).toBe('x\u001b[2J\u009b31m');
  });

  describe('bad input', () => {
    let dir: string;
    beforeEach((ctx) => requireTools(ctx, 'openssl'));
    beforeAll(async () => {
      dir = tmp();
      if (!hasTool('openssl')) return;
      const pem = readFileSync(key('ec256.pub.pem'), 'utf8');
      writeFileSync(join(dir, 'truncated.pem'), pem.slice(0, pem.length - 40));
      const a1 = JSON.parse(readFileSync(rfc('rfc7517-a1.jwks.json'), 'utf8'));
      writeFileSync(join(dir, 'wrong-curve.json'), JSON.stringify({ ...a1.keys[0], use: 'sig', alg: 'ES512' }));
      writeFileSync(join(dir, 'e1.json'), JSON.stringify({ ...a1.keys[1], e: 'AQ' }));
      writeFileSync(join(dir, 'dup.json'), JSON.stringify({ keys: [{ ...a1.keys[0], use: 'sig', kid: 'same' }, { ...a1.keys[1], kid: 'same' }] }));
      const { execa } = await import('execa');
      await execa('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', join(dir, 'rsa1024.pem')]);
    });

    it('a truncated PEM: exit 2, one line', async () => {
      const r = await cli(['key', 'inspect', join(dir, 'truncated.pem')]);
      expect(expectOneLineError(r)).toBe(`jwtkit: error: ${join(dir, 'truncated.pem')} has a PEM BEGIN line without its END line. The file looks cut short: copy the whole key, -----BEGIN to -----END`);
    });

    it('a JWK with a wrong curve for its alg: said, exit 1', async () => {
      const r = await cli(['key', 'inspect', join(dir, 'wrong-curve.json')]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toContain('  verifies    no JWS algorithm\n');
      expect(r.stdout).toContain('! its "alg" "ES512" does not fit an EC P-256 key, which signs ES256 (alg_mismatch)');
    });

    it('an RSA key under 2048 bits: said with the size, exit 1', async () => {
      const r = await cli(['key', 'inspect', join(dir, 'rsa1024.pem')]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toMatch(/^RSA private key, 1024 bits/);
      expect(r.stdout).toContain('! an RSA key of 1024 bits: JWS needs 2048 or more (RFC 7518 §3.3), so jwtkit and jose refuse it (rsa_too_small)');
    });

    it('a JWKS with duplicate kids: said, exit 1; key jwks refuses it', async () => {
      const r = await cli(['key', 'inspect', join(dir, 'dup.json')]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toMatch(/! kid "same" is also on a different key .* a verifier cannot tell them apart \(duplicate_kid\)/);
      const j = await cli(['key', 'jwks', join(dir, 'dup.json')]);
      expect(expectOneLineError(j)).toMatch(/kid "same" is on two different keys/);
    });

    it('a public-exponent-1 RSA key: refused everywhere, verify included', async () => {
      const r = await cli(['key', 'inspect', join(dir, 'e1.json')]);
      expect(expectOneLineError(r)).toMatch(/e1\.json: an RSA key with public exponent 1 is unsafe \(anyone can forge its signatures\)/);
      const v = await cli(['verify', '--key', join(dir, 'e1.json'), 'eyJhbGciOiJSUzI1NiJ9.e30.AA']);
      expect(expectOneLineError(v)).toMatch(/public exponent 1 is unsafe/);
    });

    // Every refused input and its line is tests/unit/cli-key.test.ts (in-process); here, once
    // each, the exit code and the one stderr line of a file error (in-process) and of a refused
    // value (through the binary).
    it('a file error: exit 2, one line', async () => {
      const r = await cli(['key', 'inspect', '/nonexistent.pem']);
      expect(expectOneLineError(r)).toMatch(/cannot read key file \/nonexistent\.pem: no such file/);
      expect(r.stdout).toBe('');
    });

    it('a refused value: exit 2, one line (through the binary)', async () => {
      const r = await jwtkit(['key', 'convert', '--to', 'der', key('ec256.pub.pem')]);
      expect(expectOneLineError(r)).toMatch(/--to "der" is not valid: use one of pem, jwk, jwks/);
      expect(r.stdout).toBe('');
    });

    it('an error with --json is a JSON error object', async () => {
      const r = await jwtkit(['key', 'inspect', '--json', join(dir, 'truncated.pem')]);
      expect(r.exitCode).toBe(2);
      expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'bad_key', message: expect.stringMatching(/without its END line/) } });
    });
  });
});

describe('key inspect --tz / --local', () => {
  it("shows a certificate's dates on the zone's clock too", async () => {
    const r = await cli(['key', 'inspect', '--tz', 'Asia/Tokyo', key('rsa.crt.pem')]);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    const valid = lines.findIndex((l) => l.startsWith('  valid '));
    const [, from, to] = /^ {2}valid {7}(\S+) to (\S+) /.exec(lines[valid]!)!;
    const tokyo = (iso: string) => new Date(Date.parse(iso) + 9 * 3600_000).toISOString().replace('T', ' ').replace(/\.000Z$/, '');
    expect(lines[valid + 1]).toBe(`              = ${tokyo(from!)} Asia/Tokyo (UTC+09:00) to ${tokyo(to!)} Asia/Tokyo (UTC+09:00)`);
  });
});

describe('encrypted PEM private keys', () => {
  let dir: string;
  beforeEach((ctx) => requireTools(ctx, 'openssl'));
  beforeAll(async () => {
    dir = tmp();
    if (!hasTool('openssl')) return;
    const { execa } = await import('execa');
    await execa('openssl', ['pkey', '-in', key('ec256.key.pem'), '-aes256', '-passout', 'pass:correct horse', '-out', join(dir, 'enc.pem')]);
    await execa('openssl', ['rsa', '-in', key('rsa.key.pem'), '-traditional', '-aes128', '-passout', 'pass:correct horse', '-out', join(dir, 'legacy.pem')]);
    writeFileSync(join(dir, 'pass.txt'), 'correct horse\n');
  });

  it('without a passphrase: exit 2, says how to give it', async () => {
    const r = await cli(['key', 'inspect', join(dir, 'enc.pem')]);
    expect(expectOneLineError(r)).toBe(
      `jwtkit: error: ${join(dir, 'enc.pem')} is an encrypted private key. Pass its passphrase with --passphrase-env NAME or --passphrase-file PATH (key and sign), or give the public key`,
    );
  });

  it('--passphrase-env and --passphrase-file decrypt PKCS#8 and legacy PEM; the passphrase is never echoed', async () => {
    const env = await cli(['key', 'public', '--passphrase-env', 'KEY_PASS', join(dir, 'enc.pem')], { env: { KEY_PASS: 'correct horse' } });
    expect(env).toMatchObject({ exitCode: 0, stderr: '', stdout: readFileSync(key('ec256.pub.pem'), 'utf8') });
    const file = await cli(['key', 'inspect', '--passphrase-file', join(dir, 'pass.txt'), join(dir, 'legacy.pem')]);
    expect(file.exitCode).toBe(0);
    expect(file.stdout).toMatch(/^RSA private key, 2048 bits \(encrypted PKCS#1 PEM/);
    const wrong = await cli(['key', 'inspect', '--passphrase-env', 'KEY_PASS', join(dir, 'enc.pem')], { env: { KEY_PASS: 'wrong' } });
    expect(expectOneLineError(wrong)).toMatch(/the passphrase does not decrypt it/);
    expect(wrong.stderr).not.toContain('wrong');
    const unset = await cli(['key', 'inspect', '--passphrase-env', 'KEY_PASS', join(dir, 'enc.pem')]);
    expect(expectOneLineError(unset)).toMatch(/KEY_PASS is not set/);
  });

  it('sign --key takes the same options', async () => {
    const r = await cli(['sign', '--key', join(dir, 'enc.pem'), '--passphrase-file', join(dir, 'pass.txt'), '--sub', 'me']);
    expect(r.exitCode).toBe(0);
    const v = await cli(['verify', '--key', key('ec256.pub.pem'), r.stdout.trim()]);
    expect(v.exitCode).toBe(0);
    const none = await cli(['sign', '--key', join(dir, 'enc.pem'), '--sub', 'me']);
    expect(expectOneLineError(none)).toMatch(/is an encrypted private key/);
  });
});

describe('jwtkit key public, convert, thumbprint', () => {
  it('public: the SPKI PEM of a private PEM; a JWK stays a JWK; --format switches', async () => {
    const r = await cli(['key', 'public', key('rsa.pkcs1.pem')]);
    expect(r).toMatchObject({ exitCode: 0, stdout: readFileSync(key('rsa.pub.pem'), 'utf8') });
    const jwk = await cli(['key', 'public', '--format', 'jwk', key('ed25519.key.pem')]);
    const body = JSON.parse(jwk.stdout);
    expect(body).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(body.d).toBeUndefined();
    const again = await cli(['key', 'public', '-'], { input: jwk.stdout });
    expect(again.stdout).toBe(jwk.stdout);
    const set = await cli(['key', 'public', rfc('rfc7517-a2.jwks.json')]);
    expect(JSON.parse(set.stdout)).toEqual(JSON.parse(readFileSync(rfc('rfc7517-a1.jwks.json'), 'utf8')));
  });

  it('convert: PEM → JWK (kid = thumbprint, --alg, --use) → PEM, byte for byte', async () => {
    const jwk = await cli(['key', 'convert', '--to', 'jwk', '--alg', 'ES384', '--use', 'sig', key('ec384.key.pem')]);
    expect(jwk.exitCode).toBe(0);
    const body = JSON.parse(jwk.stdout);
    const thumbprint = (await cli(['key', 'thumbprint', key('ec384.pub.pem')])).stdout.trim();
    expect(body).toMatchObject({ kty: 'EC', crv: 'P-384', use: 'sig', alg: 'ES384', kid: thumbprint, d: expect.any(String) });
    const pem = await cli(['key', 'convert', '--to', 'pem', '-'], { input: jwk.stdout });
    expect(pem.stdout).toBe(readFileSync(key('ec384.key.pem'), 'utf8'));
    expect(pem.stderr).toBe("jwtkit: note: PEM has no place for a JWK's kid, alg or use: they are not in the output\n");
  });

  it('convert --json says what it made', async () => {
    const r = await cli(['key', 'convert', '--to', 'jwk', '--json', key('ec256.pub.pem')]);
    const body = JSON.parse(r.stdout);
    expect(body).toMatchObject({ format: 'jwk', private: false, keys: [{ source: key('ec256.pub.pem'), kid: body.key.kid, thumbprint: body.key.kid }] });
  });

  it('--out: a private key with mode 0600, never over an existing file', async () => {
    const dir = tmp();
    const out = join(dir, 'k.key.json');
    const r = await jwtkit(['key', 'convert', '--to', 'jwk', '--out', out, key('ec256.key.pem')]);
    expect(r).toMatchObject({ exitCode: 0, stdout: '' });
    expect(r.stderr).toBe(`Wrote ${out} (private, mode 0600: keep it secret).\n`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const before = readFileSync(out, 'utf8');
    const again = await cli(['key', 'convert', '--to', 'jwk', '--out', out, key('ec521.key.pem')]); // the refusal: in-process
    expect(expectOneLineError(again)).toMatch(/cannot write .*k\.key\.json: it already exists; jwtkit never overwrites a key file/);
    expect(readFileSync(out, 'utf8')).toBe(before);
    const pub = await jwtkit(['key', 'public', '--format', 'pem', '--out', join(dir, 'k.pub.pem'), '--json', out]);
    expect(JSON.parse(pub.stdout)).toMatchObject({ format: 'pem', private: false, file: join(dir, 'k.pub.pem') });
    expect(statSync(join(dir, 'k.pub.pem')).mode & 0o777).toBe(0o644);
  });

  it('thumbprint: one a line, --hash, --json with the RFC 9278 URI', async () => {
    const r = await cli(['key', 'thumbprint', rfc('rfc7517-a1.jwks.json')]);
    expect(r.stdout).toBe('cn-I_WNMClehiVp51i_0VpOENW1upEerA8sEam5hn-s\nNzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs\n');
    const j = await cli(['key', 'thumbprint', '--json', '--hash', 'sha512', rfc('rfc7517-b.jwk.json')]);
    const body = JSON.parse(j.stdout);
    expect(body).toMatchObject({ kid: '1b94c', hash: 'sha512' });
    expect(body.thumbprint).toHaveLength(86);
    expect(body.uri).toBe(`urn:ietf:params:oauth:jwk-thumbprint:sha-512:${body.thumbprint}`);
  });
});

describe('jwtkit key jwks', () => {
  it('merges in order, de-duplicates, drops by kid; --json', async () => {
    const one = await cli(['key', 'jwks', key('ec256.pub.pem'), key('rsa.pub.pem')]);
    expect(one.exitCode).toBe(0);
    const set = JSON.parse(one.stdout);
    expect(set.keys.map((k: { kty: string }) => k.kty)).toEqual(['EC', 'RSA']);
    const dir = tmp();
    writeFileSync(join(dir, 'jwks.json'), one.stdout);
    const merged = await cli(['key', 'jwks', join(dir, 'jwks.json'), key('ed25519.pub.pem'), key('ec256.key.pem').replace('key.pem', 'pub.pem')]);
    expect(JSON.parse(merged.stdout).keys.map((k: { kty: string }) => k.kty)).toEqual(['EC', 'RSA', 'OKP']);
    expect(merged.stderr).toMatch(/^jwtkit: note: .*ec256\.pub\.pem is the same key as .*jwks\.json kid ".*": kept once\n$/);
    const dropped = await cli(['key', 'jwks', '--json', '--drop', set.keys[0].kid, join(dir, 'jwks.json')]);
    const body = JSON.parse(dropped.stdout);
    expect(body).toMatchObject({ format: 'jwks', private: false, keys: [{ kid: set.keys[1].kid }] });
    expect(body.key.keys).toHaveLength(1);
  });

  it('--private keeps private keys, loudly, and writes them 0600', async () => {
    const dir = tmp();
    const r = await cli(['key', 'jwks', '--private', '--out', join(dir, 'signer.jwks.json'), key('ec256.key.pem')]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/^jwtkit: warning: this JWKS holds PRIVATE keys \(--private\): keep it secret, never publish it\n/);
    expect(statSync(join(dir, 'signer.jwks.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, 'signer.jwks.json'), 'utf8')).keys[0].d).toEqual(expect.any(String));
  });
});

describe('gen --format jwk|jwks', () => {
  it('--format jwk prints one JSON value: the private JWK, kid = thumbprint', async () => {
    const r = await cli(['gen', '--alg', 'ES256', '--format', 'jwk']);
    expect(r.exitCode).toBe(0);
    const jwk = JSON.parse(r.stdout);
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', d: expect.any(String), alg: 'ES256', use: 'sig' });
    const thumbprint = (await cli(['key', 'thumbprint', '-'], { input: r.stdout })).stdout.trim();
    expect(jwk.kid).toBe(thumbprint);
  });

  it('--format jwks --out PREFIX writes PREFIX.key.json (0600) and PREFIX.jwks.json', async () => {
    const dir = tmp();
    const r = await cli(['gen', '--alg', 'EdDSA', '--format', 'jwks', '--out', join(dir, 'jwt')]);
    expect(r.exitCode).toBe(0);
    expect(statSync(join(dir, 'jwt.key.json')).mode & 0o777).toBe(0o600);
    const set = JSON.parse(readFileSync(join(dir, 'jwt.jwks.json'), 'utf8'));
    const priv = JSON.parse(readFileSync(join(dir, 'jwt.key.json'), 'utf8'));
    expect(set.keys).toHaveLength(1);
    expect(set.keys[0]).toMatchObject({ kty: 'OKP', kid: priv.kid });
    expect(set.keys[0].d).toBeUndefined();
    const token = (await cli(['sign', '--key', join(dir, 'jwt.key.json')])).stdout.trim();
    expect((await cli(['verify', '--jwks', join(dir, 'jwt.jwks.json'), token])).exitCode).toBe(0);
  });

  it('--format jwks without --out is a usage error', async () => {
    expect(expectOneLineError(await cli(['gen', '--alg', 'ES256', '--format', 'jwks']))).toMatch(/--format jwks makes two files.*Add --out PREFIX/);
  });

  // --help names the .json files of --out: tests/unit/cli-help.test.ts
});

describe('sign --key: the kid in the header', () => {
  it('a JWK\'s kid goes in the header; --kid overrides it; --kid thumbprint computes it', async () => {
    const jwkText = (await cli(['key', 'convert', '--to', 'jwk', key('rsa.key.pem')])).stdout;
    const dir = tmp();
    writeFileSync(join(dir, 'k.json'), JSON.stringify({ ...JSON.parse(jwkText), kid: 'from-the-jwk' }));
    const own = (await cli(['sign', '--key', join(dir, 'k.json')])).stdout.trim();
    expect(header(own)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'from-the-jwk' });
    const given = (await cli(['sign', '--key', join(dir, 'k.json'), '--kid', 'other'])).stdout.trim();
    expect(header(given).kid).toBe('other');
    const pem = (await cli(['sign', '--key', key('rsa.key.pem'), '--kid', 'thumbprint'])).stdout.trim();
    expect(header(pem).kid).toBe(JSON.parse(jwkText).kid);
    const plain = (await cli(['sign', '--key', key('rsa.key.pem')])).stdout.trim();
    expect(header(plain).kid).toBeUndefined();
  });

  it('a JWK-signed token verifies against a two-key JWKS (jose picks by kid)', async () => {
    const dir = tmp();
    await cli(['key', 'convert', '--to', 'jwk', '--out', join(dir, 'a.key.json'), key('rsa.key.pem')]);
    const jwks = (await cli(['key', 'jwks', key('rsa.pub.pem'), key('rsa-other.pub.pem')])).stdout;
    writeFileSync(join(dir, 'jwks.json'), jwks);
    const token = (await cli(['sign', '--key', join(dir, 'a.key.json')])).stdout.trim();
    const { createLocalJWKSet, jwtVerify } = await import('jose');
    const { protectedHeader } = await jwtVerify(token, createLocalJWKSet(JSON.parse(jwks)));
    expect(protectedHeader.kid).toBe(JSON.parse(jwks).keys[0].kid);
  });
});

describe('Google/Firebase certificate maps work wherever a JWKS does', () => {
  let server: TestServer;
  let dir: string;
  let token: string;
  let certmap: string;
  beforeEach((ctx) => requireTools(ctx, 'openssl'));
  beforeAll(async () => {
    dir = tmp();
    if (!hasTool('openssl')) return;
    const { execa } = await import('execa');
    await execa('openssl', ['req', '-new', '-x509', '-key', key('rsa.key.pem'), '-subj', '/CN=securetoken', '-days', '2', '-out', join(dir, 'c.pem')]);
    certmap = JSON.stringify({ 'other-kid': readFileSync(key('rsa.crt.pem'), 'utf8').replace(/^/, ''), 'fb-kid': readFileSync(join(dir, 'c.pem'), 'utf8') });
    writeFileSync(join(dir, 'certs.json'), certmap);
    token = (await cli(['sign', '--key', key('rsa.key.pem'), '--kid', 'fb-kid', '--sub', 'firebase-user'])).stdout.trim();
    server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(certmap);
    });
  });
  afterAll(() => server?.close());

  it('verify --jwks FILE and --jwks URL pick the certificate by kid', async () => {
    for (const source of [join(dir, 'certs.json'), `${server.base}/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com`]) {
      const r = await cli(['verify', '--json', '--jwks', source, token]);
      expect(r.exitCode).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, kid: 'fb-kid', key: `${source} kid fb-kid` });
    }
  });

  it('key inspect and key jwks read them', async () => {
    const r = await cli(['key', 'inspect', '--json', join(dir, 'certs.json')]);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((x) => [x.kid, x.form, x.certificate.subject])).toEqual([
      ['other-kid', 'certificate map', 'CN=jwtkit-test'],
      ['fb-kid', 'certificate map', 'CN=securetoken'],
    ]);
    const set = JSON.parse((await cli(['key', 'jwks', join(dir, 'certs.json')])).stdout);
    // the two certificates hold the same key: kept once, under the first kid
    expect(set.keys.map((k: { kid: string }) => k.kid)).toEqual(['other-kid']);
    expect(createPublicKey({ key: set.keys[0], format: 'jwk' }).export({ type: 'spki', format: 'pem' })).toBe(readFileSync(key('rsa.pub.pem'), 'utf8'));
  });
});

describe('completion of key verbs', () => {
  beforeEach((ctx) => requireTools(ctx, 'bash'));
  // The script made in-process (tests/e2e/cli.test.ts makes it through the binary); one bash
  // sources it and completes every line in turn (helpers/completion.ts).
  const bashComplete = async (lines: string[][]): Promise<string[][]> => complete((await cli(['completion', 'bash'])).stdout, lines);

  it('bash completes the verbs, their options and values', async () => {
    const cases: [string[], string[]][] = [
      [['jwtkit', 'key', ''], ['inspect', 'public', 'convert', 'thumbprint', 'jwks']],
      [['jwtkit', 'key', 'convert', '--to', ''], ['pem', 'jwk', 'jwks']],
      [['jwtkit', 'key', 'inspect', '--passphrase-'], ['--passphrase-env', '--passphrase-file']],
    ];
    const replies = await bashComplete(cases.map(([line]) => line));
    cases.forEach(([line, expected], i) => expect(replies[i], line.join(' ')).toEqual(expected));
  });
});
