import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSecretChecker } from '../../src/commands/check.js';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { canonicalDecodings, identifiers, lzCost, periodOf, shannon, shannonFloor } from '../../src/strength.js';
import { alphabetOf } from '../../src/alphabets.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { runs } from '../helpers/tools.js';

interface Row {
  secret: string;
  verdict: 'strong' | 'weak';
  codes: string[];
  why: string;
}

/** The committed table: what an attacker would try first, and generator output of every kind. */
const TABLE: Row[] = JSON.parse(readFileSync(`${FIXTURES}secrets-table.json`, 'utf8'));
const checker = createSecretChecker();
const checkSecret = checker.check;
const check = (secret: string, alg: 'HS256' | 'HS384' | 'HS512' = 'HS256') => checkSecret({ secret, label: 'test', alg });

describe('the secrets table', () => {
  it('has at least 80 rows, strong and weak', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(80);
    expect(TABLE.filter((r) => r.verdict === 'strong').length).toBeGreaterThanOrEqual(15);
  });

  it.each(TABLE.map((r) => [r.why, r] as const))('%s', async (_why, row) => {
    const v = await check(row.secret);
    expect(v.verdict, `${row.why}: ${JSON.stringify(v.reasons)}`).toBe(row.verdict);
    const codes = v.reasons.map((r) => r.code);
    for (const code of row.codes) expect(codes, row.why).toContain(code);
    if (row.verdict === 'weak') expect(v.severity).not.toBeNull();
    // The secret itself never appears in a reason.
    for (const r of v.reasons) if (row.secret.trim().length > 6) expect(r.message).not.toContain(row.secret.trim());
  });
});

describe('random base64url keys that start like a label', () => {
  // A 32-byte base64url key starts `My_`, `sk-` or `Hello_` by chance now and then: a short
  // prefix in the key's own alphabet is no evidence of a label.
  it.each(['My_', 'sk-', 'me_', 'Hello_', 'Vox_'])('%j + the rest of a random key is strong for HS256', async (start) => {
    for (let i = 0; i < runs(5, 400); i++) {
      const key = start + randomBytes(32).toString('base64url').slice(start.length);
      expect((await check(key)).verdict).toBe('strong');
    }
  });

  // Draws that were called weak (4 in 2,000 `My_` keys): two short listed words in a row
  // (`My_ME-`) read as a label, and letter runs between separators (`My_ucGH…-qkkhQ_hfWq…`) as the
  // words of an instruction. Chance makes both; a person's words keep one case pattern each.
  // The third decodes to 32 bytes whose first 36 bits are those of a listed word's SHA-256: the
  // hash table kept 36 bits of each digest, one random 32-byte key in ~180,000 matched (now 44).
  it.each(['My_ME-ZfYPlK4yuipwUyj8jOkIXF-o2RDE0By_E_ayE', 'My_ucGHCJFhJrEuHyUf-qkkhQ_hfWqLtXXQtFqnmzwQ', 'My_RnZJRCeNWL6b4aiP2qK9FZYxnPfaCObWnnf-bwj4', 'sk_Me-IzBU7tfypf4n-GAtQ5LtA_DzIR6mYOQYf9v-Y'])('%s (a random key) is strong', async (key) => {
    expect((await check(key)).verdict).toBe('strong');
  });

  it('a listed label in another alphabet still counts for nothing (whsec_ + base64)', async () => {
    let tail: string;
    do tail = randomBytes(30).toString('base64');
    while (!/[+/]/.test(tail));
    expect((await check(`whsec_${tail}`)).verdict).toBe('weak');
  });
});

