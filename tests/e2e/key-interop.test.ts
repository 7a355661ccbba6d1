// `jwtkit key` against independent implementations: openssl (PEM made and read), the jose C tool
// (thumbprints, JWS verification with a JWKS), PyJWT's PyJWKSet and jwcrypto (Debian's python3),
// and jose's createLocalJWKSet.
//
// Fresh keys each run (openssl genpkey), every key type. The keys go through jwtkit together
// (several PEM blocks on stdin, a JWKS out; tokens on stdin lines), in-process (cli(): the other
// programs are the point here, not jwtkit's process) but for the first batch, which goes through
// the built binary on a real stdin pipe: `key`'s stdin batch. Python runs once, for jwcrypto and
// PyJWT both; the assertions are made per key type (tests/README.md: the spawn budget).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hasTool, requireTools, type ToolName } from '../helpers/tools.js';
import { cli } from '../helpers/cli.js';
import { jwtkit } from '../helpers/run.js';

/** Every independent implementation these tests compare with. */
const PEERS: ToolName[] = ['openssl', 'jose', 'jwcrypto', 'PyJWT'];
const peersPresent = () => PEERS.every(hasTool);
beforeEach((ctx) => requireTools(ctx, ...PEERS));

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
const PARTS = ['key', 'pub'] as const;
type Part = (typeof PARTS)[number];

