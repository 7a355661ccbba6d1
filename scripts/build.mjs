// Builds dist/ with esbuild.
//
// Start-up is a feature (`jwtkit gen` should cost what a bare `node -e` costs), so:
// - the CLI is one CommonJS bundle, dist/jwtkit.cjs: Node's ESM loader, and the eager evaluation
//   of every getter of an ESM-imported builtin (node:crypto's webcrypto…), cost ~10 ms;
// - commands inside it are initialised lazily (esbuild turns `await import('./cli/gen.js')` into
//   a deferred init), so `gen` runs none of decode's code;
// - `gen`, `--help` and `--version` run from dist/front.cjs, the same program without the other
//   commands' code (bin/jwtkit.js picks the file; see "The front" below);
// - big third-party code that only some commands need (jose, zxcvbn, chalk for colour) is a
//   separate file under dist/vendor/, required on first use, so `gen` does not even parse it;
// - commander requires node:child_process (for executable subcommands, which jwtkit does not
//   use); that drags in net, dgram and child_process, so it gets a lazy stand-in;
// - clipboardy stays external: it runs its bundled `xsel` fallback from its own folder.
// A V8 code cache was measured twice and dropped: for the one bundle (session 2) it bought 0.6% of
// `gen`'s start-up on the installed path; for dist/front.cjs (session 4) 2% of its CPU time, before
// the cost of keying it on the bundle's content: under the 3% machinery has to earn here.
// Each choice was measured with bench/startup: see README ("Start-up").
//
// `node scripts/build.mjs --if-changed` (what `npm test` runs) skips the build when dist/ is
// exactly what the last build made from the same inputs: see scripts/build-stamp.mjs.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inputsHash, isUpToDate, writeStamp, clearStamp } from './build-stamp.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
process.chdir(ROOT);
const inputs = inputsHash(ROOT);
if (process.argv.includes('--if-changed') && isUpToDate(ROOT, inputs)) {
  console.log('dist/ is up to date (its inputs and files are those of the last build)');
  process.exit(0);
}
clearStamp(ROOT);

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
  // ASCII only (esbuild escapes the rest): the bundle reads the same whatever the locale.
  charset: 'ascii',
  logLevel: 'warning',
  // lexicon.ts and clipboard.ts read import.meta.url only where __dirname is missing (under vitest).
  logOverride: { 'empty-import-meta': 'silent' },
};

/**
 * Code loaded on demand from dist/vendor/NAME.cjs: an import of `specifier` in src/ becomes a
 * require of that file, which is built from `entry`.
 */
const VENDORED = [
  { specifier: /^jose$/, name: 'jose', entry: { contents: 'module.exports = require("jose");' } },
  // Colour only: loaded on a terminal.
  { specifier: /^chalk$/, name: 'chalk', entry: { contents: 'module.exports = require("chalk");' } },
  { specifier: /(^|\/)vendor-zxcvbn-core\.js$/, name: 'zxcvbn-core', entry: 'src/vendor-zxcvbn-core.ts' },
  { specifier: /(^|\/)vendor-zxcvbn-dictionaries\.js$/, name: 'zxcvbn-dictionaries', entry: 'src/vendor-zxcvbn-dictionaries.ts' },
];

