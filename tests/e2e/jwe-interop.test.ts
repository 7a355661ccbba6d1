// JWE against independent implementations, both ways: jwcrypto (Debian's python3) and the jose C
// tool make tokens that `jwtkit decrypt` opens, and open what jwtkit encrypts, for every alg × enc
// each supports. Each side runs once per direction, with every case in that one run; encrypt's
// JSON serializations (flattened, general) open in both. jwtkit's side of each batch and the
// binary's defaults go through the built binary (jwtkit()); the serializations and RSA1_5's refusal
// are made in-process (cli(), tests/helpers/cli.ts: the same main() as the binary).
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { JWE_ALGS, JWE_ENCS, type JweAlg, type JweEnc } from '../../src/algs.js';
import { parseKeyText } from '../../src/crypto.js';
import { encryptPayload } from '../../src/commands/encrypt.js';
import { jwtkit } from '../helpers/run.js';
import { key as fixtureKey } from '../helpers/fixtures.js';
import { cli } from '../helpers/cli.js';
import { LONG, requireTools } from '../helpers/tools.js';

const dir = mkdtempSync(join(tmpdir(), 'jwtkit-jwe-interop-'));
const at = (name: string) => join(dir, name);
const PYTHON = '/usr/bin/python3';

/** One key a kid, for every alg: secrets of each content and wrapping key size, a password, each curve, RSA. */
const jwks: { keys: Record<string, unknown>[] } = { keys: [] };
const EC_CURVES = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' } as const;

/** The key (kid) each alg uses; dir uses the secret of its enc's size. */
function kidFor(alg: JweAlg, enc: JweEnc, curve: string = 'P-256'): string {
  if (alg === 'dir') return `oct${{ 'A128CBC-HS256': 32, 'A192CBC-HS384': 48, 'A256CBC-HS512': 64, A128GCM: 16, A192GCM: 24, A256GCM: 32 }[enc]}`;
  if (alg.startsWith('PBES2')) return 'password';
  if (alg.startsWith('RSA')) return 'rsa';
  if (alg.startsWith('ECDH')) return curve;
  return `oct${alg.slice(1, 4) === '128' ? 16 : alg.slice(1, 4) === '192' ? 24 : 32}`;
}

beforeAll(() => {
  for (const n of [16, 24, 32, 48, 64]) jwks.keys.push({ kty: 'oct', kid: `oct${n}`, k: randomBytes(n).toString('base64url') });
  jwks.keys.push({ kty: 'oct', kid: 'password', k: randomBytes(32).toString('base64url') });
  for (const [crv, name] of Object.entries(EC_CURVES)) {
    jwks.keys.push({ ...generateKeyPairSync('ec', { namedCurve: name }).privateKey.export({ format: 'jwk' }), kid: crv });
  }
  jwks.keys.push({ ...generateKeyPairSync('x25519').privateKey.export({ format: 'jwk' }), kid: 'X25519' });
  // The committed RSA key (fixtures/keys, openssl's): a fresh one costs ~0.25 s of CPU.
  jwks.keys.push({ ...createPrivateKey(readFileSync(fixtureKey('rsa.key.pem'))).export({ format: 'jwk' }), kid: 'rsa' });
  writeFileSync(at('keys.json'), JSON.stringify(jwks));
  for (const key of jwks.keys) writeFileSync(at(`${String(key.kid)}.jwk`), JSON.stringify(key));
});

/**
 * The alg × enc pairs to run: every one with JWTKIT_TEST_LONG=1 (CI), else each alg once with the
 * encs taken in turn (every enc several times), which keeps \`npm test\` fast.
 */
function pairs(algs: readonly JweAlg[]): [JweAlg, JweEnc, number][] {
  const out: [JweAlg, JweEnc, number][] = [];
  algs.forEach((alg, i) => JWE_ENCS.forEach((enc, j) => {
    if (LONG || j === i % JWE_ENCS.length) out.push([alg, enc, i + j]);
  }));
  return out;
}

