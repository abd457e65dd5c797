import { assertValidDate, calendarRules } from './calendars.js';
import { InvalidTimeUnitsError, TimeError } from './errors.js';
import type { CfDate, TimeUnits } from './types.js';

const US = 1_000_000n;

/** Unit names cftime accepts (UDUNITS spellings and abbreviations), in microseconds. */
const UNIT_MICROSECONDS: ReadonlyMap<string, bigint> = new Map(
  (
    [
      [['microseconds', 'microsecond', 'microsec', 'microsecs'], 1n],
      [['milliseconds', 'millisecond', 'millisec', 'millisecs', 'msec', 'msecs', 'ms'], 1000n],
      [['seconds', 'second', 'sec', 'secs', 's'], US],
      [['minutes', 'minute', 'min', 'mins'], 60n * US],
      [['hours', 'hour', 'hr', 'hrs', 'h'], 3600n * US],
      [['days', 'day', 'd'], 86_400n * US],
    ] as const
  ).flatMap(([names, us]) => names.map((name) => [name, us] as const)),
);

// Whole months and years have a fixed length only in calendars where every month or year is alike; cftime allows
// them exactly there.
const MONTHS = new Set(['months', 'month']);
const COMMON_YEARS = new Set(['common_years', 'common_year']);

/** Units that count sub-second steps: cftime does not snap their values to whole seconds when decoding. */
export const SUBSECOND_UNITS: ReadonlySet<string> = new Set(
  [...UNIT_MICROSECONDS].filter(([, us]) => us < US).map(([name]) => name),
);

/**
 * The reference date: cftime's ISO 8601 subset (`1970-1-1`, `1970-01-01 00:00`, `1970-01-01T00:00:00.5Z`,
 * `2000-01-01 12:00:00 +05:30`) plus UDUNITS' `UTC`/`GMT` suffix. cftime ignores whatever follows what it
 * recognises; UDUNITS (which Iris applies first, via cf_units) rejects it, and so does this.
 */
const REFERENCE =
  /^([+-]?\d+)-(\d{1,2})-(\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?(?:\s*(?:UTC|GMT))?$/i;

function parseReference(text: string): { date: CfDate; utcOffsetMinutes: number } | undefined {
  const m = REFERENCE.exec(text.trim());
  if (!m) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = m;
  // As cftime: the fraction is truncated (not rounded) to microseconds, via the same float arithmetic.
  const microsecond = fraction === undefined ? 0 : Math.trunc(Number(`0.${fraction}`) * 1e6);
  const date: CfDate = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: hour === undefined ? 0 : Number(hour),
    minute: minute === undefined ? 0 : Number(minute),
    second: second === undefined ? 0 : Number(second),
    microsecond,
  };
  return { date, utcOffsetMinutes: parseZone(zone) };
}

