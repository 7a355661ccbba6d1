// Builds dist/ with esbuild.
//
// Start-up is a feature (`jwtkit gen` should cost what a bare `node -e` costs), so:
// - the CLI is one CommonJS bundle: Node's ESM loader, and the eager evaluation of every getter
//   of an ESM-imported builtin (node:crypto's webcrypto, node:fs's promises…), cost ~10 ms;
// - commands inside it are initialised lazily (esbuild turns `await import('./commands/x.js')`
//   into a deferred init), so `gen` runs none of decode's code;
// - big third-party code that only some commands need (jose) is a separate file under
//   dist/vendor/, required on first use, so `gen` does not even parse it;
// - commander requires node:child_process (for executable subcommands, which jwtkit does not
//   use); that drags in net, dgram and child_process, so it gets a lazy stand-in;
// - clipboardy stays external: it runs its bundled `xsel` fallback from its own folder.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'eof',
  logLevel: 'warning',
  // lexicon.ts and clipboard.ts read import.meta.url only where __dirname is missing (under vitest).
  logOverride: { 'empty-import-meta': 'silent' },
  // import() of another dist/ file becomes require(): loading through Node's ESM loader would
  // cost ~10 ms a command. (clipboardy, ESM-only, is imported at run time: see clipboard.ts.)
  supported: { 'dynamic-import': false },
};

/**
 * Code loaded on demand from dist/vendor/NAME.cjs: an import of `specifier` in src/ becomes a
 * require of that file, which is built from `entry`.
 */
const VENDORED = [
  { specifier: 'jose', name: 'jose', entry: { contents: 'module.exports = require("jose");' } },
  { specifier: /(^|\/)vendor-zxcvbn-core\.js$/, name: 'zxcvbn-core', entry: 'src/vendor-zxcvbn-core.ts' },
  { specifier: /(^|\/)vendor-zxcvbn-dictionaries\.js$/, name: 'zxcvbn-dictionaries', entry: 'src/vendor-zxcvbn-dictionaries.ts' },
];

/** dist/vendor/ as seen from the bundle being built (dist/*.cjs or dist/cli/*.cjs). */
const vendorPrefix = (b) => (/[\\/]cli[\\/][^\\/]+$/.test(b.initialOptions.outfile ?? '') ? '../vendor/' : './vendor/');

const lazyVendor = {
  name: 'lazy-vendor',
  setup(b) {
    for (const v of VENDORED) {
      const filter = typeof v.specifier === 'string' ? new RegExp(`^${v.specifier}$`) : v.specifier;
      b.onResolve({ filter }, (args) =>
        // The vendor entry files themselves are bundled normally.
        args.kind === 'entry-point' ? undefined : { path: `${vendorPrefix(b)}${v.name}.cjs`, external: true },
      );
    }
  },
};

const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'lazy-child-process', namespace: 'shim' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'shim' }, () => ({
      contents:
        "let real; module.exports = new Proxy({}, { get(_, key) { real ??= require('node:child_process'); return real[key]; } });",
      loader: 'js',
    }));
  },
};

await build({
  ...common,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/core.cjs',
  external: ['clipboardy'],
  plugins: [lazyVendor, lazyChildProcess],
  define: { __JWTKIT_VERSION__: JSON.stringify(pkg.version) },
});

// The worker thread that takes every other batch of `verify` on big inputs.
await build({
  ...common,
  entryPoints: ['src/verify-worker.ts'],
  outfile: 'dist/verify-worker.cjs',
  plugins: [lazyVendor, lazyChildProcess],
});

for (const v of VENDORED) {
  await build({
    ...common,
    ...(typeof v.entry === 'string'
      ? { entryPoints: [v.entry] }
      : { stdin: { ...v.entry, resolveDir: process.cwd(), loader: 'js' } }),
    outfile: `dist/vendor/${v.name}.cjs`,
  });
}

// Word and hash tables for `check`, made from the zxcvbn-ts lists (see scripts/build-wordlists.mjs).
await import('./build-wordlists.mjs');

// dist/cli.cjs runs the core and the command bundles from V8 code caches (scripts/loader.cjs).
// Each run below writes the caches of what it loaded, with the functions it used compiled in;
// `gen` runs last, so the core's cache is the one for the start-up that matters most.
copyFileSync('scripts/loader.cjs', 'dist/cli.cjs');
const sample = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjYWNoZSJ9.c2lnbmF0dXJl';
for (const args of [['check', '--secret-env', 'JWTKIT_CACHE_SECRET'], ['decode', sample], ['gen']]) {
  execFileSync(process.execPath, ['dist/cli.cjs', ...args], {
    env: { ...process.env, JWTKIT_WRITE_CODE_CACHE: '1', NO_COLOR: '1', JWTKIT_CACHE_SECRET: 'q3pcm0Rnl0n8S7rQv7Zz1oGmBQ1+YlT1YgkqlQ2y0m8=' },
    stdio: 'ignore',
  });
}
