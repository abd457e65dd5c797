import { InvalidCalendarError, InvalidDateError } from './errors.js';
import { CALENDARS, type CanonicalCalendar, type CfDate } from './types.js';

/**
 * Day arithmetic for each CF calendar. Every calendar maps a date to an integer day number and back; only
 * differences between day numbers mean anything, so each calendar picks a convenient origin (the real-world ones
 * use cftime's Julian day numbers, so `standard` can switch from Julian to Gregorian at day 2299161, 1582-10-15).
 */
export interface CalendarRules {
  readonly name: Exclude<CanonicalCalendar, 'none'>;
  /** Whether year 0 exists (cftime's `has_year_zero` defaults, as CF 1.9 sets them). */
  readonly hasYearZero: boolean;
  daysInMonth(year: number, month: number): number;
  /** A valid year, month and day → day number. */
  dayNumber(year: number, month: number, day: number): number;
  fromDayNumber(n: number): { year: number; month: number; day: number };
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const CUMULATIVE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
const CUMULATIVE_LEAP = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366];

/** First day of the Gregorian calendar (1582-10-15) as a Julian day number; the day before is Julian 1582-10-04. */
const GREGORIAN_START_JDN = 2299161;

const floorDiv = (a: number, b: number): number => Math.floor(a / b);
const floorMod = (a: number, b: number): number => a - b * Math.floor(a / b);

const julianLeap = (astronomicalYear: number): boolean => floorMod(astronomicalYear, 4) === 0;
const gregorianLeap = (y: number): boolean => floorMod(y, 4) === 0 && (floorMod(y, 100) !== 0 || floorMod(y, 400) === 0);

// cftime's _IntJulianDayFromDate, on astronomical years (year 0 = 1 BC) with floor division throughout.
function julianJdn(y: number, m: number, d: number): number {
  const cum = julianLeap(y) ? CUMULATIVE_LEAP : CUMULATIVE;
  const y1 = y + 4799;
  return d + cum[m - 1] + 365 * y1 + floorDiv(y1, 4) - 31777;
}

function gregorianJdn(y: number, m: number, d: number): number {
  const cum = gregorianLeap(y) ? CUMULATIVE_LEAP : CUMULATIVE;
  const y1 = y + 4799;
  return d + cum[m - 1] + 365 * y1 + floorDiv(y1, 4) - floorDiv(y1, 100) + floorDiv(y1, 400) - 31739;
}

/** Inverse of a year-based day count: estimate the year from the mean year length, then step to the right one. */
function fromYearCount(
  n: number,
  dayNumber: (y: number, m: number, d: number) => number,
  leap: (y: number) => boolean,
  meanYear: number,
): { year: number; month: number; day: number } {
  let year = Math.floor((n - dayNumber(0, 1, 1)) / meanYear);
  while (dayNumber(year + 1, 1, 1) <= n) year++;
  while (dayNumber(year, 1, 1) > n) year--;
  const dayOfYear = n - dayNumber(year, 1, 1);
  const cum = leap(year) ? CUMULATIVE_LEAP : CUMULATIVE;
  let month = 1;
  while (month < 12 && cum[month] <= dayOfYear) month++;
  return { year, month, day: dayOfYear - cum[month - 1] + 1 };
}

// Years without a zero (standard, julian) are handled internally as astronomical years.
const toAstronomical = (year: number): number => (year < 0 ? year + 1 : year);
const fromAstronomical = (year: number): number => (year <= 0 ? year - 1 : year);

function withHistoricalYears(rules: {
  dayNumber: (y: number, m: number, d: number) => number;
  fromDayNumber: (n: number) => { year: number; month: number; day: number };
}): Pick<CalendarRules, 'dayNumber' | 'fromDayNumber'> {
  return {
    dayNumber: (y, m, d) => rules.dayNumber(toAstronomical(y), m, d),
    fromDayNumber: (n) => {
      const date = rules.fromDayNumber(n);
      return { ...date, year: fromAstronomical(date.year) };
    },
  };
}

const julianFromJdn = (n: number) => fromYearCount(n, julianJdn, julianLeap, 365.25);
const gregorianFromJdn = (n: number) => fromYearCount(n, gregorianJdn, gregorianLeap, 365.2425);

// cftime decides leap years of the mixed calendar by the year alone: Julian rules before 1582, Gregorian from it.
const standardLeap = (astronomicalYear: number): boolean =>
  astronomicalYear > 1581 ? gregorianLeap(astronomicalYear) : julianLeap(astronomicalYear);

const STANDARD: CalendarRules = {
  name: 'standard',
  hasYearZero: false,
  daysInMonth: (y, m) => (m === 2 && standardLeap(toAstronomical(y)) ? 29 : MONTH_DAYS[m - 1]),
  ...withHistoricalYears({
    dayNumber: (y, m, d) => {
      const jul = julianJdn(y, m, d);
      return jul < GREGORIAN_START_JDN ? jul : gregorianJdn(y, m, d);
    },
    fromDayNumber: (n) => (n < GREGORIAN_START_JDN ? julianFromJdn(n) : gregorianFromJdn(n)),
  }),
};

