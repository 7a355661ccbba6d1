// The JWE rules in-process: parsing every serialization, the structure checks made before any key
// is used, key choice, one message for every integrity failure, and encrypt's defaults.
import { constants as cryptoConstants, createCipheriv, createHmac, createPrivateKey, generateKeyPairSync, publicEncrypt, randomBytes, webcrypto } from 'node:crypto';
import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_P2C, MAX_PBES2_BUDGET, type JweAlg, type JweEnc } from '../../src/algs.js';
import { keyJweAlgorithms, parseKeyText, secretKeyMaterial, type KeyMaterial } from '../../src/crypto.js';
import { decryptInput, decryptionFailedMessage, parseJweInput, readJweItems, viewPlaintext, type DecryptOptions } from '../../src/commands/decrypt.js';
import { chooseJweAlgs, encryptPayload, requiredSecretBits } from '../../src/commands/encrypt.js';
import { JwtkitError } from '../../src/errors.js';
import { key } from '../helpers/fixtures.js';

const jwk = (value: object, label = 'key') => parseKeyText(JSON.stringify(value), label, undefined, { use: 'enc' })[0]!;
const secret = (n: number, label = `secret${n}`) => secretKeyMaterial(label, randomBytes(n));
/** A committed RSA key as a JWK (fixtures/keys: RSA key generation costs ~0.25 s of CPU a key). */
const rsaFixture = (name: string) => createPrivateKey(readFileSync(key(name))).export({ format: 'jwk' });
const rsa = jwk(rsaFixture('rsa.key.pem'), 'rsa.jwk');
const p256 = jwk(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'jwk' }), 'p256.jwk');
const x25519 = jwk(generateKeyPairSync('x25519').privateKey.export({ format: 'jwk' }), 'x25519.jwk');
const enc = (text: string) => new TextEncoder().encode(text);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;

async function make(alg: JweAlg, contentEnc: JweEnc, key: KeyMaterial, plaintext = 'hello', extra: { zip?: boolean; kid?: string } = {}): Promise<string> {
  return (await encryptPayload({ plaintext: enc(plaintext), alg, enc: contentEnc, p2c: 1000, ...extra }, key)).token;
}

/** An RSA1_5 + A128CBC-HS256 token, made by hand (jose no longer makes them; Node.js still encrypts PKCS#1 v1.5). */
function makeRsa15(plaintext: string, key: KeyMaterial): string {
  const cek = randomBytes(32);
  const iv = randomBytes(16);
  const protectedHeader = b64({ alg: 'RSA1_5', enc: 'A128CBC-HS256' });
  const ek = publicEncrypt({ key: key.publicKey!, padding: cryptoConstants.RSA_PKCS1_PADDING }, cek);
  const cipher = createCipheriv('aes-128-cbc', cek.subarray(16), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const al = Buffer.alloc(8);
  al.writeBigUInt64BE(BigInt(protectedHeader.length * 8));
  const tag = createHmac('sha256', cek.subarray(0, 16)).update(Buffer.concat([Buffer.from(protectedHeader), iv, ciphertext, al])).digest().subarray(0, 16);
  return [protectedHeader, ek, iv, ciphertext, tag].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

async function open(text: string, keys: KeyMaterial[], options: Partial<DecryptOptions> = {}) {
  return decryptInput(parseJweInput(text), { keys, allowRsa15: false, ...options });
}

/** Flips one bit in the middle of a base64url part. */
function flip(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[bytes.length >> 1]! ^= 0x01;
  return bytes.toString('base64url');
}

describe('decrypt: every integrity failure reads the same', () => {
  const cases: [string, JweAlg, JweEnc, () => KeyMaterial][] = [
    ['A128KW', 'A128KW', 'A128CBC-HS256', () => secret(16)],
    ['A256GCMKW', 'A256GCMKW', 'A256GCM', () => secret(32)],
    ['dir', 'dir', 'A256GCM', () => secret(32)],
    ['PBES2', 'PBES2-HS256+A128KW', 'A128GCM', () => secret(32)],
    ['RSA-OAEP-256', 'RSA-OAEP-256', 'A256CBC-HS512', () => rsa],
    ['RSA1_5 (with --allow-rsa1_5)', 'RSA1_5' as JweAlg, 'A128CBC-HS256', () => rsa],
    ['ECDH-ES+A128KW', 'ECDH-ES+A128KW', 'A128GCM', () => p256],
    ['ECDH-ES X25519', 'ECDH-ES', 'A192GCM', () => x25519],
  ];
  it.each(cases)('%s: an altered header, encrypted key, IV, ciphertext or tag, and a wrong key, all give one message', async (_, alg, contentEnc, keyOf) => {
    const key = keyOf();
    const token = (alg as string) === 'RSA1_5' ? makeRsa15('hello', key) : await make(alg, contentEnc, key);
    const parts = token.split('.');
    const good = await open(token, [key], { allowRsa15: true });
    expect(good.ok && Buffer.from(good.plaintext).toString()).toBe('hello');
    const altered = [
      [b64({ ...headerOf(token), x: 1 }), ...parts.slice(1)],
      ...(parts[1] === '' ? [] : [[parts[0], flip(parts[1]!), ...parts.slice(2)]]),
      [...parts.slice(0, 2), flip(parts[2]!), ...parts.slice(3)],
      [...parts.slice(0, 3), flip(parts[3]!), parts[4]],
      [...parts.slice(0, 4), flip(parts[4]!)],
    ].map((p) => p.join('.'));
    const messages = new Set<string>();
    for (const text of altered) {
      const r = await open(text, [key], { allowRsa15: true });
      expect(r.ok ? 'decrypted' : r.reason).toBe('decryption_failed');
      if (!r.ok) messages.add(r.message);
    }
    // The wrong key of the same kind (same size, same curve) reads the same, too.
    const other = key.secret ? secretKeyMaterial(key.label, randomBytes(key.secret.symmetricKeySize!)) : key === rsa ? jwk(rsaFixture('rsa-other.key.pem'), 'rsa.jwk') : key === p256 ? jwk(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'jwk' }), 'p256.jwk') : jwk(generateKeyPairSync('x25519').privateKey.export({ format: 'jwk' }), 'x25519.jwk');
    const wrong = await open(token, [other], { allowRsa15: true });
    if (!wrong.ok) messages.add(wrong.message);
    expect([...messages]).toEqual([decryptionFailedMessage([key])]);
  }, 30_000);
});

