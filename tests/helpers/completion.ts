// bash completion as an interactive shell runs it: one bash sources the script and completes
// every line in turn (COMPREPLY emptied before each); one reply (a list of words) per line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';

export async function bashComplete(script: string, lines: string[][]): Promise<string[][]> {
  const file = join(mkdtempSync(join(tmpdir(), 'jwtkit-completion-')), 'jwtkit.bash');
  writeFileSync(file, script);
  const each = lines.map(
    (line) => `COMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${line.length - 1}; COMPREPLY=(); _jwtkit; printf '%s\\n' "\${COMPREPLY[@]}"; printf '\\036\\n'`,
  );
  const r = await execa('bash', ['-c', [`source '${file}'`, ...each].join('\n')]);
  const replies = r.stdout.split('\u001e').map((reply) => reply.split('\n').filter(Boolean));
  expect(replies).toHaveLength(lines.length + 1);
  return replies.slice(0, lines.length);
}
