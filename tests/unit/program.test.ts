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

describe('buildProgram(ctx, only)', () => {
  const helpOf = (program: ReturnType<typeof buildProgram>, name: string) => program.commands.find((c) => c.name() === name)!.helpInformation();

  it('defines only the command a run names, with the help and options the whole program gives it', () => {
    const whole = buildProgram(quietContext);
    for (const name of whole.commands.map((c) => c.name()).filter((n) => n !== 'completion')) {
      const one = buildProgram(quietContext, name);
      expect(one.commands.map((c) => c.name())).toEqual([name]);
      expect(helpOf(one, name)).toBe(helpOf(whole, name));
    }
  });

  it('defines every command for a first argument that is not one: --help, help, a typo, a verb of other tools; and for completion', () => {
    const all = buildProgram(quietContext).commands.map((c) => c.name());
    for (const first of [undefined, '--help', 'help', 'gne', 'encode', 'completion', 'hasOwnProperty', '__proto__']) {
      expect(buildProgram(quietContext, first).commands.map((c) => c.name()), String(first)).toEqual(all);
    }
  });
});
