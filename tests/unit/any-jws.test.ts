// Any JWS (issue 14): payloads that are not claims, the JSON serialization, detached payloads and
// RFC 7797's unencoded payload, through the parser, the one verifier and the JSON renderers.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../helpers/tools.js';
import { decodeToken } from '../../src/commands/decode.js';
import { createVerifier, verifyToken, type VerifyOptions } from '../../src/commands/verify.js';
import { parseJwkJson, secretKeyMaterial, type KeyMaterial } from '../../src/crypto.js';
import { renderDecoded, renderDecodedJson, renderVerifyJson, PLAIN } from '../../src/render.js';
import { MAX_SIGNATURES, attachPayload, createTokenParser, parseToken, type ParsedJws } from '../../src/token.js';
import { readTokenBatches } from '../../src/input.js';
import { verifyBatch, verifyWarnings } from '../../src/verify-batch.js';
import { DURING, FIXTURES, HS_SECRET, TOKENS } from '../helpers/fixtures.js';

interface Vector {
  name: string;
  source: string;
  token: string;
  keys: string[];
  at?: number;
  payload?: string;
  expect: { valid: boolean; reason?: string; jwt?: boolean; payload_text?: string; signatures?: boolean[] };
}
const VECTORS: { keys: Record<string, object>; vectors: Vector[] } = JSON.parse(readFileSync(`${FIXTURES}jws-vectors.json`, 'utf8'));

const secret = (text = HS_SECRET, label = 'S') => secretKeyMaterial(label, Buffer.from(text, 'utf8'));
const opts = (keys: KeyMaterial[], extra: Partial<VerifyOptions> = {}): VerifyOptions => ({ keys, leeway: 0, require: [], now: DURING, ...extra });
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const mac = (input: string | Buffer, key = HS_SECRET) => createHmac('sha256', key).update(input).digest('base64url');
/** A compact HS256 JWS over any payload octets. */
const hs256 = (payload: string | Buffer, header: object = { alg: 'HS256' }) => {
  const input = `${b64(header)}.${Buffer.from(payload).toString('base64url')}`;
  return `${input}.${mac(input)}`;
};
const asJws = (raw: string): ParsedJws => {
  const t = parseToken(raw);
  if (t.kind !== 'jws') throw new Error(`not a compact JWS: ${t.kind}`);
  return t;
};

