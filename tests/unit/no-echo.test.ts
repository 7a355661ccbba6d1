// No secret echoed, not even one typed into the wrong option: every option of every command (read
// from the program itself) and every argument, given a secret-looking value, in-process, with the
// error reported as cli.ts reports it. The value must appear nowhere in stdout or stderr.
// (Options that write a file named by their value run through the binary in a scratch folder:
// tests/e2e/hardening.test.ts.)
import { CommanderError, type Command, type Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { commanderMessage } from '../../src/cli-messages.js';
import type { CliContext } from '../../src/cli/common.js';
import { JwtkitError } from '../../src/errors.js';
import { buildProgram } from '../../src/program.js';
import { FIXTURES, JWE, TOKENS, key } from '../helpers/fixtures.js';

/** A password with symbols, and 32 random bytes in base64 (no padding): what a secret looks like. */
const VALUES = ['Tr0ub4dor&3-ProdSecret!!', 'q3pcm0Rnl0n8S7rQv7Zz1oGmBQ1+YlT1YgkqlQ2y0m8'];

const HS256 = TOKENS.HS256!;
const SECRET_FILE = `${FIXTURES}hs256.secret`;
const KEY = key('ec256.key.pem');

/** What makes each command otherwise valid, so the option under test is what is wrong (or used). */
const BASE: Record<string, string[]> = {
  gen: [],
  decode: [HS256],
  verify: ['--secret-file', SECRET_FILE, HS256],
  sign: ['--secret-file', SECRET_FILE, '--allow-weak-secret', '{}'],
  completion: ['bash'],
  check: ['--secret-file', SECRET_FILE],
  key: [],
  'key inspect': [KEY],
  'key public': [KEY],
  'key convert': [KEY, '--to', 'jwk'],
  'key thumbprint': [KEY],
  'key jwks': [KEY],
  decrypt: ['--key', key('a128kw.jwk'), JWE],
  encrypt: ['--key', key('ec256.pub.pem'), '{}'],
  audit: [HS256],
};

/** Options whose value names a file to write: they run through the binary in a scratch folder. */
const WRITES = new Set(['gen --out', 'gen --dotenv-file', 'key public --out', 'key convert --out', 'key jwks --out']);
/** The secret's own sources: the base's secret is left out when one of them is tested. */
const SECRET_SOURCES = new Set(['--secret-env', '--secret-file', '--secret']);

interface Run {
  out: string;
  err: string;
}

/** argv through the whole program in-process; an error becomes the line and JSON cli.ts writes. */
async function run(argv: string[]): Promise<Run> {
  const result = { out: '', err: '' };
  const sink = (key: 'out' | 'err') => ({
    write: (s: string) => void (result[key] += s),
    writeBytes: async (b: Uint8Array) => void (result[key] += Buffer.from(b).toString('latin1')),
    flush: async () => {},
  });
  const ctx = { out: sink('out'), err: sink('err'), json: false, setExit: () => {} } as unknown as CliContext;
  const program = buildProgram(ctx);
  const quiet = (c: Command): void => {
    c.exitOverride().configureOutput({ writeOut: (s) => void (result.out += s), writeErr: (s) => void (result.err += s), outputError: () => {} });
    for (const sub of c.commands) quiet(sub);
  };
  quiet(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode !== 0) result.err += `jwtkit: error: ${commanderMessage(err.code, err.message)}\n`;
    } else if (err instanceof JwtkitError) {
      result.err += `jwtkit: error: ${err.message}${err.hint ? `. ${err.hint}` : ''}\n`;
      result.out += JSON.stringify({ error: { code: err.code, message: err.message } });
    } else throw err;
  }
  return result;
}

interface Case {
  name: string;
  argv: (value: string) => string[];
}

/** One case for each option that takes a value and each argument, of each command and subcommand. */
function cases(): Case[] {
  const sink = { write: () => undefined, writeBytes: async () => {}, flush: async () => {} };
  const program = buildProgram({ out: sink, err: sink, json: false, setExit: () => {} } as unknown as CliContext);
  const list: Case[] = [{ name: 'a command name', argv: (v) => [v] }, { name: 'an option name', argv: (v) => ['decode', `--${v}`, HS256] }];
  const walk = (command: Command, path: string[]) => {
    const name = path.join(' ');
    const base = BASE[name];
    if (base === undefined) throw new Error(`no base arguments for ${name}: add it to BASE`);
    for (const option of command.options as Option[]) {
      if (!option.required && !option.optional) continue;
      const flag = option.long ?? option.short!;
      if (WRITES.has(`${name} ${flag}`)) continue;
      const without = SECRET_SOURCES.has(flag) ? dropSecret(base) : base;
      list.push({ name: `${name} ${flag}`, argv: (v) => [...path, flag, v, ...without] });
    }
    command.registeredArguments.forEach((argument, i) => {
      // the positional under test replaces the base's own (a token, a payload, a file)
      const options = base.filter((a, j) => a.startsWith('-') || (j > 0 && base[j - 1]!.startsWith('-') && base[j - 1] !== '--allow-weak-secret'));
      const before = Array.from({ length: i }, () => KEY);
      list.push({ name: `${name} <${argument.name()}>`, argv: (v) => [...path, ...options, ...before, v] });
    });
    for (const sub of command.commands) walk(sub, [...path, sub.name()]);
  };
  for (const command of program.commands) if (command.name() !== 'help') walk(command, [command.name()]);
  return list;
}

function dropSecret(base: string[]): string[] {
  const i = base.indexOf('--secret-file');
  return i === -1 ? base : [...base.slice(0, i), ...base.slice(i + 2)];
}

describe('no secret is echoed, whichever option or argument it is typed into', () => {
  const all = cases();
  it('covers every command', () => {
    expect(new Set(all.map((c) => c.name.split(' ')[0]))).toEqual(new Set(['a', 'an', ...Object.keys(BASE).map((k) => k.split(' ')[0])]));
    expect(all.length).toBeGreaterThan(100);
  });
  it.each(all)('$name', async ({ argv }) => {
    for (const value of VALUES) {
      const { out, err } = await run(argv(value));
      for (const [stream, text] of [['stdout', out], ['stderr', err]] as const) {
        // not the value, nor a long piece of it (the part before a symbol, a JSON-escaped form)
        const pieces = [value, ...value.split(/[^A-Za-z0-9]/).filter((p) => p.length >= 8)];
        for (const piece of pieces) expect(text, `${stream} of ${argv(value).join(' ')}`).not.toContain(piece);
      }
    }
  });
});
