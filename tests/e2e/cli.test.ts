// Most of this file is the binary's own business: through the built binary (jwtkit()) go the
// overview, gen --help and --version --verbose (from dist/front.cjs: what the two bundles print is
// compared in gen.test.ts), the exit code of a bug, a usage error in --json, `completion bash` (the
// script bash then sources), and real terminals (inPty: colour, TERM=dumb, a narrow terminal).
// The package is packaging.test.ts. The typo lines, other tools' verbs, plain --version and -V,
// the other completion scripts, and NO_COLOR and a piped stdout with terminal streams run
// in-process (cli(), tests/helpers/cli.ts: the same main() as the binary; NO_COLOR and a pipe on
// a real terminal: gen.test.ts).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { BIN, ROOT, expectOneLineError, inPty, jwtkit } from '../helpers/run.js';
import { runBundle } from '../helpers/bundle.js';
import { cli, testSys } from '../helpers/cli.js';
import { bashComplete as complete } from '../helpers/completion.js';
import { TOKENS } from '../helpers/fixtures.js';
import { requireTools } from '../helpers/tools.js';

const COMMANDS = ['gen', 'decode', 'verify', 'sign', 'check', 'completion', 'decrypt', 'encrypt', 'audit'];

describe('help', () => {
  it('jwtkit alone prints an overview with examples, exit 0', async () => {
    const r = await jwtkit([]);
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    // what gen.test.ts's in-process run of the bundle (helpers/bundle.ts) gives, byte for byte
    expect(await runBundle('front.cjs', [])).toEqual(r);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect(r.stdout).toContain('$ jwtkit check --secret-env JWT_SECRET || exit 1');
    expect(r.stdout).toContain('Exit codes: 0 done/valid/strong, 1 invalid/weak, 2 usage or input error, 70 bug.');
  });

  // Every command's help is checked in-process (tests/unit/cli-help.test.ts); one here, through the binary.
  it('jwtkit gen --help: the help on stdout, exit 0, ending with examples a user can paste', async () => {
    const r = await jwtkit(['gen', '--help']);
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(await runBundle('front.cjs', ['gen', '--help'])).toEqual(r);
    expect(r.stdout).toMatch(/^Usage: jwtkit gen \[options\]\n/);
    expect(r.stdout).toContain('jwtkit gen --copy');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^ {2}\$ jwtkit gen/);
  });

  it.each([
    [['verfy'], `jwtkit: error: unknown command "verfy" (Did you mean verify?). See 'jwtkit --help'`],
    [['gen', '--byts', '32'], `jwtkit: error: unknown option "--byts" (Did you mean --bytes?). See 'jwtkit gen --help'`],
    [['decode', '--jsn'], `jwtkit: error: unknown option "--jsn" (Did you mean --json?). See 'jwtkit decode --help'`],
  ])('a typo suggests the nearest: %j', async (args, line) => {
    expect(expectOneLineError(await cli(args))).toBe(line);
  });

  // The whole table is tests/unit/render.test.ts (OTHER_TOOLS_VERBS); here the line, twice.
  it.each([
    ['encode', 'sign'], ['keygen', 'gen --alg ES256'],
  ])("another tool's verb %j names jwtkit's: %j", async (verb, ours) => {
    expect(expectOneLineError(await cli([verb, 'x']))).toBe(`jwtkit: error: jwtkit calls that \`${ours}\`. See 'jwtkit ${ours.split(' ')[0]} --help'`);
  });

  // In-process: the bundle's version (the build's define) is --version --verbose's first line below, through the binary.
  it('--version and -V', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(await cli(['--version'])).toEqual({ exitCode: 0, stdout: `${version}\n`, stderr: '' });
    expect(await cli(['-V'])).toEqual({ exitCode: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--version --verbose adds the Node.js version and the platform (either order, -V too)', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const expected = new RegExp(
      `^jwtkit ${version.replace(/\./g, '\\.')}\nnode ${process.version.replace(/\./g, '\\.')} \\(V8 [^)]+\\)\nplatform ${process.platform} ${process.arch} \\(OS release [^)\n]+\\)\n$`,
    );
    // the second order in-process (the same main(), the same Node.js)
    for (const [run, args] of [[jwtkit, ['--version', '--verbose']], [cli, ['--verbose', '-V']]] as const) {
      const r = await run(args);
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
    const debug = await cli(['gen'], { env: { JWTKIT_INTERNAL_CRASH: '1', JWTKIT_DEBUG: '1' } });
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
  // `jwtkit completion bash` runs once, through the binary; one bash sources its output and
  // completes every line in turn (helpers/completion.ts).
  const bashComplete = async (lines: string[][]): Promise<string[][]> => complete((await jwtkit(['completion', 'bash'])).stdout, lines);

  it('bash completes commands, options and option values', async (ctx) => {
    requireTools(ctx, 'bash');
    const cases: [string[], unknown][] = [
      [['jwtkit', 've'], ['verify']],
      [['jwtkit', ''], expect.arrayContaining(COMMANDS)],
      [['jwtkit', 'gen', '--en'], ['--encoding']],
      [['jwtkit', 'gen', '--encoding', ''], ['base64', 'base64url', 'hex']],
      [['jwtkit', 'gen', '--alg', 'ES'], ['ES256', 'ES384', 'ES512']],
      [['jwtkit', 'verify', '--alg', 'PS'], ['PS256', 'PS384', 'PS512']],
      [['jwtkit', 'check', '--secret-encoding', 'base64'], ['base64', 'base64url']],
      [['jwtkit', 'decode', '--'], expect.arrayContaining(['--json', '--scan', '--claim', '--at', '--help'])],
      [['jwtkit', 'decrypt', '--alg', 'ECDH'], ['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW']],
      [['jwtkit', 'encrypt', '--enc', 'A256'], ['A256CBC-HS512', 'A256GCM']],
    ];
    const replies = await bashComplete(cases.map(([line]) => line));
    cases.forEach(([line, expected], i) => expect(replies[i], line.join(' ')).toEqual(expected));
  });

  it('an unknown shell: exit 2, one line (through the binary)', async () => {
    const r = await jwtkit(['completion', 'tcsh']);
    expect(expectOneLineError(r)).toMatch(/^jwtkit: error: <shell> "tcsh" is not valid: use one of bash, zsh, fish, powershell, pwsh/);
    expect(r.stdout).toBe('');
  });

  it('zsh and fish scripts pass their shells\' syntax check', async (ctx) => {
    requireTools(ctx, 'zsh', 'fish');
    const zsh = (await cli(['completion', 'zsh'])).stdout;
    expect(zsh).toMatch(/^#compdef jwtkit\n/);
    const dir = mkdtempSync(join(tmpdir(), 'jwtkit-completion-'));
    writeFileSync(join(dir, '_jwtkit'), zsh);
    await execa('zsh', ['-n', join(dir, '_jwtkit')]);
    const fish = (await cli(['completion', 'fish'])).stdout;
    expect(fish).toContain("complete -c jwtkit -n '__fish_seen_subcommand_from gen' -l encoding -x -a 'base64 base64url hex'");
    writeFileSync(join(dir, 'jwtkit.fish'), fish);
    await execa('fish', ['-n', join(dir, 'jwtkit.fish')]);
  });

  it('an unknown shell is a usage error naming the ones there are', async () => {
    expect(expectOneLineError(await cli(['completion', 'tcsh']))).toBe(
      `jwtkit: error: <shell> "tcsh" is not valid: use one of bash, zsh, fish, powershell, pwsh. See 'jwtkit completion --help'`,
    );
  });

  it('PowerShell: Register-ArgumentCompleter with every command, option and value; well-formed', async () => {
    const ps = (await cli(['completion', 'powershell'])).stdout;
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
    const ps = (await cli(['completion', 'powershell'])).stdout; // the script through the binary: bash's above
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

  // gen's hint (shown, and not with NO_COLOR, TERM=dumb or in a pipe) on a real terminal:
  // tests/e2e/gen.test.ts, "jwtkit gen on a terminal".
  it('colour on a terminal', async () => {
    const r = await pty(`node ${BIN} check --secret-env JWT_SECRET`);
    expect(String(r.stdout)).toContain(ESC);
  });

  it('none with TERM=dumb', async () => {
    const r = await pty(`node ${BIN} check --secret-env JWT_SECRET`, { TERM: 'dumb' });
    expect(String(r.stdout)).not.toContain(ESC);
  });

  // NO_COLOR with both streams terminals, in-process (colorEnabled reads the streams and the
  // variables from the Sys; NO_COLOR on a real terminal: gen.test.ts, "jwtkit gen on a terminal").
  it('none with NO_COLOR=1', async () => {
    const run = async (env: Record<string, string>) => {
      const { sys, out, err } = testSys({ env: { JWT_SECRET: 'x'.repeat(44), TERM: 'xterm-256color', ...env } });
      Object.assign(sys.stdout, { isTTY: true });
      Object.assign(sys.stderr, { isTTY: true });
      await main(['check', '--secret-env', 'JWT_SECRET'], sys);
      return Buffer.concat([...out, ...err]).toString('utf8');
    };
    expect(await run({ NO_COLOR: '1' })).not.toContain(ESC);
    expect(await run({})).toContain(ESC); // the same streams without it are coloured
  });

  // stdout a pipe and stderr the terminal (`jwtkit check … | cat`), in-process: that a real pipe
  // is no terminal to the process is gen.test.ts's `jwtkit gen | cat` on a real terminal.
  it('none of either when piped; FORCE_COLOR=1 forces colour in a pipe', async () => {
    const { sys, out, err } = testSys({ env: { JWT_SECRET: 'x'.repeat(44), TERM: 'xterm-256color' } });
    Object.assign(sys.stderr, { isTTY: true });
    await main(['check', '--secret-env', 'JWT_SECRET'], sys);
    expect(Buffer.concat(out).toString('utf8')).toMatch(/^\{"/); // a pipe: the JSON line
    expect(Buffer.concat([...out, ...err]).toString('utf8')).not.toContain(ESC);
    const forced = await cli(['check', '--pretty', '--secret-env', 'JWT_SECRET'], { env: { FORCE_COLOR: '1', JWT_SECRET: 'x'.repeat(44) } });
    expect(forced.stdout).toContain(ESC);
  });

  it('long tokens and PEM blocks are never wrapped or cut, however narrow the terminal', async () => {
    const token = TOKENS.RS256!;
    // One terminal 20 columns wide for the three: a token minted, a key pair made (ES512: its PEM
    // lines are those of any key), a token decoded.
    const r = await pty(
      `node ${BIN} sign --secret-env S --no-iat --no-exp --claim long=${'y'.repeat(300)}; node ${BIN} gen --alg ES512; NO_COLOR=1 node ${BIN} decode ${token}`,
      { S: randomBytes(64).toString('base64') },
      20,
    );
    const text = String(r.stdout);
    const lines = text.split(/\r?\n/);
    const minted = lines.find((l) => l.startsWith('eyJ'))!;
    expect(minted.length).toBeGreaterThan(400);
    expect(minted).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // 64-column PEM lines, not 20-column pieces: every line of each block but its last is 64 wide
    const blocks = [...text.matchAll(/-----BEGIN ([A-Z ]+)-----\r?\n([\s\S]*?)\r?\n-----END \1-----/g)];
    expect(blocks.map((b) => b[1])).toEqual(['PRIVATE KEY', 'PUBLIC KEY']);
    for (const [, , body] of blocks) {
      const rows = body!.split(/\r?\n/);
      for (const row of rows.slice(0, -1)) expect(row).toMatch(/^[A-Za-z0-9+/]{64}$/);
      expect(rows.at(-1)).toMatch(/^[A-Za-z0-9+/=]{1,64}$/);
    }
    expect(lines.filter((l) => /^[A-Za-z0-9+/=]{64}$/.test(l)).length).toBeGreaterThanOrEqual(8);
    // and whole: the private key parses and its public half is the public block
    const pem = (b: RegExpMatchArray) => `-----BEGIN ${b[1]}-----\n${b[2]!.replace(/\r/g, '')}\n-----END ${b[1]}-----\n`;
    expect(createPublicKey(createPrivateKey(pem(blocks[0]!))).export({ type: 'spki', format: 'pem' })).toBe(pem(blocks[1]!));
    expect(text).toContain(`Signature  ${token.split('.')[2]}`);
  });
});
