import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeToken, pickClaim } from '../../src/commands/decode.js';
import { renderDecodedJson } from '../../src/render.js';
import { base64urlEncode } from '../../src/crypto.js';
import { JwtkitError } from '../../src/errors.js';
import { streamLineBatches } from '../../src/input.js';
import { NO_DUPLICATES, attachPayload, cleanTokenText, createTokenParser, embeddedToken, findTokens, parseToken, payloadShape, readFlatObject, scanJson, type ParsedJws } from '../../src/token.js';
import { DURING, IAT, JWE, TOKENS } from '../helpers/fixtures.js';
import { runs } from '../helpers/tools.js';

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
    if (t.kind === 'jws') expect(t.header).toEqual({ alg: 'HS256', kid: 'test-hs256', typ: 'JWT' });
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
    [`e30=.${enc({})}.x`, /header is not valid base64url/],
    [`ey+/.${enc({})}.x`, /header is not valid base64url/],
    [`${enc('{"alg":')}.${enc({})}.x`, /header is not valid JSON: it ends too early/],
    [`${enc('"HS256"')}.${enc({})}.x`, /header is not a JSON object \(it is a string\)/],
    [`${enc({ alg: 'HS256' })}.${enc({})}.sig+nature`, /signature is not valid base64url/],
    [`${enc({ alg: 'HS256' })}.e30=.AA`, /payload is not valid base64url/],
    [`${enc({ alg: 'HS256' })}.${enc(`{"a":${'['.repeat(200)}`)}.AA`, /payload is nested too deep/],
  ])('%j → %s', (raw, message) => {
    expect(() => parseToken(raw)).toThrow(expect.objectContaining({ code: 'malformed' }));
    expect(() => parseToken(raw)).toThrow(message);
  });

  it('never echoes the JSON text in an error', () => {
    try {
      parseToken(`${enc('{"password":"hunter2", oops}')}.${enc({})}.x`);
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
      { numRuns: runs(300, 2000) },
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
      { numRuns: runs(400, 3000) },
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
      { numRuns: runs(300, 2000) },
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

  // The same rule as audit's kid_injection (src/token-rules.ts): a '/' inside a kid (a URL, a
  // cloud KMS key name) is no warning on its own; a path, a quote or a control character is.
  it.each([
    ['https://example.com/keys/1', false],
    ['projects/p/locations/global/keyRings/r/cryptoKeys/k', false],
    ['/dev/null', true],
    ['file:///etc/passwd', true],
    ['keys\\..\\secret', true],
    ['k\u0007', true],
  ])('kid %j: suspicious_kid %s, as audit judges it', (kid, warned) => {
    expect(codes(make({ alg: 'HS256', kid }, { exp: IAT + 60 }), IAT).includes('suspicious_kid')).toBe(warned);
  });

  it('the suspicious_kid line names control characters too (a bell or an escape is not a path)', () => {
    const w = decodeToken(make({ alg: 'HS256', kid: 'k\u0007' }, { exp: IAT + 60 }), IAT).warnings.find((x) => x.code === 'suspicious_kid');
    expect(w?.message).toMatch(/path, SQL or control characters/);
  });

  it('accepts at+jwt and application/jwt as typ', () => {
    expect(codes(make({ alg: 'HS256', typ: 'at+jwt' }, { exp: IAT + 60 }), IAT)).toEqual([]);
    expect(codes(make({ alg: 'HS256', typ: 'application/jwt' }, { exp: IAT + 60 }), IAT)).toEqual([]);
  });

  it('the JSON line has the contract shape', () => {
    const json = JSON.parse(renderDecodedJson(decodeToken(T, DURING)));
    expect(Object.keys(json)).toEqual(['header', 'payload', 'signature', 'verified', 'status', 'times', 'warnings', 'jwt']);
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

  it('an endless line (/dev/zero) ends the input: too_long, after 64 times the limit, not when killed', async () => {
    async function* endless() {
      for (;;) yield 'x'.repeat(100);
    }
    const read = async () => {
      for await (const _ of streamLineBatches(endless(), 10)) void _;
    };
    await expect(read()).rejects.toMatchObject({ code: 'too_long', message: expect.stringMatching(/a line of more than 640 characters/) });
    // a long line below that is one overlong item, and reading goes on
    expect(await collect(['x'.repeat(600), '\nok\n'], 10)).toEqual([{ overlong: 600 }, 'ok']);
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
      { numRuns: runs(100, 500) },
    );
  });
});

describe('scanJson: nesting depth and duplicate member names, without recursion', () => {
  it('counts depth over objects and arrays, ignoring brackets inside strings', () => {
    expect(scanJson(`{"a":${'['.repeat(127)}${']'.repeat(127)}}`)).toBe(NO_DUPLICATES);
    expect(scanJson(`{"a":${'['.repeat(128)}${']'.repeat(128)}}`)).toBe('too-deep');
    expect(scanJson(`{"a":"${'['.repeat(500)}\\"${'{'.repeat(500)}"}`)).toBe(NO_DUPLICATES);
    expect(scanJson('['.repeat(1_000_000))).toBe('too-deep');
  });

  it('finds duplicate names in any object, with their path; escapes decoded; not across objects or in values', () => {
    expect(scanJson('{"a":1,"b":{"a":2},"c":["a","a"]}')).toEqual([]);
    expect(scanJson('{"a":1,"b":2,"a":3}')).toEqual([['a']]);
    expect(scanJson('{"x":{"k":1,"\\u006b":2}}')).toEqual([['x', 'k']]);
    expect(scanJson('{"l":[{"k":1},{"k":1,"k":2}]}')).toEqual([['l', '[]', 'k']]);
    expect(scanJson('{ "a" : 1 , "a" : 2 , "a" : 3 }')).toEqual([['a']]);
    expect(scanJson('{"a\\"":1,"a\\"":2}')).toEqual([['a"']]);
    expect(scanJson(`{${Array.from({ length: 5000 }, (_, i) => `"k${i}":1`).join(',')},"k4999":2}`)).toEqual([['k4999']]);
  });

  it('never throws on text that is not JSON (JSON.parse judges it)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const r = scanJson(text);
        expect(r === 'too-deep' || Array.isArray(r)).toBe(true);
      }),
      { seed: 7, numRuns: runs(300, 2000) },
    );
  });

  /** A recursive reference (fine at test depths): every name repeated within one object, by path. */
  function referenceDuplicates(text: string): string[][] {
    let i = 0;
    const found: string[][] = [];
    const ws = () => {
      while (/\s/.test(text[i] ?? '')) i++;
    };
    const str = (): string => {
      const start = i++;
      while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      return JSON.parse(text.slice(start, i));
    };
    const value = (path: string[]): void => {
      ws();
      if (text[i] === '{') {
        i++;
        const seen = new Set<string>();
        ws();
        if (text[i] === '}') return void i++;
        for (;;) {
          ws();
          const k = str();
          if (seen.has(k) && !found.some((f) => f.join('\0') === [...path, k].join('\0'))) found.push([...path, k]);
          seen.add(k);
          ws();
          i++; // ':'
          value([...path, k]);
          ws();
          if (text[i++] === '}') return;
        }
      } else if (text[i] === '[') {
        i++;
        ws();
        if (text[i] === ']') return void i++;
        for (;;) {
          value([...path, '[]']);
          ws();
          if (text[i++] === ']') return;
        }
      } else if (text[i] === '"') str();
      else while (i < text.length && !',]} \n'.includes(text[i]!)) i++;
    };
    value([]);
    return found;
  }

  const keys = fc.constantFrom('a', 'b', 'c', '\\u0061', 'd\\"', 'e.f');
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.integer().map(String), fc.constantFrom('"a"', '"{"', '"]"', '"\\\\"', 'true'), tie('object'), tie('array')),
    array: fc.array(tie('value'), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
    object: fc.array(fc.tuple(keys, tie('value')), { maxLength: 4 }).map((kv) => `{${kv.map(([k, v]) => `"${k}" :${v}`).join(',')}}`),
  }));

  it('agrees with a recursive reference on generated JSON full of repeated names', () => {
    fc.assert(
      fc.property(json.object, (text) => {
        JSON.parse(text);
        expect(scanJson(text)).toEqual(referenceDuplicates(text));
      }),
      { seed: 3, numRuns: runs(200, 1000) },
    );
  });

  it('parseToken finds the same duplicates (its quick check proves none without the full scan)', () => {
    fc.assert(
      fc.property(json.object, fc.constantFrom('', ' ', '\n  '), (text, space) => {
        const spaced = text.replaceAll('" :', `"${space}:`);
        const expected = referenceDuplicates(spaced);
        const t = parseToken(make({ alg: 'HS256' }, spaced));
        expect(t.duplicates ?? []).toEqual(expected.map((path) => ({ part: 'payload', path })));
      }),
      { seed: 5, numRuns: runs(200, 1000) },
    );
  });
});

