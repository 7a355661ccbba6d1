// gen --dotenv-file's edit of a dotenv file: pure text in, text out (the file read as latin1).
import { describe, expect, it } from 'vitest';
import { updateEnvText } from '../../src/commands/env-file.js';

const NEW = 'bmV3LXNlY3JldA==';
const edit = (text: string, name = 'JWT_SECRET') => updateEnvText(text, name, NEW, '.env');

describe('updateEnvText', () => {
  it('an empty file gets the line; a file without the name gets it appended (with a newline first if needed)', () => {
    expect(edit('')).toEqual({ text: `JWT_SECRET=${NEW}\n`, previous: false, replaced: false });
    expect(edit('A=1\n').text).toBe(`A=1\nJWT_SECRET=${NEW}\n`);
    expect(edit('A=1').text).toBe(`A=1\nJWT_SECRET=${NEW}\n`);
    expect(edit('A=1\r\nB=2').text).toBe(`A=1\r\nB=2\r\nJWT_SECRET=${NEW}\r\n`);
    // A longer name that starts the same is another variable.
    expect(edit('JWT_SECRET_KEY=x\n').text).toBe(`JWT_SECRET_KEY=x\nJWT_SECRET=${NEW}\n`);
  });

  it('replaces the value in place and keeps the old one as NAME_PREVIOUS right after it', () => {
    expect(edit('# comment\nJWT_SECRET=old\nB=2\n')).toEqual({
      text: `# comment\nJWT_SECRET=${NEW}\nJWT_SECRET_PREVIOUS=old\nB=2\n`,
      previous: true,
      replaced: true,
    });
    // The old value's text is kept exactly: quotes, an inline comment.
    expect(edit(`JWT_SECRET="o l d" # from 2025\n`).text).toBe(`JWT_SECRET=${NEW}\nJWT_SECRET_PREVIOUS="o l d" # from 2025\n`);
    // The last line without a newline stays without one.
    expect(edit('A=1\nJWT_SECRET=old').text).toBe(`A=1\nJWT_SECRET=${NEW}\nJWT_SECRET_PREVIOUS=old`);
  });

  it('an existing NAME_PREVIOUS gets the old value (its own is dropped), where it is', () => {
    expect(edit('JWT_SECRET_PREVIOUS=oldest\nX=1\nJWT_SECRET=old\n').text).toBe(`JWT_SECRET_PREVIOUS=old\nX=1\nJWT_SECRET=${NEW}\n`);
  });

  it('keeps export, indentation, spaces around =, CRLF, a BOM and bytes that are not UTF-8', () => {
    expect(edit('export JWT_SECRET=old\r\n').text).toBe(`export JWT_SECRET=${NEW}\r\nexport JWT_SECRET_PREVIOUS=old\r\n`);
    expect(edit('  JWT_SECRET = old\n').text).toBe(`  JWT_SECRET=${NEW}\n  JWT_SECRET_PREVIOUS= old\n`);
    expect(edit('\xEF\xBB\xBFJWT_SECRET=old\n').text).toBe(`\xEF\xBB\xBFJWT_SECRET=${NEW}\nJWT_SECRET_PREVIOUS=old\n`);
    expect(edit('NOTE=caf\xE9\xFF\nJWT_SECRET=old\n').text).toBe(`NOTE=caf\xE9\xFF\nJWT_SECRET=${NEW}\nJWT_SECRET_PREVIOUS=old\n`);
  });

  it('an empty old value is not kept', () => {
    for (const empty of ['JWT_SECRET=\n', 'JWT_SECRET=""\n', "JWT_SECRET=''\n", 'JWT_SECRET= # fill me\n']) {
      expect(edit(empty)).toEqual({ text: `JWT_SECRET=${NEW}\n`, previous: false, replaced: true });
    }
  });

  it('refuses, naming lines and never values, a name set twice or a quoted value over several lines', () => {
    expect(() => edit('JWT_SECRET=s3cr3t-one\nA=1\nexport JWT_SECRET=s3cr3t-two\n')).toThrow(
      '.env sets JWT_SECRET 2 times (lines 1, 3); jwtkit will not guess which one your app reads',
    );
    expect(() => edit('JWT_SECRET_PREVIOUS=a\nJWT_SECRET_PREVIOUS=b\n')).toThrow('.env sets JWT_SECRET_PREVIOUS 2 times (lines 1, 2)');
    expect(() => edit('A=1\nJWT_SECRET="s3cr3t\nmore"\n')).toThrow('.env line 2: the value of JWT_SECRET is a quoted text over several lines');
    try {
      edit('JWT_SECRET=s3cr3t-one\nJWT_SECRET=s3cr3t-two\n');
    } catch (err) {
      expect(String(err)).not.toContain('s3cr3t');
    }
    // A closed quote with an escaped quote inside is one line.
    expect(edit('JWT_SECRET="a\\"b"\n').previous).toBe(true);
  });
});
