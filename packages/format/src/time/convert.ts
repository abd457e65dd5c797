import { assertValidDate, calendarRules, type CalendarRules } from './calendars.js';
import { InvalidTimeValueError } from './errors.js';
import { divideToNumber, floorDivBig, floorModBig, scaleExact } from './exact.js';
import type { CfDate, TimeUnits } from './types.js';
import { parseTimeUnits, SUBSECOND_UNITS } from './units.js';

const US_PER_SECOND = 1_000_000n;
const US_PER_DAY = 86_400n * US_PER_SECOND;
// cftime counts microseconds in int64 and refuses values beyond it.
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** Converts between numbers in one set of time units and dates, parsing the units once. */
export interface TimeCoder {
  readonly units: TimeUnits;
  readonly calendar: CalendarRules['name'];
  decode(value: number | bigint): Required<CfDate>;
  encode(date: CfDate): number;
}

function toMicroseconds(date: CfDate, rules: CalendarRules): bigint {
  const day = BigInt(rules.dayNumber(date.year, date.month, date.day));
  const seconds = BigInt(date.hour * 3600 + date.minute * 60 + date.second);
  return day * US_PER_DAY + seconds * US_PER_SECOND + BigInt(date.microsecond ?? 0);
}

function fromMicroseconds(total: bigint, rules: CalendarRules): Required<CfDate> {
  const day = floorDivBig(total, US_PER_DAY);
  const inDay = Number(total - day * US_PER_DAY);
  const { year, month, day: dayOfMonth } = rules.fromDayNumber(Number(day));
  const seconds = Math.floor(inDay / 1e6);
  return {
    year,
    month,
    day: dayOfMonth,
    hour: Math.floor(seconds / 3600),
    minute: Math.floor((seconds % 3600) / 60),
    second: seconds % 60,
    microsecond: inDay - seconds * 1e6,
  };
}

/**
 * A coder for `units` (`<unit> since <reference>`) in `calendar` (default: `standard`, the mixed Julian/Gregorian
 * calendar). Results match cftime's `num2date`/`date2num`.
 */
export function timeCoder(units: string, calendar?: string): TimeCoder {
  const rules = calendarRules(calendar);
  const parsed = parseTimeUnits(units, calendar);
  const unitUs = parsed.microsecondsPerUnit;
  const base = toMicroseconds(parsed.reference, rules) - BigInt(parsed.utcOffsetMinutes) * 60n * US_PER_SECOND;
  const snapToSeconds = !SUBSECOND_UNITS.has(parsed.unit);

  function offsetOf(value: number | bigint): bigint {
    if (typeof value === 'bigint') return value * unitUs;
    if (!Number.isFinite(value)) throw new InvalidTimeValueError(value, 'not a finite number');
    const scaled = scaleExact(value, unitUs);
    // As cftime: a value 1 microsecond off a whole second is float noise, so snap it (cftime issue #187).
    if (snapToSeconds) {
      const rest = floorModBig(scaled.nearest, US_PER_SECOND);
      if (rest === 1n) return scaled.floor;
      if (rest === US_PER_SECOND - 1n) return scaled.ceil;
    }
    return scaled.nearest;
  }

  return {
    units: parsed,
    calendar: rules.name,
    decode(value) {
      const offset = offsetOf(value);
      if (offset > INT64_MAX || offset < INT64_MIN) {
        throw new InvalidTimeValueError(value, `beyond the range cftime can decode in ${parsed.unit}`);
      }
      return fromMicroseconds(base + offset, rules);
    },
    encode(date) {
      assertValidDate(date, rules);
      const delta = toMicroseconds(date, rules) - base;
      return delta % unitUs === 0n ? Number(delta / unitUs) : divideToNumber(delta, unitUs);
    },
  };
}

/**
 * The date a time value stands for, as cftime's `num2date`: values are rounded to the microsecond, and to the whole
 * second when 1 microsecond away from it (unless the units are milli- or microseconds).
 * Throws INVALID_TIME_UNITS, INVALID_CALENDAR (also for `none`) or INVALID_TIME_VALUE.
 */
export function decodeTime(value: number | bigint, units: string, calendar?: string): Required<CfDate> {
  return timeCoder(units, calendar).decode(value);
}

/**
 * The time value of a date, as cftime's `date2num`: exact when the date is a whole number of units from the
 * reference, else the nearest double to the quotient. Throws INVALID_DATE for a date the calendar lacks.
 */
export function encodeTime(date: CfDate, units: string, calendar?: string): number {
  return timeCoder(units, calendar).encode(date);
}
