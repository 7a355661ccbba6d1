// Every command's --help, made in-process from its definition (tests/helpers/parse.ts): the
// examples and the flows users need. tests/e2e/cli.test.ts runs one --help through the binary.
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/cli/check.js';
import type { CliContext } from '../../src/cli/common.js';
import { completionCommand } from '../../src/cli/completion.js';
import { decodeCommand } from '../../src/cli/decode.js';
import { genCommand } from '../../src/cli/gen.js';
import { keyCommand } from '../../src/cli/key.js';
import { signCommand } from '../../src/cli/sign.js';
import { verifyCommand } from '../../src/cli/verify.js';
import { helpText } from '../helpers/parse.js';

const COMMANDS: Record<string, (ctx: CliContext) => unknown> = {
  gen: genCommand,
  decode: decodeCommand,
  verify: verifyCommand,
  sign: signCommand,
  check: checkCommand,
  // the program is only read when the completion runs
  completion: (ctx) => completionCommand(ctx, () => { throw new Error('not needed for --help'); }),
  key: keyCommand,
};

describe('--help', () => {
  it.each(Object.keys(COMMANDS))('jwtkit %s --help ends with 2–4 examples a user can paste', (name) => {
    const text = helpText(COMMANDS[name]!);
    const tail = text.trimEnd().split('Examples:').pop()!;
    const examples = tail.split('\n').filter((l) => l.startsWith('  $ '));
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect(examples.length).toBeLessThanOrEqual(4);
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^ {2}\$ /);
  });

  it('the help names the flows users need', () => {
    expect(helpText(genCommand)).toContain('jwtkit gen --copy');
    expect(helpText(decodeCommand)).toContain('| jq -r .payload.sub');
    expect(helpText(checkCommand)).toContain('Entropy belongs to the');
  });

  it('gen --help names the .json files of --out', () => {
    expect(helpText(genCommand).replace(/\s+/g, ' ')).toContain('PREFIX.key.json and PREFIX.jwks.json with --format jwks');
  });
});
