// The practical floor for verifying HS256 tokens in Node: read the file, and for each line one
// createHmac + timingSafeEqual, counting valid ones. No parsing, no claims, no output per token.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const secret = Buffer.from(process.env.BENCH_SECRET, 'utf8');
let valid = 0;
let total = 0;
for await (const line of createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity })) {
  if (line === '') continue;
  total++;
  const dot = line.lastIndexOf('.');
  const mac = createHmac('sha256', secret).update(line.slice(0, dot)).digest();
  const sig = Buffer.from(line.slice(dot + 1), 'base64url');
  if (sig.length === mac.length && timingSafeEqual(sig, mac)) valid++;
}
process.stdout.write(`${valid}/${total} valid\n`);
