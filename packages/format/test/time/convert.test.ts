import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeTime, encodeTime, formatCfDate, timeCoder } from '../../src/time/index.js';
import type { CfDate } from '../../src/time/index.js';

const at = (value: number | bigint, units: string, calendar?: string): string => formatCfDate(decodeTime(value, units, calendar));

describe('known values', () => {
  test('the Met Office test files', () => {
    // euro_air_temp.nc and global.pp: time and forecast_reference_time, hours since 1970.
    expect(at(254_400, 'hours since 1970-01-01 00:00:00', 'gregorian')).toBe('1999-01-09 00:00:00');
    expect(at(253_464, 'hours since 1970-01-01 00:00:00')).toBe('1998-12-01 00:00:00');
    expect(at(246_987, 'hours since 1970-01-01 00:00:00')).toBe('1998-03-06 03:00:00');
    expect(at(415_323, 'hours since 1970-01-01')).toBe('2017-05-19 03:00:00');
  });

  test('encodeTime is exact for whole units and the nearest double otherwise', () => {
    const d = { year: 1998, month: 12, day: 1, hour: 0, minute: 0, second: 0 };
    expect(encodeTime(d, 'hours since 1970-01-01 00:00:00')).toBe(253_464);
    expect(encodeTime({ ...d, hour: 8 }, 'days since 1998-12-01')).toBe(1 / 3);
    expect(encodeTime({ ...d, microsecond: 1 }, 'seconds since 1998-12-01')).toBe(1e-6);
  });

  test('values 1 microsecond off a whole second snap to it, except in sub-second units', () => {
    expect(at(1 / 3, 'days since 2000-01-01')).toBe('2000-01-01 08:00:00');
    expect(at(1.000001, 'seconds since 2000-01-01')).toBe('2000-01-01 00:00:01');
    expect(at(1001, 'microseconds since 2000-01-01')).toBe('2000-01-01 00:00:00.001001');
    expect(at(0.0000015, 'seconds since 2000-01-01')).toBe('2000-01-01 00:00:00.000002');
  });

  test('64-bit integer values are exact', () => {
    expect(at(253_464n, 'hours since 1970-01-01')).toBe('1998-12-01 00:00:00');
    expect(at(9_007_199_254_740_993n, 'microseconds since 1970-01-01')).toBe('2255-06-05 23:47:34.740993');
  });

  test('NaN, infinities and values beyond int64 microseconds are INVALID_TIME_VALUE', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, -Number.POSITIVE_INFINITY, 1e17]) {
      expect(() => decodeTime(value, 'days since 2000-01-01'), String(value)).toThrow(
        expect.objectContaining({ code: 'INVALID_TIME_VALUE' }),
      );
    }
  });

  test('timeCoder parses once and answers both ways', () => {
    const coder = timeCoder('days since 2000-01-01', '360_day');
    expect(coder.calendar).toBe('360_day');
    expect(coder.encode(coder.decode(400))).toBe(400);
  });
});

const CALENDAR_NAMES = ['standard', 'gregorian', 'proleptic_gregorian', 'noleap', '365_day', 'all_leap', '366_day', '360_day', 'julian'];

function monthLength(calendar: string, year: number, month: number): number {
  if (calendar === '360_day') return 30;
  const days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (month !== 2) return days;
  const astronomical = year < 0 && (calendar === 'standard' || calendar === 'gregorian' || calendar === 'julian') ? year + 1 : year;
  const julianLeap = ((astronomical % 4) + 4) % 4 === 0;
  const gregorianLeap = julianLeap && (astronomical % 100 !== 0 || astronomical % 400 === 0);
  const leap = {
    noleap: false,
    '365_day': false,
    all_leap: true,
    '366_day': true,
    julian: julianLeap,
    proleptic_gregorian: gregorianLeap,
    standard: year < 1582 ? julianLeap : gregorianLeap,
    gregorian: year < 1582 ? julianLeap : gregorianLeap,
  }[calendar];
  return leap ? 29 : 28;
}

/** Valid dates of a calendar within `years` of 2000, with whole seconds unless `microseconds`. */
function validDate(calendar: string, years: number, microseconds: boolean): fc.Arbitrary<CfDate> {
  return fc
    .record({
      year: fc.integer({ min: 2000 - years, max: 2000 + years }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
      microsecond: microseconds ? fc.integer({ min: 0, max: 999_999 }) : fc.constant(0),
    })
    .filter((d) => d.year !== 0 || calendar === 'proleptic_gregorian' || /day|leap/.test(calendar))
    .map((d) => ({ ...d, day: Math.min(d.day, monthLength(calendar, d.year, d.month)) }))
    .filter((d) => !(calendar.match(/standard|gregorian$/) && d.year === 1582 && d.month === 10 && d.day > 4 && d.day < 15));
}

describe.each(CALENDAR_NAMES)('round trips in %s', (calendar) => {
  test('decode(encode(date)) is the date, to the microsecond, in microseconds', () => {
    fc.assert(
      fc.property(validDate(calendar, 250, true), (date) => {
        expect(decodeTime(encodeTime(date, 'microseconds since 2000-01-01', calendar), 'microseconds since 2000-01-01', calendar)).toEqual(date);
      }),
    );
  });

  test.each(['seconds', 'minutes', 'hours', 'days'])('decode(encode(date)) is the date for whole seconds, in %s', (unit) => {
    const units = `${unit} since 1850-01-01 00:00:00`;
    fc.assert(
      fc.property(validDate(calendar, 150, false), (date) => {
        expect(decodeTime(encodeTime(date, units, calendar), units, calendar)).toEqual(date);
      }),
    );
  });

  test('encode(decode(n)) is n for whole numbers of hours, over ±3000 years', () => {
    fc.assert(
      fc.property(fc.integer({ min: -26_000_000, max: 26_000_000 }), (n) => {
        expect(encodeTime(decodeTime(n, 'hours since 1000-01-01', calendar), 'hours since 1000-01-01', calendar)).toBe(n);
      }),
    );
  });
});

describe('agreement with other calendars', () => {
  test('proleptic_gregorian agrees with JavaScript Date', () => {
    fc.assert(
      fc.property(fc.integer({ min: -50_000_000, max: 50_000_000 }), (n) => {
        const js = new Date(n * 86_400_000);
        expect(decodeTime(n, 'days since 1970-01-01', 'proleptic_gregorian')).toMatchObject({
          year: js.getUTCFullYear(),
          month: js.getUTCMonth() + 1,
          day: js.getUTCDate(),
        });
      }),
    );
  });

  test('standard is julian before the switch and proleptic_gregorian after it', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (n) => {
        const units = 'days since 1582-10-15';
        const standard = decodeTime(n, units, 'standard');
        // Before the switch the same day is 10 days later in the Julian reckoning of 1582-10-15 (= Julian 1582-10-05).
        const other = n >= 0 ? decodeTime(n, units, 'proleptic_gregorian') : decodeTime(n, 'days since 1582-10-05', 'julian');
        expect(standard).toEqual(other);
      }),
    );
  });
});
