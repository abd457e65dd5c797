import { isNumericDtype, isTimeReference } from '@cubemark/format';
import { DimCoord, type Cell, type CellValue, type Coord } from '../coords.js';
import { valueKey } from '../equality.js';
import type { CubeParts } from '../parts.js';

/** Iris's orderings in a merge: of cell values, of scalar coordinates, of new dimensions by axis. */

export function cellKey(cell: Cell): string {
  return cell.bound ? `${valueKey(cell.point)}[${cell.bound.map(valueKey).join(',')}]` : valueKey(cell.point);
}

export function compareValues(a: CellValue, b: CellValue): number {
  if (typeof a === 'string' || typeof b === 'string') return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  if (x !== x || y !== y) return x !== x ? (y !== y ? 0 : 1) : -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Iris's `guess_coord_axis`, for ordering new dimensions (T, Z, Y, X after the unknown). */
export function axisRank(coord: Coord): number {
  const name = coord.standardName;
  if (name === 'longitude' || name === 'grid_longitude' || name === 'projection_x_coordinate') return 4;
  if (name === 'latitude' || name === 'grid_latitude' || name === 'projection_y_coordinate') return 3;
  const positive = coord.attributes.positive;
  if (/^(Pa|hPa|kPa|mbar|millibar|bar|mb|atm)$/.test(coord.units) || positive === 'up' || positive === 'down') return 2;
  if (isTimeReference(coord.units)) return 1;
  return 0;
}

/** Iris's preferred dimension coordinates, most preferred first. */
const HINTS = ['time', 'forecast_reference_time', 'forecast_period', 'model_level_number'];

/**
 * Iris's ordering of scalar coordinates (`_extract_coord_payload`'s `key_func`): numeric before text, DimCoord
 * before AuxCoord, hinted names in hint order, then T, Z, Y, X, then by name. Ties in the space derivation go to
 * the coordinate first in this order (so `time` wins over `forecast_period`).
 */
function preference(a: [string, Coord], b: [string, Coord]): number {
  const key = ([k, c]: [string, Coord]): (number | string)[] => {
    const hint = HINTS.indexOf(c.name());
    const axis = axisRank(c);
    return [isNumericDtype(c.dtype) ? 0 : 1, c instanceof DimCoord ? 0 : 1, hint < 0 ? HINTS.length : hint, axis === 0 ? 5 : axis - 1, c.name(), k];
  };
  const x = key(a);
  const y = key(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

export function scalarEntries(parts: CubeParts): [string, Coord][] {
  return [...parts.auxCoords].filter(([, e]) => e.dims.length === 0).map(([k, e]) => [k, e.item] as [string, Coord]).sort(preference);
}