describe('parseToken: depth, duplicates, 5 parts', () => {
  const deep = (n: number) => `{"a":${'['.repeat(n)}${']'.repeat(n)}}`;

  it('a payload or header nested too deep is malformed', () => {
    expect(() => parseToken(make({ alg: 'HS256' }, deep(3000)))).toThrow('payload is nested too deep (more than 128 levels)');
    expect(() => parseToken(make(`{"alg":"HS256","x":${deep(200)}}`, {}))).toThrow('header is nested too deep');
    expect(parseToken(make({ alg: 'HS256' }, deep(100))).kind).toBe('jws');
  });

  it('records duplicate member names, with the value JSON.parse kept (the last)', () => {
    const t = parseToken(make('{"alg":"none","alg":"HS256"}', '{"sub":"a","sub":"b","x":{"y":1,"y":2}}'));
    if (t.kind !== 'jws') throw new Error('not a JWS');
    expect(t.header.alg).toBe('HS256');
    expect(t.duplicates).toEqual([
      { part: 'header', path: ['alg'] },
      { part: 'payload', path: ['sub'] },
      { part: 'payload', path: ['x', 'y'] },
    ]);
    expect(parseToken(T).duplicates).toBeUndefined();
  });

  it('decode warns about each duplicate, naming the value used', () => {
    const d = decodeToken(make('{"alg":"HS256"}', `{"sub":"a","sub":"b","exp":${IAT + 60},"exp":${IAT + 120}, "o":{"p":1},"o":{"p":2,"p":3}}`), IAT);
    expect(d.warnings.filter((w) => w.code === 'duplicate_member').map((w) => w.message)).toEqual([
      'the payload has "sub" more than once; jwtkit used the last value, "b" (RFC 7515 §5.2)',
      `the payload has "exp" more than once; jwtkit used the last value, ${IAT + 120} (RFC 7515 §5.2)`,
      'the payload has "o" more than once; jwtkit used the last value (RFC 7515 §5.2)',
      'the payload has "o.p" more than once; jwtkit used the last value (RFC 7515 §5.2)',
    ]);
  });

  it('a 5-part token is a JWE only when its header has "enc"', () => {
    expect(() => parseToken(`${enc({ alg: 'HS256' })}.${enc({})}.c2ln.aXY.dGFn`)).toThrow(
      expect.objectContaining({ code: 'malformed', message: 'the token has 5 parts (an encrypted token) but its header has no "enc"' }),
    );
    expect(() => parseToken(`${enc({ alg: 'dir', enc: 5 })}..aXY.Y2lwaGVy.dGFn`)).toThrow('no "enc"');
    expect(parseToken(`${enc({ alg: 'dir', enc: 'A128GCM' })}..aXY.Y2lwaGVy.dGFn`).kind).toBe('jwe');
  });

  it('exp: 1e400 (Infinity after JSON.parse) is not a valid NumericDate, and says why', () => {
    const d = decodeToken(make({ alg: 'HS256' }, '{"exp":1e400,"iat":-1e400}'), IAT);
    expect(d.warnings.map((w) => w.message)).toEqual(
      expect.arrayContaining([
        'exp is not a valid NumericDate: the JSON text has a number too large for one',
        'iat is not a valid NumericDate: the JSON text has a number too large for one',
      ]),
    );
  });
});

