// `jwtkit gen`: random HMAC secrets, or an asymmetric key pair with --alg.
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import {
  encodeBytes,
  exportJwk,
  exportPem,
  generateKeyPair,
  keyPairThumbprint,
  randomSecret,
  type AsymmetricAlg,
  type Jwk,
  type SecretEncoding,
} from '../crypto.js';
import { DEFAULT_SECRET_NAME, HMAC, SECRET_BYTES, isHmacAlg, type HmacAlg, type KeyFormat } from '../algs.js';
import { JwtkitError, fileErrorReason } from '../errors.js';
import { shown } from '../shown.js';
import { alphabetOf } from '../alphabets.js';


export interface GenSecretOptions {
  bytes: number;
  encoding: SecretEncoding;
  count: number;
  /** variable name for a dotenv line, or undefined for the bare secret */
  dotenv?: string | undefined;
}

export interface GenSecret {
  kind: 'secret';
  secret: string;
  bytes: number;
  bits: number;
  encoding: SecretEncoding;
  /** The line a user pastes: the secret, or NAME=secret with --dotenv. */
  line: string;
  name?: string;
}

/** pem: PKCS#8 + SPKI; jwk: private + public JWK; jwks: private JWK + the public JWKS to publish. */
export type KeyPairFormat = KeyFormat;

export interface GenKeyPairOptions {
  alg: AsymmetricAlg;
  format: KeyPairFormat;
  out?: string | undefined;
  modulusLength?: number | undefined;
}

export interface GenKeyPair {
  kind: 'keypair';
  alg: AsymmetricAlg;
  kid: string;
  format: KeyPairFormat;
  privateKey: string | Jwk;
  /** with format jwks, the public JWKS */
  publicKey: string | Jwk | { keys: Jwk[] };
  files?: { privateKey: string; publicKey: string };
}

const DOTENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** gen's options as parsed; `given(name)` says whether the command line named one (a default does not). */
export interface GenRequest {
  bytes: number;
  encoding: SecretEncoding;
  count: number;
  dotenv?: string | true | undefined;
  dotenvFile?: string | undefined;
  name?: string | undefined;
  force?: boolean | undefined;
  copy?: boolean | undefined;
  alg?: HmacAlg | AsymmetricAlg | undefined;
  format: KeyPairFormat;
  out?: string | undefined;
  modulusLength?: number | undefined;
}

/** What a gen run makes, once its options are known to go together. */
export type GenPlan =
  | ({ kind: 'keypair' } & GenKeyPairOptions)
  | { kind: 'secrets'; bytes: number; encoding: SecretEncoding; count: number; dotenv?: string | undefined; copy: boolean }
  | { kind: 'dotenv-file'; bytes: number; encoding: SecretEncoding; file: string; name: string; force: boolean };

/**
 * Which options go together: the secret options (--copy, --dotenv…, --count, --bytes, --encoding)
 * not with a key pair's --alg, the key-pair ones (--out, --format, --modulus-length) only with it;
 * an HMAC --alg sets the size (RFC 7518 §3.2: at least the hash's); --dotenv-file writes one secret
 * under --name, which goes with nothing else. `json`: --format jwks prints both halves in --json.
 */
