// jwtkit's main() run in this process: the same program as the binary (src/main.ts, which
// src/cli.ts runs for a real process), given argv, an environment, stdin, and stdout and stderr
// that collect what it writes. It returns what jwtkit() (helpers/run.ts) returns, exit code,
// stdout and stderr, for a few milliseconds instead of ~0.15 s of CPU for a process
// (tests/README.md: the spawn budget).
//
// What it cannot show is the process itself: the exit code as the shell sees it, bytes reaching
// real pipes, a terminal, signals, the process's working directory or time zone, the bundle. Each
// command keeps a few tests through the binary (jwtkit()) for that; everything else (what a
// command prints and exits with for an input) may run here.
import { Readable, Writable } from 'node:stream';
import { main } from '../../src/main.js';
import type { Sys } from '../../src/output.js';
import { cleanEnv, type RunResult } from './run.js';

/** Variables that act on the process itself (its clock's zone, locale, Node's own flags): only a real process shows them. */
const PROCESS_WIDE = /^(TZ|LANG|LC_\w+|NODE_\w+|UV_\w+)$/;

function sink(into: Buffer[]): Writable & { isTTY: false } {
  const stream = new Writable({
    write(chunk: Buffer | string, encoding, callback) {
      into.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk);
      callback();
    },
  });
  return Object.assign(stream, { isTTY: false as const });
}

/** A process for main() as jwtkit() starts one: stdin `input` (or empty, as /dev/null), stdout and stderr pipes that collect. */
export function testSys(options: { input?: string | Buffer; env?: Record<string, string | undefined> } = {}): { sys: Sys; out: Buffer[]; err: Buffer[] } {
  for (const name of Object.keys(options.env ?? {})) {
    if (PROCESS_WIDE.test(name)) throw new Error(`cli(): ${name} acts on the whole process; run this case through the binary with jwtkit()`);
  }
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const input = options.input === undefined ? [] : [typeof options.input === 'string' ? Buffer.from(options.input, 'utf8') : options.input];
  const stdin = Object.assign(Readable.from(input, { objectMode: false }), { isTTY: false as const });
  const env = Object.fromEntries(Object.entries(cleanEnv(options.env)).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;
  return { sys: { env, stdin, stdout: sink(out), stderr: sink(err) }, out, err };
}

/**
 * Runs `jwtkit ARGS` in-process, as jwtkit() runs it through the binary: stdin is `input` (or
 * empty, as /dev/null), stdout and stderr are pipes (not terminals), the environment is the clean
 * one of helpers/run.ts plus `env`.
 */
export async function cli(
  args: readonly string[],
  options: { input?: string | Buffer; env?: Record<string, string | undefined> } = {},
): Promise<RunResult> {
  const { sys, out, err } = testSys(options);
  const exitCode = await main(args, sys);
  return { exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}
