// `jwtkit key` against independent implementations: openssl (PEM made and read), the jose C tool
// (thumbprints, JWS verification with a JWKS), PyJWT's PyJWKSet and jwcrypto (Debian's python3),
// and jose's createLocalJWKSet.
//
// Fresh keys each run (openssl genpkey, jose jwk gen), every key type, once per file. The keys go
// through jwtkit together (several PEM blocks on stdin, a JWKS out; tokens on stdin lines),
// in-process (cli(): the other programs are the point here, not jwtkit's process) but for the
// first batch, which goes through the built binary on a real stdin pipe: `key`'s stdin batch.
// The other programs run in two batches, each one bash that runs every command of the batch with
// its own stdin, stdout, stderr and exit code (a spawn from the test process costs ~18 ms of CPU
// here, more than most of these commands; python3 once, for jwcrypto and PyJWT both). The
// assertions are made per key type and per command (tests/README.md: the spawn budget).
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
// The jose C tool in Debian 12 (jose 11) knows no OKP keys: Ed25519 is left out of its tests.
const JOSE_C_NAMES = NAMES.filter((n) => n !== 'ed25519');
/** The algorithms of the JWKs `jose jwk gen` makes for jwtkit to read. */
const JOSE_GEN_ALGS = ['ES256', 'ES384', 'ES512', 'RS256', 'PS256'];
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

interface Command {
  argv: string[];
  /** its stdin (else /dev/null) */
  input?: string;
  /** a second command, run after the first succeeds, in the same job */
  then?: string[];
}
interface Ran {
  exitCode: number;
  /** stdout as text, its final newline kept */
  stdout: string;
  stderr: string;
}

/**
 * Runs the commands in one bash, each with its own stdin, stdout, stderr and exit code (files in
 * a folder of their own), at once with `parallel`, else one after another; a result per command.
 */
