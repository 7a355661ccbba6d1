import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { secretTester } from '../../src/crypto.js';
import { packKeys, unpackKeys } from '../../src/wordhash.js';

const HASH = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const;

describe('secretTester (HMAC computed in JavaScript)', () => {
  // Key lengths around every block edge (64 for SHA-256, 128 for SHA-384/512, longer keys are
  // hashed first), messages around every padding edge.
  const keyLengths = [0, 1, 3, 4, 5, 31, 32, 55, 56, 63, 64, 65, 100, 127, 128, 129, 300];
  const messageLengths = [1, 55, 56, 64, 111, 112, 119, 120, 1000];
  for (const alg of ['HS256', 'HS384', 'HS512'] as const) {
    it(`${alg}: finds the key node:crypto signed with, and nothing else`, () => {
      for (const m of messageLengths) {
        const signingInput = 'a.b'.padEnd(m, 'x');
        for (const k of keyLengths) {
          // No zero bytes: HMAC pads short keys with zeros, so K and K‖0x00 are the same key.
          const key = Buffer.from(randomBytes(k).map((b) => b || 1));
          for (const newline of [false, true]) {
            const real = newline ? Buffer.concat([key, Buffer.from('\n')]) : key;
            const sig = createHmac(HASH[alg], real).update(signingInput).digest('base64url');
            const tester = secretTester(alg, signingInput, sig)!;
            // The key inside a larger buffer, as a line of a word list is.
            const haystack = Buffer.concat([Buffer.from('xy'), key, Buffer.from('z')]);
            expect(tester.test(haystack, 2, 2 + k, newline), `${alg} m=${m} k=${k} nl=${newline}`).toBe(true);
            expect(tester.test(haystack, 2, 2 + k, !newline)).toBe(false);
            if (k > 0) expect(tester.test(haystack, 2, 1 + k, newline)).toBe(false);
          }
        }
      }
    });
  }

  it.each([['HS256', 'sha256'], ['HS384', 'sha384'], ['HS512', 'sha512']] as const)('%s in batches (WebAssembly SIMD): the same answers, the first hit, long keys, every lane', (alg, hash) => {
    for (const m of [1, 56, 112, 1000, 8200]) {
      const signingInput = 'a.b'.padEnd(m, 'x');
      const tester0 = secretTester(alg, signingInput, createHmac(hash, 'k').update(signingInput).digest('base64url'))!;
      // Over an 8 KB signing input (128 SHA-256 or 64 SHA-512 blocks) the scalar path is used instead.
      if (m > 8000) {
        expect(tester0.batch).toBeUndefined();
        continue;
      }
      expect(tester0.batch).toBeDefined();
      for (const k of [0, 31, 64, 65, 128, 129, 200]) {
        const key = Buffer.from(randomBytes(k).map((b) => b || 1));
        for (const newline of [false, true]) {
          const real = newline ? Buffer.concat([key, Buffer.from('\n')]) : key;
          const batch = secretTester(alg, signingInput, createHmac(hash, real).update(signingInput).digest('base64url'))!.batch!;
          for (const at of [0, 5, 255]) {
            const count = Math.max(at + 1, 7);
            for (let n = 0; n < count; n++) {
              if (n === at) batch.load(n, key, 0, k, newline);
              else batch.load(n, Buffer.from(`nope${n}`), 0, `nope${n}`.length, newline);
            }
            expect(batch.run(count), `m=${m} k=${k} nl=${newline} at=${at}`).toBe(at);
            // Twice in one batch: the first.
            batch.load(count, key, 0, k, newline);
            expect(batch.run(count + 1 > batch.capacity ? count : count + 1)).toBe(at);
            batch.load(at, Buffer.from('other'), 0, 5, newline);
            expect(batch.run(at + 1)).toBe(-1);
          }
        }
      }
    }
  });

  it.each([['HS256', 'sha256'], ['HS384', 'sha384'], ['HS512', 'sha512']] as const)('%s in batches: random keys of every length around the block edges, against node:crypto', (alg, hash) => {
    // Keys of random bytes (zeros included) in every lane of full batches, messages of random
    // lengths: each key's HMAC must match node:crypto's (the batch finds it), and no other key may.
    const keyLengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 200];
    for (const m of [0, 1, 63, 64, 111, 112, 113, 128, 200, 1 + Math.floor(Math.random() * 600)]) {
      const message = randomBytes(m).toString('latin1');
      const keys = Array.from({ length: 300 }, (_, i) => randomBytes(keyLengths[i % keyLengths.length]!));
      for (const newline of [false, true]) {
        for (let k = 0; k < keys.length; k += 37) {
          const key = keys[k]!;
          const real = newline ? Buffer.concat([key, Buffer.from('\n')]) : key;
          const batch = secretTester(alg, message, createHmac(hash, real).update(message, 'latin1').digest('base64url'))!.batch!;
          const count = Math.min(batch.capacity, keys.length);
          // The key at lane k % count; every other lane holds another key (longer and shorter keys reuse the slots).
          for (let round = 0; round < 2; round++) {
            for (let n = 0; n < count; n++) {
              const other = keys[(n + round * 7) % keys.length]!;
              const bytes = n === k % count ? key : other.equals(key) ? Buffer.concat([other, Buffer.from('x')]) : other;
              batch.load(n, bytes, 0, bytes.length, newline);
            }
            expect(batch.run(count), `${alg} m=${m} k=${key.length} nl=${newline} round=${round}`).toBe(k % count);
          }
        }
      }
    }
  });

  it.each([['HS256', 'sha256'], ['HS384', 'sha384'], ['HS512', 'sha512']] as const)('%s in batches: loadWords loads packed keys as load() loads each (longer keys before shorter ones cleared)', (alg, hash) => {
    const message = 'a.b'.padEnd(150, 'x');
    // Keys of every length around the word edges, up to a SHA-256 block (packKeys's limit).
    const lengths = [0, 1, 3, 4, 5, 8, 15, 16, 17, 20, 31, 32, 33, 63, 64];
    const keys = Array.from({ length: 300 }, (_, i) => Buffer.from(randomBytes(lengths[i % lengths.length]!).map((b) => b || 1)));
    const packed = unpackKeys(packKeys(keys))!;
    // Where each key's words start.
    const at = [0];
    for (const k of keys) at.push(at.at(-1)! + ((k.length + 3) >> 2));
    for (const first of [0, 7, 44]) {
      for (const k of [first, first + 1, first + 5, first + 100, first + 255]) {
        const batch = secretTester(alg, message, createHmac(hash, keys[k]!).update(message).digest('base64url'))!.batch!;
        const count = Math.min(batch.capacity, keys.length - first);
        // Every slot holds another key first (some longer, as a batch before leaves them).
        for (let n = 0; n < count; n++) batch.load(n, Buffer.alloc(40, 0x41 + (n % 20)), 0, 40 - (n % 40), n % 2 === 0);
        expect(batch.loadWords(packed, first, at[first]!, count)).toBe(at[first + count]);
        // The first key that signs (the empty key is packed more than once).
        const hit = keys.findIndex((key, i) => i >= first && key.equals(keys[k]!)) - first;
        expect(batch.run(count), `${alg} first=${first} k=${k}`).toBe(hit);
      }
    }
  });

  it.each([['HS256', 'sha256'], ['HS384', 'sha384'], ['HS512', 'sha512']] as const)('%s: keys longer than a block, hashed first (in JavaScript), at every padding edge', (alg, hash) => {
    // SHA-256 pads to 64 bytes with an 8-byte length, SHA-384/512 to 128 with a 16-byte one.
    const lengths = alg === 'HS256' ? [65, 118, 119, 120, 121, 127, 128, 129, 183, 184, 192] : [129, 238, 239, 240, 241, 247, 248, 255, 256, 257, 500];
    for (const k of lengths) {
      const key = Buffer.from(randomBytes(k).map((b) => b || 1));
      for (const newline of [false, true]) {
        const real = newline ? Buffer.concat([key, Buffer.from('\n')]) : key;
        const tester = secretTester(alg, 'a.b', createHmac(hash, real).update('a.b').digest('base64url'))!;
        expect(tester.test(key, 0, k, newline), `${alg} k=${k} nl=${newline}`).toBe(true);
        tester.batch!.load(0, key, 0, k, newline);
        expect(tester.batch!.run(1)).toBe(0);
      }
    }
  });

  it('refuses a signature of the wrong length', () => {
    expect(secretTester('HS256', 'a.b', 'AAAA')).toBeNull();
    expect(secretTester('HS512', 'a.b', createHmac('sha256', 'k').update('a.b').digest('base64url'))).toBeNull();
  });
});
