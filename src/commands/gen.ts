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
import { SECRET_BYTES, type KeyFormat } from '../algs.js';
import { JwtkitError, fileErrorReason } from '../errors.js';
import { safeJson } from '../safe-text.js';
import { shown } from '../shown.js';


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
 * A random secret in `encoding`. A base64 text that happens to use only letters and digits (1 in
 * 8 for 48 bytes) also fits an alphanumeric generator, which `check` credits at 5.95 bits a
 * character: 381 bits for 48 bytes, weak for HS384. Such a draw is made again, so that what gen
 * prints always passes check for the algorithm its size serves (it costs 0.19 bits at 48 bytes).
 */
function drawSecret(bytes: number, encoding: SecretEncoding): string {
  for (;;) {
    const secret = encodeBytes(randomSecret(bytes), encoding);
    if (encoding === 'hex' || /[^A-Za-z0-9=]/.test(secret)) return secret;
    // Only where letters and digits would carry fewer bits than the bytes do (48 bytes: 64
    // characters, 381 < 384); elsewhere keeping every draw keeps the full entropy.
    if (secret.replace(/=+$/, '').length * Math.log2(62) >= bytes * 8) return secret;
  }
}

export function genKeyPair(options: GenKeyPairOptions): GenKeyPair {
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

function keyText(key: string | Jwk | { keys: Jwk[] }): string {
  return typeof key === 'string' ? key : `${safeJson(JSON.stringify(key, null, 2))}\n`;
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
