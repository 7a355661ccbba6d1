import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // End-to-end tests start real processes (and Xvfb); give slow CI machines room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // vitest's default is one worker per core less one: a single worker on a 2-core machine. The
    // end-to-end files spend most of their time waiting for the processes they start, so one file
    // per core plus one keeps the cores busy.
    maxWorkers: availableParallelism() + 1,
    // One line per test skipped for a missing system tool (tests/helpers/tools.ts).
    reporters: ['default', './tests/helpers/skip-reporter.ts'],
  },
});
