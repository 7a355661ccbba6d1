// What decode's warnings and audit's findings judge a token by, written once: the header members
// that name a key, the kid characters a key lookup must not see, the typ values of a JWT, and the
// size at which a time claim is milliseconds. Constants only.

/** Header members that name or carry the token's own key (RFC 7515 §4.1.2-4.1.6): never trusted. */
export const KEY_HEADERS = Object.freeze(['jku', 'x5u', 'jwk', 'x5c'] as const);

/**
 * kid characters that a verifier looking keys up by kid in a file or a query must not see: a parent
 * directory, an absolute path, a backslash, quotes, SQL comment and statement ends, shell
 * characters, control characters and spaces, a file: URL. A '/' inside (a URL kid, a cloud KMS key
 * name) is not flagged on its own.
 */
export const SUSPICIOUS_KID = /\.\.|^\/|\\|['";|`$<>]|--|[\s\x00-\x1f\x7f]|^file:/i;

/** A JWT's typ (RFC 7519 §5.1, RFC 9068's at+jwt, any media type ending in +jwt). */
export const JWT_TYP = /^(?:application\/)?(?:[a-z0-9.+-]+\+)?jwt$/i;

/** A time over this is milliseconds, not seconds (the year 5138 in seconds). */
export const MS_TIME = 1e11;
