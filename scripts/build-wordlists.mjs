// Writes the lookup tables `jwtkit check` uses on its fast path, from the zxcvbn-ts word lists
// (MIT) and jwtkit's own list of defaults:
//   dist/vendor/words.bin   sorted FNV-1a hashes of every dictionary word (≥ 3 letters, lower case):
//                           a substring that hits here sends the secret to the full zxcvbn matchers
//   dist/vendor/known.bin   sorted 64-bit hashes of known secrets: the common-passwords list + defaults
//   dist/vendor/hashes.bin  sorted first 8 bytes of md5/sha1/sha256 of the commonest words
// Loading them costs a file read, where building zxcvbn's dictionaries costs ~250 ms.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

await build({ entryPoints: ['src/wordhash.ts'], outfile: 'dist/.build/wordhash.cjs', bundle: true, format: 'cjs', platform: 'node', logLevel: 'warning' });
const require = createRequire(import.meta.url);
const { fnv1a, hash64, normalizeWord, MIN_WORD_LENGTH, KNOWN_DEFAULTS } = require('../dist/.build/wordhash.cjs');
const { dictionary: common } = require('@zxcvbn-ts/language-common');
const { dictionary: en } = require('@zxcvbn-ts/language-en');

const sortedUint32 = (values) => Uint32Array.from(new Set(values)).sort();

const words = [];
for (const list of [...Object.values(common), ...Object.values(en)]) {
  for (const w of list) if (w.length >= MIN_WORD_LENGTH) words.push(fnv1a(normalizeWord(w)));
}
for (const w of KNOWN_DEFAULTS) words.push(fnv1a(normalizeWord(w)));

const known = [...common['passwords-common'], ...KNOWN_DEFAULTS].map((w) => hash64(normalizeWord(w)));

const hashed = new Set([
  ...KNOWN_DEFAULTS,
  ...common['passwords-common'].slice(0, 20000),
  ...en['commonWords-en'].slice(0, 5000),
]);
const prefixes = [];
for (const w of hashed) {
  for (const variant of new Set([w, w.toLowerCase(), `${w}\n`])) {
    for (const alg of ['md5', 'sha1', 'sha256']) {
      prefixes.push(createHash(alg).update(variant).digest().readBigUInt64BE(0));
    }
  }
}

mkdirSync('dist/vendor', { recursive: true });
const write = (name, typed) => writeFileSync(`dist/vendor/${name}`, Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength));
write('words.bin', sortedUint32(words));
write('known.bin', BigUint64Array.from(new Set(known)).sort());
write('hashes.bin', BigUint64Array.from(new Set(prefixes)).sort());
const { rmSync } = await import('node:fs');
rmSync('dist/.build', { recursive: true, force: true });
