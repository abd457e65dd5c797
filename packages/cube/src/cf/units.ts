import type { Attributes } from '@cubemark/format';
import { isValidCalendar } from '@cubemark/format';
import type { DatasetVariable } from '../readers/dataset.js';
import { readUnits } from './udunits.js';
import type { WarningLog } from './warnings.js';

/** Units Iris rewrites to `degrees` (its UD_UNITS_LAT and UD_UNITS_LON): it keeps no latitude/longitude flavour. */
const LAT_LON_UNITS: ReadonlySet<string> = new Set([
  'degrees_north',
  'degree_north',
  'degree_n',
  'degrees_n',
  'degreen',
  'degreesn',
  'degrees',
  'degrees north',
  'degree north',
  'degree n',
  'degrees n',
  'degrees_east',
  'degree_east',
  'degree_e',
  'degrees_e',
  'degreee',
  'degreese',
  'degrees east',
  'degree east',
  'degree e',
  'degrees e',
]);

export interface UnitsResult {
  units: string;
  calendar?: string;
}

/** A string attribute, or undefined for a missing or non-text one. */
export function textAttribute(attributes: Attributes, name: string): string | undefined {
  const value = attributes[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join('');
  return undefined;
}

/**
 * A variable's units and calendar as Iris's `get_attr_units`: `unknown` when absent or empty; lat/lon units become
 * `degrees`; units UDUNITS cannot read become `unknown`, the text going to an `invalid_units` attribute (in
 * `attributes`) with a warning; flag variables have `no_unit`; time references take the `calendar` attribute.
 */
export function attrUnits(variable: DatasetVariable, attributes: Attributes, log: WarningLog): UnitsResult {
  let units = textAttribute(variable.attributes, 'units') ?? '';
  if (units === '') units = 'unknown';
  if (LAT_LON_UNITS.has(units)) units = 'degrees';
  let reading = readUnits(units);
  if (!reading) {
    log.add('CF_INVALID_UNITS', `Ignoring invalid units '${units}' on netCDF variable '${variable.name}'.`, variable.name);
    attributes.invalid_units = units;
    units = 'unknown';
    reading = readUnits(units);
  }
  if (['flag_values', 'flag_masks', 'flag_meanings'].some((name) => name in variable.attributes)) {
    return { units: 'no_unit' };
  }
  if (reading?.timeReference) {
    const calendar = textAttribute(variable.attributes, 'calendar');
    if (calendar) {
      if (isValidCalendar(calendar)) return { units, calendar };
      log.add('CF_INVALID_CALENDAR', `Ignoring calendar '${calendar}' of netCDF variable '${variable.name}': not a CF calendar.`, variable.name);
    }
  }
  return { units };
}

/** Whether units are a time reference (`<unit of time> since <date>`), as cf_units' `is_time_reference`. */
export function isTimeReference(units: string | undefined): boolean {
  return units !== undefined && (readUnits(units)?.timeReference ?? false);
}

/** Whether units are a unit of time (convertible to seconds, not a date), as cf_units' `is_time`. */
export function isTimePeriod(units: string | undefined): boolean {
  return units !== undefined && (readUnits(units)?.time ?? false);
}
