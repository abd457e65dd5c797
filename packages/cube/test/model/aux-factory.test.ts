import type { ArrayData, Coord as CoordMeta, CubeMeta, JsonValue, Publication, SourceArray } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSourcePool, type SourcePool } from '../../src/bytes/pool.js';
import { createPluginRegistry, type PluginRegistry } from '../../src/readers/registry.js';
import { AtmosphereSigmaFactory, HybridHeightFactory, OceanSigmaZFactory } from '../../src/model/aux-factory.js';
import { MEAN } from '../../src/model/collapse.js';
import { AuxCoord, DimCoord } from '../../src/model/coords.js';
import { Cube } from '../../src/model/cube.js';
import { DescribedArray } from '../../src/model/described-array.js';
import { CubeStructureError } from '../../src/model/errors.js';
import { makeNetcdf, netcdfLocators } from '../fixtures/make-netcdf.js';
import { inline, list, memoryPublication } from './helpers.js';

// The hybrid_height.cdl fixture's values: z = level_height + sigma * surface_altitude.
const LEVEL_HEIGHT = [5, 21.66667, 45];
const LEVEL_HEIGHT_BNDS = [0, 13.33333, 13.33333, 33.33333, 33.33333, 60];
const SIGMA = [0.9992246, 0.9967703, 0.9925494];
const SIGMA_BNDS = [1, 0.9983614, 0.9983614, 0.9947782, 0.9947782, 0.990008];
const OROG = [10, 20.5, 30, 400, 500.25, 600];

/** Reference altitude points [level][y][x] (float32 inputs, float32 arithmetic as NumPy does). */
function altitude(level: number, cell: number): number {
  const f = Math.fround;
  return f(f(LEVEL_HEIGHT[level]) + f(f(SIGMA[level]) * f(OROG[cell])));
}

function f32(values: number[], shape: number[]): ArrayData {
  return inline(Float32Array.from(values), shape, 'float32');
}

function hybridMeta(orography: CoordMeta = { standard_name: 'surface_altitude', units: 'm', dims: ['grid_latitude', 'grid_longitude'], points: f32(OROG, [2, 3]), attributes: {} }): CubeMeta {
  return {
    standard_name: 'air_potential_temperature',
    units: 'K',
    dims: ['model_level_number', 'grid_latitude', 'grid_longitude'],
    shape: [3, 2, 3],
    dtype: 'float32',
    attributes: {},
    global_attributes: {},
    cell_methods: [],
    dim_coords: {
      model_level_number: { standard_name: 'model_level_number', units: '1', dims: ['model_level_number'], points: inline(Int32Array.from([1, 2, 3]), [3], 'int32'), attributes: { positive: 'up' } },
      grid_latitude: { standard_name: 'grid_latitude', units: 'degrees', dims: ['grid_latitude'], points: f32([-0.1, 0.1], [2]), attributes: {} },
      grid_longitude: { standard_name: 'grid_longitude', units: 'degrees', dims: ['grid_longitude'], points: f32([359.9, 360, 360.1], [3]), attributes: {} },
    },
    aux_coords: {
      level_height: { long_name: 'level_height', units: 'm', dims: ['model_level_number'], points: f32(LEVEL_HEIGHT, [3]), bounds: f32(LEVEL_HEIGHT_BNDS, [3, 2]), attributes: {} },
      sigma: { long_name: 'sigma', units: '1', dims: ['model_level_number'], points: f32(SIGMA, [3]), bounds: f32(SIGMA_BNDS, [3, 2]), attributes: {} },
      surface_altitude: orography,
    },
    derived_coords: {
      altitude: { standard_name: 'altitude', units: 'm', formula: 'hybrid_height', terms: { delta: 'level_height', sigma: 'sigma', orography: 'surface_altitude' }, attributes: { positive: 'up' } },
    },
    cell_measures: {},
    ancillary_variables: {},
    data: f32(Array.from({ length: 18 }, (_, i) => 290 + i), [3, 2, 3]),
  };
}

function cubeOf(meta: CubeMeta): Cube {
  const { publication, lazy } = memoryPublication([meta], {});
  return Cube.fromMeta(meta, { publication, lazy });
}

