// The one writer to stdout/stderr used by cli.ts and the per-command CLI modules in src/cli/.
import { once } from 'node:events';
import type { Readable } from 'node:stream';

/** Buffers writes into large chunks (fast for 100k-line outputs) and respects back-pressure. */
export class Output {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly stream: NodeJS.WritableStream) {}

  /** Returns a promise only when it had to flush, so hot loops can skip the await. */
  write(text: string): Promise<void> | undefined {
    if (text === '') return undefined;
    this.parts.push(text);
    this.size += text.length;
    return this.size >= 1 << 16 ? this.flush() : undefined;
  }

  /** Bytes exactly as given (a decrypted plaintext), after what is buffered. */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.flush();
    if (bytes.byteLength > 0 && !this.stream.write(bytes)) await once(this.stream, 'drain');
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const data = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(data)) await once(this.stream, 'drain');
  }
}

/** A stream as jwtkit looks at it: whether it is a terminal. */
export interface Terminalish {
  isTTY?: boolean | undefined;
}

/**
 * The process as the program sees it: its environment and its three streams. main() is given the
 * real ones (src/cli.ts); the tests run the same program in-process with their own (tests/helpers/
 * cli.ts), so nothing below main() reads `process.env`, `process.stdin`, `process.stdout` or
 * `process.stderr` itself.
 */
export interface Sys {
  env: NodeJS.ProcessEnv;
  stdin: Readable & Terminalish;
  stdout: NodeJS.WritableStream & Terminalish;
  stderr: NodeJS.WritableStream & Terminalish;
}

export interface Io {
  out: Output;
  err: Output;
  json: boolean;
  sys: Sys;
}

export function io(sys: Sys): Io {
  return { out: new Output(sys.stdout), err: new Output(sys.stderr), json: false, sys };
}

