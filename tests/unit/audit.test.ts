import { createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeBase64Bytes, makeTesters, searchKnownList, searchLines, type Hit, type Target } from '../../src/audit-search.js';
import { MAX_SEARCH_INPUT, builtinSlices, lintToken, searchFinding, searchJobs, searchSecrets, type Finding } from '../../src/commands/audit.js';
import { renderAudit } from '../../src/render-audit.js';
import { PLAIN } from '../../src/render.js';
import { parseToken } from '../../src/token.js';
import { chunkLines, openWordlist } from '../../src/wordlist.js';
import { packKeys, packedKey, unpackKeys } from '../../src/wordhash.js';

const NOW = 1_800_000_000;
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
/** An HS256-length signature (32 bytes) by default: what a signed token has. */
const SIG32 = Buffer.alloc(32, 7).toString('base64url');
const tokenOf = (header: unknown, payload: unknown, sig = SIG32) => parseToken(`${b64(header)}.${b64(payload)}.${sig}`);
/** A token with nothing to find: short-lived access token with iss, aud and typ. */
const CLEAN_HEADER = { alg: 'HS256', typ: 'JWT' };
const CLEAN = { sub: 'user-42', iss: 'auth', aud: 'api', iat: NOW, exp: NOW + 900 };
const codes = (findings: Finding[]) => findings.map((f) => `${f.code}:${f.severity}`).sort();
const lint = (header: object, payload: object) => codes(lintToken(tokenOf(header, payload), NOW));

describe('lintToken', () => {
  it('finds nothing on a clean token', () => {
    expect(lint(CLEAN_HEADER, CLEAN)).toEqual([]);
  });

  it.each<[string, object, object, string[]]>([
    ['alg none', { alg: 'none', typ: 'JWT' }, CLEAN, ['alg_none:critical']],
    ['no exp', CLEAN_HEADER, { ...CLEAN, exp: undefined }, ['no_exp:high']],
    ['access token of 2 hours', CLEAN_HEADER, { ...CLEAN, exp: NOW + 7200 }, ['long_lifetime:medium']],
    ['access token of 2 days', CLEAN_HEADER, { ...CLEAN, exp: NOW + 2 * 86400 }, ['long_lifetime:high']],
    ['refresh token of 2 days (fine)', CLEAN_HEADER, { ...CLEAN, token_use: 'refresh', exp: NOW + 2 * 86400 }, []],
    ['refresh token of 60 days', { alg: 'HS256', typ: 'refresh+jwt' }, { ...CLEAN, exp: NOW + 60 * 86400 }, ['long_lifetime:medium']],
    ['refresh token of a year', CLEAN_HEADER, { ...CLEAN, token_type: 'refresh_token', exp: NOW + 365 * 86400 }, ['long_lifetime:high']],
    ['iat in the future', CLEAN_HEADER, { ...CLEAN, iat: NOW + 3600, exp: NOW + 3600 + 900 }, ['iat_future:medium']],
    ['nbf after exp', CLEAN_HEADER, { ...CLEAN, nbf: NOW + 1000 }, ['nbf_after_exp:medium']],
    ['no aud', CLEAN_HEADER, { ...CLEAN, aud: undefined }, ['no_aud:low']],
    ['no iss', CLEAN_HEADER, { ...CLEAN, iss: undefined }, ['no_iss:low']],
    ['a password claim', CLEAN_HEADER, { ...CLEAN, user: { password: 'hunter2' } }, ['sensitive_claim:high']],
    ['an SSN claim', CLEAN_HEADER, { ...CLEAN, SSN: '078-05-1120' }, ['sensitive_claim:high']],
    ['a card number value', CLEAN_HEADER, { ...CLEAN, billing: '4111 1111 1111 1111' }, ['card_number_in_payload:high']],
    ['a private key value', CLEAN_HEADER, { ...CLEAN, k: '-----BEGIN PRIVATE KEY-----\nMIIE...' }, ['private_key_in_payload:critical']],
    ['an API key value', CLEAN_HEADER, { ...CLEAN, stripe: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc' }, ['api_key_in_payload:high']],
    ['an email', CLEAN_HEADER, { ...CLEAN, email: 'ada@example.com' }, ['email_in_payload:info']],
    ['a phone number', CLEAN_HEADER, { ...CLEAN, phone_number: '+44 20 7946 0958' }, ['phone_in_payload:info']],
    ['jku', { ...CLEAN_HEADER, jku: 'https://evil.example/jwks' }, CLEAN, ['header_jku:medium']],
    ['x5u', { ...CLEAN_HEADER, x5u: 'https://evil.example/cert' }, CLEAN, ['header_x5u:medium']],
    ['jwk', { ...CLEAN_HEADER, jwk: { kty: 'oct', k: 'AA' } }, CLEAN, ['header_jwk:medium']],
    ['x5c', { ...CLEAN_HEADER, x5c: ['MIIB'] }, CLEAN, ['header_x5c:medium']],
    ['kid with a path', { ...CLEAN_HEADER, kid: '../../dev/null' }, CLEAN, ['kid_injection:medium']],
    ['kid with SQL', { ...CLEAN_HEADER, kid: "x' UNION SELECT 'k" }, CLEAN, ['kid_injection:medium']],
    ['crit', { ...CLEAN_HEADER, crit: ['exp'] }, CLEAN, ['header_crit:low']],
    ['typ missing', { alg: 'HS256' }, CLEAN, ['typ_missing:info']],
    ['typ odd', { alg: 'HS256', typ: 'banana' }, CLEAN, ['typ_unusual:low']],
    ['HS256 with a public issuer URL', CLEAN_HEADER, { ...CLEAN, iss: 'https://auth.example.com' }, ['hmac_public_issuer:low']],
    ['over 4 KB', CLEAN_HEADER, { ...CLEAN, roles: 'r'.repeat(3500) }, ['size_over_4k:low']],
    ['over 8 KB', CLEAN_HEADER, { ...CLEAN, roles: 'r'.repeat(7000) }, ['size_over_8k:medium']],
  ])('%s', (_, header, payload, expected) => {
    expect(lint(header, payload)).toEqual(expected.sort());
  });

  it('a typed access token (at+jwt) and an ES256 token with a public issuer are fine', () => {
    expect(lint({ alg: 'HS256', typ: 'at+jwt' }, CLEAN)).toEqual([]);
    expect(lint({ alg: 'ES256', typ: 'JWT' }, { ...CLEAN, iss: 'https://auth.example.com' })).toEqual([]);
  });

  it('a repeated member', () => {
    const raw = `${b64(CLEAN_HEADER)}.${b64('{"sub":"a","sub":"b","iss":"i","aud":"a","iat":1800000000,"exp":1800000900}')}.${SIG32}`;
    expect(codes(lintToken(parseToken(raw), NOW))).toEqual(['duplicate_member:medium']);
  });

  it('a JWE: its header only', () => {
    const jwe = parseToken(`${b64({ alg: 'dir', enc: 'A128GCM' })}.. AAAA.AAAA.AAAA`.replace(' ', ''));
    expect(codes(lintToken(jwe, NOW))).toEqual(['typ_missing:info']);
  });

  it('messages name the claim, never its value', () => {
    const [f] = lintToken(tokenOf(CLEAN_HEADER, { ...CLEAN, password: 'hunter2' }), NOW);
    expect(f!.message).toContain('"password"');
    expect(JSON.stringify(f)).not.toContain('hunter2');
  });

  it('a hostile payload costs bounded work (deep and wide)', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = [deep];
    const wide = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`password${i}`, 'x']));
    expect(() => lintToken(tokenOf(CLEAN_HEADER, { ...CLEAN, deep, wide }), NOW)).not.toThrow();
  });
});

