// The package as a user gets it: npm pack, a global install, npx. Its own file, so that its
// ~10 s of npm run beside the other files instead of after cli.test.ts's tests.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ROOT, cleanEnv } from '../helpers/run.js';
import { TOKENS } from '../helpers/fixtures.js';

describe('packaging', () => {
  it('npm pack gives a tarball that installs globally with only runtime dependencies, and npx runs it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwtkit-pack-'));
    const pack = await execa('npm', ['pack', '--pack-destination', dir, '--json', '--ignore-scripts'], { cwd: ROOT });
    const [{ filename, files }] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['bin/jwtkit.js', 'dist/jwtkit.cjs', 'dist/front.cjs', 'dist/audit-worker.cjs', 'dist/vendor/jose.cjs', 'dist/vendor/chalk.cjs', 'dist/vendor/words.bin', 'dist/vendor/known-defaults.txt', 'dist/vendor/known-passwords.bin', 'README.md', 'LICENSE']),
    );
    expect(paths.some((p) => p.startsWith('src/') || p.startsWith('tests/'))).toBe(false);
    expect(paths.some((p) => p.includes('jwt.secrets.list'))).toBe(false);

    const prefix = join(dir, 'prefix');
    const tarball = join(dir, filename);
    const install = await execa('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: dir });
    // No install script to approve: dist/ is built into the tarball (prepack), nothing runs at install.
    expect(install.stderr).not.toMatch(/warn/i);
    const installed = readdirSync(join(prefix, 'lib', 'node_modules', 'jwtkit', 'node_modules'));
    expect(installed).toContain('clipboardy');
    for (const dev of ['commander', 'jose', 'chalk', 'vitest', 'typescript', 'esbuild']) expect(installed).not.toContain(dev);

    const gen = await execa(join(prefix, 'bin', 'jwtkit'), ['gen'], { env: cleanEnv(), extendEnv: false });
    expect(gen.stdout).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(gen.stderr).toBe('');
    const decoded = await execa(join(prefix, 'bin', 'jwtkit'), ['decode', '--json', TOKENS.HS256!], { env: cleanEnv(), extendEnv: false });
    expect(JSON.parse(decoded.stdout).header.alg).toBe('HS256');

    const npx = await execa('npx', ['--yes', '--prefer-offline', `--package=${tarball}`, 'jwtkit', 'gen', '--encoding', 'hex'], { cwd: dir });
    expect(npx.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(tarball)).toBe(true);
  }, 180_000);
});

