// Shared objects are frozen (issue 10): every table a module exports — arrays, records, ranges —
// is Object.freeze'd all the way down, so no caller can change a fact for everyone else.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url);
// Entry points run on import (cli.ts runs main, audit-worker.ts waits for chunks); vendor-* are zxcvbn.
const SKIP = /^(cli|audit-worker|vendor-.*)\.ts$|\.d\.ts$/;
const MODULES = ['', 'cli/', 'commands/'].flatMap((dir) =>
  readdirSync(new URL(dir, SRC))
    .filter((f) => f.endsWith('.ts') && !SKIP.test(f))
    .map((f) => `${dir}${f}`),
);

/** Paths (a.b[2]) of the objects under `value` that are not frozen; typed arrays and class instances aside. */
function unfrozen(value: unknown, path: string, seen = new Set<unknown>()): string[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  if (ArrayBuffer.isView(value) || value instanceof RegExp) return [];
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return [];
  const own = Object.isFrozen(value) ? [] : [path];
  return [...own, ...Object.entries(value).flatMap(([k, v]) => unfrozen(v, Array.isArray(value) ? `${path}[${k}]` : `${path}.${k}`, seen))];
}

describe('exported tables are frozen', () => {
  it('covers the modules', () => {
    expect(MODULES).toEqual(expect.arrayContaining(['algs.ts', 'strength.ts', 'crypto.ts', 'wordhash.ts', 'commands/decode.ts', 'commands/audit.ts', 'cli/key.ts', 'cli/completion.ts']));
  });

  it.each(MODULES)('%s', async (file) => {
    const mod = (await import(new URL(file, SRC).href)) as Record<string, unknown>;
    const bad = Object.entries(mod).flatMap(([name, value]) => unfrozen(value, name));
    expect(bad).toEqual([]);
  });

  it('no module exports a Set or a Map (Object.freeze does not stop add or set)', async () => {
    const found: string[] = [];
    for (const file of MODULES) {
      const mod = (await import(new URL(file, SRC).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) if (value instanceof Set || value instanceof Map) found.push(`${file} ${name}`);
    }
    expect(found).toEqual([]);
  });
});
