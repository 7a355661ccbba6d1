// `man jwtkit`: generated from the commander definitions, shipped, and rendered by man.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/common.js';
import { afterHelpText, manCommands, manPage, roffText } from '../../src/man.js';
import { buildProgram } from '../../src/program.js';
import { ROOT } from '../helpers/run.js';
import { requireTools } from '../helpers/tools.js';

const sink = { write: () => undefined, flush: async () => {} };
const quiet = { out: sink, err: sink, setExit: () => {} } as unknown as CliContext;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const BUILT = join(ROOT, 'dist/man/jwtkit.1');

describe('the man page', () => {
  const program = buildProgram(quiet);
  const page = manPage(program, pkg.version);

  it('has a section for every command and verb, naming every option, argument and example of its --help', () => {
    const commands = manCommands(program);
    expect(commands.map((c) => c.path)).toEqual(expect.arrayContaining(['jwtkit gen', 'jwtkit decode', 'jwtkit verify', 'jwtkit sign', 'jwtkit check', 'jwtkit completion', 'jwtkit key', 'jwtkit key inspect', 'jwtkit key jwks']));
    for (const { path, command } of commands) {
      expect(page, path).toContain(`.SS "${roffText(path.split(' ').slice(1).join(' '))}"`);
      for (const option of command.options) expect(page, `${path} ${option.flags}`).toContain(roffText(option.flags));
      for (const arg of command.registeredArguments) expect(page, `${path} <${arg.name()}>`).toContain(roffText(arg.name()));
      const after = afterHelpText(command);
      if (after) expect(page, `${path} examples`).toContain(roffText(after));
    }
    expect(page).toContain(roffText('--dotenv-file <path>'));
  });

  it('escapes roff: backslashes, leading dots and quotes, hyphens, non-ASCII', () => {
    expect(roffText('a\\b')).toBe('a\\eb');
    expect(roffText('.TH x\n\'q')).toBe('\\&.TH x\n\\&\'q');
    expect(roffText('--json')).toBe('\\-\\-json');
    expect(roffText('PEM ↔ JWK … §3 ✓')).toBe('PEM \\[u2194] JWK \\&... \\(sc3 \\[u2713]');
    expect(page).not.toMatch(/[^\x00-\x7f]/);
  });

  it('dist/man/jwtkit.1 is that page (the build writes it from the definitions), and npm installs it', () => {
    expect(readFileSync(BUILT, 'utf8')).toBe(page);
    expect(pkg.man).toEqual(['./dist/man/jwtkit.1']);
    expect(pkg.files).toContain('dist/');
  });

  it('renders with man -l, without a warning', async (ctx) => {
    requireTools(ctx, 'man');
    expect(existsSync(BUILT)).toBe(true);
    const r = await execa('man', ['-l', BUILT], { env: { MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat', LANG: 'C.UTF-8' }, reject: false });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^JWTKIT\(1\) +User Commands +JWTKIT\(1\)/);
    expect(r.stdout).toContain('jwtkit gen [options]');
    expect(r.stdout).toContain('--dotenv-file <path>');
    expect(r.stdout).toContain('jwtkit key inspect [options] [files...]');
  });
});
