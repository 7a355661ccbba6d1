// `jwtkit decrypt` and `jwtkit encrypt` through the built binary: what only a process shows (exact
// stdout bytes, exit codes, stderr lines, terminals). The rules themselves are in tests/unit/jwe.test.ts.
// Most cases run in-process (cli(), tests/helpers/cli.ts: the same main() as the binary); through
// the built binary (jwtkit()) go what a process shows: exact plaintext bytes in a pipe, a batch on
// stdin (a line each, the worst exit code) and the same batch in --json (decrypt's --json errors), a
// terminal (escaped output; no token given), and encrypt's weak-secret refusal (a usage error, in
// --json: its --json error), its --json and a payload on stdin.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { secretKeyMaterial } from '../../src/crypto.js';
import { encryptPayload } from '../../src/commands/encrypt.js';
import { BIN, cleanEnv, expectOneLineError, inPty, jwtkit } from '../helpers/run.js';
import { cli } from '../helpers/cli.js';
import { requireTools } from '../helpers/tools.js';

const dir = mkdtempSync(join(tmpdir(), 'jwtkit-decrypt-'));
const KEY = randomBytes(32);
const K = KEY.toString('base64url');
const env = { JWE_KEY: K, SIG_KEY: randomBytes(32).toString('base64') };
const SECRET = ['--secret-env', 'JWE_KEY', '--secret-encoding', 'base64url'];
const key = secretKeyMaterial('JWE_KEY', KEY);

const make = async (plaintext: string | Uint8Array, extra: { zip?: boolean } = {}) =>
  (await encryptPayload({ plaintext: typeof plaintext === 'string' ? new TextEncoder().encode(plaintext) : plaintext, alg: 'dir', enc: 'A256GCM', ...extra }, key)).token;

