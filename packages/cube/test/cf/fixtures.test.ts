import { parse, serialize, type CubeMeta, type Publication } from '@cubemark/format';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadPublication, type CfWarning } from '../../src/cf/index.js';
import { makeNetcdf } from '../fixtures/make-netcdf.js';
import { makeCfFixture } from './cdl-fixture.js';

/** Generated NetCDF fixtures (committed CDL): packing, masks, calendars, records, grid mappings, formula terms. */

const loaded = new Map<string, { publication: Publication; warnings: CfWarning[] }>();
beforeAll(async () => {
  for (const name of ['packed', 'records', 'field4d', 'rotated_pole', 'hybrid_height', 'labels']) {
    loaded.set(name, await loadPublication([await makeNetcdf(name)]));
  }
  loaded.set('cf_extras', await loadPublication([await makeCfFixture('cf_extras')]));
  loaded.set('cf_extras.nc4', await loadPublication([await makeCfFixture('cf_extras', 'nc4')]));
});

const pub = (name: string) => (loaded.get(name) as { publication: Publication }).publication;
const warnings = (name: string) => (loaded.get(name) as { warnings: CfWarning[] }).warnings;
const cube = (name: string, variable: string) => pub(name).cubes.find((c) => c.var_name === variable) as CubeMeta;

test('every fixture serializes to a document that parses back without errors', () => {
  for (const [name, { publication }] of loaded) expect(parse(serialize(publication)).errors, name).toEqual([]);
});

describe('packing and masking (packed.cdl)', () => {
  test('short with float32 scale and offset unpacks to float32; fill value and valid_range are recorded as stored', () => {
    expect(cube('packed', 'tas')).toMatchObject({
      dtype: 'float32',
      data: { kind: 'source', format: 'netcdf', variable: 'tas', dtype: 'float32', stored_dtype: 'int16', scale_factor: Math.fround(0.01), add_offset: Math.fround(273.15), fill_value: -32767, valid_min: -30000, valid_max: 30000 },
    });
    // Iris consumes _FillValue, scale_factor and add_offset, not valid_range.
    expect(Object.keys(cube('packed', 'tas').attributes)).toEqual(['valid_range']);
  });

  test('a double scale factor unpacks to float64; missing_value is kept as a list', () => {
    expect(cube('packed', 'pr').data).toMatchObject({ dtype: 'float64', stored_dtype: 'int16', scale_factor: 0.1, missing_value: [-999], fill_value: -32767 });
    expect(cube('packed', 'sst').data).toMatchObject({ dtype: 'float32', fill_value: Math.fround(-1e30), missing_value: [Math.fround(-1e30), Math.fround(1e20)] });
    expect(cube('packed', 'sst').data).not.toHaveProperty('stored_dtype');
  });

  test('without _FillValue the netCDF default fill masks, bytes included (as netCDF4-python 1.6 reads them)', () => {
    expect(cube('packed', 'no_fill').data).toMatchObject({ dtype: 'int32', fill_value: -2147483647 });
    expect(cube('packed', 'cloud').data).toMatchObject({ dtype: 'int8', fill_value: -1, valid_min: 0, valid_max: 100 });
    expect(cube('records', 'flag').data).toMatchObject({ dtype: 'int8', fill_value: -127 });
  });
});

describe('records and calendars (records.cdl, field4d.cdl)', () => {
  test('360_day and noleap time coordinates, regular points, record variables as references', () => {
    const temp = cube('records', 'temp');
    expect(temp.dim_coords.time).toMatchObject({ standard_name: 'time', units: 'days since 2000-01-01 00:00:00', calendar: '360_day', points: { kind: 'regular', start: [0], step: 30 } });
    expect(temp.aux_coords.station_name).toMatchObject({ dims: ['station'], points: { kind: 'inline', dtype: 'string', values: ['Exeter', 'Reading', 'Lerwick'] } });
    expect(temp.data).toMatchObject({ variable: 'temp', options: { record_stride: expect.any(Number) } });
    expect(cube('field4d', 'ta').dim_coords.time).toMatchObject({ calendar: 'noleap' });
  });

  test('projection coordinates without a grid mapping are not created, as Iris does not', () => {
    expect(Object.keys(cube('field4d', 'ta').dim_coords)).toEqual(['time', 'level']);
    expect(warnings('field4d').map((w) => [w.code, w.variable])).toEqual([
      ['CF_COORD_NOT_CREATED', 'y'],
      ['CF_COORD_NOT_CREATED', 'x'],
    ]);
  });
});