describe('a token inside other text (issue #16)', () => {
  const T = TOKENS.HS256!;
  it.each([
    [`{"access_token":"${T}","token_type":"Bearer","expires_in":900}`, 'a JSON body'],
    [`https://app.example/callback#id_token=${T}&state=x`, 'a URL'],
    [`#id_token=${T}&state=x`, 'a URL'],
    [`Cookie: theme=dark; session=${T}; lang=en`, 'a Cookie header'],
    [`set-cookie: session=${T}; Path=/; HttpOnly; Secure`, 'a Set-Cookie header'],
    [`2026-11-30T04:00:00Z INFO login ok user=42 token=${T} ip=10.0.0.1`, 'a line of text'],
  ])('%s is %s holding one token', (text, container) => {
    expect(embeddedToken(text)).toEqual({ token: T, container });
    const parsed = createTokenParser({ embedded: true })(text);
    expect(parsed).toMatchObject({ kind: 'jws', raw: T, foundIn: container, payload: { sub: 'user-42' } });
  });

  it('several tokens: a malformed error that says to use --scan; none, or a broken token: the parse error stands', () => {
    expect(() => embeddedToken(`{"access_token":"${T}","id_token":"${TOKENS.ES256}"}`)).toThrow(
      new JwtkitError('malformed', 'the input is not a token: it is a JSON body holding 2 tokens; use --scan to take each of them'),
    );
    expect(() => embeddedToken(`${T} `.repeat(40))).toThrow(/holding 16 or more tokens/);
    expect(embeddedToken('{"no":"token here"}')).toBeUndefined();
    expect(embeddedToken(`${T}x.y`)).toBeUndefined();
    expect(() => createTokenParser({ embedded: true })('no token here, only words')).toThrow(/1 part/);
    // a clean token never takes the slow path; without `embedded` (the library default) nothing is extracted
    expect(createTokenParser({ embedded: true })(T).foundIn).toBeUndefined();
    expect(() => createTokenParser()(`{"access_token":"${T}"}`)).toThrow(JwtkitError);
    expect(() => parseToken(`{"access_token":"${T}"}`)).toThrow(JwtkitError);
  });
});

