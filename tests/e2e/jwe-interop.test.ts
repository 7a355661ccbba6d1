// JWE against independent implementations, both ways: jwcrypto (Debian's python3) and the jose C
// tool make tokens that `jwtkit decrypt` opens, and open what jwtkit encrypts, for every alg × enc
// each supports. Each side runs once per direction, with every case in that one run; encrypt's
// JSON serializations (flattened, general) open in both. jwtkit's side runs in-process (cli(),
// tests/helpers/cli.ts: the same main() as the binary; decrypt.test.ts has the binary's own wiring);
// jwcrypto runs once for the whole file (one python3 process makes its tokens and opens jwtkit's),
// the jose C tool from one shell per test.
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { JWE_ALGS, JWE_ENCS, type JweAlg, type JweEnc } from '../../src/algs.js';
import { parseKeyText } from '../../src/crypto.js';
import { encryptPayload } from '../../src/commands/encrypt.js';
import type { RunResult } from '../helpers/run.js';
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
  const r = await cli(['decrypt', '--jwks', at('keys.json'), '--json'], { input: cases.map((c) => c.token).join('\n') });
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { plaintext?: string; error?: { message: string } });
  const got = lines.map((l, i) => `${cases[i]!.label} → ${l.plaintext ?? `ERROR ${l.error?.message}`}`);
  expect(got).toEqual(cases.map((c) => `${c.label} → ${c.label}`));
  expect(r.exitCode).toBe(0);
}

/**
 * jwcrypto, one process for every test of this file: a line {"make": spec} is a token it makes
 * (compact, or the JSON serialization to one or several recipients), a line {"open": {"token",
 * "kid"}} one it opens with that key (by default the kid of a compact token's header); one line
 * out for each, the token, the plaintext or ERROR and the exception's name.
 */
const JWCRYPTO = String.raw`
import json, sys
from jwcrypto import jwk, jwe
from jwcrypto.common import base64url_decode, json_encode
keys = {k['kid']: jwk.JWK(**k) for k in json.load(open(sys.argv[1]))['keys']}
allowed = ${JSON.stringify([...JWE_ALGS, ...JWE_ENCS])}
def make(c):
    header = {'enc': c['enc']}
    if c.get('zip'): header['zip'] = 'DEF'
    if 'more' not in c: header.update({'alg': c['alg'], 'kid': c['kid']})
    e = jwe.JWE(c['label'].encode(), json_encode(header), algs=allowed)
    if 'more' not in c: e.add_recipient(keys[c['kid']])
    else:
        for kid in c['more']: e.add_recipient(keys[kid], json_encode({'alg': c['alg'], 'kid': kid}))
    return e.serialize(compact=c['form'] == 'compact')
def open_(c):
    token = c['token'].strip()
    try:
        kid = c.get('kid') or json.loads(base64url_decode(token.split('.')[0]))['kid']
        e = jwe.JWE(algs=allowed)
        e.deserialize(token, keys[kid])
        return e.payload.decode()
    except Exception as ex:
        return 'ERROR ' + type(ex).__name__
for line in sys.stdin:
    c = json.loads(line)
    print(make(c['make']) if 'make' in c else open_(c['open']))
`;

// jwcrypto 1.1 has no RSA-OAEP-384/512.
const JWCRYPTO_ALGS = JWE_ALGS.filter((a) => a !== 'RSA-OAEP-384' && a !== 'RSA-OAEP-512');

/** What jwcrypto makes for jwtkit to open: every alg × enc (compact; ECDH-ES on each curve and X25519; zip DEF), and the JSON serializations. */
function jwcryptoSpecs(): Record<string, unknown>[] {
  const curves = ['P-256', 'P-384', 'P-521', 'X25519'];
  const specs: Record<string, unknown>[] = [];
  for (const [alg, enc, n] of pairs(JWCRYPTO_ALGS)) {
    const curve = curves[n % curves.length];
    specs.push({ label: `${alg} ${enc}${alg.startsWith('ECDH') ? ` ${curve}` : ''}${n % 3 === 0 ? ' zip' : ''}`, alg, enc, kid: kidFor(alg, enc, curve), zip: n % 3 === 0, form: 'compact' });
  }
  specs.push({ label: 'flattened A256KW', alg: 'A256KW', enc: 'A128CBC-HS256', kid: 'oct32', form: 'json' });
  specs.push({ label: 'general ECDH-ES+A128KW to two keys', alg: 'ECDH-ES+A128KW', enc: 'A256GCM', kid: 'P-256', more: ['P-384', 'P-256'], form: 'json' });
  return specs;
}

/** encrypt with the binary's defaults (dir + A256GCM for a secret, RSA-OAEP-256, ECDH-ES for EC and X25519), --zip, and PBES2. */
const DEFAULT_RUNS = () => [
  ['--secret-env', 'JWE_KEY', '--secret-encoding', 'base64url', '--kid', 'oct32'],
  ['--key', at('rsa.jwk')],
  ['--key', at('P-384.jwk'), '--zip'],
  ['--key', at('X25519.jwk')],
  ['--secret-env', 'JWE_KEY', '--secret-encoding', 'base64url', '--alg', 'PBES2-HS256+A128KW', '--kid', 'oct32', '--p2c', '1000'],
];

