// The README's "From HS256 to ES256" walk-through, run as written: the shell block is taken from
// the README itself, with `jwtkit` on PATH being the built binary.
//
// Its 11 processes are the point (a user's shell running the README's commands; ~0.15-0.2 s of CPU
// each, nothing else in the test costs much): keep it a real run. Other files lean on it for what
// a process shows of these commands: gen --out's two files and the private key's mode 0600
// (gen.test.ts), key jwks, key thumbprint and key inspect succeeding through the binary
// (key.test.ts), and $(…) and > capturing sign's and key jwks's stdout.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, cleanEnv } from '../helpers/run.js';
import { cli } from '../helpers/cli.js';

function walkthrough(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('### From HS256 to ES256')[1];
  const block = section?.match(/```sh\n([\s\S]*?)```/)?.[1];
  if (!block) throw new Error('the README has no "From HS256 to ES256" shell block');
  return block;
}

describe('README: from HS256 to ES256', () => {
  it('runs as written: make a pair, publish a JWKS, sign with the kid, verify with the JWKS, rotate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwtkit-walkthrough-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'jwtkit'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(bin, 'jwtkit'), 0o755);
    const work = join(dir, 'app');
    mkdirSync(work);

    const r = await execa('bash', ['-euo', 'pipefail', '-c', walkthrough()], {
      cwd: work,
      env: cleanEnv({ PATH: `${bin}:${process.env.PATH}` }),
      extendEnv: false,
      reject: false,
      // as from a terminal: nothing piped in (sign would read a payload from a pipe)
      stdin: 'ignore',
    });
    expect(r.exitCode, String(r.stderr)).toBe(0);

    const kid = async (file: string) => (await cli(['key', 'thumbprint', join(work, file)])).stdout.trim();
    const [old, next] = [await kid('keys/2026.pub.pem'), await kid('keys/2027.pub.pem')];
    const lines = String(r.stdout).split('\n');
    // step 4 and the verification after the switch, each with its key's kid
    expect(lines[0]).toMatch(new RegExp(`^✓ valid: ES256 signature verified with public/jwks\\.json kid ${old}; expires in 1[45]m`));
    expect(lines[1]).toMatch(new RegExp(`^✓ valid: ES256 signature verified with public/jwks\\.json kid ${next}; expires in 1[45]m`));
    // the last inspect: only the new key is left
    expect(lines[2]).toMatch(new RegExp(`^EC P-256 public key \\(JWKS member, public/jwks\\.json\\)$`));
    expect(lines).toContain(`  kid         ${next}`);
    const published = JSON.parse(readFileSync(join(work, 'public/jwks.json'), 'utf8'));
    expect(published.keys.map((k: { kid: string }) => k.kid)).toEqual([next]);
    expect(published.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', use: 'sig', alg: 'ES256' });
    expect(published.keys[0].d).toBeUndefined();
    for (const year of ['2026', '2027']) expect(statSync(join(work, `keys/${year}.key.pem`)).mode & 0o777).toBe(0o600);
  });
});
