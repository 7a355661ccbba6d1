// Runs the real built binary, as a user would, and returns exit code, stdout and stderr.
import { execa, type Options } from 'execa';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/jwtkit.js', import.meta.url));
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The environment of a plain, non-interactive shell: no colour forcing, no display. Nor Node's
 * NODE_EXTRA_CA_CERTS, which some machines set to the whole system bundle: Node parses every
 * certificate in it at start, ~50 ms of CPU per process (a third of a jwtkit run), and the tests
 * fetch from loopback only (the https test gives its own certificate).
 */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of ['FORCE_COLOR', 'NO_COLOR', 'DISPLAY', 'WAYLAND_DISPLAY', 'JWTKIT_DEBUG', 'CI', 'JWT_SECRET', 'NODE_EXTRA_CA_CERTS']) {
    delete env[name];
  }
  return { ...env, ...extra };
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function jwtkit(
  args: readonly string[],
  options: { input?: string; env?: Record<string, string | undefined>; cwd?: string } = {},
): Promise<RunResult> {
  const execaOptions: Options = {
    reject: false,
    env: cleanEnv(options.env),
    extendEnv: false,
    stripFinalNewline: false,
    cwd: options.cwd ?? ROOT,
    ...(options.input === undefined ? { stdin: 'ignore' } : { input: options.input }),
  };
  const result = await execa('node', [BIN, ...args], execaOptions);
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
}

/** A usage or input error: exit 2, one line on stderr, no stack trace, nothing on stdout. */
export function expectOneLineError(result: RunResult): string {
  const lines = result.stderr.split('\n').filter(Boolean);
  if (result.exitCode !== 2) throw new Error(`expected exit 2, got ${result.exitCode}: ${result.stderr}`);
  if (lines.length !== 1) throw new Error(`expected one stderr line, got:\n${result.stderr}`);
  if (/^\s+at .+:\d+:\d+\)?$/m.test(result.stderr)) throw new Error(`stack trace in stderr:\n${result.stderr}`);
  if (!lines[0]!.startsWith('jwtkit: error: ')) throw new Error(`unexpected error format: ${lines[0]}`);
  return lines[0]!;
}

/** Runs a shell command on a real pseudo-terminal (util-linux `script`), `stty cols` wide. */
export function inPty(command: string, env: Record<string, string | undefined> = {}, cols = 80) {
  return execa('script', ['-qec', `stty cols ${cols}; ${command}`, '/dev/null'], {
    env: cleanEnv({ TERM: 'xterm-256color', ...env }),
    extendEnv: false,
    reject: false,
  });
}
