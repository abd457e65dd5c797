const UNKNOWN_UNITS = new Set(['unknown', '?', '???', '']);
const NO_UNITS = new Set(['no_unit', 'no-unit', 'no unit', 'nounit']);

/** Units as cf_units prints them: the string as given, except the spellings of "unknown" and "no unit". */
export function displayUnits(units: string | undefined): string {
  const lower = (units ?? '').trim().toLowerCase();
  if (UNKNOWN_UNITS.has(lower)) return 'unknown';
  if (NO_UNITS.has(lower)) return 'no_unit';
  return units ?? 'unknown';
}
