// The rules the CLI halves used to hold, now pure functions in commands/: which options go together
// (gen), what a payload is (encrypt), which algorithm lists are accepted (verify, decrypt).
import { describe, expect, it } from 'vitest';
import { checkAlgOptions, DECRYPT_REASONS } from '../../src/commands/decrypt.js';
import { encryptPlaintext, givenClaimOptions } from '../../src/commands/encrypt.js';
import { planGen, type GenRequest } from '../../src/commands/gen.js';
import { checkAllowedAlgs } from '../../src/commands/verify.js';
import { ERROR_EXITS, EXIT } from '../../src/errors.js';

const thrown = (f: () => unknown): { code: string; message: string; hint?: string } => {
  try {
    f();
  } catch (err) {
    return err as { code: string; message: string; hint?: string };
  }
  throw new Error('did not throw');
};

describe('planGen', () => {
  // commander's defaults: what `jwtkit gen` alone parses to
  const base: GenRequest = { bytes: 32, encoding: 'base64', count: 1, format: 'pem' };
  const plan = (extra: Partial<GenRequest>, given: (keyof GenRequest)[] = Object.keys(extra) as (keyof GenRequest)[], json = false) =>
    planGen({ ...base, ...extra }, (name) => given.includes(name), json);

  it('a secret by default; --dotenv alone names JWT_SECRET', () => {
    expect(plan({})).toEqual({ kind: 'secrets', bytes: 32, encoding: 'base64', count: 1, dotenv: undefined, copy: false });
    expect(plan({ dotenv: true })).toMatchObject({ kind: 'secrets', dotenv: 'JWT_SECRET' });
    expect(plan({ dotenv: 'API_KEY', copy: true })).toMatchObject({ dotenv: 'API_KEY', copy: true });
  });

  it('an HMAC --alg sets the size, and refuses a smaller --bytes (RFC 7518 §3.2)', () => {
    expect(plan({ alg: 'HS512' })).toMatchObject({ kind: 'secrets', bytes: 64 });
    expect(plan({ alg: 'HS384', bytes: 64 })).toMatchObject({ bytes: 64 });
    expect(thrown(() => plan({ alg: 'HS384', bytes: 40 }))).toMatchObject({ code: 'usage', message: 'HS384 needs a key of at least 48 bytes (RFC 7518 §3.2)', hint: 'use --bytes 48 or more' });
  });

  it('a key pair takes none of the secret options, and --format jwks needs --out (or --json)', () => {
    expect(plan({ alg: 'ES256', out: 'k' })).toEqual({ kind: 'keypair', alg: 'ES256', format: 'pem', out: 'k', modulusLength: undefined });
    for (const name of ['copy', 'dotenvFile', 'dotenv', 'count', 'bytes', 'encoding'] as const) {
      expect(thrown(() => plan({ alg: 'EdDSA' }, [name])).message).toMatch(/^--(copy|dotenv-file|dotenv|count|bytes|encoding) is for secrets, not EdDSA key pairs$/);
    }
    expect(thrown(() => plan({ alg: 'ES256' }, ['copy'])).hint).toBe('write the keys with --out PREFIX instead (a key pair does not belong in a dotenv file)');
    expect(thrown(() => plan({ alg: 'ES256' }, ['count'])).hint).toBe('drop --count');
    expect(thrown(() => plan({ alg: 'ES256', format: 'jwks' })).message).toBe('--format jwks makes two files: the private key and the JWKS to publish');
    expect(plan({ alg: 'ES256', format: 'jwks' }, ['format'], true)).toMatchObject({ kind: 'keypair', format: 'jwks' });
  });

  it('the key-pair options need a key-pair --alg', () => {
    expect(thrown(() => plan({ modulusLength: 4096 })).message).toBe('--modulus-length is for RSA key pairs');
    expect(thrown(() => plan({ out: 'k' })).message).toBe('--out is for key pairs');
    expect(thrown(() => plan({ format: 'jwk' })).message).toBe('--format is for key pairs');
    expect(plan({ format: 'pem' }, [])).toMatchObject({ kind: 'secrets' }); // the default is not "given"
  });

  it('--dotenv-file writes one secret under --name (JWT_SECRET by default); --name and --force need it', () => {
    expect(plan({ dotenvFile: '.env' })).toEqual({ kind: 'dotenv-file', bytes: 32, encoding: 'base64', file: '.env', name: 'JWT_SECRET', force: false });
    expect(plan({ dotenvFile: '.env', name: 'S', force: true, alg: 'HS512' })).toMatchObject({ bytes: 64, name: 'S', force: true });
    expect(thrown(() => plan({ dotenvFile: '.env', dotenv: true })).hint).toBe('use --name NAME for the variable');
    expect(thrown(() => plan({ dotenvFile: '.env', copy: true })).message).toBe('--dotenv-file writes the secret into the file; --copy does not go with it');
    expect(thrown(() => plan({ dotenvFile: '.env', count: 2 })).message).toBe('--dotenv-file holds one secret');
    expect(thrown(() => plan({ name: 'S' })).hint).toBe('add --dotenv-file .env (or use --dotenv NAME to print the line)');
    expect(thrown(() => plan({ force: true })).hint).toBe('add --dotenv-file .env');
    expect(thrown(() => plan({ copy: true, count: 3 })).message).toBe('--copy holds one secret');
  });
});