describe('lintToken: times', () => {
  const one = (payload: object, code: string) => lintToken(tokenOf(CLEAN_HEADER, payload), NOW).filter((f) => f.code === code);
  const base = { sub: 'u', iss: 'auth', aud: 'api' };

  it('the lifetime is judged from iat, else nbf, else the audit time, and the message says which', () => {
    expect(one({ ...base, iat: NOW - 10, exp: NOW + 7200 }, 'long_lifetime')[0]!.message).toMatch(/from iat/);
    expect(one({ ...base, nbf: NOW - 10, exp: NOW + 2 * 86400 }, 'long_lifetime')[0]).toMatchObject({ severity: 'high', message: expect.stringMatching(/from nbf/) });
    const [f] = one({ ...base, exp: 2_100_000_000 }, 'long_lifetime');
    expect(f).toMatchObject({ severity: 'high', message: expect.stringMatching(/no iat or nbf.*from the audit time/) });
    expect(one({ ...base, exp: NOW + 600 }, 'long_lifetime')).toEqual([]);
    expect(one({ ...base, exp: NOW - 600 }, 'long_lifetime')).toEqual([]);
  });

  it.each<[string, object, string[]]>([
    ['exp true', { iat: NOW, exp: true }, ['time_not_numeric:high']],
    ['exp a string', { iat: NOW, exp: '99999' }, ['time_not_numeric:high']],
    ['iat a string', { iat: 'yesterday', exp: NOW + 600 }, ['time_not_numeric:medium']],
    ['nbf null', { iat: NOW, nbf: null, exp: NOW + 600 }, ['time_not_numeric:medium']],
    ['exp in milliseconds', { iat: NOW, exp: (NOW + 600) * 1000 }, ['time_in_ms:high']],
    ['iat in milliseconds', { iat: NOW * 1000, exp: NOW + 600 }, ['time_in_ms:medium']],
    ['both in milliseconds', { iat: NOW * 1000, exp: (NOW + 600) * 1000 }, ['time_in_ms:high', 'time_in_ms:medium']],
    ['exp before iat', { iat: NOW, exp: NOW - 600 }, ['exp_before_iat:medium']],
    ['exp at iat', { iat: NOW, exp: NOW }, ['exp_before_iat:medium']],
  ])('%s', (_, times, expected) => {
    expect(codes(lintToken(tokenOf(CLEAN_HEADER, { ...base, ...times }), NOW))).toEqual(expected.sort());
  });

  it('the time messages say what is wrong, not that the token never expires', () => {
    const [notNumber] = lintToken(tokenOf(CLEAN_HEADER, { ...base, iat: NOW, exp: true }), NOW);
    expect(notNumber!.message).toMatch(/exp is not a number/);
    expect(notNumber!.message).not.toMatch(/^no exp/);
    const [ms] = lintToken(tokenOf(CLEAN_HEADER, { ...base, iat: NOW, exp: (NOW + 600) * 1000 }), NOW);
    expect(ms!.message).toMatch(/exp looks like milliseconds/);
  });

  it('an empty aud or iss is none', () => {
    const c = (extra: object) => codes(lintToken(tokenOf(CLEAN_HEADER, { ...CLEAN, ...extra }), NOW));
    expect(c({ aud: [] })).toEqual(['no_aud:low']);
    expect(c({ aud: '' })).toEqual(['no_aud:low']);
    expect(c({ aud: [''] })).toEqual(['no_aud:low']);
    expect(c({ iss: '' })).toEqual(['no_iss:low']);
    expect(c({ iss: null })).toEqual(['no_iss:low']);
    expect(c({ aud: ['api', 'web'] })).toEqual([]);
  });
});

