export { CALENDARS } from './types.js';
export type { CalendarName, CanonicalCalendar, CfDate, TimeUnits } from './types.js';
export { canonicalCalendar, isValidCalendar } from './calendars.js';
export { isTimeReference, parseTimeUnits, timeReferenceProblem } from './units.js';
export { decodeTime, encodeTime, timeCoder } from './convert.js';
export type { TimeCoder } from './convert.js';
export { formatCfDate } from './format.js';
export { InvalidCalendarError, InvalidDateError, InvalidTimeUnitsError, InvalidTimeValueError, TimeError } from './errors.js';
