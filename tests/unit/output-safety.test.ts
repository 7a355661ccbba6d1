// Nothing from a token, a key file, a server or a word list reaches a terminal raw: every human
// rendering escapes C0 controls, DEL, C1, bidi controls and U+2028/9. JSON output keeps the exact
// values, with C1, bidi and U+2028/9 as \u escapes (JSON.stringify escapes only C0).
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeToken, describeToken, pickClaim } from '../../src/commands/decode.js';
import { verifyToken, type VerifyOptions } from '../../src/commands/verify.js';
import { parseJwkJson, secretKeyMaterial, type KeyMaterial } from '../../src/crypto.js';
import { isJwtkitError } from '../../src/errors.js';
import {
  PLAIN,
  painter,
  renderClaimJson,
  prettyJson,
  renderClaimValue,
  renderDecoded,
  renderDecodedJson,
  renderDecryptJson,
  renderErrorJson,
  renderErrorLine,
  renderVerdictLine,
  renderVerifyJson,
  createVerifyJsonRenderer,
  renderWarningLine,
  type Paint,
} from '../../src/render.js';
import { renderAuditJson } from '../../src/render-audit.js';
import type { AuditResult } from '../../src/commands/audit.js';
import { safeJson, safeText } from '../../src/safe-text.js';
import { verifyOne } from '../../src/verify-batch.js';
import { IAT } from '../helpers/fixtures.js';
import { runs } from '../helpers/tools.js';

/** What must never reach a terminal raw (our own line breaks aside). */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
/** The colour codes jwtkit's own painter adds. */
const OUR_SGR = /\u001b\[\d+(?:;\d+)*m/g;

function expectNoRaw(text: string, where: string): void {
  const bare = text.replace(OUR_SGR, '');
  const m = RAW.exec(bare);
  if (m) throw new Error(`${where}: raw U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m.index} in ${JSON.stringify(bare)}`);
}

function expectOneLine(text: string, where: string): void {
  expectNoRaw(text, where);
  expect(text.replace(/\n$/, ''), where).not.toContain('\n');
}

describe('safeText', () => {
  it.each([
    ['\u001b[2J', '\\x1b[2J'],
    ['\u001b]52;c;aGk=\u0007', '\\x1b]52;c;aGk=\\x07'],
    ['a\u0000b', 'a\\x00b'],
    ['tab\there', 'tab\\there'],
    ['line\nbreak\r', 'line\\nbreak\\r'],
    ['del\u007f', 'del\\x7f'],
    ['csi\u009b2J', 'csi\\x9b2J'],
    ['\u0080\u009f', '\\x80\\x9f'],
    ['abc\u202edcba', 'abc\\u202edcba'],
    ['\u200e\u200f\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u061c', '\\u200e\\u200f\\u202a\\u202b\\u202c\\u202d\\u2066\\u2067\\u2068\\u2069\\u061c'],
    ['\u2028\u2029', '\\u2028\\u2029'],
  ])('%j → %s', (input, expected) => expect(safeText(input)).toBe(expected));

  it('leaves ordinary text alone, including non-ASCII letters, emoji and zero-width joiners', () => {
    for (const text of ['user-42', 'https://auth.example.com', 'Zoë Ångström', '東京', '👩‍💻', 'a\\x1b', '', "1' OR '1'='1"]) {
      expect(safeText(text)).toBe(text);
    }
  });

  it('safeJson keeps JSON text valid and its value unchanged', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary', maxLength: 30 }), (value, s) => {
        for (const v of [value, s, { [s]: s }]) {
          const text = safeJson(JSON.stringify(v));
          expectNoRaw(text, 'safeJson');
          expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
        }
      }),
      { seed: 11, numRuns: 500 },
    );
  });
});

