// Any JWS (issue 14) end to end: payloads that are not claims, the JSON
// serialization, detached payloads and RFC 7797 "b64": false, made by independent implementations
// (PyJWT's api_jws, jwcrypto's JWS, the jose C tool) and judged by jwtkit and by them alike.
// Tokens go in batches (stdin lines + --json): one run per question. jwtkit's side of the agreement
// with the other implementations runs in-process (cli(), tests/helpers/cli.ts: the same main() as
// the binary); through the built binary (jwtkit()) goes the batch of compact and JSON lines (one
// pretty-printed over several) on stdin, with its exit code and stderr line. One python3 process
// makes the PyJWT and jwcrypto tokens and then judges every token (the C tool's, tampered copies).
import { createHmac, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, key } from '../helpers/fixtures.js';
import { expectOneLineError, jwtkit } from '../helpers/run.js';
import { cli } from '../helpers/cli.js';
import { hasTool, requireTools, type ToolName } from '../helpers/tools.js';

const dir = mkdtempSync(join(tmpdir(), 'jwtkit-any-jws-'));
const at = (name: string) => join(dir, name);
const HS = 'an-hmac-secret-for-the-any-jws-tests-0123456789';
const b64 = (v: string | Buffer) => Buffer.from(v).toString('base64url');

/** Private JWKs (for the signers) and the public JWKS jwtkit and the verifiers are given. */
function writeKeys(): void {
  const jwk = (file: string, kid: string) => ({ ...createPrivateKey(readFileSync(key(file))).export({ format: 'jwk' }), kid });
  const priv = { rsa: jwk('rsa.key.pem', 'rsa'), ec: jwk('ec256.key.pem', 'ec'), ed: jwk('ed25519.key.pem', 'ed'), hs: { kty: 'oct', k: b64(HS), kid: 'hs' } };
  for (const [name, k] of Object.entries(priv)) writeFileSync(at(`${name}.jwk`), JSON.stringify(k));
  // the jose C tool takes the algorithm from the JWK
  writeFileSync(at('rsa-ps256.jwk'), JSON.stringify({ ...priv.rsa, alg: 'PS256' }));
  const pub = Object.values(priv).map((k) => Object.fromEntries(Object.entries(k).filter(([m]) => !['d', 'p', 'q', 'dp', 'dq', 'qi'].includes(m) || k.kty === 'oct')));
  writeFileSync(at('keys.jwks'), JSON.stringify({ keys: pub }));
}

interface Made {
  name: string;
  token: string;
  /** the payload as signed, hex */
  payload: string;
  /** what the producing tool (or jwcrypto, for the C tool's) says when it verifies it */
  peerValid: boolean;
}

const PAYLOADS: Record<string, Buffer> = {
  text: Buffer.from('hello, world'),
  lines: Buffer.from('two\nlines\n'),
  binary: Buffer.from([0xff, 0x00, 0x01, 0x80, 0x7b]),
  array: Buffer.from('[1,2,3]'),
  claims: Buffer.from('{"sub":"u-1","aud":"api"}'),
};

/**
 * PyJWT (compact, any payload; b64:false detached, with and without crit) and jwcrypto (JSON
 * serialization, general and flattened, several signatures, b64:false) sign in one python3
 * process, which prints them as one line, then verifies with jwcrypto every token given on stdin
 * (its own, the C tool's, and tampered copies of all) and prints the verdicts as a second line.
 */
