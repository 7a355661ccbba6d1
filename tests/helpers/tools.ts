// System tools some tests need. On a machine with only Node and npm such a test skips with one
// line naming the tool and the Debian package; with JWTKIT_TEST_REQUIRE_ALL=1 (set by .ci/run) the
// same test fails instead, so CI runs every one.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Set by .ci/run: a missing tool fails the test instead of skipping it. */
export const REQUIRE_ALL = process.env.JWTKIT_TEST_REQUIRE_ALL === '1';
/** Set by .ci/run: the long property and sample runs (CI may take minutes; `npm test` stays fast). */
export const LONG = process.env.JWTKIT_TEST_LONG === '1';
/** `normal` in `npm test`, `long` when JWTKIT_TEST_LONG=1. */
export const runs = (normal: number, long: number): number => (LONG ? long : normal);

interface Tool {
  /** what to run: a name looked up on PATH, or an absolute path */
  command: string;
  /** the Debian package(s) that provide it */
  debian?: string;
  /** for a tool Debian does not package: where to get it (then REQUIRE_ALL skips, by name, instead of failing) */
  elsewhere?: string;
  /** what the tool is, when the command alone does not say */
  what?: string;
  /** a command that must succeed for the tool to count as present */
  probe?: readonly string[];
}

export const TOOLS = {
  zsh: { command: 'zsh', debian: 'zsh' },
  fish: { command: 'fish', debian: 'fish' },
  bash: { command: 'bash', debian: 'bash' },
  Xvfb: { command: 'Xvfb', debian: 'xvfb', what: 'an X server' },
  xsel: { command: 'xsel', debian: 'xsel', what: 'the X clipboard tool' },
  script: { command: 'script', debian: 'bsdutils', what: 'util-linux script, a pseudo-terminal' },
  openssl: { command: 'openssl', debian: 'openssl' },
  git: { command: 'git', debian: 'git' },
  man: { command: 'man', debian: 'man-db', what: 'man-db, to render the man page' },
  pwsh: { command: 'pwsh', elsewhere: "install from Microsoft's repository", what: 'PowerShell 7' },
  jose: { command: 'jose', debian: 'jose', what: 'the jose C tool' },
  jwcrypto: {
    command: '/usr/bin/python3',
    debian: 'python3-jwcrypto',
    what: "jwcrypto in Debian's /usr/bin/python3",
    probe: ['-c', 'import jwcrypto'],
  },
  PyJWT: {
    command: '/usr/bin/python3',
    debian: 'python3-jwt python3-cryptography',
    what: "PyJWT in Debian's /usr/bin/python3",
    probe: ['-c', 'import jwt, cryptography'],
  },
} as const satisfies Record<string, Tool>;
export type ToolName = keyof typeof TOOLS;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findCommand(command: string): string | undefined {
  if (isAbsolute(command)) return executable(command) ? command : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

const present = new Map<ToolName, boolean>();

/** Whether the tool is installed (looked up once per test file). */
export function hasTool(name: ToolName): boolean {
  let found = present.get(name);
  if (found === undefined) {
    const tool: Tool = TOOLS[name];
    const path = findCommand(tool.command);
    found = path !== undefined && (tool.probe === undefined || spawnSync(path, tool.probe, { stdio: 'ignore', timeout: 20_000 }).status === 0);
    present.set(name, found);
  }
  return found;
}

/** The one line a skip (or, under JWTKIT_TEST_REQUIRE_ALL=1, a failure) prints. */
export function missingLine(name: ToolName): string {
  const tool: Tool = TOOLS[name];
  const what = 'what' in tool && tool.what ? ` (${tool.what})` : '';
  return tool.debian ? `needs ${name}${what}: apt-get install ${tool.debian}` : `needs ${name}${what}: not in Debian; ${tool.elsewhere}`;
}

interface Skippable {
  skip(note?: string): never;
}

/**
 * Call first in a test that runs a system tool: returns when every tool is there; otherwise skips
 * the test with one line naming the tool and its Debian package, or fails it under
 * JWTKIT_TEST_REQUIRE_ALL=1. A tool Debian does not package (pwsh) cannot be installed by .ci/run:
 * it stays a named skip even then, which the skip reporter prints in every run (never silent).
 */
export function requireTools(ctx: Skippable, ...names: ToolName[]): void {
  const missing = names.filter((name) => !hasTool(name));
  if (missing.length === 0) return;
  const line = missing.map(missingLine).join('; ');
  const installable = missing.filter((name) => (TOOLS[name] as Tool).debian !== undefined);
  if (REQUIRE_ALL && installable.length > 0) {
    throw new Error(`${installable.map(missingLine).join('; ')} (JWTKIT_TEST_REQUIRE_ALL=1 makes a missing tool a failure)`);
  }
  ctx.skip(line);
}