describe('every human rendering escapes what comes from a token or a key (property test)', () => {
  const SECRET = 'a-test-secret-of-32-bytes-or-more!!';
  const NOW = IAT + 300;
  const HOSTILE = [
    '\u001b[2J\u001b[H', // clear the screen
    '\u001b]52;c;cHduZWQ=\u0007', // OSC 52: write the clipboard
    '\u001b]0;title\u001b\\',
    '\u0000', '\u0007', '\u0008', '\t', '\n', '\r', '\u000b', '\u007f',
    '\u0080', '\u0085', '\u009b2J', '\u009d52;c;x\u009c', '\u009f',
    '\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069',
    '\u2028', '\u2029',
  ];
  const hostile = fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 3 }), fc.string({ unit: 'binary', maxLength: 3 })), { minLength: 1, maxLength: 5 })
    .map((parts) => parts.join(''))
    .filter((s) => RAW.test(s));
  const name = hostile.filter((s) => !['__proto__', 'constructor', 'prototype'].includes(s));

  const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
  const sign = (header: unknown, payload: unknown, secret = SECRET) => {
    const input = `${b64(header)}.${b64(payload)}`;
    return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  };
  const options = (keys: KeyMaterial[], extra: Partial<VerifyOptions> = {}): VerifyOptions => ({ keys, leeway: 0, require: [], now: NOW, ...extra });

  let colour: Paint;
  const paints = async () => [PLAIN, (colour ??= await painter(true))];

  it('decode view, verify verdicts for every reason, --claim on a terminal, error and warning lines', async () => {
    const [plain, coloured] = await paints();
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        fc.record({ kid: hostile, otherKid: hostile, typ: hostile, iss: hostile, sub: hostile, aud: hostile, claim: name, value: hostile, headerName: name, label: hostile }),
        (h) => {
          const header = { alg: 'HS256', typ: h.typ, kid: h.kid, [h.headerName]: h.value };
          const payload = { iss: h.iss, sub: h.sub, aud: [h.aud, 'x'], iat: IAT, exp: IAT + 900, [h.claim]: h.value, nested: { [h.claim]: [h.value, { deeper: h.value }] } };
          const good = sign(header, payload);
          const tokens = [
            good,
            sign(header, { ...payload, exp: IAT }), // expired
            sign(header, { ...payload, nbf: IAT + 3600 }), // not yet valid
            sign(header, { ...payload, exp: h.value }), // not a NumericDate
            sign({ ...header, alg: h.value }, payload), // alg not allowed
            sign({ ...header, alg: 'none' }, payload), // alg none
            sign({ ...header, crit: [h.value] }, payload), // unknown crit
            `${b64({ alg: 'dir', enc: 'A128GCM', kid: h.kid, [h.headerName]: h.value })}..aXY.Y2lwaGVy.dGFn`, // encrypted
            `${b64(`{"alg":"HS256","kid":"${h.value}`)}.e30.c2ln`, // malformed
          ];
          const secret = [secretKeyMaterial(h.label, Buffer.from(SECRET))];
          const wrongSecret = [secretKeyMaterial(h.label, Buffer.from(`${SECRET}!`))];
          const jwks = (kid: string) => parseJwkJson({ keys: [{ kty: 'oct', k: b64(SECRET), kid }, { kty: 'oct', k: b64('another-secret-32-bytes-long!!!!'), kid: `${kid}2` }] }, h.label);
          const runs: VerifyOptions[] = [
            options(secret),
            options(secret, { iss: ['https://good'], sub: 'good', aud: ['good'], require: [h.claim, `${h.claim}x`] }),
            options(wrongSecret),
            options(jwks(h.otherKid)), // no_matching_key: names the token's kid and the keys' kids
            options(jwks(h.kid)), // valid: the key label names the JWKS kid
            options(secret, { leeway: 3600 }),
            options(secret, { maxAge: 1 }),
          ];
          for (const token of tokens) {
            for (const paint of [plain, coloured]) {
              try {
                const d = decodeToken(token, NOW);
                expectNoRaw(renderDecoded(d, paint!), 'decode view');
                expectNoRaw(renderDecoded(d, paint!, { heading: 'x' }), 'decode view');
                if (d.payload) {
                  for (const c of [h.claim, 'nested', `nested.${h.claim}`, 'iss', 'aud']) {
                    const picked = pickClaim(d.payload, c);
                    if (picked.found) expectNoRaw(renderClaimValue(picked.value, true), 'decode --claim on a terminal');
                  }
                }
                expectNoRaw(renderDecodedJson(d).slice(0, -1), 'decode --json');
                JSON.parse(renderDecodedJson(d));
              } catch (err) {
                if (!isJwtkitError(err)) throw err;
                expectOneLine(renderErrorLine(err.message, err.hint, paint!), 'decode error line');
              }
              for (const run of runs) {
                const r = verifyToken(token, run);
                seen.add(r.reason ?? 'valid');
                expectOneLine(renderVerdictLine(r, paint!), `verdict line (${r.reason})`);
                expectOneLine(renderErrorLine(r.message, undefined, paint!), `error line (${r.reason})`);
                if (r.token) expectNoRaw(renderDecoded(describeToken(r.source ?? r.token, NOW), paint!, { verifiedLine: renderVerdictLine(r, paint!), outcomes: r.signatures }), `verify view (${r.reason})`);
                expectNoRaw(renderVerifyJson(r).slice(0, -1), `verify --json (${r.reason})`);
                JSON.parse(renderVerifyJson(r));
              }
            }
          }
          for (const paint of [plain, coloured]) {
            expectOneLine(renderErrorLine(h.value, h.label, paint!), 'error line');
            expectOneLine(renderWarningLine(h.value, paint!), 'warning line');
            expectNoRaw(prettyJson({ [h.claim]: h.value, list: [h.value, 1] }, paint!, () => h.label), 'pretty JSON');
          }
        },
      ),
      { seed: 20261130, numRuns: runs(10, 60) },
    );
    expect([...seen].sort()).toEqual(
      ['alg_none', 'alg_not_allowed', 'claim_mismatch', 'claim_missing', 'encrypted', 'expired', 'malformed', 'no_matching_key', 'not_yet_valid', 'signature_invalid', 'valid'].sort(),
    );
  });

  it('any JWS: a text payload and a JSON serialization with hostile headers, in every view', async () => {
    const [plain, coloured] = await paints();
    fc.assert(
      fc.property(fc.record({ kid: hostile, value: hostile, headerName: name, label: hostile }), (h) => {
        const tokens = [
          sign({ alg: 'HS256', kid: h.kid }, h.value), // the payload is text
          `${b64({ alg: 'HS256' })}.${b64(`{"a":"${h.value}`)}.c2ln`, // broken JSON, shown as text
          JSON.stringify({ payload: b64(h.value), signatures: [{ protected: b64({ alg: 'HS256' }), header: { kid: h.kid, [h.headerName]: h.value }, signature: 'c2ln' }, { header: { alg: h.value }, signature: 'c2ln' }] }),
        ];
        const run = options([secretKeyMaterial(h.label, Buffer.from(SECRET))], { aud: ['x'] });
        for (const token of tokens) {
          for (const paint of [plain, coloured]) {
            expectNoRaw(renderDecoded(decodeToken(token, NOW), paint!), 'decode view');
            const r = verifyToken(token, run);
            expectOneLine(renderVerdictLine(r, paint!), `verdict line (${r.reason})`);
            if (r.token) expectNoRaw(renderDecoded(describeToken(r.source ?? r.token, NOW), paint!, { verifiedLine: renderVerdictLine(r, paint!), outcomes: r.signatures }), 'verify view');
          }
        }
      }),
      { seed: 20261130, numRuns: runs(8, 40) },
    );
  });

  it('decode --claim: a string stays raw in a pipe, like jq -r', () => {
    expect(renderClaimValue('\u001b[2J\u202e', false)).toBe('\u001b[2J\u202e\n');
    expect(renderClaimValue('\u001b[2J\u202e', true)).toBe('\\x1b[2J\\u202e\n');
    // a JSON value is JSON everywhere, escaped losslessly (a pipe may end on a terminal)
    expect(renderClaimValue({ a: '\u009b' }, false)).toBe('{"a":"\\u009b"}\n');
    expect(renderClaimValue({ a: '\u009b\u001b' }, true)).toBe('{"a":"\\u009b\\u001b"}\n');
  });

  it('the pretty JSON stays JSON: C1 and bidi characters become \\u escapes', () => {
    const text = prettyJson({ 'k\u202e': 'v\u009b\u2028', n: ['\u007f'] }, PLAIN);
    expect(text).toBe('{\n  "k\\u202e": "v\\u009b\\u2028",\n  "n": ["\\u007f"]\n}');
    expect(JSON.parse(text)).toEqual({ 'k\u202e': 'v\u009b\u2028', n: ['\u007f'] });
  });

  it('error lines keep their own formatting and escape the rest', () => {
    expect(renderErrorLine('no key has kid "\u001b[2J"', 'try\u202e', PLAIN)).toBe('jwtkit: error: no key has kid "\\x1b[2J". Try\\u202e\n');
    expect(renderWarningLine('kid \u009b', PLAIN)).toBe('jwtkit: warning: kid \\x9b\n');
  });
});