function parseZone(zone: string | undefined): number {
  if (zone === undefined || /^(Z|UTC|GMT)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/**
 * Parses CF time units `<unit> since <reference date>` for a calendar (default: `standard`). `months since` is
 * accepted only with `360_day` and `common_years since` only with `noleap`, as cftime does.
 * Throws InvalidTimeUnitsError, or InvalidCalendarError for an unknown calendar or `none`.
 */
export function parseTimeUnits(units: string, calendar?: string): TimeUnits {
  const rules = calendarRules(calendar);
  const m = /^\s*(\S+)\s+(\S+)\s+(.*)$/s.exec(units);
  if (!m || m[2].toLowerCase() !== 'since') {
    throw new InvalidTimeUnitsError(units, "expected '<unit> since <reference date>'");
  }
  const unit = m[1].toLowerCase();
  let microsecondsPerUnit = UNIT_MICROSECONDS.get(unit);
  if (microsecondsPerUnit === undefined && MONTHS.has(unit)) {
    if (rules.name !== '360_day') {
      throw new InvalidTimeUnitsError(units, "months have no fixed length except in the '360_day' calendar");
    }
    microsecondsPerUnit = 30n * 86_400n * US;
  }
  if (microsecondsPerUnit === undefined && COMMON_YEARS.has(unit)) {
    if (rules.name !== 'noleap') {
      throw new InvalidTimeUnitsError(units, "'common_years' is allowed only in the 'noleap' calendar");
    }
    microsecondsPerUnit = 365n * 86_400n * US;
  }
  if (microsecondsPerUnit === undefined) {
    throw new InvalidTimeUnitsError(
      units,
      `unknown time unit '${m[1]}' (use days, hours, minutes, seconds, milliseconds or microseconds)`,
    );
  }
  const reference = parseReference(m[3]);
  if (!reference) {
    throw new InvalidTimeUnitsError(units, `cannot read the reference date '${m[3].trim()}' (expected e.g. 1970-01-01 00:00:00)`);
  }
  try {
    assertValidDate(reference.date, rules);
  } catch (error) {
    if (error instanceof TimeError) {
      throw new InvalidTimeUnitsError(units, `the reference date is invalid: ${error.message}`, { cause: error });
    }
    throw error;
  }
  return { unit, microsecondsPerUnit, reference: reference.date, utcOffsetMinutes: reference.utcOffsetMinutes };
}

/**
 * Whether units are a time reference (`<unit> since <date>`), as cf_units' `is_time_reference()`: the calendar
 * does not matter, only that the units read as such.
 */
export function isTimeReference(units: string | undefined): boolean {
  if (units === undefined) return false;
  // Most units (`K`, `m s-1`) are not: say so without building an error (and its stack) in parseTimeUnits, which
  // made this the costliest call of a 60-cube summary.
  if (!/^\s*\S+\s+since\s/i.test(units)) return false;
  // Merging and ordering ask it of the same few units over and over (each comparison of a sort).
  let known = timeReferences.get(units);
  if (known === undefined) {
    known = parsesAsTimeReference(units);
    if (timeReferences.size >= TIME_REFERENCES_KEPT) timeReferences.clear();
    timeReferences.set(units, known);
  }
  return known;
}

const timeReferences = new Map<string, boolean>();
const TIME_REFERENCES_KEPT = 256;

function parsesAsTimeReference(units: string): boolean {
  try {
    // Months and common years are time references in any calendar; the check against the calendar is for decoding.
    const unit = /^\s*(\S+)/.exec(units)?.[1].toLowerCase();
    const calendar = unit && MONTHS.has(unit) ? '360_day' : unit && COMMON_YEARS.has(unit) ? 'noleap' : 'proleptic_gregorian';
    parseTimeUnits(units, calendar);
    return true;
  } catch (error) {
    if (error instanceof TimeError) return false;
    throw error;
  }
}

/**
 * Why `units` is not a time reference in `calendar` (spec §6.2), or `undefined` when it is: `<unit> since <date>`
 * with a unit of the list (months and common years in any calendar: they are time references, only decoding them
 * needs 360_day or noleap) and a reference date that exists in the calendar. The `none` calendar has no dates, so
 * there the date needs only to exist in some CF calendar (all_leap or 360_day between them allow every day any
 * calendar has).
 */
export function timeReferenceProblem(units: string, calendar: string): string | undefined {
  const m = /^\s*(\S+)\s+(\S+)\s+(.*)$/s.exec(units);
  if (!m || m[2].toLowerCase() !== 'since') return `expected '<unit> since <reference date>'`;
  const unit = m[1].toLowerCase();
  if (!UNIT_MICROSECONDS.has(unit) && !MONTHS.has(unit) && !COMMON_YEARS.has(unit)) {
    return `unknown time unit '${m[1]}' (use days, hours, minutes, seconds, milliseconds, microseconds, months or common_years)`;
  }
  const reference = parseReference(m[3]);
  if (!reference) return `cannot read the reference date '${m[3].trim()}' (expected e.g. 1970-01-01 00:00:00)`;
  const names = calendar.toLowerCase() === 'none' ? ['all_leap', '360_day'] : [calendar];
  let problem: string | undefined;
  for (const name of names) {
    try {
      assertValidDate(reference.date, calendarRules(name));
      return undefined;
    } catch (error) {
      if (!(error instanceof TimeError)) throw error;
      problem ??= `the reference date does not exist: ${error.message}`;
    }
  }
  return problem;
}
