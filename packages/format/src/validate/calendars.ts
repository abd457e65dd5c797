/** The calendars CF defines (and Iris accepts). `gregorian` is a deprecated alias of `standard`. */
export const CF_CALENDARS = [
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

const lower = new Set<string>(CF_CALENDARS);

export function isCfCalendar(name: string): boolean {
  return lower.has(name.toLowerCase());
}

/** `<unit> since <reference>`: the units a calendar belongs to. */
export function isTimeReferenceUnits(units: string): boolean {
  return /^\s*\S+\s+since\s+\S/i.test(units);
}