const PYTHON = String.raw`
import json, sys
import jwt
from jwt import api_jws
from jwcrypto import jwk, jws
from jwcrypto.common import json_encode
d = sys.argv[1]
payloads = {k: bytes.fromhex(v) for k, v in json.loads(sys.argv[2]).items()}
keys = {n: jwk.JWK.from_json(open(f"{d}/{n}.jwk").read()) for n in ("rsa", "ec", "ed", "hs")}
pem = {n: keys[n].export_to_pem(private_key=True, password=None) for n in ("rsa", "ec", "ed")}
secret = open(f"{d}/hs.secret").read()
made = []
for name, p in payloads.items():
    for alg, k in (("HS256", secret), ("RS256", pem["rsa"]), ("PS256", pem["rsa"]), ("ES256", pem["ec"]), ("EdDSA", pem["ed"])):
        made.append({"name": f"PyJWT {alg} {name}", "token": api_jws.encode(p, k, algorithm=alg), "payload": p.hex()})
    s = jws.JWS(p)
    s.add_signature(keys["rsa"], None, json_encode({"alg": "RS256"}), json_encode({"kid": "rsa"}))
    s.add_signature(keys["ec"], None, json_encode({"alg": "ES256", "kid": "ec"}))
    s.add_signature(keys["hs"], None, json_encode({"alg": "HS256"}), json_encode({"kid": "hs"}))
    made.append({"name": f"jwcrypto general x3 {name}", "token": s.serialize(), "payload": p.hex()})
    s = jws.JWS(p)
    s.add_signature(keys["ed"], None, json_encode({"alg": "EdDSA"}), json_encode({"kid": "ed"}))
    made.append({"name": f"jwcrypto flattened {name}", "token": s.serialize(), "payload": p.hex()})
    if name in ("text", "array", "claims"):
        # this jwcrypto cannot write b64:false as JSON (bytes in json.dumps); compact works
        s = jws.JWS(p)
        s.add_signature(keys["hs"], None, json_encode({"alg": "HS256", "b64": False, "crit": ["b64"]}))
        made.append({"name": f"jwcrypto b64:false compact {name}", "token": s.serialize(compact=True), "payload": p.hex()})

from jwcrypto.common import base64url_decode

def verdict(token):
    parts = token.split(".")
    if not token.startswith("{") and len(parts) == 3:
        try:
            header = json.loads(base64url_decode(parts[0]))
        except Exception:
            header = {}
        if header.get("b64") is False:
            # this jwcrypto cannot read a b64:false compact token; PyJWT can, given the payload apart
            try:
                api_jws.decode(f"{parts[0]}..{parts[2]}", secret, algorithms=["HS256"], detached_payload=parts[1].encode())
                return True
            except Exception:
                return False
    try:
        s = jws.JWS()
        s.deserialize(token)
    except Exception:
        return False
    for k in keys.values():
        try:
            s.verify(k)
            return True
        except Exception:
            pass
    return False

# PyJWT writes b64:false detached (header..signature), with crit and without
detached = [api_jws.encode(b"$.02 raw", secret, algorithm="HS256", headers={"b64": False, **({"crit": ["b64"]} if crit else {})}) for crit in (True, False)]
print(json.dumps({"made": made, "detached": detached}), flush=True)
tokens = [line for line in sys.stdin.read().split("\n") if line]
print(json.dumps({"verdicts": [verdict(t) for t in tokens]}))
`;

/** The same token with one payload byte changed, in whichever serialization it is. */
function tamper(token: string): string {
  const flip = (p: string) => b64(Buffer.from(Buffer.from(p, 'base64url').map((b, i) => (i === 0 ? b ^ 1 : b))));
  if (token.startsWith('{')) {
    const doc = JSON.parse(token);
    const protectedHeader = doc.protected ?? doc.signatures?.[0]?.protected;
    const raw = protectedHeader && JSON.parse(Buffer.from(protectedHeader, 'base64url').toString()).b64 === false;
    doc.payload = raw ? `X${doc.payload}` : flip(doc.payload);
    return JSON.stringify(doc);
  }
  const [h, p, s] = token.split('.');
  return `${h}.${flip(p!)}.${s}`;
}

const PEERS: ToolName[] = ['PyJWT', 'jwcrypto', 'jose'];

