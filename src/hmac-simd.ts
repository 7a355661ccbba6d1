// The WebAssembly of `jwtkit audit`'s secret search: HMAC-SHA-256 and HMAC-SHA-384/512 of many
// keys at a time. This module writes the bytes; src/hmac-simd-wasm.ts holds them as generated
// (tests/unit/hmac-simd.test.ts checks that they match, and rewrites them with
// JWTKIT_UPDATE_WASM=1), so a run pays no generation (about 35 ms of cold JavaScript a thread).

export const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
export const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
};

// One generator for both hashes: a v128 holds four 32-bit words (SHA-256, i32x4) or two 64-bit
// words (SHA-384/512, i64x2), one per key; a group is one v128 of keys. The compression functions
// compute the message schedule inside the rounds, in a 16-word ring; they run 16 rounds a loop
// turn (the ring's period) with the eight working variables renamed from round to round rather
// than moved; maj reuses the last round's a ^ b, and a rotation by whole bytes is one shuffle.
// A key costs its two key blocks (ipad, opad), the token's message blocks (their schedules with
// the round constants added are computed once per token) and the outer block. Per call the
// module hashes up to `groups` groups, so the JavaScript–WebAssembly crossing is paid once per
// 256 keys. Measured here (instructions under callgrind, CPU time in paired runs): HS512 1.4x
// fewer instructions a key than the earlier module (a separate schedule pass, a loop of one
// round); two groups with interleaved rounds (`ways: 2`) spilled registers and ran no faster,
// and fully unrolled rounds ran slower (code size) and warm up slower.
export interface SimdShape {
  /** 32 (SHA-256) or 64 (SHA-384/512) */
  bits: 32 | 64;
  rounds: number;
  /** rotations of Σ0, Σ1; rotations and shift of σ0, σ1 */
  S0: readonly [number, number, number];
  S1: readonly [number, number, number];
  s0: readonly [number, number, number];
  s1: readonly [number, number, number];
  /** most message blocks of a signing input (longer ones take the scalar path) */
  maxFixed: number;
  /** key groups per call (a multiple of 2) */
  groups: number;
  /** groups hashed together, their rounds interleaved: 1 (2 was measured no faster) */
  ways: 1 | 2;
}

export const SHA256_SHAPE: SimdShape = Object.freeze({ bits: 32, rounds: 64, S0: Object.freeze([2, 13, 22] as const), S1: Object.freeze([6, 11, 25] as const), s0: Object.freeze([7, 18, 3] as const), s1: Object.freeze([17, 19, 10] as const), maxFixed: 128, groups: 64, ways: 1 });
export const SHA512_SHAPE: SimdShape = Object.freeze({ bits: 64, rounds: 80, S0: Object.freeze([28, 34, 39] as const), S1: Object.freeze([14, 18, 41] as const), s0: Object.freeze([1, 8, 7] as const), s1: Object.freeze([19, 61, 6] as const), maxFixed: 64, groups: 128, ways: 1 });

/** Byte offsets in the module's memory. */
export function simdLayout(shape: SimdShape) {
  const K = 0; // rounds × v128: the round constants, in every lane
  const IV = 2048; // 8 × v128: the initial state
  const PAD = IV + 128; // 16 × v128: the outer block's words after the inner digest
  const INNER = PAD + 256; // 8 × v128 each: inner and outer states of the pair's two groups
  const INNER1 = INNER + 128;
  const OUTER = INNER1 + 128;
  const OUTER1 = OUTER + 128;
  const RING = OUTER1 + 128; // 16 × v128 each: the message schedule's ring of each group
  const RING1 = RING + 256;
  const FIXED = 4096; // the token's message blocks: rounds × v128 (K + W, every lane) per block
  const blockBytes = shape.rounds * 16;
  const KEYS = FIXED + shape.maxFixed * blockBytes; // per group: 16 × v128 key words
  const OUT = KEYS + shape.groups * 256; // per group: 8 × v128 digest words
  const END = OUT + shape.groups * 128;
  return { K, IV, PAD, INNER, INNER1, OUTER, OUTER1, RING, RING1, FIXED, blockBytes, KEYS, OUT, END };
}