describe('lintToken: refresh tokens by exact signals', () => {
  const TEN_DAYS = { ...CLEAN, exp: NOW + 10 * 86400 };
  const lifetime = (header: object, extra: object) => codes(lintToken(tokenOf(header, { ...TEN_DAYS, ...extra }), NOW)).filter((c) => c.startsWith('long_lifetime'));

  it.each<[string, object, object]>([
    ['typ refresh', CLEAN_HEADER, { typ: 'refresh' }],
    ['token_use refresh', CLEAN_HEADER, { token_use: 'refresh' }],
    ['token_type refresh_token', CLEAN_HEADER, { token_type: 'refresh_token' }],
    ['token_type as the OAuth URN', CLEAN_HEADER, { token_type: 'urn:ietf:params:oauth:token-type:refresh_token' }],
    ['header typ rt+jwt', { alg: 'HS256', typ: 'rt+jwt' }, {}],
    ['header typ refresh+jwt', { alg: 'HS256', typ: 'refresh+JWT' }, {}],
    ['Keycloak typ Refresh', CLEAN_HEADER, { typ: 'Refresh' }],
    ['Keycloak typ Offline', CLEAN_HEADER, { typ: 'Offline' }],
    ['scope with refresh', CLEAN_HEADER, { scope: 'read refresh' }],
    ['scp list with refresh', CLEAN_HEADER, { scp: ['openid', 'refresh'] }],
    ['refresh: true', CLEAN_HEADER, { refresh: true }],
  ])('a refresh token: %s', (_, header, extra) => {
    expect(lifetime(header, extra)).toEqual([]);
  });

  it.each<[string, object, object]>([
    ['scope read:refresh_settings', CLEAN_HEADER, { scope: 'read:refresh_settings' }],
    ['scope no-refresh', CLEAN_HEADER, { scope: 'no-refresh' }],
    ['refresh: false', CLEAN_HEADER, { refresh: false }],
    ['refresh: null', CLEAN_HEADER, { refresh: null }],
    ['typ not-refresh', CLEAN_HEADER, { typ: 'not-refresh' }],
    ['header typ no-refresh+jwt', { alg: 'HS256', typ: 'no-refresh+jwt' }, {}],
    ['token_use refreshable', CLEAN_HEADER, { token_use: 'refreshable' }],
    // Access tokens carry offline_access too (Auth0, Azure AD): it asks for a refresh token, it is not one.
    ['scope with offline_access', CLEAN_HEADER, { scope: 'openid offline_access' }],
  ])('not a refresh token: %s', (_, header, extra) => {
    expect(lifetime(header, extra)).toEqual(['long_lifetime:high']);
  });
});

describe('lintToken: a payload that is not JSON claims', () => {
  const lintRaw = (payload: string) => lintToken(tokenOf(CLEAN_HEADER, payload), NOW);

  it('says the claim rules could not run (text, an array, broken JSON)', () => {
    for (const text of ['hello', '[1,2,3]', '{"sub":"a",']) {
      expect(codes(lintRaw(text))).toEqual(['payload_not_claims:medium']);
    }
  });

  it('still finds names and values that must not travel in its text, naming never echoing', () => {
    const found = lintRaw('{"user":"ada","password":"hunter2","aws":"AKIAIOSFODNN7EXAMPLE"');
    expect(codes(found)).toEqual(['api_key_in_payload:high', 'payload_not_claims:medium', 'sensitive_claim:high']);
    expect(JSON.stringify(found)).not.toMatch(/hunter2|AKIAIOSFODNN7EXAMPLE/);
    expect(codes(lintRaw('key: -----BEGIN RSA PRIVATE KEY-----\nMIIE'))).toContain('private_key_in_payload:critical');
  });
});

describe('lintToken: the signature', () => {
  it('an HMAC token with an empty signature is unsigned as it stands; a wrong length cannot be an HMAC of that alg', () => {
    expect(codes(lintToken(tokenOf(CLEAN_HEADER, CLEAN, ''), NOW))).toEqual(['signature_missing:high']);
    expect(codes(lintToken(tokenOf({ alg: 'HS512', typ: 'JWT' }, CLEAN, ''), NOW))).toEqual(['signature_missing:high']);
    expect(codes(lintToken(tokenOf(CLEAN_HEADER, CLEAN, 'c2ln'), NOW))).toEqual(['signature_length:high']);
    expect(codes(lintToken(tokenOf({ alg: 'HS384', typ: 'JWT' }, CLEAN, SIG32), NOW))).toEqual(['signature_length:high']);
    expect(codes(lintToken(tokenOf({ alg: 'HS384', typ: 'JWT' }, CLEAN, Buffer.alloc(48).toString('base64url')), NOW))).toEqual([]);
  });

  it('an empty signature on an RS/ES token too; alg none is its own finding', () => {
    expect(codes(lintToken(tokenOf({ alg: 'ES256', typ: 'JWT' }, CLEAN, ''), NOW))).toEqual(['signature_missing:high']);
    expect(codes(lintToken(tokenOf({ alg: 'none', typ: 'JWT' }, CLEAN, ''), NOW))).toEqual(['alg_none:critical']);
  });

  it('the human view says why no key was tried', async () => {
    const findings = lintToken(tokenOf(CLEAN_HEADER, CLEAN, ''), NOW);
    const text = renderAudit({ alg: 'HS256', encrypted: false, secret: { found: false, tried: 0 }, findings }, PLAIN, { first: true, failOn: 'high' });
    expect(text).toMatch(/secret +not searched: the signature is empty/);
    expect(text).not.toMatch(/0 keys tried/);
  });
});

