import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, cleanEnv, expectOneLineError, inPty, jwtkit } from '../helpers/run.js';
import { TOKENS } from '../helpers/fixtures.js';
import { requireTools } from '../helpers/tools.js';

const COMMANDS = ['gen', 'decode', 'verify', 'sign', 'check', 'completion', 'decrypt', 'encrypt', 'audit'];

describe('help', () => {
  it('jwtkit alone prints an overview with examples, exit 0', async () => {
    const r = await jwtkit([]);
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect(r.stdout).toContain('$ jwtkit check --secret-env JWT_SECRET || exit 1');
    expect(r.stdout).toContain('Exit codes: 0 done/valid/strong, 1 invalid/weak, 2 usage or input error, 70 bug.');
  });

  // Every command's help is checked in-process (tests/unit/cli-help.test.ts); one here, through the binary.
  it('jwtkit gen --help: the help on stdout, exit 0, ending with examples a user can paste', async () => {
    const r = await jwtkit(['gen', '--help']);
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Usage: jwtkit gen \[options\]\n/);
    expect(r.stdout).toContain('jwtkit gen --copy');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^ {2}\$ jwtkit gen/);
  });

  it.each([
    [['verfy'], `jwtkit: error: unknown command "verfy" (Did you mean verify?). See 'jwtkit --help'`],
    [['gen', '--byts', '32'], `jwtkit: error: unknown option "--byts" (Did you mean --bytes?). See 'jwtkit gen --help'`],
    [['decode', '--jsn'], `jwtkit: error: unknown option "--jsn" (Did you mean --json?). See 'jwtkit decode --help'`],
  ])('a typo suggests the nearest: %j', async (args, line) => {
    expect(expectOneLineError(await jwtkit(args))).toBe(line);
  });

  // The whole table is tests/unit/render.test.ts (OTHER_TOOLS_VERBS); here the line, twice.
  it.each([
    ['encode', 'sign'], ['keygen', 'gen --alg ES256'],
  ])("another tool's verb %j names jwtkit's: %j", async (verb, ours) => {
    expect(expectOneLineError(await jwtkit([verb, 'x']))).toBe(`jwtkit: error: jwtkit calls that \`${ours}\`. See 'jwtkit ${ours.split(' ')[0]} --help'`);
  });

  it('--version and -V', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect((await jwtkit(['--version'])).stdout).toBe(`${version}\n`);
    expect((await jwtkit(['-V'])).stdout).toBe(`${version}\n`);
  });

  it('--version --verbose adds the Node.js version and the platform (either order, -V too)', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const expected = new RegExp(
      `^jwtkit ${version.replace(/\./g, '\\.')}\nnode ${process.version.replace(/\./g, '\\.')} \\(V8 [^)]+\\)\nplatform ${process.platform} ${process.arch} \\(OS release [^)\n]+\\)\n$`,
    );
    for (const args of [['--version', '--verbose'], ['--verbose', '-V']]) {
      const r = await jwtkit(args);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(expected);
    }
  });
});

describe('errors', () => {
  it('a bug: exit 70, one line, the stack only with JWTKIT_DEBUG=1', async () => {
    const plain = await jwtkit(['gen'], { env: { JWTKIT_INTERNAL_CRASH: '1' } });
    expect(plain.exitCode).toBe(70);
    expect(plain.stderr).toBe('jwtkit: error: internal error (a bug in jwtkit): simulated internal error. Please report it; JWTKIT_DEBUG=1 shows the stack\n');
    const debug = await jwtkit(['gen'], { env: { JWTKIT_INTERNAL_CRASH: '1', JWTKIT_DEBUG: '1' } });
    expect(debug.exitCode).toBe(70);
    expect(debug.stderr).toMatch(/^jwtkit: error: internal error[^\n]*\nError: simulated internal error\n\s+at /);
  });

  it('--json turns any usage error into the error object', async () => {
    const r = await jwtkit(['verify', '--json', '--frob']);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'usage', message: expect.stringMatching(/unknown option "--frob"/) } });
  });
});

