import type { AttributeValue, Attributes } from '@cubemark/format';
import { textAttribute } from './units.js';
import type { WarningLog } from './warnings.js';

/**
 * The attributes Iris leaves on a cube or coordinate: those its load rules did not consume, less the CF ones its
 * saver writes itself (`iris.fileformats.netcdf.saver._CF_ATTRS`). Everything else (positive, valid_min,
 * flag_values, comment, ...) is kept as it is in the file.
 */
export const CF_ATTRIBUTES: ReadonlySet<string> = new Set([
  'add_offset',
  'ancillary_variables',
  'axis',
  'bounds',
  'calendar',
  'cell_measures',
  'cell_methods',
  'climatology',
  'compress',
  'coordinates',
  '_FillValue',
  'formula_terms',
  'grid_mapping',
  'leap_month',
  'leap_year',
  'long_name',
  'missing_value',
  'month_lengths',
  'scale_factor',
  'standard_error_multiplier',
  'standard_name',
  'units',
]);

/** The attributes of `source` not in `consumed` nor CF's, in file order. */
export function unusedAttributes(source: Attributes, consumed: ReadonlySet<string> = new Set()): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(source)) {
    if (!CF_ATTRIBUTES.has(key) && !consumed.has(key)) out[key] = value;
  }
  return out;
}

/** The netCDF names of the attributes Iris turns into richer cube attributes, by cube attribute. */
const MANAGED: readonly { iris: string; netcdf: readonly string[]; decode: (value: string) => AttributeValue }[] = [
  { iris: 'STASH', netcdf: ['ukmo__um_stash_source', 'um_stash_source'], decode: decodeStash },
  { iris: 'ukmo__process_flags', netcdf: ['ukmo__process_flags'], decode: decodeProcessFlags },
];

/** Iris's `STASH.from_msi`, written back in its canonical `mXXsXXiXXX` form. */
function decodeStash(value: string): string {
  const m = /^\s*m(\d+)s(\d+)i(\d+)\s*$/i.exec(value);
  if (!m) throw new TypeError(`Expected STASH code MSI string "mXXsXXiXXX", got '${value}'`);
  const [model, section, item] = m.slice(1).map(Number);
  if (model > 99 || section > 99 || item > 999) throw new TypeError(`STASH code '${value}' is out of range`);
  return `m${String(model).padStart(2, '0')}s${String(section).padStart(2, '0')}i${String(item).padStart(3, '0')}`;
}

/** `ukmo__process_flags`: words joined by blanks, blanks inside a flag written as underscores. */
function decodeProcessFlags(value: string): string[] {
  if (value === '') return [];
  return value.split(' ').map((flag) => (flag === '<EMPTY>' ? '' : flag.replaceAll('_', ' ')));
}

/**
 * Iris's managed attributes of a data variable (`action_all_managed_attributes`): `um_stash_source` becomes
 * `STASH`, `ukmo__process_flags` a list of flags. Returns the cube attributes they give and the netCDF
 * attributes they consumed. A value that does not decode is kept under its own name, with a warning.
 */
export function managedAttributes(source: Attributes, variable: string, log: WarningLog): { attributes: Attributes; consumed: Set<string> } {
  const attributes: Attributes = {};
  const consumed = new Set<string>();
  for (const handler of MANAGED) {
    const present = handler.netcdf.filter((name) => name in source);
    present.forEach((name) => consumed.add(name));
    if (present.length === 0) continue;
    if (present.length > 1) {
      log.add(
        'CF_INVALID_ATTRIBUTE',
        `Multiple file attributes would set the iris '.${handler.iris}' cube attribute: ${present.map((n) => `'${n}'`).join(', ')} - only the first of these is actioned.`,
        variable,
      );
    }
    const name = present[0];
    const text = textAttribute(source, name);
    try {
      if (text === undefined) throw new TypeError('not text');
      attributes[handler.iris] = handler.decode(text);
    } catch {
      log.add(
        'CF_INVALID_ATTRIBUTE',
        `Invalid content for managed attribute name '${name}' = ${JSON.stringify(text ?? source[name])}: The attribute is retained untranslated.`,
        variable,
      );
      attributes[name] = source[name];
    }
  }
  return { attributes, consumed };
}