describe('jwtkit decrypt', () => {
  it('prints the plaintext bytes exactly, nothing added (binary too), exit 0', async () => {
    const bytes = new Uint8Array([0, 255, 10, 27, 0x9b, 13]);
    const r = await execa('node', [BIN, 'decrypt', ...SECRET, await make(bytes)], { env: cleanEnv(env), extendEnv: false, encoding: 'buffer', reject: false, stdin: 'ignore' });
    expect(r.exitCode).toBe(0);
    expect(Buffer.from(r.stdout).equals(Buffer.from(bytes))).toBe(true);
    expect(Buffer.from(r.stderr).toString()).toBe('');
  });

  it('several tokens: a line each, failures named by position on stderr, the worst exit code; --json one object each', async () => {
    const good = await make('first');
    const parts = good.split('.');
    const tag = Buffer.from(parts[4]!, 'base64url');
    tag[0]! ^= 1;
    const tampered = [...parts.slice(0, 4), tag.toString('base64url')].join('.');
    const p2c = `${Buffer.from(JSON.stringify({ alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 1e9, p2s: 'AAAAAAAAAAA' })).toString('base64url')}.${'A'.repeat(54)}.${parts[2]}.${parts[3]}.${parts[4]}`;
    const input = [good, tampered, 'not.a.jwe.at', p2c, await make('last')].join('\n');
    const human = await jwtkit(['decrypt', ...SECRET], { input, env });
    expect(human.exitCode).toBe(2);
    expect(human.stdout).toBe('first\nlast\n');
    expect(human.stderr.split('\n').filter(Boolean)).toEqual([
      'jwtkit: error: token 2: decryption failed: JWE_KEY does not decrypt this token, or the token was altered',
      'jwtkit: error: token 3: the token has 4 parts; a compact JWE has 5',
      "jwtkit: error: token 4: p2c 1000000000 is over jwtkit's cap of 1,000,000 PBES2 iterations (a sender's count costs the reader's time)",
    ]);
    // --json through the binary: decrypt's --json errors (one object a token) as a real process writes them
    const json = await jwtkit(['decrypt', ...SECRET, '--json'], { input, env });
    expect(json.stderr).toBe(human.stderr);
    const rows = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    expect(rows.map((r) => r.error?.code ?? r.plaintext)).toEqual(['first', 'decryption_failed', 'malformed', 'unsupported', 'last']);
    expect(rows[0]).toEqual({
      header: { alg: 'dir', enc: 'A256GCM' },
      plaintext: 'first',
      plaintext_base64url: Buffer.from('first').toString('base64url'),
      nested: null,
      serialization: 'compact',
      recipient: null,
      key: 'JWE_KEY',
    });
    expect(json.exitCode).toBe(2);
  });

  it('a secret of the wrong size says so, with the --secret-encoding hint, and never shows the secret', async () => {
    const r = await cli(['decrypt', '--secret-env', 'JWE_KEY', '--json', await make('x')], { env });
    const message =
      'no key fits: dir with A256GCM needs a 32-byte key and JWE_KEY is 43 bytes. A secret is used as its UTF-8 text unless --secret-encoding base64|base64url|hex says how it is written';
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).error).toEqual({ code: 'no_matching_key', message });
    expect(r.stderr).toBe(`jwtkit: error: ${message}\n`);
    expect(r.stderr + r.stdout).not.toContain(K);
  });

  it('a JWE within a JWE: the inner token on stdout, a note that it is encrypted in turn (never opened)', async () => {
    const inner = await make('inner secret');
    const r = await cli(['decrypt', ...SECRET, await make(inner)], { env });
    expect(r).toMatchObject({ exitCode: 0, stdout: inner });
    expect(r.stderr).toBe('jwtkit: note: the plaintext is itself an encrypted token (JWE): decrypt it in turn with jwtkit decrypt\n');
  });

  it('a decompression bomb is one error line (exit 2), not a crash', async () => {
    const r = await cli(['decrypt', ...SECRET, await make('0'.repeat(4 << 20), { zip: true })], { env });
    expect(expectOneLineError(r)).toBe(
      "jwtkit: error: the compressed plaintext (zip DEF) does not inflate within jwtkit's limit of 1048576 bytes (a decompression bomb, or not DEFLATE data)",
    );
  });

  it('on a terminal the plaintext is escaped (a token cannot drive the terminal)', async (ctx) => {
    requireTools(ctx, 'script');
    const r = await inPty(`JWE_KEY=${K} node ${BIN} decrypt ${SECRET.join(' ')} ${await make('hi\u001b]52;c;Zm9v\u0007\u202e!')}`);
    expect(r.stdout).toContain('hi\\x1b]52;c;Zm9v\\x07\\u202e!');
    expect(r.stdout).not.toContain('\u001b]52');
  });

  it('a JSON serialization pretty-printed over several lines of stdin (RFC 7520 §5.8)', async () => {
    const fixture = JSON.parse(readFileSync(new URL('../fixtures/rfc7520-jwe.json', import.meta.url), 'utf8'));
    writeFileSync(join(dir, 'cookbook.json'), JSON.stringify({ keys: fixture.keys }));
    const v = fixture.vectors.find((x: { section: string }) => x.section === '5.8');
    const r = await cli(['decrypt', '--jwks', join(dir, 'cookbook.json')], { input: `${JSON.stringify(v.json, null, 2)}\n` });
    expect(r).toMatchObject({ exitCode: 0, stdout: v.plaintext, stderr: '' });
    // RFC 7520 §6: sign-then-encrypt, decrypted and its PS256 signature verified in one run.
    writeFileSync(join(dir, 'sig.jwk'), JSON.stringify(fixture.nested.signing_key));
    const nested = await cli(['decrypt', '--jwks', join(dir, 'cookbook.json'), '--verify-key', join(dir, 'sig.jwk'), '--at', '2011-03-22T18:00:00Z', fixture.nested.compact]);
    expect(nested.exitCode).toBe(0);
    expect(nested.stdout).toBe(fixture.nested.jws);
    expect(nested.stderr).toMatch(/^nested JWT: ✓ valid: PS256 signature verified with .*sig\.jwk; expires in 43m\n$/);
  });
});

describe('jwtkit decrypt: no token', () => {
  it('a terminal on stdin and no argument: says how to give one, with no macOS-only command', async (ctx) => {
    requireTools(ctx, 'script');
    const r = await execa('script', ['-qec', `node ${BIN} decrypt --secret-env S`, '/dev/null'], { env: cleanEnv({ TERM: 'dumb', S: 'x'.repeat(32) }), extendEnv: false, reject: false });
    expect(r.exitCode).toBe(2);
    expect(String(r.stdout).trim()).toBe('jwtkit: error: no token given. Pass it as an argument, or pipe it in: one compact JWE a line, or a JWE JSON serialization');
  });
});