/** The module's bytes. Exports mem and run(pairs, fixedBlocks, innerWords): the HMAC of keys groups 0…2·pairs−1 into OUT. */
export function hmacSimdModule(shape: SimdShape): Uint8Array {
  const L = simdLayout(shape);
  const wide = shape.bits === 64;
  const simd = (op: number) => [0xfd, ...leb(op)];
  const load = (offset: number) => [...simd(0x00), 4, ...leb(offset)];
  const store = (offset: number) => [...simd(0x0b), 4, ...leb(offset)];
  const [and, xor, or, bitselect] = [simd(0x4e), simd(0x51), simd(0x50), simd(0x52)];
  const [shl, shrU, add] = wide ? [simd(0xcb), simd(0xcd), simd(0xce)] : [simd(0xab), simd(0xad), simd(0xae)];
  const splat32 = simd(0x11);
  const i32 = (n: number) => [0x41, ...sleb(n)];
  const get = (i: number) => [0x20, ...leb(i)];
  const set = (i: number) => [0x21, ...leb(i)];
  const tee = (i: number) => [0x22, ...leb(i)];
  const [i32add, i32ltu, i32mul] = [[0x6a], [0x49], [0x6c]];
  const loopStart = [0x02, 0x40, 0x03, 0x40];
  const loopEnd = (cond: number[]) => [...cond, 0x0d, 0, 0x0b, 0x0b]; // br_if 0 (continue), end loop, end block
  const call = (f: number) => [0x10, ...leb(f)];
  const rotr = (x: number, n: number) => [...get(x), ...i32(n), ...shrU, ...get(x), ...i32(shape.bits - n), ...shl, ...or];
  const Sigma = (x: number, [p, q, r]: readonly number[]) => [...rotr(x, p!), ...rotr(x, q!), ...xor, ...rotr(x, r!), ...xor];
  const V128 = 0x7b;
  const emit = (code: number[], ...parts: ArrayLike<number>[]) => {
    for (const part of parts) for (let i = 0; i < part.length; i++) code.push(part[i]!);
  };
  const I32 = 0x7f;

  // 0: compress(in…, out…, ring…): out = in + the rounds over each ring's block (scheduled here), for `ways` groups
  // 1: compressFixed(in…, out…, kw): the same over a message block whose K + W is at kw
  const G = shape.ways;
  // A rotation by whole bytes is one shuffle.
  const rotrBytes = (x: number, n: number) => {
    const w = shape.bits / 8;
    return [...get(x), ...get(x), ...simd(0x0d), ...Array.from({ length: 16 }, (_, i) => i - (i % w) + (((i % w) + n / 8) % w))];
  };
  const rot = (x: number, n: number) => (n % 8 === 0 ? rotrBytes(x, n) : rotr(x, n));
  const sigmaS = (x: number, [p, q, r]: readonly number[]) => [...rot(x, p!), ...rot(x, q!), ...xor, ...get(x), ...i32(r!), ...shrU, ...xor];
  const compress = (fixed: boolean) => {
    const IN = (g: number) => g;
    const OUT = (g: number) => G + g;
    const RING = (g: number) => 2 * G + g;
    const KW = 2 * G;
    const params = fixed ? 2 * G + 1 : 3 * G;
    const S = Array.from({ length: G }, (_, g) => Array.from({ length: 8 }, (_, i) => params + 8 * g + i));
    const T1 = Array.from({ length: G }, (_, g) => params + 8 * G + g);
    const X = Array.from({ length: G }, (_, g) => params + 9 * G + g);
    const AB = Array.from({ length: G }, (_, g) => params + 10 * G + g);
    const Y = params + 11 * G;
    const PTR = Y + 1; // i32: the loop's place (bytes into K, or the K + W block)
    const code: number[] = [];
    for (let g = 0; g < G; g++) for (let i = 0; i < 8; i++) emit(code, get(IN(g)), load(i * 16), set(S[g]![i]!));
    // b ^ c, for the first round's maj
    for (let g = 0; g < G; g++) emit(code, get(S[g]![1]!), get(S[g]![2]!), xor, set(AB[g]!));
    // Round t's code; `looped`: inside the loop, where K or K + W is at PTR + (t mod 16) · 16.
    const round = (t: number, looped: boolean) => {
      if (fixed) emit(code, (looped ? get(PTR) : get(KW)), load((looped ? t & 15 : t) * 16), set(X[0]!));
      else {
        for (let g = 0; g < G; g++) {
          const ring = RING(g);
          const slot = (d: number) => ((t - d) & 15) * 16;
          if (t < 16) emit(code, get(ring), load(t * 16), set(X[g]!));
          else {
            emit(
              code,
              get(ring),
              get(ring), load(slot(2)), set(Y), sigmaS(Y, shape.s1),
              get(ring), load(slot(7)), add,
              get(ring), load(slot(15)), set(Y), sigmaS(Y, shape.s0), add,
              get(ring), load(slot(16)), add,
              tee(X[g]!), store(slot(0)),
            );
          }
        }
      }
      for (let g = 0; g < G; g++) {
        const r = (i: number) => S[g]![(((i - t) % 8) + 8) % 8]!;
        const [a, b, , d, e, f, gg, h] = [0, 1, 2, 3, 4, 5, 6, 7].map(r) as [number, number, number, number, number, number, number, number];
        emit(
          code,
          get(h), Sigma(e, shape.S1), add,
          get(f), get(gg), get(e), bitselect, add,
          get(fixed ? X[0]! : X[g]!), add,
          (fixed ? [] : looped ? [...get(PTR), ...load(L.K + (t & 15) * 16), ...add] : [...i32(0), ...load(L.K + t * 16), ...add]),
          set(T1[g]!),
          get(d), get(T1[g]!), add, set(d),
          get(T1[g]!), Sigma(a, shape.S0), add,
          // maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)), b ^ c being the last round's a ^ b (saves an operation on bitselect)
          get(b), get(a), get(b), xor, tee(Y), get(AB[g]!), and, xor, get(Y), set(AB[g]!),
          add,
          set(h),
        );
      }
    };
    // 16 rounds a turn (the ring's period; the names' is 8: fully unrolled code ran slower, measured);
    // a scheduled block's first 16 rounds, which only read the ring, before the loop
    if (!fixed) for (let t = 0; t < 16; t++) round(t, false);
    emit(code, fixed ? get(KW) : i32(256), set(PTR), loopStart);
    for (let t = 16; t < 32; t++) round(t, true);
    emit(code, loopEnd([...get(PTR), ...i32(256), ...i32add, ...tee(PTR), ...(fixed ? [...get(KW), ...i32(shape.rounds * 16), ...i32add] : i32(shape.rounds * 16)), ...i32ltu]));
    // rounds is a multiple of 8: the names are back where they started
    for (let g = 0; g < G; g++) for (let i = 0; i < 8; i++) emit(code, get(OUT(g)), get(IN(g)), load(i * 16), get(S[g]![i]!), add, store(i * 16));
    return { params, locals: [[11 * G + 1, V128], [1, I32]], code };
  };
  // 2: run(pairs, fixedBlocks, innerWords)
  const run = (() => {
    const [PAIRS, NF, NI, P, KP, I] = [0, 1, 2, 3, 4, 5];
    const each = (body: (g: number) => number[]) => (G === 2 ? body(-1) : [...body(0), ...body(1)]);
    const keyBlock = (pad: number, stateA: number, stateB: number) =>
      each((g) => [
        ...Array.from({ length: 16 }, (_, i) => [
          ...(g !== 1 ? [...i32(L.RING), ...get(KP), ...load(i * 16), ...i32(pad), ...splat32, ...xor, ...store(i * 16)] : []),
          ...(g !== 0 ? [...i32(L.RING1), ...get(KP), ...load(256 + i * 16), ...i32(pad), ...splat32, ...xor, ...store(i * 16)] : []),
        ]).flat(),
        ...(g < 0 ? [...i32(L.IV), ...i32(L.IV), ...i32(stateA), ...i32(stateB), ...i32(L.RING), ...i32(L.RING1)] : [...i32(L.IV), ...i32(g ? stateB : stateA), ...i32(g ? L.RING1 : L.RING)]),
        ...call(0),
      ]);
    const outerRing = (ring: number, inner: number) => [
      ...Array.from({ length: 16 }, (_, i) => [...i32(ring), ...i32(0), ...load(L.PAD + i * 16), ...store(i * 16)]).flat(),
      ...i32(0), ...set(I),
      ...loopStart,
      ...get(I), ...i32(ring), ...i32add, ...get(I), ...i32(inner), ...i32add, ...load(0), ...store(0),
      ...loopEnd([...get(I), ...i32(16), ...i32add, ...tee(I), ...get(NI), ...i32(16), ...i32mul, ...i32ltu]),
    ];
    const outAddr = (g: number) => [...get(P), ...i32(256), ...i32mul, ...i32(L.OUT + 128 * g), ...i32add];
    return {
      params: 3,
      locals: [[3, I32]],
      code: [
        ...i32(0), ...set(P),
        ...loopStart,
        ...get(P), ...i32(512), ...i32mul, ...i32(L.KEYS), ...i32add, ...set(KP),
        ...keyBlock(0x36363636, L.INNER, L.INNER1),
        ...keyBlock(0x5c5c5c5c, L.OUTER, L.OUTER1),
        ...i32(0), ...set(I),
        ...loopStart,
        ...each((g) => [
          ...(g < 0 ? [...i32(L.INNER), ...i32(L.INNER1), ...i32(L.INNER), ...i32(L.INNER1)] : [...i32(g ? L.INNER1 : L.INNER), ...i32(g ? L.INNER1 : L.INNER)]),
          ...get(I), ...i32(L.blockBytes), ...i32mul, ...i32(L.FIXED), ...i32add,
          ...call(1),
        ]),
        ...loopEnd([...get(I), ...i32(1), ...i32add, ...tee(I), ...get(NF), ...i32ltu]),
        ...outerRing(L.RING, L.INNER), ...outerRing(L.RING1, L.INNER1),
        ...each((g) => [
          ...(g < 0 ? [...i32(L.OUTER), ...i32(L.OUTER1), ...outAddr(0), ...outAddr(1), ...i32(L.RING), ...i32(L.RING1)] : [...i32(g ? L.OUTER1 : L.OUTER), ...outAddr(g), ...i32(g ? L.RING1 : L.RING)]),
          ...call(0),
        ]),
        ...loopEnd([...get(P), ...i32(1), ...i32add, ...tee(P), ...get(PAIRS), ...i32ltu]),
      ],
    };
  })();
  const fns = [compress(false), compress(true), run];
  // Joined with loops: spreading arrays of thousands of bytes is slow in cold code.
  const cat = (...parts: ArrayLike<number>[]): number[] => {
    const out: number[] = [];
    for (const part of parts) for (let i = 0; i < part.length; i++) out.push(part[i]!);
    return out;
  };
  const vec = (items: ArrayLike<number>[]) => cat(leb(items.length), ...items);
  const section = (id: number, bytes: number[]) => cat([id], leb(bytes.length), bytes);
  const name = (s: string) => cat(leb(s.length), Buffer.from(s));
  const bodies = fns.map((f) => {
    const body = cat(vec(f.locals.map(([n, t]) => [...leb(n!), t!])), f.code, [0x0b]);
    return cat(leb(body.length), body);
  });
  return Uint8Array.from(
    cat(
      [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
      section(1, vec(fns.map((f) => cat([0x60], vec(Array.from({ length: f.params }, () => [I32])), [0x00])))),
      section(3, vec(fns.map((_, i) => leb(i)))),
      section(5, vec([[0x00, ...leb(Math.ceil(L.END / 65536))]])),
      section(7, vec([cat(name('mem'), [0x02, 0x00]), cat(name('run'), [0x00, 0x02])])),
      section(10, vec(bodies)),
    ),
  );
}