describe('decrypt: the structure is checked before any key is used', () => {
  it('refuses p2c over the cap without running PBKDF2 (10^9 would take minutes)', async () => {
    const key = secret(32);
    const token = await make('PBES2-HS256+A128KW', 'A128GCM', key);
    const parts = token.split('.');
    const started = performance.now();
    const r = await open([b64({ ...headerOf(token), p2c: 1e9 }), ...parts.slice(1)].join('.'), [key]);
    expect(performance.now() - started).toBeLessThan(500);
    expect(r.ok ? 'decrypted' : [r.reason, r.message]).toEqual(['unsupported', `p2c 1000000000 is over jwtkit's cap of ${MAX_P2C.toLocaleString('en-US')} PBES2 iterations (a sender's count costs the reader's time)`]);
  });

  it('truncated or wrong-sized parts are malformed, naming the part', async () => {
    const key = secret(16);
    const parts = (await make('A128KW', 'A128GCM', key)).split('.');
    const reasons = async (text: string) => {
      try {
        const r = await open(text, [key]);
        return r.ok ? 'decrypted' : `${r.reason}: ${r.message}`;
      } catch (err) {
        return `${(err as JwtkitError).code}: ${(err as JwtkitError).message}`;
      }
    };
    expect(await reasons(parts.slice(0, 4).join('.'))).toBe('malformed: the token has 4 parts; a compact JWE has 5');
    expect(await reasons([...parts.slice(0, 2), parts[2]!.slice(0, 8), ...parts.slice(3)].join('.'))).toBe('malformed: the initialization vector is 6 bytes; A128GCM uses 12');
    expect(await reasons([...parts.slice(0, 4), parts[4]!.slice(0, 12)].join('.'))).toBe('malformed: the authentication tag is 9 bytes; A128GCM uses 16');
    expect(await reasons([...parts.slice(0, 3), `${parts[3]}=`, parts[4]].join('.'))).toBe('malformed: the ciphertext is not valid base64url');
    expect(await reasons([parts[0], '', ...parts.slice(2)].join('.'))).toBe('malformed: the encrypted key is missing; A128KW needs one');
    // A truncated encrypted key is an integrity failure like any other (AES key unwrap fails).
    expect(await reasons([parts[0], parts[1]!.slice(0, 20), ...parts.slice(2)].join('.'))).toBe(`decryption_failed: ${decryptionFailedMessage([key])}`);
    expect(await reasons('eyJhbGciOiJIUzI1NiJ9.e30.c2ln')).toMatch(/^malformed: this is a signed token \(JWS/);
  });

  it('a key of the wrong type for the alg is alg_not_allowed; the right type of the wrong size, curve or half is no_matching_key', async () => {
    const token = await make('A128KW', 'A128GCM', secret(16));
    const r1 = await open(token, [rsa]);
    expect(r1.ok ? '' : `${r1.reason}: ${r1.message}`).toBe("alg_not_allowed: A128KW cannot be decrypted with an RSA key (2048 bits), which decrypts RSA-OAEP, RSA-OAEP-256, RSA-OAEP-384, RSA-OAEP-512; a key's type decides its algorithms");
    const r2 = await open(token, [secret(44, 'JWT_SECRET')], { algs: ['A128KW'] });
    expect(r2.ok ? '' : `${r2.reason}: ${r2.message}`).toBe('no_matching_key: no key fits: A128KW needs a 16-byte key and JWT_SECRET is 44 bytes');
    const rsaToken = await make('RSA-OAEP-256', 'A128GCM', rsa);
    const publicOnly = { ...rsa, privateKey: undefined } as KeyMaterial;
    const r3 = await open(rsaToken, [publicOnly]);
    expect(r3.ok ? '' : `${r3.reason}: ${r3.message}`).toBe('no_matching_key: no key fits: rsa.jwk is a public key; decrypting needs the private key');
    const p384 = jwk(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ format: 'jwk' }), 'p384.jwk');
    const r4 = await open(await make('ECDH-ES', 'A128GCM', p256), [p384]);
    expect(r4.ok ? '' : `${r4.reason}: ${r4.message}`).toBe("no_matching_key: no key fits: the token's ephemeral key is on P-256 and p384.jwk on P-384");
  });

  it('--alg and --enc narrow what is accepted; RSA1_5 and unknown algorithms are refused', async () => {
    const key = secret(16);
    const token = await make('A128KW', 'A128GCM', key);
    const byAlg = await open(token, [key], { algs: ['A256KW'] });
    expect(byAlg.ok ? '' : `${byAlg.reason}: ${byAlg.message}`).toBe('alg_not_allowed: algorithm A128KW is not allowed (--alg A256KW)');
    const byEnc = await open(token, [key], { encs: ['A256GCM'] });
    expect(byEnc.ok ? '' : `${byEnc.reason}: ${byEnc.message}`).toBe('alg_not_allowed: content encryption A128GCM is not allowed (--enc A256GCM)');
    const parts = token.split('.');
    const rsa15 = await open([b64({ alg: 'RSA1_5', enc: 'A128GCM' }), ...parts.slice(1)].join('.'), [rsa]);
    expect(rsa15.ok ? '' : rsa15.reason).toBe('alg_not_allowed');
    // Allowed, the A128KW key (24 bytes) where RSA1_5 wants 256 fails as any altered token does.
    const allowed = await open([b64({ alg: 'RSA1_5', enc: 'A128GCM' }), ...parts.slice(1)].join('.'), [rsa], { allowRsa15: true });
    expect(allowed.ok ? '' : `${allowed.reason}: ${allowed.message}`).toBe(`decryption_failed: ${decryptionFailedMessage([rsa])}`);
    const unknown = await open([b64({ alg: 'A128KW', enc: 'A128GCM', crit: ['exp'], exp: 1 }), ...parts.slice(1)].join('.'), [key]);
    expect(unknown.ok ? '' : unknown.reason).toBe('unsupported');
  });

  it('values from the token are shown in messages only when short', async () => {
    const key = secret(16);
    const parts = (await make('A128KW', 'A128GCM', key)).split('.');
    const r = await open([b64({ alg: 'x'.repeat(5000), enc: 'A128GCM' }), ...parts.slice(1)].join('.'), [key]);
    expect(r.ok ? '' : r.message).toBe('alg (5002 characters, not shown) is not a JWE key management algorithm jwtkit knows');
  });

  it('kid chooses the key; a kid no key has is no_matching_key', async () => {
    const a = { ...secret(16, 'a'), kid: 'a' };
    const b = { ...secret(16, 'b'), kid: 'b' };
    const token = await make('A128KW', 'A128GCM', b, 'for b', { kid: 'b' });
    const r = await open(token, [a, b]);
    expect(r.ok && r.key).toBe('b');
    const none = await open(await make('A128KW', 'A128GCM', b, 'x', { kid: 'c' }), [a, b]);
    expect(none.ok ? '' : `${none.reason}: ${none.message}`).toBe('no_matching_key: no A128KW key has kid "c" (the keys have: a, b)');
  });
});

