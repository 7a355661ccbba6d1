// Writes the lookup tables `jwtkit check` uses, from the zxcvbn-ts word lists (MIT) and jwtkit's
// own lists of defaults, placeholders and published example keys (src/wordhash.ts):
//   dist/vendor/words.bin     sorted 64-bit hashes of every dictionary word (≥ 3 letters, lower case)
//   dist/vendor/ranks.bin     for each of them, log2 of its best rank in the zxcvbn-ts lists
//   dist/vendor/known.bin     sorted 64-bit hashes of known secrets: common passwords, defaults,
//                             placeholders, published example keys
//   dist/vendor/known-defaults.txt  the known defaults, published keys and placeholders as text,
//                             one a line (audit tries them as keys, with variants)
//   dist/vendor/known-passwords.bin  the common passwords packed as keys (src/wordhash.ts
//                             packKeys: lengths, then big-endian words), for audit to load with no
//                             work per byte
//   dist/vendor/hashes.bin    md5/sha1/sha256/sha384/sha512 of ~140k words (as typed and lower case,
//                             with and without a trailing newline): per algorithm, 4096 buckets by
//                             the digest's first 12 bits, each entry the next 32 bits. check reads
//                             one bucket (two small preads), so the table's size costs no start-up.
//   dist/vendor/passphrases.bin  sorted FNV-1a hashes of passphrase-list words (EFF long list and
//                             diceware's de, pt-br and SecureDrop lists), then a byte per word: the lists holding it
//   dist/vendor/bigrams.bin   a letter-bigram model of English words (27×27 Float32 costs in bits):
//                             how cheaply a language explains a string's letters
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

await build({ entryPoints: ['src/wordhash.ts'], outfile: 'dist/.build/wordhash.cjs', bundle: true, format: 'cjs', platform: 'node', logLevel: 'warning' });
const require = createRequire(import.meta.url);
const W = require('../dist/.build/wordhash.cjs');
const { fnv1a, hash64, normalizeWord, MIN_WORD_LENGTH, KNOWN_DEFAULTS, PUBLISHED_KEYS, PLACEHOLDERS, EFF_EXTRA, HASH_ALGS, HASH_BUCKET_BITS, hashTableKey } = W;
const { dictionary: common } = require('@zxcvbn-ts/language-common');
const { dictionary: en } = require('@zxcvbn-ts/language-en');

mkdirSync('dist/vendor', { recursive: true });
const write = (name, typed) => writeFileSync(`dist/vendor/${name}`, Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength));
const sortedUint32 = (values) => Uint32Array.from(new Set(values)).sort();

// words.bin + ranks.bin: each word's hash, and log2 of its best rank in any list (a word's cost
// to an attacker who tries common words first, as zxcvbn's dictionary matcher prices it)
const rankOf = new Map();
for (const list of [...Object.values(common), ...Object.values(en)]) {
  list.forEach((w, i) => {
    if (w.length < MIN_WORD_LENGTH) return;
    const h = hash64(normalizeWord(w));
    rankOf.set(h, Math.min(rankOf.get(h) ?? Infinity, i + 1));
  });
}
for (const w of [...KNOWN_DEFAULTS, ...PLACEHOLDERS]) rankOf.set(hash64(normalizeWord(w)), 1);
// 64-bit hashes: a check looks up ~2,000 substrings of a secret, so 32 bits would find false words.
const wordHashes = BigUint64Array.from(rankOf.keys()).sort();
write('words.bin', wordHashes);
write('ranks.bin', Uint8Array.from(wordHashes, (h) => Math.min(255, Math.ceil(Math.log2(rankOf.get(h) + 1)))));

// known.bin
const known = [...common['passwords-common'], ...KNOWN_DEFAULTS, ...PLACEHOLDERS, ...PUBLISHED_KEYS].map((w) => hash64(normalizeWord(w)));
write('known.bin', BigUint64Array.from(new Set(known)).sort());

// known-defaults.txt + known-passwords.bin: the same known secrets, for `jwtkit audit` to try as
// HMAC keys (a hash cannot be tried): the defaults, published keys and placeholders as text
// (tried with their variants too), then the common passwords packed as keys (tried as written).
const asLines = (list) => `${list.filter((w) => w !== '' && !/[\r\n]/.test(w)).join('\n')}\n`;
const defaults = [...new Set([...KNOWN_DEFAULTS, ...PUBLISHED_KEYS, ...PLACEHOLDERS])];
const inDefaults = new Set(defaults);
writeFileSync('dist/vendor/known-defaults.txt', asLines(defaults));
const passwords = [...new Set(common['passwords-common'])].filter((w) => w !== '' && !/[\r\n]/.test(w) && !inDefaults.has(w));
writeFileSync('dist/vendor/known-passwords.bin', W.packKeys(passwords.map((w) => Buffer.from(w))));

