import { expect, test } from 'vitest';
import { loadPublication } from '../../src/cf/index.js';
import { makeCfFixture } from './cdl-fixture.js';

test('an orthographic grid mapping: no coordinate system, x and y dropped as Iris drops them, with a warning saying why', async () => {
  const { publication, warnings } = await loadPublication([await makeCfFixture('orthographic')]);
  expect(publication.coord_systems).toEqual({});
  expect(publication.cubes.map((c) => Object.keys(c.dim_coords))).toEqual([[]]);
  expect(warnings.map((w) => [w.code, w.variable])).toEqual([
    ['CF_UNHANDLED_GRID_MAPPING', 'crs'],
    ['CF_COORD_NOT_CREATED', 'y'],
    ['CF_COORD_NOT_CREATED', 'x'],
  ]);
  expect(warnings[0].message).toBe(
    "Grid mapping variable 'crs' (orthographic): Iris has no rule to load orthographic projections, so no coordinate system is made and the projection coordinates that need one are not created (as Iris does not create them).",
  );
});
