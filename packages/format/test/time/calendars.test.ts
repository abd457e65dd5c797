import { describe, expect, test } from 'vitest';
import { CALENDARS, canonicalCalendar, decodeTime, encodeTime, isValidCalendar } from '../../src/time/index.js';
import type { CfDate } from '../../src/time/index.js';

const date = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0): CfDate => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});
const ymd = (d: CfDate): string => `${d.year}-${d.month}-${d.day}`;

describe('calendar names', () => {
  test('CALENDARS lists the CF names, synonyms included', () => {
    expect([...CALENDARS].sort()).toEqual(
      ['360_day', '365_day', '366_day', 'all_leap', 'gregorian', 'julian', 'noleap', 'none', 'proleptic_gregorian', 'standard'].sort(),
    );
  });

  test('isValidCalendar is case-insensitive, as cf_units', () => {
    expect(isValidCalendar('standard')).toBe(true);
    expect(isValidCalendar('Gregorian')).toBe(true);
    expect(isValidCalendar('NOLEAP')).toBe(true);
    expect(isValidCalendar('none')).toBe(true);
    expect(isValidCalendar('islamic')).toBe(false);
    expect(isValidCalendar('')).toBe(false);
  });

  test('synonyms fold to one name; no calendar is standard', () => {
    expect(canonicalCalendar('gregorian')).toBe('standard');
    expect(canonicalCalendar('365_day')).toBe('noleap');
    expect(canonicalCalendar('366_day')).toBe('all_leap');
    expect(canonicalCalendar(undefined)).toBe('standard');
    expect(() => canonicalCalendar('lunar')).toThrow(expect.objectContaining({ code: 'INVALID_CALENDAR' }));
  });

  test("'none' has no dates", () => {
    expect(() => decodeTime(0, 'days since 2000-01-01', 'none')).toThrow(expect.objectContaining({ code: 'INVALID_CALENDAR' }));
  });
});

describe('days in each calendar', () => {
  const units = 'days since 2000-01-01';

  test('360_day: every month has 30 days', () => {
    expect(ymd(decodeTime(29, units, '360_day'))).toBe('2000-1-30');
    expect(ymd(decodeTime(30, units, '360_day'))).toBe('2000-2-1');
    expect(ymd(decodeTime(59, units, '360_day'))).toBe('2000-2-30');
    expect(ymd(decodeTime(360, units, '360_day'))).toBe('2001-1-1');
    expect(encodeTime(date(2000, 2, 30), units, '360_day')).toBe(59);
    expect(() => encodeTime(date(2000, 1, 31), units, '360_day')).toThrow(expect.objectContaining({ code: 'INVALID_DATE' }));
  });

  test('noleap: no 29 February, 365 days every year', () => {
    expect(ymd(decodeTime(59, units, 'noleap'))).toBe('2000-3-1');
    expect(ymd(decodeTime(365, units, '365_day'))).toBe('2001-1-1');
    expect(() => encodeTime(date(2000, 2, 29), units, 'noleap')).toThrow(expect.objectContaining({ code: 'INVALID_DATE' }));
  });

  test('all_leap: 29 February every year', () => {
    expect(ymd(decodeTime(59, 'days since 2001-01-01', 'all_leap'))).toBe('2001-2-29');
    expect(ymd(decodeTime(366, 'days since 2001-01-01', '366_day'))).toBe('2002-1-1');
  });

  test('standard: Julian until 1582-10-04, Gregorian from the next day, 1582-10-15', () => {
    expect(ymd(decodeTime(1, 'days since 1582-10-04', 'standard'))).toBe('1582-10-15');
    expect(encodeTime(date(1582, 10, 15), 'days since 1582-10-04', 'standard')).toBe(1);
    expect(() => encodeTime(date(1582, 10, 10), 'days since 1582-10-04', 'standard')).toThrow(
      expect.objectContaining({ code: 'INVALID_DATE' }),
    );
    // Julian leap rules before the switch: 1500 is a leap year there, not in proleptic_gregorian.
    expect(ymd(decodeTime(59, 'days since 1500-01-01', 'standard'))).toBe('1500-2-29');
    expect(ymd(decodeTime(59, 'days since 1500-01-01', 'proleptic_gregorian'))).toBe('1500-3-1');
    expect(ymd(decodeTime(59, 'days since 1900-01-01', 'standard'))).toBe('1900-3-1');
  });

  test('julian: 1900 is a leap year; Julian day 2451545 is 2000-01-01 12:00 Gregorian, 1999-12-19 Julian', () => {
    expect(ymd(decodeTime(59, 'days since 1900-01-01', 'julian'))).toBe('1900-2-29');
    // Julian day numbers count from noon of -4713-01-01 in the Julian calendar (4713 BC).
    const jd = 'days since -4713-01-01 12:00:00';
    expect(decodeTime(2451545, jd, 'julian')).toMatchObject(date(1999, 12, 19, 12));
    expect(decodeTime(2451545, jd, 'standard')).toMatchObject(date(2000, 1, 1, 12));
    expect(decodeTime(2299161, jd, 'standard')).toMatchObject(date(1582, 10, 15, 12));
  });

  test('standard and julian have no year 0; proleptic_gregorian and the idealised calendars do', () => {
    expect(ymd(decodeTime(-1, 'days since 1-01-01', 'standard'))).toBe('-1-12-31');
    expect(ymd(decodeTime(-1, 'days since 1-01-01', 'julian'))).toBe('-1-12-31');
    expect(ymd(decodeTime(-1, 'days since 1-01-01', 'proleptic_gregorian'))).toBe('0-12-31');
    expect(ymd(decodeTime(-1, 'days since 1-01-01', '360_day'))).toBe('0-12-30');
    expect(() => encodeTime(date(0, 6, 1), 'days since 1-01-01', 'standard')).toThrow(
      expect.objectContaining({ code: 'INVALID_DATE' }),
    );
  });

  test('impossible dates are INVALID_DATE', () => {
    const bad: CfDate[] = [date(2001, 2, 29), date(2000, 2, 30), date(2000, 4, 31), date(2000, 13, 1), date(2000, 0, 1), date(2000, 1, 1, 24), date(2000, 1, 1, 0, 60), date(2000, 1, 1, 0, 0, 60), { ...date(2000, 1, 1), microsecond: 1_000_000 }, date(2000.5, 1, 1)];
    for (const d of bad) {
      expect(() => encodeTime(d, 'days since 2000-01-01', 'standard'), JSON.stringify(d)).toThrow(
        expect.objectContaining({ code: 'INVALID_DATE' }),
      );
    }
  });
});