describe('encryptPlaintext', () => {
  const NOW = 1_700_000_000;
  const signed = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
  const text = (p: { plaintext: Uint8Array }) => new TextDecoder().decode(p.plaintext);

  it('a signed compact JWT as it is, with cty JWT (a given --cty wins); claim options refused', () => {
    const made = encryptPlaintext(` ${signed}\n`, {}, { now: NOW });
    expect(text(made)).toBe(signed);
    expect(made).toMatchObject({ payload: null, cty: 'JWT', overrides: [] });
    expect(made.typ).toBeUndefined();
    expect(encryptPlaintext(signed, {}, { cty: 'jwt', now: NOW }).cty).toBe('jwt');
    expect(thrown(() => encryptPlaintext(signed, { sub: 'x' }, { now: NOW }))).toMatchObject({ code: 'usage', message: "--sub cannot change a signed JWT's claims" });
    // --no-exp is not a claim to refuse; --no-iat is
    expect(() => encryptPlaintext(signed, { exp: false }, { now: NOW })).not.toThrow();
    expect(thrown(() => encryptPlaintext(signed, { iat: false }, { now: NOW })).message).toBe("--iat cannot change a signed JWT's claims");
  });

  it("a JSON object (or nothing) is claims with sign's defaults, typ JWT, and the overrides to note", () => {
    const made = encryptPlaintext('{"sub":"a"}', { sub: 'b', claim: ['role=admin'] }, { now: NOW });
    expect(made.payload).toEqual({ sub: 'b', role: 'admin', iat: NOW, exp: NOW + 900 });
    expect(JSON.parse(text(made))).toEqual(made.payload);
    expect(made).toMatchObject({ typ: 'JWT', cty: undefined, overrides: ["--sub overrides the payload's sub"] });
    expect(encryptPlaintext('', { exp: false }, { now: NOW }).payload).toEqual({ iat: NOW });
  });

  it('any other text as it is (untrimmed), and claim options refused for it', () => {
    const made = encryptPlaintext(' hello\n', {}, { cty: 'text/plain', now: NOW });
    expect(text(made)).toBe(' hello\n');
    expect(made).toMatchObject({ payload: null, cty: 'text/plain' });
    expect(made.typ).toBeUndefined();
    // a JWS-shaped text that is not a token is text
    expect(text(encryptPlaintext('eyJhbGci.x.y', {}, { now: NOW }))).toBe('eyJhbGci.x.y');
    expect(thrown(() => encryptPlaintext('hello', { aud: ['a'] }, { now: NOW })).message).toBe('--aud applies to a claims payload (a JSON object), and this payload is text');
  });

  it('givenClaimOptions: in the order of the options, exp only as a time', () => {
    expect(givenClaimOptions({})).toEqual([]);
    expect(givenClaimOptions({ exp: '1h', claim: ['a=1'], sub: 's' })).toEqual(['sub', 'claim', 'exp']);
    expect(givenClaimOptions({ exp: false, iat: false })).toEqual(['iat']);
  });
});

describe('checkAllowedAlgs (verify --alg)', () => {
  it('accepts JWS algorithms; refuses an empty list, none in any case, and other names', () => {
    expect(() => checkAllowedAlgs(undefined)).not.toThrow();
    expect(() => checkAllowedAlgs(['HS256', 'EdDSA'])).not.toThrow();
    expect(thrown(() => checkAllowedAlgs([])).message).toBe('--alg is empty');
    expect(thrown(() => checkAllowedAlgs(['HS256', 'NONE'])).message).toBe('--alg none is never accepted: an unsigned token proves nothing');
    expect(thrown(() => checkAllowedAlgs(['hs256']))).toMatchObject({ code: 'usage', message: '--alg "hs256" is not a JWS algorithm' });
  });
});

describe('checkAlgOptions (decrypt --alg, --enc, --allow-rsa1_5)', () => {
  it('names jwtkit knows; RSA1_5 only when allowed', () => {
    expect(() => checkAlgOptions({ allowRsa15: false })).not.toThrow();
    expect(() => checkAlgOptions({ algs: ['dir', 'ECDH-ES'], encs: ['A256GCM'], allowRsa15: false })).not.toThrow();
    expect(thrown(() => checkAlgOptions({ algs: [], allowRsa15: false })).message).toBe('--alg is empty');
    expect(thrown(() => checkAlgOptions({ encs: ['A1'], allowRsa15: false })).message).toBe('--enc "A1" is not one jwtkit knows');
    // a user's value in a message is shown by shown.ts's rule (a secret pasted there by its length only)
    expect(thrown(() => checkAlgOptions({ algs: ['Xk3p9vQ2rT7wY1zA5cE8gJ0mN4qS6uW9'], allowRsa15: false })).message).toBe('--alg (a 32-character value, not shown) is not one jwtkit knows');
    expect(thrown(() => checkAlgOptions({ algs: ['RSA1_5'], allowRsa15: false })).message).toBe('--alg RSA1_5 needs --allow-rsa1_5');
    expect(() => checkAlgOptions({ algs: ['RSA1_5'], allowRsa15: true })).not.toThrow();
  });

  it("a failed token's exit code is its reason's, from the one table", () => {
    expect(DECRYPT_REASONS.map((r) => [r, ERROR_EXITS[r]])).toEqual([
      ['decryption_failed', EXIT.no],
      ['no_matching_key', EXIT.no],
      ['alg_not_allowed', EXIT.no],
      ['unsupported', EXIT.no],
      ['malformed', EXIT.usage],
      ['too_long', EXIT.usage],
    ]);
  });
});
