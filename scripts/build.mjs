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
import { readFileSync, rmSync } from 'node:fs';

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
};

/** Libraries loaded on demand from dist/vendor/NAME.cjs. */
const VENDORED = ['jose'];

const lazyVendor = {
  name: 'lazy-vendor',
  setup(b) {
    const filter = new RegExp(`^(${VENDORED.join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: `./vendor/${args.path}.cjs`, external: true }));
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
  outfile: 'dist/cli.cjs',
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

for (const name of VENDORED) {
  await build({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: process.cwd(), loader: 'js' },
    outfile: `dist/vendor/${name}.cjs`,
  });
}