interface Case {
  label: string;
  token: string;
}

/** Decrypts every token in one jwtkit run (stdin lines, --json); each plaintext must be its label. */
async function expectJwtkitOpensAll(cases: Case[]): Promise<void> {
  const r = await jwtkit(['decrypt', '--jwks', at('keys.json'), '--json'], { input: cases.map((c) => c.token).join('\n') });
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { plaintext?: string; error?: { message: string } });
  const got = lines.map((l, i) => `${cases[i]!.label} → ${l.plaintext ?? `ERROR ${l.error?.message}`}`);
  expect(got).toEqual(cases.map((c) => `${c.label} → ${c.label}`));
  expect(r.exitCode).toBe(0);
}

const JWCRYPTO_MAKE = String.raw`
import json, sys
from jwcrypto import jwk, jwe
from jwcrypto.common import json_encode
keys = {k['kid']: jwk.JWK(**k) for k in json.load(open(sys.argv[1]))['keys']}
allowed = ${JSON.stringify([...JWE_ALGS, ...JWE_ENCS])}
for line in sys.stdin:
    c = json.loads(line)
    header = {'enc': c['enc']}
    if c.get('zip'): header['zip'] = 'DEF'
    if 'more' not in c: header.update({'alg': c['alg'], 'kid': c['kid']})
    e = jwe.JWE(c['label'].encode(), json_encode(header), algs=allowed)
    if 'more' not in c: e.add_recipient(keys[c['kid']])
    else:
        for kid in c['more']: e.add_recipient(keys[kid], json_encode({'alg': c['alg'], 'kid': kid}))
    print(e.serialize(compact=c['form'] == 'compact'))
`;

const JWCRYPTO_OPEN = String.raw`
import json, sys
from jwcrypto import jwk, jwe
from jwcrypto.common import base64url_decode
keys = {k['kid']: jwk.JWK(**k) for k in json.load(open(sys.argv[1]))['keys']}
allowed = ${JSON.stringify([...JWE_ALGS, ...JWE_ENCS])}
for line in sys.stdin:
    token = line.strip()
    try:
        header = json.loads(base64url_decode(token.split('.')[0]))
        e = jwe.JWE(algs=allowed)
        e.deserialize(token, keys[header['kid']])
        print(e.payload.decode())
    except Exception as ex:
        print('ERROR ' + type(ex).__name__)
`;

// jwcrypto 1.1 has no RSA-OAEP-384/512.
const JWCRYPTO_ALGS = JWE_ALGS.filter((a) => a !== 'RSA-OAEP-384' && a !== 'RSA-OAEP-512');

describe('jwcrypto → jwtkit decrypt', () => {
  it('opens every alg × enc jwcrypto makes (compact; ECDH-ES on each curve and X25519; zip DEF), and the JSON serializations', async (ctx) => {
    requireTools(ctx, 'jwcrypto');
    const curves = ['P-256', 'P-384', 'P-521', 'X25519'];
    const specs: Record<string, unknown>[] = [];
    for (const [alg, enc, n] of pairs(JWCRYPTO_ALGS)) {
      const curve = curves[n % curves.length];
      specs.push({ label: `${alg} ${enc}${alg.startsWith('ECDH') ? ` ${curve}` : ''}${n % 3 === 0 ? ' zip' : ''}`, alg, enc, kid: kidFor(alg, enc, curve), zip: n % 3 === 0, form: 'compact' });
    }
    specs.push({ label: 'flattened A256KW', alg: 'A256KW', enc: 'A128CBC-HS256', kid: 'oct32', form: 'json' });
    specs.push({ label: 'general ECDH-ES+A128KW to two keys', alg: 'ECDH-ES+A128KW', enc: 'A256GCM', kid: 'P-256', more: ['P-384', 'P-256'], form: 'json' });
    const made = await execa(PYTHON, ['-c', JWCRYPTO_MAKE, at('keys.json')], { input: specs.map((s) => JSON.stringify(s)).join('\n') });
    const tokens = made.stdout.trim().split('\n');
    expect(tokens).toHaveLength(specs.length);
    expect(JSON.parse(tokens.at(-1)!)).toHaveProperty('recipients');
    await expectJwtkitOpensAll(specs.map((s, i) => ({ label: s.label as string, token: tokens[i]! })));
  }, 60_000);
});

