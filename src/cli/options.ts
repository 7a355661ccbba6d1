// Secret and key options as commander parsed them → keys.ts's KeyOptions (verify and sign).
import type { SecretEncoding } from '../algs.js';
import type { KeyOptions } from '../keys.js';

export function keyOptions(opts: Record<string, unknown>): KeyOptions {
  return {
    secretEnv: opts.secretEnv as string[] | undefined,
    secretFile: opts.secretFile as string | undefined,
    secret: opts.secret as string | undefined,
    secretEncoding: opts.secretEncoding as SecretEncoding | undefined,
    key: opts.key as string[] | undefined,
    jwks: opts.jwks as string | undefined,
    issuer: opts.issuer as string | undefined,
    timeout: opts.timeout as string | undefined,
  };
}