describe('derived coordinates (aux factories)', () => {
  it('computes hybrid-height altitude = delta + sigma * orography, broadcast over the cube dimensions', async () => {
    const cube = cubeOf(hybridMeta());
    const entry = cube.coordEntry('altitude');
    expect(entry.role).toBe('derived');
    expect(entry.dims).toEqual(['model_level_number', 'grid_latitude', 'grid_longitude']);
    const alt = entry.coord;
    expect(alt).toBeInstanceOf(AuxCoord);
    expect(alt.units).toBe('m');
    expect(alt.attributes).toEqual({ positive: 'up' });
    expect(alt.dtype).toBe('float32');
    const points = await alt.points.read();
    expect(points.shape).toEqual([3, 2, 3]);
    for (let k = 0; k < 3; k++) for (let c = 0; c < 6; c++) expect(points.values[k * 6 + c]).toBeCloseTo(altitude(k, c), 3);
    // Bounds come from the level terms' bounds; orography has none and is broadcast.
    const bounds = await alt.bounds!.read();
    expect(bounds.shape).toEqual([3, 2, 3, 2]);
    for (let k = 0; k < 3; k++) {
      for (let c = 0; c < 6; c++) {
        for (let b = 0; b < 2; b++) {
          expect(bounds.values[(k * 6 + c) * 2 + b]).toBeCloseTo(LEVEL_HEIGHT_BNDS[k * 2 + b] + SIGMA_BNDS[k * 2 + b] * OROG[c], 3);
        }
      }
    }
  });

  it('follows slicing: an indexed level leaves a 2-D altitude, a sliced column a 2-D one over level and longitude', async () => {
    const cube = cubeOf(hybridMeta());
    const level = cube.index([1]);
    expect(level.coordDims('altitude')).toEqual(['grid_latitude', 'grid_longitude']);
    expect(list((await level.coord('altitude').points.read()).values).map((v) => Math.round(Number(v) * 100))).toEqual(
      [0, 1, 2, 3, 4, 5].map((c) => Math.round(altitude(1, c) * 100)),
    );
    const column = cube.index([{ start: 1 }, 1, { step: 2 }]);
    expect(column.coordDims('altitude')).toEqual(['model_level_number', 'grid_longitude']);
    const values = await column.coord('altitude').points.read();
    expect(values.shape).toEqual([2, 2]);
    expect(values.values[3]).toBeCloseTo(altitude(2, 5), 3);
    expect(column.toMeta().derived_coords.altitude.terms).toEqual({ delta: 'level_height', sigma: 'sigma', orography: 'surface_altitude' });
  });

  it('broadcasts a term whose dimensions are in another order than the cube', async () => {
    const transposed = [10, 400, 20.5, 500.25, 30, 600];
    const cube = cubeOf(hybridMeta({ standard_name: 'surface_altitude', units: 'm', dims: ['grid_longitude', 'grid_latitude'], points: f32(transposed, [3, 2]), attributes: {} }));
    const points = await cube.coord('altitude').points.read();
    for (let k = 0; k < 3; k++) for (let c = 0; c < 6; c++) expect(points.values[k * 6 + c]).toBeCloseTo(altitude(k, c), 3);
  });

  it('treats a missing optional term as zero (as Iris) and refuses a missing required one', async () => {
    const meta = hybridMeta();
    meta.derived_coords.altitude.terms = { delta: 'level_height' };
    const deltaOnly = cubeOf(meta);
    expect(deltaOnly.coordDims('altitude')).toEqual(['model_level_number']);
    expect(list((await deltaOnly.coord('altitude').points.read()).values)).toEqual(LEVEL_HEIGHT.map(Math.fround));
    const noDelta = cubeOf(hybridMeta());
    noDelta.removeCoord('level_height');
    expect(() => noDelta.coord('altitude')).toThrow(CubeStructureError);
    expect(() => noDelta.coord('altitude')).toThrow("needs term 'delta', but the cube has no coordinate 'level_height'");
    // Other coordinates are still found, and listings leave the broken one out.
    expect(noDelta.coord('sigma').name()).toBe('sigma');
    expect(noDelta.coords().map((c) => c.name())).not.toContain('altitude');
  });

  it('recomputes from collapsed dependencies after a collapse over levels', async () => {
    const mean = cubeOf(hybridMeta()).collapsed('model_level_number', MEAN);
    const alt = mean.coordEntry('altitude');
    expect(alt.dims).toEqual(['grid_latitude', 'grid_longitude']);
    const midDelta = (0 + 60) / 2;
    const midSigma = (1 + 0.990008) / 2;
    expect((await alt.coord.points.read()).values[0]).toBeCloseTo(midDelta + midSigma * 10, 2);
  });

  it('adds a factory built from coordinates, and evaluates other formulas (atmosphere sigma, ocean sigma-z)', async () => {
    const cube = new Cube(DescribedArray.fromValues(new Float64Array(6), [3, 2]), { dims: ['level', 'x'] });
    const sigma = new DimCoord({ longName: 'sigma', points: [0.2, 0.5, 1] });
    const ps = new AuxCoord({ standardName: 'surface_air_pressure', units: 'Pa', points: [100000, 90000] });
    const ptop = new AuxCoord({ longName: 'ptop', units: 'Pa', points: [1000] });
    cube.addDimCoord(sigma, 'level');
    cube.addAuxCoord(ps, ['x']);
    cube.addAuxCoord(ptop, []);
    cube.addAuxFactory(new AtmosphereSigmaFactory({ standardName: 'air_pressure', units: 'Pa', terms: { sigma, surface_air_pressure: ps, pressure_at_top: ptop } }));
    const p = await cube.coord('air_pressure').points.read();
    expect(list(p.values)).toEqual([1000 + 0.2 * 99000, 1000 + 0.2 * 89000, 1000 + 0.5 * 99000, 1000 + 0.5 * 89000, 100000, 90000]);
    expect(cube.toMeta().derived_coords.air_pressure.terms).toEqual({ sigma: 'level', surface_air_pressure: 'surface_air_pressure', pressure_at_top: 'ptop' });

    // ocean_sigma_z: sigma levels above nsigma, fixed depths (zlev) below.
    const ocean = new Cube(DescribedArray.fromValues(new Float64Array(3), [3]), { dims: ['z'] });
    const add = (name: string, points: number[], dims: string[]) => ocean.addAuxCoord(new AuxCoord({ longName: name, points }), dims, name);
    add('s', [-0.25, -0.75, 0], ['z']);
    add('zlev', [0, 0, -200], ['z']);
    add('eta', [1], []);
    add('depth', [100], []);
    add('depth_c', [50], []);
    add('nsigma', [2], []);
    ocean.addAuxFactory(new OceanSigmaZFactory({ standardName: 'sea_surface_height_above_reference_ellipsoid', units: 'm', terms: { sigma: 's', eta: 'eta', depth: 'depth', depth_c: 'depth_c', nsigma: 'nsigma', zlev: 'zlev' } }), 'z_derived');
    expect(list((await ocean.coord('z_derived').points.read()).values)).toEqual([1 - 0.25 * 51, 1 - 0.75 * 51, -200]);
  });
});