describe('binary input where text is read', () => {
  async function* bytes(...parts: Buffer[]) {
    for (const p of parts) yield p;
  }

  it('stdin that is not UTF-8 is refused, not read with U+FFFD in place of its bytes', async () => {
    const { readStdinText } = await import('../../src/input.js');
    const binary = Buffer.from([0x61, 0xff, 0xfe, 0x80, 0x62]);
    await expect(readStdinText(bytes(binary) as never, 'the payload')).rejects.toMatchObject({ code: 'malformed', message: expect.stringMatching(/not valid UTF-8/) });
    // a character split across chunks is still text
    const euro = Buffer.from('a€b\n');
    expect(await readStdinText(bytes(euro.subarray(0, 2), euro.subarray(2)) as never, 'the payload')).toBe('a€b');
    await expect(readStdinText(bytes(Buffer.alloc(11, 0x61)) as never, 'the payload', 10)).rejects.toMatchObject({ code: 'too_long', message: expect.stringMatching(/for the payload$/) });
  });

  it('a secret file that is not UTF-8 is refused, with the way to give it', async () => {
    const { readSecrets } = await import('../../src/input.js');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const file = join(mkdtempSync(join(tmpdir(), 'jwtkit-')), 'key.bin');
    writeFileSync(file, Buffer.from([0xde, 0xad, 0xbe, 0xef, 0xff, 0x00, 0x80]));
    expect(() => readSecrets({ secretFile: file }, {})).toThrow(/is not text \(not valid UTF-8\): a raw binary key/);
    writeFileSync(file, 'caf\u00e9-secret\n');
    expect(readSecrets({ secretFile: file }, {}).secrets[0]!.text).toBe('caf\u00e9-secret');
  });
});

describe('plainJson: header and payload texts printable as they are', () => {
  const part = (text: string) => Buffer.from(text).toString('base64url');
  const token = (header: string, payload: string) => `${part(header)}.${part(payload)}.c2ln`;
  it.each([
    ['{"alg":"HS256"}', '{"sub":"x","n":[1,{"a":null}]}', true],
    ['{"alg":"HS256"}', '{"sub":"\\u202e\\u007f"}', true], // escapes are ASCII: the values are another matter
    ['{"alg":"HS256"}', '{"sub":"é"}', false],
    ['{"alg":"HS256","kid":"\u202e"}', '{"sub":"x"}', false],
    ['{"alg":"HS256"}', '{"sub":"a\u007fb"}', false],
    ['{"alg":"HS256"}', '{"sub":"x",\n"n":1}', false],
    ['{"alg":"HS256"}', '{"sub":"x",\r"n":1}', false],
    ['{"alg":"HS256"}', ' {"sub":"x"}', false],
    ['{"alg":"HS256"} ', '{"sub":"x"}', false],
    ['{"alg":"HS256"}', '{"sub":"x"}\t', false],
  ])('%j . %j → %s', (header, payload, plain) => {
    const parsed = parseToken(token(header, payload)) as ParsedJws;
    expect(parsed.kind).toBe('jws');
    expect(parsed.plainJson === true).toBe(plain);
    if (plain) expect([parsed.headerJson, parsed.payloadJson]).toEqual([header, payload]);
  });
  it('a payload that is not claims, or given detached, is never plain', () => {
    expect((parseToken(`${part('{"alg":"HS256"}')}.${part('text')}.c2ln`) as ParsedJws).plainJson).toBeUndefined();
    const detached = parseToken(`${part('{"alg":"HS256"}')}..c2ln`) as ParsedJws;
    expect(attachPayload(detached, Buffer.from('{"sub":"x"}')).plainJson).toBeUndefined();
  });
});

