// The standard alphabets a random secret is written in, smallest first: `check` credits a text
// with the smallest one that holds it (log2 of its size a character), and `gen` redraws a
// secret that would be credited fewer bits than its bytes carry. Constants and one pure function.

const ALPHABETS: readonly (readonly [number, RegExp, string])[] = Object.freeze([
  [10, /^[0-9]+$/, 'digits'],
  [16, /^(?:[0-9a-f]+|[0-9A-F]+)$/, 'hex digits'],
  [26, /^(?:[a-z]+|[A-Z]+)$/, 'letters of one case'],
  [32, /^(?:[A-Z2-7]+|[0-9A-V]+)$/, 'base32 characters'],
  [36, /^(?:[a-z0-9]+|[A-Z0-9]+)$/, 'letters of one case and digits'],
  [52, /^[A-Za-z]+$/, 'letters'],
  [62, /^[A-Za-z0-9]+$/, 'letters and digits'],
  [64, /^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)$/, 'base64 characters'],
  [94, /^[\x21-\x7e]+$/, 'printable characters'],
  [95, /^[\x20-\x7e]+$/, 'printable characters and spaces'],
].map((a) => Object.freeze(a) as readonly [number, RegExp, string]));

/** The smallest standard alphabet holding every character of `text`, or null (non-ASCII, controls). */
export function alphabetOf(text: string): { k: number; name: string } | null {
  for (const [k, re, name] of ALPHABETS) if (re.test(text)) return { k, name };
  return null;
}
