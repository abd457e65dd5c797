import { describe, expect, test } from 'vitest';
import { decodeTime, formatCfDate, isTimeReference, parseTimeUnits } from '../../src/time/index.js';

const at = (value: number, units: string, calendar?: string): string => formatCfDate(decodeTime(value, units, calendar));

describe('parseTimeUnits', () => {
  test('reads the unit, its length and the reference date', () => {
    expect(parseTimeUnits('hours since 1970-01-01 00:00:00')).toEqual({
      unit: 'hours',
      microsecondsPerUnit: 3_600_000_000n,
      reference: { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, microsecond: 0 },
      utcOffsetMinutes: 0,
    });
  });

  test.each([
    ['s', 1_000_000n],
    ['sec', 1_000_000n],
    ['secs', 1_000_000n],
    ['second', 1_000_000n],
    ['Seconds', 1_000_000n],
    ['min', 60_000_000n],
    ['mins', 60_000_000n],
    ['minute', 60_000_000n],
    ['h', 3_600_000_000n],
    ['hr', 3_600_000_000n],
    ['hrs', 3_600_000_000n],
    ['hour', 3_600_000_000n],
    ['d', 86_400_000_000n],
    ['day', 86_400_000_000n],
    ['DAYS', 86_400_000_000n],
    ['ms', 1000n],
    ['msec', 1000n],
    ['milliseconds', 1000n],
    ['microseconds', 1n],
  ])("unit '%s' is %s microseconds", (unit, us) => {
    expect(parseTimeUnits(`${unit} since 2000-01-01`).microsecondsPerUnit).toBe(us);
  });

  test('reference dates in the forms files use all mean the same instant', () => {
    const forms = [
      'days since 1970-01-01',
      'days since 1970-1-1',
      'days since 1970-01-01 00:00:00',
      'days since 1970-1-1 0:0:0',
      'days since 1970-01-01 00:00',
      'days since 1970-01-01T00:00:00',
      'days since 1970-01-01T00:00:00Z',
      'days since 1970-01-01 00:00:00 UTC',
      'days since 1970-01-01 00:00:00.0',
      'days since 1970-01-01 00:00:00+00:00',
      'DAYS SINCE 1970-01-01',
      '  days   since   1970-01-01  ',
    ];
    for (const units of forms) expect(at(17305, units), units).toBe('2017-05-19 00:00:00');
  });

  test('a time-zone offset moves the reference to UTC', () => {
    expect(at(0, 'hours since 2000-01-01 06:00:00 +06:00')).toBe('2000-01-01 00:00:00');
    expect(at(0, 'hours since 2000-01-01 00:00:00+0130')).toBe('1999-12-31 22:30:00');
    expect(at(0, 'hours since 2000-01-01T00:00:00-05')).toBe('2000-01-01 05:00:00');
    expect(parseTimeUnits('hours since 2000-01-01 00:00:00 -05:30').utcOffsetMinutes).toBe(-330);
  });

  test('fractional seconds are truncated to microseconds, as cftime', () => {
    expect(parseTimeUnits('seconds since 2000-01-01 00:00:00.1234569').reference.microsecond).toBe(123456);
    expect(at(0, 'seconds since 2000-01-01 00:00:00.5')).toBe('2000-01-01 00:00:00.500000');
  });

  test("'months' only with 360_day and 'common_years' only with noleap", () => {
    expect(at(13, 'months since 2000-01-01', '360_day')).toBe('2001-02-01 00:00:00');
    expect(at(2, 'common_years since 2000-01-01', 'noleap')).toBe('2002-01-01 00:00:00');
    expect(() => parseTimeUnits('months since 2000-01-01', 'standard')).toThrow(expect.objectContaining({ code: 'INVALID_TIME_UNITS' }));
    expect(() => parseTimeUnits('common_years since 2000-01-01', '360_day')).toThrow(
      expect.objectContaining({ code: 'INVALID_TIME_UNITS' }),
    );
  });

  test.each([
    'days',
    'days since',
    'days after 1970-01-01',
    'weeks since 1970-01-01',
    'years since 1970-01-01',
    'days since 1970',
    'days since 1970-01',
    'days since yesterday',
    'days since 1970-01-01 junk',
    'days since 1970-13-01',
    'days since 1970-02-30',
    'days since 1970-01-01 25:00:00',
    'days since 0000-01-01',
  ])("'%s' is INVALID_TIME_UNITS", (units) => {
    expect(() => parseTimeUnits(units, 'standard')).toThrow(expect.objectContaining({ code: 'INVALID_TIME_UNITS' }));
  });

  test('a reference date the calendar lacks is refused in that calendar only', () => {
    expect(() => parseTimeUnits('days since 2001-02-29', 'standard')).toThrow(expect.objectContaining({ code: 'INVALID_TIME_UNITS' }));
    expect(parseTimeUnits('days since 2001-02-29', 'all_leap').reference.day).toBe(29);
    expect(parseTimeUnits('days since 2001-02-30', '360_day').reference.day).toBe(30);
    expect(parseTimeUnits('days since 0000-01-01', 'proleptic_gregorian').reference.year).toBe(0);
  });
});

describe('isTimeReference', () => {
  test('true for <unit> since <date>, false otherwise', () => {
    expect(isTimeReference('hours since 1970-01-01 00:00:00')).toBe(true);
    expect(isTimeReference('months since 2000-01-01')).toBe(true);
    expect(isTimeReference('hours')).toBe(false);
    expect(isTimeReference('K')).toBe(false);
    expect(isTimeReference('unknown')).toBe(false);
    expect(isTimeReference(undefined)).toBe(false);
  });

  test('the same verdict as parsing the units, in any spacing and case', () => {
    // The quick check before parsing must not turn away what parseTimeUnits reads, nor let through what it refuses.
    expect(isTimeReference('  days   SINCE\t2000-01-01')).toBe(true);
    expect(isTimeReference('seconds since 1970-01-01T00:00:00Z')).toBe(true);
    expect(isTimeReference('days since')).toBe(false);
    expect(isTimeReference('days since ')).toBe(false);
    expect(isTimeReference('days sinceX 2000-01-01')).toBe(false);
    expect(isTimeReference('days since not-a-date')).toBe(false);
    expect(isTimeReference('m s-1')).toBe(false);
  });

  test('verdicts are remembered per units string, and stay right past the number kept', () => {
    // More distinct units than are kept (256), each asked twice, true and false alternating.
    for (let round = 0; round < 2; round++) {
      for (let day = 1; day <= 300; day++) {
        const units = `hours since 2000-01-01 00:00:00 +${day % 2 === 0 ? '0' : 'x'}${day}`;
        expect(isTimeReference(units), units).toBe(day % 2 === 0);
      }
    }
  });
});
