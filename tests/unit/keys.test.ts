// Pure parts of key loading: what a key source contributes, what is refused, what is never shown.
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyAlgorithms, parseJwkJson, parseKeyText, verifySignature, type KeyMaterial } from '../../src/crypto.js';
import { displayUrl, isLoopbackHost, readTextFile } from '../../src/input.js';
import { parseTimeout } from '../../src/keys.js';
import { isJwtkitError } from '../../src/errors.js';
import { key } from '../helpers/fixtures.js';

const rsaJwk = () => {
  const privateKey = createPrivateKey(readFileSync(key('rsa.key.pem')));
  return { pub: createPublicKey(privateKey).export({ format: 'jwk' }), priv: privateKey.export({ format: 'jwk' }) };
};

describe('parseTimeout: a range, in milliseconds', () => {
  it.each([
    ['5s', 5000],
    ['0.4s', 400],
    ['0.1s', 100],
    ['100ms', 100],
    ['1m', 60_000],
    ['2m30s', 150_000],
    ['5m', 300_000],
    ['90', 90_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseTimeout(text)).toBe(ms);
  });

  it.each(['0s', '0', '0.4', '0.05s', '99ms', '5m1s', '6m', '1y', '25d', '49d', '1h', 'abc', '', '-1s', '1e3s'])('%s is refused with the range', (text) => {
    let caught: unknown;
    try {
      parseTimeout(text);
    } catch (err) {
      caught = err;
    }
    expect(isJwtkitError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/--timeout/);
    expect(`${(caught as Error).message} ${(caught as { hint?: string }).hint}`).toMatch(/0\.1s.*5m/);
  });
});

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', '127.255.255.254', 'localhost', '[::1]', '::1', '[::ffff:7f00:1]'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(['128.0.0.1', '127.0.0.1.nip.io', 'localhost.evil.example', 'evil-localhost', '[::2]', '0.0.0.0', 'example.com', '10.0.0.1', '[::ffff:a00:1]'])(
    '%s is not',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});

describe('displayUrl never shows credentials', () => {
  it.each([
    ['http://user:hunter2@127.0.0.1:8080/jwks.json', 'http://***@127.0.0.1:8080/jwks.json'],
    ['https://ghp_TOKEN123@example.com/keys', 'https://***@example.com/keys'],
    ['https://:pw@example.com/', 'https://***@example.com/'],
    ['https://example.com/a/b?x=1', 'https://example.com/a/b?x=1'],
  ])('%s → %s', (url, shown) => {
    expect(displayUrl(url)).toBe(shown);
    expect(displayUrl(new URL(url))).toBe(shown);
  });
});

// Which values are shown in a message and which by their length only: tests/unit/shown.test.ts.

describe('a key file that cannot be read', () => {
  const message = (path: string) => {
    try {
      readTextFile(path, 'key file', { env: {} });
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error(`${path} was read`);
  };
  it('a short word that names no file is a missing file, named', () => {
    expect(message('nope')).toBe('cannot read key file nope: no such file');
    expect(message('key')).toBe('cannot read key file key: no such file');
    expect(message('x')).toBe('cannot read key file x: no such file');
  });
  it('a long random-looking value is a secret: its length only (and "1-character", never "1 characters")', () => {
    const secret = 'q3pcm0Rnl0n8S7rQv7Zz1oGmBQ1+YlT1YgkqlQ2y0m8';
    expect(message(secret)).toBe(
      'cannot read the key file: no such file; what was given as its path (a 43-character value, not shown) looks like a secret value, not a path',
    );
    expect(message('Tr0ub4dor&3-ProdSecret!!')).not.toContain('Tr0ub4dor');
  });
});

describe('parseJwkJson: a remote set gives public keys only', () => {
  it('drops an oct key and a key with private members, each with a warning naming its kid', () => {
    const { pub, priv } = rsaJwk();
    const warnings: string[] = [];
    const keys = parseJwkJson(
      { keys: [{ kty: 'oct', k: 'c2VjcmV0c2VjcmV0', kid: 'hmac-1' }, { ...priv, kid: 'leaked-private' }, { ...pub, kid: 'good' }] },
      'https://example.com/jwks',
      { remote: true, warnings },
    );
    expect(keys.map((k) => k.kid)).toEqual(['good']);
    expect(keys[0]!.privateKey).toBeUndefined();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/hmac-1.*secret \(oct\) key.*refused/);
    expect(warnings[1]).toMatch(/leaked-private.*private.*refused/);
  });

  it('a remote set of only refused keys is an error that says why', () => {
    expect(() => parseJwkJson({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'h' }] }, 'https://example.com/jwks', { remote: true, warnings: [] })).toThrow(
      /no usable public signing key.*secret \(oct\)/,
    );
  });

  it('a local set keeps oct and private keys', () => {
    const { priv } = rsaJwk();
    const keys = parseJwkJson({ keys: [{ kty: 'oct', k: 'c2VjcmV0c2VjcmV0', kid: 'hmac-1' }, { ...priv, kid: 'p' }] }, 'keys.json');
    expect(keys.map((k) => k.kid)).toEqual(['hmac-1', 'p']);
  });

  it('a set of only encryption keys says so', () => {
    const { pub } = rsaJwk();
    expect(() => parseJwkJson({ keys: [{ ...pub, use: 'enc', kid: 'e1' }, { ...pub, use: 'enc', kid: 'e2' }] }, 'keys.json')).toThrow(
      /2 keys.*all for encryption \(use "enc"\)/,
    );
    expect(() => parseJwkJson({ ...pub, use: 'enc' }, 'key.json')).toThrow(/encryption key \(use "enc"\)/);
  });
});

describe('parseKeyText: a certificate bundle', () => {
  const leaf = readFileSync(key('rsa.crt.pem'), 'utf8');
  it('only the first certificate becomes a key, with a note', () => {
    const notes: string[] = [];
    // The same certificate twice stands for leaf + CA: only #1 may be a key.
    const keys = parseKeyText(`${leaf}\n${leaf}\n${leaf}`, 'fullchain.pem', notes);
    expect(keys).toHaveLength(1);
    expect(keys[0]!.publicKey!.equals(new X509Certificate(leaf).publicKey)).toBe(true);
    expect(notes).toEqual([expect.stringMatching(/fullchain\.pem holds 3 certificates.*only the first.*verif/)]);
  });
});

describe('RSA-PSS keys restricted to one hash', () => {
  const restrictedKey = createPrivateKey(readFileSync(key('rsa-pss-sha512.key.pem'))); // openssl's, SHA-512 only (fixtures/make-fixtures.sh)
  const pss512: KeyMaterial = { label: 'pss512', publicKey: createPublicKey(restrictedKey), privateKey: restrictedKey };

  it('verify only their own algorithm', () => {
    expect(keyAlgorithms(pss512)).toEqual(['PS512']);
    const open = createPublicKey(readFileSync(key('rsa-pss.key.pem'))); // an RSA-PSS key without parameters
    expect(keyAlgorithms({ label: 'pss', publicKey: open })).toEqual(['PS256', 'PS384', 'PS512']);
  });

  it('a signature check that throws is a failed check, not a crash', () => {
    expect(verifySignature('PS256', 'e30.e30', 'AAAA', pss512)).toBe(false);
    expect(verifySignature('PS384', 'e30.e30', 'A'.repeat(342), pss512)).toBe(false);
  });
});
