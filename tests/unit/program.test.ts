// The commander program as a whole: the other-tools verb map names real commands and never
// shadows one.
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/common.js';
import { buildProgram, OTHER_TOOLS_VERBS } from '../../src/program.js';

const sink = { write: () => undefined, flush: async () => {} };
const quietContext = { out: sink, err: sink, setExit: () => {} } as unknown as CliContext;

describe('OTHER_TOOLS_VERBS', () => {
  const program = buildProgram(quietContext);
  const names = program.commands.map((c) => c.name());

  it("covers the verbs of issue #16, and each names one of jwtkit's commands (and verbs)", () => {
    const issueVerbs = ['encode', 'create', 'generate-token', 'validate', 'inspect', 'show', 'parse', 'generate', 'secret', 'rand', 'keygen', 'jwks', 'thumbprint'];
    for (const verb of issueVerbs) expect(OTHER_TOOLS_VERBS, verb).toHaveProperty([verb]);
    for (const [verb, ours] of Object.entries(OTHER_TOOLS_VERBS)) {
      const [command, second] = ours.split(' ');
      const target = program.commands.find((c) => c.name() === command);
      expect(target, `${verb} → ${ours}`).toBeDefined();
      if (second !== undefined && !second.startsWith('-')) expect(target!.commands.map((c) => c.name()), `${verb} → ${ours}`).toContain(second);
      // A real command is never answered with "jwtkit calls that …".
      expect(names).not.toContain(verb);
    }
  });
});

describe('sign and encrypt: one set of claims options', () => {
  it('every claims option reads the same in both (defined once in cli/common.ts)', async () => {
    const { buildProgram } = await import('../../src/program.js');
    const sink = { write: () => undefined, flush: async () => {} };
    const program = buildProgram({ out: sink, err: sink, json: false, setExit() {} } as never);
    const claimsOf = (name: string) =>
      program.commands
        .find((c) => c.name() === name)!
        .options.filter((o) => /^--(no-)?(sub|iss|aud|exp|nbf|iat|jti|claim)\b/.test(o.long ?? ''))
        .map((o) => `${o.flags}: ${o.description}`);
    expect(claimsOf('sign')).toHaveLength(10);
    expect(claimsOf('encrypt')).toEqual(claimsOf('sign'));
    expect(claimsOf('sign').find((o) => o.startsWith('--exp'))).toMatch(/a bare number: Unix seconds/);
  });
});

describe('buildProgram(ctx, argv)', () => {
  const helpOf = (program: ReturnType<typeof buildProgram>, name: string) => program.commands.find((c) => c.name() === name)!.helpInformation();
  const namesOf = (argv: string[] | undefined) => buildProgram(quietContext, argv).commands.map((c) => c.name());

  it('defines only the command a run names, with the help and options the whole program gives it', () => {
    const whole = buildProgram(quietContext);
    for (const name of whole.commands.map((c) => c.name()).filter((n) => n !== 'completion')) {
      const one = buildProgram(quietContext, [name, '--json']);
      expect(one.commands.map((c) => c.name())).toEqual([name]);
      expect(helpOf(one, name)).toBe(helpOf(whole, name));
    }
  });

  it('defines every command for a first argument that is not one: help COMMAND, a typo, a verb of other tools; and for completion', () => {
    const all = namesOf(undefined);
    expect(all).toHaveLength(10);
    for (const argv of [['help', 'gen'], ['--help', 'gen'], ['gne'], ['encode'], ['completion', 'bash'], ['hasOwnProperty'], ['__proto__'], ['--version', '--verbose'], ['-h', 'x']]) {
      expect(namesOf(argv), argv.join(' ')).toEqual(all);
    }
  });

  it('prints top-level help from the headers alone, the same text the whole program prints (term, description, order)', () => {
    const whole = buildProgram(quietContext);
    for (const argv of [[], ['--help'], ['-h'], ['help']]) {
      const headers = buildProgram(quietContext, argv);
      expect(headers.commands.map((c) => c.name()), argv.join(' ')).toEqual(whole.commands.map((c) => c.name()));
      expect(headers.commands.every((c) => c.options.length === 0), 'headers carry no options').toBe(true);
      for (const width of [40, 80, 200]) {
        headers.configureOutput({ getOutHelpWidth: () => width });
        whole.configureOutput({ getOutHelpWidth: () => width });
        expect(headers.helpInformation(), `${argv.join(' ')} at ${width} columns`).toBe(whole.helpInformation());
      }
    }
  });

  it('defines no command for --version alone, and keeps the version', () => {
    const program = buildProgram(quietContext, ['--version']);
    expect(program.commands).toEqual([]);
    expect(buildProgram(quietContext, ['-V']).commands).toEqual([]);
    expect(program.version()).toBe(buildProgram(quietContext).version());
  });
});