describe('completion', () => {
  // `jwtkit completion bash` runs once; each completion below sources its output (one node start, not eight).
  let completionFile: string | undefined;
  const bashComplete = async (line: string[]) => {
    if (!completionFile) {
      completionFile = join(mkdtempSync(join(tmpdir(), 'jwtkit-completion-')), 'jwtkit.bash');
      writeFileSync(completionFile, (await jwtkit(['completion', 'bash'])).stdout);
    }
    const script = `source '${completionFile}'; COMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${line.length - 1}; _jwtkit; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = await execa('bash', ['-c', script]);
    return r.stdout.split('\n').filter(Boolean);
  };

  it('bash completes commands, options and option values', async (ctx) => {
    requireTools(ctx, 'bash');
    expect(await bashComplete(['jwtkit', 've'])).toEqual(['verify']);
    expect(await bashComplete(['jwtkit', ''])).toEqual(expect.arrayContaining(COMMANDS));
    expect(await bashComplete(['jwtkit', 'gen', '--en'])).toEqual(['--encoding']);
    expect(await bashComplete(['jwtkit', 'gen', '--encoding', ''])).toEqual(['base64', 'base64url', 'hex']);
    expect(await bashComplete(['jwtkit', 'gen', '--alg', 'ES'])).toEqual(['ES256', 'ES384', 'ES512']);
    expect(await bashComplete(['jwtkit', 'verify', '--alg', 'PS'])).toEqual(['PS256', 'PS384', 'PS512']);
    expect(await bashComplete(['jwtkit', 'check', '--secret-encoding', 'base64'])).toEqual(['base64', 'base64url']);
    expect(await bashComplete(['jwtkit', 'decode', '--'])).toEqual(expect.arrayContaining(['--json', '--scan', '--claim', '--at', '--help']));
    expect(await bashComplete(['jwtkit', 'decrypt', '--alg', 'ECDH'])).toEqual(['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW']);
    expect(await bashComplete(['jwtkit', 'encrypt', '--enc', 'A256'])).toEqual(['A256CBC-HS512', 'A256GCM']);
  });

  it('zsh and fish scripts pass their shells\' syntax check', async (ctx) => {
    requireTools(ctx, 'zsh', 'fish');
    const zsh = (await jwtkit(['completion', 'zsh'])).stdout;
    expect(zsh).toMatch(/^#compdef jwtkit\n/);
    const dir = mkdtempSync(join(tmpdir(), 'jwtkit-completion-'));
    writeFileSync(join(dir, '_jwtkit'), zsh);
    await execa('zsh', ['-n', join(dir, '_jwtkit')]);
    const fish = (await jwtkit(['completion', 'fish'])).stdout;
    expect(fish).toContain("complete -c jwtkit -n '__fish_seen_subcommand_from gen' -l encoding -x -a 'base64 base64url hex'");
    writeFileSync(join(dir, 'jwtkit.fish'), fish);
    await execa('fish', ['-n', join(dir, 'jwtkit.fish')]);
  });

  it('an unknown shell is a usage error naming the ones there are', async () => {
    expect(expectOneLineError(await jwtkit(['completion', 'tcsh']))).toBe(
      `jwtkit: error: <shell> "tcsh" is not valid: use one of bash, zsh, fish, powershell, pwsh. See 'jwtkit completion --help'`,
    );
  });

  it('PowerShell: Register-ArgumentCompleter with every command, option and value; well-formed', async () => {
    const ps = (await jwtkit(['completion', 'powershell'])).stdout;
    expect(ps).toMatch(/^# PowerShell completion for jwtkit/);
    expect(ps).toContain("Register-ArgumentCompleter -Native -CommandName 'jwtkit', 'jwtkit.cmd', 'jwtkit.ps1' -ScriptBlock {");
    expect(ps).toContain(`$commands = @(${[...COMMANDS.slice(0, 4), 'completion', 'check', 'key', 'decrypt', 'encrypt', 'audit'].map((c) => `'${c}'`).join(', ')})`);
    expect(ps).toContain("'gen:--encoding' = @('base64', 'base64url', 'hex')");
    expect(ps).toContain("'verify:--alg' = @('HS256'");
    expect(ps).toContain("'key' = @('inspect', 'public', 'convert', 'thumbprint', 'jwks')");
    expect(ps).toContain("'check a token''s signature"); // a ' inside a single-quoted string is doubled
    expect(psStructureErrors(ps)).toEqual([]);
  });

  // pwsh is not packaged by Debian (Microsoft's repository has it), so CI cannot install it: a
  // named skip wherever it is missing, even under JWTKIT_TEST_REQUIRE_ALL (tests/README.md).
  it('pwsh completes with the PowerShell script', async (ctx) => {
    requireTools(ctx, 'pwsh');
    const ps = (await jwtkit(['completion', 'powershell'])).stdout;
    const dir = mkdtempSync(join(tmpdir(), 'jwtkit-completion-'));
    writeFileSync(join(dir, 'jwtkit.ps1'), ps);
    const complete = (line: string) =>
      `. '${join(dir, 'jwtkit.ps1')}'; (TabExpansion2 -inputScript '${line}' -cursorColumn ${line.length}).CompletionMatches | ForEach-Object { $_.CompletionText }`;
    const r = await execa('pwsh', ['-NoProfile', '-NonInteractive', '-Command', [complete('jwtkit ve'), "'--'", complete('jwtkit gen --encoding b'), "'--'", complete('jwtkit key ')].join('; ')]);
    expect(r.stdout.split(/\r?\n/)).toEqual(['verify', '--', 'base64', 'base64url', '--', 'inspect', 'public', 'convert', 'thumbprint', 'jwks']);
  });
});

/**
 * What a PowerShell parser would reject at a glance: a single-quoted string left open ('' is a
 * quote inside one), a double-quoted one left open, or braces, parentheses and brackets that do
 * not pair. Comments (# to the end of a line) are skipped.
 */
function psStructureErrors(text: string): string[] {
  const errors: string[] = [];
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === "'") {
      for (i++; ; i++) {
        if (i >= text.length) return [...errors, 'an unterminated single-quoted string'];
        if (text[i] === "'" && text[i + 1] === "'") i++;
        else if (text[i] === "'") break;
      }
    } else if (c === '"') {
      for (i++; ; i++) {
        if (i >= text.length) return [...errors, 'an unterminated double-quoted string'];
        if (text[i] === '`') i++;
        else if (text[i] === '"') break;
      }
    } else if ('({['.includes(c)) {
      stack.push(c);
    } else if (c in pairs) {
      if (stack.pop() !== pairs[c]) errors.push(`an unpaired ${c} at ${i}`);
    }
  }
  if (stack.length > 0) errors.push(`unclosed ${stack.join('')}`);
  return errors;
}