async function batch(commands: Command[], options: { parallel?: boolean } = {}): Promise<Ran[]> {
  const work = mkdtempSync(join(dir, 'batch-'));
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const file = (i: number, ext: string) => join(work, `${i}.${ext}`);
  const script = commands.map((c, i) => {
    if (c.input !== undefined) writeFileSync(file(i, 'in'), c.input);
    const stdin = c.input === undefined ? '/dev/null' : q(file(i, 'in'));
    const job = [c.argv, ...(c.then ? [c.then] : [])].map((argv) => `${argv.map(q).join(' ')} < ${stdin} >> ${q(file(i, 'out'))} 2>> ${q(file(i, 'err'))}`).join(' && ');
    return `( ${job}; echo $? > ${q(file(i, 'rc'))} )${options.parallel ? ' &' : ''}`;
  });
  await execa('bash', ['-c', [...script, 'wait'].join('\n')]);
  const read = (i: number, ext: string) => {
    try {
      return readFileSync(file(i, ext));
    } catch {
      return Buffer.alloc(0);
    }
  };
  return commands.map((_, i) => {
    return { exitCode: Number(read(i, 'rc').toString() || -1), stdout: read(i, 'out').toString('utf8'), stderr: read(i, 'err').toString('utf8') };
  });
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
/** The JWKs jose jwk gen made (JOSE_GEN_ALGS order); jwtkit's thumbprints of them by hash, and its PEM of each. */
let joseMade: string[] = [];
const oursOfJose: Record<string, string[]> = {};
let pemsOfJose: string[] = [];
/** jwtkit's public JWKS of every openssl PEM (`key jwks`), and a token signed by each signer. */
let jwksText: string;
const tokens: Record<string, string> = {};

/** What the other programs said of jwtkit's output: the second batch, by purpose. */
const peer = {} as {
  /** openssl pkey -pubin -text of jwtkit's public PEM of each private key (NAMES order): the key re-encoded by openssl, and its text */
  pubText: Ran[];
  /** openssl pkey -check of jwtkit's PEM of each private JWK (NAMES order) */
  check: Ran[];
  /** rsa-pss: openssl's text of jwtkit's PEM and of the generated key */
  pssText: { ours: Ran; theirs: Ran };
  /** jose jwk thp of the set of jwtkit's JWKs of the public PEMs: a line per key (JOSE_C_NAMES order) */
  thp: Ran;
  /** jose jwk thp -a S256 / S512 of the set of JWKs jose made: a line per key (JOSE_GEN_ALGS order) */
  joseThp: Record<'sha256' | 'sha512', Ran>;
  /** openssl pkey -check of jwtkit's PEM of each JWK jose made */
  joseCheck: Ran[];
  /** jose jws ver of each signer's token with jwtkit's JWKS (SIGNERS order) */
  jwsVer: Ran[];
  /** the one python3: jwcrypto's JWK and thumbprint per key (NAMES order), PyJWT's verdict per token (SIGNERS order) */
  python: Ran;
};
let theirs: ({ public: Jwk; thumbprint: string; error?: undefined } | { error: string; public?: undefined; thumbprint?: undefined })[] = [];
let pyjwtResults: ({ sub: string } | { error: string })[] = [];

const PY = [
  'import json, sys, jwt',
  'from jwcrypto import jwk',
  'job = json.load(open(sys.argv[1]))',
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

beforeAll(async () => {
  if (!peersPresent()) return;
  // The first batch: the fresh keys, at once (openssl's RSA keys take the longest).
  const made = await batch(
    [
      ...NAMES.map((name) => ({
        argv: ['openssl', 'genpkey', ...TYPES[name]!, '-out', at(`${name}.key.pem`)],
        then: ['openssl', 'pkey', '-in', at(`${name}.key.pem`), '-pubout', '-out', at(`${name}.pub.pem`)],
      })),
      ...JOSE_GEN_ALGS.map((alg) => ({ argv: ['jose', 'jwk', 'gen', '-i', JSON.stringify({ alg })] })),
    ],
    { parallel: true },
  );
  for (const r of made) if (r.exitCode !== 0) throw new Error(`making the keys failed: ${r.stderr}`);
  for (const name of NAMES) pem[name] = { key: readFileSync(at(`${name}.key.pem`), 'utf8'), pub: readFileSync(at(`${name}.pub.pem`), 'utf8') };
  joseMade = made.slice(NAMES.length).map((r) => r.stdout);

  // jwtkit's side
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
  // jose's JWKs: thumbprints by both hashes, and PEMs
  const joseSet = JSON.stringify({ keys: joseMade.map((m) => JSON.parse(m)) });
  for (const hash of ['sha256', 'sha512']) oursOfJose[hash] = (await ok(['key', 'thumbprint', '--hash', hash, '-'], joseSet)).trimEnd().split('\n');
  pemsOfJose = pemBlocks(await ok(['key', 'convert', '--to', 'pem', '-'], joseSet));
  // for the JWKS consumers: jwtkit's public JWKS of the openssl PEMs, and a token signed with each private JWK
  jwksText = await ok(['key', 'jwks', ...NAMES.map((n) => at(`${n}.pub.pem`))]);
  writeFileSync(at('jwks.json'), jwksText);
  // The private JWKs jwtkit made above, one file each, as `key convert --to jwk --out` writes them.
  for (const name of NAMES) writeFileSync(at(`${name}.key.json`), jwkText(jwks[indexOf(name, 'key')]));
  for (const [name, alg] of SIGNERS) {
    tokens[`${name} ${alg}`] = (await ok(['sign', '--key', at(`${name}.key.json`), '--alg', alg, '--sub', `${name}-${alg}`])).trim();
  }

  // The second batch: every other program's reading of what jwtkit made.
  writeFileSync(
    at('python-job.json'),
    JSON.stringify({ pems: NAMES.map((n) => at(`${n}.pub.pem`)), jwks: at('jwks.json'), tokens: SIGNERS.map(([name, alg]) => tokens[`${name} ${alg}`]!) }),
  );
  const groups: Record<string, Command[]> = {
    pubText: NAMES.map((name) => ({ argv: ['openssl', 'pkey', '-pubin', '-text'], input: publicPems[indexOf(name, 'key')]! })),
    check: NAMES.map((name) => ({ argv: ['openssl', 'pkey', '-check', '-noout'], input: pemsBack[indexOf(name, 'key')]! })),
    pssText: [
      { argv: ['openssl', 'pkey', '-noout', '-text'], input: pemsBack[indexOf('rsa-pss', 'key')]! },
      { argv: ['openssl', 'pkey', '-in', at('rsa-pss.key.pem'), '-noout', '-text'] },
    ],
    thp: [{ argv: ['jose', 'jwk', 'thp', '-i', '-'], input: JSON.stringify({ keys: JOSE_C_NAMES.map((name) => jwks[indexOf(name, 'pub')]) }) }],
    thp256: [{ argv: ['jose', 'jwk', 'thp', '-i', '-', '-a', 'S256'], input: joseSet }],
    thp512: [{ argv: ['jose', 'jwk', 'thp', '-i', '-', '-a', 'S512'], input: joseSet }],
    joseCheck: pemsOfJose.map((p) => ({ argv: ['openssl', 'pkey', '-check', '-noout'], input: p })),
    jwsVer: SIGNERS.map(([name, alg]) => ({ argv: ['jose', 'jws', 'ver', '-i', '-', '-k', at('jwks.json'), '-O', '-'], input: tokens[`${name} ${alg}`]! })),
    python: [{ argv: ['/usr/bin/python3', '-c', PY, at('python-job.json')] }],
  };
  const results = await batch(Object.values(groups).flat());
  const take: Record<string, Ran[]> = {};
  for (const [group, commands] of Object.entries(groups)) take[group] = results.splice(0, commands.length);
  Object.assign(peer, {
    pubText: take.pubText,
    check: take.check,
    pssText: { ours: take.pssText![0], theirs: take.pssText![1] },
    thp: take.thp![0],
    joseThp: { sha256: take.thp256![0], sha512: take.thp512![0] },
    joseCheck: take.joseCheck,
    jwsVer: take.jwsVer,
    python: take.python![0],
  });
  if (peer.python.exitCode === 0) ({ jwcrypto: theirs, pyjwt: pyjwtResults } = JSON.parse(peer.python.stdout) as { jwcrypto: typeof theirs; pyjwt: typeof pyjwtResults });
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

  it('rsa-pss: the JWK says PS256 and round-trips byte for byte; its PEM comes back as a plain RSA key with the same numbers', () => {
    const i = indexOf('rsa-pss', 'key');
    expect(jwks[i]).toMatchObject({ kty: 'RSA', alg: 'PS256' });
    expect(pemsBack[i]).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    // A JWK cannot carry the PSS-only restriction beyond "alg": the key is the same, the OID is rsaEncryption.
    const modulus = (r: Ran) => r.stdout.match(/modulus:[\s\S]*?publicExponent/)?.[0];
    expect(modulus(peer.pssText.ours)).toMatch(/^modulus:/);
    expect(modulus(peer.pssText.ours)).toBe(modulus(peer.pssText.theirs));
    expect(jwkText(jwksBack[i])).toBe(jwkText(jwks[i]).replace(/,\n {2}"alg": "PS256"/, ''));
  });

  it.each(NAMES)('%s: openssl reads the PEM jwtkit writes from a JWK (openssl pkey -pubin -text; pkey -check)', (name) => {
    const i = indexOf(name, 'key');
    const pub = publicPems[i]!;
    // the public half of the private key's JWK and of the public key's JWK are the same PEM
    expect(publicPems[indexOf(name, 'pub')]).toBe(pub);
    const text = peer.pubText[NAMES.indexOf(name)]!;
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Public-Key|ED25519 Public-Key/);
    // the same SubjectPublicKeyInfo bytes as openssl's own: openssl's encoding of the key it read
    // is its public PEM of the key it generated (RSA-PSS comes back as rsaEncryption)
    const reencoded = pemBlocks(text.stdout);
    expect(reencoded).toHaveLength(1);
    if (name !== 'rsa-pss') expect(reencoded[0]).toBe(pem[name]!.pub);
    const check = peer.check[NAMES.indexOf(name)]!;
    expect(check.exitCode, check.stderr).toBe(0);
  });

  describe("jwcrypto's JWK of the same openssl PEM", () => {
    it.each(NAMES)("%s: the JWK equals jwcrypto's, member for member, and so does the thumbprint", (name) => {
      const i = NAMES.indexOf(name);
      expect(peer.python.exitCode, peer.python.stderr).toBe(0);
      expect(theirs[i]!.error).toBeUndefined();
      for (const member of ['kty', 'crv', 'x', 'y', 'n', 'e']) expect(ours[i]![member], member).toBe(theirs[i]!.public?.[member]);
      expect(thumbprints[i]).toBe(theirs[i]!.thumbprint);
    });
  });
});

describe('thumbprints equal `jose jwk thp`', () => {
  it.each(JOSE_C_NAMES)('%s (a JWK converted by jwtkit)', (name) => {
    const i = indexOf(name, 'pub');
    const jose = peer.thp;
    expect(jose.exitCode, jose.stderr).toBe(0);
    // jwtkit's kid is the RFC 7638 thumbprint
    expect(jwks[i]!.kid).toBe(jose.stdout.trimEnd().split('\n')[JOSE_C_NAMES.indexOf(name)]);
  });

  describe('JWKs made by jose jwk gen', () => {
    it.each(JOSE_GEN_ALGS)('%s: SHA-256 and SHA-512 thumbprints, and a PEM openssl reads', (alg) => {
      const i = JOSE_GEN_ALGS.indexOf(alg);
      expect(joseMade[i]).toMatch(/^\{/);
      for (const hash of ['sha256', 'sha512'] as const) {
        const jose = peer.joseThp[hash];
        expect(jose.exitCode, jose.stderr).toBe(0);
        expect(oursOfJose[hash]![i], hash).toBe(jose.stdout.trimEnd().split('\n')[i]);
      }
      // and jwtkit's PEM of jose's private key is one openssl reads
      expect(pemsOfJose).toHaveLength(JOSE_GEN_ALGS.length);
      expect(peer.joseCheck[i]!.exitCode, peer.joseCheck[i]!.stderr).toBe(0);
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

  it.each(SIGNERS.filter(([name]) => JOSE_C_NAMES.includes(name)))('%s %s: jose jws ver', (name, alg) => {
    const r = peer.jwsVer[SIGNERS.findIndex(([n, a]) => n === name && a === alg)]!;
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sub: `${name}-${alg}` });
  });

  it('PyJWT PyJWKSet picks each key by kid and verifies every token', () => {
    expect(peer.python.exitCode, peer.python.stderr).toBe(0);
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
