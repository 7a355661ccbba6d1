// A file of dist/ run in this process, as `node dist/FILE ARGS…` runs it: the file's own bytes,
// compiled as Node compiles a CommonJS file (a fresh module scope each run, its own require), given
// a `process` that is this one but for argv, env, the three streams (stdin empty, stdout and
// stderr pipes that collect, as helpers/cli.ts's) and the exit code, which it returns. For
// comparing what the bundles themselves print (gen.test.ts: dist/front.cjs against
// dist/jwtkit.cjs) for milliseconds instead of two processes a case; cli.test.ts checks it against
// a real process of the same bundle.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { compileFunction } from 'node:vm';
import { testSys } from './cli.js';
import { ROOT, type RunResult } from './run.js';

export async function runBundle(file: string, args: readonly string[]): Promise<RunResult> {
  const path = join(ROOT, 'dist', file);
  const { sys, out, err } = testSys();
  let exitCode: number | undefined;
  let settled!: () => void;
  const done = new Promise<void>((resolve) => (settled = resolve));
  const setExit = (code: number | undefined) => {
    exitCode = code;
    settled();
  };
  // Listening on the process would reach this one's (the fake's events are its prototype's): refused loudly.
  const listen = () => {
    throw new Error(`runBundle: dist/${file} listens on the process; run it as a process instead`);
  };
  const proc: NodeJS.Process = Object.create(process, {
    argv: { value: [process.execPath, path, ...args] },
    env: { value: sys.env },
    stdin: { value: sys.stdin },
    stdout: { value: sys.stdout },
    stderr: { value: sys.stderr },
    exitCode: { get: () => exitCode, set: setExit },
    exit: { value: setExit },
    on: { value: listen },
    once: { value: listen },
    addListener: { value: listen },
    prependListener: { value: listen },
    prependOnceListener: { value: listen },
  });
  const module = { exports: {} };
  const run = compileFunction(readFileSync(path, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname', 'process'], { filename: path });
  run(module.exports, createRequire(path), module, path, dirname(path), proc);
  await done;
  return { exitCode: exitCode ?? 0, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}
