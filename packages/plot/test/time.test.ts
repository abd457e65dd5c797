import { describe, expect, it } from 'vitest';
import { encodeTime } from '@cubemark/format';
import { calendarNote, isTimeUnits, timeLabel, timeLabels } from '@cubemark/plot';

describe('time labels in CF calendars', () => {
  it('shows 30 February in a 360_day calendar (every month has 30 days)', () => {
    const labels = timeLabels([58, 59, 60], 'days since 2000-01-01 00:00:00', '360_day');
    expect(labels).toEqual(['2000-02-29', '2000-02-30', '2000-03-01']);
    expect(calendarNote('360_day')).toBe('360_day');
  });

  it('skips 29 February in a noleap calendar, even in a leap year', () => {
    expect(timeLabels([58, 59], 'days since 2000-01-01', 'noleap')).toEqual(['2000-02-28', '2000-03-01']);
    expect(timeLabels([58, 59], 'days since 2000-01-01', 'standard')).toEqual(['2000-02-28', '2000-02-29']);
    expect(calendarNote('365_day')).toBe('365_day');
    expect(calendarNote('gregorian')).toBe('');
    expect(calendarNote(undefined)).toBe('');
  });

  it('shows hours of a forecast (UKV time points in hours since 1970) without seconds', () => {
    expect(timeLabels([415227, 415228], 'hours since 1970-01-01 00:00:00', 'standard')).toEqual(['2017-05-15 03:00', '2017-05-15 04:00']);
    expect(timeLabel(415227.5, 'hours since 1970-01-01', 'gregorian')).toBe('2017-05-15 03:30');
    expect(timeLabel(0.25, 'seconds since 2000-01-01', 'standard')).toBe('2000-01-01 00:00:00.250000');
    expect(timeLabel(415227, 'hours since 1970-01-01', undefined, { compact: false })).toBe('2017-05-15 03:00:00');
  });

  it('shows the nearest second of times stored with float noise (compact labels only)', () => {
    const units = 'hours since 1970-01-01 00:00:00';
    const noisy = encodeTime({ year: 2009, month: 9, day: 9, hour: 17, minute: 10, second: 0 }, units) + 5e-9; // as float hours come back from a file
    expect(timeLabel(noisy, units, 'standard')).toBe('2009-09-09 17:10');
    expect(timeLabel(noisy, units, 'standard', { compact: false })).toMatch(/^2009-09-09 17:10:00\.0000\d\d$/);
    expect(timeLabel(1.5, 'milliseconds since 2000-01-01', 'standard')).toBe('2000-01-01 00:00:00.001500');
  });

  it('knows time units from other units', () => {
    expect(isTimeUnits('hours since 1970-01-01 00:00:00')).toBe(true);
    expect(isTimeUnits('K')).toBe(false);
    expect(isTimeUnits(undefined)).toBe(false);
  });
});
