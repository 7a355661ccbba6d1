'use strict';
// dist/cli.cjs (required by bin/jwtkit.js): runs the CLI bundle, dist/jwtkit.cjs, from the V8
// code cache that scripts/build.mjs wrote to dist/jwtkit.cache. Compiling the bundle is ~5% of
// `jwtkit gen`; deserialising the cache costs a fraction of that.
//
// V8 checks a cache only against the source's length (and its own version and flags), so the
// cache file starts with the exact bundle it was made from, and is used only when dist/jwtkit.cjs
// is byte for byte that copy (one memcmp). An edited bundle, or a Node that made another cache,
// just compiles as usual. Nothing is written at run time (installed files may be read-only).
// JWTKIT_CODE_CACHE=report prints on stderr whether the cache was used (for bench/startup).
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const file = join(__dirname, 'jwtkit.cjs');
const cacheFile = join(__dirname, 'jwtkit.cache');
const source = readFileSync(file);
let cachedData;
let status = 'missing';
try {
  const cache = readFileSync(cacheFile);
  const length = cache.readUInt32LE(0);
  status = 'stale';
  if (length === source.length && source.equals(cache.subarray(4, 4 + length))) {
    cachedData = cache.subarray(4 + length);
  }
} catch {}

const script = new vm.Script(Module.wrap(source.toString('latin1')), { filename: file, cachedData });
if (cachedData) status = script.cachedDataRejected ? 'rejected' : 'used';
if (process.env.JWTKIT_CODE_CACHE === 'report') process.stderr.write(`jwtkit: code cache ${status}\n`);
if (process.env.JWTKIT_WRITE_CODE_CACHE === '1') {
  process.once('exit', () => {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(source.length);
    writeFileSync(cacheFile, Buffer.concat([length, source, script.createCachedData()]));
  });
}

// Node 20 allows import() only in code it compiled itself, such as this file, not the bundle: it
// borrows this one for clipboardy, which is ESM-only (see src/clipboard.ts).
globalThis[Symbol.for('jwtkit.import')] = (specifier) => import(specifier);

const mod = new Module(file, module);
mod.filename = file;
mod.paths = Module._nodeModulePaths(__dirname);
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, __dirname);