describe('decrypt: hostile plaintexts and headers', () => {
  it('a decompression bomb (zip DEF inflating past 1 MiB) is an error, not a crash', async () => {
    const key = secret(32);
    const token = await make('dir', 'A256GCM', key, 'A'.repeat(5 << 20), { zip: true });
    expect(token.length).toBeLessThan(20_000);
    const r = await open(token, [key]);
    expect(r.ok ? '' : r.reason).toBe('too_long');
  });

  it('an ECDH-ES ephemeral key off the curve is never used: Web Crypto refuses to import it, and decrypt fails as any altered token', async () => {
    const good = p256.privateKey!.export({ format: 'jwk' });
    const offCurve = { kty: 'EC', crv: 'P-256', x: good.x, y: Buffer.alloc(32, 7).toString('base64url') };
    await expect(webcrypto.subtle.importKey('jwk', offCurve, { name: 'ECDH', namedCurve: 'P-256' }, true, [])).rejects.toThrow();
    const token = await make('ECDH-ES+A128KW', 'A128GCM', p256);
    const parts = token.split('.');
    const r = await open([b64({ ...headerOf(token), epk: offCurve }), ...parts.slice(1)].join('.'), [p256]);
    expect(r.ok ? '' : `${r.reason}: ${r.message}`).toBe(`decryption_failed: ${decryptionFailedMessage([p256])}`);
  });

  it('a JWE within a JWE is shown as an encrypted token, not opened further', async () => {
    const key = secret(32);
    const inner = await make('dir', 'A256GCM', key, 'secret inner');
    const outer = await make('dir', 'A256GCM', key, inner);
    const r = await open(outer, [key]);
    if (!r.ok) throw new Error(r.message);
    const view = viewPlaintext(r.plaintext, r.header);
    expect(view.nested?.kind).toBe('jwe');
    expect(view.text).toBe(inner);
  });

  it('plaintext views: text, binary (null text), a nested JWT, and cty JWT that is not one', () => {
    expect(viewPlaintext(enc('héllo\n'), {})).toEqual({ text: 'héllo\n', base64url: Buffer.from('héllo\n').toString('base64url'), nested: null });
    expect(viewPlaintext(new Uint8Array([0xff, 0x00]), {}).text).toBeNull();
    expect(viewPlaintext(enc('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtZSJ9.c2ln'), {}).nested?.kind).toBe('jws');
    expect(viewPlaintext(enc('hello'), { cty: 'JWT' }).nestedError).toMatch(/^cty says JWT, but the plaintext is not one/);
  });
});

