import { detectRegular, type CubeMeta, type Publication } from '../../src/index.js';

/** A small UKV-like publication used across format tests (rotated pole, hybrid height, bounds, scalar coords). */
export function ukvPublication(): Publication {
  const levels = 5;
  const cube: CubeMeta = {
    standard_name: 'air_temperature',
    var_name: 'air_temperature',
    units: 'K',
    dims: ['time', 'model_level_number', 'grid_latitude', 'grid_longitude'],
    shape: [37, levels, 810, 621],
    dtype: 'float32',
    attributes: { STASH: 'm01s16i203', um_version: '10.4', valid_range: { dtype: 'float32', values: new Float32Array([150, 350]) } },
    global_attributes: { Conventions: 'CF-1.7', source: 'Data from Met Office Unified Model' },
    cell_methods: [{ method: 'point', coords: ['time'], intervals: [], comments: [] }],
    dim_coords: {
      time: {
        standard_name: 'time',
        units: 'hours since 1970-01-01 00:00:00',
        calendar: 'standard',
        dims: ['time'],
        points: { kind: 'regular', dtype: 'float64', shape: [37], start: [415323], step: 1 },
        attributes: {},
      },
      model_level_number: {
        standard_name: 'model_level_number',
        units: '1',
        dims: ['model_level_number'],
        points: { kind: 'inline', dtype: 'int32', shape: [levels], values: Int32Array.from({ length: levels }, (_, i) => i + 1) },
        attributes: { positive: 'up' },
      },
      grid_latitude: {
        standard_name: 'grid_latitude',
        units: 'degrees',
        dims: ['grid_latitude'],
        coord_system: 'rotated_pole',
        points: detectRegular('float32', [810], Float32Array.from({ length: 810 }, (_, i) => -4.5 + i * 0.0135))!,
        attributes: {},
      },
      grid_longitude: {
        standard_name: 'grid_longitude',
        units: 'degrees',
        dims: ['grid_longitude'],
        coord_system: 'rotated_pole',
        points: detectRegular('float32', [621], Float32Array.from({ length: 621 }, (_, i) => 353 + i * 0.0135))!,
        attributes: {},
      },
    },
    aux_coords: {
      level_height: {
        long_name: 'level_height',
        var_name: 'level_height',
        units: 'm',
        dims: ['model_level_number'],
        points: { kind: 'inline', dtype: 'float64', shape: [levels], values: Float64Array.from([5, 21.666664123535156, 45, 75, 111.66666412353516]) },
        bounds: { kind: 'inline', dtype: 'float64', shape: [levels, 2], values: Float64Array.from([0, 13.33, 13.33, 33.33, 33.33, 60, 60, 93.33, 93.33, 133.33]) },
        attributes: {},
      },
      sigma: {
        long_name: 'sigma',
        units: '1',
        dims: ['model_level_number'],
        points: { kind: 'inline', dtype: 'float64', shape: [levels], values: Float64Array.from([0.9994, 0.9975, 0.9944, 0.9901, 0.9846]) },
        attributes: {},
      },
      surface_altitude: {
        standard_name: 'surface_altitude',
        units: 'm',
        dims: ['grid_latitude', 'grid_longitude'],
        points: { kind: 'source', dtype: 'float32', shape: [810, 621], source: 0, format: 'netcdf', variable: 'surface_altitude' },
        attributes: {},
      },
      forecast_reference_time: {
        standard_name: 'forecast_reference_time',
        units: 'hours since 1970-01-01 00:00:00',
        calendar: 'standard',
        dims: [],
        points: { kind: 'inline', dtype: 'float64', shape: [1], values: Float64Array.from([415323]) },
        attributes: {},
      },
    },
    derived_coords: {
      altitude: {
        standard_name: 'altitude',
        units: 'm',
        formula: 'hybrid_height',
        terms: { delta: 'level_height', sigma: 'sigma', orography: 'surface_altitude' },
        attributes: { positive: 'up' },
      },
    },
    cell_measures: {},
    ancillary_variables: {},
    data: {
      kind: 'source',
      dtype: 'float32',
      shape: [37, levels, 810, 621],
      source: 0,
      format: 'netcdf',
      variable: 'air_temperature',
      chunks: [1, 1, 810, 621],
      fill_value: -1.0737418e9,
      options: { begin: 12345, version: 2 },
    },
  };
  return {
    cubemark: 1.1,
    name: 'ukv-20170515T03Z',
    title: 'UKV deterministic forecast, 15 May 2017 03Z',
    created: '2017-05-15T04:12:09Z',
    provenance: { tool: 'cubemark test' },
    sources: [{ uri: 'prods_op_ukv_20170515_03_000.nc', size: 5211184332, mtime: '2017-05-15T04:02:11Z' }],
    coord_systems: {
      rotated_pole: {
        kind: 'rotated_latitude_longitude',
        grid_north_pole_latitude: 37.5,
        grid_north_pole_longitude: 177.5,
        ellipsoid: { semi_major_axis: 6371229 },
      },
    },
    cubes: [cube],
  };
}
