// The report output rule (issue #16): decode, verify and check print the human view on a terminal
// and NDJSON when stdout is not a terminal; --pretty forces the human view in a pipe, --json forces
// JSON on a terminal. Exit codes and stderr do not depend on it.
// The rule is one decision on whether stdout is a terminal (program.ts, and main()'s own errors), so
// the real streams go through the built binary once each way: in a pipe, a report (decode) and a
// usage error (verify); on a terminal (inPty), decode's human view and check --json. Every other
// case runs in-process (cli(), tests/helpers/cli.ts: the same main()), given a stdout that is a
// terminal or not (onTerminal below).
import { describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { BIN, inPty, jwtkit, type RunResult } from '../helpers/run.js';
import { cli, testSys } from '../helpers/cli.js';
import { DURING, HS_SECRET, TOKENS } from '../helpers/fixtures.js';
import { requireTools } from '../helpers/tools.js';

const AT = ['--at', String(DURING)];
const ENV = { JWT_SECRET: HS_SECRET };
const STRONG = 'KJ0yq3bT4Xb5yE8m3Q5u2m0xYx6n1lq8c4a2V9Wm3ZQ=';

/** main() in-process with stdout and stderr terminals (as inPty gives the binary), no colour. */
async function onTerminal(args: readonly string[], env: Record<string, string> = {}): Promise<RunResult> {
  const { sys, out, err } = testSys({ env: { ...env, NO_COLOR: '1', TERM: 'xterm-256color' } });
  Object.assign(sys.stdout, { isTTY: true });
  Object.assign(sys.stderr, { isTTY: true });
  const exitCode = await main(args, sys);
  return { exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

describe('report output: the human view on a terminal, NDJSON in a pipe', () => {
  it('in a pipe, decode, verify and check print JSON; --pretty prints the same words as a terminal', async () => {
    const token = TOKENS.HS256!;
    // decode through the binary (a real pipe), verify and check in-process (stdout not a terminal)
    const [decode, verify, check] = await Promise.all([
      jwtkit(['decode', token, ...AT]),
      cli(['verify', '--secret-env', 'JWT_SECRET', token, ...AT], { env: ENV }),
      cli(['check', '--secret-env', 'S'], { env: { S: STRONG } }),
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
    // the usage error (main()'s own catch) through the binary, in a real pipe; the others in-process
    const [piped, pretty, claim, usage] = await Promise.all([
      cli(['decode', 'abc']),
      cli(['decode', '--pretty', 'abc']),
      cli(['decode', '--claim', 'sub', 'abc']),
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
    // (raw bytes through a real pipe: output-safety.test.ts's decode --claim, through the binary)
    expect(await cli(['decode', '--claim', 'sub', TOKENS.HS256!])).toMatchObject({ exitCode: 0, stdout: 'user-42\n' });
  });

  it('on a real terminal: the human view; --json forces JSON', async (ctx) => {
    requireTools(ctx, 'script');
    const token = TOKENS.HS256!;
    const at = AT.join(' ');
    const r = await inPty([`node ${BIN} decode ${token} ${at}`, 'echo ==json==', `node ${BIN} check --json --secret-env S`].join('; '), { ...ENV, S: STRONG, NO_COLOR: '1' });
    const [decode, json] = String(r.stdout).replace(/\r\n/g, '\n').split(/==\w+==\n/);
    expect(decode).toMatch(/^Header\n\{/);
    expect(decode).toContain('the signature was NOT verified');
    const lines = json!.split('\n').filter((l) => l.startsWith('{'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ verdict: 'strong' });
  });

  it('on a terminal (in-process): verify and check print the human view; decode --json forces JSON', async () => {
    const token = TOKENS.HS256!;
    const [verify, check, json] = await Promise.all([
      onTerminal(['verify', '--secret-env', 'JWT_SECRET', token, ...AT], ENV),
      onTerminal(['check', '--secret-env', 'S'], { S: STRONG }),
      onTerminal(['decode', '--json', token, ...AT]),
    ]);
    expect(verify.stdout).toMatch(/^✓ valid: HS256 signature verified/);
    expect(check.stdout).toMatch(/^✓ strong for HS256/);
    expect(JSON.parse(json.stdout)).toMatchObject({ header: { alg: 'HS256' } });
    expect([verify.exitCode, check.exitCode, json.exitCode]).toEqual([0, 0, 0]);
    // and the in-process terminal is one: decode without --json prints the human view there too
    expect((await onTerminal(['decode', token, ...AT])).stdout).toMatch(/^Header\n\{/);
  });
});
