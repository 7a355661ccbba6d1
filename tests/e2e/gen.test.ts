// Most cases run in-process (cli(), tests/helpers/cli.ts: the same main() as the binary). Through
// the built binary (jwtkit(), which runs gen from dist/front.cjs) go what only a process shows: a
// secret on a pipe (the success), a usage error in --json (exit 2 and the JSON object), the real X
// clipboard (clipboardy spawns xsel with the process's own DISPLAY), and a real terminal (inPty:
// the hint, NO_COLOR, a pipe). gen --out's files and their modes as a process writes them are the
// README walkthrough's (tests/e2e/key-walkthrough.test.ts: `jwtkit gen --alg ES256 --out`, mode
// 0600); TERM=dumb on a terminal runs in-process with terminal streams (render.ts reads both from
// the Sys; tests/e2e/cli.test.ts shows TERM=dumb on a real one). The two bundles of dist/ are
// compared in this process, each run from its own bytes (helpers/bundle.ts).
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { BIN, cleanEnv, expectOneLineError, inPty, jwtkit, type RunResult } from '../helpers/run.js';
import { runBundle } from '../helpers/bundle.js';
import { cli, testSys } from '../helpers/cli.js';
import { hasTool, requireTools } from '../helpers/tools.js';
import { startXvfb, type XServer } from '../helpers/xvfb.js';

const BASE64_32 = /^[A-Za-z0-9+/]{43}=\n$/;

