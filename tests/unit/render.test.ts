import { describe, expect, it } from 'vitest';
import { CommanderError } from 'commander';
import { commanderMessage } from '../../src/cli-messages.js';
import { Output } from '../../src/output.js';
import { testSys } from '../helpers/cli.js';
import { OTHER_TOOLS_VERBS, buildProgram } from '../../src/program.js';
import { decodeToken } from '../../src/commands/decode.js';
import {
  colorEnabled,
  decryptAdvice,
  errorText,
  genSecretCopiedNote,
  hintsEnabled,
  jsonLine,
  keyText,
  PLAIN,
  renderDecodedJson,
  renderDecryptJson,
  renderEncryptedNote,
  renderEncryptResult,
  renderErrorJson,
  renderErrorLine,
  renderNoteLine,
  renderSignCopied,
  renderSignResult,
  signCopiedNote,
} from '../../src/render.js';
import { keyOutputText, keyWrittenNote } from '../../src/render-key.js';

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

describe("commanderMessage on the errors the pinned commander raises (its wording is what cli-messages.ts reads)", () => {
  const raise = async (argv: string[]): Promise<CommanderError> => {
    const out = new Output(process.stdout); // never flushed: commander's errors are thrown, not printed
    const program = buildProgram({ out, err: out, json: false, sys: testSys().sys, setExit() {} }, argv);
    try {
      await program.parseAsync(argv, { from: 'user' });
    } catch (err) {
      if (err instanceof CommanderError) return err;
      throw err;
    }
    throw new Error(`no commander error for ${argv.join(' ')}`);
  };
  it.each([
    [['gen', '--bytes', '16'], 'commander.invalidArgument', '--bytes "16" is not valid: must be a whole number from 32 to 64'],
    [['gen', '--encoding', 'b64'], 'commander.invalidArgument', '--encoding "b64" is not valid: use one of base64, base64url, hex'],
    [['key', 'thumbprint', '--hash', 'md5'], 'commander.invalidArgument', '--hash "md5" is not valid: use one of sha256, sha384, sha512'],
    [['gen', '--count'], 'commander.optionMissingArgument', '--count needs a value'],
    [['gen', '--byts', '40'], 'commander.unknownOption', 'unknown option "--byts" (Did you mean --bytes?)'],
    [['gen', '-S3cr3tPassw0rd'], 'commander.unknownOption', 'unknown option (a 15-character value, not shown)'],
    [['verfy'], 'commander.unknownCommand', 'unknown command "verfy" (Did you mean verify?)'],
    [['check', 'a', 'b'], 'commander.excessArguments', 'too many arguments: 1 expected, 2 given'],
  ])('%j: %s', async (argv, code, expected) => {
    const err = await raise(argv);
    expect(err.code).toBe(code);
    expect(commanderMessage(err.code, err.message)).toBe(expected);
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

describe('the renderers the CLI halves use (sign, encrypt, decrypt, notes)', () => {
  const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
  const NOW = 1_700_000_000;

  it('renderNoteLine: one line, escaped; errorText joins the hint as the error line does', () => {
    expect(renderNoteLine('the signature was NOT verified', PLAIN)).toBe('jwtkit: note: the signature was NOT verified\n');
    expect(renderNoteLine('a \u001b[2J b\u009b', PLAIN)).toBe('jwtkit: note: a \\x1b[2J b\\x9b\n');
    expect(errorText('no key', 'pass --key')).toBe('no key. Pass --key');
    expect(errorText('no key', undefined)).toBe('no key');
    expect(renderErrorJson('no_key', errorText('no key', 'pass --key'))).toBe('{"error":{"code":"no_key","message":"no key. Pass --key"}}\n');
    expect(renderErrorLine('internal error (a bug in jwtkit): x\u001b', undefined, PLAIN)).toBe('jwtkit: error: internal error (a bug in jwtkit): x\\x1b\n');
  });

  it('sign: the token, or {"token","header","payload"}; --copy: what was copied, and the note', () => {
    const r = { token: 'a.b.c', header: { alg: 'HS256' }, payload: { sub: 'x', exp: NOW + 60 } };
    expect(renderSignResult(r, false)).toBe('a.b.c\n');
    expect(renderSignResult(r, true)).toBe('{"token":"a.b.c","header":{"alg":"HS256"},"payload":{"sub":"x","exp":1700000060}}\n');
    expect(renderSignCopied(r, false)).toBe('');
    expect(renderSignCopied(r, true)).toBe('{"copied":true,"header":{"alg":"HS256"},"payload":{"sub":"x","exp":1700000060}}\n');
    expect(signCopiedNote('HS256', r.payload, NOW)).toBe('Copied a HS256 token to the clipboard (expires in 1m).');
    expect(signCopiedNote('ES256', {}, NOW)).toBe('Copied a ES256 token to the clipboard (no expiry).');
  });

  it('encrypt: the token line, or --json with the JSON serialization as an object', () => {
    const jwe = { protected: 'e30', ciphertext: 'x' };
    expect(renderEncryptResult({ token: 'a.b.c.d.e', jwe: null, header: { alg: 'dir' }, payload: null }, false)).toBe('a.b.c.d.e\n');
    expect(renderEncryptResult({ token: JSON.stringify(jwe), jwe, header: { alg: 'dir' }, payload: { a: 1 } }, true)).toBe(
      '{"token":{"protected":"e30","ciphertext":"x"},"header":{"alg":"dir"},"payload":{"a":1}}\n',
    );
  });

  it("decrypt --json: decode's object for a nested token, re-serialised, with the verify key's verdict", () => {
    // the token's own JSON has spaces and a number written 1.50: the nested object is written as JSON.stringify writes it
    const nested = decodeToken(`${b64('{ "alg": "HS256", "n": 1.50 }')}.${b64('{ "sub": "x\u2028", "exp": 1700000600 }')}.c2ln`, NOW);
    const base = { header: { alg: 'dir', enc: 'A256GCM', cty: 'JWT' }, plaintext: 'p', plaintextBase64url: 'cA', serialization: 'compact', recipient: null, key: 'K' };
    // what decrypt printed before: decode's --json line parsed, patched, and written again
    const before = (verification?: Record<string, unknown>) => {
      const decoded = JSON.parse(renderDecodedJson(nested)) as Record<string, unknown>;
      const patched = verification ? { ...decoded, verified: verification.valid, verification } : decoded;
      return jsonLine({ header: base.header, plaintext: 'p', plaintext_base64url: 'cA', nested: patched, serialization: 'compact', recipient: null, key: 'K' });
    };
    expect(renderDecryptJson({ ...base, nested })).toBe(before());
    const verdict = { valid: false, reason: 'expired', message: 'expired 1m ago', key: 'JWT_SECRET', failures: ['expired'] };
    expect(renderDecryptJson({ ...base, nested, verification: verdict })).toBe(before(verdict));
    expect(renderDecryptJson({ ...base, nested: null })).toBe('{"header":{"alg":"dir","enc":"A256GCM","cty":"JWT"},"plaintext":"p","plaintext_base64url":"cA","nested":null,"serialization":"compact","recipient":null,"key":"K"}\n');
    expect(renderDecryptJson({ ...base, plaintext: null, nested: null, recipient: 0 })).toContain('"plaintext":null,');
  });

  it('gen --copy note, key files and key output: PEM as it is, JSON pretty; --out says what it wrote', () => {
    expect(genSecretCopiedNote({ kind: 'secret', secret: 's', bytes: 32, bits: 256, encoding: 'base64', line: 's' })).toBe(
      "Copied a 256-bit secret to the clipboard. Paste it as JWT_SECRET in your host's secret store; never commit it.",
    );
    expect(keyText('-----BEGIN X-----\n')).toBe('-----BEGIN X-----\n');
    expect(keyText({ kty: 'oct', k: '\u009b' })).toBe('{\n  "kty": "oct",\n  "k": "\\u009b"\n}\n');
    const out = { format: 'jwks' as const, value: { keys: [] }, private: true, keys: [], notes: [] };
    expect(keyOutputText(out)).toBe('{\n  "keys": []\n}\n');
    expect(keyWrittenNote(out, 'a\u001b.json')).toBe('Wrote (a 7-character value, not shown) (private, mode 0600: keep it secret).\n');
    expect(keyWrittenNote({ ...out, private: false }, 'pub.json')).toBe('Wrote pub.json.\n');
  });

  it("decode of a JWE: the note names decrypt's option and the key, escaped", () => {
    expect(renderEncryptedNote({ alg: 'ECDH-ES', enc: 'A256GCM', epk: { crv: 'P-256' } }, PLAIN)).toBe(
      'jwtkit: note: the token is encrypted: decode shows its header only; decrypt it with `jwtkit decrypt --key PRIVATE_KEY TOKEN` (the ECDH-ES key: a P-256 private key)\n',
    );
    expect(renderEncryptedNote({ alg: 'ECDH-ES', epk: { crv: 'X\u001b[2J' } }, PLAIN)).toContain('an X\\x1b[2J private key');
    expect(renderEncryptedNote({ alg: 'x'.repeat(41) }, PLAIN)).toMatch(/TOKEN`\n$/);
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
