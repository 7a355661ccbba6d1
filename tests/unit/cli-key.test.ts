// `jwtkit key`'s options and inputs, parsed in-process (tests/helpers/parse.ts): every refused
// input and the line it gets. tests/e2e/key.test.ts shows the exit code and the stderr line once.
import { describe, expect, it } from 'vitest';
import { keyCommand } from '../../src/cli/key.js';
import { key } from '../helpers/fixtures.js';
import { usageError } from '../helpers/parse.js';

describe('key: refused inputs, one line each, exit 2', () => {
  it.each([
    [['inspect', '/nonexistent.pem'], /cannot read key file \/nonexistent\.pem: no such file/],
    [['convert', key('ec256.pub.pem')], /required option '--to <format>' not specified/],
    [['convert', '--to', 'der', key('ec256.pub.pem')], /--to "der" is not valid: use one of pem, jwk, jwks/],
    [['convert', '--to', 'jwk', '--alg', 'RS256', key('ec256.pub.pem')], /--alg "RS256" does not fit .*ec256\.pub\.pem \(EC P-256\)\. It signs ES256/],
    [['thumbprint', '--hash', 'md5', key('ec256.pub.pem')], /--hash "md5" is not valid/],
    [['jwks', key('ec256.key.pem')], /ec256\.key\.pem is a private key, and a published JWKS holds public keys only\. Give its public half/],
    [['jwks', key('a128kw.jwk')], /is a secret \(oct\) key, which never goes in a published JWKS/],
    [['jwks', '--drop', 'nope', key('ec256.pub.pem')], /--drop "nope" matches no key's kid or thumbprint/],
    [['public', key('a128kw.jwk')], /is a secret \(oct\) key: it has no public half/],
    [['frob'], /unknown key command "frob"\. Use one of inspect, public, convert, thumbprint, jwks/],
  ])('key %j', async (args, message) => {
    const { message: line, exitCode } = await usageError(keyCommand, args);
    expect(exitCode).toBe(2);
    expect(line).toMatch(message);
    expect(line).not.toContain('\n');
  });
});
