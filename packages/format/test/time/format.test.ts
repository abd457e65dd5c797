import { expect, test } from 'vitest';
import { formatCfDate } from '../../src/time/index.js';

test('formatCfDate prints dates as cftime str() does', () => {
  expect(formatCfDate({ year: 1998, month: 12, day: 1, hour: 0, minute: 0, second: 0 })).toBe('1998-12-01 00:00:00');
  expect(formatCfDate({ year: 1998, month: 3, day: 6, hour: 3, minute: 4, second: 5, microsecond: 0 })).toBe('1998-03-06 03:04:05');
  expect(formatCfDate({ year: 2000, month: 1, day: 1, hour: 0, minute: 0, second: 0, microsecond: 5 })).toBe('2000-01-01 00:00:00.000005');
  expect(formatCfDate({ year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0 })).toBe('0001-01-01 00:00:00');
  expect(formatCfDate({ year: -1, month: 12, day: 31, hour: 23, minute: 59, second: 59 })).toBe('-0001-12-31 23:59:59');
  expect(formatCfDate({ year: -12345, month: 1, day: 1, hour: 0, minute: 0, second: 0 })).toBe('-12345-01-01 00:00:00');
  expect(formatCfDate({ year: 12345, month: 1, day: 1, hour: 0, minute: 0, second: 0 })).toBe('12345-01-01 00:00:00');
});