describe('a compact JWS whose payload is not claims', () => {
  it.each([
    ['text', 'hello world', 'hello world'],
    ['a JSON array', '[1,2]', '[1,2]'],
    ['a JSON string', '"x"', '"x"'],
    ['broken JSON that begins like an object', '{"sub":', '{"sub":'],
    ['text with controls', 'a\u001b[2Jb', 'a\u001b[2Jb'],
  ])('%s parses as octets, payload null', (_, payload, text) => {
    const t = asJws(hs256(payload));
    expect(t.payload).toBeNull();
    expect(t.payloadBytes?.toString('utf8')).toBe(text);
    expect(t.payloadEmpty).toBeUndefined();
  });

  it('binary and empty payloads', () => {
    const bin = asJws(hs256(Buffer.from([0x7b, 0xff, 0x00, 0x80])));
    expect([...bin.payloadBytes!]).toEqual([0x7b, 0xff, 0x00, 0x80]);
    const empty = asJws(`${b64({ alg: 'HS256' })}..${mac(`${b64({ alg: 'HS256' })}.`)}`);
    expect(empty).toMatchObject({ payload: null, payloadEmpty: true });
    expect(empty.payloadBytes!.length).toBe(0);
  });

  it('a JWT keeps the fast path: claims, no octets', () => {
    const t = asJws(TOKENS.HS256!);
    expect(t.payload).toMatchObject({ sub: 'user-42' });
    expect(t.payloadBytes).toBeUndefined();
    expect(typeof t.signingInput).toBe('string');
  });

  it('a run parser reads a JWT, then text, then a JWT under the same header', () => {
    const parse = createTokenParser();
    const header = { alg: 'HS256' };
    expect((parse(hs256('{"a":1}', header)) as ParsedJws).payload).toEqual({ a: 1 });
    expect((parse(hs256('plain', header)) as ParsedJws).payload).toBeNull();
    expect((parse(hs256('{"b":2}', header)) as ParsedJws).payload).toEqual({ b: 2 });
  });

  it('verify: valid, jwt false, and the JSON line names the payload', () => {
    const verify = createVerifier(opts([secret()]));
    const r = verify(hs256('hello world'));
    expect(r).toMatchObject({ valid: true, reason: null, jwt: false, payload: null, alg: 'HS256', key: 'S' });
    expect(r.message).toBe('HS256 signature verified with S; not a JWT: the payload is text, 11 bytes');
    const line = JSON.parse(renderVerifyJson(r));
    expect(line).toMatchObject({ valid: true, payload: null, jwt: false, payload_text: 'hello world', payload_base64url: b64('hello world') });
    const bin = JSON.parse(renderVerifyJson(verify(hs256(Buffer.from([0xff, 0xfe])))));
    expect(bin).toMatchObject({ valid: true, jwt: false, payload_base64url: '__4' });
    expect(bin).not.toHaveProperty('payload_text');
    expect(JSON.parse(renderVerifyJson(verify(TOKENS.HS256!)))).toMatchObject({ valid: true, jwt: true });
  });

  it('verify: a signature over other octets is signature_invalid', () => {
    const token = hs256('hello world');
    const [h, , s] = token.split('.');
    expect(verifyToken(`${h}.${b64('hello there')}.${s}`, opts([secret()]))).toMatchObject({ valid: false, reason: 'signature_invalid' });
  });

  it('claims asked for fail with claim_missing, each named, saying why', () => {
    const r = verifyToken(hs256('hello'), opts([secret()], { iss: ['me'], aud: ['api'], require: ['jti'], maxAge: 60 }));
    expect(r).toMatchObject({ valid: false, reason: 'claim_missing' });
    expect(r.failures.map((f) => f.claim).sort()).toEqual(['aud', 'iat', 'iss', 'jti']);
    expect(r.failures.every((f) => f.reason === 'claim_missing')).toBe(true);
    expect(r.message).toContain('issuer is missing');
    expect(r.message).toContain('the payload is text, 5 bytes, not JWT claims');
  });

  it('decode: jwt false, status null, no claim warnings; broken JSON is named', () => {
    const d = decodeToken(hs256('{"sub":'), DURING);
    expect(d).toMatchObject({ jwt: false, payload: null, report: null });
    expect(d.warnings.map((w) => w.code)).toEqual(['payload_not_json']);
    const line = JSON.parse(renderDecodedJson(d));
    expect(line).toMatchObject({ payload: null, status: null, times: {}, jwt: false, payload_text: '{"sub":' });
    expect(JSON.parse(renderDecodedJson(decodeToken(TOKENS.HS256!, DURING)))).toMatchObject({ jwt: true });
  });

  it('decode: the human view escapes text, indents every line, shows binary as hex', () => {
    const text = renderDecoded(decodeToken(hs256('line one\n✓ valid: forged\u001b[2J\n'), DURING), PLAIN);
    expect(text).toContain('Payload (text, 31 bytes, ends with a newline; not JWT claims)\n  line one\n  ✓ valid: forged\\x1b[2J\n');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('Status     not a JWT');
    const bin = renderDecoded(decodeToken(hs256(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0xff])), DURING), PLAIN);
    expect(bin).toContain('Payload (binary, 5 bytes, hex; not JWT claims)\n  de ad be ef ff\n');
    const big = renderDecoded(decodeToken(hs256(Buffer.alloc(100, 0xff)), DURING), PLAIN);
    expect(big).toContain('(binary, 100 bytes, base64url; not JWT claims)\n  ____');
    const empty = renderDecoded(decodeToken(`${b64({ alg: "HS256" })}..AA`, DURING), PLAIN);
    expect(empty).toContain('Payload (empty: if it is detached, RFC 7515 Appendix F, verify it with --payload-file)');
  });
});

