import type { ArrayData, Coord, InlineArray } from '../model/types.js';
import { regularValues } from '../arrays/regular.js';
import { decodeTime, formatCfDate, isTimeReference } from '../time/index.js';
import { formatScalar } from './numpy-text.js';
import { clipString } from './python-text.js';
import { displayUnits } from './units.js';
import { stringRepr } from './value-text.js';

/** What Iris prints for values it would have to read (or compute) first: it never realises lazy data to print. */
export const LAZY = '<lazy>';

// Regular arrays are values in the metadata too: a scalar coordinate's regular form has one point.
const inline = (array: ArrayData | undefined): InlineArray | undefined =>
  array?.kind === 'inline'
    ? array
    : array?.kind === 'regular'
      ? { kind: 'inline', dtype: array.dtype, shape: array.shape, values: regularValues(array) }
      : undefined;

/** Units whose scalar values Iris prints bare: dimensionless, unknown, no unit, and dates. */
export function unitSuffix(units: string): string {
  const shown = displayUnits(units);
  if (shown === '1' || shown === 'unknown' || shown === 'no_unit' || isTimeReference(units)) return '';
  return ` ${shown}`;
}

function valueText(value: number | bigint | string, array: InlineArray, coord: Pick<Coord, 'units' | 'calendar'>): string {
  if (typeof value === 'string') return value;
  if (isTimeReference(coord.units)) {
    // Iris turns time-reference cells into cftime dates; a calendar without dates leaves the number.
    try {
      return formatCfDate(decodeTime(value, coord.units, coord.calendar));
    } catch {
      // fall through to the number
    }
  }
  return formatScalar(value, array.dtype === 'string' ? 'float64' : array.dtype);
}

/**
 * A scalar coordinate's value column, as Iris's `ScalarCoordSummary.content`: `1000.0 hPa`,
 * `1998-12-01 00:00:00`, `6477 hours, bound=(-28083.0, 6477.0) hours`, a string point, or `<lazy>` (and
 * `<lazy>+bound`) when the points are not inline. Points inline with bounds that are not print as `6477+bound`.
 */
export function scalarCoordContent(coord: Pick<Coord, 'units' | 'calendar' | 'points' | 'bounds'>): string {
  const points = inline(coord.points);
  const unit = unitSuffix(coord.units);
  if (coord.points.dtype === 'string') {
    if (!points) return LAZY;
    return clipString(stringRepr(String(points.values[0])));
  }
  const point = points ? valueText(points.values[0], points, coord) : LAZY;
  const bounds = points ? inline(coord.bounds) : undefined;
  if (bounds) {
    const perCell = bounds.shape[bounds.shape.length - 1] ?? bounds.values.length;
    const texts = Array.from({ length: perCell }, (_, i) => valueText(bounds.values[i], bounds, coord));
    return `${point}${unit}, bound=(${texts.join(', ')})${unit}`;
  }
  if (coord.bounds) return `${point}+bound`;
  return `${point}${unit}`;
}
