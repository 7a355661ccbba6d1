// The independent corpus (issue 12): several hundred secrets made by real generators and labelled by
// construction (scripts/make-secret-corpus.py) before and without jwtkit's judge. This test runs the
// judge's public entry, checkSecret, on every entry for HS256, HS384 and HS512 and asserts the error
// rates of issue 12's "Done means":
//   weak called strong:  HS256 <= 6 %,  HS512 <= 1 %
//   strong called weak:  <= 5 % for each algorithm, whitespace cases aside
// It is not the method's own table (tests/fixtures/secrets-table.json) and must not be tuned against
// case by case: fix the method by principle, then regenerate a fresh corpus and check it still holds
//   /usr/bin/python3 scripts/make-secret-corpus.py /tmp/fresh.jsonl
//   SECRET_CORPUS=/tmp/fresh.jsonl npx vitest run tests/unit/secret-corpus.test.ts
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSecretChecker, type CheckOptions } from '../../src/commands/check.js';
import { LONG } from '../helpers/tools.js';

type Alg = CheckOptions['alg'];
const checker = createSecretChecker();
type Label = 'strong' | 'weak';
interface Entry {
  secret: string;
  generator: string;
  class: string;
  bits: number;
  bytes: number;
  HS256: Label;
  HS384: Label;
  HS512: Label;
  notes?: string;
  whitespace?: boolean;
}

const ALGS: readonly Alg[] = ['HS256', 'HS384', 'HS512'];
const REQUIRED: Record<Alg, number> = { HS256: 256, HS384: 384, HS512: 512 };
/** Highest allowed share of weak secrets called strong (issue 12); HS384 is measured and reported only. */
const MAX_WEAK_CALLED_STRONG: Partial<Record<Alg, number>> = { HS256: 0.06, HS512: 0.01 };
const MAX_STRONG_CALLED_WEAK = 0.05;

const corpusPath = process.env['SECRET_CORPUS'] ?? fileURLToPath(new URL('../fixtures/secret-corpus.jsonl', import.meta.url));
const corpus: Entry[] = readFileSync(corpusPath, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Entry);

/** verdicts[alg][i] is the judge's verdict on corpus[i] for alg */
const verdicts = {} as Record<Alg, Label[]>;

interface Rate {
  wrong: number;
  total: number;
  misjudged: Entry[];
}

function rate(alg: Alg, label: Label): Rate {
  const misjudged: Entry[] = [];
  let total = 0;
  corpus.forEach((entry, i) => {
    if (entry[alg] !== label || (label === 'strong' && entry.whitespace === true)) return;
    total++;
    if (verdicts[alg][i] !== label) misjudged.push(entry);
  });
  return { wrong: misjudged.length, total, misjudged };
}

const pct = (r: Rate): string => `${r.wrong}/${r.total} = ${((100 * r.wrong) / r.total).toFixed(1)} %`;

/** A short table of the misjudged entries by class: how many, and the generators with one truncated example. */
function table(title: string, r: Rate): string {
  const groups = new Map<string, Entry[]>();
  for (const e of r.misjudged) groups.set(e.class, [...(groups.get(e.class) ?? []), e]);
  const rows = [...groups.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([cls, list]) => {
      const generators = [...new Set(list.map((e) => e.generator))];
      const e = list[0]!;
      const example = JSON.stringify(e.secret.length > 24 ? `${e.secret.slice(0, 24)}…` : e.secret);
      const shown = generators.slice(0, 3).map((g) => g.slice(0, 60)).join('; ');
      const more = generators.length > 3 ? `; +${generators.length - 3} more` : '';
      return `  ${String(list.length).padStart(3)}  ${cls.padEnd(18)} e.g. ${example} (${e.bits} bits)  from: ${shown}${more}`;
    });
  return [`${title}: ${pct(r)}`, ...rows].join('\n');
}

describe('the corpus itself', () => {
  it('has several hundred entries of both kinds for every algorithm', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(500);
    for (const alg of ALGS) {
      expect(corpus.filter((e) => e[alg] === 'strong').length).toBeGreaterThanOrEqual(90);
      expect(corpus.filter((e) => e[alg] === 'weak').length).toBeGreaterThanOrEqual(300);
    }
  });

  it('is labelled by the principle: strong iff bits and UTF-8 key bytes both reach the algorithm', () => {
    for (const e of corpus) {
      expect(e.bytes, e.generator).toBe(Buffer.byteLength(e.secret, 'utf8'));
      expect(e.class, e.generator).toMatch(/^[a-z0-9+-]+$/);
      for (const alg of ALGS) {
        const strong = e.bits >= REQUIRED[alg] && e.bytes >= REQUIRED[alg] / 8;
        expect(e[alg], `${e.generator} ${alg}`).toBe(strong ? 'strong' : 'weak');
      }
      const ws = e.secret !== e.secret.trim() || /[\n\r\t]/.test(e.secret);
      expect(e.whitespace === true, e.generator).toBe(ws);
    }
  });
});

describe("jwtkit's judge on the independent corpus (issue 12)", () => {
  // A verdict names every HMAC algorithm (`algs`, as check --json prints it). `npm test` judges each
  // entry once, for one algorithm in turn, and reads the other two from `algs`; JWTKIT_TEST_LONG=1
  // (.ci/run) judges every entry for each algorithm, and those verdicts must agree with `algs`.
  beforeAll(async () => {
    for (const alg of ALGS) verdicts[alg] = [];
    for (const [i, entry] of corpus.entries()) {
      const first = ALGS[i % ALGS.length]!;
      const result = await checker.check({ secret: entry.secret, label: 'the corpus', alg: first });
      for (const alg of ALGS) {
        let verdict = alg === first ? result.verdict : result.algs[alg];
        if (LONG && alg !== first) {
          verdict = (await checker.check({ secret: entry.secret, label: 'the corpus', alg })).verdict;
          expect(verdict, `${entry.generator} ${alg}: the verdict and ${first}'s algs`).toBe(result.algs[alg]);
        }
        verdicts[alg].push(verdict);
      }
      expect(result.algs[first], `${entry.generator} ${first}: algs and the verdict`).toBe(result.verdict);
    }
  }, 600_000);

  it.each(ALGS)('%s: weak secrets called strong stay within the limit', (alg) => {
    const r = rate(alg, 'weak');
    const max = MAX_WEAK_CALLED_STRONG[alg];
    const report = table(`${alg} weak called strong (limit ${max === undefined ? 'none, reported' : `${max * 100} %`})`, r);
    console.log(max === undefined ? report : report.split('\n')[0]);
    if (max !== undefined) expect(r.wrong / r.total, report).toBeLessThanOrEqual(max);
  });

  it.each(ALGS)('%s: strong secrets called weak stay within 5 % (whitespace cases aside)', (alg) => {
    const r = rate(alg, 'strong');
    const report = table(`${alg} strong called weak (limit ${MAX_STRONG_CALLED_WEAK * 100} %, whitespace aside)`, r);
    console.log(report.split('\n')[0]);
    expect(r.wrong / r.total, report).toBeLessThanOrEqual(MAX_STRONG_CALLED_WEAK);
  });
});
