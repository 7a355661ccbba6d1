// Pure text helpers for the CLI's edge, kept apart so they can be tested without running the CLI.
import { lengthOnly, shown } from './shown.js';

// What an option or a command name can look like: anything else given in their place (a secret or a
// token pasted where an option was expected, `-S3cr3t…`, `-d 'token=…'`) is shown by its length only.
const OPTION_NAME = /^(-[A-Za-z]|--[a-z]+(-[a-z0-9]+)*)$/;
const COMMAND_NAME = /^[a-z]+(-[a-z]+)*$/;

/** An unknown option or command name: shown (src/shown.ts) when it looks like one, else by length. */
function shownName(value: string, shape: RegExp): string {
  return value.length <= 32 && shape.test(value) ? shown(value) : `(${lengthOnly(value)})`;
}

/**
 * commander's error, chosen by its `code` (never by its wording alone), made into one line that
 * names the option and what it accepts.
 */
export function commanderMessage(code: string, raw: string): string {
  const text = raw.replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ').trim();
  switch (code) {
    case 'commander.invalidArgument': {
      const option = /^option '(-[^' ]+)[^']*' argument '(.*)' is invalid\.\s*(.*)$/s.exec(text);
      if (option) return `${option[1]} ${shown(option[2]!)} is not valid: ${allowed(option[3]!)}`;
      const argument = /^command-argument value '(.*)' is invalid for argument '(.*)'\.\s*(.*)$/s.exec(text);
      if (argument) return `<${argument[2]}> ${shown(argument[1]!)} is not valid: ${allowed(argument[3]!)}`;
      break;
    }
    case 'commander.optionMissingArgument': {
      const missing = /^option '(-[^' ]+)[^']*' argument missing$/.exec(text);
      if (missing) return `${missing[1]} needs a value`;
      break;
    }
    case 'commander.unknownOption': {
      const unknown = /^unknown option '(.*)'( \(Did you mean [^()]*\?\))?$/s.exec(text);
      if (unknown) return `unknown option ${shownName(unknown[1]!, OPTION_NAME)}${unknown[2] ?? ''}`;
      break;
    }
    case 'commander.unknownCommand': {
      const unknown = /^unknown command '(.*)'( \(Did you mean [^()]*\?\))?$/s.exec(text);
      if (unknown) return `unknown command ${shownName(unknown[1]!, COMMAND_NAME)}${unknown[2] ?? ''}`;
      break;
    }
    case 'commander.excessArguments': {
      const counts = /Expected (\d+) arguments? but got (\d+)/.exec(text);
      if (counts) return `too many arguments: ${counts[1]} expected, ${counts[2]} given`;
      break;
    }
    default:
      break;
  }
  return text.replace(/\.$/, '');
}

function allowed(why: string): string {
  const choices = /^Allowed choices are (.*?)\.?$/.exec(why);
  return choices ? `use one of ${choices[1]}` : why;
}