describe('verdicts per algorithm', () => {
  // A draw whose base64 uses only letters and digits (1 in 8 for 48 bytes) also fits 64 random
  // alphanumerics, 381 bits, and is weak for HS384 by design (the test below): these rows draw
  // until the text shows the base64 alphabet, so they never depend on chance.
  const b64 = (n: number) => {
    for (;;) {
      const text = randomBytes(n).toString('base64');
      if (/[+/]/.test(text)) return text;
    }
  };
  it('48 random bytes whose base64 happens to be all letters and digits: strong for HS256, weak for HS384 (381 bits)', async () => {
    let text: string;
    do text = randomBytes(48).toString('base64');
    while (/[+/]/.test(text));
    const v = await check(text, 'HS384');
    expect(v.algs).toEqual({ HS256: 'strong', HS384: 'weak', HS512: 'weak' });
  });

  it.each([
    [32, { HS256: 'strong', HS384: 'weak', HS512: 'weak' }],
    [48, { HS256: 'strong', HS384: 'strong', HS512: 'weak' }],
    [64, { HS256: 'strong', HS384: 'strong', HS512: 'strong' }],
  ])('%i random bytes', async (n, algs) => {
    const v = await check(b64(n), 'HS384');
    expect(v.algs).toEqual(algs);
    expect(v.verdict).toBe(algs.HS384);
    expect(v.required_bits).toBe(384);
  });

  it('the key must also have enough bytes: 256 bits packed in 31 raw bytes is not an HS256 key', async () => {
    const v = await checkSecret({ secret: randomBytes(31).toString('hex'), label: 't', alg: 'HS256', encoding: 'hex' });
    expect(v.bytes).toBe(31);
    expect(v.verdict).toBe('weak');
  });

  it('--secret-encoding: the key bytes are the decoded bytes', async () => {
    const v = await checkSecret({ secret: randomBytes(32).toString('base64'), label: 't', alg: 'HS256', encoding: 'base64' });
    expect(v).toMatchObject({ verdict: 'strong', bytes: 32, length: 44 });
  });

  it('severity inside weak', async () => {
    expect((await check('secret')).severity).toBe('critical');
    expect((await check(randomBytes(12).toString('hex'))).severity).toBe('high');
    let hex = randomBytes(16).toString('hex');
    while (hex[12] === '4') hex = randomBytes(16).toString('hex'); // not a UUID v4 look-alike (1 in 64)
    expect((await check(hex)).severity).toBe('below_spec');
  });
});

describe('generated samples', () => {
  // Samples per generator: enough to catch a systematic misjudgement in `npm test`; the full
  // 1000 / 500 with JWTKIT_TEST_LONG=1 (.ci/run).
  const FRESH = runs(25, 1000);
  const STRUCTURED_N = runs(25, 500);
  const alnum = (n: number) => {
    const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    return Array.from({ length: n }, () => a[randomInt(62)]).join('');
  };
  const GENERATORS: [string, () => string][] = [
    ['base64 32..64 bytes', () => randomBytes(randomInt(32, 65)).toString('base64')],
    ['base64url 32..64 bytes', () => randomBytes(randomInt(32, 65)).toString('base64url')],
    ['hex 32..64 bytes', () => randomBytes(randomInt(32, 65)).toString('hex')],
    // From 48 characters, even a draw without digits (52 letters) carries 256 bits.
    ['alphanumeric 48..64', () => alnum(randomInt(48, 65))],
    ['three v4 UUIDs', () => [randomUUID(), randomUUID(), randomUUID()].join('')],
  ];

  it.each(GENERATORS)(`${FRESH} fresh keys, %s, are all strong`, async (_name, make) => {
    for (let i = 0; i < FRESH; i++) {
      const secret = make();
      const v = await check(secret);
      expect(v.verdict, `${JSON.stringify(v.reasons)}`).toBe('strong');
    }
  }, runs(120_000, 600_000));

  const STRUCTURED: [string, () => string][] = [
    ['16 random bytes in hex', () => randomBytes(16).toString('hex')],
    ['42 random alphanumerics', () => alnum(42)],
    ['a random block repeated', () => randomBytes(16).toString('base64url').repeat(3)],
    ['base64 of repeated random bytes', () => Buffer.concat(Array(4).fill(randomBytes(12))).toString('base64')],
    ['a random key with a newline', () => `${randomBytes(32).toString('base64')}\n`],
    ['two v4 UUIDs', () => randomUUID() + randomUUID()],
    ['base64 of words', () => Buffer.from(`${['alpha', 'bravo', 'delta', 'secret', 'token', 'admin'][randomInt(6)]}-${randomInt(1e6)}-my-jwt-secret`).toString('base64')],
    ['a short random key', () => randomBytes(randomInt(8, 24)).toString('base64')],
  ];

  it.each(STRUCTURED)(`${STRUCTURED_N} structured keys, %s, are all weak`, async (_name, make) => {
    for (let i = 0; i < STRUCTURED_N; i++) {
      const v = await check(make());
      expect(v.verdict).toBe('weak');
    }
  }, runs(120_000, 600_000));
});

