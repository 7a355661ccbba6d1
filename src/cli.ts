// The entry point (scripts/build.mjs bundles from here): main() (src/main.ts) run for this
// process, its argv, env and streams, and its exit code set as the process's.
import { EXIT } from './errors.js';
import { main } from './main.js';
import type { Sys } from './output.js';
import { safeText } from './safe-text.js';

const sys: Sys = {
  env: process.env,
  // A getter: Node makes process.stdin on first use, and most runs never read it.
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
};

main(process.argv.slice(2), sys).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`jwtkit: error: internal error (a bug in jwtkit): ${safeText(err instanceof Error ? err.message : String(err))}\n`);
    if (process.env.JWTKIT_DEBUG === '1' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = EXIT.bug;
  },
);