describe('in a real terminal', () => {
  beforeEach((ctx) => requireTools(ctx, 'script'));
  const pty = (command: string, env: Record<string, string> = {}, cols = 80) => inPty(command, { JWT_SECRET: 'x'.repeat(44), ...env }, cols);
  const ESC = '\u001b[';

  it('colour and hints on a terminal', async () => {
    const r = await pty(`node ${BIN} check --secret-env JWT_SECRET`);
    expect(String(r.stdout)).toContain(ESC);
    const gen = await pty(`node ${BIN} gen`);
    expect(String(gen.stdout)).toContain('never commit it to git');
  });

  it.each([
    ['NO_COLOR=1', { NO_COLOR: '1' }],
    ['TERM=dumb', { TERM: 'dumb' }],
  ])('none of either with %s', async (_name, env) => {
    const r = await pty(`node ${BIN} check --secret-env JWT_SECRET; node ${BIN} gen`, env);
    expect(String(r.stdout)).not.toContain(ESC);
    expect(String(r.stdout)).not.toContain('never commit it to git');
  });

  it('none of either when piped; FORCE_COLOR=1 forces colour in a pipe', async () => {
    const piped = await pty(`node ${BIN} check --secret-env JWT_SECRET | cat; node ${BIN} gen | cat`);
    expect(String(piped.stdout)).not.toContain(ESC);
    expect(String(piped.stdout)).not.toContain('never commit it to git');
    const forced = await jwtkit(['check', '--pretty', '--secret-env', 'JWT_SECRET'], { env: { FORCE_COLOR: '1', JWT_SECRET: 'x'.repeat(44) } });
    expect(forced.stdout).toContain(ESC);
  });

  it('long tokens and PEM blocks are never wrapped or cut, however narrow the terminal', async () => {
    const token = TOKENS.RS256!;
    const r = await pty(`node ${BIN} sign --secret-env S --no-iat --no-exp --claim long=${'y'.repeat(300)}; node ${BIN} gen --alg RS256`, { S: randomBytes(64).toString('base64') }, 20);
    const lines = String(r.stdout).split(/\r?\n/);
    const minted = lines.find((l) => l.startsWith('eyJ'))!;
    expect(minted.length).toBeGreaterThan(400);
    expect(minted).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const pem = lines.filter((l) => /^[A-Za-z0-9+/=]{64}$/.test(l));
    expect(pem.length).toBeGreaterThan(20); // 64-column PEM lines, not 20-column pieces
    const decoded = await pty(`node ${BIN} decode ${token}`, { NO_COLOR: '1' }, 20);
    expect(String(decoded.stdout)).toContain(`Signature  ${token.split('.')[2]}`);
  });
});

