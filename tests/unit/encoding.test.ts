import { describe, expect, it } from 'vitest';
import { base64urlDecode, base64urlDecodeText, base64urlEncode, decodeCanonical } from '../../src/encoding.js';

describe('base64url', () => {
  it.each([
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['{"alg":"HS256"}', 'eyJhbGciOiJIUzI1NiJ9'],
  ])('round-trips %j', (text, encoded) => {
    expect(base64urlEncode(text)).toBe(encoded);
    expect(base64urlDecode(encoded)?.toString('utf8')).toBe(text);
  });

  it.each([
    ['padding', 'Zg=='],
    ['standard alphabet', 'ab+/'],
    ['whitespace', 'Zm9 v'],
    ['impossible length', 'Zm9vY'],
    ['non-canonical trailing bits', 'Zh'],
  ])('refuses %s', (_why, text) => {
    expect(base64urlDecode(text)).toBeNull();
  });
});

describe('base64urlDecodeText', () => {
  it('decodes canonical base64url to text; says which check failed otherwise', () => {
    expect(base64urlDecodeText('eyJhbGciOiJIUzI1NiJ9')).toBe('{"alg":"HS256"}');
    expect(base64urlDecodeText('Zg==')).toBe('not-base64url');
    expect(base64urlDecodeText('Zh')).toBe('not-base64url');
    expect(base64urlDecodeText(Buffer.from([0xff, 0xfe]).toString('base64url'))).toBe('not-utf8');
    // A text larger than the scratch buffer, then a small one: no bytes of the first remain.
    const big = 'x'.repeat(40_000);
    expect(base64urlDecodeText(base64urlEncode(big))).toBe(big);
    expect(base64urlDecodeText('Zm9v')).toBe('foo');
  });
});

describe('decodeCanonical', () => {
  it.each([
    ['hex', 'deadBEEF', 'deadbeef'],
    ['hex', '', ''],
    ['base64', 'Zm9vYg==', '666f6f62'],
    ['base64', 'Zm9vYg', '666f6f62'],
    ['base64', '+/8=', 'fbff'],
    ['base64url', 'Zm9vYg', '666f6f62'],
    ['base64url', '-_8', 'fbff'],
  ] as const)('%s %j → %s', (encoding, text, hex) => {
    expect(decodeCanonical(text, encoding)?.toString('hex')).toBe(hex);
  });

  it.each([
    ['hex', 'abc'], // odd length
    ['hex', 'zz'],
    ['hex', 'ab cd'],
    ['base64', 'Zm9vYg='], // padding on a partial group
    ['base64', 'Zh=='], // non-canonical trailing bits
    ['base64', 'Zm9v\n'],
    ['base64', '-_8='], // base64url's alphabet
    ['base64url', 'Zm9vYg=='], // base64url has no padding
    ['base64url', '+/8'],
    ['base64url', 'Zh'],
  ] as const)('%s refuses %j', (encoding, text) => {
    expect(decodeCanonical(text, encoding)).toBeNull();
  });
});
