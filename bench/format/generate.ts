import { detectRegular, type ArrayData, type CubeMeta, type NumericDtype, type Publication } from '@cubemark/format';

/** As a loader stores arrays: the regular form when there is one. */
function values(dtype: NumericDtype, shape: number[], v: Float64Array | Float32Array | Int32Array): ArrayData {
  return detectRegular(dtype, shape, v) ?? { kind: 'inline', dtype, shape, values: v };
}

/**
 * A UKV-like publication with `nCubes` parameters: rotated-pole grid, hybrid height, bounds, cell methods, scalar
 * coordinates, attributes. Deterministic in `seed`, so runs compare.
 */
export function generatePublication(seed: number, nCubes = 60): Publication {
  const levels = 70;
  const params = ['air_temperature', 'specific_humidity', 'x_wind', 'y_wind', 'upward_air_velocity', 'air_pressure', 'cloud_area_fraction', 'mass_fraction_of_cloud_liquid_water_in_air', 'relative_humidity', 'geopotential_height'];
  const methods = ['point', 'mean', 'maximum', 'minimum', 'sum'];
  const levelHeight = Float64Array.from({ length: levels }, (_, i) => 5 + i * i * 0.8333 + (seed % 7) * 0.001);
  const levelBounds = new Float64Array(levels * 2);
  for (let i = 0; i < levels; i++) {
    levelBounds[2 * i] = i === 0 ? 0 : (levelHeight[i - 1]! + levelHeight[i]!) / 2;
    levelBounds[2 * i + 1] = i === levels - 1 ? levelHeight[i]! + 10 : (levelHeight[i]! + levelHeight[i + 1]!) / 2;
  }
  const sigma = Float64Array.from({ length: levels }, (_, i) => Math.max(0, 1 - i / 55) ** 2);
  const cubes: CubeMeta[] = [];
  for (let c = 0; c < nCubes; c++) {
    const name = params[c % params.length]!;
    const nt = 3 + (c % 5) * 9;
    const cube: CubeMeta = {
      standard_name: name,
      long_name: `${name.replace(/_/g, ' ')} (${c})`,
      var_name: `${name}_${c}`,
      units: c % 3 === 0 ? 'K' : c % 3 === 1 ? 'kg kg-1' : 'm s-1',
      dims: ['time', 'model_level_number', 'grid_latitude', 'grid_longitude'],
      shape: [nt, levels, 810, 621],
      dtype: 'float32',
      attributes: { STASH: `m01s${String(c % 17).padStart(2, '0')}i${String(c * 7).padStart(3, '0')}`, um_version: '11.2', grid_mapping: 'rotated_latitude_longitude' },
      global_attributes: { Conventions: 'CF-1.7', source: 'Data from Met Office Unified Model', institution: 'Met Office', history: `Generated for run ${seed}` },
      cell_methods: [{ method: methods[c % methods.length]!, coords: ['time'], intervals: c % 2 ? ['1 hour'] : [], comments: [] }],
      dim_coords: {
        time: {
          standard_name: 'time', var_name: 'time', units: 'hours since 1970-01-01 00:00:00', calendar: 'gregorian', dims: ['time'],
          points: values('float64', [nt], Float64Array.from({ length: nt }, (_, i) => 415323 + seed + i)),
          bounds: values('float64', [nt, 2], Float64Array.from({ length: nt * 2 }, (_, i) => 415323 + seed + Math.floor(i / 2) - 1 + (i % 2))),
          attributes: {},
        },
        model_level_number: {
          standard_name: 'model_level_number', var_name: 'model_level_number', units: '1', dims: ['model_level_number'],
          points: values('int32', [levels], Int32Array.from({ length: levels }, (_, i) => i + 1)),
          attributes: { positive: 'up' },
        },
        grid_latitude: {
          standard_name: 'grid_latitude', units: 'degrees', dims: ['grid_latitude'], coord_system: 'rotated_pole',
          points: values('float32', [810], Float32Array.from({ length: 810 }, (_, i) => -4.5 + i * 0.0135)),
          attributes: {},
        },
        grid_longitude: {
          standard_name: 'grid_longitude', units: 'degrees', dims: ['grid_longitude'], coord_system: 'rotated_pole',
          points: values('float32', [621], Float32Array.from({ length: 621 }, (_, i) => 353 + i * 0.0135)),
          attributes: {},
        },
      },
      aux_coords: {
        level_height: {
          long_name: 'level_height', var_name: 'level_height', units: 'm', dims: ['model_level_number'],
          points: { kind: 'inline', dtype: 'float64', shape: [levels], values: levelHeight },
          bounds: { kind: 'inline', dtype: 'float64', shape: [levels, 2], values: levelBounds },
          attributes: { positive: 'up' },
        },
        sigma: {
          long_name: 'sigma', var_name: 'sigma', units: '1', dims: ['model_level_number'],
          points: { kind: 'inline', dtype: 'float64', shape: [levels], values: sigma },
          attributes: {},
        },
        surface_altitude: {
          standard_name: 'surface_altitude', units: 'm', dims: ['grid_latitude', 'grid_longitude'],
          points: { kind: 'source', dtype: 'float32', shape: [810, 621], source: 0, format: 'netcdf', variable: 'surface_altitude', chunks: [810, 621] },
          attributes: {},
        },
        forecast_period: {
          standard_name: 'forecast_period', units: 'hours', dims: ['time'],
          points: values('float64', [nt], Float64Array.from({ length: nt }, (_, i) => i)),
          attributes: {},
        },
        forecast_reference_time: {
          standard_name: 'forecast_reference_time', units: 'hours since 1970-01-01 00:00:00', calendar: 'gregorian', dims: [],
          points: { kind: 'inline', dtype: 'float64', shape: [1], values: Float64Array.from([415323 + seed]) },
          attributes: {},
        },
      },
      derived_coords: {
        altitude: { standard_name: 'altitude', units: 'm', formula: 'hybrid_height', terms: { delta: 'level_height', sigma: 'sigma', orography: 'surface_altitude' }, attributes: { positive: 'up' } },
      },
      cell_measures: {},
      ancillary_variables: {},
      data: {
        kind: 'source', dtype: 'float32', shape: [nt, levels, 810, 621], source: c % 4, format: 'netcdf', variable: `${name}_${c}`,
        chunks: [1, 1, 810, 621], fill_value: -1.0737418e9, options: { version: 2, begin: 4096 + c * 1_000_000, record_stride: 0 },
      },
    };
    cubes.push(cube);
  }
  return {
    cubemark: 1,
    name: `ukv-run-${String(seed).padStart(5, '0')}`,
    title: `UKV deterministic forecast, run ${seed}`,
    created: '2017-05-15T04:12:09Z',
    provenance: { tool: 'cubemark bench' },
    sources: [0, 1, 2, 3].map((i) => ({ uri: `prods_op_ukv_${seed}_${i}.nc`, size: 5_211_184_332 + i, mtime: '2017-05-15T04:02:11Z' })),
    coord_systems: {
      rotated_pole: { kind: 'rotated_latitude_longitude', grid_north_pole_latitude: 37.5, grid_north_pole_longitude: 177.5, ellipsoid: { semi_major_axis: 6371229 } },
    },
    cubes,
  };
}
