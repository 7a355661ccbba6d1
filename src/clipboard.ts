// The system clipboard, through clipboardy (loaded only when --copy or --paste asks for it). Never
// throws: callers get either the outcome or a reason a person can act on.
export type CopyOutcome = { copied: true } | { copied: false; reason: string };

export async function copyToClipboard(text: string, env: NodeJS.ProcessEnv): Promise<CopyOutcome> {
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

export type PasteOutcome = { text: string } | { text?: undefined; reason: string };

/** The clipboard's text (decode --paste, verify --paste): attacker-written like any input. */
export async function readClipboard(env: NodeJS.ProcessEnv): Promise<PasteOutcome> {
  const reason = unreachableReason(process.platform, env);
  if (reason) return { reason };
  try {
    const { default: clipboard } = (await importEsm('clipboardy')) as typeof import('clipboardy');
    return { text: await clipboard.read() };
  } catch (err) {
    const detail = env.JWTKIT_DEBUG === '1' ? ` (${err instanceof Error ? err.message : String(err)})` : '';
    return { reason: `${describeFailure(err)}${detail}` };
  }
}

/** clipboardy is ESM-only: a real import(), which the build keeps as one (scripts/build.mjs). */
function importEsm(specifier: string): Promise<unknown> {
  return import(specifier);
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
  if (/xsel|wl-copy|wl-paste|ENOENT/i.test(message)) {
    return 'no clipboard program found (install xsel, or wl-clipboard on Wayland)';
  }
  return 'the clipboard program failed';
}
