// Turns the secret and key options of verify and sign into KeyMaterial: secrets from env, file or
// argv; keys from PEM/JWK/JWKS files, a JWKS URL, or an OpenID Connect issuer's discovery.
//
// What each source may contribute (README, "What jwtkit trusts"): local files any key they hold;
// a URL public keys only, over https (plain http only to loopback), redirects never downgrading.
import { parseJwkJson, parseKeyText, secretBytes, secretKeyMaterial, type KeyMaterial, type SecretEncoding } from './crypto.js';
import { shown } from './shown.js';
import type { KeyUse } from './algs.js';
import { JwtkitError } from './errors.js';
import { parseExactDuration } from './time.js';
import {
  DEFAULT_FETCH_LIMITS,
  displayUrl,
  fetchJson,
  readPassphrase,
  readSecrets,
  readTextFile,
  type FetchLimits,
  type PassphraseOptions,
  type SecretOptions,
} from './input.js';

export interface KeyOptions extends SecretOptions, PassphraseOptions {
  secretEncoding?: SecretEncoding | undefined;
  key?: string[] | undefined;
  jwks?: string | undefined;
  issuer?: string | undefined;
  /** --timeout as given ("5s", "0.5s", "2m"); see parseTimeout */
  timeout?: string | undefined;
  /** what the keys are for: signatures (verify, sign; the default) or encryption (decrypt, encrypt) */
  use?: KeyUse | undefined;
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

const IS_URL = /^https?:\/\//i;

export async function loadKeys(options: KeyOptions, env: NodeJS.ProcessEnv): Promise<LoadedKeys> {
  const limits: FetchLimits = { ...DEFAULT_FETCH_LIMITS, ...(options.timeout === undefined ? {} : { timeoutMs: parseTimeout(options.timeout) }) };
  const { secrets, warnings } = readSecrets(options, env);
  const keys: KeyMaterial[] = secrets.map((s) => {
    const key = secretKeyMaterial(s.label, secretBytes(s.text, options.secretEncoding, s.label));
    if (options.secretEncoding === undefined) key.secretText = s.text;
    return key;
  });
  const passphrase = readPassphrase(options, env);
  const use = options.use;
  for (const path of options.key ?? []) {
    keys.push(...parseKeyText(readTextFile(path, 'key file', { env }), path, warnings, { passphrase, use, notKeyHint: 'for a secret use --secret-file instead of --key' }));
  }
  if (options.jwks !== undefined) {
    const source = options.jwks;
    if (IS_URL.test(source)) {
      const fetched = await fetchJson(source, 'the JWKS', limits);
      keys.push(...parseJwkJson(fetched.json, fetched.url, { remote: true, warnings, ...(use === undefined ? {} : { use }) }));
    } else {
      keys.push(...parseKeyText(readTextFile(source, 'JWKS file', { env }), source, warnings, { use }));
    }
  }
  let issuer: string | undefined;
  if (options.issuer !== undefined) {
    if (!IS_URL.test(options.issuer)) {
      const given = options.issuer;
      throw new JwtkitError(
        'usage',
        `--issuer ${shown(given, 'word', env)} is not an http(s) URL`,
        "give the issuer's URL as in its tokens' iss, e.g. --issuer https://accounts.example.com",
      );
    }
    const discovered = await discover(options.issuer, limits);
    issuer = discovered.issuer;
    const fetched = await fetchJson(discovered.jwksUri, 'the JWKS', limits, { httpsOnly: discovered.secure });
    keys.push(...parseJwkJson(fetched.json, fetched.url, { remote: true, warnings }));
  }
  if (keys.length === 0) throw new JwtkitError('no_key', 'no secret or key given', KEY_HINT);
  if (options.secretEncoding !== undefined && secrets.length === 0) {
    throw new JwtkitError('usage', '--secret-encoding applies to secrets', 'drop it, or pass the secret with --secret-env / --secret-file');
  }
  const secretTexts = new Map(secrets.map((s) => [s.label, s.text]));
  return issuer === undefined ? { keys, warnings, secretTexts } : { keys, warnings, secretTexts, issuer };
}

/** The range of --timeout, in milliseconds: long enough for a slow server, short enough to notice. */
export const TIMEOUT_RANGE_MS = Object.freeze({ min: 100, max: 300_000 } as const);
const TIMEOUT_RANGE_TEXT = 'from 0.1s to 5m';

/** --timeout → milliseconds: "5s", "0.5s", "250ms", "1m30s", or bare seconds ("10"); 0.1 s to 5 min. */
export function parseTimeout(text: string): number {
  const seconds = parseExactDuration(text);
  if (seconds === null) {
    throw new JwtkitError('usage', `--timeout ${shown(text)} is not a duration`, `give one ${TIMEOUT_RANGE_TEXT}, e.g. --timeout 10s`);
  }
  const ms = Math.round(seconds * 1000);
  if (ms < TIMEOUT_RANGE_MS.min || ms > TIMEOUT_RANGE_MS.max) {
    throw new JwtkitError('usage', `--timeout ${shown(text.trim())} is out of range: it must be ${TIMEOUT_RANGE_TEXT}`, 'the default is 5s');
  }
  return ms;
}

/** OpenID Connect Discovery 1.0 §4: {issuer}/.well-known/openid-configuration → jwks_uri. */
async function discover(issuer: string, limits: FetchLimits): Promise<{ issuer: string; jwksUri: string; secure: boolean }> {
  const base = issuer.replace(/\/+$/, '');
  const fetched = await fetchJson(`${base}/.well-known/openid-configuration`, 'the OpenID configuration', limits);
  const doc = fetched.json as { issuer?: unknown; jwks_uri?: unknown } | null;
  const where = `the OpenID configuration at ${fetched.url}`;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new JwtkitError('fetch_failed', `${where} is not a JSON object`);
  // §4.3: the document must name its issuer, and it must be exactly the one asked for.
  const asked = displayUrl(base);
  if (typeof doc.issuer !== 'string') {
    throw new JwtkitError(
      'fetch_failed',
      `${where} ${doc.issuer === undefined ? 'names no issuer' : 'has an issuer that is not a string'}, so it cannot be checked against ${asked}`,
      'OpenID Connect Discovery §4.3 requires "issuer" to equal the issuer asked for',
    );
  }
  if (doc.issuer.replace(/\/+$/, '') !== withoutCredentials(base)) {
    throw new JwtkitError('fetch_failed', `${where} is for issuer ${doc.issuer}, not ${asked}`);
  }
  if (typeof doc.jwks_uri !== 'string') throw new JwtkitError('fetch_failed', `${where} has no jwks_uri`);
  return { issuer: doc.issuer, jwksUri: doc.jwks_uri, secure: fetched.secure };
}

function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.href.replace(/\/+$/, '');
  } catch {
    return url;
  }
}