describe('lintToken: sensitive claim names by their words', () => {
  const sensitive = (name: string, value: unknown = 'x') => codes(lintToken(tokenOf(CLEAN_HEADER, { ...CLEAN, [name]: value }), NOW)).includes('sensitive_claim:high');

  it.each(['password', 'userPassword', 'user_password', 'db_password', 'DB-PASSWORD', 'jwt_secret', 'totp_secret', 'otp_secret', 'mfa_secret', 'session_secret', 'aws_secret_access_key', 'signing_key', 'encryption_key', 'client_secret', 'secret_key', 'secretKey', 'api_key', 'x-api-key', 'privateKey', 'ssn', 'user.ssn', 'cvv2', 'pin', 'card_number', 'iban', 'passwordHash', 'access_key', 'secret_id'])('%s is sensitive', (name) => {
    expect(sensitive(name)).toBe(true);
  });

  it.each(['secret_rotation_at', 'client_secret_expires_at', 'passwordChangedAt', 'password_set', 'password_reset_required', 'secretary', 'passwordless', 'spinner', 'public_key', 'private_key_id', 'key_id', 'pin_enabled', 'secret_version'])('%s is not', (name) => {
    expect(sensitive(name, name === 'secretary' || name === 'public_key' ? 'x' : 1800000000)).toBe(false);
  });

  it('a boolean, null or empty value under a sensitive name says nothing is there', () => {
    expect(sensitive('password', true)).toBe(false);
    expect(sensitive('has_password', true)).toBe(false);
    expect(sensitive('password', null)).toBe(false);
    expect(sensitive('password', '')).toBe(false);
    expect(sensitive('pin', 1234)).toBe(true);
  });
});

describe('lintToken: hmac_public_issuer by the parsed host', () => {
  const flagged = (iss: string) => codes(lintToken(tokenOf(CLEAN_HEADER, { ...CLEAN, iss }), NOW)).includes('hmac_public_issuer:low');

  it.each(['https://auth.example.com', 'https://localhost.evil.com', 'https://127.0.0.1.nip.io/', 'https://localhost@evil.com/', 'HTTPS://Auth.Example.com/tenant'])('%s is public', (iss) => {
    expect(flagged(iss)).toBe(true);
  });

  it.each(['https://localhost', 'https://localhost:8443/realms/x', 'https://app.localhost/', 'https://127.0.0.1:9000', 'https://127.1.2.3/', 'https://[::1]:8443/', 'https://localhost./', 'https://', 'http://auth.example.com', 'auth-service', 'https://evil.com@localhost/'])('%s is not', (iss) => {
    expect(flagged(iss)).toBe(false);
  });
});

describe('lintToken: kid', () => {
  const injected = (kid: string) => codes(lintToken(tokenOf({ ...CLEAN_HEADER, kid }, CLEAN), NOW)).includes('kid_injection:medium');

  it.each(['../../dev/null', '/dev/null', 'keys\\..\\secret', "x' UNION SELECT 'k", 'k"1', 'k;drop', 'k--', 'k\u0000', 'a|b', '`id`', '$(id)', 'file:///etc/passwd'])('%s is flagged', (kid) => {
    expect(injected(kid)).toBe(true);
  });

  it.each(['https://example.com/keys/1', 'projects/p/keys/k1', 'key-2024-01', 'NjVBRjY5MDlCMUIwNzU4RTA2QzZFMDQ4QzQ2MDAyQjVDNjk1RTM2Qg', 'a.b_c'])('%s is not', (kid) => {
    expect(injected(kid)).toBe(false);
  });
});

describe('renderAudit', () => {
  it('a found secret that is not UTF-8 shows its hex, as JSON has it', () => {
    const secret = { found: true as const, value: Buffer.from([0xff, 0x41]).toString('utf8'), hex: 'ff41', variant: 'text' as const, source: 'builtin' as const, tried: 3 };
    const text = renderAudit({ alg: 'HS256', encrypted: false, secret, findings: [] }, PLAIN, { first: true, failOn: 'high' });
    expect(text).toMatch(/FOUND .*hex ff41/);
    const { hex: _, ...utf8 } = secret;
    const plain = renderAudit({ alg: 'HS256', encrypted: false, secret: { ...utf8, value: 'changeme' }, findings: [] }, PLAIN, { first: true, failOn: 'high' });
    expect(plain).not.toMatch(/hex/);
  });
});

