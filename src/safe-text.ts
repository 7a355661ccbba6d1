// The one escaper for human output. Whatever comes from a token, a key file, a server or a word
// list may hold terminal controls (ESC [2J clears the screen, OSC 52 writes the clipboard, C1's
// CSI and OSC do the same in one byte) or bidi controls that make text read backwards (Trojan
// Source). Human text shows them as visible escapes; JSON output keeps the exact values, with
// these characters as \u escapes (safeJson).

/**
 * C0 controls, DEL, C1 (U+0080–U+009F), the bidi controls (U+061C, U+200E/F, U+202A–E,
 * U+2066–9) and the line/paragraph separators U+2028/9.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');
/** The same, less C0 (which JSON.stringify already escapes). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const UNSAFE_IN_JSON_ALL = new RegExp(UNSAFE_IN_JSON.source, 'g');

const SHORT: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const hex = (c: string, width: number) => c.charCodeAt(0).toString(16).padStart(width, '0');

/** Text for a terminal: `\x1b`, `\x9b`, `\u202e`, `\n`… instead of the characters themselves. */
export function safeText(text: string): string {
  // The common case costs one test of a regular expression and no allocation.
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, (c) => SHORT[c] ?? (c.charCodeAt(0) < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

/** JSON text (from JSON.stringify) for a terminal: still valid JSON with the same value. */
export function safeJson(json: string): string {
  if (!UNSAFE_IN_JSON.test(json)) return json;
  return json.replace(UNSAFE_IN_JSON_ALL, (c) => `\\u${hex(c, 4)}`);
}