describe('rotated pole (rotated_pole.cdl)', () => {
  test('grid mapping with a spherical earth, bounds, 2-D auxiliary coordinates, scalar height, cell methods', () => {
    const t = cube('rotated_pole', 'air_temperature');
    expect(pub('rotated_pole').coord_systems).toEqual({
      rotated_latitude_longitude: {
        kind: 'rotated_latitude_longitude',
        grid_north_pole_latitude: 37.5,
        grid_north_pole_longitude: 177.5,
        north_pole_grid_longitude: 0,
        ellipsoid: { semi_major_axis: 6371229, semi_minor_axis: 6371229, inverse_flattening: 0 },
      },
    });
    expect(t.dim_coords.grid_longitude).toMatchObject({ coord_system: 'rotated_latitude_longitude', bounds: { shape: [4, 2] } });
    expect(t.dim_coords.time).toMatchObject({ calendar: '360_day', bounds: { shape: [2, 2] } });
    // A simple grid_mapping gives auxiliary coordinates no coordinate system.
    expect(t.aux_coords.latitude).toMatchObject({ standard_name: 'latitude', dims: ['grid_latitude', 'grid_longitude'], units: 'degrees' });
    expect(t.aux_coords.latitude.coord_system).toBeUndefined();
    expect(t.aux_coords.height).toMatchObject({ dims: [], points: { kind: 'inline', values: Float64Array.of(1.5) }, attributes: { positive: 'up' } });
    expect(t.cell_methods).toEqual([{ method: 'mean', coords: ['time'], intervals: ['1 hour'], comments: [] }]);
    expect(t.global_attributes).toEqual({ source: 'cubemark test fixture', Conventions: 'CF-1.7' });
  });
});

describe('formula terms', () => {
  test('hybrid height: a derived altitude, the orography loaded as a cube of its own', () => {
    const theta = cube('hybrid_height', 'air_potential_temperature');
    expect(theta.derived_coords.altitude).toMatchObject({ formula: 'hybrid_height', units: 'm', terms: { delta: 'level_height', sigma: 'sigma', orography: 'surface_altitude' } });
    expect(theta.aux_coords.level_height.bounds).toMatchObject({ shape: [3, 2] });
    expect(pub('hybrid_height').cubes.map((c) => c.var_name)).toEqual(['air_potential_temperature', 'surface_altitude']);
  });

  test("hybrid pressure from p0 and a: Iris's ap = a * p0 coordinate, transposed bounds put right", () => {
    const ta = cube('cf_extras', 'ta');
    expect(ta.derived_coords.air_pressure).toMatchObject({ formula: 'hybrid_pressure', units: 'Pa', terms: { delta: 'ap', sigma: 'b', surface_air_pressure: 'ps' } });
    expect(ta.aux_coords.ap).toMatchObject({ long_name: 'vertical pressure', units: 'Pa', dims: ['lev'], points: { kind: 'regular', start: [10000], step: -5000 } });
    expect(Array.from((ta.aux_coords.a.bounds as { values: Float64Array }).values)).toEqual([0.15, 0.075, 0.075, 0.025, 0.025, 0]);
  });

  test('terms that do not span the data variable are ignored there and loaded as cubes', () => {
    // iris.load's order: cubes without a standard name first (file order), then by standard name.
    expect(pub('cf_extras').cubes.map((c) => c.var_name)).toEqual(['wind', 'orog_hh', 'theta', 'ta', 'ps']);
    const codes = warnings('cf_extras').map((w) => w.code);
    expect(codes.filter((c) => c === 'CF_NON_SPANNING_REFERENCE')).toHaveLength(2);
    expect(warnings('cf_extras').find((w) => w.message.startsWith('Omitting factories'))).toBeDefined();
  });
});

describe('more CF (cf_extras.cdl), classic and NetCDF-4 alike', () => {
  test.each(['cf_extras', 'cf_extras.nc4'])('%s: cell measures, ancillary variables, ellipsoid, managed attributes', (name) => {
    const ta = cube(name, 'ta');
    expect(ta.cell_measures.cell_area).toMatchObject({ measure: 'area', units: 'm2', dims: ['lat', 'lon'], standard_name: 'cell_area' });
    expect(ta.ancillary_variables.ta_flag).toMatchObject({ units: 'no_unit', dims: ['lev', 'lat', 'lon'], attributes: { flag_meanings: 'good bad' } });
    expect(pub(name).coord_systems.crs).toEqual({
      kind: 'latitude_longitude',
      semi_major_axis: 6378137,
      semi_minor_axis: 6378137 - 6378137 / 298.257223563,
      inverse_flattening: 298.257223563,
    });
    expect(ta.dim_coords.lat).toMatchObject({ coord_system: 'crs', units: 'degrees' });
    expect(ta.attributes).toEqual({ STASH: 'm01s16i004', ukmo__process_flags: ['Time mean', '', 'x'], flag_comment: 'kept' });
    expect(ta.data.kind === 'source' && ta.data.format).toBe(name.endsWith('nc4') ? 'hdf5' : 'netcdf');
  });

  test('missing references and invalid standard names are reported, not fatal', () => {
    const w = warnings('cf_extras');
    expect(w.filter((x) => x.code === 'CF_MISSING_REFERENCE').map((x) => x.message)).toContain(
      "Missing CF-netCDF grid mapping variable 'missing_crs', referenced by netCDF variable 'wind'",
    );
    // A cube's invalid standard name becomes its long name when it has none.
    expect(cube('cf_extras', 'wind')).toMatchObject({ long_name: 'not_a_standard_name' });
    expect(cube('cf_extras', 'wind').standard_name).toBeUndefined();
  });
});

test('char variables that nothing refers to are cubes of strings', () => {
  expect(cube('labels', 'model')).toMatchObject({ dtype: 'string', dims: ['ensemble'], data: { kind: 'source', dtype: 'string' } });
});
