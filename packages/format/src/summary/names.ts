import type { Attributes, Names } from '../model/types.js';

/**
 * Iris's `name()`: the standard name, else the long name, else the variable name, else the `STASH` attribute
 * (cubes of UM files without a CF name print as their STASH code), else `unknown`.
 */
export function nameOf(item: Names & { attributes?: Attributes }): string {
  const stash = item.attributes?.STASH;
  return item.standard_name || item.long_name || item.var_name || (typeof stash === 'string' && stash) || 'unknown';
}

const UNKNOWN_UNITS = new Set(['unknown', '?', '???', '']);
const NO_UNITS = new Set(['no_unit', 'no-unit', 'no unit', 'nounit']);

/** Units as cf_units prints them: the string as given, except the spellings of "unknown" and "no unit". */
export function displayUnits(units: string | undefined): string {
  const lower = (units ?? '').trim().toLowerCase();
  if (UNKNOWN_UNITS.has(lower)) return 'unknown';
  if (NO_UNITS.has(lower)) return 'no_unit';
  return units ?? 'unknown';
}