/** Tokens jwtkit makes, in this process (the same code the binary runs): every alg × enc. */
async function jwtkitTokens(algs: readonly JweAlg[], curves: readonly string[]): Promise<Case[]> {
  const keys = new Map(jwks.keys.map((k) => [k.kid as string, parseKeyText(JSON.stringify(k), String(k.kid))[0]!]));
  const cases: Case[] = [];
  for (const [alg, enc, n] of pairs(algs)) {
    const curve = curves[n % curves.length]!;
    const label = `${alg} ${enc}${alg.startsWith('ECDH') ? ` ${curve}` : ''}`;
    const kid = kidFor(alg, enc, curve);
    const { token } = await encryptPayload({ plaintext: new TextEncoder().encode(label), alg, enc, kid, zip: n % 3 === 0, p2c: 1000 }, keys.get(kid)!);
    cases.push({ label, token });
  }
  return cases;
}

describe('jwtkit encrypt → jwcrypto', () => {
  it('jwcrypto opens every alg × enc jwtkit makes (zip DEF on a third of them)', async (ctx) => {
    requireTools(ctx, 'jwcrypto');
    const cases = await jwtkitTokens(JWCRYPTO_ALGS, ['P-256', 'P-384', 'P-521', 'X25519']);
    const r = await execa(PYTHON, ['-c', JWCRYPTO_OPEN, at('keys.json')], { input: cases.map((c) => c.token).join('\n') });
    expect(r.stdout.trim().split('\n')).toEqual(cases.map((c) => c.label));
  }, 60_000);

  it('the binary\'s defaults (dir + A256GCM for a secret, RSA-OAEP-256, ECDH-ES for EC and X25519) and --zip open in jwcrypto', async (ctx) => {
    requireTools(ctx, 'jwcrypto');
    const secret = jwks.keys.find((k) => k.kid === 'oct32')!.k as string;
    const runs = [
      ['--secret-env', 'JWE_KEY', '--secret-encoding', 'base64url', '--kid', 'oct32'],
      ['--key', at('rsa.jwk')],
      ['--key', at('P-384.jwk'), '--zip'],
      ['--key', at('X25519.jwk')],
      ['--secret-env', 'JWE_KEY', '--secret-encoding', 'base64url', '--alg', 'PBES2-HS256+A128KW', '--kid', 'oct32', '--p2c', '1000'],
    ];
    // the first through the binary, the others in-process (the same main())
    const made = await Promise.all(runs.map((args, i) => (i === 0 ? jwtkit : cli)(['encrypt', ...args, `case ${i}`], { env: { JWE_KEY: secret } })));
    for (const m of made) expect(m.exitCode, m.stderr).toBe(0);
    const headers = made.map((m) => JSON.parse(Buffer.from(m.stdout.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>);
    expect(headers.map((h) => `${String(h.alg)} ${String(h.enc)}`)).toEqual(['dir A256GCM', 'RSA-OAEP-256 A256GCM', 'ECDH-ES A256GCM', 'ECDH-ES A256GCM', 'PBES2-HS256+A128KW A256GCM']);
    const r = await execa(PYTHON, ['-c', JWCRYPTO_OPEN, at('keys.json')], { input: made.map((m) => m.stdout.trim()).join('\n') });
    expect(r.stdout.trim().split('\n')).toEqual(runs.map((_, i) => `case ${i}`));
  }, 60_000);
});

const JWCRYPTO_OPEN_JSON = String.raw`
import json, sys
from jwcrypto import jwk, jwe
keys = {k['kid']: jwk.JWK(**k) for k in json.load(open(sys.argv[1]))['keys']}
allowed = ${JSON.stringify([...JWE_ALGS, ...JWE_ENCS])}
for line in sys.stdin:
    c = json.loads(line)
    try:
        e = jwe.JWE(algs=allowed)
        e.deserialize(c['token'], keys[c['kid']])
        print(e.payload.decode())
    except Exception as ex:
        print('ERROR ' + type(ex).__name__)
`;

describe('jwtkit encrypt --serialization flattened|general', () => {
  it('writes one line of JSON (RFC 7516 §7.2) that jwtkit decrypt and jwcrypto both open, to a secret, an EC and an RSA key', async (ctx) => {
    requireTools(ctx, 'jwcrypto');
    const secret = jwks.keys.find((k) => k.kid === 'oct32')!.k as string;
    const SECRET = ['--secret-env', 'JWE_KEY', '--secret-encoding', 'base64url', '--kid', 'oct32'];
    const runs: { label: string; kid: string; args: string[] }[] = [
      { label: 'flattened secret', kid: 'oct32', args: [...SECRET, '--serialization', 'flattened'] },
      { label: 'general secret', kid: 'oct32', args: [...SECRET, '--serialization', 'general', '--alg', 'A256KW'] },
      { label: 'flattened P-256', kid: 'P-256', args: ['--key', at('P-256.jwk'), '--serialization', 'flattened', '--zip'] },
      { label: 'general rsa', kid: 'rsa', args: ['--key', at('rsa.jwk'), '--serialization', 'general'] },
    ];
    const made = await Promise.all(runs.map((run) => cli(['encrypt', ...run.args, run.label], { env: { JWE_KEY: secret } })));
    for (const m of made) {
      expect(m.exitCode, m.stderr).toBe(0);
      expect(m.stderr).toBe('');
      expect(m.stdout).toMatch(/^\{[^\n]*\}\n$/);
    }
    const jwes = made.map((m) => JSON.parse(m.stdout) as Record<string, any>);
    const prot = (j: Record<string, any>) => JSON.parse(Buffer.from(j.protected as string, 'base64url').toString()) as Record<string, unknown>;
    // flattened: everything protected, as compact has it; general: alg and kid in the recipient's header.
    expect(Object.keys(jwes[3]!.recipients[0])).toEqual(['header', 'encrypted_key']);
    expect(jwes.map((j) => Object.keys(j))).toEqual([
      ['protected', 'iv', 'ciphertext', 'tag'],
      ['protected', 'recipients', 'iv', 'ciphertext', 'tag'],
      ['protected', 'iv', 'ciphertext', 'tag'],
      ['protected', 'recipients', 'iv', 'ciphertext', 'tag'],
    ]);
    expect(prot(jwes[0]!)).toEqual({ alg: 'dir', enc: 'A256GCM', kid: 'oct32' });
    expect(prot(jwes[1]!)).toEqual({ enc: 'A256GCM' });
    expect(jwes[1]!.recipients).toEqual([{ header: { alg: 'A256KW', kid: 'oct32' }, encrypted_key: expect.any(String) }]);
    expect(prot(jwes[2]!)).toMatchObject({ alg: 'ECDH-ES', enc: 'A256GCM', kid: 'P-256', zip: 'DEF', epk: { kty: 'EC', crv: 'P-256' } });
    expect(prot(jwes[3]!)).toEqual({ enc: 'A256GCM' });
    expect(jwes[3]!.recipients).toEqual([{ header: { alg: 'RSA-OAEP-256', kid: 'rsa' }, encrypted_key: expect.any(String) }]);

    await expectJwtkitOpensAll(runs.map((run, i) => ({ label: run.label, token: made[i]!.stdout.trim() })));
    const opened = await execa(PYTHON, ['-c', JWCRYPTO_OPEN_JSON, at('keys.json')], {
      input: runs.map((run, i) => JSON.stringify({ kid: run.kid, token: made[i]!.stdout.trim() })).join('\n'),
    });
    expect(opened.stdout.trim().split('\n')).toEqual(runs.map((run) => run.label));
  }, 60_000);
});

// The jose C tool (Debian's jose 11): no RSA-OAEP family and no X25519; RSA1_5 it still makes.
const JOSE_C_ALGS = JWE_ALGS.filter((a) => !a.startsWith('RSA'));

describe('the jose C tool ↔ jwtkit', () => {
  it('jwtkit opens every alg × enc the jose C tool makes (compact and JSON)', async (ctx) => {
    requireTools(ctx, 'jose');
    const curves = ['P-256', 'P-384', 'P-521'];
    const specs: { label: string; alg: string; enc: string; kid: string; compact: boolean }[] = [];
    for (const [alg, enc, n] of pairs(JOSE_C_ALGS)) {
      const curve = curves[n % curves.length]!;
      const compact = n % 4 !== 0;
      specs.push({ label: `${alg} ${enc}${alg.startsWith('ECDH') ? ` ${curve}` : ''}${compact ? '' : ' json'}`, alg, enc, kid: kidFor(alg, enc, curve), compact });
    }
    // One shell runs every jose process (a C program: milliseconds each).
    const script = specs
      .map((s) => {
        // (jose 11 writes zip DEF in the header without compressing, so no zip here.)
        const protectedHeader = JSON.stringify({ protected: { enc: s.enc } });
        const recipient = JSON.stringify({ header: { alg: s.alg, kid: s.kid } });
        return `printf '%s' '${s.label}' | jose jwe enc -I- -i '${protectedHeader}' -r '${recipient}' -k '${at(`${s.kid}.jwk`)}'${s.compact ? ' -c' : ''} && echo`;
      })
      .join('\n');
    const made = await execa('bash', ['-ec', script]);
    const tokens = made.stdout.trim().split('\n');
    expect(tokens).toHaveLength(specs.length);
    await expectJwtkitOpensAll(specs.map((s, i) => ({ label: s.label, token: tokens[i]! })));
  }, 60_000);

  it('the jose C tool opens every alg × enc jwtkit makes', async (ctx) => {
    requireTools(ctx, 'jose');
    const cases = await jwtkitTokens(JOSE_C_ALGS, ['P-256', 'P-384', 'P-521']);
    const kids = cases.map((c) => JSON.parse(Buffer.from(c.token.split('.')[0]!, 'base64url').toString()).kid as string);
    const script = cases.map((c, i) => `printf '%s' '${c.token}' | jose jwe dec -i- -k '${at(`${kids[i]}.jwk`)}' && echo`).join('\n');
    const r = await execa('bash', ['-ec', script]);
    expect(r.stdout.trim().split('\n')).toEqual(cases.map((c) => c.label));
  }, 60_000);

  it('RSA1_5 from the jose C tool is refused (alg_not_allowed), and opens with --allow-rsa1_5', async (ctx) => {
    requireTools(ctx, 'jose');
    const made = await execa('bash', ['-ec', `printf hi | jose jwe enc -I- -i '{"protected":{"enc":"A128GCM"}}' -r '{"header":{"alg":"RSA1_5"}}' -k '${at('rsa.jwk')}' -c`]);
    const refused = await cli(['decrypt', '--key', at('rsa.jwk'), '--json', made.stdout.trim()]);
    expect(refused.exitCode).toBe(1);
    expect(JSON.parse(refused.stdout).error.code).toBe('alg_not_allowed');
    expect(refused.stderr).toMatch(/RSA1_5 is refused.*Bleichenbacher.*--allow-rsa1_5/);
    const allowed = await cli(['decrypt', '--key', at('rsa.jwk'), '--allow-rsa1_5', made.stdout.trim()]);
    expect(allowed).toMatchObject({ exitCode: 0, stdout: 'hi', stderr: '' });
  }, 60_000);
});
