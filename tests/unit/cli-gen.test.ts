// gen's options, parsed in-process (tests/helpers/parse.ts): every refused value and combination
// and the line it gets. tests/e2e/gen.test.ts shows the exit code and the stderr line once.
import { describe, expect, it } from 'vitest';
import { genCommand } from '../../src/cli/gen.js';
import { usageError } from '../helpers/parse.js';

describe('gen: usage errors name what is allowed', () => {
  it.each([
    [['--bytes', '16'], /--bytes "16" is not valid: must be a whole number from 32 to 64/],
    [['--bytes', '65'], /from 32 to 64/],
    [['--bytes', 'abc'], /--bytes "abc" is not valid/],
    [['--encoding', 'foo'], /use one of base64, base64url, hex/],
    [['--count', '0'], /--count "0" is not valid: must be a whole number from 1/],
    [['--alg', 'HS999'], /use one of HS256, HS384, HS512, RS256, .*EdDSA/],
    [['--frobnicate'], /unknown option "--frobnicate"/],
    [['--alg', 'HS384', '--bytes', '32'], /HS384 needs a key of at least 48 bytes/],
    [['--dotenv', 'NOT A NAME'], /--dotenv needs a variable name/],
    [['--copy', '--count', '2'], /--copy holds one secret/],
    [['--alg', 'ES256', '--copy'], /--copy is for secrets/],
    [['--out', 'x'], /--out is for key pairs/],
    [['--alg', 'RS256', '--modulus-length', '1024'], /--modulus-length "1024" is not valid/],
  ])('gen %j', async (args, message) => {
    const { message: line, exitCode } = await usageError(genCommand, args);
    expect(exitCode).toBe(2);
    expect(line).toMatch(message);
    expect(line).not.toContain('\n');
  });
});
