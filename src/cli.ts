// The entry point (scripts/build.mjs bundles from here): main() (src/main.ts) run for this
// process, its argv, env and streams, and its exit code set as the process's.
import { EXIT } from './errors.js';
import { main } from './main.js';
import type { Sys } from './output.js';
import { PLAIN, renderErrorLine } from './render.js';

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
    // The last resort (main's own catch failed): no colour, nothing more that could fail.
    process.stderr.write(renderErrorLine(`internal error (a bug in jwtkit): ${err instanceof Error ? err.message : String(err)}`, undefined, PLAIN));
    if (process.env.JWTKIT_DEBUG === '1' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = EXIT.bug;
  },
);