async function run(cmd: string, args: string[], input?: string) {
  const r = await execa(cmd, args, { reject: false, ...(input === undefined ? {} : { input }) });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** jwtkit ARGS in-process (cli()), or through the built binary with `binary`; its stdout, or a throw naming the run. */
async function ok(args: string[], input?: string, binary = false): Promise<string> {
  const r = await (binary ? jwtkit : cli)(args, input === undefined ? {} : { input });
  if (r.exitCode !== 0) throw new Error(`jwtkit ${args.join(' ')} exited ${r.exitCode}: ${r.stderr}`);
  return r.stdout;
}

/** The PEM blocks of a text, each with its final newline. */
const pemBlocks = (text: string): string[] => text.match(/-----BEGIN ([A-Z ]+)-----\n[\s\S]*?-----END \1-----\n/g) ?? [];
/** A JWK as pretty JSON text, the way jwtkit prints one. */
const jwkText = (jwk: unknown): string => `${JSON.stringify(jwk, null, 2)}\n`;
type Jwk = Record<string, string>;

/** openssl's PEM of each key type and part, as generated. */
const pem: Record<string, Record<Part, string>> = {};
/** All of them in NAMES × PARTS order: the order of every batch below. */
const ORDER = NAMES.flatMap((name) => PARTS.map((part) => ({ name, part })));
const indexOf = (name: string, part: Part) => ORDER.findIndex((o) => o.name === name && o.part === part);

/** jwtkit's JWK of each openssl PEM (one `key convert --to jwk` of all the PEM blocks on stdin). */
let jwks: Jwk[] = [];
/** jwtkit's PEM of each of those JWKs (one `key convert --to pem` of the set). */
let pemsBack: string[] = [];
/** jwtkit's JWK of each of those PEMs again. */
let jwksBack: Jwk[] = [];
/** jwtkit's public PEM of each JWK (one `key public --format pem` of the set). */
let publicPems: string[] = [];
/** jwtkit's public JWK of each private PEM, and the thumbprint of each public PEM (NAMES order). */
let ours: Jwk[] = [];
let thumbprints: string[] = [];

/** The tokens jwtkit signs with its private JWKs, each checked by the JWKS consumers. */
const SIGNERS: [string, string][] = [
  ['rsa', 'RS256'],
  ['rsa', 'PS384'],
  ['rsa-pss', 'PS256'],
  ['p256', 'ES256'],
  ['p384', 'ES384'],
  ['p521', 'ES512'],
  ['ed25519', 'EdDSA'],
];
/** jwtkit's public JWKS of every openssl PEM (`key jwks`), and a token signed by each signer. */
let jwksText: string;
const tokens: Record<string, string> = {};

/** The one python3 run, and what it said: jwcrypto's JWK and thumbprint per key (NAMES order), PyJWT's verdict per token (SIGNERS order). */
let python: Awaited<ReturnType<typeof run>>;
let theirs: ({ public: Jwk; thumbprint: string; error?: undefined } | { error: string; public?: undefined; thumbprint?: undefined })[] = [];
let pyjwtResults: ({ sub: string } | { error: string })[] = [];

beforeAll(async () => {
  if (!peersPresent()) return;
  await Promise.all(
    NAMES.map(async (name) => {
      await execa('openssl', ['genpkey', ...TYPES[name]!, '-out', at(`${name}.key.pem`)]);
      await execa('openssl', ['pkey', '-in', at(`${name}.key.pem`), '-pubout', '-out', at(`${name}.pub.pem`)]);
      pem[name] = { key: readFileSync(at(`${name}.key.pem`), 'utf8'), pub: readFileSync(at(`${name}.pub.pem`), 'utf8') };
    }),
  );
  const all = ORDER.map(({ name, part }) => pem[name]![part]).join('');
  // through the binary: every PEM block on a real stdin pipe, one JWKS out
  const set = await ok(['key', 'convert', '--to', 'jwk', '-'], all, true);
  jwks = (JSON.parse(set) as { keys: Jwk[] }).keys;
  const back = await ok(['key', 'convert', '--to', 'pem', '-'], set);
  pemsBack = pemBlocks(back);
  jwksBack = (JSON.parse(await ok(['key', 'convert', '--to', 'jwk', '-'], back)) as { keys: Jwk[] }).keys;
  publicPems = pemBlocks(await ok(['key', 'public', '--format', 'pem', '-'], set));

  // for jwcrypto: jwtkit's public JWKs of the private PEMs, and the thumbprints of the public ones
  ours = (JSON.parse(await ok(['key', 'public', '--format', 'jwk', '-'], NAMES.map((n) => pem[n]!.key).join(''))) as { keys: Jwk[] }).keys;
  thumbprints = (await ok(['key', 'thumbprint', '-'], NAMES.map((n) => pem[n]!.pub).join(''))).trimEnd().split('\n');

  // for the JWKS consumers: jwtkit's public JWKS of the openssl PEMs, and a token signed with each private JWK
  jwksText = await ok(['key', 'jwks', ...NAMES.map((n) => at(`${n}.pub.pem`))]);
  writeFileSync(at('jwks.json'), jwksText);
  // The private JWKs jwtkit made above, one file each, as `key convert --to jwk --out` writes them.
  for (const name of NAMES) writeFileSync(at(`${name}.key.json`), jwkText(jwks[indexOf(name, 'key')]));
  for (const [name, alg] of SIGNERS) {
    tokens[`${name} ${alg}`] = (await ok(['sign', '--key', at(`${name}.key.json`), '--alg', alg, '--sub', `${name}-${alg}`])).trim();
  }

  // One python3 for both libraries: jwcrypto's JWK and thumbprint of each openssl public PEM, and
  // PyJWT's PyJWKSet verifying every token. Each item answers on its own (or with its error).
  const py = [
    'import json, sys, jwt',
    'from jwcrypto import jwk',
    'job = json.load(sys.stdin)',
    'def each(items, f):',
    '    out = []',
    '    for item in items:',
    '        try: out.append(f(item))',
    '        except Exception as e: out.append({"error": repr(e)})',
    '    return out',
    'def jwcrypto(path):',
    '    k = jwk.JWK.from_pem(open(path, "rb").read())',
    '    return {"public": k.export_public(as_dict=True), "thumbprint": k.thumbprint()}',
    'keys = jwt.PyJWKSet.from_json(open(job["jwks"]).read())',
    'def pyjwt(token):',
    '    header = jwt.get_unverified_header(token)',
    '    return {"sub": jwt.decode(token, keys[header["kid"]].key, algorithms=[header["alg"]])["sub"]}',
    'print(json.dumps({"jwcrypto": each(job["pems"], jwcrypto), "pyjwt": each(job["tokens"], pyjwt)}))',
  ].join('\n');
  const job = { pems: NAMES.map((n) => at(`${n}.pub.pem`)), jwks: at('jwks.json'), tokens: SIGNERS.map(([name, alg]) => tokens[`${name} ${alg}`]!) };
  python = await run('/usr/bin/python3', ['-c', py], JSON.stringify(job));
  if (python.exitCode === 0) ({ jwcrypto: theirs, pyjwt: pyjwtResults } = JSON.parse(python.stdout) as { jwcrypto: typeof theirs; pyjwt: typeof pyjwtResults });
}, 120_000);

describe('PEM from openssl ↔ JWK, every key type', () => {
  it('each PEM block on stdin is one key of the set, in order', () => {
    for (const list of [jwks, pemsBack, jwksBack, publicPems]) expect(list).toHaveLength(ORDER.length);
  });

  it.each(NAMES.filter((n) => n !== 'rsa-pss'))('%s: PEM → JWK → PEM is byte for byte the openssl PEM (private and public)', (name) => {
    for (const part of PARTS) {
      const i = indexOf(name, part);
      expect(pemsBack[i], part).toBe(pem[name]![part]);
      // and JWK → PEM → JWK is byte for byte the JWK
      expect(jwkText(jwksBack[i]), part).toBe(jwkText(jwks[i]));
    }
  });

  it('rsa-pss: the JWK says PS256 and round-trips byte for byte; its PEM comes back as a plain RSA key with the same numbers', async () => {
    const i = indexOf('rsa-pss', 'key');
    expect(jwks[i]).toMatchObject({ kty: 'RSA', alg: 'PS256' });
    expect(pemsBack[i]).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    // A JWK cannot carry the PSS-only restriction beyond "alg": the key is the same, the OID is rsaEncryption.
    const modulus = async (args: string[], input?: string) => (await run('openssl', ['pkey', ...args, '-noout', '-text'], input)).stdout.match(/modulus:[\s\S]*?publicExponent/)?.[0];
    expect(await modulus([], pemsBack[i])).toMatch(/^modulus:/);
    expect(await modulus([], pemsBack[i])).toBe(await modulus(['-in', at('rsa-pss.key.pem')]));
    expect(jwkText(jwksBack[i])).toBe(jwkText(jwks[i]).replace(/,\n {2}"alg": "PS256"/, ''));
  });

  it.each(NAMES)('%s: openssl reads the PEM jwtkit writes from a JWK (openssl pkey -pubin -text; pkey -check)', async (name) => {
    const i = indexOf(name, 'key');
    const pub = publicPems[i]!;
    // the public half of the private key's JWK and of the public key's JWK are the same PEM
    expect(publicPems[indexOf(name, 'pub')]).toBe(pub);
    const text = await run('openssl', ['pkey', '-pubin', '-text', '-noout'], pub);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/Public-Key|ED25519 Public-Key/);
    const der = async (args: string[], input?: string) => (await execa('openssl', ['pkey', ...args, '-outform', 'DER'], { encoding: 'buffer', ...(input ? { input } : {}) })).stdout;
    // the same SubjectPublicKeyInfo bytes as openssl's own (RSA-PSS comes back as rsaEncryption)
    if (name !== 'rsa-pss') expect(Buffer.from(await der(['-pubin'], pub)).equals(Buffer.from(await der(['-in', at(`${name}.key.pem`), '-pubout'])))).toBe(true);
    const check = await run('openssl', ['pkey', '-check', '-noout'], pemsBack[i]);
    expect(check.exitCode, check.stderr).toBe(0);
  });

  describe("jwcrypto's JWK of the same openssl PEM", () => {
    it.each(NAMES)("%s: the JWK equals jwcrypto's, member for member, and so does the thumbprint", (name) => {
      const i = NAMES.indexOf(name);
      expect(python.exitCode, python.stderr).toBe(0);
      expect(theirs[i]!.error).toBeUndefined();
      for (const member of ['kty', 'crv', 'x', 'y', 'n', 'e']) expect(ours[i]![member], member).toBe(theirs[i]!.public?.[member]);
      expect(thumbprints[i]).toBe(theirs[i]!.thumbprint);
    });
  });
});