describe('lintToken: the payload walk', () => {
  const all = (payload: object, header: object = CLEAN_HEADER) => lintToken(tokenOf(header, { ...CLEAN, ...payload }), NOW);

  it('a flood of info findings never hides a higher one, and the count left out is said', () => {
    const emails = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`e${i}`, `u${i}@example.com`]));
    const found = all({ ...emails, password: 'hunter2', aws: 'AKIAIOSFODNN7EXAMPLE' });
    const c = codes(found);
    expect(c).toContain('sensitive_claim:high');
    expect(c).toContain('api_key_in_payload:high');
    const info = found.filter((f) => f.code === 'email_in_payload');
    expect(info.length).toBeLessThanOrEqual(6);
    expect(info.at(-1)!.message).toMatch(/\d+ more claims/);
    expect(JSON.stringify(found)).not.toContain('example.com');
  });

  it('a claim nested as deep as the parser takes is inspected; a payload too large to walk says so', () => {
    let deep: unknown = { password: 'x' };
    for (let i = 0; i < 100; i++) deep = i % 2 ? [deep] : { a: deep };
    expect(codes(all({ deep }))).toContain('sensitive_claim:high');
    const wide = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`c${i}`, i]));
    const found = all({ wide });
    expect(found.find((f) => f.code === 'payload_scan_limited')).toMatchObject({ severity: 'info', message: expect.stringMatching(/10,000/) });
    expect(codes(all({ few: wide.c1 }))).not.toContain('payload_scan_limited:info');
  });

  it('card numbers: Luhn-valid strings with a card prefix, with or without spaces and dashes; never JSON numbers, one repeated digit or time claims', () => {
    const cards = (payload: object) => all(payload).filter((f) => f.code === 'card_number_in_payload').length;
    expect(cards({ a: '4111 1111 1111 1111', b: '5555-5555-5555-4444', c: '378282246310005', d: '4111111111111111' })).toBe(4);
    expect(cards({ created_at: 1732900000008, n: 1900000000000, id: 4111111111111 })).toBe(0);
    expect(cards({ zeros: '0000000000000', fours: '4444 4444 4444 4444' })).toBe(0);
    expect(cards({ updated_at: '1732900000008', ts: '4111111111111111', id: '1732900000008', ref: '9000000000001231' })).toBe(0);
    expect(codes(lintToken(tokenOf(CLEAN_HEADER, { ...CLEAN, exp: 1900000000000 }), NOW))).not.toContain('card_number_in_payload:high');
  });

  it('API keys: AWS temporary (ASIA…) keys and Slack webhook URLs too; an email is an address, not a git remote', () => {
    expect(codes(all({ aws: 'ASIAIOSFODNN7EXAMPLE', hook: 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX' }))).toEqual(['api_key_in_payload:high', 'api_key_in_payload:high']);
    expect(codes(all({ repo: 'git@github.com:org/repo.git', ssh: 'user@host.example.com:22' }))).toEqual([]);
    expect(codes(all({ email: 'ada.lovelace+jwt@mail.example.co.uk' }))).toEqual(['email_in_payload:info']);
  });

  it('every high finding is kept as a finding of its severity, however many (named or counted)', () => {
    const secrets = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`u${i}`, { password: 'x' }]));
    const found = all(secrets).filter((f) => f.code === 'sensitive_claim');
    expect(found.every((f) => f.severity === 'high')).toBe(true);
    expect(found.length).toBeLessThanOrEqual(11);
    const named = found.filter((f) => !/more claims/.test(f.message)).length;
    const counted = Number(/(\d+) more claims/.exec(found.at(-1)!.message)?.[1] ?? 0);
    expect(named + counted).toBe(30);
  });
});

describe('decodeBase64Bytes', () => {
  const dec = (s: string) => {
    const out = new Uint8Array(64);
    const n = decodeBase64Bytes(Buffer.from(s), 0, s.length, out);
    return n < 0 ? null : Buffer.from(out.subarray(0, n)).toString('hex');
  };
  it('decodes canonical base64 and base64url, with or without padding', () => {
    expect(dec('c2VjcmV0')).toBe(Buffer.from('secret').toString('hex'));
    expect(dec('c2VjcmV0MQ==')).toBe(Buffer.from('secret1').toString('hex'));
    expect(dec('c2VjcmV0MQ')).toBe(Buffer.from('secret1').toString('hex'));
    expect(dec('-_-_')).toBe(Buffer.from('-_-_', 'base64url').toString('hex'));
    expect(dec('+/+/')).toBe(Buffer.from('+/+/', 'base64').toString('hex'));
  });
  it('refuses what is not canonical base64', () => {
    for (const s of ['c2VjcmV0MR', 'abd', 'a', 'ab=c', 'c2Vj cmV0', 'c2VjcmV0M===', '', 'é']) expect(dec(s), s).toBeNull();
  });
});

const sign = (alg: 'HS256' | 'HS384' | 'HS512', key: string | Buffer): Target => {
  const signingInput = `${b64(CLEAN_HEADER)}.${b64(CLEAN)}`;
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
  return { alg, signingInput, signature: createHmac(hash, key).update(signingInput).digest('base64url') };
};

describe('searchLines', () => {
  const list = Buffer.from('alpha\r\n\nbravo\n' + 'x'.repeat(50) + '\ncharlie\nc2VjcmV0\nlast');
  const run = (targets: Target[], variants = true) => searchLines(makeTesters(targets), targets.map(() => true), list, 0, list.length, { variants, maxLine: 40 });

  it('numbers lines from 0, empty and over-long ones included, CRLF or LF', () => {
    const r = run([sign('HS256', 'alpha'), sign('HS384', 'charlie'), sign('HS512', 'last')]);
    expect(r.lines).toBe(7);
    expect(r.skipped).toBe(1);
    expect(r.hits.map((h) => [h.target, h.line, h.variant, Buffer.from(h.bytes).toString()])).toEqual([
      [0, 0, 'text', 'alpha'],
      [1, 4, 'text', 'charlie'],
      [2, 6, 'text', 'last'],
    ]);
  });

  it('variants: a trailing newline, base64-decoded bytes; none with variants off', () => {
    const targets = [sign('HS256', 'bravo\n'), sign('HS256', 'secret')];
    expect(run(targets).hits.map((h) => [h.line, h.variant])).toEqual([
      [2, 'newline'],
      [5, 'base64'],
    ]);
    expect(run(targets, false).hits).toEqual([]);
  });

  it('a chunk that reaches a worker after its targets were found elsewhere: lines counted, nothing tried (HS256 batched, HS512 too)', () => {
    for (const targets of [[sign('HS256', 'nope')], [sign('HS512', 'nope')], [sign('HS256', 'nope'), sign('HS384', 'nope')]]) {
      const r = searchLines(makeTesters(targets), targets.map(() => false), list, 0, list.length, { variants: true, maxLine: 40 });
      expect(r).toEqual({ lines: 7, tried: targets.map(() => 0), skipped: 1, hits: [] });
    }
  });
});