describe('any JWS made by PyJWT, jwcrypto and the jose C tool', () => {
  beforeEach((ctx) => requireTools(ctx, ...PEERS));
  const made: Made[] = [];
  /** PyJWT's b64:false detached tokens of "$.02 raw": with crit, without */
  let detachedByPyJwt: string[] = [];

  beforeAll(async () => {
    if (!PEERS.every(hasTool)) return;
    writeKeys();
    writeFileSync(at('hs.secret'), HS);
    // The jose C tool: one key → flattened, several → general, -c → compact.
    const joseMade: Omit<Made, 'peerValid'>[] = [];
    for (const [name, p] of Object.entries(PAYLOADS)) {
      writeFileSync(at(`${name}.bin`), p);
      const sig = async (args: string[]) => String((await execa('jose', ['jws', 'sig', '-I', at(`${name}.bin`), ...args, '-o', '-'])).stdout).trim();
      joseMade.push({ name: `jose general x3 ${name}`, token: await sig(['-k', at('rsa-ps256.jwk'), '-k', at('ec.jwk'), '-k', at('hs.jwk')]), payload: p.toString('hex') });
      joseMade.push({ name: `jose flattened ${name}`, token: await sig(['-k', at('ec.jwk'), '-s', '{"header":{"kid":"ec"}}']), payload: p.toString('hex') });
      joseMade.push({ name: `jose compact ${name}`, token: await sig(['-k', at('hs.jwk'), '-c']), payload: p.toString('hex') });
    }
    const hex = Object.fromEntries(Object.entries(PAYLOADS).map(([k, v]) => [k, v.toString('hex')]));
    // One python3: its tokens on the first line; then jwcrypto's verdict on every token, and on a
    // tampered copy of each, given on its stdin.
    const python = execa('/usr/bin/python3', ['-c', PYTHON, dir, JSON.stringify(hex)], { buffer: { stdout: false, stderr: true } });
    const out: string[] = [];
    let all: Omit<Made, 'peerValid'>[] = [];
    for await (const line of python) {
      out.push(line);
      if (out.length > 1) continue;
      const py = JSON.parse(line) as { made: Omit<Made, 'peerValid'>[]; detached: string[] };
      detachedByPyJwt = py.detached;
      all = [...py.made, ...joseMade];
      python.stdin.end([...all.map((m) => m.token), ...all.map((m) => tamper(m.token))].join('\n'));
    }
    await python;
    expect(out).toHaveLength(2);
    const verdicts = (JSON.parse(out[1]!) as { verdicts: boolean[] }).verdicts;
    expect(verdicts).toHaveLength(2 * all.length);
    all.forEach((m, i) => made.push({ ...m, peerValid: verdicts[i]! }));
    all.forEach((m, i) => made.push({ name: `${m.name}, tampered`, token: tamper(m.token), payload: m.payload, peerValid: verdicts[all.length + i]! }));
  }, 120_000);

  it('jwtkit verify agrees with jwcrypto (PyJWT for b64:false compact) on every token and every tampered copy (one run, stdin lines)', async () => {
    expect(made.length).toBeGreaterThan(80);
    const r = await cli(['verify', '--json', '--jwks', at('keys.jwks')], { input: `${made.map((m) => m.token).join('\n')}\n` });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(made.length);
    made.forEach((m, i) => {
      const line = lines[i];
      const tampered = m.name.endsWith('tampered');
      expect(line.valid, `${m.name}: ${line.message}`).toBe(!tampered);
      expect(line.valid, `${m.name}: jwtkit and jwcrypto disagree`).toBe(m.peerValid);
      if (tampered) return;
      const claims = m.name.includes('claims');
      expect(line.jwt, m.name).toBe(claims);
      const bytes = Buffer.from(m.payload, 'hex');
      if (claims) expect(line.payload).toEqual(JSON.parse(bytes.toString()));
      else {
        expect(line.payload, m.name).toBeNull();
        expect(Buffer.from(line.payload_base64url, 'base64url').equals(bytes), m.name).toBe(true);
        if (!m.name.includes('binary')) expect(line.payload_text, m.name).toBe(bytes.toString());
      }
      if (m.token.startsWith('{')) expect(line.serialization, m.name).toBe(m.name.includes('general') ? 'general' : 'flattened');
      else expect(line.serialization, m.name).toBeUndefined();
    });
    expect(r.exitCode).toBe(1); // the tampered ones
  });

  it('several signatures: each is reported with the key that verified it; --all-signatures needs them all', async () => {
    const general = made.find((m) => m.name === 'jwcrypto general x3 text')!.token;
    const r = await cli(['verify', '--json', '--jwks', at('keys.jwks'), general]);
    expect(r.exitCode).toBe(0);
    const line = JSON.parse(r.stdout);
    expect(line.signatures.map((s: { valid: boolean; key: string }) => [s.valid, s.key])).toEqual([
      [true, `${at('keys.jwks')} kid rsa`],
      [true, `${at('keys.jwks')} kid ec`],
      [true, `${at('keys.jwks')} kid hs`],
    ]);
    expect(line.signatures[0].header).toEqual({ kid: 'rsa' });
    // only the secret: one signature verifies, enough by default, not with --all-signatures
    const only = { S: HS };
    const one = await cli(['verify', '--json', '--secret-env', 'S', general], { env: only });
    expect(JSON.parse(one.stdout)).toMatchObject({ valid: true, key: 'S' });
    const all = await cli(['verify', '--json', '--secret-env', 'S', '--all-signatures', general], { env: only });
    expect(all.exitCode).toBe(1);
    expect(JSON.parse(all.stdout)).toMatchObject({ valid: false, reason: 'alg_not_allowed' });
  });

  it('the jose C tool verifies what jwtkit verified, and a detached payload both ways', async () => {
    const general = made.find((m) => m.name === 'jwcrypto general x3 text')!.token;
    const ver = await execa('jose', ['jws', 'ver', '-i', '-', '-k', at('ec.jwk'), '-O', '-'], { input: general, reject: false });
    expect(ver.exitCode).toBe(0);
    expect(String(ver.stdout)).toBe('hello, world');
    // jose jws sig -O: the payload goes to a file, the token keeps an empty payload part
    const detached = String((await execa('jose', ['jws', 'sig', '-I', at('binary.bin'), '-k', at('hs.jwk'), '-c', '-O', at('detached.out'), '-o', '-'])).stdout).trim();
    expect(detached).toMatch(/^[\w-]+\.\.[\w-]+$/);
    const r = await cli(['verify', '--json', '--jwks', at('keys.jwks'), '--payload-file', at('detached.out'), detached]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, jwt: false, payload_base64url: b64(PAYLOADS.binary!) });
    const back = await execa('jose', ['jws', 'ver', '-i', '-', '-I', at('detached.out'), '-k', at('hs.jwk')], { input: detached, reject: false });
    expect(back.exitCode).toBe(0);
    // PyJWT writes b64:false detached (header..signature); with crit it verifies, without crit it is refused by name
    const [withCrit, withoutCrit] = detachedByPyJwt;
    expect(withoutCrit).toMatch(/^[\w-]+\.\.[\w-]+$/);
    writeFileSync(at('raw.txt'), '$.02 raw');
    const b = await cli(['verify', '--json', '--jwks', at('keys.jwks'), '--payload-file', at('raw.txt')], { input: `${withCrit}\n${withoutCrit}\n` });
    const [good, bad] = b.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(good).toMatchObject({ valid: true, jwt: false, payload_text: '$.02 raw', header: { b64: false, crit: ['b64'] } });
    expect(bad).toMatchObject({ valid: false, reason: 'signature_invalid', message: expect.stringMatching(/"b64": false without "crit": \["b64"\]; RFC 7797 §6/) });
  });
});

