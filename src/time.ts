// All date maths: durations, NumericDate (RFC 7519 §2: seconds since the epoch), --at parsing and
// the relative phrases shown next to every time claim.
import { shown } from './shown.js';
import { JwtkitError } from './errors.js';
import { MS_TIME } from './token-rules.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = Object.freeze({ ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 });
const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:ms|[smhdwy]))+$/;
const PART_RE = /(\d+(?:\.\d+)?)(ms|[smhdwy])/g;

/** "30s", "15m", "1h", "7d", "2w", "1h30m", "250ms", or bare seconds ("90") → seconds, exactly
 *  (0.4s is 0.4); null if not one. */
export function parseExactDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t);
  if (!DURATION_RE.test(t)) return null;
  let total = 0;
  for (const [, n, unit] of t.matchAll(PART_RE)) total += Number(n) * UNIT_SECONDS[unit!]!;
  return total;
}

/** A duration in whole seconds (claims and leeways are whole seconds); null if not one. */
export function parseDuration(text: string): number | null {
  const seconds = parseExactDuration(text);
  return seconds === null ? null : Math.round(seconds);
}

export function requireDuration(option: string, text: string): number {
  const seconds = parseDuration(text);
  if (seconds !== null && !(seconds <= LAST_SECOND)) {
    throw new JwtkitError('usage', `${option} ${shown(text)} is longer than jwtkit can count`, 'give a duration under 8000 years');
  }
  if (seconds === null) {
    throw new JwtkitError('usage', `${option} ${shown(text)} is not a duration`, 'use a number with a unit: 30s, 15m, 1h, 7d, 2w');
  }
  return seconds;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A point in time for --at, --exp, --nbf, --iat: ISO 8601, Unix seconds, or a duration relative
 * to now ("+15m", "-2h"; with `bareIsFuture`, "15m" too). A duration needs a unit: a bare number
 * is always a Unix time (`--exp 3600` is 1970, not an hour; sign warns when --exp is past).
 * Returns Unix seconds.
 */
export function parseTime(option: string, text: string, now: number, bareIsFuture = false): number {
  const t = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(t)) {
    const n = Number(t);
    if (n > MS_TIME) {
      throw new JwtkitError('usage', `${option} ${shown(t)} looks like milliseconds`, 'give Unix time in seconds (divide by 1000)');
    }
    return inCalendar(option, t, n);
  }
  const signed = /^([+-])(.+)$/.exec(t);
  if (signed) {
    const seconds = parseDuration(signed[2]!);
    if (seconds !== null) return inCalendar(option, t, signed[1] === '+' ? now + seconds : now - seconds);
  } else if (bareIsFuture) {
    const seconds = parseDuration(t);
    if (seconds !== null) return inCalendar(option, t, now + seconds);
  }
  if (ISO_RE.test(t)) {
    const impossible = impossibleDate(t);
    if (impossible) throw new JwtkitError('usage', `${option} ${shown(t)} is not a date: ${impossible}`, 'check the day and month');
    // A date-time without a zone is taken as UTC, as in JWT claims, never as local time.
    const withZone = /T\d{2}:\d{2}/i.test(t) && !/(?:Z|[+-]\d{2}:?\d{2})$/i.test(t) ? `${t}Z` : t;
    const ms = Date.parse(withZone.replace(' ', 'T'));
    if (!Number.isNaN(ms)) return inCalendar(option, t, ms / 1000);
  }
  throw new JwtkitError('usage', 
    `${option} ${shown(t)} is not a time`,
    `use ISO 8601 (2026-11-29T16:00:00Z), Unix seconds (1795000000)${bareIsFuture ? ', or a duration (15m, 1h, 7d)' : ', or +/- a duration (-1h)'}`,
  );
}

/** The last second of the year 9999: beyond it a time has no ISO 8601 form (and may not be finite). */
const LAST_SECOND = 253_402_300_799;