describe('searchKnownList (the built-in passwords, packed keys)', () => {
  // Up to 64 bytes (packKeys's limit), every word edge.
  const words = Array.from({ length: 1000 }, (_, i) => `pw${i}`.padEnd(3 + (i % 62), 'x'));
  const packed = unpackKeys(packKeys(words.map((w) => Buffer.from(w))))!;
  const list = Buffer.from(`${words.join('\n')}\n`);
  const big = (secret: string): Target => {
    // Over 8 KiB: no batch, the scalar tester.
    const signingInput = `${b64({ alg: 'HS256' })}.${b64({ pad: 'x'.repeat(9000) })}`;
    return { alg: 'HS256', signingInput, signature: createHmac('sha256', secret).update(signingInput).digest('base64url') };
  };
  // searchKnownList over keys [from, from + count) in slices, against searchLines over the same lines as text.
  const same = (targets: Target[], from = 0, count = words.length, slice = 300) => {
    const testers = makeTesters(targets);
    const open = targets.map(() => true);
    const cursor = { key: 0, word: 0 };
    // The cursor to `from`, as earlier slices leave it.
    searchKnownList(testers, targets.map(() => false), packed, cursor, from);
    expect(cursor.key).toBe(from);
    const known = { lines: 0, tried: targets.map(() => 0), hits: [] as Hit[] };
    for (let at = from; at < from + count; at += slice) {
      const r = searchKnownList(testers, open, packed, cursor, Math.min(slice, from + count - at));
      r.tried.forEach((n, t) => (known.tried[t]! += n));
      known.hits.push(...r.hits.map((h) => ({ ...h, line: h.line + known.lines })));
      known.lines += r.lines;
    }
    const start = from === 0 ? 0 : list.indexOf(`\n${words[from]}\n`) + 1;
    const end = from + count === words.length ? list.length : list.indexOf(`\n${words[from + count]}\n`) + 1;
    const general = searchLines(makeTesters(targets), targets.map(() => true), list, start, end, { variants: false, maxLine: 4096 });
    expect(known.hits.sort((a, b) => a.line - b.line)).toEqual(general.hits.map((h) => ({ ...h, bytes: new Uint8Array(h.bytes) })));
    expect(known.tried).toEqual(general.tried);
    expect(known.lines).toBe(general.lines);
    return known;
  };

  it('finds what searchLines finds in the same lines as text, with the same counts: several targets, batches of 256, slices, every algorithm', () => {
    const r = same([sign('HS256', words[0]!), sign('HS384', words[300]!), sign('HS512', words[999]!), sign('HS256', 'not-there'), sign('HS256', words[700]!)]);
    expect(r.hits.map((h) => [h.target, h.line, h.variant, Buffer.from(h.bytes).toString()])).toEqual([
      [0, 0, 'text', words[0]],
      [1, 300, 'text', words[300]],
      [4, 700, 'text', words[700]],
      [2, 999, 'text', words[999]],
    ]);
    expect(r.tried).toEqual([1, 301, 1000, 1000, 701]);
  });

  it('from a cursor part-way; a target without a batch; every target found early', () => {
    same([sign('HS256', words[5]!), sign('HS512', words[402]!)], 3, 897, 100);
    const r = same([big(words[40]!), sign('HS256', words[41]!)]);
    expect(r.hits.map((h) => h.line)).toEqual([40, 41]);
    same([sign('HS256', words[1]!)], 0, 1000, 1000);
  });

  it('the shipped list: packed, every key as text has no CR or LF, none empty, none repeated', async () => {
    const { knownSecrets } = await import('../../src/lexicon.js');
    const { passwords } = knownSecrets();
    expect(passwords.lengths.length).toBeGreaterThan(40_000);
    const seen = new Set<string>();
    for (let k = 0, at = 0; k < passwords.lengths.length; at += (passwords.lengths[k++]! + 3) >> 2) {
      const key = Buffer.from(packedKey(passwords, k, at)).toString('latin1');
      expect(key).toMatch(/^[^\r\n]+$/);
      seen.add(key);
    }
    expect(seen.size).toBe(passwords.lengths.length);
    expect(seen.has('123456')).toBe(true);
  });
});

describe('packKeys', () => {
  it('round-trips keys of every length up to 64 bytes; refuses a longer key; unpackKeys refuses what it did not write', () => {
    const keys = Array.from({ length: 70 }, (_, i) => Buffer.from(Array.from({ length: i % 65 }, (_, j) => (i * 7 + j) % 256)));
    const bytes = packKeys(keys);
    const packed = unpackKeys(bytes)!;
    expect(Array.from(packed.lengths)).toEqual(keys.map((k) => k.length));
    for (let k = 0, at = 0; k < keys.length; at += (keys[k++]!.length + 3) >> 2) expect(Buffer.from(packedKey(packed, k, at))).toEqual(keys[k]);
    // Misaligned in its buffer: the words are copied.
    const shifted = Buffer.concat([Buffer.from([0]), bytes]).subarray(1);
    expect(Array.from(unpackKeys(shifted)!.words)).toEqual(Array.from(packed.words));
    expect(() => packKeys([Buffer.alloc(65)])).toThrow(/65 bytes/);
    expect(unpackKeys(bytes.subarray(0, bytes.length - 1))).toBeNull();
    expect(unpackKeys(new Uint8Array(6))).toBeNull();
    expect(unpackKeys(Uint8Array.from([1, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0]))).toBeNull();
  });
});