describe('the RFC 7520 (JOSE Cookbook) §5 and §6 vectors', () => {
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/rfc7520-jwe.json', import.meta.url), 'utf8')) as {
    keys: object[];
    vectors: { section: string; alg: string | string[]; plaintext: string; compact?: string; json?: object; json_flat?: object }[];
    nested: { jws: string; compact: string; json: object; json_flat: object };
  };
  const keys = parseKeyText(JSON.stringify({ keys: fixture.keys }), 'cookbook', undefined, { use: 'enc' });
  it.each(fixture.vectors.map((v) => [v.section, v] as const))('§%s opens in every serialization given (RSA1_5 only with --allow-rsa1_5)', async (_, v) => {
    for (const form of ['compact', 'json', 'json_flat'] as const) {
      const given = v[form];
      if (given === undefined) continue;
      const text = typeof given === 'string' ? given : JSON.stringify(given);
      const r = await open(text, keys);
      if (v.alg === 'RSA1_5') expect(r.ok ? 'decrypted' : r.reason).toBe('alg_not_allowed');
      else expect(r.ok ? Buffer.from(r.plaintext).toString() : r.message).toBe(v.plaintext);
      const allowed = await open(text, keys, { allowRsa15: true });
      expect(allowed.ok ? Buffer.from(allowed.plaintext).toString() : allowed.message).toBe(v.plaintext);
    }
  });

  it('§5.13: with --allow-rsa1_5 and only the RSA key, the RSA1_5 recipient (the first) opens it', async () => {
    const v = fixture.vectors.find((x) => x.section === '5.13')!;
    const rsaKey = keys.filter((k) => k.kid === 'frodo.baggins@hobbiton.example');
    const r = await open(JSON.stringify(v.json), rsaKey, { allowRsa15: true });
    expect(r.ok && [Buffer.from(r.plaintext).toString(), r.recipient]).toEqual([v.plaintext, 0]);
  });
  it('§6: the nested JWS comes out whole', async () => {
    for (const given of [fixture.nested.compact, JSON.stringify(fixture.nested.json), JSON.stringify(fixture.nested.json_flat)]) {
      const r = await open(given, keys);
      expect(r.ok ? Buffer.from(r.plaintext).toString() : r.message).toBe(fixture.nested.jws);
    }
  });
});