describe('jwtkit decode and verify of any JWS, end to end', () => {
  const S = { S: HS };
  const mac = (input: string) => createHmac('sha256', HS).update(input).digest('base64url');
  const compact = (payload: string | Buffer, header: object = { alg: 'HS256' }) => {
    const input = `${b64(JSON.stringify(header))}.${b64(payload)}`;
    return `${input}.${mac(input)}`;
  };

  it('a batch of compact and JSON lines on stdin: a line each, in order, jwt true/false', async () => {
    const prot = b64(JSON.stringify({ alg: 'HS256' }));
    const json = JSON.stringify({ payload: b64('in json'), protected: prot, signature: mac(`${prot}.${b64('in json')}`) });
    const pretty = JSON.stringify(JSON.parse(json), null, 2); // as jq . prints it: "{" and "}" on lines of their own
    const input = [compact('{"sub":"a"}'), compact('plain text'), json, '{"payload": broken', compact(Buffer.from([0xff])), pretty, compact('after')].join('\n');
    const r = await jwtkit(['verify', '--json', '--secret-env', 'S'], { env: S, input });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.valid, l.jwt, l.reason])).toEqual([
      [true, true, null],
      [true, false, null],
      [true, false, null],
      [false, false, 'malformed'],
      [true, false, null],
      [true, false, null],
      [true, false, null],
    ]);
    expect(lines[5]).toMatchObject({ serialization: 'flattened', payload_text: 'in json' });
    expect(lines[6]).toMatchObject({ payload_text: 'after' });
    expect(lines[2]).toMatchObject({ serialization: 'flattened', payload_text: 'in json' });
    expect(r.stderr).toBe('jwtkit: error: token 4: JSON serialization: not valid JSON: unexpected character (on stdin a JSON serialization is one line, or spans the lines from a line "{" to a line "}")\n');
    expect(r.exitCode).toBe(2);
    // claim checks on a payload that is not claims: claim_missing, exit 1
    const claims = await cli(['verify', '--json', '--secret-env', 'S', '--aud', 'api', '--require', 'jti', compact('plain text')], { env: S });
    expect(claims.exitCode).toBe(1);
    expect(JSON.parse(claims.stdout)).toMatchObject({ valid: false, reason: 'claim_missing', failures: [{ reason: 'claim_missing', claim: 'jti' }, { reason: 'claim_missing', claim: 'aud' }] });
  });

  it('decode shows a text payload escaped and a JSON serialization with its headers apart', async () => {
    const hostile = compact('line 1\n\u001b]52;c;aGk=\u0007 line 2');
    const prot = b64(JSON.stringify({ alg: 'HS256' }));
    const general = JSON.stringify({ payload: b64('x'), signatures: [{ protected: prot, header: { kid: 'k1' }, signature: mac(`${prot}.${b64('x')}`) }, { header: { alg: 'HS256' }, signature: 'AA' }] });
    const r = await cli(['decode', '--pretty'], { input: `${hostile}\n${general}\n` });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(r.stdout).toContain('Payload (text, 26 bytes; not JWT claims)\n  line 1\n  \\x1b]52;c;aGk=\\x07 line 2\n');
    expect(r.stdout).toContain('JWS JSON serialization, general (RFC 7515 §7.2), 2 signatures');
    expect(r.stdout).toContain('Unprotected header (not covered by the signature: alg, crit and b64 are never taken from it)');
    expect(r.stdout).toContain('signature 2: alg is only in the unprotected header');
    const claim = await cli(['decode', '--claim', 'sub', hostile]);
    expect(claim.exitCode).toBe(1);
    expect(claim.stderr).toBe('jwtkit: error: claim "sub" is not in the token: its payload is not JWT claims\n');
  });

  it('--payload-file: read exactly, bounded, and refused for a token that has its payload', async () => {
    writeFileSync(at('body.txt'), 'body\n');
    const detached = (() => {
      const h = b64(JSON.stringify({ alg: 'HS256' }));
      return `${h}..${mac(`${h}.${b64('body\n')}`)}`;
    })();
    const ok = await cli(['verify', '--pretty', '--secret-env', 'S', '--payload-file', at('body.txt'), detached], { env: S });
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/^✓ valid: HS256 signature verified with S; not a JWT: the payload is text, 5 bytes\n/);
    const missing = await cli(['verify', '--secret-env', 'S', '--payload-file', at('nope.txt'), detached], { env: S });
    expect(expectOneLineError(missing)).toMatch(/cannot read the payload file .*nope\.txt/);
    const carries = await cli(['verify', '--json', '--secret-env', 'S', '--payload-file', at('body.txt'), compact('x')], { env: S });
    expect(carries.exitCode).toBe(2);
    expect(JSON.parse(carries.stdout)).toMatchObject({ reason: 'malformed', message: expect.stringMatching(/carries its own payload/) });
    const none = await cli(['verify', '--json', '--secret-env', 'S', detached], { env: S });
    expect(JSON.parse(none.stdout).message).toMatch(/the payload is empty: if it is detached .*--payload-file$/);
  });

  it('the fixed vectors (RFC 7515 A, RFC 7797 §4, RFC 7520 §4) verify end to end (one batch) as in the unit test', async () => {
    const { keys, vectors } = JSON.parse(readFileSync(`${FIXTURES}jws-vectors.json`, 'utf8')) as {
      keys: Record<string, object>;
      vectors: { name: string; token: string; keys: string[]; at?: number; payload?: string; expect: { valid: boolean; reason?: string } }[];
    };
    writeFileSync(at('vectors.jwks'), JSON.stringify({ keys: Object.entries(keys).map(([kid, k]) => ({ kid, ...k })) }));
    // the attached ones that need no --at, in one batch; kid picks each key
    const batch = vectors.filter((v) => v.payload === undefined && v.at === undefined);
    expect(batch.length).toBeGreaterThan(20);
    const r = await cli(['verify', '--json', '--key', at('vectors.jwks')], { input: `${batch.map((v) => v.token).join('\n')}\n` });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    batch.forEach((v, i) => expect(lines[i], v.name).toMatchObject({ valid: v.expect.valid, ...(v.expect.reason ? { reason: v.expect.reason } : {}) }));
  });
});

describe('verify --payload of a JWS whose payload is not claims', () => {
  it('prints the text exactly (UTF-8), a binary payload as base64url, claims as JSON; one line each', async () => {
    const mac = (input: string) => createHmac('sha256', HS).update(input).digest('base64url');
    const jws = (payload: string | Buffer) => {
      const input = `${b64(JSON.stringify({ alg: 'HS256' }))}.${b64(payload)}`;
      return `${input}.${mac(input)}`;
    };
    const binary = Buffer.from([0xff, 0x00, 0xfe, 0x01]);
    const tokens = [jws('hello, wörld \u009b'), jws(binary), jws('{"sub":"u1"}'), jws('"a JSON string"')];
    const r = await cli(['verify', '--payload', '--secret-env', 'S'], { env: { S: HS }, input: `${tokens.join('\n')}\n` });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`hello, wörld \u009b\n${binary.toString('base64url')}\n{"sub":"u1"}\n"a JSON string"\n`);
  });
});
