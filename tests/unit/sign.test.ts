import { describe, expect, it } from 'vitest';
import { mint, parsePayload } from '../../src/commands/sign.js';

const NOW = 1_795_000_000;
const base = { payload: {}, claims: [] as string[], headers: [] as string[], now: NOW };

describe('mint', () => {
  it('keeps exp and iat given with --claim instead of replacing them with the defaults', () => {
    const { payload } = mint({ ...base, claims: ['exp=1795000600', 'iat=1794999000'] }, 'HS256');
    expect(payload.exp).toBe(1_795_000_600);
    expect(payload.iat).toBe(1_794_999_000);
  });

  it('the default expiry counts from an iat given with --claim', () => {
    const { payload } = mint({ ...base, claims: ['iat=1794999000'] }, 'HS256');
    expect(payload.exp).toBe(1_794_999_000 + 900);
  });

  it('--claim __proto__=… is a claim like any other, never dropped', () => {
    const { payload } = mint({ ...base, claims: ['__proto__={"admin":true}', 'constructor=1'] }, 'HS256');
    expect(JSON.parse(JSON.stringify(payload))).toMatchObject({ __proto__: { admin: true }, constructor: 1 });
    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
    expect(JSON.stringify(payload)).toContain('"__proto__":{"admin":true}');
  });

  it('--header __proto__=… is kept as a header member', () => {
    const { header } = mint({ ...base, headers: ['__proto__="x"'] }, 'HS256');
    expect(JSON.stringify(header)).toContain('"__proto__":"x"');
  });

  it('an --exp beyond the calendar is refused, never minted as null', () => {
    expect(() => mint({ ...base, exp: '999999999y' }, 'HS256')).toThrow(/beyond the year 9999/);
  });
});

describe('parsePayload', () => {
  it('never quotes the payload in its error (it may be a secret pasted in the wrong place)', () => {
    for (const text of ['q3pcm0Rnl0n8S7rQv7Zz1oGmBQ1+YlT1YgkqlQ2y0m8=', 'hunter2hunter2hunter2', 'sekrit']) {
      try {
        parsePayload(text);
        expect.unreachable();
      } catch (err) {
        const message = (err as Error).message;
        expect(message).toMatch(/the payload is not valid JSON/);
        expect(message).not.toContain(text.slice(0, 4));
        expect(message).not.toContain(text.slice(1, 10));
      }
    }
  });
});

describe('nesting too deep (issue 11: exit 70 must never come from input)', () => {
  const deep = (n: number) => `{"a":${'['.repeat(n)}${']'.repeat(n)}}`;

  it('a payload nested 20,000 deep is a usage error, not a stack overflow', () => {
    expect(() => parsePayload(deep(20_000))).toThrow(expect.objectContaining({ code: 'usage', message: 'the payload is nested too deep (more than 128 levels)' }));
    expect(parsePayload(deep(50))).toHaveProperty('a');
  });

  it('so is a --claim or --header value', () => {
    expect(() => mint({ ...base, claims: [`x=${deep(20_000)}`] }, 'HS256')).toThrow(expect.objectContaining({ code: 'usage', message: '--claim "x" is nested too deep (more than 128 levels)' }));
    expect(() => mint({ ...base, headers: [`x=${deep(20_000)}`] }, 'HS256')).toThrow(expect.objectContaining({ code: 'usage', message: '--header "x" is nested too deep (more than 128 levels)' }));
  });
});

describe('chooseAlg: an --alg jwtkit does not sign with', () => {
  it('names what the key signs, or that it signs none of them (secp256k1 and ES256K)', async () => {
    const { chooseAlg } = await import('../../src/commands/sign.js');
    const { parseKeyText } = await import('../../src/crypto.js');
    const { generateKeyPairSync } = await import('node:crypto');
    const pem = (curve: string) => generateKeyPairSync('ec', { namedCurve: curve }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const k1 = parseKeyText(pem('secp256k1'), 'k1.pem')[0]!;
    expect(() => chooseAlg('ES256K', k1)).toThrow('--alg "ES256K" is not a JWS algorithm jwtkit signs with');
    try {
      chooseAlg('ES256K', k1);
    } catch (err) {
      expect((err as { hint?: string }).hint).toMatch(/^k1\.pem is an EC secp256k1 key, which signs none of them \(HS256, /);
    }
    const p256 = parseKeyText(pem('prime256v1'), 'p256.pem')[0]!;
    expect(() => chooseAlg('ES256K', p256)).toThrow(expect.objectContaining({ hint: 'this key signs ES256' }));
  });
});
