/**
 * A date and time in some CF calendar, as cftime's `datetime` holds it. Years follow the calendar's numbering:
 * `standard` and `julian` have no year 0 (year -1 is followed by year 1), the others do.
 */
export interface CfDate {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 to 999999 (default: 0). */
  microsecond?: number;
}

/** CF calendar names (CF 1.x section 4.4.1, as cf_units accepts them). Matching is case-insensitive. */
export const CALENDARS = [
  'standard',
  'gregorian',
  'proleptic_gregorian',
  'noleap',
  '365_day',
  'all_leap',
  '366_day',
  '360_day',
  'julian',
  'none',
] as const;

export type CalendarName = (typeof CALENDARS)[number];

/** A calendar name with synonyms folded (`gregorian` → `standard`, `365_day` → `noleap`, `366_day` → `all_leap`). */
export type CanonicalCalendar = 'standard' | 'proleptic_gregorian' | 'noleap' | 'all_leap' | '360_day' | 'julian' | 'none';

/** Parsed `<unit> since <reference>` units. */
export interface TimeUnits {
  /** The unit as written, lower-cased (`hours`, `h`, `days`, ...). */
  unit: string;
  /** Length of one unit in microseconds. */
  microsecondsPerUnit: bigint;
  /** The reference date as written (before any time-zone offset is applied). */
  reference: CfDate;
  /** Offset of the reference from UTC, in minutes (`+01:00` → 60). */
  utcOffsetMinutes: number;
}
