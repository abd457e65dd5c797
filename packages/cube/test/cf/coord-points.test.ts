import { expect, test } from 'vitest';
import { loadPublication } from '../../src/cf/index.js';
import { makeCfFixture } from './cdl-fixture.js';

/** Iris's warnings about coordinate points, for every coordinate variable it gives them for (cdl/coord_points.cdl). */
test('masked points and bounds are filled, non-monotonic points and bounds give auxiliary coordinates, each with Iris\'s warning', async () => {
  const { publication, warnings } = await loadPublication([await makeCfFixture('coord_points')]);
  expect(warnings.map((w) => [w.code, w.message])).toEqual([
    ['CF_NON_MONOTONIC_DIM_COORD', "Failed to create 't' dimension coordinate: The 't' DimCoord points array must be strictly monotonic.\nGracefully creating 't' auxiliary coordinate instead."],
    ['CF_NON_MONOTONIC_DIM_COORD', "Failed to create 'z' dimension coordinate: The direction of monotonicity for 'z' must be consistent across all bounds.\nGracefully creating 'z' auxiliary coordinate instead."],
    ['CF_FILLED_MASKED_POINTS', "Gracefully filling 'lat' dimension coordinate masked points"],
    ['CF_NON_MONOTONIC_DIM_COORD', "Failed to create 'lat' dimension coordinate: The 'latitude' DimCoord points array must be strictly monotonic.\nGracefully creating 'lat' auxiliary coordinate instead."],
    ['CF_FILLED_MASKED_POINTS', "Gracefully filling 'x' dimension coordinate masked bounds"],
  ]);
  const [v] = publication.cubes;
  expect(Object.keys(v.dim_coords)).toEqual(['x']);
  expect(Object.keys(v.aux_coords).sort()).toEqual(['lat', 't', 'z']);
  // The auxiliary latitude keeps its mask: stored values held inline with the fill value.
  expect(v.aux_coords.lat.points).toMatchObject({ kind: 'source', format: 'inline', fill_value: Math.fround(9.969209968386869e36) });
});
