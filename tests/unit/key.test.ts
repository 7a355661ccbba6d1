import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { buildJwks, convertKeys, inspectKeys, publicKeys, readKeys, thumbprints, type KeyInput } from '../../src/commands/key.js';
import { safeText } from '../../src/safe-text.js';
import { key } from '../helpers/fixtures.js';
import { keyOutputText } from '../../src/render-key.js';

const rfc = (name: string): KeyInput => ({ label: name, text: readFileSync(key(`rfc/${name}`), 'utf8') });
const json = (label: string, value: unknown): KeyInput => ({ label, text: JSON.stringify(value) });
const NOW = Date.parse('2026-11-30T00:00:00Z') / 1000;

function pemPair(type: 'ec' | 'rsa' | 'ed25519', options: Record<string, unknown> = {}) {
  const { privateKey, publicKey } = (generateKeyPairSync as (t: string, o: object) => { privateKey: KeyObject; publicKey: KeyObject })(type, {
    ...(type === 'ec' ? { namedCurve: 'P-256' } : {}),
    ...options,
  });
  return {
    priv: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    pub: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function thrown(fn: () => unknown): { code: string; message: string; hint?: string } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected an error');
}

describe('RFC vectors', () => {
  it('RFC 7638 §3.1: the example RSA key (RFC 7517 A.1 kid 2011-04-29) has thumbprint NzbLs…', () => {
    const [, rsaKey] = thumbprints(readKeys([rfc('rfc7517-a1.jwks.json')]), { hash: 'sha256' });
    expect(rsaKey).toEqual({
      source: 'rfc7517-a1.jwks.json',
      kid: '2011-04-29',
      thumbprint: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
      hash: 'sha256',
      uri: 'urn:ietf:params:oauth:jwk-thumbprint:sha-256:NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
    });
  });

  it('RFC 7517 A.1: both public keys read, with their kid, use and alg', () => {
    const reports = inspectKeys(readKeys([rfc('rfc7517-a1.jwks.json')]), { now: NOW });
    expect(reports.map((r) => [r.kid, r.type, r.private, r.use, r.alg, r.algs, r.thumbprint])).toEqual([
      ['1', 'EC P-256', false, 'enc', undefined, ['ES256'], 'cn-I_WNMClehiVp51i_0VpOENW1upEerA8sEam5hn-s'],
      ['2011-04-29', 'RSA', false, undefined, 'RS256', ['RS256'], 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'],
    ]);
    expect(reports[0]!.warnings.map((w) => w.code)).toEqual(['not_for_signatures']);
  });

  it('RFC 7517 A.2: the public half of each private key is exactly the A.1 key', () => {
    const a1 = JSON.parse(rfc('rfc7517-a1.jwks.json').text) as { keys: Record<string, unknown>[] };
    const out = publicKeys(readKeys([rfc('rfc7517-a2.jwks.json')]));
    expect(out.format).toBe('jwks');
    expect(out.private).toBe(false);
    const keys = (out.value as { keys: Record<string, unknown>[] }).keys;
    expect(keys).toEqual(a1.keys);
    // a member-for-member copy; the order is jwtkit's own (key members, then use/alg/kid)
    expect(Object.keys(keys[0]!)).toEqual(['kty', 'crv', 'x', 'y', 'use', 'kid']);
  });

  it('RFC 7517 A.2: private keys stay private through convert, and the same thumbprints', () => {
    const out = convertKeys(readKeys([rfc('rfc7517-a2.jwks.json')]), { to: 'jwks' });
    const a2 = JSON.parse(rfc('rfc7517-a2.jwks.json').text) as { keys: Record<string, unknown>[] };
    expect(out.private).toBe(true);
    expect((out.value as { keys: unknown[] }).keys).toEqual(a2.keys);
    expect(out.keys.map((k) => k.thumbprint)).toEqual(['cn-I_WNMClehiVp51i_0VpOENW1upEerA8sEam5hn-s', 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs']);
  });

  it('RFC 7517 Appendix B: the x5c certificate holds the JWK\'s key; subject, issuer, dates, expired', () => {
    const fromJwk = thumbprints(readKeys([rfc('rfc7517-b.jwk.json')]), { hash: 'sha256' })[0]!;
    const [cert] = inspectKeys(readKeys([rfc('rfc7517-b.crt.pem')]), { now: NOW });
    expect(fromJwk.kid).toBe('1b94c');
    expect(cert!.thumbprint).toBe(fromJwk.thumbprint);
    expect(cert!.certificate).toEqual({
      subject: 'C=US, ST=CO, L=Denver, O=Ping Identity Corp., CN=Brian Campbell',
      issuer: 'C=US, ST=CO, L=Denver, O=Ping Identity Corp., CN=Brian Campbell',
      serial: '013CFF16E2E2',
      not_before: '2013-02-21T23:29:15Z',
      not_after: '2018-08-14T22:29:15Z',
      expired: true,
      not_yet_valid: false,
    });
    expect(cert!.warnings.map((w) => w.code)).toEqual(['expired']);
    const [then] = inspectKeys(readKeys([rfc('rfc7517-b.crt.pem')]), { now: Date.parse('2015-01-01T00:00:00Z') / 1000 });
    expect(then!.certificate!.expired).toBe(false);
  });

  it('a Google/Firebase certificate map reads as keys with the map\'s kids', () => {
    const [entry] = readKeys([rfc('rfc7517-b.certmap.json')]);
    expect(entry!.key.kid).toBe('1b94c');
    expect(entry!.inSet).toBe(true);
    const out = buildJwks([entry!], { private: false, drop: [] });
    expect((out.value as { keys: { kid: string }[] }).keys[0]).toMatchObject({ kty: 'RSA', kid: '1b94c', use: 'sig', e: 'AQAB' });
  });

  it.each(['sha256', 'sha384', 'sha512'] as const)('%s thumbprints equal jose\'s calculateJwkThumbprint', async (hash) => {
    const entries = readKeys([rfc('rfc7517-a2.jwks.json')]);
    const ours = thumbprints(entries, { hash });
    const a1 = JSON.parse(rfc('rfc7517-a1.jwks.json').text) as { keys: Record<string, string>[] };
    for (let i = 0; i < a1.keys.length; i++) {
      expect(ours[i]!.thumbprint).toBe(await calculateJwkThumbprint(a1.keys[i]! as never, hash));
      expect(ours[i]!.uri).toBe(`urn:ietf:params:oauth:jwk-thumbprint:${hash.replace('sha', 'sha-')}:${ours[i]!.thumbprint}`);
    }
  });
});

describe('readKeys: bad input', () => {
  const a1 = () => JSON.parse(rfc('rfc7517-a1.jwks.json').text) as { keys: Record<string, string>[] };

  it('a truncated PEM is one bad_key error naming the file', () => {
    const { pub } = pemPair('ec');
    const e = thrown(() => readKeys([{ label: 'cut.pem', text: pub.slice(0, 80) }]));
    expect(e.code).toBe('bad_key');
    expect(e.message).toBe('cut.pem has a PEM BEGIN line without its END line');
    expect(e.hint).toMatch(/cut short/);
    const other = thrown(() => readKeys([{ label: 'notes.txt', text: 'hello' }]));
    expect(other.message).toBe('notes.txt is not a PEM key, certificate, JWK or JWKS');
    // key inspect reads keys only: the --key/--secret-file hint belongs to verify and sign
    expect(other.hint).toBeUndefined();
    const half = `${pub.slice(0, 100)}\n-----END PUBLIC KEY-----\n`;
    expect(thrown(() => readKeys([{ label: 'half.pem', text: half }])).message).toBe('half.pem: the PUBLIC KEY PEM block does not parse');
  });

  it('an RSA key with public exponent 1 is refused, in a JWK and in a JWKS', () => {
    const jwk = { ...a1().keys[1]!, e: 'AQ' };
    expect(thrown(() => readKeys([json('e1.json', jwk)])).message).toMatch(/^e1\.json: an RSA key with public exponent 1 is unsafe/);
    expect(thrown(() => readKeys([json('set.json', { keys: [jwk] })])).message).toMatch(/^set\.json kid "2011-04-29": an RSA key with public exponent 1/);
  });

  it('a JWK whose alg does not fit its curve is said (and is a problem)', () => {
    const jwk = { ...a1().keys[0]!, use: 'sig', alg: 'ES384' };
    const [r] = inspectKeys(readKeys([json('k.json', jwk)]), { now: NOW });
    expect(r!.algs).toEqual([]);
    expect(r!.warnings).toEqual([{ code: 'alg_mismatch', message: 'its "alg" "ES384" does not fit an EC P-256 key, which signs ES256' }]);
    expect(thrown(() => buildJwks(readKeys([json('k.json', jwk)]), { private: false, drop: [] })).message).toMatch(/does not fit an EC P-256 key/);
  });

  it('an RSA key under 2048 bits is said, with its size, and kept out of a JWKS', () => {
    const { pub } = pemPair('rsa', { modulusLength: 1024 });
    const [r] = inspectKeys(readKeys([{ label: 'small.pem', text: pub }]), { now: NOW });
    expect(r!.bits).toBe(1024);
    expect(r!.warnings[0]).toEqual({ code: 'rsa_too_small', message: 'an RSA key of 1024 bits: JWS needs 2048 or more (RFC 7518 §3.3), so jwtkit and jose refuse it' });
    expect(thrown(() => buildJwks(readKeys([{ label: 'small.pem', text: pub }]), { private: false, drop: [] })).message).toMatch(/^small\.pem: an RSA key of 1024 bits/);
  });

  it('a JWKS with one kid on two different keys is said by inspect and refused by jwks', () => {
    const [ec, rsaKey] = a1().keys;
    const set = { keys: [{ ...ec!, kid: 'k1', use: 'sig' }, { ...rsaKey!, kid: 'k1' }] };
    const reports = inspectKeys(readKeys([json('dup.json', set)]), { now: NOW });
    expect(reports.map((r) => r.warnings.map((w) => w.code))).toEqual([['duplicate_kid'], ['duplicate_kid']]);
    expect(reports[0]!.warnings[0]!.message).toBe('kid "k1" is also on a different key (dup.json, thumbprint NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs): a verifier cannot tell them apart');
    expect(thrown(() => buildJwks(readKeys([json('dup.json', set)]), { private: false, drop: [] })).message).toBe(
      `kid "k1" is on two different keys (dup.json, thumbprint ${reports[0]!.thumbprint}, and dup.json, thumbprint ${reports[1]!.thumbprint}): verifiers could not tell them apart`,
    );
  });

  it('an empty JWKS and JSON that is no key are errors', () => {
    expect(thrown(() => readKeys([json('e.json', { keys: [] })])).message).toBe('e.json is a JWKS with no keys');
    expect(thrown(() => readKeys([json('x.json', { hello: 1 })])).code).toBe('bad_key');
    expect(thrown(() => readKeys([{ label: 'j.json', text: '{"keys": [' }])).message).toBe('j.json looks like JSON but does not parse');
  });
});

describe('convert and public', () => {
  it('PEM → JWK gets kid = thumbprint, alg and use when asked; private stays private', () => {
    const { priv } = pemPair('ec');
    const out = convertKeys(readKeys([{ label: 'k.pem', text: priv }]), { to: 'jwk', alg: 'ES256', use: 'sig' });
    const jwk = out.value as Record<string, string>;
    expect(Object.keys(jwk)).toEqual(['kty', 'crv', 'x', 'y', 'd', 'use', 'alg', 'kid']);
    expect(jwk.kid).toBe(out.keys[0]!.thumbprint);
    expect(out.private).toBe(true);
    expect(keyOutputText(out)).toBe(`${JSON.stringify(jwk, null, 2)}\n`);
  });

  it('--alg must fit the key', () => {
    const { pub } = pemPair('ec');
    const e = thrown(() => convertKeys(readKeys([{ label: 'k.pem', text: pub }]), { to: 'jwk', alg: 'RS256' }));
    expect(e).toMatchObject({ code: 'usage', message: '--alg "RS256" does not fit k.pem (EC P-256)', hint: 'it signs ES256' });
  });

  it('JWK → PEM: PKCS#8 for a private key, SPKI for a public one, equal to the original', () => {
    const { priv, pub } = pemPair('ed25519');
    const jwk = keyOutputText(convertKeys(readKeys([{ label: 'k.pem', text: priv }]), { to: 'jwk' }));
    expect(keyOutputText(convertKeys(readKeys([{ label: 'k.json', text: jwk }]), { to: 'pem' }))).toBe(priv);
    expect(keyOutputText(publicKeys(readKeys([{ label: 'k.json', text: jwk }]), { format: 'pem' }))).toBe(pub);
  });

  it('public keeps the input format: PEM stays PEM, a JWK stays a JWK, key_ops keep only public operations', () => {
    const { priv, pub } = pemPair('ec');
    expect(keyOutputText(publicKeys(readKeys([{ label: 'k.pem', text: priv }])))).toBe(pub);
    const jwk = { ...(convertKeys(readKeys([{ label: 'k.pem', text: priv }]), { to: 'jwk' }).value as object), key_ops: ['sign', 'verify'] };
    const out = publicKeys(readKeys([json('k.json', jwk)]));
    expect(out.format).toBe('jwk');
    expect(out.value).not.toHaveProperty('d');
    expect(out.value).toMatchObject({ key_ops: ['verify'] });
  });

  it('a secret has no public half and no PEM form', () => {
    const oct = { kty: 'oct', k: randomBytes(32).toString('base64url') };
    expect(thrown(() => publicKeys(readKeys([json('s.json', oct)]))).message).toBe('s.json is a secret (oct) key: it has no public half');
    expect(thrown(() => convertKeys(readKeys([json('s.json', oct)]), { to: 'pem' })).message).toMatch(/secret \(oct\) key, which has no PEM form/);
  });
});

describe('jwks', () => {
  // The RSA key is a committed one (a fresh one costs ~0.25 s of CPU); the EC and Ed25519 keys are fresh.
  const keys = () => [pemPair('ec'), pemPair('ed25519'), { priv: readFileSync(key('rsa.key.pem'), 'utf8'), pub: readFileSync(key('rsa.pub.pem'), 'utf8') }];

  it('merges PEM, JWK and JWKS inputs in order, de-duplicated by thumbprint; EC and EdDSA get their alg', () => {
    const [a, b, c] = keys();
    const first = buildJwks(readKeys([{ label: 'a.pem', text: a!.pub }, { label: 'b.pem', text: b!.pub }]), { private: false, drop: [] });
    const merged = buildJwks(
      readKeys([{ label: 'jwks.json', text: keyOutputText(first) }, { label: 'c.pem', text: c!.pub }, { label: 'a-again.pem', text: a!.pub }]),
      { private: false, drop: [] },
    );
    const set = merged.value as { keys: Record<string, string>[] };
    expect(set.keys.map((k) => [k.kty, k.alg, k.use])).toEqual([['EC', 'ES256', 'sig'], ['OKP', 'EdDSA', 'sig'], ['RSA', undefined, 'sig']]);
    expect(set.keys.map((k) => k.kid)).toEqual(merged.keys.map((k) => k.thumbprint));
    expect(merged.notes).toEqual([`a-again.pem is the same key as jwks.json kid "${set.keys[0]!.kid}": kept once`]);
    // the same inputs make the same bytes
    expect(keyOutputText(buildJwks(readKeys([{ label: 'jwks.json', text: keyOutputText(first) }, { label: 'c.pem', text: c!.pub }]), { private: false, drop: [] }))).toBe(keyOutputText(merged));
  });

  it('--drop removes a key by kid or thumbprint; a kid that matches nothing is an error', () => {
    const [a, b] = keys();
    const both = buildJwks(readKeys([{ label: 'a.pem', text: a!.pub }, { label: 'b.pem', text: b!.pub }]), { private: false, drop: [] });
    const [kidA, kidB] = both.keys.map((k) => k.kid!);
    const dropped = buildJwks(readKeys([{ label: 'jwks.json', text: keyOutputText(both) }]), { private: false, drop: [kidA!] });
    expect((dropped.value as { keys: { kid: string }[] }).keys.map((k) => k.kid)).toEqual([kidB]);
    expect(thrown(() => buildJwks(readKeys([{ label: 'jwks.json', text: keyOutputText(both) }]), { private: false, drop: ['nope'] })).message).toBe(
      '--drop "nope" matches no key\'s kid or thumbprint',
    );
    expect(thrown(() => buildJwks(readKeys([{ label: 'jwks.json', text: keyOutputText(dropped) }]), { private: false, drop: [kidB!] })).message).toBe('the JWKS would hold no keys');
  });

  it('refuses private keys and secrets unless private; then keeps their private members', () => {
    const [a] = keys();
    const e = thrown(() => buildJwks(readKeys([{ label: 'a.key.pem', text: a!.priv }]), { private: false, drop: [] }));
    expect(e.message).toBe('a.key.pem is a private key, and a published JWKS holds public keys only');
    expect(e.hint).toMatch(/jwtkit key public a\.key\.pem/);
    const oct = { kty: 'oct', k: randomBytes(32).toString('base64url'), kid: 's' };
    expect(thrown(() => buildJwks(readKeys([json('s.json', oct)]), { private: false, drop: [] })).message).toBe('s.json kid "s" is a secret (oct) key, which never goes in a published JWKS');
    const kept = buildJwks(readKeys([{ label: 'a.key.pem', text: a!.priv }, json('s.json', oct)]), { private: true, drop: [] });
    expect(kept.private).toBe(true);
    expect((kept.value as { keys: Record<string, unknown>[] }).keys.map((k) => [k.kty, 'd' in k || 'k' in k])).toEqual([['EC', true], ['oct', true]]);
  });
});

describe('safeText', () => {
  it('escapes terminal control and reordering characters from key files', () => {
    expect(safeText('kid\u001b[31mred\u009b\u202e')).toBe('kid\\x1b[31mred\\x9b\\u202e');
    expect(safeText('plain-kid_1')).toBe('plain-kid_1');
  });
});
