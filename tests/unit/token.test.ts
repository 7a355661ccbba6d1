import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeToken, pickClaim } from '../../src/commands/decode.js';
import { renderDecodedJson } from '../../src/render.js';
import { base64urlEncode } from '../../src/crypto.js';
import { JwtkitError } from '../../src/errors.js';
import { streamLineBatches } from '../../src/input.js';
import { cleanTokenText, findTokens, parseToken } from '../../src/token.js';
import { DURING, IAT, JWE, TOKENS } from '../helpers/fixtures.js';

const T = TOKENS.HS256!;
const enc = (value: unknown) => base64urlEncode(typeof value === 'string' ? value : JSON.stringify(value));
const make = (header: unknown, payload: unknown, sig = 'c2ln') => `${enc(header)}.${enc(payload)}.${sig}`;

describe('cleanTokenText', () => {
  it.each([
    [`  ${T}\n`, T],
    [`${T}\r\n`, T],
    [`\uFEFF${T}`, T],
    [`"${T}"`, T],
    [`'${T}'`, T],
    [`Bearer ${T}`, T],
    [`bearer   ${T}`, T],
    [`BEARER ${T}`, T],
    [`Authorization: Bearer ${T}`, T],
    [`authorization:bearer ${T}`, T],
    [`"Bearer ${T}"`, T],
    [`"${T}'`, `"${T}'`],
  ])('%#', (input, expected) => expect(cleanTokenText(input)).toBe(expected));
});

