// The system clipboard, through clipboardy (loaded only when --copy asks for it). Never throws:
// callers get either {copied:true} or a reason a person can act on.
export type CopyOutcome = { copied: true } | { copied: false; reason: string };

export async function copyToClipboard(text: string, env: NodeJS.ProcessEnv = process.env): Promise<CopyOutcome> {
  const reason = unreachableReason(process.platform, env);
  if (reason) return { copied: false, reason };
  try {
    const { default: clipboard } = (await importEsm('clipboardy')) as typeof import('clipboardy');
    await clipboard.write(text);
    return { copied: true };
  } catch (err) {
    const detail = env.JWTKIT_DEBUG === '1' ? ` (${err instanceof Error ? err.message : String(err)})` : '';
    return { copied: false, reason: `${describeFailure(err)}${detail}` };
  }
}

/**
 * clipboardy is ESM-only. Node 20 runs import() only in code it compiled itself, and
 * dist/jwtkit.cjs is compiled from a code cache by dist/cli.cjs (scripts/loader.cjs), which
 * therefore lends its own import() under this symbol. Elsewhere (node dist/jwtkit.cjs, vitest)
 * import() works as written.
 */
function importEsm(specifier: string): Promise<unknown> {
  const lent = (globalThis as Record<symbol, ((specifier: string) => Promise<unknown>) | undefined>)[Symbol.for('jwtkit.import')];
  return lent ? lent(specifier) : import(specifier);
}

/** Why no clipboard can be reached, decided without spawning anything; null when one may be. */
export function unreachableReason(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string | null {
  if (platform === 'darwin' || platform === 'win32') return null;
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd') {
    if (env.WAYLAND_DISPLAY || env.DISPLAY) return null;
    return 'no display server (DISPLAY and WAYLAND_DISPLAY are not set), as over SSH, in CI or in a container';
  }
  if (platform === 'android') return null;
  return `no clipboard support on ${platform}`;
}

function describeFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/display server|Can't open display/i.test(message)) {
    return 'the display server could not be reached';
  }
  if (/xsel|wl-copy|ENOENT/i.test(message)) {
    return 'no clipboard program found (install xsel, or wl-clipboard on Wayland)';
  }
  return 'the clipboard program failed';
}