describe('sign-then-encrypt round trip', () => {
  it('jwtkit sign | jwtkit encrypt | jwtkit decrypt --verify-secret-env: the JWT out, its signature checked; a wrong verify key exits 1', async () => {
    const signed = await cli(['sign', '--secret-env', 'SIG_KEY', '--secret-encoding', 'base64', '--sub', 'user-42'], { env });
    // encrypt through the binary: its payload read from a real stdin pipe
    const encrypted = await jwtkit(['encrypt', ...SECRET], { input: signed.stdout, env });
    expect(encrypted).toMatchObject({ exitCode: 0, stderr: '' });
    const token = encrypted.stdout.trim();
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
    expect(header).toEqual({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' });
    const ok = await cli(['decrypt', ...SECRET, '--verify-secret-env', 'SIG_KEY', '--verify-secret-encoding', 'base64', token], { env });
    expect(ok.stdout).toBe(signed.stdout.trim());
    expect(ok.stderr).toMatch(/^nested JWT: ✓ valid: HS256 signature verified with SIG_KEY; expires in 1[45]m( \d+s)?\n$/);
    expect(ok.exitCode).toBe(0);
    const json = await cli(['decrypt', ...SECRET, '--verify-secret-env', 'JWE_KEY', '--json', token], { env });
    expect(json.exitCode).toBe(1);
    const nested = JSON.parse(json.stdout).nested;
    expect(nested).toMatchObject({ header: { alg: 'HS256', typ: 'JWT' }, payload: { sub: 'user-42' }, verified: false, verification: { valid: false, reason: 'signature_invalid' } });
    const unverified = await cli(['decrypt', ...SECRET, token], { env });
    expect(unverified.stderr).toBe(
      'jwtkit: note: the plaintext is a signed JWT whose signature was NOT verified; pass --verify-key, --verify-jwks or --verify-secret-env, or pipe it to jwtkit verify\n',
    );
  });
});

describe('jwtkit encrypt', () => {
  it('refuses a weak secret as sign does (exit 2), and claim options on a text payload', async () => {
    // through the binary in --json: exit 2 and the one stderr line (the usage error), and the JSON error object
    const weak = await jwtkit(['encrypt', '--json', '--secret-env', 'PW', '--alg', 'PBES2-HS256+A128KW', 'hello'], { env: { PW: 'password123' } });
    const line = expectOneLineError(weak);
    expect(line).toMatch(/^jwtkit: error: PW is weak for PBES2-HS256\+A128KW: .*--allow-weak-secret for a throwaway test token$/);
    expect(JSON.parse(weak.stdout)).toEqual({ error: { code: 'weak_secret', message: line.slice('jwtkit: error: '.length) } });
    const plain = await cli(['encrypt', '--secret-env', 'PW', '--alg', 'PBES2-HS256+A128KW', 'hello'], { env: { PW: 'password123' } });
    expect(expectOneLineError(plain)).toBe(line);
    expect(plain.stdout).toBe('');
    const text = await cli(['encrypt', ...SECRET, '--sub', 'me', 'plain text'], { env });
    expect(expectOneLineError(text)).toBe(
      'jwtkit: error: --sub applies to a claims payload (a JSON object), and this payload is text. Give the claims as JSON, or drop the claim options',
    );
  });

  it('claims get sign\'s defaults and typ JWT; --json shows token, header and payload', async () => {
    const r = await jwtkit(['encrypt', ...SECRET, '--sub', 'me', '--json', '{"role":"admin"}'], { env });
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.header).toEqual({ alg: 'dir', enc: 'A256GCM', typ: 'JWT' });
    expect(out.payload).toMatchObject({ role: 'admin', sub: 'me' });
    expect(out.payload.exp - out.payload.iat).toBe(900);
    const back = await cli(['decrypt', ...SECRET, out.token], { env });
    expect(JSON.parse(back.stdout)).toEqual(out.payload);
  });
});

describe('usage', () => {
  it('unknown --alg/--enc names and RSA1_5 without --allow-rsa1_5 are usage errors; --help states the limits', async () => {
    expect(expectOneLineError(await cli(['decrypt', ...SECRET, '--alg', 'HS256', 'x'], { env }))).toMatch(/^jwtkit: error: --alg "HS256" is not one jwtkit knows/);
    expect(expectOneLineError(await cli(['decrypt', ...SECRET, '--alg', 'RSA1_5', 'x'], { env }))).toBe(
      'jwtkit: error: --alg RSA1_5 needs --allow-rsa1_5. RSAES-PKCS1-v1_5 is open to padding-oracle attacks',
    );
    const help = await cli(['decrypt', '--help']);
    expect(help.stdout).toContain('p2c over 1,000,000 are refused');
    expect(help.stdout).toContain('may cost at most\n2,000,000 PBES2 iterations over all its recipients and keys; at most 64 recipients');
    expect(help.stdout).toContain('may inflate to 1 MiB');
  });
});

