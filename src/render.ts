// Data → text. Human renderings (the only place chalk is used) and JSON renderings. Functions
// here return strings; cli.ts decides where they go.
import type { GenKeyPair, GenSecret } from './commands/gen.js';

export interface Streamish {
  isTTY?: boolean | undefined;
}

/**
 * Colour only on a terminal. FORCE_COLOR (anything but 0/false) forces it, NO_COLOR (non-empty,
 * no-color.org) and TERM=dumb turn it off.
 */
export function colorEnabled(stream: Streamish, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** Friendly hints (where to paste a secret…) only for a person at a terminal. */
export function hintsEnabled(stdout: Streamish, stderr: Streamish, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stdout.isTTY === true && stderr.isTTY === true;
}

/** Semantic styles; render code names what a piece of text is, not its colour. */
export type Style = 'error' | 'warn' | 'ok' | 'bad' | 'dim' | 'bold' | 'key' | 'string' | 'number' | 'literal' | 'heading';
export type Paint = Record<Style, (text: string) => string>;

const plain = (text: string) => text;
export const PLAIN: Paint = {
  error: plain, warn: plain, ok: plain, bad: plain, dim: plain, bold: plain,
  key: plain, string: plain, number: plain, literal: plain, heading: plain,
};

/** chalk is loaded only when colour is on, so piped runs never evaluate it. */
export async function painter(enabled: boolean): Promise<Paint> {
  if (!enabled) return PLAIN;
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: 1 });
  return {
    error: c.red.bold, warn: c.yellow, ok: c.green.bold, bad: c.red.bold, dim: c.dim, bold: c.bold,
    key: c.cyan, string: c.green, number: c.yellow, literal: c.magenta, heading: c.bold.underline,
  };
}

export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

export function renderErrorLine(message: string, hint: string | undefined, paint: Paint): string {
  const oneLine = (s: string) => s.replace(/\s*\r?\n\s*/g, ' ').trim();
  const text = hint ? `${oneLine(message)}. ${capitalise(oneLine(hint))}` : oneLine(message);
  return `${paint.error('jwtkit: error:')} ${text}\n`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function renderWarningLine(message: string, paint: Paint): string {
  return `${paint.warn('jwtkit: warning:')} ${message}\n`;
}

export function renderErrorJson(code: string, message: string): string {
  return jsonLine({ error: { code, message } });
}

// ---------------------------------------------------------------------------------------------
// gen

export function renderGenSecret(result: GenSecret, json: boolean): string {
  if (!json) return `${result.line}\n`;
  const { secret, bytes, bits, encoding, name } = result;
  return jsonLine(name === undefined ? { secret, bytes, bits, encoding } : { secret, bytes, bits, encoding, name });
}

export function renderGenSecretCopied(result: GenSecret, json: boolean): string {
  if (!json) return '';
  const { bytes, bits, encoding, name } = result;
  return jsonLine({ copied: true, bytes, bits, encoding, ...(name === undefined ? {} : { name }) });
}

export function genSecretHint(result: GenSecret, paint: Paint): string {
  const name = result.name ?? 'JWT_SECRET';
  return `${paint.dim(
    `${result.bits}-bit secret. Store it as ${name} in your host's secret store (Replit: Tools → Secrets); never commit it to git.`,
  )}\n`;
}

export function renderGenKeyPair(result: GenKeyPair, json: boolean): string {
  if (json) {
    const { alg, kid, format, privateKey, publicKey, files } = result;
    return jsonLine(files ? { alg, kid, format, files } : { alg, kid, format, privateKey, publicKey });
  }
  if (result.files) return '';
  if (typeof result.privateKey === 'string' && typeof result.publicKey === 'string') {
    return result.privateKey + result.publicKey;
  }
  return `${JSON.stringify(result.privateKey, null, 2)}\n${JSON.stringify(result.publicKey, null, 2)}\n`;
}

export function genKeyPairNote(result: GenKeyPair, paint: Paint): string {
  if (result.files) {
    return `Wrote ${paint.bold(result.files.privateKey)} (private, mode 0600: keep it secret) and ${paint.bold(
      result.files.publicKey,
    )} (public, for verifiers). kid ${result.kid}\n`;
  }
  return `${paint.dim(
    `${result.alg} key pair, kid ${result.kid}: the private key first (keep it secret), then the public key (for verifiers).`,
  )}\n`;
}