/** encrypt --serialization flattened|general to a secret, an EC and an RSA key. */
const SERIALIZED_RUNS = (): { label: string; kid: string; args: string[] }[] => {
  const SECRET = ['--secret-env', 'JWE_KEY', '--secret-encoding', 'base64url', '--kid', 'oct32'];
  return [
    { label: 'flattened secret', kid: 'oct32', args: [...SECRET, '--serialization', 'flattened'] },
    { label: 'general secret', kid: 'oct32', args: [...SECRET, '--serialization', 'general', '--alg', 'A256KW'] },
    { label: 'flattened P-256', kid: 'P-256', args: ['--key', at('P-256.jwk'), '--serialization', 'flattened', '--zip'] },
    { label: 'general rsa', kid: 'rsa', args: ['--key', at('rsa.jwk'), '--serialization', 'general'] },
  ];
};

interface JwcryptoRun {
  /** jwcrypto's tokens, one per jwcryptoSpecs() entry */
  made: string[];
  /** jwtkit's every alg × enc, and what jwcrypto opened of each */
  cases: Case[];
  casesOpened: string[];
  /** encrypt run with DEFAULT_RUNS (in-process), and what jwcrypto opened of each */
  defaults: RunResult[];
  defaultsOpened: string[];
  /** encrypt run with SERIALIZED_RUNS (in-process), and what jwcrypto opened of each */
  serialized: RunResult[];
  serializedOpened: string[];
}

let jwcryptoRun: Promise<JwcryptoRun> | undefined;
/** Everything the tests below ask of jwcrypto, in one python3 process, run when the first test asks. */
function jwcrypto(): Promise<JwcryptoRun> {
  return (jwcryptoRun ??= (async () => {
    const secret = jwks.keys.find((k) => k.kid === 'oct32')!.k as string;
    const specs = jwcryptoSpecs();
    const cases = await jwtkitTokens(JWCRYPTO_ALGS, ['P-256', 'P-384', 'P-521', 'X25519']);
    const defaults = await Promise.all(DEFAULT_RUNS().map((args, i) => cli(['encrypt', ...args, `case ${i}`], { env: { JWE_KEY: secret } })));
    const serializedRuns = SERIALIZED_RUNS();
    const serialized = await Promise.all(serializedRuns.map((run) => cli(['encrypt', ...run.args, run.label], { env: { JWE_KEY: secret } })));
    const lines = [
      ...specs.map((spec) => ({ make: spec })),
      ...cases.map((c) => ({ open: { token: c.token } })),
      ...defaults.map((m) => ({ open: { token: m.stdout } })),
      ...serialized.map((m, i) => ({ open: { token: m.stdout, kid: serializedRuns[i]!.kid } })),
    ];
    const r = await execa(PYTHON, ['-c', JWCRYPTO, at('keys.json')], { input: lines.map((l) => JSON.stringify(l)).join('\n') });
    const out = String(r.stdout).trim().split('\n');
    expect(out, String(r.stderr)).toHaveLength(lines.length);
    let from = 0;
    const take = (n: number) => out.slice(from, (from += n));
    return {
      made: take(specs.length),
      cases,
      casesOpened: take(cases.length),
      defaults,
      defaultsOpened: take(defaults.length),
      serialized,
      serializedOpened: take(serialized.length),
    };
  })());
}

describe('jwcrypto → jwtkit decrypt', () => {
  it('opens every alg × enc jwcrypto makes (compact; ECDH-ES on each curve and X25519; zip DEF), and the JSON serializations', async (ctx) => {
    requireTools(ctx, 'jwcrypto');
    const specs = jwcryptoSpecs();
    const tokens = (await jwcrypto()).made;
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
    const { cases, casesOpened } = await jwcrypto();
    expect(cases).toHaveLength(pairs(JWCRYPTO_ALGS).length);
    expect(casesOpened).toEqual(cases.map((c) => c.label));
  }, 60_000);

  it('the binary\'s defaults (dir + A256GCM for a secret, RSA-OAEP-256, ECDH-ES for EC and X25519) and --zip open in jwcrypto', async (ctx) => {
    requireTools(ctx, 'jwcrypto');
    const { defaults: made, defaultsOpened } = await jwcrypto();
    for (const m of made) expect(m.exitCode, m.stderr).toBe(0);
    const headers = made.map((m) => JSON.parse(Buffer.from(m.stdout.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>);
    expect(headers.map((h) => `${String(h.alg)} ${String(h.enc)}`)).toEqual(['dir A256GCM', 'RSA-OAEP-256 A256GCM', 'ECDH-ES A256GCM', 'ECDH-ES A256GCM', 'PBES2-HS256+A128KW A256GCM']);
    expect(defaultsOpened).toEqual(DEFAULT_RUNS().map((_, i) => `case ${i}`));
  }, 60_000);
});

describe('jwtkit encrypt --serialization flattened|general', () => {
  it('writes one line of JSON (RFC 7516 §7.2) that jwtkit decrypt and jwcrypto both open, to a secret, an EC and an RSA key', async (ctx) => {
    requireTools(ctx, 'jwcrypto');
    const runs = SERIALIZED_RUNS();
    const { serialized: made, serializedOpened } = await jwcrypto();
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
    expect(serializedOpened).toEqual(runs.map((run) => run.label));
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
