// Turns the secret and key options of verify and sign into KeyMaterial: secrets from env, file or
// argv; keys from PEM/JWK/JWKS files, a JWKS URL, or an OpenID Connect issuer's discovery.
import { parseJwkJson, parseKeyText, secretBytes, secretKeyMaterial, type KeyMaterial, type SecretEncoding } from './crypto.js';
import { JwtkitError } from './errors.js';
import { DEFAULT_FETCH_LIMITS, fetchJson, readSecrets, readTextFile, type FetchLimits, type SecretOptions } from './input.js';

export interface KeyOptions extends SecretOptions {
  secretEncoding?: SecretEncoding | undefined;
  key?: string[] | undefined;
  jwks?: string | undefined;
  issuer?: string | undefined;
  timeoutMs?: number | undefined;
}

export interface LoadedKeys {
  keys: KeyMaterial[];
  /** each secret's text as stored, by label, for `sign` to judge as `check` does */
  secretTexts: Map<string, string>;
  warnings: string[];
  /** the issuer's own identifier, from discovery, to check `iss` against */
  issuer?: string;
}

export const KEY_HINT = 'pass --secret-env JWT_SECRET, --secret-file PATH, --key FILE, --jwks FILE|URL or --issuer URL';

export async function loadKeys(options: KeyOptions, env: NodeJS.ProcessEnv): Promise<LoadedKeys> {
  const { secrets, warnings } = readSecrets(options, env);
  const keys: KeyMaterial[] = secrets.map((s) => secretKeyMaterial(s.label, secretBytes(s.text, options.secretEncoding, s.label)));
  for (const path of options.key ?? []) keys.push(...parseKeyText(readTextFile(path, 'key file'), path));
  const limits: FetchLimits = { ...DEFAULT_FETCH_LIMITS, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) };
  if (options.jwks !== undefined) {
    const source = options.jwks;
    if (/^https?:\/\//i.test(source)) keys.push(...parseJwkJson(await fetchJson(source, 'the JWKS', limits), source));
    else keys.push(...parseKeyText(readTextFile(source, 'JWKS file'), source));
  }
  let issuer: string | undefined;
  if (options.issuer !== undefined) {
    const discovered = await discover(options.issuer, limits);
    issuer = discovered.issuer;
    keys.push(...parseJwkJson(await fetchJson(discovered.jwksUri, 'the JWKS', limits), discovered.jwksUri));
  }
  if (keys.length === 0) throw new JwtkitError('no_key', 'no secret or key given', KEY_HINT);
  if (options.secretEncoding !== undefined && secrets.length === 0) {
    throw new JwtkitError('usage', '--secret-encoding applies to secrets', 'drop it, or pass the secret with --secret-env / --secret-file');
  }
  const secretTexts = new Map(secrets.map((s) => [s.label, s.text]));
  return issuer === undefined ? { keys, warnings, secretTexts } : { keys, warnings, secretTexts, issuer };
}

/** OpenID Connect Discovery 1.0 §4: {issuer}/.well-known/openid-configuration → jwks_uri. */
async function discover(issuer: string, limits: FetchLimits): Promise<{ issuer: string; jwksUri: string }> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const doc = (await fetchJson(url, 'the OpenID configuration', limits)) as { issuer?: unknown; jwks_uri?: unknown } | null;
  if (!doc || typeof doc !== 'object' || typeof doc.jwks_uri !== 'string') {
    throw new JwtkitError('fetch_failed', `the OpenID configuration at ${url} has no jwks_uri`);
  }
  // §4.3: the issuer in the document must be exactly the one asked for.
  if (typeof doc.issuer === 'string' && doc.issuer.replace(/\/+$/, '') !== issuer.replace(/\/+$/, '')) {
    throw new JwtkitError('fetch_failed', `the OpenID configuration at ${url} is for issuer ${doc.issuer}, not ${issuer}`);
  }
  return { issuer: typeof doc.issuer === 'string' ? doc.issuer : issuer, jwksUri: doc.jwks_uri };
}
