/**
 * Small publications for the model tests. Source arrays are served by the lazy layer's in-memory test plugin,
 * which records every element it hands out, so a test can say "this read nothing" or "this read 12 values".
 */
import type { ArrayData, ArrayValues, Coord, CubeMeta, Publication } from '@cubemark/format';
import type { LazyContext } from '../../src/lazy/from-data.js';
import { Cube } from '../../src/model/cube.js';
import { memoryPlugin, noBytes, registryWith, type MemoryPlugin } from '../lazy/memory-plugin.js';

export const iota = (n: number, from = 0, step = 1): Float64Array => Float64Array.from({ length: n }, (_, i) => from + i * step);

export function inline(values: ArrayValues, shape: number[], dtype: ArrayData['dtype'] = 'float64'): ArrayData {
  return { kind: 'inline', dtype, shape, values };
}

export function coord(standard_name: string, units: string, dims: string[], points: ArrayData, extra: Partial<Coord> = {}): Coord {
  return { standard_name, units, dims, points, attributes: {}, ...extra };
}

/** A publication whose cubes' source arrays live in `stored` (variable → values, shape), and a context to open it. */
export function memoryPublication(
  cubes: CubeMeta[],
  stored: Record<string, { values: ArrayValues; shape: number[] }>,
): { publication: Publication; lazy: LazyContext; plugin: MemoryPlugin } {
  const plugin = memoryPlugin(stored);
  const publication: Publication = {
    cubemark: 1,
    name: 'test',
    provenance: {},
    sources: [{ uri: 'mem://store/a.nc' }],
    coord_systems: { crs: { kind: 'latitude_longitude', semi_major_axis: 6371229 } },
    cubes,
  };
  return { publication, lazy: { sources: publication.sources, pool: noBytes, plugins: registryWith(plugin) }, plugin };
}

export const TIME_UNITS = 'hours since 1970-01-01 00:00:00';

/** Row-major air temperature values for (time 4, latitude 3, longitude 5): 273 + 100t + 10y + x, plus a NaN. */
export function tasValues(): Float32Array {
  const v = new Float32Array(60);
  for (let t = 0; t < 4; t++) for (let y = 0; y < 3; y++) for (let x = 0; x < 5; x++) v[t * 15 + y * 5 + x] = 273 + 100 * t + 10 * y + x;
  return v;
}

/**
 * air_temperature (time: 4, latitude: 3, longitude: 5), data in a source array chunked one time step per chunk;
 * latitude and longitude with bounds, a 2-D surface altitude, a scalar height, a cell area and a time-only
 * ancillary variable.
 */
export function tasMeta(): CubeMeta {
  return {
    standard_name: 'air_temperature',
    var_name: 'tas',
    units: 'K',
    dims: ['time', 'latitude', 'longitude'],
    shape: [4, 3, 5],
    dtype: 'float32',
    attributes: { source: 'model run 7' },
    global_attributes: { Conventions: 'CF-1.7', history: 'made for a test' },
    cell_methods: [],
    dim_coords: {
      time: coord('time', TIME_UNITS, ['time'], inline(Float64Array.from([0, 6, 12, 18]), [4]), { calendar: 'standard', var_name: 'time' }),
      latitude: coord('latitude', 'degrees_north', ['latitude'], inline(iota(3, -10, 10), [3]), {
        bounds: inline(Float64Array.from([-15, -5, -5, 5, 5, 15]), [3, 2]),
        coord_system: 'crs',
      }),
      longitude: coord('longitude', 'degrees_east', ['longitude'], { kind: 'regular', dtype: 'float64', shape: [5], start: [0], step: 90 }, {
        circular: true,
        coord_system: 'crs',
      }),
    },
    aux_coords: {
      surface_altitude: coord('surface_altitude', 'm', ['latitude', 'longitude'], inline(iota(15, 100, 10), [3, 5])),
      height: coord('height', 'm', [], inline(Float64Array.from([1.5]), [1])),
    },
    derived_coords: {},
    cell_measures: {
      cell_area: { standard_name: 'cell_area', measure: 'area', units: 'm2', dims: ['latitude', 'longitude'], data: inline(iota(15, 1e6, 1e5), [3, 5]), attributes: {} },
    },
    ancillary_variables: {
      status: { long_name: 'status flag', units: '1', dims: ['time'], data: inline(Int8Array.from([0, 1, 0, 1]), [4], 'int8'), attributes: {} },
    },
    data: { kind: 'source', dtype: 'float32', shape: [4, 3, 5], source: 0, format: 'memory', variable: 'tas', chunks: [1, 3, 5] },
  };
}

/** The tas cube over the memory plugin, and the plugin (for counting reads). */
export function tasCube(): { cube: Cube; plugin: MemoryPlugin; publication: Publication; lazy: LazyContext } {
  const { publication, lazy, plugin } = memoryPublication([tasMeta()], { tas: { values: tasValues(), shape: [4, 3, 5] } });
  return { cube: Cube.fromMeta(publication.cubes[0], { publication, lazy }), plugin, publication, lazy };
}

/** Plain numbers of a typed array or list. */
export const list = (values: ArrayLike<number | bigint | string>): (number | string)[] =>
  Array.from(values as ArrayLike<number | bigint | string>, (v) => (typeof v === 'bigint' ? Number(v) : v));