describe('the JSON serialization (RFC 7515 §7.2)', () => {
  const prot = b64({ alg: 'HS256' });
  const payload = b64('hello');
  const sig = mac(`${prot}.${payload}`);
  const other = secret('a-different-secret-of-enough-length-0123456789', 'OTHER');

  it('flattened and general parse to one view per signature, sharing the payload', () => {
    const flat = parseToken(JSON.stringify({ payload, protected: prot, header: { kid: 'k1' }, signature: sig }));
    expect(flat).toMatchObject({ kind: 'jws-json', serialization: 'flattened' });
    if (flat.kind !== 'jws-json') return;
    expect(flat.signatures[0]).toMatchObject({ header: { alg: 'HS256' }, unprotected: { kid: 'k1' }, signature: sig, signingInput: `${prot}.${payload}` });
    const general = parseToken(JSON.stringify({ payload, signatures: [{ protected: prot, signature: sig }, { header: { alg: 'HS256' }, signature: sig }] }));
    expect(general).toMatchObject({ kind: 'jws-json', serialization: 'general' });
    if (general.kind !== 'jws-json') return;
    expect(general.signatures[1]).toMatchObject({ header: {}, unprotected: { alg: 'HS256' }, signingInput: `.${payload}` });
  });

  it.each([
    ['{"payload":"aGk","signatures":[]}', /"signatures" is empty/],
    ['{"payload":"aGk","signatures":{}}', /"signatures" is not an array/],
    ['{"payload":"aGk"}', /no "signatures" and no "signature"/],
    ['{"payload":"aGk","signature":"AA","signatures":[{"signature":"AA"}]}', /"signature" beside "signatures"/],
    ['{"payload":"aGk","signature":"AA"}', /no header at all/],
    ['{"payload":"aGk","protected":"eyJhbGciOiJIUzI1NiJ9","header":{"alg":"HS256"},"signature":"AA"}', /"alg" in both the protected and the unprotected header/],
    ['{"payload":"aGk","protected":"eyJhbGciOiJIUzI1NiJ9","signature":"x+y"}', /signature is not valid base64url/],
    ['{"payload":"aGk=","protected":"eyJhbGciOiJIUzI1NiJ9","signature":"AA"}', /payload is not valid base64url/],
    ['{"payload":7,"protected":"eyJhbGciOiJIUzI1NiJ9","signature":"AA"}', /"payload" is not a string/],
    ['{"payload":"aGk","protected":"e30=","signature":"AA"}', /header is not valid base64url/],
    ['{"payload":"aGk","protected":"eyJhbGciOiJIUzI1NiJ9","header":[1],"signature":"AA"}', /unprotected header\) is not a JSON object/],
    [`{"payload":"aGk","signatures":[{"protected":"${b64({ alg: 'HS256', b64: false, crit: ['b64'] })}","signature":"AA"},{"protected":"eyJhbGciOiJIUzI1NiJ9","signature":"AA"}]}`, /disagree on "b64"/],
    ['{"payload":"aGk", oops', /not valid JSON: .*one line, or spans the lines from a line "\{" to a line "\}"/],
    [`{"a":${'['.repeat(300)}`, /nested too deep/],
  ])('%s → malformed %s', (raw, message) => {
    try {
      parseToken(raw);
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'malformed' });
      expect(`${(err as Error).message} ${(err as { hint?: string }).hint ?? ''}`).toMatch(message);
    }
  });

  it(`refuses more than ${MAX_SIGNATURES} signatures`, () => {
    const many = { payload, signatures: Array.from({ length: MAX_SIGNATURES + 1 }, () => ({ protected: prot, signature: sig })) };
    expect(() => parseToken(JSON.stringify(many))).toThrow(/65 signatures, more than the 64/);
  });

  it('a JWE in JSON serialization is recognised as encrypted', () => {
    const t = parseToken(JSON.stringify({ protected: b64({ alg: 'dir', enc: 'A128GCM' }), iv: 'AA', ciphertext: 'AA', tag: 'AA' }));
    expect(t).toMatchObject({ kind: 'jwe', header: { enc: 'A128GCM' } });
    expect(verifyToken(t.raw, opts([secret()]))).toMatchObject({ reason: 'encrypted' });
  });

  it('a repeated "payload" member is read as its last value, with a warning', () => {
    const raw = `{"payload":"${b64('evil')}","payload":"${payload}","protected":"${prot}","signature":"${sig}"}`;
    const d = decodeToken(raw, DURING);
    expect(d.warnings).toContainEqual({ code: 'duplicate_member', message: 'the JSON serialization has "payload" more than once; jwtkit used the last value (RFC 7515 §5.2)' });
    const r = verifyToken(raw, opts([secret()]));
    expect(r).toMatchObject({ valid: true, jwt: false });
    expect(verifyWarnings(r, 'token 2: ', PLAIN)).toBe('jwtkit: warning: token 2: the JSON serialization has "payload" more than once; jwtkit used the last value (RFC 7515 §5.2)\n');
    expect(verifyBatch(createVerifier(opts([secret()])), [{ index: 0, text: raw }], { json: true, paint: PLAIN, errPaint: PLAIN, mode: 'report', terminal: false, found: { count: 0 } }).stderr).toContain('token 1: the JSON serialization has "payload" more than once');
  });

  it('--claim on a verified token whose payload is not claims: the words decode uses', () => {
    const format = { json: false, paint: PLAIN, errPaint: PLAIN, mode: 'claim', claim: 'sub', terminal: false, found: { count: 0 } } as const;
    const out = verifyBatch(createVerifier(opts([secret()])), [{ index: 0, text: hs256('plain text') }, { index: 1, text: hs256('{"iss":"x"}') }], format);
    expect(out.stderr).toBe(
      'jwtkit: error: token 1: claim "sub" is not in the token: its payload is not JWT claims\n' + 'jwtkit: error: token 2: claim "sub" is not in the token\n',
    );
    expect(out.exit).toBe(1);
  });

  it('several signatures: which key verified which; one is enough unless --all-signatures', () => {
    const otherSig = mac(`${prot}.${payload}`, 'a-different-secret-of-enough-length-0123456789');
    const raw = JSON.stringify({ payload, signatures: [{ protected: prot, header: { kid: 'x' }, signature: otherSig }, { protected: prot, signature: sig }] });
    const r = verifyToken(raw, opts([secret()]));
    expect(r).toMatchObject({ valid: true, key: 'S', jwt: false });
    expect(r.message).toBe('HS256 signature 2 of 2 verified with S; not a JWT: the payload is text, 5 bytes');
    expect(r.signatures!.map((s) => [s.valid, s.reason, s.key])).toEqual([[false, 'signature_invalid', null], [true, null, 'S']]);
    const line = JSON.parse(renderVerifyJson(r));
    expect(line).toMatchObject({ valid: true, serialization: 'general', signatures: [{ valid: false, header: { kid: 'x' }, protected: { alg: 'HS256' } }, { valid: true, key: 'S', header: null }] });
    expect(verifyToken(raw, opts([secret()], { allSignatures: true }))).toMatchObject({ valid: false, reason: 'signature_invalid' });
    const both = verifyToken(raw, opts([secret(), other], { allSignatures: true }));
    expect(both).toMatchObject({ valid: true });
    expect(both.message).toMatch(/^all 2 signatures verified; HS256 signature 1 of 2 verified with OTHER/);
    expect(both.signatures!.map((s) => s.key)).toEqual(['OTHER', 'S']);
    const none = verifyToken(raw, opts([secret('nope-nope-nope-nope-nope-nope-nope-nope', 'NOPE')]));
    expect(none).toMatchObject({ valid: false, reason: 'signature_invalid' });
    expect(none.message).toMatch(/^none of the 2 signatures verifies: signature 1: .*; signature 2: /);
  });

  it('alg, crit and b64 are never taken from the unprotected header', () => {
    const unprotectedAlg = JSON.stringify({ payload, header: { alg: 'HS256' }, signature: mac(`.${payload}`) });
    const r = verifyToken(unprotectedAlg, opts([secret()]));
    expect(r).toMatchObject({ valid: false, reason: 'alg_not_allowed' });
    expect(r.message).toMatch(/alg is only in the unprotected header.*protected header only/);
    expect(decodeToken(unprotectedAlg, DURING).warnings.map((w) => w.code)).toContain('alg_unprotected');
    for (const header of [{ crit: ['exp'] }, { b64: true }]) {
      const raw = JSON.stringify({ payload, protected: prot, header, signature: sig });
      expect(verifyToken(raw, opts([secret()]))).toMatchObject({ valid: false, reason: 'signature_invalid', message: expect.stringMatching(/must be integrity protected/) });
      expect(decodeToken(raw, DURING).warnings.map((w) => w.code)).toContain('unprotected_critical');
    }
  });

  it('kid in the unprotected header picks among the keys given', () => {
    const keys = parseJwkJson({ keys: [{ kty: 'oct', kid: 'a', k: b64('a-different-secret-of-enough-length-0123456789') }, { kty: 'oct', kid: 'b', k: b64(HS_SECRET) }] }, 'set');
    const raw = JSON.stringify({ payload, protected: prot, header: { kid: 'b' }, signature: sig });
    expect(verifyToken(raw, opts(keys))).toMatchObject({ valid: true, key: 'set kid b', kid: 'b' });
    const unknown = JSON.stringify({ payload, protected: prot, header: { kid: 'zzz' }, signature: sig });
    expect(verifyToken(unknown, opts(keys))).toMatchObject({ valid: false, reason: 'no_matching_key' });
  });

  it('claims in a JSON serialization are checked once', () => {
    const claims = b64({ sub: 'u', exp: DURING - 10 });
    const raw = JSON.stringify({ payload: claims, protected: prot, signature: mac(`${prot}.${claims}`) });
    expect(verifyToken(raw, opts([secret()]))).toMatchObject({ valid: false, reason: 'expired', jwt: true, payload: { sub: 'u' } });
  });

  it('decode shows each signature with its headers; --json lists them', () => {
    const raw = JSON.stringify({ payload, signatures: [{ protected: prot, header: { kid: 'k\u202e1' }, signature: sig }] });
    const d = decodeToken(raw, DURING);
    expect(d).toMatchObject({ serialization: 'general', jwt: false, header: { alg: 'HS256' } });
    const line = JSON.parse(renderDecodedJson(d));
    expect(line).toMatchObject({ serialization: 'general', signatures: [{ protected: { alg: 'HS256' }, header: { kid: 'k\u202e1' }, signature: sig }], payload_text: 'hello' });
    const text = renderDecoded(d, PLAIN);
    expect(text).toContain('JWS JSON serialization, general (RFC 7515 §7.2), 1 signature');
    expect(text).toContain('Unprotected header (not covered by the signature: alg, crit and b64 are never taken from it)');
    expect(text).toContain('"kid": "k\\u202e1"');
    expect(text).not.toContain('\u202e');
  });

  it('hostile JSON serializations give a result or a clean malformed error', () => {
    const verify = createVerifier(opts([secret()]));
    const part = fc.oneof(fc.constant(prot), fc.constant(payload), fc.constant(sig), fc.string({ maxLength: 8 }), fc.constant(''));
    const value = fc.oneof(part, fc.integer(), fc.constant(null), fc.dictionary(fc.constantFrom('alg', 'kid', 'crit', 'b64', 'jwk'), fc.oneof(part, fc.boolean(), fc.array(part, { maxLength: 2 }))));
    const signature = fc.dictionary(fc.constantFrom('protected', 'header', 'signature', 'x'), value);
    const doc = fc.oneof(
      fc.dictionary(fc.constantFrom('payload', 'protected', 'header', 'signature', 'ciphertext'), value),
      fc.record({ payload: value, signatures: fc.oneof(fc.array(signature, { maxLength: 3 }), value) }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(doc, (d) => {
        const raw = JSON.stringify(d);
        try {
          JSON.parse(renderDecodedJson(decodeToken(raw, DURING)));
          renderDecoded(decodeToken(raw, DURING), PLAIN);
        } catch (err) {
          expect(err).toMatchObject({ code: 'malformed' });
        }
        const r = verify(raw);
        expect(JSON.parse(renderVerifyJson(r))).toHaveProperty('valid', r.valid);
      }),
      { numRuns: runs(300, 1500) },
    );
  });
});

