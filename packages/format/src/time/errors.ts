import { CubemarkError } from '../errors/base.js';

/**
 * Errors of CF time handling. Codes are stable: `INVALID_TIME_UNITS` (not `<unit> since <date>`, an unknown unit,
 * a bad reference date), `INVALID_CALENDAR` (unknown name, or `none` where dates are needed), `INVALID_DATE` (a
 * date the calendar does not have) and `INVALID_TIME_VALUE` (NaN, infinite, or beyond cftime's 64-bit microsecond
 * range).
 */
export class TimeError extends CubemarkError {}

export class InvalidTimeUnitsError extends TimeError {
  readonly units: string;
  constructor(units: string, reason: string, options?: { cause?: unknown }) {
    super('INVALID_TIME_UNITS', `invalid CF time units '${units}': ${reason}`, options);
    this.units = units;
  }
}

export class InvalidCalendarError extends TimeError {
  readonly calendar: string;
  constructor(calendar: string, reason: string) {
    super('INVALID_CALENDAR', `calendar '${calendar}': ${reason}`);
    this.calendar = calendar;
  }
}

export class InvalidDateError extends TimeError {
  readonly calendar: string;
  constructor(calendar: string, reason: string) {
    super('INVALID_DATE', `${reason} in the ${calendar} calendar`);
    this.calendar = calendar;
  }
}

export class InvalidTimeValueError extends TimeError {
  readonly value: number | bigint;
  constructor(value: number | bigint, reason: string) {
    super('INVALID_TIME_VALUE', `time value ${String(value)}: ${reason}`);
    this.value = value;
  }
}