// passphrases.bin: for each word of a passphrase generator's list, which lists hold it.
// Lists (bit, in PASSPHRASE_LISTS order): the EFF long list (zxcvbn-ts ships it as
// diceware-common, without hyphens), diceware's German, Brazilian Portuguese and SecureDrop lists.
const { readFileSync } = await import('node:fs');
const lists = [
  [...common['diceware-common'], ...EFF_EXTRA],
  ...['diceware-de', 'diceware-pt-br', 'diceware-en-securedrop'].map((n) => readFileSync(`scripts/wordlists/${n}.txt`, 'utf8').split('\n').filter((w) => w !== '')),
];
const masks = new Map();
lists.forEach((list, bit) => {
  for (const w of list) {
    const h = fnv1a(w.toLowerCase());
    masks.set(h, (masks.get(h) ?? 0) | (1 << bit));
  }
});
const passHashes = sortedUint32([...masks.keys()]);
writeFileSync('dist/vendor/passphrases.bin', Buffer.concat([Buffer.from(passHashes.buffer), Buffer.from(Uint8Array.from(passHashes, (h) => masks.get(h)))]));

// hashes.bin
const hashed = new Set([
  ...KNOWN_DEFAULTS, ...PLACEHOLDERS, ...PUBLISHED_KEYS,
  ...common['passwords-common'], ...common['diceware-common'],
  ...en['commonWords-en'], ...en['wikipedia-en'], ...en['firstnames-en'],
]);
// Common mangling: a top word or password followed by a year or a short suffix.
const top = [...new Set([...common['passwords-common'].slice(0, 1000), ...en['commonWords-en'].slice(0, 1000), ...KNOWN_DEFAULTS])];
for (const w of top) {
  for (const suffix of ['1', '12', '123', '1234', '!', ...Array.from({ length: 16 }, (_, i) => String(2015 + i))]) {
    hashed.add(w + suffix);
    hashed.add(w[0].toUpperCase() + w.slice(1) + suffix);
  }
}
// Labels and their pairs: `api-secret`, `jwt_key`, `myappsecret`.
const LABELS = ['jwt', 'jwtkit', 'myapp', 'app', 'api', 'auth', 'token', 'key', 'secret', 'hmac', 'signing', 'session', 'admin', 'root', 'prod', 'dev', 'test', 'acme', 'my', 'access', 'refresh', 'private', 'server', 'backend', 'web', 'service'];
for (const a of LABELS) {
  hashed.add(a);
  for (const b of LABELS) for (const sep of ['-', '_', '', '.']) hashed.add(`${a}${sep}${b}`);
}
const variants = new Set();
for (const w of hashed) {
  for (const v of new Set([w, w.toLowerCase()])) {
    variants.add(v);
    variants.add(`${v}\n`);
  }
}
const BUCKETS = 1 << HASH_BUCKET_BITS;
const header = new Uint32Array(HASH_ALGS.length * (BUCKETS + 1));
const bodies = [];
let offset = header.byteLength;
HASH_ALGS.forEach((alg, a) => {
  // The digest's first 44 bits (hashTableKey): 12 pick the bucket, 32 are stored.
  const keys = new Float64Array(variants.size);
  let n = 0;
  for (const v of variants) keys[n++] = hashTableKey(createHash(alg).update(v).digest());
  const sorted = Float64Array.from(new Set(keys)).sort();
  const body = Buffer.alloc(sorted.length * 4);
  let bucket = 0;
  for (let i = 0; i < sorted.length; i++) {
    const b = Math.floor(sorted[i] / 2 ** 32);
    while (bucket <= b) header[a * (BUCKETS + 1) + bucket++] = offset + i * 4;
    body.writeUInt32BE(sorted[i] % 2 ** 32, i * 4);
  }
  while (bucket <= BUCKETS) header[a * (BUCKETS + 1) + bucket++] = offset + sorted.length * 4;
  bodies.push(body);
  offset += body.length;
});
writeFileSync('dist/vendor/hashes.bin', Buffer.concat([Buffer.from(header.buffer), ...bodies]));

// bigrams.bin: P(next | previous) over a-z and the word boundary (index 26), Laplace-smoothed,
// stored as costs in bits. Trained on English words weighted by rank (common words count more).
const counts = new Float64Array(27 * 27);
const train = (word, weight) => {
  let prev = 26;
  for (const ch of word) {
    const c = ch.charCodeAt(0) - 97;
    if (c < 0 || c > 25) { prev = 26; continue; }
    counts[prev * 27 + c] += weight;
    prev = c;
  }
  counts[prev * 27 + 26] += weight;
};
en['commonWords-en'].forEach((w, i) => train(w, 1 / Math.sqrt(i + 10)));
en['wikipedia-en'].forEach((w, i) => train(w, 0.5 / Math.sqrt(i + 10)));
const costs = new Float32Array(27 * 27);
for (let p = 0; p < 27; p++) {
  let total = 0;
  for (let c = 0; c < 27; c++) total += counts[p * 27 + c];
  for (let c = 0; c < 27; c++) costs[p * 27 + c] = -Math.log2((counts[p * 27 + c] + total * 0.0005) / (total * (1 + 27 * 0.0005)));
}
write('bigrams.bin', costs);

rmSync('dist/.build', { recursive: true, force: true });
