import { describe, expect, it } from 'vitest';
import { formatDuration, isoTime, parseDuration, parseTime, relativeTime, resolveZone, zonedTime } from '../../src/time.js';

const NOW = 1_795_000_000; // 2026-11-18T11:06:40Z

describe('parseDuration', () => {
  it.each([
    ['30s', 30], ['15m', 900], ['1h', 3600], ['7d', 604_800], ['2w', 1_209_600], ['1h30m', 5400],
    ['90', 90], ['1.5h', 5400], [' 2D ', 172_800],
  ])('%j → %i s', (text, seconds) => expect(parseDuration(text)).toBe(seconds));

  it.each(['', 'abc', '1x', '-1h', 'h', '1 h', '1h-'])('%j is not a duration', (text) => expect(parseDuration(text)).toBeNull());
});

describe('parseTime', () => {
  it.each([
    ['2026-11-29T16:00:00Z', 1_795_968_000],
    ['2026-11-29T16:00:00', 1_795_968_000],
    ['2026-11-29T17:00:00+01:00', 1_795_968_000],
    ['2026-11-29', 1_795_910_400],
    ['1795968000', 1_795_968_000],
    ['+1h', NOW + 3600],
    ['-2d', NOW - 172_800],
  ])('%j', (text, seconds) => {
    expect(parseTime('--at', text, NOW)).toBe(seconds);
  });

  it('reads a bare duration as "from now" where asked (sign --exp 15m)', () => {
    expect(parseTime('--exp', '15m', NOW, true)).toBe(NOW + 900);
    expect(parseTime('--exp', '1795968000', NOW, true)).toBe(1_795_968_000);
    // a duration needs a unit: a bare number is a Unix time, however small (issue #16)
    expect(parseTime('--exp', '3600', NOW, true)).toBe(3600);
    expect(parseTime('--nbf', '1', NOW, true)).toBe(1);
    expect(parseTime('--exp', '3600s', NOW, true)).toBe(NOW + 3600);
  });

  it.each([
    ['tomorrow', /--at "tomorrow" is not a time/],
    ['1796054400000', /looks like milliseconds/],
    ['2026-13-45T99:00:00Z', /is not a date: there is no month 13/],
    ['15m', /is not a time/],
    ['2021-02-29', /is not a date: February 2021 has 28 days/],
    ['2024-04-31T10:00:00Z', /is not a date: April 2024 has 30 days/],
    ['2026-11-29T24:00:00Z', /is not a date: there is no time of day 24:00:00/],
    ['2026-11-29T23:60:00Z', /is not a date: there is no time of day 23:60:00/],
    ['+9999999999999999999999y', /beyond the year 9999/],
    ['+300000y', /beyond the year 9999/],
  ])('%j is refused', (text, message) => expect(() => parseTime('--at', text, NOW)).toThrow(message));

  it('accepts February 29th of a leap year', () => {
    expect(parseTime('--at', '2024-02-29', NOW)).toBe(1_709_164_800);
  });

  it('a duration so long that the time leaves the calendar is refused, never Infinity or null', () => {
    expect(() => parseTime('--exp', `${'9'.repeat(400)}y`, NOW, true)).toThrow(/beyond the year 9999/);
    expect(() => parseTime('--exp', '300000y', NOW, true)).toThrow(/beyond the year 9999/);
  });
});

describe('phrases', () => {
  it.each([
    [0, '0s'], [59, '59s'], [60, '1m'], [840, '14m'], [10_920, '3h 2m'], [86_400, '1d'], [90_061, '1d 1h'],
    [86_700, '1d'], [31_536_000 * 2 + 86_400 * 3, '2y 3d'], [-3600, '1h'],
  ])('formatDuration(%i) = %j', (s, text) => expect(formatDuration(s)).toBe(text));

  it.each([
    [NOW + 840, 'in 14m'], [NOW - 10_800, '3h ago'], [NOW, 'now'], [NOW - 10_920, '3h 2m ago'],
  ])('relativeTime(%i) = %j', (s, text) => expect(relativeTime(s, NOW)).toBe(text));

  it('isoTime drops zero milliseconds', () => {
    expect(isoTime(1_795_968_000)).toBe('2026-11-29T16:00:00Z');
    expect(isoTime(1_795_968_000.5)).toBe('2026-11-29T16:00:00.500Z');
  });
});