// The jose C tool in Debian 12 (jose 11) knows no OKP keys: Ed25519 is left out of its tests.
const JOSE_C_NAMES = NAMES.filter((n) => n !== 'ed25519');

describe('thumbprints equal `jose jwk thp`', () => {
  it.each(JOSE_C_NAMES)('%s (a JWK converted by jwtkit)', async (name) => {
    const i = indexOf(name, 'pub');
    const jose = await run('jose', ['jwk', 'thp', '-i', '-'], jwkText(jwks[i]));
    expect(jose.exitCode).toBe(0);
    // jwtkit's kid is the RFC 7638 thumbprint
    expect(jwks[i]!.kid).toBe(jose.stdout.trim());
  });

  describe('JWKs made by jose jwk gen', () => {
    const ALGS = ['ES256', 'ES384', 'ES512', 'RS256', 'PS256'];
    const made: string[] = [];
    const ours: Record<string, string[]> = {};
    let pems: string[] = [];
    beforeAll(async () => {
      if (!peersPresent()) return;
      for (const alg of ALGS) made.push((await run('jose', ['jwk', 'gen', '-i', JSON.stringify({ alg })])).stdout);
      const set = JSON.stringify({ keys: made.map((m) => JSON.parse(m)) });
      for (const hash of ['sha256', 'sha512']) ours[hash] = (await ok(['key', 'thumbprint', '--hash', hash, '-'], set)).trimEnd().split('\n');
      pems = pemBlocks(await ok(['key', 'convert', '--to', 'pem', '-'], set));
    }, 120_000);

    it.each(ALGS)('%s: SHA-256 and SHA-512 thumbprints, and a PEM openssl reads', async (alg) => {
      const i = ALGS.indexOf(alg);
      expect(made[i]).toMatch(/^\{/);
      for (const [hash, theirs] of [['sha256', 'S256'], ['sha512', 'S512']]) {
        const jose = await run('jose', ['jwk', 'thp', '-i', '-', '-a', theirs!], made[i]);
        expect(ours[hash!]![i], hash).toBe(jose.stdout.trim());
      }
      // and jwtkit's PEM of jose's private key is one openssl reads
      expect(pems).toHaveLength(ALGS.length);
      expect((await run('openssl', ['pkey', '-check', '-noout'], pems[i])).exitCode).toBe(0);
    });
  });
});

describe('a JWKS from jwtkit, tokens signed with kid: accepted by jose (C), PyJWT\'s PyJWKSet and jose\'s createLocalJWKSet', () => {
  it('the set holds every key once, public only, each with a kid', () => {
    const set = JSON.parse(jwksText) as { keys: Record<string, string>[] };
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

  it('PyJWT PyJWKSet picks each key by kid and verifies every token', () => {
    expect(python.exitCode, python.stderr).toBe(0);
    expect(pyjwtResults).toEqual(SIGNERS.map(([name, alg]) => ({ sub: `${name}-${alg}` })));
  });

  it('jose createLocalJWKSet picks each key by kid and verifies every token', async () => {
    const { createLocalJWKSet, jwtVerify } = await import('jose');
    const set = createLocalJWKSet(JSON.parse(jwksText));
    for (const [name, alg] of SIGNERS) {
      const { payload, protectedHeader } = await jwtVerify(tokens[`${name} ${alg}`]!, set);
      expect([payload.sub, protectedHeader.alg]).toEqual([`${name}-${alg}`, alg]);
    }
  });

  it('and jwtkit itself (every token on stdin, one JSON line each)', async () => {
    const r = await cli(['verify', '--jwks', at('jwks.json'), '--json'], { input: SIGNERS.map(([name, alg]) => tokens[`${name} ${alg}`]!).join('\n') });
    expect(r.exitCode, r.stderr).toBe(0);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((row) => [row.valid, row.alg, row.payload.sub])).toEqual(SIGNERS.map(([name, alg]) => [true, alg, `${name}-${alg}`]));
  });
});
