// `jwtkit completion`: shell completion scripts (bash, zsh, fish, PowerShell) generated from the commander
// program's own definitions, so they never drift from the real options. The script makers are
// pure: a spec in, a script out.
import { JWE_ALGS, JWE_ENCS, JWS_ALGS } from '../algs.js';
import { Argument, type CliContext, type CommandHeader, commandOf, type CommandUnknownOpts as AnyCommand } from './common.js';

/** jwtkit completion's line in `jwtkit --help`; its definition starts from it. */
export const completionHeader: CommandHeader = Object.freeze({
  name: 'completion',
  term: '<shell>',
  description: 'print a shell completion script for bash, zsh, fish or PowerShell',
});

export function completionCommand(ctx: CliContext, program: () => AnyCommand) {
  return commandOf(completionHeader)
    .addArgument(new Argument('<shell>', 'bash, zsh, fish or powershell (pwsh)').choices(SHELLS))
    .addHelpText(
      'after',
      `
Examples:
  $ source <(jwtkit completion bash)                                  # in ~/.bashrc
  $ source <(jwtkit completion zsh)                                   # in ~/.zshrc
  $ jwtkit completion fish > ~/.config/fish/completions/jwtkit.fish
  $ jwtkit completion powershell | Out-String | Invoke-Expression      # PowerShell, in $PROFILE`,
    )
    // The script makers through import(): the front bundle (gen, --help; scripts/build.mjs) leaves them out.
    .action(async (shell) => {
      const { completionScript, commandSpecs } = await import('./completion.js');
      await ctx.out.write(completionScript(shell, commandSpecs(program())));
    });
}

/** What completion needs to know of each command, read from its commander definition. */
export function commandSpecs(program: AnyCommand): CommandSpec[] {
  const optionSpecs = (c: AnyCommand): OptionSpec[] =>
    c.options.map((o) => ({
      long: o.long ?? o.flags,
      short: o.short,
      description: o.description,
      takesValue: o.required || o.optional,
      // --alg of verify and sign takes any JWS algorithm (a list for verify), of decrypt and
      // encrypt any JWE key management algorithm; --enc any content encryption: offer them all.
      choices:
        o.argChoices ??
        (o.long === '--alg' ? (JWE_COMMANDS.has(c.name()) ? JWE_ALGS : JWS_ALGS) : o.long === '--enc' && JWE_COMMANDS.has(c.name()) ? JWE_ENCS : undefined),
      file: FILE_OPTIONS.includes(o.long ?? ''),
    }));
  return program.commands
    .filter((c) => c.name() !== 'help')
    .map((c) => {
      // A command with verbs (`key inspect`…): the verbs, and the options of all of them.
      const verbs = c.commands.filter((v) => v.name() !== 'help');
      if (verbs.length === 0) return { name: c.name(), description: c.description(), options: optionSpecs(c) };
      const options = new Map<string, OptionSpec>();
      for (const v of verbs) for (const o of optionSpecs(v)) if (!options.has(o.long)) options.set(o.long, o);
      return { name: c.name(), description: c.description(), options: [...options.values()], verbs: verbs.map((v) => v.name()) };
    });
}

export interface OptionSpec {
  long: string;
  short?: string | undefined;
  description: string;
  takesValue: boolean;
  choices?: readonly string[] | undefined;
  /** the value is a file name */
  file: boolean;
}

export interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** the command's own subcommands, completed as its first word */
  verbs?: string[];
}

export const SHELLS = Object.freeze(['bash', 'zsh', 'fish', 'powershell', 'pwsh'] as const);
export type Shell = (typeof SHELLS)[number];

/** Options whose values are paths, completed with file names. */
export const FILE_OPTIONS: readonly string[] = Object.freeze(['--key', '--secret-file', '--out', '--wordlist', '--jwks', '--passphrase-file', '--dotenv-file', '--verify-key', '--verify-jwks']);

/** The commands whose --alg and --enc name JWE algorithms. */
const JWE_COMMANDS: ReadonlySet<string> = new Set(['decrypt', 'encrypt']);