describe('builtinSlices', () => {
  it('cuts on line ends, covers the text, a line longer than a slice whole', () => {
    const text = Buffer.from(`ab\ncd\n${'e'.repeat(20)}\nfg\nh`);
    const slices = [...builtinSlices(text, 8)];
    expect(slices.map((s) => text.subarray(s.start, s.end).toString())).toEqual(['ab\ncd\n', `${'e'.repeat(20)}\n`, 'fg\nh']);
    expect([...builtinSlices(Buffer.from(''), 8)]).toEqual([]);
    expect([...builtinSlices(Buffer.from('x'.repeat(20)), 8)].map((s) => [s.start, s.end])).toEqual([[0, 20]]);
  });
});

describe('chunkLines', () => {
  const collect = async (parts: (string | Buffer)[], size: number) => {
    const out: (string | number)[] = [];
    for await (const p of chunkLines(Readable.from(parts), (e) => e as Error, size)) {
      out.push(p.kind === 'chunk' ? Buffer.from(p.data, 0, p.length).toString() : -p.lines);
    }
    return out;
  };
  it('cuts on line ends, drops a BOM, carries a partial line over', async () => {
    expect(await collect([Buffer.from('\ufeffone\ntwo\nthr'), 'ee\nfour'], 8)).toEqual(['one\ntwo\n', 'three\n', 'four']);
  });
  it('skips a line longer than a chunk, counting it', async () => {
    expect(await collect(['ab\n', 'c'.repeat(30), 'c'.repeat(30), '\nok\n'], 8)).toEqual(['ab\n', -1, 'ok\n']);
  });
});

