'use strict';
// dist/cli.cjs: runs dist/core.cjs (the CLI core), and the command bundles it loads, from V8's
// code cache (NAME.cache beside NAME.cjs), written at build time by running `jwtkit gen` once.
// Compiling is ~5% of `jwtkit gen`; with the cache it is a few hundred microseconds. V8 checks a
// cache against the source and its own version: a stale or foreign one is ignored and the code
// compiles as usual. Nothing is written here at run time (installed files may be read-only).
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');
const Module = require('node:module');

const writeCache = process.env.JWTKIT_WRITE_CODE_CACHE === '1';
const loaded = new Map();

/** Like require(), for jwtkit's own CommonJS bundles, through the code cache. */
function loadCached(file) {
  const hit = loaded.get(file);
  if (hit) return hit.exports;
  const cacheFile = file.replace(/\.cjs$/, '.cache');
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
  });
  if (writeCache) process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  const mod = { exports: {}, filename: file, id: file };
  loaded.set(file, mod);
  const dir = join(file, '..');
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dir);
  return mod.exports;
}

// Code compiled through vm.Script cannot import() (Node 20 wants --experimental-vm-modules), so
// this file, which Node compiles itself, does it for them: clipboardy is ESM-only.
globalThis[Symbol.for('jwtkit.importEsm')] = (url) => import(url);

module.exports = { loadCached };
loadCached(join(__dirname, 'core.cjs'));
