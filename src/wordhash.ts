// The word hashing shared by the build (which writes dist/vendor/*.bin from the zxcvbn-ts word
// lists) and by check (which looks words up in those files). FNV-1a, 32 bits, over UTF-16 units.

export function fnv1a(text: string, basis = 0x811c9dc5): number {
  let h = basis;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * 64 bits from two FNV-1a passes with different bases, for exact-membership tables (known
 * secrets), where a 32-bit collision (1 in ~80,000 lookups against 50,000 entries) would call a
 * random key "known".
 */
export function hash64(text: string): bigint {
  return (BigInt(fnv1a(text)) << 32n) | BigInt(fnv1a(text, 0x2f4a_9c31));
}

/** Shortest dictionary word worth a lookup: 1–2 letter matches explain nothing. */
export const MIN_WORD_LENGTH = 3;

/**
 * Defaults and placeholders found in real deployments (facts, written here by hand): jwt.io's
 * examples, framework defaults, tutorial values. The big published list (wallarm/jwt-secrets)
 * is not shipped; users pass it with --wordlist.
 */
export const KNOWN_DEFAULTS: readonly string[] = Object.freeze([
  'your-256-bit-secret', 'your-384-bit-secret', 'your-512-bit-secret', 'a-string-secret-at-least-256-bits-long',
  'shhhhhhared-secret', 'shhhhh', 'shhhhhh', 'keyboard cat', 'keyboard-cat',
  'super-secret-jwt-token-with-at-least-32-characters-long',
  'changeme', 'change-me', 'change_me', 'changeit', 'change-this-secret-in-production', 'change-this-in-production',
  '<random_string_at_least_32_characters_long>', 'random_string_at_least_32_characters_long',
  'jwt_secret', 'jwt-secret', 'jwtsecret', 'jwt_secret_key', 'jwt-secret-key', 'secret_key', 'secret-key', 'secretkey',
  'secret', 'secrets', 'mysecret', 'my-secret', 'my_secret', 'mysecretkey', 'my-secret-key', 'my_secret_key',
  'supersecret', 'super-secret', 'super_secret', 'supersecretkey', 'super-secret-key', 'topsecret', 'top-secret',
  'your-secret-key', 'your_secret_key', 'yoursecretkey', 'your-jwt-secret', 'your_jwt_secret', 'your-secret',
  'your_secret_key_here', 'your-secret-key-here', 'your-super-secret-jwt-key', 'your-super-secret-key',
  'replace-me', 'replace_me', 'replace-with-your-secret', 'replace_with_your_secret', 'insert-secret-here',
  'secret123', 'secret1234', 'secretsecret', 'password', 'password123', 'default', 'test', 'testing', 'test-secret',
  'dev-secret', 'development', 'development-secret', 'production-secret', 's3cr3t', 'thisismysecret',
  'this-is-my-secret', 'this_is_a_secret', 'this-is-a-secret', 'jwtkey', 'jwt-key', 'token-secret', 'tokensecret',
  'auth-secret', 'authsecret', 'app-secret', 'appsecret', 'session-secret', 'sessionsecret', 'nextauth_secret',
  'your-session-secret', 'qwertyuiopasdfghjklzxcvbnm123456', 'correct horse battery staple', 'correcthorsebatterystaple',
  'correct-horse-battery-staple', 'Tr0ub4dor&3', 'gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr9C',
  // What an unset or mis-read setting becomes: String(undefined) in JavaScript, str(None) in
  // Python, Ruby's and Go's nil, an object where a string was meant, the variable's own name.
  'undefined', 'null', 'None', 'nil', '<nil>', '[object Object]', 'JWT_SECRET', 'SECRET_KEY', 'SECRET', 'Secret', 'jwt', 'key',
]);

/**
 * Example keys published in specifications and popular documentation: anyone can sign with them.
 * RFC 7515 A.1 (also RFC 7519 §3.1, RFC 7797), RFC 7517 A.3 / RFC 7516 A.3, RFC 7520 §3.5, §5.6,
 * §5.8; Hasura's docs; the hex keys of the most copied Spring Boot JWT tutorials.
 */
export const PUBLISHED_KEYS: readonly string[] = Object.freeze([
  'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
  'GawgguFyGrWKav7AX4VKUg',
  'hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg',
  'XctOhJAkA-pD9Lh7ZgW_2A',
  'GZy6sIZ6wl9NJOKB-jnmVQ',
  '3EK6FD+o0+c7tzBNVfjpMkNDi2yARAAKzQlk8O2IKoxQu4nF7EdAh8s3TwpHwrdWT6R',
  '404E635266556A586E3272357538782F413F4428472B4B6250645367566B5970',
  '404E635266556A586E3272357538782F413F4428472B4B6250655368566D5971',
  '5367566B59703373367639792F423F4528482B4D6251655468576D5A71347437',
  '@NcRfUjXn2r5u8x/A?D(G+KbPdSgVkYp',
  // FastAPI's OAuth2/JWT tutorial; Flask's docs (secrets.token_hex() example and the bytes literal)
  '09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7',
  '192b9bdd22ab9ed4d12e236c78afcb9a393ec15f71bbf5dc987d54727823bcbf',
  '_5#y2L"F4Q8z\\n\\xec]/',
  'bezKoderSecretKey',
  '======================BezKoder=Spring===========================',
]);

/** Instructions written where the secret belongs, in several languages (lower case). */
export const PLACEHOLDERS: readonly string[] = Object.freeze([
  'replace_with_your_secret', 'replace-with-your-secret', 'replace_me_with_a_real_secret', 'change_me_in_production',
  'changeme_in_production', 'change-me-in-production', 'put-your-secret-here', 'put_your_secret_here', 'your-secret-here',
  'your_secret_here', 'insert_your_secret_here', 'enter-your-secret-here', 'generate-a-secret', 'generate_a_random_secret',
  'pon-tu-secreto-aqui', 'pon_tu_secreto_aqui', 'tu-clave-secreta', 'tu_clave_secreta', 'cambiar-esto', 'cambiame',
  'mettez-votre-secret-ici', 'votre-secret-ici', 'votre_cle_secrete', 'changez-moi', 'a-changer',
  'ihr-geheimnis-hier', 'geheimer-schluessel', 'hier-geheimnis-eintragen', 'bitte-aendern', 'aendern',
  'coloque-seu-segredo-aqui', 'seu-segredo-aqui', 'sua-chave-secreta', 'mude-isto', 'altere-isto',
  'inserisci-qui-il-segreto', 'la-tua-chiave-segreta', 'cambiami',
]);

/** Passphrase word lists, in the bit order of dist/vendor/passphrases.bin: name and size. */
export const PASSPHRASE_LISTS: readonly { readonly name: string; readonly size: number }[] = Object.freeze(
  [
    { name: 'the EFF long list (diceware, xkcdpass)', size: 7776 },
    { name: "diceware's German list", size: 7776 },
    { name: "diceware's Portuguese list", size: 7776 },
    { name: "diceware's SecureDrop list", size: 8192 },
  ].map((list) => Object.freeze(list)),
);

/** EFF long-list words that zxcvbn-ts's copy stores without their hyphen. */
export const EFF_EXTRA: readonly string[] = Object.freeze(['drop-down', 'felt-tip', 't-shirt', 'yo-yo']);

/** The digests checked as "a hash of a word", in the order of dist/vendor/hashes.bin. */
export const HASH_ALGS = Object.freeze(['md5', 'sha1', 'sha256', 'sha384', 'sha512'] as const);
export const HASH_LENGTHS: readonly number[] = Object.freeze([16, 20, 32, 48, 64]);
/**
 * hashes.bin: 2^12 buckets per algorithm by the digest's first 12 bits; the next 32 bits stored
 * (4 bytes an entry). 44 bits in all: with ~385,000 entries an algorithm, a random digest matches
 * one in ~46 million lookups (36 bits, as before, made it one random key in ~180,000).
 */
export const HASH_BUCKET_BITS = 12;
/** The bits of a digest hashes.bin compares: its first 44, as a whole number (exact in a double). */
export function hashTableKey(digest: Uint8Array): number {
  return Math.floor(Buffer.from(digest.buffer, digest.byteOffset, 6).readUIntBE(0, 6) / 16);
}

export function normalizeWord(word: string): string {
  return word.toLowerCase();
}

/**
 * The built-in common passwords as `audit` loads them as keys (dist/vendor/known-passwords.bin):
 * the number of keys and of words (u32 each), each key's length in bytes (a byte each: at most
 * 64, one SHA-256 block), zeros to a multiple of 4, then each key's bytes as big-endian 32-bit
 * words (the last one zero-padded), stored little-endian. An Int32Array over the words holds
 * them as the SIMD module takes them: loading a key costs no work per byte (from text, the line
 * splitting and the byte packing cost the cold main thread more than the hashing; measured).
 */
export interface PackedKeys {
  lengths: Uint8Array;
  words: Int32Array;
}

/** The longest key packKeys takes: one SHA-256 block (longer keys would be hashed first). */
export const MAX_PACKED_KEY = 64;

export function packKeys(keys: readonly Uint8Array[]): Uint8Array {
  const wordsAt = 8 + Math.ceil(keys.length / 4) * 4;
  let words = 0;
  for (const k of keys) {
    if (k.length > MAX_PACKED_KEY) throw new Error(`packKeys: a key of ${k.length} bytes (at most ${MAX_PACKED_KEY})`);
    words += (k.length + 3) >> 2;
  }
  const out = new Uint8Array(wordsAt + words * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, keys.length, true);
  view.setUint32(4, words, true);
  let at = wordsAt;
  keys.forEach((k, i) => {
    out[8 + i] = k.length;
    for (let j = 0; j < k.length; j += 4) {
      view.setInt32(at, ((k[j] ?? 0) << 24) | ((k[j + 1] ?? 0) << 16) | ((k[j + 2] ?? 0) << 8) | (k[j + 3] ?? 0), true);
      at += 4;
    }
  });
  return out;
}

/**
 * The lengths and words of packKeys's bytes (views; a copy when the words would not be
 * aligned), or null when the sizes do not add up. The lengths are not checked one by one (a
 * loop over 49,220 of them costs ~2 ms cold): the file is jwtkit's own.
 */
export function unpackKeys(bytes: Uint8Array): PackedKeys | null {
  if (bytes.length < 8) return null;
  const header = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const count = header.getUint32(0, true);
  const words = header.getUint32(4, true);
  const wordsAt = 8 + Math.ceil(count / 4) * 4;
  if (wordsAt + words * 4 !== bytes.length) return null;
  // (new Uint8Array(bytes) copies; a Buffer's slice() would not)
  const aligned = (bytes.byteOffset + wordsAt) % 4 === 0 ? bytes : new Uint8Array(bytes);
  return { lengths: aligned.subarray(8, 8 + count), words: new Int32Array(aligned.buffer, aligned.byteOffset + wordsAt, words) };
}

/** Key k's bytes, its words starting at words[at]. */
export function packedKey(keys: PackedKeys, k: number, at: number): Uint8Array {
  const out = new Uint8Array(keys.lengths[k]!);
  for (let j = 0; j < out.length; j++) out[j] = (keys.words[at + (j >> 2)]! >>> (24 - 8 * (j & 3))) & 0xff;
  return out;
}
