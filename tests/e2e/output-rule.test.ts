// The report output rule (issue #16): decode, verify and check print the human view on a terminal
// and NDJSON when stdout is not a terminal; --pretty forces the human view in a pipe, --json forces
// JSON on a terminal. Exit codes and stderr do not depend on it.
import { describe, expect, it } from 'vitest';
import { BIN, inPty, jwtkit } from '../helpers/run.js';
import { cli } from '../helpers/cli.js';
import { DURING, HS_SECRET, TOKENS } from '../helpers/fixtures.js';
import { requireTools } from '../helpers/tools.js';

const AT = ['--at', String(DURING)];
const ENV = { JWT_SECRET: HS_SECRET };
const STRONG = 'KJ0yq3bT4Xb5yE8m3Q5u2m0xYx6n1lq8c4a2V9Wm3ZQ=';

describe('report output: the human view on a terminal, NDJSON in a pipe', () => {
  it('in a pipe, decode, verify and check print JSON; --pretty prints the same words as a terminal', async () => {
    const token = TOKENS.HS256!;
    const [decode, verify, check] = await Promise.all([
      jwtkit(['decode', token, ...AT]),
      jwtkit(['verify', '--secret-env', 'JWT_SECRET', token, ...AT], { env: ENV }),
      jwtkit(['check', '--secret-env', 'S'], { env: { S: STRONG } }),
    ]);
    expect(JSON.parse(decode.stdout)).toMatchObject({ header: { alg: 'HS256' }, verified: false, status: 'active' });
    expect(JSON.parse(verify.stdout)).toMatchObject({ valid: true, reason: null });
    expect(JSON.parse(check.stdout)).toMatchObject({ verdict: 'strong', alg: 'HS256' });
    expect([decode.exitCode, verify.exitCode, check.exitCode]).toEqual([0, 0, 0]);

    // --pretty does not depend on where stdout goes: the same main() in-process (tests/helpers/cli.ts)
    const [pdecode, pverify, pcheck] = await Promise.all([
      cli(['decode', '--pretty', token, ...AT]),
      cli(['verify', '--pretty', '--secret-env', 'JWT_SECRET', token, ...AT], { env: ENV }),
      cli(['check', '--pretty', '--secret-env', 'S'], { env: { S: STRONG } }),
    ]);
    expect(pdecode.stdout).toMatch(/^Header\n\{/);
    expect(pverify.stdout).toMatch(/^✓ valid: HS256 signature verified/);
    expect(pcheck.stdout).toMatch(/^✓ strong for HS256/);
    // stderr and exit codes are the same either way
    expect([pdecode.stderr, pverify.stderr, pcheck.stderr]).toEqual([decode.stderr, verify.stderr, check.stderr]);
    expect([pdecode.exitCode, pverify.exitCode, pcheck.exitCode]).toEqual([0, 0, 0]);
  });

  it('in a pipe an error is also JSON on stdout, with the same stderr line and exit code; --pretty leaves stdout empty', async () => {
    const [piped, pretty, claim, usage] = await Promise.all([
      jwtkit(['decode', 'abc']),
      cli(['decode', '--pretty', 'abc']),
      jwtkit(['decode', '--claim', 'sub', 'abc']),
      jwtkit(['verify', '--bogus', TOKENS.HS256!]),
    ]);
    expect(JSON.parse(piped.stdout)).toEqual({ error: { code: 'malformed', message: expect.stringMatching(/1 part/) }, index: 1 });
    expect(pretty.stdout).toBe('');
    expect(piped.stderr).toBe(pretty.stderr);
    expect([piped.exitCode, pretty.exitCode]).toEqual([2, 2]);
    // decode --claim prints the claim itself, so its errors stay off stdout unless --json
    expect(claim).toMatchObject({ exitCode: 2, stdout: '' });
    expect(JSON.parse(usage.stdout)).toMatchObject({ error: { code: 'usage' } });
    expect(usage.exitCode).toBe(2);
  });

  it('decode --claim prints the raw claim in a pipe', async () => {
    expect(await jwtkit(['decode', '--claim', 'sub', TOKENS.HS256!])).toMatchObject({ exitCode: 0, stdout: 'user-42\n' });
  });

  it('on a real terminal: the human view; --json forces JSON', async (ctx) => {
    requireTools(ctx, 'script');
    const token = TOKENS.HS256!;
    const at = AT.join(' ');
    const r = await inPty(
      [
        `node ${BIN} decode ${token} ${at}`,
        'echo ==verify==',
        `node ${BIN} verify --secret-env JWT_SECRET ${token} ${at}`,
        'echo ==check==',
        `node ${BIN} check --secret-env S`,
        'echo ==json==',
        `node ${BIN} decode --json ${token} ${at}`,
        `node ${BIN} check --json --secret-env S`,
      ].join('; '),
      { ...ENV, S: STRONG, NO_COLOR: '1' },
    );
    const [decode, verify, check, json] = String(r.stdout).replace(/\r\n/g, '\n').split(/==\w+==\n/);
    expect(decode).toMatch(/^Header\n\{/);
    expect(decode).toContain('the signature was NOT verified');
    expect(verify).toMatch(/^✓ valid: HS256 signature verified/);
    expect(check).toMatch(/^✓ strong for HS256/);
    const lines = json!.split('\n').filter((l) => l.startsWith('{'));
    expect(JSON.parse(lines[0]!)).toMatchObject({ header: { alg: 'HS256' } });
    expect(JSON.parse(lines[1]!)).toMatchObject({ verdict: 'strong' });
  });
});
