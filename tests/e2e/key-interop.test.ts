// `jwtkit key` against independent implementations: openssl (PEM made and read), the jose C tool
// (thumbprints, JWS verification with a JWKS), PyJWT's PyJWKSet and jwcrypto (Debian's python3),
// and jose's createLocalJWKSet.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hasTool, requireTools, type ToolName } from '../helpers/tools.js';

/** Every independent implementation these tests compare with. */
const PEERS: ToolName[] = ['openssl', 'jose', 'jwcrypto', 'PyJWT'];
const peersPresent = () => PEERS.every(hasTool);
beforeEach((ctx) => requireTools(ctx, ...PEERS));
import { jwtkit } from '../helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'jwtkit-interop-'));
const at = (name: string) => join(dir, name);

/** openssl genpkey arguments for each key type jwtkit signs with. */
const TYPES: Record<string, string[]> = {
  rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  'rsa-pss': ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048', '-pkeyopt', 'rsa_pss_keygen_md:sha256', '-pkeyopt', 'rsa_pss_keygen_mgf1_md:sha256', '-pkeyopt', 'rsa_pss_keygen_saltlen:32'],
  p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  p521: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
  ed25519: ['-algorithm', 'ed25519'],
};
const NAMES = Object.keys(TYPES);

async function run(cmd: string, args: string[], input?: string) {
  const r = await execa(cmd, args, { reject: false, ...(input === undefined ? {} : { input }) });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

async function ok(args: string[], input?: string): Promise<string> {
  const r = await jwtkit(args, input === undefined ? {} : { input });
  if (r.exitCode !== 0) throw new Error(`jwtkit ${args.join(' ')} exited ${r.exitCode}: ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  if (!peersPresent()) return;
  for (const name of NAMES) {
    await execa('openssl', ['genpkey', ...TYPES[name]!, '-out', at(`${name}.key.pem`)]);
    await execa('openssl', ['pkey', '-in', at(`${name}.key.pem`), '-pubout', '-out', at(`${name}.pub.pem`)]);
  }
}, 60_000);

describe('PEM from openssl ↔ JWK, every key type', () => {
  it.each(NAMES.filter((n) => n !== 'rsa-pss'))('%s: PEM → JWK → PEM is byte for byte the openssl PEM (private and public)', async (name) => {
    for (const part of ['key', 'pub']) {
      const pem = readFileSync(at(`${name}.${part}.pem`), 'utf8');
      const jwk = await ok(['key', 'convert', '--to', 'jwk', at(`${name}.${part}.pem`)]);
      expect(await ok(['key', 'convert', '--to', 'pem', '-'], jwk)).toBe(pem);
      // and JWK → PEM → JWK is byte for byte the JWK
      const back = await ok(['key', 'convert', '--to', 'pem', '-'], jwk);
      expect(await ok(['key', 'convert', '--to', 'jwk', '-'], back)).toBe(jwk);
    }
  });

  it('rsa-pss: the JWK says PS256 and round-trips byte for byte; its PEM comes back as a plain RSA key with the same numbers', async () => {
    const jwk = await ok(['key', 'convert', '--to', 'jwk', at('rsa-pss.key.pem')]);
    expect(JSON.parse(jwk)).toMatchObject({ kty: 'RSA', alg: 'PS256' });
    const pem = await ok(['key', 'convert', '--to', 'pem', '-'], jwk);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    // A JWK cannot carry the PSS-only restriction beyond "alg": the key is the same, the OID is rsaEncryption.
    const modulus = async (args: string[], input?: string) => (await run('openssl', ['pkey', ...args, '-noout', '-text'], input)).stdout.match(/modulus:[\s\S]*?publicExponent/)?.[0];
    expect(await modulus([], pem)).toMatch(/^modulus:/);
    expect(await modulus([], pem)).toBe(await modulus(['-in', at('rsa-pss.key.pem')]));
    expect(await ok(['key', 'convert', '--to', 'jwk', '-'], pem)).toBe(jwk.replace(/,\n {2}"alg": "PS256"/, ''));
  });

  it.each(NAMES)('%s: openssl reads the PEM jwtkit writes from a JWK (openssl pkey -pubin -text; pkey -check)', async (name) => {
    const jwk = await ok(['key', 'convert', '--to', 'jwk', at(`${name}.key.pem`)]);
    const pub = await ok(['key', 'public', '--format', 'pem', '-'], jwk);
    const text = await run('openssl', ['pkey', '-pubin', '-text', '-noout'], pub);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/Public-Key|ED25519 Public-Key/);
    const der = async (args: string[], input?: string) => (await execa('openssl', ['pkey', ...args, '-outform', 'DER'], { encoding: 'buffer', ...(input ? { input } : {}) })).stdout;
    // the same SubjectPublicKeyInfo bytes as openssl's own (RSA-PSS comes back as rsaEncryption)
    if (name !== 'rsa-pss') expect(Buffer.from(await der(['-pubin'], pub)).equals(Buffer.from(await der(['-in', at(`${name}.key.pem`), '-pubout'])))).toBe(true);
    const priv = await ok(['key', 'convert', '--to', 'pem', '-'], jwk);
    const check = await run('openssl', ['pkey', '-check', '-noout'], priv);
    expect(check.exitCode, check.stderr).toBe(0);
  });

  it.each(NAMES)('%s: the JWK equals jwcrypto\'s JWK of the same openssl PEM, member for member', async (name) => {
    const py = [
      'import json, sys',
      'from jwcrypto import jwk',
      'k = jwk.JWK.from_pem(open(sys.argv[1], "rb").read())',
      'print(json.dumps({"public": k.export_public(as_dict=True), "thumbprint": k.thumbprint()}))',
    ].join('\n');
    const theirs = JSON.parse((await execa('/usr/bin/python3', ['-c', py, at(`${name}.pub.pem`)])).stdout);
    const ours = JSON.parse(await ok(['key', 'public', '--format', 'jwk', at(`${name}.key.pem`)]));
    for (const member of ['kty', 'crv', 'x', 'y', 'n', 'e']) expect(ours[member], member).toBe(theirs.public[member]);
    expect((await ok(['key', 'thumbprint', at(`${name}.pub.pem`)])).trim()).toBe(theirs.thumbprint);
  });
});

// The jose C tool in Debian 12 (jose 11) knows no OKP keys: Ed25519 is left out of its tests.
const JOSE_C_NAMES = NAMES.filter((n) => n !== 'ed25519');

describe('thumbprints equal `jose jwk thp`', () => {
  it.each(JOSE_C_NAMES)('%s (a JWK converted by jwtkit)', async (name) => {
    const jwk = await ok(['key', 'convert', '--to', 'jwk', at(`${name}.pub.pem`)]);
    const jose = await run('jose', ['jwk', 'thp', '-i', '-'], jwk);
    expect(jose.exitCode).toBe(0);
    expect(await ok(['key', 'thumbprint', at(`${name}.pub.pem`)])).toBe(`${jose.stdout.trim()}\n`);
  });

  it.each([['ES256'], ['ES384'], ['ES512'], ['RS256'], ['PS256']])('%s (a JWK made by jose jwk gen), SHA-256 and SHA-512', async (alg) => {
    const made = await run('jose', ['jwk', 'gen', '-i', JSON.stringify({ alg })]);
    expect(made.exitCode).toBe(0);
    for (const [ours, theirs] of [['sha256', 'S256'], ['sha512', 'S512']]) {
      const jose = await run('jose', ['jwk', 'thp', '-i', '-', '-a', theirs!], made.stdout);
      expect(await ok(['key', 'thumbprint', '--hash', ours!, '-'], made.stdout)).toBe(`${jose.stdout.trim()}\n`);
    }
    // and jwtkit's PEM of jose's private key is one openssl reads
    const pem = await ok(['key', 'convert', '--to', 'pem', '-'], made.stdout);
    expect((await run('openssl', ['pkey', '-check', '-noout'], pem)).exitCode).toBe(0);
  });
});

describe('a JWKS from jwtkit, tokens signed with kid: accepted by jose (C), PyJWT\'s PyJWKSet and jose\'s createLocalJWKSet', () => {
  const SIGNERS: [string, string][] = [
    ['rsa', 'RS256'],
    ['rsa', 'PS384'],
    ['rsa-pss', 'PS256'],
    ['p256', 'ES256'],
    ['p384', 'ES384'],
    ['p521', 'ES512'],
    ['ed25519', 'EdDSA'],
  ];
  let jwks: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    if (!peersPresent()) return;
    jwks = await ok(['key', 'jwks', ...NAMES.map((n) => at(`${n}.pub.pem`))]);
    writeFileSync(at('jwks.json'), jwks);
    for (const name of NAMES) await ok(['key', 'convert', '--to', 'jwk', '--out', at(`${name}.key.json`), at(`${name}.key.pem`)]);
    for (const [name, alg] of SIGNERS) {
      tokens[`${name} ${alg}`] = (await ok(['sign', '--key', at(`${name}.key.json`), '--alg', alg, '--sub', `${name}-${alg}`])).trim();
    }
  }, 60_000);

  it('the set holds every key once, public only, each with a kid', () => {
    const set = JSON.parse(jwks) as { keys: Record<string, string>[] };
    expect(set.keys).toHaveLength(NAMES.length);
    for (const k of set.keys) {
      expect(k.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(k.d).toBeUndefined();
    }
  });

  it.each(SIGNERS.filter(([name]) => JOSE_C_NAMES.includes(name)))('%s %s: jose jws ver', async (name, alg) => {
    const r = await run('jose', ['jws', 'ver', '-i', '-', '-k', at('jwks.json'), '-O', '-'], tokens[`${name} ${alg}`]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sub: `${name}-${alg}` });
  });

  it('PyJWT PyJWKSet picks each key by kid and verifies every token', async () => {
    const py = [
      'import json, sys, jwt',
      'keys = jwt.PyJWKSet.from_json(open(sys.argv[1]).read())',
      'for token in sys.argv[2:]:',
      '    header = jwt.get_unverified_header(token)',
      '    key = keys[header["kid"]]',
      '    print(jwt.decode(token, key.key, algorithms=[header["alg"]])["sub"])',
    ].join('\n');
    const list = SIGNERS.map(([name, alg]) => tokens[`${name} ${alg}`]!);
    const r = await execa('/usr/bin/python3', ['-c', py, at('jwks.json'), ...list], { reject: false });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stdout).split('\n')).toEqual(SIGNERS.map(([name, alg]) => `${name}-${alg}`));
  });

  it('jose createLocalJWKSet picks each key by kid and verifies every token', async () => {
    const { createLocalJWKSet, jwtVerify } = await import('jose');
    const set = createLocalJWKSet(JSON.parse(jwks));
    for (const [name, alg] of SIGNERS) {
      const { payload, protectedHeader } = await jwtVerify(tokens[`${name} ${alg}`]!, set);
      expect([payload.sub, protectedHeader.alg]).toEqual([`${name}-${alg}`, alg]);
    }
  });

  it('and jwtkit itself', async () => {
    for (const [name, alg] of SIGNERS) {
      const r = await jwtkit(['verify', '--jwks', at('jwks.json'), '--json', tokens[`${name} ${alg}`]!]);
      expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, alg });
    }
  });
});
