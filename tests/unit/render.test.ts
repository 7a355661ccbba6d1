import { describe, expect, it } from 'vitest';
import { commanderMessage } from '../../src/cli-messages.js';
import { OTHER_TOOLS_VERBS, buildProgram } from '../../src/program.js';
import { colorEnabled, decryptAdvice, hintsEnabled, renderErrorLine, PLAIN } from '../../src/render.js';

describe('colorEnabled', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [true, { TERM: 'dumb' }, false],
    [false, { FORCE_COLOR: '1' }, true],
    [false, { FORCE_COLOR: '' }, true],
    [true, { FORCE_COLOR: '0' }, false],
    [true, { FORCE_COLOR: 'false' }, false],
    [false, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
  ])('tty=%s env=%j → %s', (isTTY, env, expected) => {
    expect(colorEnabled({ isTTY }, env)).toBe(expected);
  });
});

describe('hintsEnabled', () => {
  it.each([
    [true, true, {}, true],
    [false, true, {}, false],
    [true, false, {}, false],
    [true, true, { NO_COLOR: '1' }, false],
    [true, true, { TERM: 'dumb' }, false],
  ])('stdout tty=%s stderr tty=%s env=%j → %s', (out, err, env, expected) => {
    expect(hintsEnabled({ isTTY: out }, { isTTY: err }, env)).toBe(expected);
  });
});

describe('error lines', () => {
  it('are one line with the fix capitalised', () => {
    expect(renderErrorLine('cannot read\nkey.pem', 'check the path', PLAIN)).toBe(
      'jwtkit: error: cannot read key.pem. Check the path\n',
    );
  });

  it.each([
    ['commander.invalidArgument', "error: option '--bytes <n>' argument '16' is invalid. must be a whole number from 32 to 64", '--bytes "16" is not valid: must be a whole number from 32 to 64'],
    ['commander.invalidArgument', "error: option '--encoding <enc>' argument 'foo' is invalid. Allowed choices are base64, base64url, hex.", '--encoding "foo" is not valid: use one of base64, base64url, hex'],
    ['commander.invalidArgument', "error: option '--alg <alg>' argument 'q3pcm0Rnl0n8S7rQv7Zz1oGmBQ1+YlT1YgkqlQ2y0m8=' is invalid. Allowed choices are HS256.", '--alg (a 44-character value, not shown) is not valid: use one of HS256'],
    ['commander.unknownCommand', "error: unknown command 'verfy'\n(Did you mean verify?)", 'unknown command "verfy" (Did you mean verify?)'],
    ['commander.unknownOption', "error: unknown option '--\u001b]52;c;x'", 'unknown option (a 10-character value, not shown)'],
    // a secret or a pasted curl fragment where an option was expected: by length, quotes or not
    ['commander.unknownOption', "error: unknown option '-S3cr3tPassw0rd'q'", 'unknown option (a 17-character value, not shown)'],
    ['commander.unknownOption', "error: unknown option '-S3cr3tPassw0rdq'", 'unknown option (a 16-character value, not shown)'],
    ['commander.unknownOption', "error: unknown option '-d 'token=eyJhbGciOiJIUzI1NiJ9.e30.x''", 'unknown option (a 37-character value, not shown)'],
    ['commander.unknownOption', "error: unknown option '--byts'\n(Did you mean --bytes?)", 'unknown option "--byts" (Did you mean --bytes?)'],
    ['commander.unknownCommand', "error: unknown command 'hunter2x'", 'unknown command (an 8-character value, not shown)'],
    ['commander.optionMissingArgument', "error: option '--at <time>' argument missing", '--at needs a value'],
    ['commander.excessArguments', "error: too many arguments for 'check'. Expected 1 argument but got 2.", 'too many arguments: 1 expected, 2 given'],
  ])('commander: %j', (code, raw, expected) => {
    expect(commanderMessage(code, raw)).toBe(expected);
  });
});

describe("other tools' verbs (tests/e2e/cli.test.ts shows the error line)", () => {
  it.each([
    ['encode', 'sign'], ['create', 'sign'], ['generate-token', 'sign'], ['validate', 'verify'], ['inspect', 'decode'], ['show', 'decode'],
    ['parse', 'decode'], ['generate', 'gen'], ['secret', 'gen'], ['rand', 'gen'], ['keygen', 'gen --alg ES256'], ['jwks', 'key jwks'],
    ['thumbprint', 'key thumbprint'], ['crack', 'audit --wordlist FILE'], ['lint', 'audit'],
  ])('%j is called %j by jwtkit', (verb, ours) => {
    expect(OTHER_TOOLS_VERBS[verb]).toBe(ours);
  });

  it('none is a jwtkit command, and the map cannot change', () => {
    const sink = { write: () => undefined, flush: async () => {} };
    const commands = buildProgram({ out: sink, err: sink, json: false, setExit() {} } as unknown as Parameters<typeof buildProgram>[0]).commands.map((c) => c.name());
    expect(commands).toContain('gen');
    for (const verb of Object.keys(OTHER_TOOLS_VERBS)) expect(commands).not.toContain(verb);
    expect(Object.isFrozen(OTHER_TOOLS_VERBS)).toBe(true);
  });
});

describe('decryptAdvice', () => {
  it.each([
    [{ alg: 'A128KW', enc: 'A128GCM' }, '--secret-env NAME', 'a 16-byte secret'],
    [{ alg: 'A192GCMKW', enc: 'A128GCM' }, '--secret-env NAME', 'a 24-byte secret'],
    [{ alg: 'A256KW', enc: 'A256GCM' }, '--secret-env NAME', 'a 32-byte secret'],
    [{ alg: 'A512KW', enc: 'A256GCM' }, '--key PRIVATE_KEY', 'its private key or secret'],
    [{ alg: 'dir', enc: 'A256CBC-HS512' }, '--secret-env NAME', 'a 64-byte secret'],
    [{ alg: 'dir', enc: 'A192GCM' }, '--secret-env NAME', 'a 24-byte secret'],
    [{ alg: 'dir', enc: 'X' }, '--secret-env NAME', 'a secret'],
    [{ alg: 'PBES2-HS256+A128KW', enc: 'A128GCM' }, '--secret-env NAME', 'a password'],
    [{ alg: 'RSA-OAEP-256', enc: 'A128GCM' }, '--key PRIVATE_KEY', 'an RSA private key'],
    [{ alg: 'ECDH-ES', enc: 'A128GCM', epk: { crv: 'X25519' } }, '--key PRIVATE_KEY', 'an X25519 private key'],
  ])('%j → %s, %s', (header, option, key) => {
    expect(decryptAdvice(header)).toEqual({ option, key });
  });
});
