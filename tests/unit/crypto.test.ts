import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  ASYMMETRIC_ALGS,
  encodeBytes,
  exportJwk,
  exportPem,
  generateKeyPair,
  jwkThumbprint,
  randomSecret,
  type KeyPair,
} from '../../src/crypto.js';
import type { AsymmetricAlg } from '../../src/algs.js';
import { key } from '../helpers/fixtures.js';

describe('randomSecret', () => {
  it('returns the asked number of bytes, different every time', () => {
    const a = randomSecret(32);
    const b = randomSecret(32);
    expect(a).toHaveLength(32);
    expect(a.equals(b)).toBe(false);
  });

  it.each([
    ['base64', 32, 44],
    ['base64', 64, 88],
    ['base64url', 32, 43],
    ['hex', 32, 64],
    ['hex', 48, 96],
  ] as const)('%s of %i bytes is %i characters', (encoding, bytes, chars) => {
    expect(encodeBytes(randomSecret(bytes), encoding)).toHaveLength(chars);
  });
});

describe('key pairs', () => {
  // One generated pair per algorithm, shared by the tests below that look at a pair of that
  // algorithm (an RSA key costs ~0.25 s of CPU to make); each test still checks a pair that
  // generateKeyPair made for its algorithm.
  const pairs = new Map<AsymmetricAlg, KeyPair>();
  const pairFor = (alg: AsymmetricAlg): KeyPair => {
    let pair = pairs.get(alg);
    if (!pair) pairs.set(alg, (pair = generateKeyPair(alg)));
    return pair;
  };

  // One RSA key for RS* and one for PS*: every RS and PS algorithm takes the same branch (the test
  // after the next proves that, for free), and each RSA key costs ~0.25-0.6 s of CPU to make.
  const PAIR_ALGS = ['RS256', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

  it.each(PAIR_ALGS)('%s: PKCS#8 private and SPKI public PEM that belong together', (alg) => {
    const pair = pairFor(alg);
    const pem = exportPem(pair);
    expect(pem.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/);
    expect(pem.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    const derived = createPublicKey(pem.privateKey).export({ type: 'spki', format: 'pem' });
    expect(derived).toBe(pem.publicKey);
  });

  it.each([
    ['RS256', 'rsa', { modulusLength: 2048 }],
    ['PS512', 'rsa', { modulusLength: 2048 }],
    ['ES256', 'ec', { namedCurve: 'prime256v1' }],
    ['ES384', 'ec', { namedCurve: 'secp384r1' }],
    ['ES512', 'ec', { namedCurve: 'secp521r1' }],
    ['EdDSA', 'ed25519', {}],
  ] as const)('%s makes a %s key', (alg, type, details) => {
    const pair = pairFor(alg);
    expect(pair.publicKey.asymmetricKeyType).toBe(type);
    expect(pair.publicKey.asymmetricKeyDetails).toMatchObject(details);
  });

  it('every RS and PS algorithm makes RSA keys: each takes the RSA branch (its modulus check)', () => {
    const rsa = ASYMMETRIC_ALGS.filter((alg) => /^(RS|PS)/.test(alg));
    expect(rsa).toEqual(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);
    for (const alg of rsa) expect(() => generateKeyPair(alg, { modulusLength: 1024 }), alg).toThrow(/--modulus-length must be a multiple of 8 from 2048/);
    for (const alg of ASYMMETRIC_ALGS.filter((a) => !rsa.includes(a))) expect(PAIR_ALGS, alg).toContain(alg);
  });

  it('honours a larger RSA modulus and refuses a short one', () => {
    // 2056, not 3072: any size above the default shows the option reaches the generator, at the default's cost
    expect(generateKeyPair('RS256', { modulusLength: 2056 }).publicKey.asymmetricKeyDetails?.modulusLength).toBe(2056);
    expect(() => generateKeyPair('RS256', { modulusLength: 1024 })).toThrow(/2048/);
  });

  it.each(['RS256', 'ES384', 'EdDSA'] as const)('%s JWK carries kid = RFC 7638 thumbprint, same as jose computes', async (alg) => {
    const jwk = exportJwk(pairFor(alg));
    expect(jwk.publicKey.kid).toBe(jwk.kid);
    expect(jwk.privateKey.kid).toBe(jwk.kid);
    expect(jwk.publicKey).not.toHaveProperty('d');
    expect(jwk.privateKey).toHaveProperty('d');
    expect(jwk.kid).toBe(await calculateJwkThumbprint(jwk.publicKey as Parameters<typeof calculateJwkThumbprint>[0]));
  });

  it('matches the RFC 8037 §A.3 Ed25519 thumbprint', () => {
    const jwk = { crv: 'Ed25519', kty: 'OKP', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
    expect(jwkThumbprint(jwk)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });
});

describe('signatureCheck', () => {
  it("agrees with verifySignature for every algorithm, secrets around the hash's block size and an RSA key", async () => {
    const { createHmac, sign } = await import('node:crypto');
    const { JWS_ALGS, signatureCheck, verifySignature, secretKeyMaterial } = await import('../../src/crypto.js');
    const input = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0';
    const rsaPrivate = createPrivateKey(readFileSync(key('rsa.key.pem'))); // a committed key: making one costs ~0.25 s
    const rsa = { privateKey: rsaPrivate, publicKey: createPublicKey(rsaPrivate) };
    const keys = [1, 32, 64, 65, 128, 129].map((n) => secretKeyMaterial(`s${n}`, Buffer.alloc(n, n)));
    keys.push({ label: 'rsa', publicKey: rsa.publicKey });
    const signatures = [
      ...keys.filter((k) => k.secret).flatMap((k) => ['sha256', 'sha384', 'sha512'].map((h) => createHmac(h, k.secret!.export()).update(input).digest('base64url'))),
      sign('sha256', Buffer.from(input), rsa.privateKey).toString('base64url'),
      'AAAA',
    ];
    let valid = 0;
    for (const key of keys) {
      const check = signatureCheck(key);
      for (const alg of JWS_ALGS) {
        for (const signature of signatures) {
          const expected = verifySignature(alg, input, signature, key);
          if (expected && key.secret) valid++;
          expect(check(alg, input, signature), `${key.label} ${alg}`).toBe(expected);
        }
      }
    }
    expect(valid).toBe(6 * 3); // each secret's own three HMACs
  });
});

describe('hmacBase64url', () => {
  // Differential: createHmac is the reference; the one-shot path must give the same text for
  // every algorithm, key length (around each block size, and longer keys that are hashed first)
  // and message: empty, ASCII, non-ASCII, lone surrogates, control characters, Buffers, and
  // messages on either side of HMAC_BUFFERED_CHARS (which take createHmac itself).
  it('equals createHmac for every HMAC algorithm, key length and message', async () => {
    const { createHmac } = await import('node:crypto');
    const { HMAC_ALGS, HMAC_BUFFERED_CHARS, hmacBase64url } = await import('../../src/crypto.js');
    const { HMAC } = await import('../../src/algs.js');
    const messages: (string | Buffer)[] = [
      '',
      'a',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0',
      'é€😀 日本',
      '\ud800 lone \udfff surrogates \udc00\ud800',
      '\u0000\u0001\u001b[31m\r\n\u007f\u0085',
      'x'.repeat(55),
      'x'.repeat(56),
      'x'.repeat(64),
      'x'.repeat(119),
      'x'.repeat(128),
      '€'.repeat(HMAC_BUFFERED_CHARS),
      '😀'.repeat(HMAC_BUFFERED_CHARS / 2),
      'y'.repeat(HMAC_BUFFERED_CHARS + 1),
      'z'.repeat(100_000),
      Buffer.from([0, 255, 128, 10]),
      Buffer.alloc(0),
    ];
    for (let n = 0; n < 300; n += 7) messages.push('m'.repeat(n) + String.fromCharCode(n * 37));
    for (const alg of HMAC_ALGS) {
      const { hash, block } = HMAC[alg];
      for (const length of [0, 1, 31, 32, block - 1, block, block + 1, 2 * block, 1000]) {
        const key = Buffer.from(Array.from({ length }, (_, i) => (i * 131 + length) & 0xff));
        const mac = hmacBase64url(alg, key);
        // twice over: the same lengths again take the remembered views
        for (const message of [...messages, ...messages]) {
          expect(mac(message), `${alg}, ${length}-byte key, ${String(message).length}-character message`).toBe(createHmac(hash, key).update(message).digest('base64url'));
        }
      }
    }
  });

  it('does not keep a message between calls: a shorter one after a longer one', async () => {
    const { createHmac } = await import('node:crypto');
    const { hmacBase64url } = await import('../../src/crypto.js');
    const key = Buffer.from('k');
    const mac = hmacBase64url('HS256', key);
    for (const message of ['long message text', 'short', 'long message text', '']) {
      expect(mac(message)).toBe(createHmac('sha256', key).update(message).digest('base64url'));
    }
  });
});

describe('constantTimeEqual', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'ab', false],
    ['', '', true],
    ['VvHVCe5wwqgzyoSa3SHiHJvaR5kNftAhzaUi3OnUsCU', 'VvHVCe5wwqgzyoSa3SHiHJvaR5kNftAhzaUi3OnUsCV', false],
  ])('%j vs %j → %s', async (a, b, equal) => {
    const { constantTimeEqual } = await import('../../src/crypto.js');
    expect(constantTimeEqual(a, b)).toBe(equal);
  });
});