describe('readFlatObject: JSON.parse of a flat payload, with the names of the one before', () => {
  const parsed = (json: string): unknown => {
    try {
      return JSON.parse(json);
    } catch {
      return 'not JSON';
    }
  };
  /** readFlatObject's answer is JSON.parse's value, members in the same order, or none at all. */
  const agrees = (json: string, names: string[]): boolean => {
    const shape = payloadShape(Object.fromEntries(names.map((n) => [n, 0])));
    const value = shape && readFlatObject(json, shape);
    if (value === undefined) return false;
    const expected = parsed(json);
    expect(value, json).toStrictEqual(expected);
    expect(Object.keys(value), json).toEqual(Object.keys(expected as object));
    for (const k of Object.keys(value)) expect(Object.is(value[k], (expected as Record<string, unknown>)[k]), `${json} ${k}`).toBe(true);
    return true;
  };
  const flat = fc.dictionary(
    fc.oneof(fc.string(), fc.constantFrom('sub', 'exp', '__proto__', 'constructor', '0', '10')),
    fc.oneof(fc.string(), fc.double(), fc.integer(), fc.constantFrom(true, false, null, -0, 1e21, 0.1, 'a\\"b'), fc.array(fc.integer(), { maxLength: 2 }), fc.object({ maxDepth: 1 })),
    { maxKeys: 8 },
  );

  it('takes a typical payload and the hostile ones it should', () => {
    const json = '{"sub":"user-1","iss":"https://auth.example.com","aud":"api","iat":1796019132,"exp":1796022732,"scope":"read write","jti":"0000000f","n":-0.5e-3,"t":true,"f":false,"z":null}';
    const names = Object.keys(JSON.parse(json) as object);
    expect(agrees(json, names)).toBe(true);
    expect(agrees('{}', [])).toBe(true);
    expect(agrees('{"a":"\u202e\u00e9"}', ['a'])).toBe(true);
    // refused: another order, whitespace, escapes, control characters, nesting, bad numbers, a repeated name, __proto__
    for (const [text, ns] of [
      ['{"b":1,"a":2}', ['a', 'b']],
      ['{"a":1 }', ['a']],
      ['{"a":"\\u0041"}', ['a']],
      ['{"a":"x\ty"}', ['a']],
      ['{"a":{"b":1}}', ['a']],
      ['{"a":[1]}', ['a']],
      ['{"a":01}', ['a']],
      ['{"a":1.}', ['a']],
      ['{"a":-}', ['a']],
      ['{"a":1e}', ['a']],
      ['{"a":tru}', ['a']],
      ['{"a":1,"a":2}', ['a', 'a']],
      ['{"__proto__":{"x":1}}', ['__proto__']],
      ['{"__proto__":1}', ['__proto__']],
      ['{"a":1}x', ['a']],
      ['{"a":1,}', ['a']],
      ['{"a":"x}', ['a']],
    ] as const) {
      expect(agrees(text, [...ns]), text).toBe(false);
    }
  });

  it('never differs from JSON.parse: generated objects, written compactly or not, and mutated', () => {
    fc.assert(
      fc.property(flat, fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 0x7f }), (obj, spaced, at, char) => {
        const json = JSON.stringify(obj, null, spaced ? 1 : undefined);
        const names = Object.keys(JSON.parse(json) as object);
        agrees(json, names);
        const mutated = json.slice(0, at % (json.length + 1)) + String.fromCharCode(char) + json.slice((at % (json.length + 1)) + 1);
        agrees(mutated, names);
        agrees(mutated, Object.keys((parsed(mutated) ?? {}) as object));
      }),
      { numRuns: 2000 },
    );
  });

  it('a run of payloads whose names change parses each one as JSON.parse does', () => {
    const parse = createTokenParser();
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const payloads = [{ a: 1, b: 'x' }, { a: 2, b: 'y' }, { b: 'z', a: 3 }, { a: 4 }, { a: 5, b: 'w', c: null }, { a: 6, b: 'v' }, { a: { n: 1 }, b: 'u' }];
    for (const p of payloads) {
      const token = parse(`${part({ alg: 'HS256' })}.${part(p)}.c2ln`) as ParsedJws;
      expect(token.payload).toStrictEqual(p);
      expect(Object.keys(token.payload!)).toEqual(Object.keys(p));
    }
  });
});