describe('reading JWEs from stdin', () => {
  const items = async (text: string) => {
    const out: string[] = [];
    for await (const item of readJweItems(undefined, () => Readable.from([text]))) out.push('error' in item ? `error: ${item.error.message}` : item.text);
    return out;
  };
  it('compact tokens a line each, a JSON serialization on one line or pretty-printed over several', async () => {
    const pretty = JSON.stringify({ protected: 'eyJ9', ciphertext: 'YQ', iv: '"}{' }, null, 2);
    expect(await items(`a.b.c.d.e\n{"ciphertext":"x"}\n${pretty}\nBearer f.g.h.i.j\n`)).toEqual(['a.b.c.d.e', '{"ciphertext":"x"}', pretty, 'f.g.h.i.j']);
  });
  it('an unclosed JSON object over many short lines is read in linear time', async () => {
    const started = performance.now();
    const out = await items(`{\n${'"a":[\n'.repeat(150_000)}`);
    expect(out).toHaveLength(1);
    // Linear takes ~0.1 s; a quadratic reading of 150,000 lines would take minutes. The bound is
    // that far apart so that a loaded machine (load 26 failed a 3 s bound) never trips it.
    expect(performance.now() - started).toBeLessThan(20_000);
  }, 60_000);
});

describe('encrypt: algorithm choice', () => {
  it('defaults: dir with the enc that fits a secret, RSA-OAEP-256 for RSA, ECDH-ES for EC and X25519', () => {
    expect(chooseJweAlgs(secret(32), undefined, undefined)).toEqual({ alg: 'dir', enc: 'A256GCM' });
    expect(chooseJweAlgs(secret(64), undefined, undefined)).toEqual({ alg: 'dir', enc: 'A256CBC-HS512' });
    expect(chooseJweAlgs(secret(32), undefined, 'A128GCM')).toEqual({ alg: 'A256KW', enc: 'A128GCM' });
    expect(chooseJweAlgs(rsa, undefined, undefined)).toEqual({ alg: 'RSA-OAEP-256', enc: 'A256GCM' });
    expect(chooseJweAlgs(p256, undefined, undefined)).toEqual({ alg: 'ECDH-ES', enc: 'A256GCM' });
    expect(chooseJweAlgs(x25519, undefined, 'A128CBC-HS256')).toEqual({ alg: 'ECDH-ES', enc: 'A128CBC-HS256' });
  });
  it('refuses what does not fit, with the fix', () => {
    expect(() => chooseJweAlgs(secret(44, 'JWT_SECRET'), undefined, undefined)).toThrow('JWT_SECRET is 44 bytes: dir with A256GCM needs a 32-byte key');
    expect(() => chooseJweAlgs(secret(16), 'A256KW', undefined)).toThrow('A256KW does not fit secret16 (a secret, 16 bytes): it needs a 32-byte key');
    expect(() => chooseJweAlgs(rsa, 'RSA1_5', undefined)).toThrow('jwtkit never encrypts with RSA1_5');
    expect(() => chooseJweAlgs(rsa, 'A128KW', undefined)).toThrow(/A128KW does not fit rsa.jwk/);
  });
  it('a secret needs as many bits as its key; a PBES2 password 256', () => {
    expect(requiredSecretBits('dir', 'A128GCM')).toBe(128);
    expect(requiredSecretBits('dir', 'A256CBC-HS512')).toBe(256);
    expect(requiredSecretBits('A192KW', 'A256GCM')).toBe(192);
    expect(requiredSecretBits('PBES2-HS256+A128KW', 'A128GCM')).toBe(256);
  });
  it("a JWK's own alg narrows the algorithms (an enc name as a dir key's alg, as the jose C tool writes it)", () => {
    expect(keyJweAlgorithms({ ...secret(32), alg: 'A256GCM' })).toEqual(['dir']);
    expect(keyJweAlgorithms({ ...secret(16), alg: 'A128KW' })).toEqual(['A128KW']);
    expect(keyJweAlgorithms(secret(16))).toEqual(['dir', 'A128KW', 'A128GCMKW', 'PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW']);
  });
});