describe('every JSON rendering escapes C1, bidi and U+2028/9 losslessly', () => {
  // What the JSON writer must never leave raw (JSON.stringify escapes C0 itself, ESC included).
  const RAW_IN_JSON = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
  const HOSTILE = '\u001b[2J\u009b2J\u202etxt\u2028\u2029\u2066\u0085\u007f';
  const SECRET = 'a-test-secret-of-32-bytes-or-more!!';
  const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
  const sign = (header: unknown, payload: unknown) => {
    const input = `${b64(header)}.${b64(payload)}`;
    return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
  };
  function expectSafeLines(text: string, where: string): unknown[] {
    const lines = text.replace(/\n$/, '').split('\n');
    return lines.map((line) => {
      const m = RAW_IN_JSON.exec(line);
      if (m) throw new Error(`${where}: raw U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} in ${JSON.stringify(line)}`);
      return JSON.parse(line) as unknown;
    });
  }
  const keys = () => [secretKeyMaterial(`label${HOSTILE}`, Buffer.from(SECRET))];
  const NOW = IAT + 300;

  it('verify --json (kid, header, payload, message), its --payload and --claim lines, and the JSON serialization', () => {
    // the token's own JSON text holds the characters raw (not \u escapes), which compactJson would copy
    const header = `{"alg":"HS256","kid":"${HOSTILE.replace('\u001b', '\\u001b')}"}`;
    const payload = `{"sub":"${HOSTILE.replace('\u001b', '\\u001b')}","iat":${IAT}}`;
    const tokens = [sign(header, payload), sign({ alg: 'HS256', kid: HOSTILE }, HOSTILE)];
    for (const token of tokens) {
      const r = verifyToken(token, { keys: keys(), leeway: 0, require: [], now: NOW });
      expect(r.valid).toBe(true);
      const [obj] = expectSafeLines(renderVerifyJson(r, { index: 1 }), 'verify --json') as [Record<string, unknown>];
      expect(obj.kid).toBe(HOSTILE);
      expect((obj.header as Record<string, unknown>).kid).toBe(HOSTILE);
      for (const mode of ['payload', 'claim'] as const) {
        const format = { json: true, paint: PLAIN, errPaint: PLAIN, mode, claim: 'sub', terminal: true, found: { count: 0 } };
        const out = verifyOne(r, { index: 0, line: 1 }, format, '');
        if (out.stdout !== '') expectSafeLines(out.stdout, `verify --${mode}`);
      }
      const failed = verifyToken(token, { keys: keys(), leeway: 0, require: [], now: NOW, sub: `x${HOSTILE}` });
      expectSafeLines(renderVerifyJson(failed), 'verify --json (invalid)');
    }
    const general = JSON.stringify({ payload: b64(HOSTILE), signatures: [{ protected: b64({ alg: 'HS256' }), header: { kid: HOSTILE }, signature: 'c2ln' }] });
    expectSafeLines(renderVerifyJson(verifyToken(general, { keys: keys(), leeway: 0, require: [], now: NOW })), 'verify --json (JSON serialization)');
  });

  it("verify --json's renderer for a run writes renderVerifyJson's lines exactly, escaped, plain texts or not", () => {
    // ASCII texts whose values are hostile (\u escapes), raw hostile texts, a DEL, a hostile key label
    const escaped = (v: string) => JSON.stringify(v).slice(1, -1).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const asciiHeader = `{"alg":"HS256","kid":"${escaped(HOSTILE)}"}`;
    const asciiPayload = `{"sub":"${escaped(HOSTILE)}","iat":${IAT},"n":[1,{"x":"\\u202e"}]}`;
    expect(asciiHeader + asciiPayload).toMatch(/^[\x20-\x7e]*$/);
    const tokens = [
      sign({ alg: 'HS256', typ: 'JWT' }, { sub: 'u', iat: IAT, exp: IAT + 3600 }),
      sign(asciiHeader, asciiPayload),
      sign({ alg: 'HS256', kid: 'k' }, asciiPayload),
      sign({ alg: 'HS256' }, `{"sub":"a\u007fb","iat":${IAT}}`),
      sign({ alg: 'HS256' }, `{"sub":"\u00e9","iat":${IAT}}`),
      sign({ alg: 'HS256' }, `{"sub":"x",\n"iat":${IAT}}`),
      sign({ alg: 'HS256' }, ` {"sub":"x"}`),
      sign({ alg: 'HS256' }, HOSTILE),
      sign({ alg: 'HS256', kid: HOSTILE }, { sub: HOSTILE, iat: IAT }),
    ];
    const plainLabel = [secretKeyMaterial('JWT_SECRET', Buffer.from(SECRET))];
    const render = createVerifyJsonRenderer();
    let fast = 0;
    for (const keyset of [keys(), plainLabel]) {
      for (const token of tokens) {
        for (const extra of [{}, { sub: 'nobody' }, { leeway: 0, now: IAT + 7200 }]) {
          const r = verifyToken(token, { keys: keyset, leeway: 0, require: [], now: NOW, ...extra });
          if (r.token?.plainJson && r.valid) fast++;
          for (let i = 0; i < 2; i++) {
            const line = render(r, { index: 3, line: 4 });
            expect(line).toBe(renderVerifyJson(r, { index: 3, line: 4 }));
            expectSafeLines(line, 'verify --json (run renderer)');
          }
        }
      }
    }
    expect(fast).toBeGreaterThanOrEqual(6);
  });

  it('verify --payload of a text payload: exact in a pipe, escaped on a terminal, members with --json', () => {
    const r = verifyToken(sign({ alg: 'HS256' }, HOSTILE), { keys: keys(), leeway: 0, require: [], now: NOW });
    expect(r.valid).toBe(true);
    const out = (json: boolean, terminal: boolean) => verifyOne(r, { index: 0 }, { json, paint: PLAIN, errPaint: PLAIN, mode: 'payload', terminal, found: { count: 0 } }, '').stdout;
    expect(out(false, false)).toBe(`${HOSTILE}\n`);
    expect(out(false, true)).toBe(`${safeText(HOSTILE)}\n`);
    expect(expectSafeLines(out(true, true), 'verify --payload --json')).toEqual([{ payload_text: HOSTILE, payload_base64url: b64(HOSTILE) }]);
  });

  it('decode --json, --claim, error lines and every jsonLine (audit, decrypt, sign, check, gen)', () => {
    const token = sign(`{"alg":"HS256","kid":"${HOSTILE.replace('\u001b', '\\u001b')}"}`, { sub: HOSTILE, iat: IAT });
    const d = decodeToken(token, NOW);
    const [decoded] = expectSafeLines(renderDecodedJson(d), 'decode --json') as [Record<string, Record<string, unknown>>];
    expect(decoded.header!.kid).toBe(HOSTILE);
    expect(decoded.payload!.sub).toBe(HOSTILE);
    expectSafeLines(renderDecodedJson(decodeToken(sign({ alg: 'HS256' }, HOSTILE), NOW)), 'decode --json (text payload)');
    expect(expectSafeLines(renderClaimJson(`c${HOSTILE}`, { v: HOSTILE }, { index: 1 }), 'decode --claim --json')).toEqual([{ claim: `c${HOSTILE}`, value: { v: HOSTILE }, index: 1 }]);
    expect(expectSafeLines(renderClaimValue({ v: HOSTILE }, false), '--claim (object) in a pipe')).toEqual([{ v: HOSTILE }]);
    expect(expectSafeLines(renderErrorJson('malformed', HOSTILE), 'error JSON')).toEqual([{ error: { code: 'malformed', message: HOSTILE } }]);
    const decrypted = renderDecryptJson({ header: { cty: HOSTILE }, plaintext: HOSTILE, plaintextBase64url: '', nested: d, serialization: 'compact', recipient: null, key: HOSTILE });
    const [plain] = expectSafeLines(decrypted, 'decrypt --json') as [Record<string, Record<string, Record<string, unknown>>>];
    expect(plain).toMatchObject({ header: { cty: HOSTILE }, plaintext: HOSTILE, key: HOSTILE, nested: { header: { kid: HOSTILE }, payload: { sub: HOSTILE } } });
    const audit: AuditResult = { alg: 'HS256', encrypted: false, secret: { found: true, value: HOSTILE, source: 'wordlist', file: `w${HOSTILE}`, line: 1, variant: 'plain', tried: 1 } as unknown as AuditResult['secret'], findings: [] };
    const [a] = expectSafeLines(renderAuditJson(audit, 0), 'audit --json') as [Record<string, Record<string, unknown>>];
    expect(a.secret!.value).toBe(HOSTILE);
  });
});