describe('building blocks', () => {
  it.each([
    ['123456', 10], ['deadbeef', 16], ['abcdef', 16], ['hello', 26], ['HELLO', 26], ['XYZ234', 32], ['xyz123', 36],
    ['HelloWorld', 52], ['Hello123', 62], ['ab+/', 64], ['ab-_', 64], ['a b!', 95], ['ünï', null],
  ])('alphabetOf(%j) = %s', (text, k) => expect(alphabetOf(text)?.k ?? null).toBe(k));

  it('canonical encodings only', () => {
    const first = (text: string) => canonicalDecodings(text)[0]?.encoding ?? null;
    expect(first('Zm9v')).toBe('base64');
    expect(first('Zh')).toBeNull(); // non-canonical trailing bits
    expect(first('abcz')).toBeNull(); // all lower case: a charset string
    expect(first('abcd')).toBe('hex'); // a-f only: consistent with hex, the smaller alphabet
    expect(first('12345678')).toBeNull(); // all digits
    expect(first('ab+/cd-_')).toBeNull(); // mixed alphabets
    expect(first('0a1b2c')).toBe('hex');
    expect(first('0a1B2c')).toBeNull(); // hex of mixed case is typed, not generated
    expect(first('Zm9vYg==')).toBe('base64');
    expect(first('Zm9vYg=')).toBeNull();
    expect(first('Zm9vYg')).toBe('base64url');
    expect(first('Zm9vYh')).toBeNull();
    expect(canonicalDecodings('de:ad:be:ef')).toEqual([{ encoding: 'hex', bytes: Buffer.from('deadbeef', 'hex'), data: 'deadbeef', note: 'grouped hex' }]);
  });

  it('periods', () => {
    expect(periodOf('abcabcab')).toBe(3);
    expect(periodOf('abcd')).toBe(0);
    expect(periodOf(Buffer.from([1, 2, 1, 2]))).toBe(2);
  });

  it('Shannon entropy is a uniformity test: random text sits above the floor, the base64 alphabet even higher', () => {
    const floor = shannonFloor(64, 44);
    expect(floor).toBeGreaterThan(4);
    expect(floor).toBeLessThan(4.85);
    for (let i = 0; i < 200; i++) expect(shannon(randomBytes(32).toString('base64'))).toBeGreaterThan(floor);
    expect(shannon('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab')).toBeLessThan(floor);
    expect(shannonFloor(64, 44)).toBe(floor); // deterministic
  });
});