const JULIAN: CalendarRules = {
  name: 'julian',
  hasYearZero: false,
  daysInMonth: (y, m) => (m === 2 && julianLeap(toAstronomical(y)) ? 29 : MONTH_DAYS[m - 1]),
  ...withHistoricalYears({ dayNumber: julianJdn, fromDayNumber: julianFromJdn }),
};

const PROLEPTIC_GREGORIAN: CalendarRules = {
  name: 'proleptic_gregorian',
  hasYearZero: true,
  daysInMonth: (y, m) => (m === 2 && gregorianLeap(y) ? 29 : MONTH_DAYS[m - 1]),
  dayNumber: gregorianJdn,
  fromDayNumber: gregorianFromJdn,
};

function fixedYear(name: 'noleap' | 'all_leap', cum: readonly number[]): CalendarRules {
  const length = cum[12];
  return {
    name,
    hasYearZero: true,
    daysInMonth: (_y, m) => cum[m] - cum[m - 1],
    dayNumber: (y, m, d) => y * length + cum[m - 1] + d - 1,
    fromDayNumber: (n) => {
      const year = floorDiv(n, length);
      const dayOfYear = n - year * length;
      let month = 1;
      while (month < 12 && cum[month] <= dayOfYear) month++;
      return { year, month, day: dayOfYear - cum[month - 1] + 1 };
    },
  };
}

const DAY_360: CalendarRules = {
  name: '360_day',
  hasYearZero: true,
  daysInMonth: () => 30,
  dayNumber: (y, m, d) => y * 360 + (m - 1) * 30 + d - 1,
  fromDayNumber: (n) => {
    const year = floorDiv(n, 360);
    const dayOfYear = n - year * 360;
    return { year, month: floorDiv(dayOfYear, 30) + 1, day: floorMod(dayOfYear, 30) + 1 };
  },
};

const RULES: Record<Exclude<CanonicalCalendar, 'none'>, CalendarRules> = {
  standard: STANDARD,
  julian: JULIAN,
  proleptic_gregorian: PROLEPTIC_GREGORIAN,
  noleap: fixedYear('noleap', CUMULATIVE),
  all_leap: fixedYear('all_leap', CUMULATIVE_LEAP),
  '360_day': DAY_360,
};

const SYNONYMS: Record<string, CanonicalCalendar> = {
  gregorian: 'standard',
  '365_day': 'noleap',
  '366_day': 'all_leap',
};

/** Whether `name` is a CF calendar (case-insensitive, as cf_units reads it). */
export function isValidCalendar(name: string): boolean {
  return (CALENDARS as readonly string[]).includes(name.toLowerCase());
}

/** The canonical name of a calendar; no calendar means `standard`, as in CF. */
export function canonicalCalendar(name: string | undefined): CanonicalCalendar {
  if (name === undefined) return 'standard';
  const lower = name.toLowerCase();
  if (!isValidCalendar(lower)) {
    throw new InvalidCalendarError(name, `not a CF calendar (expected one of ${CALENDARS.join(', ')})`);
  }
  return SYNONYMS[lower] ?? (lower as CanonicalCalendar);
}

/** The rules of a calendar that has dates; `none` (a time axis without a calendar) has none. */
export function calendarRules(name: string | undefined): CalendarRules {
  const canonical = canonicalCalendar(name);
  if (canonical === 'none') {
    throw new InvalidCalendarError(name ?? 'none', 'a time axis with calendar "none" has no dates');
  }
  return RULES[canonical];
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Throws InvalidDateError unless every field is an integer in range and the date exists in the calendar. */
export function assertValidDate(date: CfDate, rules: CalendarRules): void {
  const { year, month, day, hour, minute, second } = date;
  const microsecond = date.microsecond ?? 0;
  const fields = { year, month, day, hour, minute, second, microsecond };
  for (const [field, value] of Object.entries(fields)) {
    if (!Number.isSafeInteger(value)) {
      throw new InvalidDateError(rules.name, `${field} ${String(value)} is not an integer`);
    }
  }
  if (year === 0 && !rules.hasYearZero) throw new InvalidDateError(rules.name, 'there is no year 0');
  if (month < 1 || month > 12) throw new InvalidDateError(rules.name, `there is no month ${month}`);
  const days = rules.daysInMonth(year, month);
  if (day < 1 || day > days) {
    throw new InvalidDateError(rules.name, `${year}-${pad2(month)} has ${days} days, not a day ${day}`);
  }
  if (rules.name === 'standard' && year === 1582 && month === 10 && day > 4 && day < 15) {
    throw new InvalidDateError(rules.name, `1582-10-${pad2(day)} falls in the Julian-to-Gregorian switch`);
  }
  if (hour < 0 || hour > 23) throw new InvalidDateError(rules.name, `hour ${hour} is out of range 0-23`);
  if (minute < 0 || minute > 59) throw new InvalidDateError(rules.name, `minute ${minute} is out of range 0-59`);
  if (second < 0 || second > 59) throw new InvalidDateError(rules.name, `second ${second} is out of range 0-59`);
  if (microsecond < 0 || microsecond > 999_999) {
    throw new InvalidDateError(rules.name, `microsecond ${microsecond} is out of range 0-999999`);
  }
}
