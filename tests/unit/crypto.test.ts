import { createPublicKey } from 'node:crypto';
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
} from '../../src/crypto.js';

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
  it.each(ASYMMETRIC_ALGS)('%s: PKCS#8 private and SPKI public PEM that belong together', (alg) => {
    const pair = generateKeyPair(alg);
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
    const pair = generateKeyPair(alg);
    expect(pair.publicKey.asymmetricKeyType).toBe(type);
    expect(pair.publicKey.asymmetricKeyDetails).toMatchObject(details);
  });

  it('honours a larger RSA modulus and refuses a short one', () => {
    expect(generateKeyPair('RS256', { modulusLength: 3072 }).publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(() => generateKeyPair('RS256', { modulusLength: 1024 })).toThrow(/2048/);
  });

  it.each(['RS256', 'ES384', 'EdDSA'] as const)('%s JWK carries kid = RFC 7638 thumbprint, same as jose computes', async (alg) => {
    const jwk = exportJwk(generateKeyPair(alg));
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
