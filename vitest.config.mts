import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// Files whose time is another program's (npm pack and two installs; the README's walkthrough):
// their size says nothing of it. Without timings of an earlier run (a fresh clone), vitest starts
// the largest files first, so these few lines started last and ran alone for ~10 s at the end
// while the other core idled. They always go first (among the longest anyway), then vitest's order.
const STARTS_FIRST = ['tests/e2e/packaging.test.ts', 'tests/e2e/key-walkthrough.test.ts'];

class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = STARTS_FIRST.findIndex((name) => f.moduleId.endsWith(name));
      return i === -1 ? STARTS_FIRST.length : i;
    };
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
  }
}

export default defineConfig({
  // What scripts/build.mjs defines for the bundle, so main() run in-process (tests/helpers/cli.ts)
  // prints the same --version as the binary.
  define: { __JWTKIT_VERSION__: JSON.stringify(pkg.version) },
  test: {
    include: ['tests/**/*.test.ts'],
    // End-to-end tests start real processes (and Xvfb); give slow CI machines room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Worker threads, and one module registry per worker shared by the files it runs: ~0.5 s of
    // CPU less per file than a fresh process per file (issue #10: `npm test` ≤ 60 s on 2 cores).
    // Safe while no test mocks modules, stubs globals or changes the process (cwd, env): none
    // does; a test that must would go in a project of its own with `isolate: true`.
    pool: 'threads',
    isolate: false,
    // vitest's default is one worker per core less one: a single worker on a 2-core machine. One
    // per core: tsc (scripts/test.mjs, at nice 10) takes the cycles left while end-to-end files
    // wait on their processes. One per core plus one, when the e2e files started ~180 processes,
    // was faster; with ~90 left it costs more CPU (each worker loads the modules again) and time:
    // a fresh clone's `npm test` in 7 interleaved pairs, 2 workers against 3, won 6 (43-55 s
    // against 46-79 s, 2026-11-30).
    maxWorkers: availableParallelism(),
    // One line per test skipped for a missing system tool (tests/helpers/tools.ts).
    reporters: ['default', './tests/helpers/skip-reporter.ts'],
    sequence: { sequencer: LongFirst },
  },
});