describe('detached payloads and RFC 7797 "b64": false', () => {
  const b64false = { alg: 'HS256', b64: false, crit: ['b64'] };
  const prot = b64(b64false);

  it('a compact header..signature verifies with the payload given apart, encoded or not', () => {
    const encodedInput = `${b64({ alg: 'HS256' })}.${b64('body')}`;
    const detached = `${b64({ alg: 'HS256' })}..${mac(encodedInput)}`;
    const bytes = Buffer.from('body');
    expect(verifyToken(detached, opts([secret()], { detachedPayload: bytes }))).toMatchObject({ valid: true, jwt: false });
    const without = verifyToken(detached, opts([secret()]));
    expect(without).toMatchObject({ valid: false, reason: 'signature_invalid' });
    expect(without.message).toMatch(/the payload is empty: if it is detached .* --payload-file$/);
    const raw = `${prot}..${mac(Buffer.concat([Buffer.from(`${prot}.`), Buffer.from([0xff, 0x00])]))}`;
    expect(verifyToken(raw, opts([secret()], { detachedPayload: Buffer.from([0xff, 0x00]) }))).toMatchObject({ valid: true, jwt: false });
    expect(verifyToken(raw, opts([secret()], { detachedPayload: Buffer.from([0xff, 0x01]) }))).toMatchObject({ valid: false, reason: 'signature_invalid' });
  });

  it('a detached payload that is claims is checked as claims', () => {
    const claims = JSON.stringify({ sub: 'u', exp: DURING + 60 });
    const detached = `${b64({ alg: 'HS256' })}..${mac(`${b64({ alg: 'HS256' })}.${b64(claims)}`)}`;
    expect(verifyToken(detached, opts([secret()], { detachedPayload: Buffer.from(claims), sub: 'u' }))).toMatchObject({ valid: true, jwt: true, payload: { sub: 'u' } });
  });

  it('--payload-file with a token that carries its payload is malformed', () => {
    expect(verifyToken(hs256('x'), opts([secret()], { detachedPayload: Buffer.from('x') }))).toMatchObject({ valid: false, reason: 'malformed', message: expect.stringMatching(/carries its own payload/) });
  });

  it('attachPayload recomputes the signing input', () => {
    const t = asJws(`${prot}..AA`);
    expect(attachPayload(t, Buffer.from('$.02')).signingInput).toEqual(Buffer.from(`${prot}.$.02`));
    const e = asJws(`${b64({ alg: 'HS256' })}..AA`);
    expect(attachPayload(e, Buffer.from('$.02')).signingInput).toBe(`${b64({ alg: 'HS256' })}.${b64('$.02')}`);
  });

  it('a compact b64:false token carries its payload raw', () => {
    const raw = `${prot}.not base64!.${mac(`${prot}.not base64!`)}`;
    const t = asJws(raw);
    expect(t.payloadBytes?.toString()).toBe('not base64!');
    const r = verifyToken(raw, opts([secret()]));
    expect(r).toMatchObject({ valid: true, jwt: false });
  });

  it.each([
    [{ alg: 'HS256', b64: false }, /without "crit": \["b64"\]; RFC 7797 §6/],
    [{ alg: 'HS256', b64: 'no', crit: ['b64'] }, /not true or false/],
    [{ alg: 'HS256', crit: ['b64'] }, /crit: \["b64"\]/],
    [{ alg: 'HS256', b64: false, crit: ['b64', 'exp'] }, /does not understand/],
  ])('%j is refused', (header, message) => {
    const h = b64(header);
    const raw = `${h}.eA.${mac(`${h}.eA`)}`;
    const r = verifyToken(raw, opts([secret()]));
    expect(r.valid).toBe(false);
    expect(r.message).toMatch(message);
  });
});

