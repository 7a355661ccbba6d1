// The one writer to stdout/stderr used by cli.ts and the per-command CLI modules in src/cli/.
import { once } from 'node:events';

/** Buffers writes into large chunks (fast for 100k-line outputs) and respects back-pressure. */
export class Output {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly stream: NodeJS.WriteStream) {}

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

export interface Io {
  out: Output;
  err: Output;
  json: boolean;
}

export function io(): Io {
  return { out: new Output(process.stdout), err: new Output(process.stderr), json: false };
}