describe('openWordlist', () => {
  const dir = `${process.env.TMPDIR ?? '/tmp'}/jwtkit-wordlist-unit-${process.pid}`;
  const all = async (name: string) => {
    const list = openWordlist(name, () => Readable.from([]));
    const parts: Buffer[] = [];
    let overlong = 0;
    for await (const p of list.pieces()) {
      if (p.kind === 'chunk') parts.push(Buffer.from(Buffer.from(p.data, 0, p.length)));
      else overlong += p.lines;
    }
    const read = list.readBytes();
    list.close();
    list.close();
    return { text: Buffer.concat(parts), overlong, read, size: list.size };
  };

  it('a file over several reads of its one reused buffer: every byte, in order, with lines across the reads', async () => {
    const { mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    try {
      // 3.3 MB: lines of 1 to 40 bytes straddle the 1 MiB reads and the 256 KiB chunks.
      let seed = 7;
      const lines: string[] = [];
      for (let n = 0; n < 3_300_000; ) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const line = `${n}:`.padEnd(1 + (seed % 40), String.fromCharCode(97 + (seed % 26)));
        lines.push(line);
        n += line.length + 1;
      }
      const text = Buffer.from(`${lines.join('\n')}\n`);
      writeFileSync(`${dir}/list.txt`, text);
      const r = await all(`${dir}/list.txt`);
      expect(r.overlong).toBe(0);
      expect(r.text.equals(text)).toBe(true);
      expect([r.read, r.size]).toEqual([text.length, text.length]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a named pipe is read as a stream; a directory or a missing file is one clear error', async () => {
    const { mkdirSync, rmSync } = await import('node:fs');
    const { execFileSync } = await import('node:child_process');
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync('mkfifo', [`${dir}/fifo`]);
      // Written asynchronously: opening a pipe waits for its other end.
      const { writeFile } = await import('node:fs/promises');
      const [r] = await Promise.all([all(`${dir}/fifo`), writeFile(`${dir}/fifo`, 'one\ntwo\n')]);
      expect([r.text.toString(), r.size]).toEqual(['one\ntwo\n', undefined]);
      expect(() => openWordlist(dir, () => Readable.from([]))).toThrow(/cannot read --wordlist .*: it is a folder/);
      expect(() => openWordlist(`${dir}/missing`, () => Readable.from([]))).toThrow(/cannot read --wordlist .*missing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('openWordlist: .gz data that is not gzip', () => {
  const dir = `${process.env.TMPDIR ?? '/tmp'}/jwtkit-wordlist-gz-${process.pid}`;

  it('is one unreadable error when its pieces are read, even when gunzip failed before that (no unhandled error event)', async () => {
    const { mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const { gzipSync } = await import('node:zlib');
    mkdirSync(dir, { recursive: true });
    const good = gzipSync(Buffer.from('alpha\nbravo\n'.repeat(1000)));
    const corrupt = Buffer.from(good);
    corrupt.fill(0x55, 40, 60);
    const cases: Record<string, Buffer> = {
      'text.gz': Buffer.from('hello\n'),
      'trailing.gz': Buffer.concat([good, Buffer.from('garbage\n')]),
      'empty.gz': Buffer.alloc(0),
      'corrupt.gz': corrupt,
    };
    try {
      for (const [name, bytes] of Object.entries(cases)) {
        writeFileSync(`${dir}/${name}`, bytes);
        const list = openWordlist(`${dir}/${name}`, () => Readable.from([]));
        // audit searches the built-in list first: gunzip has failed by the time the pieces are read.
        await new Promise((r) => setTimeout(r, 20));
        const read = async () => {
          for await (const _ of list.pieces()) void _;
        };
        await expect(read(), name).rejects.toMatchObject({ code: 'unreadable', message: expect.stringMatching(/^cannot read --wordlist .*: not gzip data \((incorrect|unexpected|invalid|unknown)[a-z ]+\)$/) });
        list.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('searchJobs', () => {
  it('is --jobs or every core, and at most the cores', () => {
    expect([searchJobs(undefined, 2), searchJobs(1, 2), searchJobs(2, 2), searchJobs(256, 2), searchJobs(3, 8), searchJobs(undefined, 0)]).toEqual([2, 1, 2, 2, 3, 1]);
  });
});

describe('searchSecrets', () => {
  const builtin = () => ({ defaults: Buffer.from('changeme\n'), passwords: unpackKeys(packKeys([Buffer.from('secret')]))! });
  const lines = Array.from({ length: 30_000 }, (_, i) => `word${i}`);
  const path = `${process.env.TMPDIR ?? '/tmp'}/jwtkit-audit-unit-${process.pid}.txt`;

  it('built-in defaults are tried with their variants, built-in passwords as written', async () => {
    const targets = [sign('HS256', 'changeme\n'), sign('HS256', 'secret\n'), sign('HS256', 'secret')];
    const r = await searchSecrets({ targets, builtin, wordlists: [], stdin: () => Readable.from([]), jobs: 1, variants: true });
    expect(r.map((s) => (s.found ? [s.source, s.value, s.variant] : ['none']))).toEqual([['builtin', 'changeme', 'newline'], ['none'], ['builtin', 'secret', 'text']]);
  });

  it('the empty key first, then "\\n" with the variants: in a batch, or by the scalar tester (no batch over 8 KiB)', async () => {
    const noBatch = (alg: 'HS256' | 'HS512', secret: string): Target => {
      const signingInput = `${b64({ alg })}.${b64({ pad: 'x'.repeat(9000) })}`;
      return { alg, signingInput, signature: createHmac(alg === 'HS256' ? 'sha256' : 'sha512', secret).update(signingInput).digest('base64url') };
    };
    const targets = [sign('HS256', ''), sign('HS512', '\n'), noBatch('HS256', ''), noBatch('HS512', '\n'), sign('HS384', 'nope')];
    expect(makeTesters(targets).map((t) => t!.batch !== undefined)).toEqual([true, true, false, false, true]);
    const found = (r: Awaited<ReturnType<typeof searchSecrets>>) => r.map((s) => (s.found ? [s.value, s.variant, s.tried] : ['none', s.tried]));
    const run = (variants: boolean) => searchSecrets({ targets, builtin, wordlists: [], stdin: () => Readable.from([]), jobs: 1, variants });
    expect(found(await run(true))).toEqual([['', 'text', 1], ['', 'newline', 2], ['', 'text', 1], ['', 'newline', 2], ['none', 6]]);
    // Without variants: the empty key only, "changeme" as written, "secret".
    expect(found(await run(false))).toEqual([['', 'text', 1], ['none', 3], ['', 'text', 1], ['none', 3], ['none', 3]]);
  });

  it('a signing input over 16 KiB is searched with the built-in defaults only, and the result says so', async () => {
    // The search costs a hash of the signing input per key: a 533 KB token took 89 s for the built-in list.
    const big = (secret: string): Target => {
      const signingInput = `${b64({ alg: 'HS256' })}.${b64({ pad: 'x'.repeat(MAX_SEARCH_INPUT) })}`;
      return { alg: 'HS256', signingInput, signature: createHmac('sha256', secret).update(signingInput).digest('base64url') };
    };
    const { writeFileSync, rmSync } = await import('node:fs');
    writeFileSync(path, 'word1\n');
    try {
      const targets = [big('changeme'), big('secret'), big('word1'), sign('HS256', 'word1')];
      const r = await searchSecrets({ targets, builtin, wordlists: [path], stdin: () => Readable.from([]), jobs: 1, variants: true });
      const limited = `the signing input is ${targets[1]!.signingInput.length} bytes, over ${MAX_SEARCH_INPUT}: only the built-in default secrets were tried`;
      expect(r).toEqual([
        expect.objectContaining({ found: true, source: 'builtin', value: 'changeme' }),
        // the empty key and "\n", then "changeme" with its three forms
        { found: false, tried: 5, limited },
        { found: false, tried: 5, limited },
        expect.objectContaining({ found: true, source: 'wordlist', value: 'word1' }),
      ]);
      expect(searchFinding(r[1]!)).toEqual({
        code: 'secret_search_limited',
        severity: 'info',
        message: `the secret search was cut short: ${limited}`,
        fix: 'sign a small token with the same secret and audit that one (add --wordlist as needed)',
      });
      expect(searchFinding(r[3]!)).toBeUndefined();
    } finally {
      rmSync(path, { force: true });
    }
  });

  it('built-in list first, then word lists; line numbers across chunks and workers', async () => {
    const { writeFileSync, rmSync } = await import('node:fs');
    writeFileSync(path, `${lines.join('\n')}\n`);
    try {
      const targets = [sign('HS256', 'secret'), sign('HS384', 'word29999'), sign('HS256', 'word12345'), sign('HS256', 'not-there')];
      for (const jobs of [1, 2]) {
        const r = await searchSecrets({ targets, builtin, wordlists: [path], stdin: () => Readable.from([]), jobs, variants: false });
        expect(r.map((s) => (s.found ? [s.source, s.value, s.line] : ['none', s.tried]))).toEqual([
          ['builtin', 'secret', undefined],
          ['wordlist', 'word29999', 30_000],
          ['wordlist', 'word12345', 12_346],
          ['none', 30_003], // the empty key, the two built-in lines, the list
        ]);
      }
    } finally {
      rmSync(path, { force: true });
    }
  });
});
