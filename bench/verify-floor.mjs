// The practical floor for verifying HS256 tokens in Node, doing the least `verify --json` must
// do: read the same input, and for each line one createHmac + timingSafeEqual and one JSON line
// out (`{"valid":…}`, written in 64 KiB chunks). No parsing, no claims, no message.
// FLOOR_NO_OUTPUT=1 drops the output lines (the floor bench/verify used before 2026-11-30).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const secret = Buffer.from(process.env.BENCH_SECRET, 'utf8');
const output = process.env.FLOOR_NO_OUTPUT !== '1';
let valid = 0;
let total = 0;
let out = '';
for await (const line of createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity })) {
  if (line === '') continue;
  total++;
  const dot = line.lastIndexOf('.');
  const mac = createHmac('sha256', secret).update(line.slice(0, dot)).digest();
  const sig = Buffer.from(line.slice(dot + 1), 'base64url');
  const ok = sig.length === mac.length && timingSafeEqual(sig, mac);
  if (ok) valid++;
  if (output) {
    out += JSON.stringify({ valid: ok }) + '\n';
    if (out.length >= 1 << 16) {
      if (!process.stdout.write(out)) await new Promise((resolve) => process.stdout.once('drain', resolve));
      out = '';
    }
  }
}
process.stdout.write(`${out}${output ? '' : `${valid}/${total} valid\n`}`);
