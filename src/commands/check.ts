// `jwtkit check`: an honest verdict on whether a secret is fit to be an HMAC key.
import { secretBytes, type SecretEncoding } from '../crypto.js';
import { HMAC_ALGS, type HmacAlg } from '../algs.js';
import { judgeSecret, type JudgeDeps, type PatternMatch, type Verdict } from '../strength.js';
import { inWordlist, loadLexicon } from '../lexicon.js';

export interface CheckOptions {
  secret: string;
  /** where the secret came from, for messages: "JWT_SECRET", a file, "stdin", "the argument" */
  label: string;
  encoding?: SecretEncoding | undefined;
  alg: HmacAlg;
  wordlist?: string | undefined;
}

type Matcher = (text: string) => PatternMatch[];

interface RawMatch {
  pattern: string;
  i: number;
  j: number;
  token: string;
  guessesLog10?: number;
}
interface ZxcvbnLike {
  check(password: string): { sequence: readonly RawMatch[] };
}
type Estimate = (options: unknown, match: object, password: string) => { guessesLog10: number };

/**
 * Every match zxcvbn's matchers find, each with its guesses — not only zxcvbn's chosen sequence,
 * whose per-match factorial penalty prefers 10 guesses a character to ten short keyboard walks.
 * The judge finds the cheapest cover itself. Falls back to the chosen sequence.
 */
const toMatches = (z: ZxcvbnLike, estimate: Estimate): Matcher => (text) => {
  const inner = z as unknown as { main?: (t: string) => RawMatch[] | Promise<RawMatch[]>; options?: unknown };
  const raw = typeof inner.main === 'function' ? inner.main(text) : null;
  const all: readonly RawMatch[] =
    raw && !(raw instanceof Promise) ? raw.filter((m) => m.pattern !== 'bruteforce').map((m) => ({ ...m, guessesLog10: estimate(inner.options, m, text).guessesLog10 })) : z.check(text).sequence;
  return all
    .filter((m) => m.pattern !== 'bruteforce' && typeof m.guessesLog10 === 'number' && Number.isFinite(m.guessesLog10))
    .map(({ pattern, i, j, guessesLog10 }) => ({ pattern, i, j, guessesLog10: guessesLog10! }));
};

/**
 * zxcvbn-ts's keyboard, sequence, repeat, date and year matchers, without its word lists: words
 * are found and priced by rank from jwtkit's own tables (lexicon.ts), which load in a
 * millisecond where zxcvbn's dictionaries take ~300 ms.
 */
async function fastMatcher(): Promise<Matcher> {
  const { ZxcvbnFactory, adjacencyGraphs, estimateGuesses } = await import('../vendor-zxcvbn-core.js');
  return toMatches(new ZxcvbnFactory({ graphs: adjacencyGraphs, dictionary: {}, l33tMaxSubstitutions: 0 }), estimateGuesses);
}

export interface SecretChecker {
  check(options: CheckOptions): Promise<Verdict>;
}

/**
 * A checker that loads the word tables and the matchers on its first check and keeps them for its
 * later ones: the caches live and die with the checker (one per run; the tests share one).
 */
export function createSecretChecker(): SecretChecker {
  let deps: Promise<JudgeDeps> | undefined;
  return {
    async check(options) {
      const keyBytes = options.encoding === undefined ? Buffer.byteLength(options.secret, 'utf8') : secretBytes(options.secret, options.encoding, options.label).length;
      deps ??= (async () => {
        const lexicon = loadLexicon();
        return { lexicon, patterns: await fastMatcher() };
      })();
      return checkWith(options, keyBytes, await deps);
    },
  };
}

/** One secret judged by a checker of its own (`jwtkit check`, and the gates of sign and encrypt). */
export function checkSecret(options: CheckOptions): Promise<Verdict> {
  return createSecretChecker().check(options);
}

async function checkWith(options: CheckOptions, keyBytes: number, deps: JudgeDeps): Promise<Verdict> {
  const { secret, alg } = options;
  let verdict = judgeSecret(secret, keyBytes, alg, deps);
  if (options.wordlist !== undefined) {
    const candidates = [secret, secret.trim(), secret.toLowerCase()];
    if (await inWordlist(options.wordlist, candidates)) {
      const known = { code: 'KNOWN_SECRET', message: 'it is in the given word list: a published secret anyone can try' };
      verdict = {
        ...verdict,
        verdict: 'weak',
        severity: 'critical',
        bits: Math.min(verdict.bits, 17),
        algs: Object.fromEntries(HMAC_ALGS.map((a) => [a, 'weak'])) as Verdict['algs'],
        reasons: [known, ...verdict.reasons],
        summary: known.message,
        fix: verdict.fix ?? 'generate one with `jwtkit gen` and store it in your host\'s secret store',
      };
    }
  }
  return verdict;
}
