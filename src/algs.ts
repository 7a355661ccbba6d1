// Names of algorithms and encodings: constants only, so the CLI's option definitions can use
// them without loading node:crypto.

export const SECRET_ENCODINGS = ['base64', 'base64url', 'hex'] as const;
export type SecretEncoding = (typeof SECRET_ENCODINGS)[number];

export const HMAC_ALGS = ['HS256', 'HS384', 'HS512'] as const;
export type HmacAlg = (typeof HMAC_ALGS)[number];

export const ASYMMETRIC_ALGS = [
  'RS256', 'RS384', 'RS512',
  'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512',
  'EdDSA',
] as const;
export type AsymmetricAlg = (typeof ASYMMETRIC_ALGS)[number];