describe('parseToken', () => {
  it('reads a PyJWT token', () => {
    const t = parseToken(T);
    expect(t.kind).toBe('jws');
    expect(t.header).toEqual({ alg: 'HS256', kid: 'test-hs256', typ: 'JWT' });
    if (t.kind === 'jws') expect(t.payload).toMatchObject({ sub: 'user-42', exp: IAT + 900 });
  });

  it('recognises a JWE from the jose C tool without decoding its payload', () => {
    const t = parseToken(JWE);
    expect(t).toMatchObject({ kind: 'jwe', header: { alg: 'A128KW', enc: 'A128CBC-HS256' } });
  });

  it.each([
    ['', /the token is empty/],
    ['abc', /1 part separated by dots; a JWT has 3 \(signed\) or 5 \(encrypted\)/],
    ['a.b', /2 parts/],
    ['a.b.c.d', /4 parts/],
    [`.${enc({})}.x`, /header is empty/],
    [`${enc({ alg: 'HS256' })}..x`, /payload is empty/],
    [`e30=.${enc({})}.x`, /header is not valid base64url/],
    [`ey+/.${enc({})}.x`, /header is not valid base64url/],
    [`${enc('{"alg":')}.${enc({})}.x`, /header is not valid JSON: Unexpected end of JSON input/],
    [`${enc({ alg: 'HS256' })}.${enc('not json')}.x`, /payload is not valid JSON/],
    [`${enc({ alg: 'HS256' })}.${enc('[1,2]')}.x`, /payload is not a JSON object \(it is an array\)/],
    [`${enc('"HS256"')}.${enc({})}.x`, /header is not a JSON object \(it is a string\)/],
    [`${enc({ alg: 'HS256' })}.${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.x`, /payload is not valid UTF-8/],
    [`${enc({ alg: 'HS256' })}.${enc({})}.sig+nature`, /signature is not valid base64url/],
  ])('%j → %s', (raw, message) => {
    expect(() => parseToken(raw)).toThrow(expect.objectContaining({ code: 'malformed' }));
    expect(() => parseToken(raw)).toThrow(message);
  });

  it('never echoes the JSON text in an error', () => {
    try {
      parseToken(`${enc({ alg: 'HS256' })}.${enc('{"password":"hunter2", oops}')}.x`);
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });

  it('random text gives a token or a clean malformed error, never anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        try {
          parseToken(cleanTokenText(text));
        } catch (err) {
          expect(err).toMatchObject({ code: 'malformed' });
          expect((err as JwtkitError).exitCode).toBe(2);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated real tokens give a token or a clean malformed error', () => {
    const alphabet = 'ABCxyz019-_.+/=" \n{}';
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(TOKENS), JWE),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...alphabet), fc.constantFrom('replace', 'insert', 'delete')), { minLength: 1, maxLength: 4 }),
        (token, edits) => {
          let t = token;
          for (const [pos, ch, op] of edits) {
            const i = pos % (t.length + 1);
            t = op === 'replace' ? t.slice(0, i) + ch + t.slice(i + 1) : op === 'insert' ? t.slice(0, i) + ch + t.slice(i) : t.slice(0, i) + t.slice(i + 1);
          }
          try {
            const d = decodeToken(cleanTokenText(t), DURING);
            JSON.parse(renderDecodedJson(d));
          } catch (err) {
            expect(err).toMatchObject({ code: 'malformed' });
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('random bytes as base64url parts give a clean result', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (h, p) => {
        const raw = `${Buffer.from(h).toString('base64url')}.${Buffer.from(p).toString('base64url')}.c2ln`;
        try {
          decodeToken(raw, DURING);
        } catch (err) {
          expect(err).toMatchObject({ code: 'malformed' });
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('decodeToken', () => {
  it.each([
    [IAT + 300, 'active', 'in 10m'],
    [IAT + 900, 'expired', 'now'],
    [IAT + 900 + 3 * 3600 + 120, 'expired', '3h 2m ago'],
  ])('at %i the status is %s (exp %s)', (now, status, relative) => {
    const d = decodeToken(T, now);
    expect(d.report?.status).toBe(status);
    expect(d.report?.times.exp).toEqual({ value: IAT + 900, iso: '2026-11-18T11:21:40Z', relative });
  });

  it('not yet valid before nbf; no expiry without exp', () => {
    expect(decodeToken(TOKENS.HS256_nbf_future!, IAT + 100).report?.status).toBe('not_yet_valid');
    expect(decodeToken(TOKENS.HS256_no_exp!, IAT).report?.status).toBe('no_expiry');
  });

  it('lifetime and how much of it is used', () => {
    expect(decodeToken(T, IAT + 450).report?.lifetime).toEqual({ seconds: 900, used: 0.5 });
  });

  const codes = (token: string, now = DURING) => decodeToken(token, now).warnings.map((w) => w.code);

  it.each([
    ['HS256', []],
    ['none', ['alg_none']],
    ['HS256_no_exp', ['no_exp']],
    ['HS256_long', ['long_lifetime']],
    ['HS256_headers', ['key_in_header', 'suspicious_kid', 'unusual_typ']],
  ])('%s warns %j', (name, expected) => expect(codes(TOKENS[name]!)).toEqual(expected));

  it.each([
    [{ alg: 'NoNe' }, { exp: IAT + 60 }, 'alg_none'],
    [{ typ: 'JWT' }, { exp: IAT + 60 }, 'no_alg'],
    [{ alg: 'HS256', kid: "1' OR '1'='1" }, { exp: IAT + 60 }, 'suspicious_kid'],
    [{ alg: 'HS256', x5u: 'https://x' }, { exp: IAT + 60 }, 'key_in_header'],
    [{ alg: 'HS256', jwk: {} }, { exp: IAT + 60 }, 'key_in_header'],
    [{ alg: 'HS256' }, { exp: IAT + 60, iat: IAT + 3600 }, 'iat_future'],
    [{ alg: 'HS256' }, { exp: '2026-11-18' }, 'invalid_time'],
    [{ alg: 'HS256' }, { exp: (IAT + 60) * 1000 }, 'time_in_ms'],
  ])('%j %j warns %s', (header, payload, code) => {
    expect(codes(make(header, payload), IAT)).toContain(code);
  });

  it('accepts at+jwt and application/jwt as typ', () => {
    expect(codes(make({ alg: 'HS256', typ: 'at+jwt' }, { exp: IAT + 60 }), IAT)).toEqual([]);
    expect(codes(make({ alg: 'HS256', typ: 'application/jwt' }, { exp: IAT + 60 }), IAT)).toEqual([]);
  });

  it('the JSON line has the contract shape', () => {
    const json = JSON.parse(renderDecodedJson(decodeToken(T, DURING)));
    expect(Object.keys(json)).toEqual(['header', 'payload', 'signature', 'verified', 'status', 'times', 'warnings']);
    expect(json).toMatchObject({ verified: false, status: 'active', signature: T.split('.')[2] });
    expect(json.times.iat).toEqual({ value: IAT, iso: '2026-11-18T11:06:40Z', relative: '5m ago' });
  });

  it('a pretty-printed payload still gives one JSON line', () => {
    const line = renderDecodedJson(decodeToken(make({ alg: 'HS256' }, '{\n  "sub": "x"\n}'), IAT));
    expect(line.trimEnd()).not.toContain('\n');
    expect(JSON.parse(line).payload).toEqual({ sub: 'x' });
  });

  it('a JWE: encrypted, no payload', () => {
    const json = JSON.parse(renderDecodedJson(decodeToken(JWE, DURING)));
    expect(json).toMatchObject({ encrypted: true, payload: null, header: { alg: 'A128KW' } });
  });

  it.each([
    ['sub', { found: true, value: 'user-42' }],
    ['roles', { found: true, value: ['admin', 'dev'] }],
    ['missing', { found: false }],
  ])('pickClaim %s', (name, expected) => {
    const d = decodeToken(T, DURING);
    expect(pickClaim(d.payload!, name)).toEqual(expected);
  });

  it('pickClaim follows a dotted path', () => {
    expect(pickClaim({ realm_access: { roles: ['a'] } }, 'realm_access.roles')).toEqual({ found: true, value: ['a'] });
    expect(pickClaim({ 'a.b': 1 }, 'a.b')).toEqual({ found: true, value: 1 });
  });
});

describe('findTokens', () => {
  it('finds JWS and JWE tokens in a curl -v log, in order, and nothing else', () => {
    const log = [
      '> GET /api HTTP/1.1',
      `> Authorization: Bearer ${T}`,
      `< set-cookie: session=${TOKENS.ES256}; Path=/; HttpOnly`,
      `{"id_token":"${TOKENS.RS256}","enc":"${JWE}"}`,
      'www.example.com a.b.c 1.2.3 eyJnotatoken',
    ].join('\n');
    expect(findTokens(log)).toEqual([T, TOKENS.ES256, TOKENS.RS256, JWE]);
  });

  it('finds an unsigned token ending in a dot', () => {
    expect(findTokens(`token=${TOKENS.none}&x=1`)).toEqual([TOKENS.none]);
  });
});

describe('streamLineBatches', () => {
  async function* chunks(parts: string[]) {
    for (const p of parts) yield p;
  }
  const collect = async (parts: string[], max?: number) => {
    const out: unknown[] = [];
    for await (const batch of streamLineBatches(chunks(parts), max)) out.push(...batch);
    return out;
  };

  it('splits LF and CRLF lines across chunk boundaries', async () => {
    expect(await collect(['a\r', '\nb', 'c\n', '\nd'])).toEqual(['a', 'bc', '', 'd']);
  });

  it('reports an overlong line without keeping it', async () => {
    expect(await collect(['x'.repeat(10), 'y'.repeat(10), '\nok\n'], 15)).toEqual([{ overlong: 20 }, 'ok']);
    expect(await collect(['x'.repeat(30)], 15)).toEqual([{ overlong: 30 }]);
  });

  it('any chunking gives the same lines as a plain split', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.array(fc.nat(), { maxLength: 10 }), async (text, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const parts: string[] = [];
        let last = 0;
        for (const p of points) {
          parts.push(text.slice(last, p));
          last = p;
        }
        parts.push(text.slice(last));
        const expected = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
        if (expected[expected.length - 1] === '') expected.pop();
        expect(await collect(parts)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
