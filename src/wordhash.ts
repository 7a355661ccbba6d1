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
export const KNOWN_DEFAULTS: readonly string[] = [
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
  'your-session-secret', 'qwertyuiopasdfghjklzxcvbnm123456', 'gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr9C',
];

export function normalizeWord(word: string): string {
  return word.toLowerCase();
}
