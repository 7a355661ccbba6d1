// Pure text helpers for cli.ts, kept apart so they can be tested without running the CLI.

/** commander's wording, made into one line that names the option and what it accepts. */
export function commanderMessage(raw: string): string {
  const text = raw.replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ').trim();
  const invalid = /^option '(-[^' ]+)[^']*' argument '(.*)' is invalid\.\s*(.*)$/s.exec(text);
  if (invalid) {
    const [, flag, value, why] = invalid;
    const allowed = /^Allowed choices are (.*?)\.?$/.exec(why ?? '');
    return `${flag} ${JSON.stringify(value)} is not valid: ${allowed ? `use one of ${allowed[1]}` : why}`;
  }
  const missing = /^option '(-[^' ]+)[^']*' argument missing$/.exec(text);
  if (missing) return `${missing[1]} needs a value`;
  const badArgument = /^command-argument value '(.*)' is invalid for argument '(.*)'\.\s*Allowed choices are (.*?)\.?$/s.exec(text);
  if (badArgument) return `<${badArgument[2]}> ${JSON.stringify(badArgument[1])} is not valid: use one of ${badArgument[3]}`;
  return text.replace(/\.$/, '');
}