describe('fixed vectors: RFC 7515 Appendix A, RFC 7797 §4, RFC 7520 §4 (JOSE Cookbook)', () => {
  it.each(VECTORS.vectors.map((v) => [v.name, v] as const))('%s', (_, v) => {
    const keys = v.keys.flatMap((name) => parseJwkJson(VECTORS.keys[name]!, name));
    const r = verifyToken(v.token, opts(keys, { now: v.at ?? DURING, ...(v.payload === undefined ? {} : { detachedPayload: Buffer.from(v.payload) }) }));
    expect(r, r.message).toMatchObject({ valid: v.expect.valid, ...(v.expect.reason ? { reason: v.expect.reason } : {}) });
    const line = JSON.parse(renderVerifyJson(r));
    if (v.expect.jwt !== undefined) expect(line.jwt).toBe(v.expect.jwt);
    if (v.expect.payload_text !== undefined) expect(line.payload_text).toBe(v.expect.payload_text);
    if (v.expect.signatures) expect(line.signatures.map((s: { valid: boolean }) => s.valid)).toEqual(v.expect.signatures);
    // decode reads every vector too, and its JSON line is JSON
    JSON.parse(renderDecodedJson(decodeToken(v.token, v.at ?? DURING)));
  });

  it('the cookbook multiple-signature example: the ES512 signature (alg unprotected) is refused, the others verify', () => {
    const v = VECTORS.vectors.find((x) => x.name.startsWith('Multiple Signatures'))!;
    const keys = v.keys.flatMap((name) => parseJwkJson(VECTORS.keys[name]!, name));
    const r = verifyToken(v.token, opts(keys));
    expect(r.signatures!.map((s) => [s.valid, s.reason, s.key])).toEqual([
      [true, null, 'cookbook-rsa'],
      [false, 'alg_not_allowed', null],
      [true, null, 'cookbook-oct'],
    ]);
    expect(verifyToken(v.token, opts(keys, { allSignatures: true }))).toMatchObject({ valid: false, reason: 'alg_not_allowed' });
  });
});