describe('differential: jwtkit decrypt against jose compactDecrypt on mutated tokens', () => {
  // Every mutation of a valid token (a flipped byte in any part, a part cut short, a part swapped
  // with another token's) is opened by both; they must agree on whether it opens and on the
  // plaintext. jwtkit refuses structure before jose sees it, so "refused" on both sides is agreement.
  it('agrees on every mutation (a fixed seed; more with JWTKIT_TEST_LONG=1)', async () => {
    const { compactDecrypt } = await import('jose');
    const fc = (await import('fast-check')).default;
    const { runs } = await import('../helpers/tools.js');
    const key = secret(32);
    const tokens = await Promise.all([
      make('dir', 'A256GCM', key, 'one'),
      make('A256KW', 'A128CBC-HS256', key, 'two', { zip: true }),
      make('A256GCMKW', 'A192GCM', key, 'three'),
      make('PBES2-HS256+A128KW', 'A256CBC-HS512', key, 'four'),
    ]);
    const joseKey = new Uint8Array(key.secret!.export());
    const jose = async (text: string): Promise<string> => {
      try {
        const { plaintext } = await compactDecrypt(text, joseKey, {
          keyManagementAlgorithms: ['dir', 'A256KW', 'A256GCMKW', 'PBES2-HS256+A128KW'],
          maxPBES2Count: MAX_P2C,
        });
        return Buffer.from(plaintext).toString();
      } catch {
        return 'refused';
      }
    };
    const ours = async (text: string): Promise<string> => {
      try {
        const r = await open(text, [key]);
        return r.ok ? Buffer.from(r.plaintext).toString() : 'refused';
      } catch {
        return 'refused';
      }
    };
    const mutation = fc.record({ token: fc.nat(tokens.length - 1), other: fc.nat(tokens.length - 1), part: fc.nat(4), at: fc.nat(), kind: fc.constantFrom('flip', 'cut', 'swap') });
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const parts = tokens[m.token]!.split('.');
        const bytes = Buffer.from(parts[m.part]!, 'base64url');
        if (m.kind === 'flip' && bytes.length > 0) bytes[m.at % bytes.length]! ^= 1 << m.at % 8;
        const mutated = m.kind === 'swap' ? tokens[m.other]!.split('.')[m.part]! : (m.kind === 'cut' ? bytes.subarray(0, m.at % (bytes.length + 1)) : bytes).toString('base64url');
        parts[m.part] = mutated;
        const text = parts.join('.');
        expect(await ours(text)).toBe(await jose(text));
      }),
      { seed: 20261130, numRuns: runs(150, 3000) },
    );
  }, 120_000);
});

