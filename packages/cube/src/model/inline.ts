import { isFloatDtype } from '@cubemark/format';
import type { RangeOptions } from '../bytes/types.js';
import { isDescribed } from './array-data.js';
import { DescribedArray } from './described-array.js';
import type { CubeParts, Spanning } from './parts.js';

/**
 * Read what the format cannot describe and hold it inline: a collapsed cube's reduced data and coordinates, views
 * of source arrays. Arrays the format already describes are left as they are (not read). Masked elements of
 * float arrays become NaN (inline arrays carry no mask); masked integers keep whatever the reader put there.
 */
async function inlined(array: DescribedArray, options?: RangeOptions): Promise<DescribedArray> {
  if (isDescribed(array.description())) return array;
  const result = await array.read(options);
  if (result.mask && isFloatDtype(result.dtype)) {
    const values = result.values as Float64Array;
    result.mask.forEach((m, i) => {
      if (m) values[i] = NaN;
    });
  }
  return DescribedArray.fromValues(result.values, result.shape, result.dtype);
}

/** `Cube.inlined` on a cube's parts. */
export async function inlineParts(parts: CubeParts, options?: RangeOptions): Promise<CubeParts> {
  const spanning = async <T extends { copy(changes: object): T }>(
    map: ReadonlyMap<string, Spanning<T>>,
    convert: (item: T) => Promise<T>,
  ): Promise<Map<string, Spanning<T>>> =>
    new Map(await Promise.all([...map].map(async ([k, e]) => [k, { item: await convert(e.item), dims: e.dims }] as const)));
  const coord = async <C extends { points: DescribedArray; bounds?: DescribedArray; copy(changes: object): C }>(c: C): Promise<C> => {
    const points = await inlined(c.points, options);
    const bounds = c.bounds && (await inlined(c.bounds, options));
    return points === c.points && bounds === c.bounds ? c : c.copy({ points, bounds });
  };
  const dimCoords = new Map(await Promise.all([...parts.dimCoords].map(async ([k, c]) => [k, await coord(c)] as const)));
  return {
    ...parts,
    data: await inlined(parts.data, options),
    dimCoords,
    auxCoords: await spanning(parts.auxCoords, coord),
    cellMeasures: await spanning(parts.cellMeasures, async (m) => m.copy({ data: await inlined(m.data, options) })),
    ancillaryVariables: await spanning(parts.ancillaryVariables, async (v) => v.copy({ data: await inlined(v.data, options) })),
  };
}