describe('packaging', () => {
  it('npm pack gives a tarball that installs globally with only runtime dependencies, and npx runs it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwtkit-pack-'));
    const pack = await execa('npm', ['pack', '--pack-destination', dir, '--json', '--ignore-scripts'], { cwd: ROOT });
    const [{ filename, files }] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['bin/jwtkit.js', 'dist/jwtkit.cjs', 'dist/front.cjs', 'dist/audit-worker.cjs', 'dist/vendor/jose.cjs', 'dist/vendor/chalk.cjs', 'dist/vendor/words.bin', 'dist/vendor/known-defaults.txt', 'dist/vendor/known-passwords.txt', 'README.md', 'LICENSE']),
    );
    expect(paths.some((p) => p.startsWith('src/') || p.startsWith('tests/'))).toBe(false);
    expect(paths.some((p) => p.includes('jwt.secrets.list'))).toBe(false);

    const prefix = join(dir, 'prefix');
    const tarball = join(dir, filename);
    const install = await execa('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: dir });
    // No install script to approve: dist/ is built into the tarball (prepack), nothing runs at install.
    expect(install.stderr).not.toMatch(/warn/i);
    const installed = readdirSync(join(prefix, 'lib', 'node_modules', 'jwtkit', 'node_modules'));
    expect(installed).toContain('clipboardy');
    for (const dev of ['commander', 'jose', 'chalk', 'vitest', 'typescript', 'esbuild']) expect(installed).not.toContain(dev);

    const gen = await execa(join(prefix, 'bin', 'jwtkit'), ['gen'], { env: cleanEnv(), extendEnv: false });
    expect(gen.stdout).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(gen.stderr).toBe('');
    const decoded = await execa(join(prefix, 'bin', 'jwtkit'), ['decode', '--json', TOKENS.HS256!], { env: cleanEnv(), extendEnv: false });
    expect(JSON.parse(decoded.stdout).header.alg).toBe('HS256');

    const npx = await execa('npx', ['--yes', '--prefer-offline', `--package=${tarball}`, 'jwtkit', 'gen', '--encoding', 'hex'], { cwd: dir });
    expect(npx.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(tarball)).toBe(true);
  }, 180_000);
});

