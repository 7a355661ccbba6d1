import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HMAC_SIMD_WASM } from '../../src/hmac-simd-wasm.js';
import { SHA256_SHAPE, SHA512_SHAPE, hmacSimdModule } from '../../src/hmac-simd.js';

const FILE = new URL('../../src/hmac-simd-wasm.ts', import.meta.url);

describe('the HMAC WebAssembly (src/hmac-simd-wasm.ts)', () => {
  it('is what src/hmac-simd.ts generates (JWTKIT_UPDATE_WASM=1 rewrites it)', () => {
    const sha256 = Buffer.from(hmacSimdModule(SHA256_SHAPE)).toString('base64');
    const sha512 = Buffer.from(hmacSimdModule(SHA512_SHAPE)).toString('base64');
    if (process.env.JWTKIT_UPDATE_WASM === '1') {
      const text = readFileSync(FILE, 'utf8');
      const head = text.slice(0, text.indexOf('export const'));
      writeFileSync(FILE, `${head}export const HMAC_SIMD_WASM = Object.freeze({\n  sha256:\n    '${sha256}',\n  sha512:\n    '${sha512}',\n});\n`);
      return;
    }
    expect(HMAC_SIMD_WASM.sha256, 'src/hmac-simd-wasm.ts is stale: JWTKIT_UPDATE_WASM=1 npx vitest run tests/unit/hmac-simd.test.ts').toBe(sha256);
    expect(HMAC_SIMD_WASM.sha512).toBe(sha512);
  });

  it('validates as WebAssembly with SIMD', () => {
    for (const text of [HMAC_SIMD_WASM.sha256, HMAC_SIMD_WASM.sha512]) expect((globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate(Buffer.from(text, 'base64'))).toBe(true);
  });
});
