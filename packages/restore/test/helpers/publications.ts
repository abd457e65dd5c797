import type { CubeMeta, Publication, Source } from '@cubemark/format';
import { hourlyTimeCoord, rotatedPoleCoord } from '../../../format/test/helpers/items.js';

/**
 * A small valid publication: `cubes` cubes on a regular rotated-pole grid, data in `sources` (relative URIs with
 * the size and mtime a test gave the files), or carried inline (`inlineData`: readable, so it can be persisted,
 * with `sources` still listed for staleness checks). Deterministic in `name` and `seed`.
 */
export function makePublication(name: string, options: { cubes?: number; seed?: number; sources?: Source[]; title?: string; inlineData?: boolean } = {}): Publication {
  const seed = options.seed ?? 0;
  const sources = options.sources ?? [{ uri: `${name}.nc`, size: 1024, mtime: '2024-05-15T04:02:11Z' }];
  const cubes: CubeMeta[] = Array.from({ length: options.cubes ?? 2 }, (_, c) => ({
    standard_name: c % 2 ? 'x_wind' : 'air_temperature',
    var_name: `v${c}`,
    units: c % 2 ? 'm s-1' : 'K',
    dims: ['time', 'grid_latitude', 'grid_longitude'],
    shape: [3, 10, 12],
    dtype: 'float32',
    attributes: { STASH: `m01s00i00${c}` },
    global_attributes: { Conventions: 'CF-1.7' },
    cell_methods: [{ method: 'point', coords: ['time'], intervals: [], comments: [] }],
    dim_coords: {
      time: hourlyTimeCoord(3, 415323 + seed),
      grid_latitude: rotatedPoleCoord('grid_latitude', { kind: 'regular', dtype: 'float64', shape: [10], start: [-4.5], step: 0.5 }),
      grid_longitude: rotatedPoleCoord('grid_longitude', { kind: 'regular', dtype: 'float64', shape: [12], start: [353], step: 0.5 }),
    },
    aux_coords: {
      height: {
        standard_name: 'height',
        units: 'm',
        dims: [],
        points: { kind: 'inline', dtype: 'float64', shape: [1], values: Float64Array.from([1.5 + seed]) },
        attributes: {},
      },
    },
    derived_coords: {},
    cell_measures: {},
    ancillary_variables: {},
    data: options.inlineData
      ? { kind: 'inline', dtype: 'float32', shape: [3, 10, 12], values: Float32Array.from({ length: 360 }, (_, i) => i + c + seed) }
      : { kind: 'source', dtype: 'float32', shape: [3, 10, 12], source: c % sources.length, format: 'netcdf', variable: `v${c}` },
  }));
  return {
    cubemark: 1,
    name,
    title: options.title ?? `Test publication ${name}`,
    created: '2024-05-15T04:12:09Z',
    provenance: { tool: 'cubemark restore tests' },
    sources,
    coord_systems: {
      rotated_pole: { kind: 'rotated_latitude_longitude', grid_north_pole_latitude: 37.5, grid_north_pole_longitude: 177.5 },
    },
    cubes,
  };
}