export function planGen(request: GenRequest, given: (name: keyof GenRequest) => boolean, json: boolean): GenPlan {
  const { alg, format, out, modulusLength, encoding, count } = request;
  if (alg !== undefined && !isHmacAlg(alg)) {
    for (const name of ['copy', 'dotenvFile', 'dotenv', 'count', 'bytes', 'encoding'] as const) {
      if (given(name)) {
        const flag = name === 'dotenvFile' ? 'dotenv-file' : name;
        throw new JwtkitError(
          'usage',
          `--${flag} is for secrets, not ${alg} key pairs`,
          name === 'copy' || name === 'dotenvFile' ? 'write the keys with --out PREFIX instead (a key pair does not belong in a dotenv file)' : `drop --${name}`,
        );
      }
    }
    if (format === 'jwks' && out === undefined && !json) {
      throw new JwtkitError('usage', '--format jwks makes two files: the private key and the JWKS to publish', 'add --out PREFIX (PREFIX.key.json and PREFIX.jwks.json)');
    }
    return { kind: 'keypair', alg, format, out, modulusLength };
  }
  if (modulusLength !== undefined) throw new JwtkitError('usage', '--modulus-length is for RSA key pairs', 'add --alg RS256 (or PS256…)');
  for (const name of ['out', 'format'] as const) {
    if (given(name)) throw new JwtkitError('usage', `--${name} is for key pairs`, 'add --alg ES256 (or RS256, EdDSA…)');
  }
  let bytes = request.bytes;
  if (alg !== undefined) {
    const needed = HMAC[alg].bytes;
    if (!given('bytes')) bytes = needed;
    else if (bytes < needed) throw new JwtkitError('usage', `${alg} needs a key of at least ${needed} bytes (RFC 7518 §3.2)`, `use --bytes ${needed} or more`);
  }
  if (request.dotenvFile !== undefined) {
    for (const [name, flag, hint] of [
      ['dotenv', '--dotenv', 'use --name NAME for the variable'],
      ['copy', '--copy', 'drop --copy'],
    ] as const) {
      if (request[name] !== undefined) throw new JwtkitError('usage', `--dotenv-file writes the secret into the file; ${flag} does not go with it`, hint);
    }
    if (count !== 1) throw new JwtkitError('usage', '--dotenv-file holds one secret', 'drop --count');
    return { kind: 'dotenv-file', bytes, encoding, file: request.dotenvFile, name: request.name ?? DEFAULT_SECRET_NAME, force: request.force === true };
  }
  for (const name of ['name', 'force'] as const) {
    if (request[name] !== undefined) throw new JwtkitError('usage', `--${name} is for --dotenv-file`, `add --dotenv-file .env${name === 'name' ? ' (or use --dotenv NAME to print the line)' : ''}`);
  }
  if (request.copy && count !== 1) throw new JwtkitError('usage', '--copy holds one secret', 'drop --count, or drop --copy to print them');
  const dotenv = request.dotenv === true ? DEFAULT_SECRET_NAME : request.dotenv;
  return { kind: 'secrets', bytes, encoding, count, dotenv, copy: request.copy === true };
}

export function* genSecrets(options: GenSecretOptions): Generator<GenSecret> {
  const { bytes, encoding, count, dotenv } = options;
  if (!Number.isInteger(bytes) || bytes < SECRET_BYTES.min || bytes > SECRET_BYTES.max) {
    throw new JwtkitError('usage', `--bytes must be a whole number from ${SECRET_BYTES.min} to ${SECRET_BYTES.max}`);
  }
  if (dotenv !== undefined && !DOTENV_NAME_RE.test(dotenv)) {
    throw new JwtkitError('usage', 
      '--dotenv needs a variable name of letters, digits and underscores',
      'for example --dotenv JWT_SECRET',
    );
  }
  for (let i = 0; i < count; i++) {
    const secret = drawSecret(bytes, encoding);
    const result: GenSecret = {
      kind: 'secret',
      secret,
      bytes,
      bits: bytes * 8,
      encoding,
      line: dotenv === undefined ? secret : `${dotenv}=${secret}`,
    };
    if (dotenv !== undefined) result.name = dotenv;
    yield result;
  }
}

/**
 * Whether `check` credits `secret` with every bit of its `bytes`: it credits a text with the
 * smallest standard alphabet that holds it (src/alphabets.ts). A base64 text that happens to use
 * only letters and digits (1 in 8 for 48 bytes: 64 characters, 381 bits, weak for HS384) or only
 * letters (1 in ~7,700 for 32 bytes: 245 bits, weak for HS256) fits a smaller alphabet.
 */