describe('jwtkit gen', () => {
  it('prints one base64 line of 32 random bytes and nothing on stderr when piped', async () => {
    const a = await jwtkit(['gen']);
    const b = await cli(['gen']); // another secret: in-process is enough
    expect(a).toMatchObject({ exitCode: 0, stderr: '' });
    expect(a.stdout).toMatch(BASE64_32);
    expect(Buffer.from(a.stdout.trim(), 'base64')).toHaveLength(32);
    expect(a.stdout).not.toBe(b.stdout);
  });

  it.each([
    [['--bytes', '64'], /^[A-Za-z0-9+/]{86}==\n$/],
    [['--encoding', 'hex'], /^[0-9a-f]{64}\n$/],
    [['--encoding', 'base64url', '--bytes', '48'], /^[A-Za-z0-9_-]{64}\n$/],
    [['--dotenv'], /^JWT_SECRET=[A-Za-z0-9+/]{43}=\n$/],
    [['--dotenv', 'AUTH_SECRET', '--encoding', 'hex'], /^AUTH_SECRET=[0-9a-f]{64}\n$/],
    [['--alg', 'HS512'], /^[A-Za-z0-9+/]{86}==\n$/],
    [['--alg', 'HS384', '--encoding', 'hex'], /^[0-9a-f]{96}\n$/],
  ])('gen %j', async (args, pattern) => {
    const r = await cli(['gen', ...args]);
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(r.stdout).toMatch(pattern);
  });

  it('--count prints that many distinct lines', async () => {
    const r = await cli(['gen', '--count', '5']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(new Set(lines).size).toBe(5);
    for (const line of lines) expect(`${line}\n`).toMatch(BASE64_32);
  });

  it('--json prints the contract shape, NDJSON with --count', async () => {
    const r = await cli(['gen', '--json', '--count', '3', '--encoding', 'hex', '--bytes', '40']);
    expect(r.exitCode).toBe(0);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['secret', 'bytes', 'bits', 'encoding']);
      expect(row).toMatchObject({ bytes: 40, bits: 320, encoding: 'hex' });
      expect(row.secret).toMatch(/^[0-9a-f]{80}$/);
    }
  });

  // Which values are refused, and what the line says, is tests/unit/cli-gen.test.ts (in-process):
  // here, once each, the exit code and the one stderr line of a refused value and of a refused
  // combination.
  it.each([
    [['--bytes', '16'], /^jwtkit: error: --bytes "16" is not valid: must be a whole number from 32 to 64. See 'jwtkit gen --help'$/],
    [['--copy', '--count', '2'], /^jwtkit: error: --copy holds one secret. Drop --count, or drop --copy to print them$/],
  ])('gen %j exits 2 with one line naming what is allowed', async (args, message) => {
    const r = await cli(['gen', ...args]);
    expect(expectOneLineError(r)).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('a usage error with --json is a JSON error object on stdout', async () => {
    const r = await jwtkit(['gen', '--bytes', '16', '--json']);
    expect(r.exitCode).toBe(2);
    const body = JSON.parse(r.stdout);
    expect(body).toEqual({ error: { code: 'usage', message: expect.stringMatching(/--bytes/) } });
  });
});

describe('jwtkit gen --alg (key pairs)', () => {
  // RSA key generation costs ~0.25 s of CPU a key: two in this file. RS* and PS* take the same
  // path (src/crypto.ts: a plain RSA key for both); PS384 shows the PEM pair at the default size,
  // RS256 the same pair in --json at a size asked for.
  let ps384: Promise<RunResult> | undefined;
  const defaultRsa = () => (ps384 ??= cli(['gen', '--alg', 'PS384']));

  it.each(['PS384', 'ES256', 'ES384', 'ES512', 'EdDSA'])('%s prints a PKCS#8 private and SPKI public PEM', async (alg) => {
    const r = alg === 'PS384' ? await defaultRsa() : await cli(['gen', '--alg', alg]);
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    const [privatePem, publicPem] = r.stdout.split(/(?<=-----END PRIVATE KEY-----\n)/);
    expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    expect(createPublicKey(privatePem!).export({ type: 'spki', format: 'pem' })).toBe(publicPem);
  });

  it('RSA keys are 2048 bits by default and larger on request (RS256, in --json: the same PEM pair)', async () => {
    // 2056, not 3072: any larger size shows the option reaches the generator, at the default's cost
    const r = await cli(['gen', '--alg', 'RS256', '--modulus-length', '2056', '--json']);
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    const body = JSON.parse(r.stdout);
    expect(body.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/);
    expect(body.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    expect(createPublicKey(body.privateKey).export({ type: 'spki', format: 'pem' })).toBe(body.publicKey);
    expect(createPrivateKey(body.privateKey).asymmetricKeyDetails?.modulusLength).toBe(2056);
    const d = await defaultRsa();
    expect(createPrivateKey(d.stdout.split(/(?<=-----END PRIVATE KEY-----\n)/)[0]!).asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('--format jwk prints private then public JWK with an RFC 7638 kid', async () => {
    const r = await cli(['gen', '--alg', 'ES256', '--format', 'jwk', '--json']);
    expect(r.exitCode).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body).toMatchObject({ alg: 'ES256', format: 'jwk' });
    expect(body.publicKey).toMatchObject({ kty: 'EC', crv: 'P-256', kid: body.kid, alg: 'ES256', use: 'sig' });
    expect(body.publicKey.d).toBeUndefined();
    expect(body.privateKey.d).toEqual(expect.any(String));
    const { calculateJwkThumbprint } = await import('jose');
    expect(body.kid).toBe(await calculateJwkThumbprint(body.publicKey));
  });

  // In-process: the README walkthrough writes gen --out's files through the binary (mode 0600 checked there).
  it('--out writes PREFIX.key.pem (0600) and PREFIX.pub.pem, and refuses to overwrite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwtkit-e2e-'));
    const prefix = join(dir, 'signing');
    const r = await cli(['gen', '--alg', 'EdDSA', '--out', prefix]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Wrote .*signing\.key\.pem \(private, mode 0600/);
    expect(statSync(`${prefix}.key.pem`).mode & 0o777).toBe(0o600);
    const privatePem = readFileSync(`${prefix}.key.pem`, 'utf8');
    expect(createPublicKey(privatePem).export({ type: 'spki', format: 'pem' })).toBe(readFileSync(`${prefix}.pub.pem`, 'utf8'));

    const again = await cli(['gen', '--alg', 'EdDSA', '--out', prefix]);
    expect(expectOneLineError(again)).toMatch(/signing\.key\.pem already exists; jwtkit never overwrites a key file/);
    expect(readFileSync(`${prefix}.key.pem`, 'utf8')).toBe(privatePem);
  });

  it('--out into a missing folder is a clear error', async () => {
    const r = await cli(['gen', '--alg', 'ES256', '--out', '/nonexistent-dir/k']);
    expect(expectOneLineError(r)).toMatch(/cannot write \/nonexistent-dir\/k\.key\.pem: its folder does not exist/);
  });
});

describe('jwtkit gen --copy', () => {
  let x: XServer;
  beforeAll(async () => {
    if (hasTool('Xvfb') && hasTool('xsel')) x = await startXvfb();
  });
  afterAll(async () => {
    await x?.stop();
  });

  // Two processes, every assertion of the three cases they cover: the plain copy's note and the
  // --json record in one (--json adds the record on stdout, the note stays on stderr), --dotenv's
  // line on the clipboard with nothing on stdout in the other.
  it('puts the secret on a real X clipboard and prints it nowhere; --json reports the copy without the secret', async (ctx) => {
    requireTools(ctx, 'Xvfb', 'xsel');
    const r = await jwtkit(['gen', '--copy', '--json'], { env: { DISPLAY: x.display } });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ copied: true, bytes: 32, bits: 256, encoding: 'base64' });
    expect(r.stderr).toMatch(/^Copied a 256-bit secret to the clipboard\. Paste it as JWT_SECRET/);
    const pasted = await execa('xsel', ['--clipboard', '--output'], { env: cleanEnv({ DISPLAY: x.display }), extendEnv: false });
    expect(pasted.stdout).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(r.stderr).not.toContain(pasted.stdout);
    expect(r.stdout).not.toContain(pasted.stdout);
  });

  it('copies the dotenv line with --dotenv, and prints nothing on stdout', async (ctx) => {
    requireTools(ctx, 'Xvfb', 'xsel');
    const r = await jwtkit(['gen', '--copy', '--dotenv', 'API_JWT', '--encoding', 'hex'], { env: { DISPLAY: x.display } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Copied a 256-bit secret to the clipboard\. Paste it as API_JWT/);
    const pasted = await execa('xsel', ['--clipboard', '--output'], { env: cleanEnv({ DISPLAY: x.display }), extendEnv: false });
    expect(pasted.stdout).toMatch(/^API_JWT=[0-9a-f]{64}$/);
    expect(r.stderr).not.toContain(pasted.stdout.slice('API_JWT='.length));
  });

  it('with no display says why on stderr, prints the secret, exits 0', async () => {
    const r = await cli(['gen', '--copy']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(BASE64_32);
    expect(r.stderr).toBe(
      'jwtkit: warning: could not copy to the clipboard: no display server (DISPLAY and WAYLAND_DISPLAY are not set), as over SSH, in CI or in a container. Printing the secret instead.\n',
    );
  });

  it('the help says what that fallback does (it never promises "never on screen")', async () => {
    const help = (await cli(['gen', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).not.toMatch(/never on screen/);
    expect(help).toContain('--copy put the secret on the clipboard, not on stdout; with no clipboard (SSH, CI, a container) say why on stderr and print it');
    expect(help).toContain('jwtkit gen --copy # straight to the clipboard (printed if none can be reached)');
  });

  it('with an unreachable display falls back the same way', async (ctx) => {
    requireTools(ctx, 'xsel'); // without xsel the reason is "no clipboard program found"
    const r = await jwtkit(['gen', '--copy'], { env: { DISPLAY: ':4242' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(BASE64_32);
    expect(r.stderr).toMatch(/could not copy to the clipboard: the display server could not be reached/);
  });
});

describe('jwtkit gen on a terminal', () => {
  beforeEach((ctx) => requireTools(ctx, 'script'));

  it('adds a one-line hint on stderr about where the secret goes', async () => {
    const r = await inPty(`node ${BIN} gen`);
    const lines = String(r.stdout).split(/\r?\n/).filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(lines[1]).toContain("Store it as JWT_SECRET in your host's secret store");
    expect(lines[1]).toContain('never commit it to git');
    expect(lines[1]).toContain('\u001b['); // dimmed on a colour terminal
  });

  it('no hint and no colour with NO_COLOR', async () => {
    const r = await inPty(`node ${BIN} gen`, { NO_COLOR: '1' });
    expect(String(r.stdout).trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  // TERM=dumb with both streams terminals, in-process (hintsEnabled and colorEnabled read the
  // streams and the variables from the Sys; a real terminal with TERM=dumb: tests/e2e/cli.test.ts).
  it('no hint and no colour with TERM=dumb', async () => {
    const { sys, out, err } = testSys({ env: { TERM: 'dumb' } });
    Object.assign(sys.stdout, { isTTY: true });
    Object.assign(sys.stderr, { isTTY: true });
    expect(await main(['gen'], sys)).toBe(0);
    expect(Buffer.concat(out).toString('utf8')).toMatch(BASE64_32);
    expect(Buffer.concat(err).toString('utf8')).toBe('');
    // and the same streams without TERM=dumb do get the hint: the terminal is what the check sees
    const shown = testSys({ env: { TERM: 'xterm-256color' } });
    Object.assign(shown.sys.stdout, { isTTY: true });
    Object.assign(shown.sys.stderr, { isTTY: true });
    await main(['gen'], shown.sys);
    expect(Buffer.concat(shown.err).toString('utf8')).toContain("Store it as JWT_SECRET in your host's secret store");
  });

  it('no hint when stdout is piped even if stderr is a terminal', async () => {
    const r = await inPty(`node ${BIN} gen | cat`);
    expect(String(r.stdout).trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});

describe('jwtkit itself', () => {
  it('alone prints an overview, exit 0', async () => {
    const r = await cli([]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Usage: jwtkit/);
    expect(r.stdout).toContain('gen');
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const r = await cli(['--version']);
    expect(r).toEqual({ exitCode: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  // In-process: a usage error's exit code as a shell sees it is the --json error above and cli.test.ts's.
  it('an unknown command exits 2 with one line', async () => {
    expect(expectOneLineError(await cli(['frobnicate']))).toMatch(/unknown command "frobnicate"/);
  });

  it('the bin sends gen, --help and --version to dist/front.cjs, and everything else to the whole bundle', () => {
    const text = readFileSync(BIN, 'utf8');
    const front = /first === undefined \|\| (.*) \? "\.\.\/dist\/front\.cjs" : "\.\.\/dist\/jwtkit\.cjs"/.exec(text);
    expect(front).not.toBeNull();
    expect([...front![1]!.matchAll(/first === "([^"]+)"/g)].map((m) => m[1])).toEqual(['gen', '--help', '-h', '--version', '-V']);
    expect(existsSync(join(BIN, '../../dist/front.cjs'))).toBe(true);
    expect(existsSync(join(BIN, '../../dist/jwtkit.cjs'))).toBe(true);
  });

  // Each bundle runs from its own bytes, as Node runs a file, in this process (helpers/bundle.ts):
  // the comparison is of what the two files print and exit with, a few milliseconds a case instead
  // of two processes. That runBundle prints what a process of the bundle prints: cli.test.ts (the
  // overview and gen --help). That bin/jwtkit.js starts them as a process does is shown through the
  // binary by the tests that run gen, --help, --version and the overview (dist/front.cjs), and every
  // other command (dist/jwtkit.cjs); front.cjs's exit 70 through a real process: cli.test.ts ("a bug").
  it('dist/front.cjs prints what the whole bundle prints for what it serves, and fails as a bug (70) for what it does not hold', async () => {
    for (const args of [[], ['--help'], ['gen', '--help'], ['--version'], ['-V'], ['--version', '--verbose'], ['gen', '--bytes', '3'], ['gen', '--alg', 'RS1']]) {
      const front = await runBundle('front.cjs', args);
      const whole = await runBundle('jwtkit.cjs', args);
      expect({ args, exit: front.exitCode, out: front.stdout, err: front.stderr }).toEqual({ args, exit: whole.exitCode, out: whole.stdout, err: whole.stderr });
      expect(front.stdout + front.stderr, String(args)).not.toBe('');
    }
    // the version the build put in the bundle (plain --version and -V run in-process elsewhere, with vitest's define)
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(await runBundle('front.cjs', ['-V'])).toEqual({ exitCode: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const stray = await runBundle('front.cjs', ['decode', 'x']);
    expect(stray.exitCode).toBe(70);
    expect(stray.stderr).toMatch(/^jwtkit: error: internal error \(a bug in jwtkit\): not in dist\/front\.cjs: src\/cli\/decode\.ts: \.\/decode\.js\. /);
  });
});
