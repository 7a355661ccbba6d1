// `npm test`: the build (skipped when dist/ is current: scripts/build-stamp.mjs), then the type
// check and the tests side by side.
//
// tsc is one thread for ~10-15 s of CPU on a fresh clone; vitest keeps both cores of a 2-core
// machine busy only part of the time (its end-to-end files wait on the processes they start). So
// tsc runs beside vitest at a lower priority (nice 10): it takes the cycles the tests leave, and
// the tests' timings (a few assert a wall-clock bound) see little of it. Its output is held and
// printed after vitest's; the exit code is the first failure's (vitest's, else tsc's).
// Arguments go to vitest: `npm test -- tests/unit/token.test.ts`.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** Runs node with args in the repository; resolves to its exit code (1 when a signal ended it). */
function node(args, options = {}) {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', ...options });
  const done = new Promise((resolve) => {
    child.on('error', (err) => {
      process.stderr.write(`npm test: cannot run ${args[0]}: ${err.message}\n`);
      resolve(1);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
  return { child, done };
}

const build = await node([fileURLToPath(new URL('build.mjs', import.meta.url)), '--if-changed']).done;
if (build !== 0) process.exit(build);

const tscOutput = [];
const tsc = node(
  [require.resolve('typescript/bin/tsc'), '--noEmit', '--incremental', '--tsBuildInfoFile', 'node_modules/.cache/jwtkit-tsc.tsbuildinfo'],
  { stdio: ['ignore', 'pipe', 'pipe'] },
);
for (const stream of [tsc.child.stdout, tsc.child.stderr]) stream.on('data', (chunk) => tscOutput.push(chunk));
try {
  setPriority(tsc.child.pid, 10);
} catch {
  // not permitted here: tsc runs at the same priority
}
const vitestBin = join(dirname(require.resolve('vitest/package.json')), require('vitest/package.json').bin.vitest);
const vitest = node([vitestBin, 'run', ...process.argv.slice(2)]);

const testsExit = await vitest.done;
const tscExit = await tsc.done;
process.stdout.write(Buffer.concat(tscOutput));
process.stdout.write(tscExit === 0 ? 'tsc --noEmit: no type errors\n' : `tsc --noEmit: type errors (exit ${tscExit})\n`);
process.exit(testsExit !== 0 ? testsExit : tscExit);