describe('huge and negative NumericDates render sanely', () => {
  it.each([
    [1e300, 'after 9999-12-31T23:59:59Z', 'in more than 9999y'],
    [253_402_300_800, 'after 9999-12-31T23:59:59Z', 'in 7978y 151d'],
    [-1e300, 'before 0000-01-01T00:00:00Z', 'more than 9999y ago'],
    [-62_167_219_201, 'before 0000-01-01T00:00:00Z', '2028y 83d ago'],
    [-1, '1969-12-31T23:59:59Z', '56y 335d ago'],
    [Number.MAX_VALUE, 'after 9999-12-31T23:59:59Z', 'in more than 9999y'],
  ])('%d → %s, %s', (seconds, iso, relative) => {
    expect(isoTime(seconds)).toBe(iso);
    expect(relativeTime(seconds, NOW)).toBe(relative);
  });

  it('formatDuration never prints an exponent', () => {
    expect(formatDuration(1e300)).toBe('more than 9999y');
    expect(formatDuration(9999 * 31_536_000)).toBe('9999y');
  });
});

describe('--local / --tz: times in a zone beside UTC', () => {
  it('zonedTime is the wall-clock time in the zone, with its offset', () => {
    expect(zonedTime(1795968900, 'Asia/Tokyo')).toBe('2026-11-30 01:15:00 Asia/Tokyo (UTC+09:00)');
    expect(zonedTime(1795968900, 'Asia/Kolkata')).toBe('2026-11-29 21:45:00 Asia/Kolkata (UTC+05:30)');
    expect(zonedTime(1795968900, 'America/New_York')).toBe('2026-11-29 11:15:00 America/New_York (UTC-05:00)');
    expect(zonedTime(1783000000, 'America/New_York')).toMatch(/ \(UTC-04:00\)$/); // summer time
    expect(zonedTime(1795968900, 'UTC')).toBe('2026-11-29 16:15:00 UTC (UTC+00:00)');
    expect(zonedTime(1795968900.7, 'UTC')).toBe('2026-11-29 16:15:00 UTC (UTC+00:00)');
    expect(zonedTime(0, 'Europe/London')).toBe('1970-01-01 01:00:00 Europe/London (UTC+01:00)');
    expect(zonedTime(-62_167_219_200, 'UTC')).toBe('0000-01-01 00:00:00 UTC (UTC+00:00)');
    expect(zonedTime(253_402_300_799, 'Pacific/Kiritimati')).toBe('10000-01-01 13:59:59 Pacific/Kiritimati (UTC+14:00)');
    expect(zonedTime(253_402_300_800, 'UTC')).toBeNull();
    expect(zonedTime(Number.NaN, 'UTC')).toBeNull();
  });

  it('resolveZone validates the zone and names it canonically', () => {
    expect(resolveZone({})).toBeUndefined();
    expect(resolveZone({ tz: 'Asia/Tokyo' })).toBe('Asia/Tokyo');
    expect(resolveZone({ tz: 'europe/paris' })).toBe('Europe/Paris');
    expect(resolveZone({ local: true })).toBe(new Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(() => resolveZone({ tz: 'Mars/Olympus_Mons' })).toThrow('--tz "Mars/Olympus_Mons" is not a time zone');
    expect(() => resolveZone({ tz: '\x1b[31mred' })).toThrow('--tz (an 8-character value, not shown) is not a time zone');
    expect(() => resolveZone({ tz: '+05:30' })).toThrow(expect.objectContaining({ message: '--tz "+05:30" is not a time zone', hint: expect.stringMatching(/^an offset is not a zone/) }));
    expect(() => resolveZone({ tz: '' })).toThrow('--tz is empty');
    expect(() => resolveZone({ local: true, tz: 'UTC' })).toThrow('--local and --tz both choose a time zone');
  });
});