export function completionScript(shell: Shell, commands: CommandSpec[]): string {
  switch (shell) {
    case 'bash': return bash(commands);
    case 'zsh': return zsh(commands);
    case 'fish': return fish(commands);
    case 'powershell':
    case 'pwsh':
      return powershell(commands);
  }
}

const words = (list: readonly string[]) => list.join(' ');

function bash(commands: CommandSpec[]): string {
  const valueCases: string[] = [];
  for (const c of commands) {
    for (const o of c.options) {
      if (o.choices) valueCases.push(`      ${c.name}:${o.long}) COMPREPLY=( $(compgen -W "${words(o.choices)}" -- "$cur") ); return ;;`);
      else if (o.file) valueCases.push(`      ${c.name}:${o.long}) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;`);
      else if (o.takesValue) valueCases.push(`      ${c.name}:${o.long}) return ;;`);
    }
  }
  const verbCases = commands
    .filter((c) => c.verbs)
    .map((c) => `      ${c.name}) COMPREPLY=( $(compgen -W "${words(c.verbs!)}" -- "$cur") ); return ;;`);
  const optionCases = commands.map(
    (c) => `      ${c.name}) COMPREPLY=( $(compgen -W "${words(c.options.map((o) => o.long))} --help" -- "$cur") ) ;;`,
  );
  return `# bash completion for jwtkit. Load it with:  source <(jwtkit completion bash)
# or install it:  jwtkit completion bash > ~/.local/share/bash-completion/completions/jwtkit
_jwtkit() {
  local cur prev cmd
  COMPREPLY=()
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=( $(compgen -W "${words(commands.map((c) => c.name))} help --help --version" -- "$cur") )
    return
  fi
  cmd="\${COMP_WORDS[1]}"
  if [[ $COMP_CWORD -eq 2 && "$cur" != -* ]]; then
    case "$cmd" in
${verbCases.join('\n')}
    esac
  fi
  case "$cmd:$prev" in
${valueCases.join('\n')}
  esac
  if [[ "$cur" == -* ]]; then
    case "$cmd" in
${optionCases.join('\n')}
    esac
  fi
}
complete -o default -F _jwtkit jwtkit
`;
}