describe('hostile JSON serializations', () => {
  it('deep nesting, too many recipients, headers that overlap, a JWS in JSON: each one clear refusal', async () => {
    const key = secret(16);
    const refusal = async (text: string) => {
      try {
        const r = await open(text, [key]);
        return r.ok ? 'decrypted' : `${r.reason}: ${r.message}`;
      } catch (err) {
        return `${(err as JwtkitError).code}: ${(err as JwtkitError).message}`;
      }
    };
    expect(await refusal(`{"ciphertext":"YQ","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)).toBe('malformed: the JSON is nested too deep (more than 128 levels)');
    expect(await refusal(JSON.stringify({ ciphertext: 'YQ', recipients: Array.from({ length: 65 }, () => ({})) }))).toBe('malformed: the JWE has 65 recipients, more than the 64 jwtkit reads');
    const parts = (await make('A128KW', 'A128GCM', key)).split('.');
    const overlap = { protected: parts[0], header: { alg: 'A128KW' }, encrypted_key: parts[1], iv: parts[2], ciphertext: parts[3], tag: parts[4] };
    expect(await refusal(JSON.stringify(overlap))).toBe('malformed: the header parameter "alg" appears in more than one header (RFC 7516 §7.2.1 requires them disjoint)');
    expect(await refusal(JSON.stringify({ payload: 'e30', signatures: [] }))).toMatch(/^malformed: this is a signed token in the JSON serialization \(JWS\)/);
    expect(await refusal('{"ciphertext": 1}')).toMatch(/^malformed: the JSON has no "ciphertext"/);
  });

  it('many PBES2 recipients at the p2c cap stop at the per-token PBES2 budget (30 × 1,000,000 took 13 s)', async () => {
    // The tester's token: protected {"enc":"A128GCM"}, 30 recipients each at p2c 1,000,000 with
    // its own salt and a 40-byte encrypted key, dummy iv/ciphertext/tag.
    const hostile = {
      protected: b64({ enc: 'A128GCM' }),
      recipients: Array.from({ length: 30 }, () => ({
        header: { alg: 'PBES2-HS512+A256KW', p2c: MAX_P2C, p2s: randomBytes(16).toString('base64url') },
        encrypted_key: randomBytes(40).toString('base64url'),
      })),
      iv: randomBytes(12).toString('base64url'),
      ciphertext: randomBytes(16).toString('base64url'),
      tag: randomBytes(16).toString('base64url'),
    };
    const r = await open(JSON.stringify(hostile), [secret(32, 'pw1'), secret(32, 'pw2')]);
    expect(r.ok ? 'decrypted' : [r.reason, r.message]).toEqual([
      'unsupported',
      `the token asks for more PBES2 work than jwtkit's budget of ${MAX_PBES2_BUDGET.toLocaleString('en-US')} iterations per token (p2c summed over every recipient and key tried); stopped after ${(MAX_PBES2_BUDGET / MAX_P2C)} attempts`,
    ]);
    // The budget is two attempts at the cap, and the message counts them: that, not a clock, is
    // the check (about 1 s of PBKDF2 here, where the 60 attempts before took 32 s).
  }, 60_000);

  it('a JWKS for decrypt takes encryption keys and skips signing ones, saying so when none is left', () => {
    const set = { keys: [{ kty: 'oct', kid: 's', use: 'sig', k: 'AAAAAAAAAAAAAAAAAAAAAA' }, { kty: 'oct', kid: 'e', use: 'enc', k: 'AAAAAAAAAAAAAAAAAAAAAA' }] };
    expect(parseKeyText(JSON.stringify(set), 'set.json', undefined, { use: 'enc' }).map((k) => k.kid)).toEqual(['e']);
    expect(() => parseKeyText(JSON.stringify({ keys: [set.keys[0]] }), 'set.json', undefined, { use: 'enc' })).toThrow('set.json holds 1 key, all for signatures (use "sig"); none decrypts');
  });
});

describe('round trip in-process: every alg (RSA-OAEP-384/512 have no independent peer here: jwcrypto 1.1 and jose 11 lack them)', () => {
  it('encrypt → decrypt for each alg, with the encs in turn', async () => {
    const { JWE_ALGS, JWE_ENCS } = await import('../../src/algs.js');
    const keyFor = (alg: JweAlg, contentEnc: JweEnc): KeyMaterial => {
      if (alg === 'dir') return secret({ 'A128CBC-HS256': 32, 'A192CBC-HS384': 48, 'A256CBC-HS512': 64, A128GCM: 16, A192GCM: 24, A256GCM: 32 }[contentEnc]);
      if (alg.startsWith('RSA')) return rsa;
      if (alg.startsWith('ECDH')) return p256;
      if (alg.startsWith('PBES2')) return secret(40);
      return secret(Number(alg.slice(1, 4)) / 8);
    };
    for (const [i, alg] of JWE_ALGS.entries()) {
      const contentEnc = JWE_ENCS[i % JWE_ENCS.length]!;
      const key = keyFor(alg, contentEnc);
      const r = await open(await make(alg, contentEnc, key, `${alg} ${contentEnc}`), [key]);
      expect(r.ok ? Buffer.from(r.plaintext).toString() : r.message).toBe(`${alg} ${contentEnc}`);
    }
  });
});