function inCalendar(option: string, text: string, seconds: number): number {
  if (!Number.isFinite(seconds) || seconds > LAST_SECOND || seconds < -LAST_SECOND) {
    throw new JwtkitError('usage', `${option} ${shown(text)} is beyond the year 9999`, 'give a nearer time');
  }
  return seconds;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Why an ISO 8601 date or time of day does not exist (2021-02-29, 24:00), or null: Date.parse
 *  would roll 2021-02-29 over to March 1st. */
function impossibleDate(text: string): string | null {
  const [, y, m, d, hh, mm, ss] = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/i.exec(text) ?? [];
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12) return `there is no month ${m}`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return `${MONTHS[month - 1]} ${year} has ${days} days`;
  if (hh !== undefined && (Number(hh) > 23 || Number(mm) > 59 || Number(ss ?? 0) > 59)) return `there is no time of day ${hh}:${mm}${ss === undefined ? '' : `:${ss}`}`;
  return null;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * NumericDate → ISO 8601 UTC, whole seconds when the value is whole. Whole seconds in years
 * 0–9999 take an integer path (days → civil date, H. Hinnant's algorithm), 10× faster than
 * Date#toISOString, which matters when decoding a million tokens.
 */
export function isoTime(seconds: number): string {
  if (Number.isInteger(seconds) && seconds >= -62_167_219_200 && seconds < 253_402_300_800) {
    const days = Math.floor(seconds / 86_400);
    const secs = seconds - days * 86_400;
    const z = days + 719_468;
    const era = Math.floor(z / 146_097);
    const doe = z - era * 146_097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const month = mp < 10 ? mp + 3 : mp - 9;
    const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    const hh = Math.floor(secs / 3600);
    const mm = Math.floor((secs % 3600) / 60);
    return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}T${pad2(hh)}:${pad2(mm)}:${pad2(secs % 60)}Z`;
  }
  // Outside years 0–9999 ISO 8601 needs expanded years ("+275760-…"), and Date ends there: say so.
  if (seconds >= 253_402_300_800) return 'after 9999-12-31T23:59:59Z';
  if (seconds < -62_167_219_200) return 'before 0000-01-01T00:00:00Z';
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? 'invalid date' : date.toISOString();
}

const PHRASE_UNITS: readonly [string, number][] = [
  ['y', 31_536_000],
  ['d', 86_400],
  ['h', 3600],
  ['m', 60],
  ['s', 1],
];

/** More than this reads "more than 9999y" (a huge NumericDate would print as 3.2e+292y). */
const MAX_PHRASE_SECONDS = 9999 * 31_536_000;

/** 11_000 → "3h 3m"; at most the two largest units, so it reads at a glance. */
export function formatDuration(totalSeconds: number): string {
  let rest = Math.round(Math.abs(totalSeconds));
  if (rest === 0) return '0s';
  if (!(rest <= MAX_PHRASE_SECONDS)) return 'more than 9999y';
  const parts: string[] = [];
  for (const [unit, size] of PHRASE_UNITS) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    } else if (parts.length > 0) {
      break; // "1d 0h 5m" reads as "1d": only adjacent units
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** "in 14m", "3h 2m ago", "now". */
export function relativeTime(seconds: number, now: number): string {
  const delta = seconds - now;
  if (Math.abs(delta) < 1) return 'now';
  return delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`;
}

/**
 * --local and --tz ZONE → the IANA zone to show times in beside UTC, or undefined for UTC only.
 * --local is this machine's zone (TZ honoured). A zone Intl does not know is a usage error, the
 * value shown as src/shown.ts shows any value.
 */
export function resolveZone(opts: { local?: boolean | undefined; tz?: string | undefined }): string | undefined {
  if (opts.local === true && opts.tz !== undefined) {
    throw new JwtkitError('usage', '--local and --tz both choose a time zone', 'give one of them');
  }
  if (opts.local === true) return new Intl.DateTimeFormat('en-US').resolvedOptions().timeZone || 'UTC';
  if (opts.tz === undefined) return undefined;
  const text = opts.tz;
  if (text.trim() === '') throw new JwtkitError('usage', '--tz is empty', 'give an IANA time zone such as Europe/Paris, America/New_York or UTC');
  let zone: string;
  try {
    zone = new Intl.DateTimeFormat('en-US', { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    const hint = /^[+-]\d{1,2}(:?\d{2})?$/.test(text)
      ? 'an offset is not a zone (a zone also knows its summer time): give the IANA name of a place, such as Asia/Kolkata for +05:30'
      : 'give an IANA name such as Europe/Paris, America/New_York, Asia/Tokyo or UTC';
    throw new JwtkitError('usage', `--tz ${shown(text)} is not a time zone`, hint);
  }
  return zone;
}

// One formatter per zone, made on first use: formatters are immutable, so no result depends on the cache.
const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * NumericDate → "2026-11-30 01:15:00 Asia/Tokyo (UTC+09:00)": the wall-clock time in `zone` (a
 * zone resolveZone returned), to show beside the UTC form. The offset is computed, not ICU's name
 * for it (which differs between ICU versions). Whole seconds shown; times outside years 0–9999
 * give null (their UTC form already says "after 9999…").
 */
export function zonedTime(seconds: number, zone: string): string | null {
  if (!Number.isFinite(seconds) || seconds < -62_167_219_200 || seconds >= 253_402_300_800) return null;
  let format = zoneFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
      hourCycle: 'h23',
      era: 'short',
    });
    zoneFormats.set(zone, format);
  }
  const whole = Math.floor(seconds);
  const parts: Record<string, string> = {};
  for (const p of format.formatToParts(new Date(whole * 1000))) parts[p.type] = p.value;
  const n = (name: string) => Number(parts[name]);
  // Year 0 is "1 BC" to Intl; the proleptic astronomical year is what ISO 8601 writes.
  const year = parts.era === 'BC' ? 1 - n('year') : n('year');
  // The wall-clock reading taken as UTC (setUTCFullYear, unlike Date.UTC, keeps years 0–99).
  const wallDate = new Date(0);
  wallDate.setUTCFullYear(year, n('month') - 1, n('day'));
  wallDate.setUTCHours(n('hour'), n('minute'), n('second'));
  const wall = wallDate.getTime() / 1000;
  const offset = Math.round((wall - whole) / 60);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${String(year).padStart(4, '0')}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${zone} (UTC${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)})`;
}
