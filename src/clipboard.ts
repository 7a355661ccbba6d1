// The system clipboard, through clipboardy (loaded only when --copy asks for it). Never throws:
// callers get either {copied:true} or a reason a person can act on.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type CopyOutcome = { copied: true } | { copied: false; reason: string };

export async function copyToClipboard(text: string, env: NodeJS.ProcessEnv = process.env): Promise<CopyOutcome> {
  const reason = unreachableReason(process.platform, env);
  if (reason) return { copied: false, reason };
  try {
    const { default: clipboard } = await importClipboardy();
    await clipboard.write(text);
    return { copied: true };
  } catch (err) {
    const detail = env.JWTKIT_DEBUG === '1' ? ` (${err instanceof Error ? err.message : String(err)})` : '';
    return { copied: false, reason: `${describeFailure(err)}${detail}` };
  }
}

/**
 * clipboardy is ESM-only, and jwtkit's bundles are CommonJS, whose bundler turns import() into
 * require(). So the import is made at run time from clipboardy's resolved file URL.
 */
async function importClipboardy(): Promise<typeof import('clipboardy')> {
  const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
  const url = pathToFileURL(createRequire(here).resolve('clipboardy')).href;
  // dist/cli.cjs provides a real import() (see scripts/loader.cjs); elsewhere (tests) a Function.
  const provided = (globalThis as Record<symbol, unknown>)[Symbol.for('jwtkit.importEsm')];
  const importEsm = (provided ?? new Function('url', 'return import(url)')) as (url: string) => Promise<typeof import('clipboardy')>;
  return importEsm(url);
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