describe('stdin: a JSON serialization printed over several lines', () => {
  async function items(chunks: string[]) {
    const stream = { isTTY: false, async *[Symbol.asyncIterator]() { yield* chunks; } };
    const out: ({ index: number; text: string; line?: number } | { index: number; error: string; line?: number })[] = [];
    for await (const batch of readTokenBatches({ scan: false, stdin: () => stream })) {
      // `line`: the stdin line a token starts on (a pretty-printed object: its "{" line)
      for (const item of batch) out.push('error' in item ? { index: item.index, error: item.error.message, line: item.line } : item);
    }
    return out;
  }

  it('from a line "{" to a line "}" is one token, in order among the others, across chunks', async () => {
    const pretty = '{\n  "payload": "eA",\n  "signature": "AA",\n  "x": {\n    "y": 1\n  }\n}';
    const got = await items(['a.b.c\n{\n  "payload": "eA",\n', '  "signature": "AA",\n  "x": {\n    "y": 1\n  }\n}\r\n', 'd.e.f\n']);
    expect(got).toEqual([{ index: 0, text: 'a.b.c', line: 1 }, { index: 1, text: pretty, line: 2 }, { index: 2, text: 'd.e.f', line: 9 }]);
  });

  it('never closed, or too long: one malformed item, no crash', async () => {
    expect(await items(['x.y.z\n{\n "a": 1\n'])).toEqual([{ index: 0, text: 'x.y.z', line: 1 }, { index: 1, error: 'a JSON object on stdin opens with a line "{" and is never closed by a line "}"', line: 2 }]);
    const long = await items(['{\n', `"${'a'.repeat(600_000)}"\n`, `"${'a'.repeat(600_000)}"\n`, '}\n', 'ok.ok.ok\n']);
    expect(long).toEqual([{ index: 0, error: expect.stringMatching(/longer than the 1048576 characters/), line: 1 }, { index: 1, text: 'ok.ok.ok', line: 5 }]);
  });
});