const zshText = (s: string) => s.replace(/[[\]:'\\]/g, ' ').replace(/\s+/g, ' ').trim();

function zsh(commands: CommandSpec[]): string {
  const list = commands.map((c) => `    '${c.name}:${zshText(c.description)}'`).join('\n');
  const cases = commands
    .map((c) => {
      const specs = c.options.map((o) => {
        const value = o.choices ? `:value:(${words(o.choices)})` : o.file ? ':file:_files' : o.takesValue ? ':value:' : '';
        return `        '${o.long}[${zshText(o.description)}]${value}'`;
      });
      const verb = c.verbs ? [`        '1:command:(${words(c.verbs)})'`] : [];
      return `      ${c.name})\n        _arguments \\\n${[...verb, ...specs, "        '--help[show help]'"].join(' \\\n')}\n        ;;`;
    })
    .join('\n');
  return `#compdef jwtkit
# zsh completion for jwtkit. Load it with:  source <(jwtkit completion zsh)
# or install it as _jwtkit in a folder of your $fpath.
_jwtkit() {
  local -a commands
  commands=(
${list}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  local cmd=$words[2]
  shift words
  (( CURRENT-- ))
  case $cmd in
${cases}
  esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _jwtkit "$@"
else
  compdef _jwtkit jwtkit
fi
`;
}

const fishText = (s: string) => s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");

function fish(commands: CommandSpec[]): string {
  const lines = [
    '# fish completion for jwtkit. Load it with:  jwtkit completion fish | source',
    '# or install it:  jwtkit completion fish > ~/.config/fish/completions/jwtkit.fish',
    'complete -c jwtkit -f',
    ...commands.map((c) => `complete -c jwtkit -n __fish_use_subcommand -a ${c.name} -d '${fishText(c.description)}'`),
  ];
  for (const c of commands) {
    if (c.verbs) lines.push(`complete -c jwtkit -n '__fish_seen_subcommand_from ${c.name}; and not __fish_seen_subcommand_from ${words(c.verbs)}' -a '${words(c.verbs)}'`);
    for (const o of c.options) {
      const base = `complete -c jwtkit -n '__fish_seen_subcommand_from ${c.name}' -l ${o.long.replace(/^--/, '')}`;
      const value = o.choices ? ` -x -a '${words(o.choices)}'` : o.file ? ' -r -F' : o.takesValue ? ' -x' : '';
      lines.push(`${base}${value} -d '${fishText(o.description)}'`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A PowerShell single-quoted string: only ' needs escaping (doubled). */
const psString = (s: string) => `'${s.replace(/['\u2018\u2019\u201a\u201b]/g, "''")}'`;
const psList = (list: readonly string[]) => `@(${list.map(psString).join(', ')})`;

function powershell(commands: CommandSpec[]): string {
  const tips = new Map<string, string>();
  for (const c of commands) tips.set(c.name, c.description);
  const commandNames = commands.map((c) => c.name);
  const options = commands.map((c) => `    ${psString(c.name)} = ${psList([...c.options.map((o) => o.long), '--help'])}`);
  const optionTips = commands.flatMap((c) => c.options.map((o) => `    ${psString(`${c.name}:${o.long}`)} = ${psString(o.description || o.long)}`));
  const values = commands.flatMap((c) => c.options.filter((o) => o.choices).map((o) => `    ${psString(`${c.name}:${o.long}`)} = ${psList(o.choices!)}`));
  const takesValue = commands.flatMap((c) => c.options.filter((o) => o.takesValue && !o.choices).map((o) => psString(`${c.name}:${o.long}`)));
  const verbs = commands.filter((c) => c.verbs).map((c) => `    ${psString(c.name)} = ${psList(c.verbs!)}`);
  return `# PowerShell completion for jwtkit. Load it with:
#   jwtkit completion powershell | Out-String | Invoke-Expression
# or put that line in your profile (notepad $PROFILE) to have it in every session.
Register-ArgumentCompleter -Native -CommandName 'jwtkit', 'jwtkit.cmd', 'jwtkit.ps1' -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $commands = ${psList(commandNames)}
  $commandTips = @{
${[...tips].map(([name, tip]) => `    ${psString(name)} = ${psString(tip || name)}`).join('\n')}
  }
  $options = @{
${options.join('\n')}
  }
  $optionTips = @{
${optionTips.join('\n')}
  }
  $values = @{
${values.join('\n')}
  }
  # Options whose value is a path or free text: PowerShell completes file names when nothing is returned.
  $takesValue = @(${takesValue.join(', ')})
  $verbs = @{
${verbs.join('\n')}
  }
  $words = @($commandAst.CommandElements | Where-Object { $_.Extent.EndOffset -le $cursorPosition } | ForEach-Object { $_.ToString() })
  if ($wordToComplete -ne '' -and $words.Count -gt 0 -and $words[-1] -eq $wordToComplete) {
    $words = @($words | Select-Object -First ($words.Count - 1))
  }
  $offer = {
    param([string[]]$list, [string]$type, $tips, [string]$prefix)
    foreach ($item in $list) {
      if ($item -like "$wordToComplete*") {
        $tip = $item
        if ($tips -and $tips.ContainsKey("$prefix$item")) { $tip = $tips["$prefix$item"] }
        [System.Management.Automation.CompletionResult]::new($item, $item, $type, $tip)
      }
    }
  }
  if ($words.Count -le 1) {
    & $offer ($commands + @('help', '--help', '--version')) 'ParameterValue' $commandTips ''
    return
  }
  $cmd = $words[1]
  $prev = $words[-1]
  $key = "$($cmd):$prev"
  if ($values.ContainsKey($key)) { & $offer $values[$key] 'ParameterValue' $null ''; return }
  if ($takesValue -contains $key) { return }
  if ($words.Count -eq 2 -and $verbs.ContainsKey($cmd) -and -not $wordToComplete.StartsWith('-')) {
    & $offer $verbs[$cmd] 'ParameterValue' $null ''
    return
  }
  if ($wordToComplete.StartsWith('-') -and $options.ContainsKey($cmd)) {
    & $offer $options[$cmd] 'ParameterName' $optionTips "$($cmd):"
  }
}
`;
}