// `await import('jose')` becomes a lazy init of a stub that requires ./vendor/jose.cjs: a
// require() and not a real import(), which would start Node's ESM loader (~10 ms).
const lazyVendor = {
  name: 'lazy-vendor',
  setup(b) {
    for (const v of VENDORED) {
      b.onResolve({ filter: v.specifier }, (args) =>
        // The vendor entry files themselves are bundled normally.
        args.kind === 'entry-point' ? undefined : { path: v.name, namespace: 'vendor' },
      );
    }
    b.onLoad({ filter: /.*/, namespace: 'vendor' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`./vendor/${args.path}.cjs`)});`,
      loader: 'js',
    }));
    b.onResolve({ filter: /^\.\/vendor\// }, (args) => (args.namespace === 'vendor' ? { path: args.path, external: true } : undefined));
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

// node:crypto and node:zlib load on first use in dist/jwtkit.cjs: audit's search of the built-in
// list (its own SHA-2 in WebAssembly) needs neither, and loading both cost it ~6 ms (1.53x -> 1.47x
// decode's CPU time, paired; decode unchanged). Each export becomes a getter: esbuild copies a
// module's own properties when it is imported, so a Proxy would be read at once.
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^node:(crypto|zlib)$/ }, (args) =>
      args.namespace === 'lazy-builtin' ? { path: args.path, external: true } : { path: args.path, namespace: 'lazy-builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
      const names = Object.keys(createRequire(import.meta.url)(args.path));
      const getter = (n) => `Object.defineProperty(exports, ${JSON.stringify(n)}, { enumerable: true, get: () => load()[${JSON.stringify(n)}] });`;
      return { contents: `let real; const load = () => (real ??= require(${JSON.stringify(args.path)}));\n${names.map(getter).join('\n')}`, loader: 'js' };
    });
  },
};

await build({
  ...common,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/jwtkit.cjs',
  external: ['clipboardy'],
  plugins: [lazyVendor, lazyChildProcess, lazyBuiltins],
  define: { __JWTKIT_VERSION__: JSON.stringify(pkg.version) },
});

// The front, dist/front.cjs: the same program for `jwtkit gen`, `--help` and `--version` (what
// bin/jwtkit.js sends here), without the code only the other commands run. V8 reads and compiles
// every byte of a file it loads, and past ~120 KB the read alone costs milliseconds: the whole
// bundle cost `gen` ~10 ms more than this one (bench/startup). Each file is whole on its own, so
// no object crosses between them; the other commands' actions are stand-ins that fail as a bug
// (exit 70) if ever reached here. A test checks the two print the same help.
const OTHER_COMMANDS = /[\\/]src[\\/]cli[\\/](audit|check|completion|decode|decrypt|encrypt|key|sign|verify)\.ts$/;
const notInFront = {
  name: 'not-in-front',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) =>
      args.kind === 'dynamic-import' && OTHER_COMMANDS.test(args.importer)
        ? { path: `${relative(ROOT, args.importer).split(sep).join('/')}: ${args.path}`, namespace: 'not-in-front' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'not-in-front' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`not in dist/front.cjs: ${args.path}`)});`,
      loader: 'js',
    }));
    // audit's WebAssembly (crypto.ts imports it; only audit's key search reads it): its bytes stay
    // out of the front, and a read of them here fails as above.
    b.onResolve({ filter: /(^|\/)hmac-simd-wasm\.js$/ }, (args) => ({ path: args.path, namespace: 'not-in-front-data' }));
    b.onLoad({ filter: /.*/, namespace: 'not-in-front-data' }, (args) => ({
      contents: `module.exports = { get HMAC_SIMD_WASM() { throw new Error(${JSON.stringify(`not in dist/front.cjs: ${args.path}`)}); } };`,
      loader: 'js',
    }));
  },
};
await build({
  ...common,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/front.cjs',
  // Short names keep it well under 128 KiB, past which Node reads a file ~1 ms slower (bench/startup
  // reports its size). A stack from it (JWTKIT_DEBUG=1) names minified functions: the same run
  // through the whole bundle, `node dist/jwtkit.cjs gen …`, names them all.
  minifyIdentifiers: true,
  external: ['clipboardy'],
  plugins: [notInFront, lazyVendor, lazyChildProcess],
  define: { __JWTKIT_VERSION__: JSON.stringify(pkg.version) },
});

// The worker threads of `jwtkit audit --jobs N`: the search loop alone, started only by audit.
await build({ ...common, entryPoints: ['src/audit-worker.ts'], outfile: 'dist/audit-worker.cjs' });

for (const v of VENDORED) {
  await build({
    ...common,
    ...(typeof v.entry === 'string'
      ? { entryPoints: [v.entry] }
      : { stdin: { ...v.entry, resolveDir: process.cwd(), loader: 'js' } }),
    outfile: `dist/vendor/${v.name}.cjs`,
  });
}

// `man jwtkit`: the manual page, written from the same commander definitions as --help (src/man.ts),
// installed by `npm install -g` through package.json's "man".
{
  const { outputFiles } = await build({
    ...common,
    stdin: { contents: "export { buildProgram } from './src/program.ts'; export { manPage } from './src/man.ts';", resolveDir: process.cwd(), loader: 'ts' },
    write: false,
    outfile: 'man.cjs',
    external: ['clipboardy'],
    plugins: [lazyVendor, lazyChildProcess],
    define: { __JWTKIT_VERSION__: JSON.stringify(pkg.version) },
  });
  const dir = mkdtempSync(join(tmpdir(), 'jwtkit-man-'));
  try {
    const file = join(dir, 'man.cjs');
    writeFileSync(file, outputFiles[0].contents);
    const { buildProgram, manPage } = createRequire(import.meta.url)(file);
    const sink = { write: () => undefined, flush: async () => {} };
    mkdirSync(new URL('../dist/man', import.meta.url), { recursive: true });
    writeFileSync(new URL('../dist/man/jwtkit.1', import.meta.url), manPage(buildProgram({ out: sink, err: sink, setExit() {} }), pkg.version));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Word and hash tables for `check`, made from the zxcvbn-ts lists (see scripts/build-wordlists.mjs).
await import('./build-wordlists.mjs');

// Only a complete build leaves a stamp (a failed one has cleared it above).
writeStamp(ROOT, inputs);