export function carriesItsBytes(secret: string, bytes: number): boolean {
  const data = secret.replace(/=+$/, '');
  const alphabet = alphabetOf(data);
  return alphabet !== null && data.length * Math.log2(alphabet.k) >= bytes * 8;
}

/**
 * A random secret in `encoding`, drawn again while it would carry fewer bits for `check` than its
 * bytes do, so that what gen prints always passes check for the algorithm its size serves (it
 * costs 0.19 bits at 48 bytes, far less elsewhere).
 */
function drawSecret(bytes: number, encoding: SecretEncoding): string {
  for (;;) {
    const secret = encodeBytes(randomSecret(bytes), encoding);
    if (carriesItsBytes(secret, bytes)) return secret;
  }
}

/** A key pair; with `out`, written to two new files in the text `keyText` gives each half (render.ts's keyText). */
export function genKeyPair(options: GenKeyPairOptions, keyText: (key: string | Jwk | { keys: Jwk[] }) => string): GenKeyPair {
  const { alg, format, out } = options;
  const files = out === undefined ? undefined : keyFileNames(out, format);
  // Refuse before spending time on a key we could not write.
  if (files) assertWritable(files);
  const pair = generateKeyPair(alg, { modulusLength: options.modulusLength });
  let result: GenKeyPair;
  if (format === 'jwk' || format === 'jwks') {
    const jwk = exportJwk(pair);
    const publicKey = format === 'jwks' ? { keys: [jwk.publicKey] } : jwk.publicKey;
    result = { kind: 'keypair', alg, kid: jwk.kid, format, privateKey: jwk.privateKey, publicKey };
  } else {
    const pem = exportPem(pair);
    result = { kind: 'keypair', alg, kid: keyPairThumbprint(pair), format, privateKey: pem.privateKey, publicKey: pem.publicKey };
  }
  if (files) {
    writeNewFile(files.privateKey, keyText(result.privateKey), 0o600);
    writeNewFile(files.publicKey, keyText(result.publicKey), 0o644);
    result.files = files;
  }
  return result;
}

export function keyFileNames(prefix: string, format: KeyPairFormat): { privateKey: string; publicKey: string } {
  if (prefix === '') throw new JwtkitError('usage', '--out needs a file name prefix', 'for example --out keys/jwt');
  // "keys/" or "keys/." would make hidden files (keys/.key.pem): a prefix names files, not a folder.
  if (/(^|[\\/])\.{0,2}$/.test(prefix) || isFolder(prefix)) {
    throw new JwtkitError('usage', `--out ${shown(prefix, 'path')} names a folder, not a file name prefix`, `for example --out ${prefix.replace(/[\\/]*$/, '')}/jwt`);
  }
  if (format === 'jwks') return { privateKey: `${prefix}.key.json`, publicKey: `${prefix}.jwks.json` };
  const ext = format === 'pem' ? 'pem' : 'json';
  return { privateKey: `${prefix}.key.${ext}`, publicKey: `${prefix}.pub.${ext}` };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function assertWritable(files: { privateKey: string; publicKey: string }): void {
  for (const path of [files.privateKey, files.publicKey]) {
    if (existsSync(path)) {
      throw new JwtkitError(
        'file_exists',
        `${shown(path, 'path')} already exists; jwtkit never overwrites a key file`,
        'choose another --out prefix, or move the old file away first',
      );
    }
  }
}

/** Writes a file that must not exist yet (never over an existing file), with `mode` from the start. */
export function writeNewFile(path: string, text: string, mode: number, hint = 'choose another --out prefix'): void {
  let fd: number;
  try {
    // 'wx' fails if the file appeared in the meantime: never over an existing file.
    fd = openSync(path, 'wx', mode);
  } catch (err) {
    const why = fileErrorReason(err, true);
    const never = (err as NodeJS.ErrnoException).code === 'EEXIST' ? '; jwtkit never overwrites a key file' : '';
    throw new JwtkitError('write_failed', `cannot write ${shown(path, 'path')}: ${why}${never}`, hint);
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
