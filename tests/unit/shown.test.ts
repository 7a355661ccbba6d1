// The one rule for showing a user's value in a message (src/shown.ts): plain values as they are,
// anything that could be a secret by its length only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { couldBeSecret, lengthOnly, shown } from '../../src/shown.js';

const SECRET = 'Tr0ub4dor&3-ProdSecret!!';
const B64 = 'q3pcm0Rnl0n8S7rQv7Zz1oGmBQ1+YlT1YgkqlQ2y0m8';

describe('couldBeSecret', () => {
  const env = { JWT_SECRET: 'correct.horse', KEY_FILE: 'keys/app.pem', HOME: '/root' };
  const folder = mkdtempSync(join(tmpdir(), 'jwtkit-shown-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  it.each([
    // words: algorithms, durations, times, numbers, verbs, zones, claim names
    ['word', 'HS265', false],
    ['word', 'hs256', false],
    ['word', 'PBES2-HS256+A128KW', false],
    ['word', 'A128CBC-HS256', false],
    ['word', 'Ed25519', false],
    ['word', '15x', false],
    ['word', '1h30m', false],
    ['word', '-1h', false],
    ['word', '2026-11-29T16:00:00Z', false],
    ['word', '2026-11-29 16:00', false],
    ['word', '1700000000000', false],
    ['word', 'America/Argentina/ComodRivadavia', false],
    ['word', 'https://example.com/roles', false],
    ['word', 'role=admin', false],
    ['word', 'nope', false],
    ['word', 'hunter2', false],
    ['word', '', false],
    ['word', SECRET, true],
    ['word', B64, true],
    ['word', 'ThisIsMyProductionSecretKey!!', true],
    ['word', 'ThisIsMyProductionSecretKey', true],
    ['word', 'hunter2hunter2', true],
    ['word', 'Tr0ub4dor3', true],
    ['word', 'a5f3c6d2e8b1a5f3', true],
    ['word', 'correct horse battery staple', true],
    ['word', 'correct.horse', true],
    ['word', '\x1b]52;c;x\x07', true],
    ['word', 'eyJhbGciOiJIUzI1NiJ9.e30.x', true],
    // environment variable names
    ['name', 'JWT_SECRET', false],
    ['name', 'MY_APP_SECRET2', false],
    ['name', 'hunter2hunter2', true],
    ['name', 'not a name', true],
    ['name', 'AKIAIOSFODNN7EXAMPLE', true],
    ['name', 'Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE=', true],
    ['name', 'correct.horse', true],
    // paths
    ['path', 'keys/rsa.pub.pem', false],
    ['path', 'secret.txt', false],
    ['path', '/tmp/x', false],
    ['path', './secret', false],
    ['path', 'keys/app.pem', false],
    ['path', '/root', false],
    ['path', 'nope', false],
    ['path', 'key', false],
    ['path', 'hunter2', false],
    ['path', 'hunter2hunter2', true],
    ['path', SECRET, true],
    ['path', B64, true],
    ['path', 'Zm9vYmFy/mF6cXV4Zm9vYmFyYmF6+XV4Zm9vYmFyYmE=', true],
    // base64's letters, but its folder exists: a path (mkdtemp names look like this)
    ['path', join(folder, 'jwtkit-wl-0uAjj9Zm9vYmFyYmF6cXV4Zm9vYmFy'), false],
    ['path', '/Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6', true],
    ['path', 'a5f3c6d2e8b1a5f3c6d2e8b1a5f3c6d2e8b1a5f3c6d2e8b1a5f3c6d2e8b1abcd', true],
    ['path', '-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----', true],
    ['path', '{"kty":"oct","k":"abc"}', true],
    ['path', 'correct.horse', true],
    ['path', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2ln', true],
  ] as const)('%s %j → %s', (kind, text, expected) => {
    expect(couldBeSecret(text, kind, env)).toBe(expected);
  });
});

describe('shown', () => {
  it('quotes a plain word, names a path or a variable bare, and gives only the length of anything else', () => {
    expect(shown('HS265')).toBe('"HS265"');
    expect(shown('nope', 'path')).toBe('nope');
    expect(shown('JWT_SECRET', 'name')).toBe('JWT_SECRET');
    expect(shown(SECRET)).toBe('(a 24-character value, not shown)');
    expect(shown(B64, 'path')).toBe('(a 43-character value, not shown)');
    expect(shown('x!')).toBe('(a 2-character value, not shown)');
    expect(lengthOnly('x')).toBe('a 1-character value, not shown');
    for (const [n, article] of [[8, 'an'], [11, 'an'], [18, 'an'], [83, 'an'], [811, 'an'], [1, 'a'], [111, 'a'], [24, 'a'], [180, 'a']] as const) {
      expect(lengthOnly('x'.repeat(n))).toBe(`${article} ${n}-character value, not shown`);
    }
  });

  it('escapes what it shows', () => {
    const folder = mkdtempSync(join(tmpdir(), 'jwtkit-shown-'));
    try {
      expect(shown(join(folder, 'a\u202eb'), 'path')).toBe(join(folder, 'a\\u202eb'));
      expect(shown(join(folder, 'key.pem '), 'path')).toBe(JSON.stringify(join(folder, 'key.pem ')));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