describe('--wordlist search', () => {
  it('finds a line anywhere, across 1 MiB chunk boundaries, with LF or CRLF, first and last lines too', async () => {
    const { inWordlist } = await import('../../src/lexicon.js');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'jwtkit-wl-'));
    const filler = (n: number) => 'x'.repeat(99).concat('\r\n').repeat(Math.ceil(n / 101)).slice(0, n);
    const file = join(dir, 'list.txt');
    // "straddle" starts 3 bytes before the 1 MiB boundary.
    writeFileSync(file, `first-line\r\n${filler((1 << 20) - 12 - 4)}\r\nstraddle-secret\r\n${filler(5000)}\nlast-line`);
    expect(await inWordlist(file, ['first-line'])).toBe(true);
    expect(await inWordlist(file, ['straddle-secret'])).toBe(true);
    expect(await inWordlist(file, ['last-line'])).toBe(true);
    expect(await inWordlist(file, ['straddle'])).toBe(false);
    expect(await inWordlist(file, ['secret'])).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// The method, class by class (SECRET-STRENGTH.md): credited bits = the minimum over every
// generator the string is consistent with. Each class below is generated here from its
// definition; none is taken from a corpus.

const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = `${LOWER.toUpperCase()}${LOWER}${DIGITS}`;
const b32 = (b: Buffer): string => {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let v = 0;
  let o = '';
  for (const x of b) {
    v = ((v << 8) | x) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      o += A[(v >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? o + A[(v << (5 - bits)) & 31] : o;
};
const uuidV7 = (): string => {
  const b = randomBytes(16);
  b.writeUIntBE(Date.now(), 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
const ulid = (): string => {
  const C = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let t = Date.now();
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = C[t % 32] + head;
    t = Math.floor(t / 32);
  }
  return head + pick(C, 16);
};
const EFF: string[] = createRequire(import.meta.url)('@zxcvbn-ts/language-common').dictionary['diceware-common'];
const words = (n: number, min = 3, max = 9) => {
  const list = EFF.filter((w) => w.length >= min && w.length <= max);
  return Array.from({ length: n }, () => list[randomInt(list.length)]!);
};
const hashOf = (alg: string, text: string, enc: 'hex' | 'base64') => createHash(alg).update(text).digest(enc);

interface Case {
  name: string;
  make: () => string;
  verdict: 'strong' | 'weak';
  code?: string;
  /** credited bits, ± 1 */
  bits?: number;
}

const CLASSES: Case[] = [
  // the alphabet actually used, not the string's shape
  { name: 'pwgen -s -A 44: lower case and digits, 227 bits', make: () => pick(LOWER + DIGITS, 44), verdict: 'weak', code: 'LOW_ENTROPY', bits: 227 },
  { name: '44 random letters: 250.8 bits', make: () => pick(ALNUM.slice(0, 52), 44), verdict: 'weak', code: 'LOW_ENTROPY', bits: 250 },
  { name: '48 lower case and digits: 248 bits', make: () => pick(LOWER + DIGITS, 48), verdict: 'weak', code: 'LOW_ENTROPY', bits: 248 },
  { name: '50 lower case and digits: 258 bits', make: () => pick(LOWER + DIGITS, 50), verdict: 'strong' },
  // labels add nothing
  { name: 'whsec_ + base64 of 30 bytes', make: () => `whsec_${randomBytes(30).toString('base64')}`, verdict: 'weak', code: 'PREFIX_IGNORED' },
  { name: 'myapp_ + base64 of 30 bytes', make: () => `myapp_${randomBytes(30).toString('base64')}`, verdict: 'weak', code: 'PREFIX_IGNORED' },
  { name: 'sk_live_ + 43 alphanumerics', make: () => `sk_live_${pick(ALNUM, 43)}`, verdict: 'strong' },
  // identifiers with or without separators
  { name: 'two v4 UUIDs without dashes: 244 bits', make: () => (randomUUID() + randomUUID()).replace(/-/g, ''), verdict: 'weak', code: 'UUID', bits: 244 },
  { name: 'three v7 UUIDs: 222 bits', make: () => uuidV7() + uuidV7() + uuidV7(), verdict: 'weak', code: 'UUID', bits: 222 },
  { name: 'four v7 UUIDs without dashes: 296 bits, still weak for HS384', make: () => [uuidV7(), uuidV7(), uuidV7(), uuidV7()].join('').replace(/-/g, ''), verdict: 'strong', bits: 296 },
  { name: 'three ULIDs: 240 random bits after their timestamps', make: () => ulid() + ulid() + ulid(), verdict: 'weak', code: 'UUID', bits: 240 },
  // hashes of words
  { name: 'echo mysecret | sha512sum', make: () => hashOf('sha512', 'mysecret\n', 'hex'), verdict: 'weak', code: 'HASH_OF_KNOWN' },
  { name: 'sha384 of a word, base64', make: () => hashOf('sha384', 'dragon', 'base64'), verdict: 'weak', code: 'HASH_OF_KNOWN' },
  { name: 'sha256 of a common English word', make: () => hashOf('sha256', 'elephant', 'hex'), verdict: 'weak', code: 'HASH_OF_KNOWN' },
  { name: 'md5 of a word with a newline', make: () => hashOf('md5', 'sunshine\n', 'hex'), verdict: 'weak', code: 'HASH_OF_KNOWN' },
  { name: 'sha512 of a first name, upper-case hex', make: () => hashOf('sha512', 'jennifer', 'hex').toUpperCase(), verdict: 'weak', code: 'HASH_OF_KNOWN' },
  // published example keys
  { name: 'RFC 7515 A.1 HMAC key', make: () => 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow', verdict: 'weak', code: 'KNOWN_SECRET' },
  { name: 'RFC 7520 §3.5 HMAC key', make: () => 'hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg', verdict: 'weak', code: 'KNOWN_SECRET' },
  { name: "Hasura docs' HS256 key", make: () => '3EK6FD+o0+c7tzBNVfjpMkNDi2yARAAKzQlk8O2IKoxQu4nF7EdAh8s3TwpHwrdWT6R', verdict: 'weak', code: 'KNOWN_SECRET' },
  // public or structured data
  {
    name: "a public key's base64 DER body",
    make: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    verdict: 'weak',
    code: 'DECODED_STRUCTURE',
  },
  { name: 'a connection string', make: () => `postgres://app:${pick(ALNUM, 12)}@db.internal:5432/prod`, verdict: 'weak', code: 'PATTERN' },
  { name: 'a shifted keyboard walk', make: () => '!QAZ@WSX#EDC$RFV%TGB^YHN&UJM*IK<(OL>)P:?', verdict: 'weak', code: 'PATTERN' },
  { name: 'base32 of English text', make: () => b32(Buffer.from('this is our very long and very secret jwt signing key')), verdict: 'weak', code: 'ENCODED_TEXT' },
  { name: 'a random block followed by its reverse', make: () => { const b = randomBytes(24); return Buffer.concat([b, Buffer.from(b).reverse()]).toString('hex'); }, verdict: 'weak', code: 'DECODED_STRUCTURE' },
  { name: 'random bytes with a constant tail', make: () => Buffer.concat([randomBytes(28), Buffer.alloc(12)]).toString('base64'), verdict: 'weak', code: 'DECODED_STRUCTURE' },
  { name: 'a 64-bit millisecond timestamp before random bytes', make: () => { const t = Buffer.alloc(8); t.writeBigUInt64BE(BigInt(Date.now())); return Buffer.concat([t, randomBytes(28)]).toString('hex'); }, verdict: 'weak', code: 'DECODED_STRUCTURE' },
  { name: 'a decimal timestamp before random base64url', make: () => `${Date.now()}${randomBytes(30).toString('base64url')}`, verdict: 'weak', code: 'PATTERN' },
  { name: 'hexspeak written into a random hex key', make: () => { const h = randomBytes(32).toString('hex'); const at = randomInt(40); return `${h.slice(0, at)}deadbeefcafebabe${h.slice(at + 16)}`; }, verdict: 'weak' },
  { name: 'a repeated random block: one copy counts', make: () => randomBytes(32).toString('base64').repeat(2), verdict: 'strong', code: 'REPEATED', bits: 256 },
  { name: 'Django-style key (no upper case: a 68-symbol alphabet, not 94)', make: () => pick('abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)', 50), verdict: 'strong' },
  { name: "diceware's German list, 20 words", make: () => { const de = readFileSync('scripts/wordlists/diceware-de.txt', 'utf8').trim().split('\n'); return Array.from({ length: 20 }, () => de[randomInt(de.length)]).join('.'); }, verdict: 'strong' },
  { name: 'a word overwriting part of a random key', make: () => { const b = randomBytes(32); b.write('password', randomInt(20)); return b.toString('hex'); }, verdict: 'weak', code: 'DECODED_STRUCTURE' },
  // strong secrets the first version called weak
  { name: 'base32 of 32 random bytes (52 characters)', make: () => b32(randomBytes(32)), verdict: 'strong', bits: 256 },
  { name: '0x-prefixed hex of 32 bytes', make: () => `0x${randomBytes(32).toString('hex')}`, verdict: 'strong', bits: 256 },
  { name: 'colon-grouped hex of 32 bytes', make: () => randomBytes(32).toString('hex').replace(/(..)(?!$)/g, '$1:'), verdict: 'strong', bits: 256 },
  { name: 'xkcdpass -n 21 (5–9 letters, 12.8 bits a word)', make: () => words(21, 5, 9).join(' '), verdict: 'strong' },
  { name: 'diceware -n 20 (CamelCase, 12.9 bits a word)', make: () => words(20).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(''), verdict: 'strong' },
  { name: 'diceware -n 40 -d -', make: () => words(40).join('-'), verdict: 'strong' },
  { name: 'a 6-word passphrase: 77 bits', make: () => words(6, 5, 9).join(' '), verdict: 'weak', code: 'LOW_ENTROPY', bits: 76 },
  // placeholders
  { name: 'REPLACE_WITH_…', make: () => 'REPLACE_WITH_A_LONG_RANDOM_SECRET_OF_AT_LEAST_64_CHARACTERS_PLEASE', verdict: 'weak', code: 'HUMAN_LIKE' },
  { name: 'CHANGE_ME_…', make: () => 'CHANGE_ME_IN_PRODUCTION_WITH_SOMETHING_RANDOM_AND_LONG', verdict: 'weak', code: 'HUMAN_LIKE' },
  { name: 'CHANGE_ME_ + random hex', make: () => `CHANGE_ME_${randomBytes(32).toString('hex')}`, verdict: 'weak', code: 'HUMAN_LIKE' },
  { name: '"put your secret here" in Spanish', make: () => 'pon-aqui-tu-clave-secreta-muy-larga-para-firmar-los-tokens', verdict: 'weak', code: 'HUMAN_LIKE' },
  { name: '"put your secret here" in French', make: () => 'mettez_votre_cle_secrete_tres_longue_ici_pour_signer', verdict: 'weak', code: 'HUMAN_LIKE' },
  { name: '"put your secret here" in German, CamelCase', make: () => 'HierKommtDeinSehrLangesGeheimnisFuerDieTokensRein', verdict: 'weak', code: 'HUMAN_LIKE' },
  { name: '"put your secret here" in Russian', make: () => 'вставьте-сюда-ваш-очень-длинный-секретный-ключ', verdict: 'weak', code: 'HUMAN_LIKE' },
  // long structured strings are critical, not below spec
  { name: "'a' * 400 + 'b'", make: () => `${'a'.repeat(400)}b`, verdict: 'weak' },
];

describe('the method, class by class', () => {
  it.each(CLASSES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    for (let round = 0; round < 5; round++) {
      const secret = c.make();
      const v = await check(secret);
      expect(v.verdict, `${c.name}: ${v.bits} ${v.recognised} ${JSON.stringify(v.reasons)}`).toBe(c.verdict);
      if (c.code) expect(v.reasons.map((r) => r.code)).toContain(c.code);
      if (c.bits !== undefined) expect(Math.abs(v.bits - c.bits), `${v.bits} bits`).toBeLessThanOrEqual(1.5);
      // Reasons never quote the secret: no 5 characters of it appear in any reason.
      const inside = secret.length >= 5 ? Array.from({ length: secret.length - 4 }, (_, i) => secret.slice(i, i + 5)).filter((f) => /[A-Za-z0-9]{5}/.test(f) && !/^(?:[a-z]+)$/.test(f)) : [];
      for (const r of v.reasons) for (const f of inside) expect(r.message, `${c.name}`).not.toContain(f);
      if (c.verdict === 'weak' && secret.length > 100 && !v.reasons.some((r) => r.code === 'LOW_ENTROPY')) expect(v.severity).toBe('critical');
    }
  });
});

describe('messages in plain words', () => {
  it('a UUID: "122 random bits, HS256 needs 256" comes first', async () => {
    const v = await check(randomUUID());
    expect(v.reasons[0]!.message).toMatch(/122 random bits, HS256 needs 256/);
    expect(v.summary).toBe(v.reasons[0]!.message);
  });

  it('a strong 32-byte secret: strong for HS256; HS384/HS512 need 48/64 bytes', async () => {
    const v = await check(randomBytes(32).toString('base64'));
    expect(v.summary).toBe('strong for HS256; HS384/HS512 need 48/64 bytes');
    expect(v.fix).toBeNull();
    expect((await check(randomBytes(64).toString('base64url'))).summary).toBe('strong for HS256, HS384, HS512');
  });

  it('line-wrapped `openssl rand -base64 64` is named as such, with the one-line fix', async () => {
    const wrapped = randomBytes(64).toString('base64').replace(/(.{64})/, '$1\n');
    const v = await check(`${wrapped}\n`);
    expect(v.verdict).toBe('weak');
    expect(v.reasons[0]!.code).toBe('WHITESPACE');
    expect(v.reasons[0]!.message).toMatch(/openssl rand -base64/);
    expect(v.fix).toBe("make it on one line: `openssl rand -base64 64 | tr -d '\\n'`, or `jwtkit gen --bytes 64`");
    expect(v.recognised).toBe('64 random bytes, base64');
  });

  it('too short comes before anything else but a known value', async () => {
    const v = await check(randomBytes(16).toString('base64'));
    expect(v.reasons[0]!.code).toBe('TOO_SHORT');
    expect(v.reasons[0]!.message).toBe('the key is 24 bytes long; HS256 needs at least 32 bytes (RFC 7518 §3.2)');
  });

  it("'a' * 400 + 'b' is critical: a repeat, not 693 bits", async () => {
    const v = await check(`${'a'.repeat(400)}b`);
    expect(v.bits).toBeLessThan(64);
    expect(v.severity).toBe('critical');
  });
});

describe('more building blocks', () => {
  it('identifiers: with and without dashes, v4 and v7, ULIDs; random hex is not one', () => {
    expect(identifiers(randomUUID())?.bits).toBe(122);
    expect(identifiers(randomUUID().replace(/-/g, '').toUpperCase())?.bits).toBe(122);
    expect(identifiers(`${uuidV7()}:${uuidV7()}`)?.bits).toBe(148);
    expect(identifiers(ulid() + ulid())?.bits).toBe(160);
    expect(identifiers('00000000-0000-0000-0000-000000000000')?.bits).toBe(0);
    let uuidLike = 0;
    for (let i = 0; i < 2000; i++) if (identifiers(randomBytes(32).toString('hex'))) uuidLike++;
    expect(uuidLike).toBeLessThan(5); // 1 in 4096 by chance
  });

  it('lzCost: text with no copies costs its literals, repeats and reversals cost little', () => {
    const codes = (t: string) => Array.from(t, (c) => c.charCodeAt(0));
    // The base64 alphabet shuffled: random, and no character twice, so no copy at all (a random
    // base64 string holds a chance 3-character copy about once in 50 draws, which lzCost rightly
    // prices: this test failed that often when it drew one).
    const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const keys = randomBytes(64);
    const shuffled = [...base64].map((c, i) => [keys[i]!, c] as const).sort((a, b) => a[0] - b[0]).map(([, c]) => c).join('');
    expect(lzCost(codes(shuffled), 6)).toBe(shuffled.length * 6);
    const block = randomBytes(16).toString('hex');
    expect(lzCost(codes(block + [...block].reverse().join('')), 4)).toBeLessThan(block.length * 4 + 20);
    expect(lzCost(codes(`${'a'.repeat(400)}b`), 6.6)).toBeLessThan(40);
  });

  it('the Shannon floor is exact, and matches sampling', () => {
    // mean − 6σ for 43 base64 characters (sampled: 4.114)
    expect(shannonFloor(64, 43)).toBeCloseTo(4.11, 1);
    expect(shannonFloor(16, 64)).toBeCloseTo(3.42, 1);
  });

  // 300 per generator with JWTKIT_TEST_LONG=1 (.ci/run); a third of that in `npm test`, same bound.
  const PER_GENERATOR = runs(100, 300);
  it(`false alarms stay rare: ${PER_GENERATOR} fresh keys of each standard generator, at most 3 called weak`, async () => {
    const gens: (() => string)[] = [
      () => randomBytes(32).toString('base64url'),
      () => pick(ALNUM, 43),
      () => pick(LOWER + DIGITS, 50),
      () => b32(randomBytes(40)),
      () => pick(Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join(''), 40),
    ];
    for (const make of gens) {
      const weak: string[] = [];
      for (let i = 0; i < PER_GENERATOR; i++) {
        const v = await check(make());
        if (v.verdict === 'weak') weak.push(`${v.recognised} ${v.reasons.map((r) => r.code)}`);
      }
      expect(weak.length, weak.join('; ')).toBeLessThanOrEqual(3);
    }
  });
});

describe('--wordlist edge cases', () => {
  it('a UTF-8 byte-order mark does not hide the first line; a directory is a clear input error', async () => {
    const { inWordlist } = await import('../../src/lexicon.js');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'jwtkit-wl-'));
    const file = join(dir, 'bom.txt');
    writeFileSync(file, '\uFEFFfirst-secret\nsecond\n');
    expect(await inWordlist(file, ['first-secret'])).toBe(true);
    await expect(inWordlist(dir, ['x'])).rejects.toMatchObject({ code: 'unreadable', message: `cannot read --wordlist ${dir}: it is a folder` });
  });
});
