// `jwtkit check`: an honest verdict on whether a secret is fit to be an HMAC key.
import { secretBytes, type SecretEncoding } from '../crypto.js';
import { judgeSecret, type HmacAlgName, type PatternMatch, type Verdict } from '../strength.js';
import { inWordlist, loadLexicon } from '../lexicon.js';

export interface CheckOptions {
  secret: string;
  /** where the secret came from, for messages: "JWT_SECRET", a file, "stdin", "the argument" */
  label: string;
  encoding?: SecretEncoding | undefined;
  alg: HmacAlgName;
  wordlist?: string | undefined;
}

type Matcher = (text: string) => PatternMatch[];

interface ZxcvbnLike {
  check(password: string): { sequence: readonly { pattern: string; i: number; j: number; guessesLog10?: number }[] };
}

const toMatches = (z: ZxcvbnLike): Matcher => (text) =>
  z.check(text)
    .sequence.filter((m) => m.pattern !== 'bruteforce')
    .map(({ pattern, i, j, guessesLog10 }) => ({ pattern, i, j, guessesLog10: guessesLog10 ?? 0 }));

let fast: Matcher | undefined;
let full: Matcher | undefined;

/** zxcvbn-ts's keyboard, sequence, repeat, date and year matchers, without the word lists. */
async function fastMatcher(): Promise<Matcher> {
  if (!fast) {
    const { ZxcvbnFactory, adjacencyGraphs } = await import('../vendor-zxcvbn-core.js');
    fast = toMatches(new ZxcvbnFactory({ graphs: adjacencyGraphs, dictionary: {}, l33tMaxSubstitutions: 0 }));
  }
  return fast;
}

/** All of zxcvbn-ts's matchers with its English and common-password dictionaries (~300 ms to load). */
async function fullMatcher(): Promise<Matcher> {
  if (!full) {
    const [{ ZxcvbnFactory, adjacencyGraphs }, { dictionary }] = await Promise.all([
      import('../vendor-zxcvbn-core.js'),
      import('../vendor-zxcvbn-dictionaries.js'),
    ]);
    full = toMatches(new ZxcvbnFactory({ graphs: adjacencyGraphs, dictionary, l33tMaxSubstitutions: 16 }));
  }
  return full;
}

export async function checkSecret(options: CheckOptions): Promise<Verdict> {
  const { secret, alg } = options;
  const keyBytes = options.encoding === undefined ? Buffer.byteLength(secret, 'utf8') : secretBytes(secret, options.encoding, options.label).length;
  const lexicon = loadLexicon();
  let verdict = judgeSecret(secret, keyBytes, alg, { lexicon, patterns: await fastMatcher(), full: false });
  if (verdict.needsFullPatterns) {
    verdict = judgeSecret(secret, keyBytes, alg, { lexicon, patterns: await fullMatcher(), full: true });
  }
  if (options.wordlist !== undefined) {
    const candidates = [secret, secret.trim(), secret.toLowerCase()];
    if (await inWordlist(options.wordlist, candidates)) {
      verdict = {
        ...verdict,
        verdict: 'weak',
        severity: 'critical',
        bits: Math.min(verdict.bits, 17),
        algs: { HS256: 'weak', HS384: 'weak', HS512: 'weak' },
        reasons: [{ code: 'KNOWN_SECRET', message: `it is in the word list ${options.wordlist}: a published secret anyone can try` }, ...verdict.reasons],
      };
    }
  }
  return verdict;
}
