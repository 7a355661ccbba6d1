// A real X server for clipboard tests. Xvfb is installed by .ci/run; on a machine without it the
// clipboard tests skip (requireTools in tools.ts), and fail under JWTKIT_TEST_REQUIRE_ALL=1.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface XServer {
  display: string;
  stop(): Promise<void>;
}

export async function startXvfb(): Promise<XServer> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const n = 90 + Math.floor(Math.random() * 400);
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    const child: ChildProcess = spawn('Xvfb', [`:${n}`, '-screen', '0', '640x480x24', '-nolisten', 'tcp'], {
      stdio: 'ignore',
    });
    let failed: Error | undefined;
    child.once('error', (err) => (failed = err));
    child.once('exit', () => (failed ??= new Error('Xvfb exited')));
    for (let i = 0; i < 100 && !failed; i++) {
      if (existsSync(`/tmp/.X11-unix/X${n}`)) {
        return {
          display: `:${n}`,
          async stop() {
            child.kill('SIGTERM');
            await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
          },
        };
      }
      await sleep(50);
    }
    child.kill('SIGKILL');
    if (failed && (failed as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('Xvfb is not installed: apt-get install -y xvfb xsel (.ci/run does this)');
    }
  }
  throw new Error('could not start Xvfb');
}
