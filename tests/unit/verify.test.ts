import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { compactVerify, importSPKI } from "jose";
import { describe, expect, it } from 'vitest';
import { createVerifier, verifyToken, type VerifyOptions } from '../../src/commands/verify.js';
import { parseJwkJson, parseKeyText, secretKeyMaterial, type KeyMaterial } from '../../src/crypto.js';
import { DURING, HS_SECRET, IAT, JWE, TOKENS, key } from '../helpers/fixtures.js';

const pem = (name: string) => readFileSync(key(name), 'utf8');
const keyFrom = (name: string) => parseKeyText(pem(name), name);
const secret = (text = HS_SECRET, label = 'JWT_SECRET') => secretKeyMaterial(label, Buffer.from(text, 'utf8'));
const opts = (keys: KeyMaterial[], extra: Partial<VerifyOptions> = {}): VerifyOptions => ({ keys, leeway: 0, require: [], now: DURING, ...extra });
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const hs256 = (header: object, payload: object, secretText: string | Buffer = HS_SECRET) => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secretText).update(input).digest('base64url')}`;
};
const claims = { sub: 'user-42', iss: 'https://auth.example.com', aud: 'api', iat: IAT, exp: IAT + 900 };

const PUBLIC_FOR: Record<string, string> = {
  RS256: 'rsa.pub.pem', RS384: 'rsa.crt.pem', RS512: 'rsa.pkcs1.pem',
  PS256: 'rsa.key.pem', PS384: 'rsa.pub.pem', PS512: 'rsa.crt.pem',
  ES256: 'ec256.sec1.pem', ES384: 'ec384.pub.pem', ES512: 'ec521.key.pem',
  EdDSA: 'ed25519.pub.pem',
};

describe('signatures of every algorithm (tokens from PyJWT)', () => {
  it.each(Object.entries(PUBLIC_FOR))('%s verifies with %s, and jose agrees', async (alg, file) => {
    const r = verifyToken(TOKENS[alg]!, opts(keyFrom(file)));
    expect(r).toMatchObject({ valid: true, reason: null, alg, key: file, kid: `test-${alg.toLowerCase()}` });
    const joseKey = await importSPKI(createPublicKey(pem(file)).export({ type: 'spki', format: 'pem' }) as string, alg);
    await expect(compactVerify(TOKENS[alg]!, joseKey)).resolves.toBeTruthy();
  });

  it.each(Object.entries(PUBLIC_FOR))('%s verifies with the key as a JWK and inside a JWKS', (alg, file) => {
    const jwk = createPublicKey(pem(file)).export({ format: 'jwk' });
    expect(verifyToken(TOKENS[alg]!, opts(parseJwkJson(jwk, 'jwk'))).valid).toBe(true);
    const jwks = { keys: [{ ...jwk, kid: `test-${alg.toLowerCase()}` }, { ...createPublicKey(pem('rsa-other.pub.pem')).export({ format: 'jwk' }), kid: 'other' }] };
    const r = verifyToken(TOKENS[alg]!, opts(parseJwkJson(jwks, 'jwks.json')));
    expect(r).toMatchObject({ valid: true, key: `jwks.json kid test-${alg.toLowerCase()}` });
  });

  it('HS256/384/512 verify with the secret', () => {
    expect(verifyToken(TOKENS.HS256!, opts([secret()])).valid).toBe(true);
    expect(verifyToken(TOKENS.HS384!, opts([secret(HS_SECRET + HS_SECRET)])).valid).toBe(true);
    expect(verifyToken(TOKENS.HS512!, opts([secret(HS_SECRET + HS_SECRET)])).valid).toBe(true);
  });

  it('a JWK with its own alg verifies only that alg', () => {
    const jwk = { ...createPublicKey(pem('rsa.pub.pem')).export({ format: 'jwk' }), alg: 'RS256' };
    expect(verifyToken(TOKENS.RS256!, opts(parseJwkJson(jwk, 'k'))).valid).toBe(true);
    expect(verifyToken(TOKENS.PS256!, opts(parseJwkJson(jwk, 'k')))).toMatchObject({ valid: false, reason: 'alg_not_allowed' });
  });
});

describe('every reason code', () => {
  it('signature_invalid: wrong secret, tampered payload, wrong key', () => {
    expect(verifyToken(TOKENS.HS256!, opts([secret('another-secret-that-is-long-enough-1234')]))).toMatchObject({
      valid: false,
      reason: 'signature_invalid',
      message: 'the signature does not match JWT_SECRET: the token was signed with another key, or altered',
    });
    const [h, , s] = TOKENS.HS256!.split('.');
    const tampered = `${h}.${b64({ ...claims, sub: 'admin' })}.${s}`;
    expect(verifyToken(tampered, opts([secret()])).reason).toBe('signature_invalid');
    expect(verifyToken(TOKENS.RS256_other_key!, opts(keyFrom('rsa.pub.pem'))).reason).toBe('signature_invalid');
  });

  it('expired, with the leeway honoured', () => {
    const late = IAT + 900 + 3 * 3600 + 120;
    expect(verifyToken(TOKENS.HS256!, opts([secret()], { now: late }))).toMatchObject({ reason: 'expired', message: 'token expired 3h 2m ago (exp)' });
    expect(verifyToken(TOKENS.HS256!, opts([secret()], { now: IAT + 900 })).reason).toBe('expired');
    expect(verifyToken(TOKENS.HS256!, opts([secret()], { now: IAT + 930, leeway: 60 })).valid).toBe(true);
  });

  it('a token valid only thanks to the leeway says so, not "expires 30s ago"', () => {
    const verify = createVerifier(opts([secret()], { now: IAT + 930, leeway: 60 }));
    expect(verify(TOKENS.HS256!).message).toBe('HS256 signature verified with JWT_SECRET; expired 30s ago, accepted within the leeway of 1m');
    expect(verify(TOKENS.HS256!).message).toBe('HS256 signature verified with JWT_SECRET; expired 30s ago, accepted within the leeway of 1m');
    expect(verifyToken(TOKENS.HS256!, opts([secret()], { now: IAT + 300, leeway: 60 })).message).toBe('HS256 signature verified with JWT_SECRET; expires in 10m');
    const early = verifyToken(TOKENS.HS256_nbf_future!, opts([secret()], { now: IAT + 570, leeway: 60 }));
    expect(early.message).toMatch(/; becomes valid in 30s \(nbf\), accepted within the leeway of 1m$/);
  });

  it('exp: 1e400 is not a valid NumericDate, and says why', () => {
    const token = hs256({ alg: 'HS256' }, {});
    const [h, , ] = token.split('.');
    const input = `${h}.${b64('{"exp":1e400}')}`;
    const signed = `${input}.${createHmac('sha256', HS_SECRET).update(input).digest('base64url')}`;
    expect(verifyToken(signed, opts([secret()]))).toMatchObject({
      reason: 'claim_mismatch',
      message: 'exp is not a valid NumericDate: the JSON text has a number too large for one (exp)',
    });
  });

  it('not_yet_valid', () => {
    expect(verifyToken(TOKENS.HS256_nbf_future!, opts([secret()], { now: IAT + 300 }))).toMatchObject({
      reason: 'not_yet_valid',
      message: 'token is not valid until 2026-11-18T11:16:40Z, in 5m (nbf)',
    });
  });

  it('claim_mismatch and claim_missing, all failures named in one line', () => {
    const r = verifyToken(TOKENS.HS256!, opts([secret()], { now: IAT + 900 + 3 * 3600 + 120, aud: ['web'], iss: ['https://other'], require: ['email'] }));
    expect(r).toMatchObject({ valid: false, reason: 'expired' });
    expect(r.message).toBe(
      "token expired 3h 2m ago (exp) and required claim email is missing (email) and issuer 'https://auth.example.com' is not 'https://other' (iss) and audience 'api' is not 'web' (aud)",
    );
    expect(verifyToken(TOKENS.HS256!, opts([secret()], { sub: 'someone' }))).toMatchObject({ reason: 'claim_mismatch', message: "subject 'user-42' is not 'someone' (sub)" });
    expect(verifyToken(TOKENS.HS256!, opts([secret()], { aud: ['web', 'api'] })).valid).toBe(true);
    // repeated --iss is any-of, like --aud (Google issues both forms)
    expect(verifyToken(TOKENS.HS256!, opts([secret()], { iss: ['auth.example.com', 'https://auth.example.com'] })).valid).toBe(true);
    expect(verifyToken(TOKENS.HS256!, opts([secret()], { iss: ['a', 'b'] })).message).toBe("issuer 'https://auth.example.com' is not 'a' or 'b' (iss)");
    expect(verifyToken(TOKENS.HS256_no_exp!, opts([secret()], { aud: ['api'] }))).toMatchObject({ reason: 'claim_missing', message: "audience is missing, expected 'api' (aud)" });
  });

  it('--max-age refuses an iat in the future, as jose does', () => {
    const future = hs256({ alg: 'HS256' }, { ...claims, iat: DURING + 3600, exp: DURING + 7200 });
    const r = verifyToken(future, opts([secret()], { maxAge: 600 }));
    expect(r).toMatchObject({ valid: false, reason: 'not_yet_valid', failures: [{ reason: 'not_yet_valid', claim: 'iat' }] });
    expect(r.message).toMatch(/issued in the future, in 1h \(iat\)/);
    expect(verifyToken(future, opts([secret()])).valid).toBe(true);
  });

  it('lists every failure with its claim', () => {
    const r = verifyToken(TOKENS.HS256!, opts([secret()], { iss: ['other'], aud: ['web'], now: IAT + 3600 }));
    expect(r.failures).toEqual([
      { reason: 'expired', claim: 'exp' },
      { reason: 'claim_mismatch', claim: 'iss' },
      { reason: 'claim_mismatch', claim: 'aud' },
    ]);
    expect(verifyToken(TOKENS.HS256!, opts([secret()])).failures).toEqual([]);
  });

  it('--max-age uses iat', () => {
    expect(verifyToken(TOKENS.HS256!, opts([secret()], { maxAge: 60 }))).toMatchObject({ reason: 'expired', message: 'token was issued 5m ago, more than --max-age 1m (iat)' });
    expect(verifyToken(TOKENS.HS256!, opts([secret()], { maxAge: 600 })).valid).toBe(true);
    const noIat = hs256({ alg: 'HS256' }, { exp: IAT + 900 });
    expect(verifyToken(noIat, opts([secret()], { maxAge: 600 })).reason).toBe('claim_missing');
  });

  it.each(['none', 'NONE', 'nOnE'])('alg_none: %s is never accepted, whatever the key', (alg) => {
    const token = `${b64({ alg })}.${b64(claims)}.`;
    expect(verifyToken(token, opts([secret()]))).toMatchObject({ valid: false, reason: 'alg_none' });
    expect(verifyToken(token, opts(keyFrom('rsa.pub.pem')))).toMatchObject({ valid: false, reason: 'alg_none' });
  });

  it('alg_not_allowed: --alg narrows the list', () => {
    expect(verifyToken(TOKENS.HS256!, opts([secret()], { algs: ['HS512'] }))).toMatchObject({
      reason: 'alg_not_allowed',
      message: 'HS256 is not allowed: --alg HS512 narrows the list (the key would verify it)',
    });
    expect(verifyToken(TOKENS.RS256!, opts(keyFrom('rsa.pub.pem'), { algs: ['PS256'] })).reason).toBe('alg_not_allowed');
  });

  it('alg_not_allowed: the HS256-with-an-RSA-public-key confusion is refused', () => {
    // The classic attack: sign HS256 with the server's public key PEM text as the HMAC secret.
    const forged = hs256({ alg: 'HS256', typ: 'JWT' }, { ...claims, sub: 'admin' }, pem('rsa.pub.pem'));
    const r = verifyToken(forged, opts(keyFrom('rsa.pub.pem')));
    expect(r).toMatchObject({ valid: false, reason: 'alg_not_allowed' });
    expect(r.message).toBe(
      "HS256 cannot be verified with an RSA key (2048 bits), which verifies RS256, RS384, RS512, PS256, PS384, PS512; a key's type decides its algorithms",
    );
    // ... even if the user lists HS256 in --alg.
    expect(verifyToken(forged, opts(keyFrom('rsa.pub.pem'), { algs: ['HS256', 'RS256'] })).valid).toBe(false);
  });

  it("alg_not_allowed names the actual reason: a JWK's own alg member, not the key's type", () => {
    const jwk = { ...createPublicKey(pem('rsa.pub.pem')).export({ format: 'jwk' }), alg: 'RS256', kid: 'k1' };
    expect(verifyToken(TOKENS.PS256!, opts(parseJwkJson(jwk, 'jwk.json')))).toMatchObject({
      reason: 'alg_not_allowed',
      message: 'PS256 cannot be verified with jwk.json: its JWK names "alg": "RS256", the one algorithm it may be used with (RFC 7517 §4.4); the key\'s type alone would allow PS256',
    });
    // Two such keys in a set: the first is named, the others counted.
    const jwks = { keys: [jwk, { ...createPublicKey(pem('rsa-other.pub.pem')).export({ format: 'jwk' }), alg: 'RS384', kid: 'k2' }] };
    expect(verifyToken(TOKENS.PS256!, opts(parseJwkJson(jwks, 'jwks.json'))).message).toMatch(/^PS256 cannot be verified with jwks\.json kid k1: its JWK names "alg": "RS256".*\(and 1 more key like it\)/);
    // The key's type still comes first when it is the reason: an RSA JWK never verifies HS256.
    expect(verifyToken(TOKENS.HS256!, opts(parseJwkJson(jwk, 'jwk.json'))).message).toBe(
      "HS256 cannot be verified with an RSA key (2048 bits), which verifies RS256; a key's type decides its algorithms",
    );
  });

  it("alg_not_allowed names an RSA-PSS key's own parameters", () => {
    const k: KeyMaterial = { label: 'pss.pem', publicKey: createPublicKey(pem('rsa-pss-sha256.key.pem')) }; // restricted to SHA-256
    expect(verifyToken(TOKENS.PS512!, opts([k]))).toMatchObject({
      reason: 'alg_not_allowed',
      message: 'PS512 cannot be verified with pss.pem: an RSA-PSS key whose own parameters allow PS256 only',
    });
  });

  it('alg_not_allowed: an EC key does not verify RSA or other curves', () => {
    expect(verifyToken(TOKENS.RS256!, opts(keyFrom('ec256.pub.pem'))).reason).toBe('alg_not_allowed');
    expect(verifyToken(TOKENS.ES384!, opts(keyFrom('ec256.pub.pem'))).reason).toBe('alg_not_allowed');
  });

  it('no_matching_key: the kid is not in the JWKS', () => {
    const jwks = { keys: [{ ...createPublicKey(pem('rsa.pub.pem')).export({ format: 'jwk' }), kid: 'k1' }] };
    expect(verifyToken(TOKENS.RS256!, opts(parseJwkJson(jwks, 'jwks')))).toMatchObject({
      reason: 'no_matching_key',
      message: 'no RS256 key has kid "test-rs256" (the keys have: k1)',
    });
  });

  it('encrypted and malformed', () => {
    expect(verifyToken(JWE, opts([secret()]))).toMatchObject({ valid: false, reason: 'encrypted', alg: 'A128KW' });
    expect(verifyToken('a.b', opts([secret()]))).toMatchObject({ valid: false, reason: 'malformed' });
  });
});

describe('safety', () => {
  it('keys named in the token (jku, x5u, jwk, x5c) are ignored', () => {
    // An attacker signs with their own key and embeds its public half as "jwk".
    const attacker = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const header = { alg: 'ES256', jwk: attacker.publicKey.export({ format: 'jwk' }), jku: 'https://evil.example/jwks', x5u: 'https://evil.example/c.pem' };
    const input = `${b64(header)}.${b64({ ...claims, sub: 'admin' })}`;
    const sig = nodeSign('sha256', Buffer.from(input), { key: attacker.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    const r = verifyToken(`${input}.${sig}`, opts(keyFrom('ec256.pub.pem')));
    expect(r).toMatchObject({ valid: false, reason: 'signature_invalid' });
  });

  it('crit extensions jwtkit does not understand are refused', () => {
    const token = hs256({ alg: 'HS256', crit: ['exp-x'], 'exp-x': 1 }, claims);
    expect(verifyToken(token, opts([secret()]))).toMatchObject({ valid: false, reason: 'signature_invalid', message: expect.stringMatching(/crit/) });
  });

  it('RSA keys under 2048 bits are refused', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const input = `${b64({ alg: 'RS256' })}.${b64(claims)}`;
    const sig = nodeSign('sha256', Buffer.from(input), small.privateKey).toString('base64url');
    const weak: KeyMaterial = { label: 'small', publicKey: small.publicKey };
    expect(verifyToken(`${input}.${sig}`, opts([weak]))).toMatchObject({ valid: false, reason: 'alg_not_allowed', message: expect.stringMatching(/2048/) });
  });

  it('rotation: valid if any secret verifies, and says which', () => {
    const keys = [secret('old-secret-old-secret-old-secret-0000', 'JWT_SECRET_OLD'), secret()];
    expect(verifyToken(TOKENS.HS256!, opts(keys))).toMatchObject({ valid: true, key: 'JWT_SECRET' });
    const none = [secret('a'.repeat(40), 'A'), secret('b'.repeat(40), 'B')];
    expect(verifyToken(TOKENS.HS256!, opts(none)).message).toBe('the signature matches none of the 2 keys (A, B)');
  });

  it('a private key verifies through its public half', () => {
    expect(createPrivateKey(pem('ec256.key.pem')).asymmetricKeyType).toBe('ec');
    expect(verifyToken(TOKENS.ES256!, opts(keyFrom('ec256.key.pem'))).valid).toBe(true);
  });

  it("the verifier gives the same answers for a batch as one by one", () => {
    const keys = [secret(), ...keyFrom('rsa.pub.pem'), ...keyFrom('ec256.pub.pem')];
    const v = createVerifier(opts(keys));
    for (const t of Object.values(TOKENS)) expect(v(t)).toEqual(verifyToken(t, opts(keys)));
  });
});

describe('a secret that verifies only when decoded (issue #16)', () => {
  const textKey = (text: string, label = 'JWT_SECRET') => ({ ...secretKeyMaterial(label, Buffer.from(text, 'utf8')), secretText: text });
  const raw = Buffer.from('7a1f3c9e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a', 'hex');
  const token = hs256({ alg: 'HS256' }, claims, raw);

  it.each([
    ['hex', raw.toString('hex')],
    ['base64', raw.toString('base64')],
    ['base64url', raw.toString('base64url')],
  ])('%s: signature_invalid, naming --secret-encoding', (encoding, text) => {
    const r = verifyToken(token, opts([textKey(text)]));
    expect(r).toMatchObject({ valid: false, reason: 'signature_invalid' });
    if (encoding !== 'base64url' || /[-_]/.test(text)) {
      expect(r.message).toBe(`the signature does not match JWT_SECRET as text, but it verifies when the secret is ${encoding}-decoded: add --secret-encoding ${encoding}`);
    } else {
      expect(r.message).toMatch(/it verifies when the secret is base64(url)?-decoded/);
    }
  });

  it('with rotation it names the secret; a plain mismatch, or a key with no text, says what it always said', () => {
    const r = verifyToken(token, opts([textKey('x'.repeat(44), 'NEW'), textKey(raw.toString('hex'), 'OLD')]));
    expect(r.message).toBe('the signature matches none of the 2 keys (NEW, OLD) as text, but it verifies when the secret OLD is hex-decoded: add --secret-encoding hex');
    expect(verifyToken(token, opts([textKey('y'.repeat(44))])).message).toBe('the signature does not match JWT_SECRET: the token was signed with another key, or altered');
    expect(verifyToken(token, opts([secret(raw.toString('hex'))])).message).toBe('the signature does not match JWT_SECRET: the token was signed with another key, or altered');
  });
});


describe('a run of tokens through one verifier (the batch path: remembered header, HMAC views, messages)', () => {
  it('gives each token the verdict a fresh verifier gives it, hostile tokens in between', () => {
    const long = 'k'.repeat(200); // longer than SHA-512's block: hashed first (RFC 2104)
    const keys = [secret(long, 'LONG')];
    const sign = (hash: string, header: object, payload: object | string) => {
      const input = `${b64(header)}.${b64(payload)}`;
      return `${input}.${createHmac(hash, long).update(input).digest('base64url')}`;
    };
    const ok = sign('sha256', { alg: 'HS256', typ: 'JWT' }, claims);
    const sig = ok.slice(ok.lastIndexOf('.') + 1);
    // the same signature with its last character's unused bits set: not canonical base64url
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const nonCanonical = `${ok.slice(0, -1)}${last[last.indexOf(sig.at(-1)!) + 1]}`;
    const tokens = [
      ok,
      sign('sha384', { alg: 'HS384' }, { ...claims, sub: 'user-43' }),
      sign('sha512', { alg: 'HS512' }, claims),
      nonCanonical,
      ok.slice(0, -1), // 42 characters: canonical or not, never the MAC's 43
      ok.replace('.', '.\u0001'),
      ok + '\u001b[2J',
      sign('sha256', { alg: 'HS256', typ: 'JWT' }, { ...claims, sub: 'x'.repeat(70_000) }),
      sign('sha256', { alg: 'HS256', typ: 'JWT' }, { ...claims, sub: 'é\u0085\u202e' }),
      sign('sha256', { alg: 'HS256', typ: 'JWT' }, { ...claims, sub: 'user-44' }).replace(/.$/, (c) => (c === 'A' ? 'Q' : 'A')),
      sign('sha256', { alg: 'HS256', typ: 'JWT' }, { ...claims, exp: IAT - 10 }),
      ok,
    ];
    const verify = createVerifier(opts(keys));
    const results = tokens.map((t) => verify(t));
    for (const [i, t] of tokens.entries()) expect(results[i], `token ${i}`).toEqual(verifyToken(t, opts(keys)));
    expect(results.map((r) => r.valid)).toEqual([true, true, true, false, false, false, false, true, true, false, false, true]);
    expect(['malformed', 'signature_invalid']).toContain(results[4]!.reason);
    expect(results.map((r) => r.reason)).toEqual([null, null, null, 'malformed', results[4]!.reason, 'malformed', 'malformed', null, null, 'signature_invalid', 'expired', null]);
  });
});