describe('derived coordinates from a NetCDF file', () => {
  let pool: SourcePool;
  let registry: PluginRegistry;
  let path: string;
  let locators: Record<string, { [key: string]: JsonValue }>;

  beforeAll(async () => {
    path = await makeNetcdf('hybrid_height');
    pool = createSourcePool();
    registry = createPluginRegistry();
    locators = await netcdfLocators(path, pool, registry);
  });

  afterAll(async () => {
    await pool?.close();
  });

  it('reads level_height, sigma and surface_altitude lazily from the file and derives altitude on read', async () => {
    const source = (variable: string, shape: number[]): SourceArray => ({ kind: 'source', dtype: 'float32', shape, source: 0, format: 'netcdf', variable, options: locators[variable] });
    const meta = hybridMeta();
    meta.aux_coords.level_height.points = source('level_height', [3]);
    meta.aux_coords.level_height.bounds = source('level_height_bnds', [3, 2]);
    meta.aux_coords.sigma.points = source('sigma', [3]);
    meta.aux_coords.sigma.bounds = source('sigma_bnds', [3, 2]);
    meta.aux_coords.surface_altitude.points = source('surface_altitude', [2, 3]);
    meta.data = source('air_potential_temperature', [3, 2, 3]);
    const publication: Publication = { cubemark: 1, name: 'hh', provenance: {}, sources: [{ uri: path }], coord_systems: {}, cubes: [meta] };
    const cube = Cube.fromMeta(meta, { publication, lazy: { sources: publication.sources, pool, plugins: registry } });
    const before = pool.counter.bytes;
    const alt = cube.coord('altitude');
    expect(pool.counter.bytes).toBe(before);
    const points = await alt.points.read();
    for (let k = 0; k < 3; k++) for (let c = 0; c < 6; c++) expect(points.values[k * 6 + c]).toBeCloseTo(altitude(k, c), 3);
    // Only the three small coordinate variables were read, not the data.
    expect(pool.counter.bytes - before).toBeLessThan(4 * (3 + 3 + 6) + 1024);
    expect(cube.toMeta()).toStrictEqual(meta);
  });
});
