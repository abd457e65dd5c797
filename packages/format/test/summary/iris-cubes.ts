import type {
  ArrayData,
  Attributes,
  CellMethod,
  Coord,
  CubeMeta,
  DerivedCoord,
  Dtype,
  InlineArray,
  Mesh,
  MeshCoordinate,
  Names,
  NumericAttribute,
  SourceArray,
} from '../../src/model/types.js';
import { umHybridHeightAltitude } from '../helpers/items.js';

/**
 * The cubes Iris loads from the files in shared/data/iris-test-data, written out by hand as cubemark models (names,
 * units, dimensions, coordinates, cell methods and attributes as Iris has them after loading; values from
 * `ncdump` of the files). Keyed like IRIS-READING.md: path → cubes in the order Iris prints them.
 */

const f64 = (...values: number[]): InlineArray => ({ kind: 'inline', dtype: 'float64', shape: [values.length], values: Float64Array.from(values) });
const f32 = (...values: number[]): InlineArray => ({ kind: 'inline', dtype: 'float32', shape: [values.length], values: Float32Array.from(values) });
const i32 = (...values: number[]): InlineArray => ({ kind: 'inline', dtype: 'int32', shape: [values.length], values: Int32Array.from(values) });
/** A scalar coordinate's bounds: shape [1, n]. */
const bounds = (array: InlineArray): InlineArray => ({ ...array, shape: [1, array.values.length] });
/** Values left in the file: what a vector coordinate's points usually are. */
const lazy = (dtype: Dtype, shape: number[], variable = 'v'): SourceArray => ({
  kind: 'source',
  dtype,
  shape,
  source: 0,
  format: 'netcdf',
  variable,
});
const f32attr = (value: number): NumericAttribute => ({ dtype: 'float32', values: Float32Array.of(value) });

function coord(names: Names, units: string, dims: string[], points: ArrayData, more: Partial<Coord> = {}): Coord {
  return { ...names, units, dims, points, attributes: {}, ...more };
}

/** A dimension coordinate named after its dimension (standard_name = dimension name), points in the file. */
function dimCoord(dim: string, length: number, units: string, more: Partial<Coord> = {}): Coord {
  return coord({ standard_name: dim }, units, [dim], lazy('float64', [length], dim), more);
}

function cellMethod(coords: string | string[], method: string, more: Partial<CellMethod> = {}): CellMethod {
  return { method, coords: Array.isArray(coords) ? coords : [coords], intervals: [], comments: [], ...more };
}

interface CubeSpec extends Names {
  units: string;
  dims: [string, number][];
  dim_coords?: Coord[];
  aux_coords?: Record<string, Coord>;
  derived_coords?: Record<string, DerivedCoord>;
  cell_methods?: CellMethod[];
  attributes?: Attributes;
  global_attributes?: Attributes;
}

function cube(spec: CubeSpec): CubeMeta {
  const shape = spec.dims.map(([, n]) => n);
  return {
    standard_name: spec.standard_name,
    long_name: spec.long_name,
    var_name: spec.var_name,
    units: spec.units,
    dims: spec.dims.map(([name]) => name),
    shape,
    dtype: 'float32',
    attributes: spec.attributes ?? {},
    global_attributes: spec.global_attributes ?? {},
    cell_methods: spec.cell_methods ?? [],
    dim_coords: Object.fromEntries((spec.dim_coords ?? []).map((c) => [c.dims[0], c])),
    aux_coords: spec.aux_coords ?? {},
    derived_coords: spec.derived_coords ?? {},
    cell_measures: {},
    ancillary_variables: {},
    data: lazy('float32', shape, 'data'),
  };
}

const HOURS_1970 = 'hours since 1970-01-01 00:00:00';

// ---------------------------------------------------------------------------------------------------------------

const SMALL_FC_GLOBALS: Attributes = {
  Conventions: 'CF-1.0',
  Generator: 'SeasPy v1.1',
  Created: 'Thu Apr 16 14:36:57 2009',
  Title: 'ENSEMBLES project',
  References:
    'http://www.ecmwf.int/research/EU_projects/ENSEMBLES/index.html, http://www.ecmwf.int/research/EU_projects/ENSEMBLES/experiments/index.html',
  Comment: 'Data interpolated from original model grid into a regular grid. Data restrictions: none',
  history:
    'Thu Nov 29 14:26:19 2012: /project/ukmo/rhel6/nco/bin/ncks -d time,0,1 FC_167_mon_19601101.nc small_FC_167_mon_19601101.nc',
  NCO: '4.1.0',
};

const smallFcTimeBnd = cube({
  var_name: 'time_bnd',
  units: 'hours',
  dims: [
    ['time', 2],
    ['time_bnd', 2],
  ],
  global_attributes: SMALL_FC_GLOBALS,
});

const smallFcAirTemperature = cube({
  standard_name: 'air_temperature',
  long_name: 'near-surface temperature',
  var_name: 'tas',
  units: 'K',
  dims: [
    ['time', 2],
    ['ensemble', 21],
    ['latitude', 73],
    ['longitude', 144],
  ],
  dim_coords: [dimCoord('longitude', 144, 'degrees_east', { circular: true })],
  aux_coords: {
    reftime: coord({ standard_name: 'forecast_reference_time' }, 'days since 1950-01-01 00:00:00', ['time'], lazy('float32', [2])),
    leadtime: coord({ standard_name: 'forecast_period' }, 'hours', ['time'], lazy('int32', [2]), { bounds: lazy('int32', [2, 2]) }),
    experiment_id: coord({ long_name: 'Experiment identifier', var_name: 'experiment_id' }, 'no_unit', ['ensemble'], lazy('string', [21])),
    source: coord({ long_name: 'source', var_name: 'source' }, 'no_unit', ['ensemble'], lazy('string', [21])),
    realization: coord({ standard_name: 'realization' }, '1', ['ensemble'], lazy('int32', [21])),
    institution: coord({ long_name: 'institution', var_name: 'institution' }, 'no_unit', ['ensemble'], lazy('string', [21])),
    latitude: coord({ standard_name: 'latitude' }, 'degrees_north', ['latitude'], lazy('float32', [73])),
    sc: coord({ standard_name: 'height', var_name: 'sc' }, 'm', [], f32(2)),
  },
  cell_methods: [cellMethod('forecast_period', 'mean', { comments: ['interval 6 h'] })],
  attributes: { data_type: 'float', unit_long: 'kelvin' },
  global_attributes: SMALL_FC_GLOBALS,
});

const euroAirTemp = cube({
  standard_name: 'air_temperature',
  units: 'K',
  dims: [
    ['projection_y_coordinate', 15],
    ['projection_x_coordinate', 15],
  ],
  dim_coords: [dimCoord('projection_y_coordinate', 15, 'm'), dimCoord('projection_x_coordinate', 15, 'm')],
  aux_coords: {
    time: coord({ standard_name: 'time' }, HOURS_1970, [], f64(253_464), { calendar: 'gregorian' }),
    pressure: coord({ long_name: 'pressure' }, 'hPa', [], f32(1000)),
    forecast_reference_time: coord({ standard_name: 'forecast_reference_time' }, HOURS_1970, [], f64(246_987), {
      calendar: 'gregorian',
    }),
    forecast_period: coord({ standard_name: 'forecast_period' }, 'hours', [], f64(6477)),
  },
  attributes: { STASH: 'm01s16i203' },
  global_attributes: { source: 'Data from Met Office Unified Model', Conventions: 'CF-1.5' },
});

const mercatorWibble = cube({
  var_name: 'wibble',
  units: 'unknown',
  dims: [
    ['projection_y_coordinate', 5],
    ['projection_x_coordinate', 5],
  ],
  dim_coords: [dimCoord('projection_y_coordinate', 5, 'm'), dimCoord('projection_x_coordinate', 5, 'm')],
  global_attributes: { Conventions: 'CF-1.7' },
});

const toaBrightnessTemperature = cube({
  standard_name: 'toa_brightness_temperature',
  long_name: 'toa_brightness_temperature',
  units: 'K',
  dims: [
    ['y', 160],
    ['x', 256],
  ],
  dim_coords: [
    coord({ standard_name: 'projection_y_coordinate', var_name: 'y' }, 'm', ['y'], lazy('float32', [160])),
    coord({ standard_name: 'projection_x_coordinate', var_name: 'x' }, 'm', ['x'], lazy('float32', [256])),
  ],
  aux_coords: { time: coord({ standard_name: 'time' }, HOURS_1970, [], f32(406_500), { calendar: 'gregorian' }) },
  global_attributes: {
    Note: 'This dataset is for test purposes only',
    acknowledgement: 'EUMETSAT',
    creator_email: 'sat_systems@metoffice.gov.uk',
    creator_name: 'Satellite Applications, Met Office',
    creator_type: 'group',
    geospatial_lat_max: f32attr(2.242078e-44),
    geospatial_lat_min: f32attr(0),
    geospatial_lon_max: f32attr(0),
    geospatial_lon_min: f32attr(0),
    history: 'Created: 2016-05-23T09:40:00Z',
    institution: 'Met Office, UK',
    instrument: 'SEVIRI',
    keywords: 'Infra-red, brightness temperature, MSG, SEVIRI',
    platform: 'MSG',
    source: 'EUMETSAT',
    standard_name_vocabulary: 'CF Standard Name Table v27',
    summary:
      'Infra-red channel top of atmosphere brightness temperature, central wavelength of 10.80 microns, Stereographic projection',
    title: 'TOA brightness temperature, 10.80 micron (MSG)',
    Conventions: 'CF-1.7',
  },
});

const regridSampleGrid = cube({
  long_name: 'sample_grid',
  units: 'unknown',
  dims: [
    ['latitude', 180],
    ['longitude', 360],
  ],
  dim_coords: [
    dimCoord('latitude', 180, 'degrees_north', { bounds: lazy('float64', [180, 2]) }),
    dimCoord('longitude', 360, 'degrees_east', { bounds: lazy('float64', [360, 2]) }),
  ],
  global_attributes: { Conventions: 'CF-1.7' },
});

const rotPolePrecipitation = cube({
  standard_name: 'precipitation_flux',
  long_name: 'Precipitation',
  var_name: 'pr',
  units: 'kg m-2 s-1',
  dims: [
    ['time', 4],
    ['rlat', 190],
    ['rlon', 174],
  ],
  dim_coords: [
    // Iris's load rules name a coordinate with time-reference units `time` when it has no standard name.
    coord({ standard_name: 'time', long_name: 'Julian Day', var_name: 'time' }, 'days since 1950-01-01 00:00:00.0', ['time'], lazy('float32', [4]), {
      calendar: 'gregorian',
      bounds: lazy('float32', [4, 2]),
    }),
    coord({ standard_name: 'grid_latitude', long_name: 'rotated latitude', var_name: 'rlat' }, 'degrees', ['rlat'], lazy('float32', [190])),
    coord({ standard_name: 'grid_longitude', long_name: 'rotated longitude', var_name: 'rlon' }, 'degrees', ['rlon'], lazy('float32', [174])),
  ],
  aux_coords: {
    lat: coord({ standard_name: 'latitude', long_name: 'latitude', var_name: 'lat' }, 'degrees_north', ['rlat', 'rlon'], lazy('float32', [190, 174])),
    lon: coord({ standard_name: 'longitude', long_name: 'longitude', var_name: 'lon' }, 'degrees_east', ['rlat', 'rlon'], lazy('float32', [190, 174])),
  },
  cell_methods: [cellMethod('time', 'mean')],
  global_attributes: {
    Conventions: 'CF-1.0',
    source: 'HIRHAM',
    experiment: 'ER3',
    institution: 'DMI',
    history:
      'Thu Nov 29 10:45:50 2012: /project/ukmo/rhel6/nco/bin/ncks -d time,0,3 new_rotPole_precipitation.nc small_rotPole_precipitation.nc',
    NCO: '4.1.0',
  },
});

// cell_methods.nc: one cube per way of writing cell_methods, in the order Iris loads them.
const CELL_METHOD_CUBES: [string, CellMethod[]][] = [
  ['cube_maximum', [cellMethod('time', 'maximum')]],
  ['cube_minimum', [cellMethod('time', 'minimum')]],
  ['cube_mean', [cellMethod('time', 'mean')]],
  ['cube_axes_2', [cellMethod('time', 'mean'), cellMethod('latitude', 'maximum'), cellMethod('longitude', 'minimum')]],
  ['cube_point', [cellMethod('time', 'point')]],
  [
    'cube_interval_4',
    [
      cellMethod('time', 'maximum', { intervals: ['1 day'] }),
      cellMethod('latitude', 'minimum', { intervals: ['0.1 degree_n'] }),
      cellMethod('longitude', 'mean', { intervals: ['0.2 degree_e'] }),
    ],
  ],
  ['cube_mix_0', [cellMethod('time', 'mean', { intervals: ['1 day'], comments: ['daily mean time'] })]],
  ['cube_comment_1', [cellMethod('time', 'mean', { comments: ['this is a time comment'] })]],
  ['cube_comment_0', [cellMethod('time', 'mean', { comments: ['this is a time comment'] })]],
  ['cube_axes_1', [cellMethod(['time', 'latitude', 'longitude'], 'mean')]],
  ['cube_interval_1', [cellMethod(['latitude', 'longitude'], 'mean', { intervals: ['0.1 degrees', '0.1 degrees'] })]],
  [
    'cube_mix_2',
    [
      cellMethod(['latitude', 'longitude'], 'mean', {
        intervals: ['0.1 degree_n', '0.2 degree_e'],
        comments: ['area-weighted', 'area-weighted'],
      }),
      cellMethod('time', 'sum', { intervals: ['7 days'], comments: ['weekly sum'] }),
    ],
  ],
  [
    'cube_comment_4',
    [
      cellMethod('time', 'maximum', { comments: ['this is a time comment'] }),
      cellMethod(['latitude', 'longitude'], 'mean', { comments: ['this is a shared comment', 'this is a shared comment'] }),
    ],
  ],
  [
    'cube_interval_3',
    [
      cellMethod('time', 'maximum', { intervals: ['1 day'] }),
      cellMethod(['latitude', 'longitude'], 'minimum', { intervals: ['0.1 degrees', '0.1 degrees'] }),
    ],
  ],
  ['cube_interval_2', [cellMethod(['latitude', 'longitude'], 'mean', { intervals: ['0.1 degree_n', '0.2 degree_e'] })]],
  ['cube_comment_2', [cellMethod(['latitude', 'longitude'], 'mean', { comments: ['this is a shared comment', 'this is a shared comment'] })]],
  ['cube_median', [cellMethod('time', 'median')]],
  ['cube_axes_0', [cellMethod(['latitude', 'longitude'], 'mean')]],
  ['cube_axes_4', [cellMethod(['latitude', 'longitude'], 'mean'), cellMethod('time', 'maximum')]],
  [
    'cube_mix_1',
    [
      cellMethod(['latitude', 'longitude'], 'mean', {
        intervals: ['0.1 degree_n', '0.2 degree_e'],
        comments: ['area-weighted', 'area-weighted'],
      }),
    ],
  ],
  ['cube_axes_3', [cellMethod('time', 'mean'), cellMethod(['latitude', 'longitude'], 'maximum')]],
  ['cube_comment_3', [cellMethod(['latitude', 'longitude'], 'mean', { comments: ['this a lat comment', 'this is a lon comment'] })]],
  ['cube_mid_range', [cellMethod('time', 'mid_range')]],
  ['cube_interval_0', [cellMethod('time', 'mean', { intervals: ['1 day'] })]],
  ['cube_mode', [cellMethod('time', 'mode')]],
  ['cube_sum', [cellMethod('time', 'sum')]],
  ['cube_variance', [cellMethod('time', 'variance')]],
  ['cube_standard_deviation', [cellMethod('time', 'standard_deviation')]],
];

/** The cubes of cell_methods.nc that span time only; the others span (time, lat, lon). */
const TIME_ONLY = new Set(['maximum', 'minimum', 'mean', 'point', 'median', 'mid_range', 'mode', 'sum', 'variance', 'standard_deviation'].map((m) => `cube_${m}`));

function cellMethodsCube([name, methods]: [string, CellMethod[]]): CubeMeta {
  const spatial = !TIME_ONLY.has(name);
  const dims: [string, number][] = spatial
    ? [
        ['time', 1],
        ['lat', 2],
        ['lon', 2],
      ]
    : [['time', 1]];
  return cube({
    var_name: name,
    units: 'unknown',
    dims,
    dim_coords: [
      coord({ standard_name: 'time' }, 'unknown', ['time'], i32(0)),
      ...(spatial
        ? [
            coord({ standard_name: 'latitude', var_name: 'lat' }, 'unknown', ['lat'], lazy('int32', [2])),
            coord({ standard_name: 'longitude', var_name: 'lon' }, 'unknown', ['lon'], lazy('int32', [2])),
          ]
        : []),
    ],
    cell_methods: methods,
  });
}

const colpexGrid = [
  coord({ standard_name: 'grid_latitude' }, 'degrees', ['grid_latitude'], lazy('float32', [83]), { bounds: lazy('float32', [83, 2]) }),
  coord({ standard_name: 'grid_longitude' }, 'degrees', ['grid_longitude'], lazy('float32', [83]), { bounds: lazy('float32', [83, 2]) }),
];

const colpexTheta = cube({
  standard_name: 'air_potential_temperature',
  units: 'K',
  dims: [
    ['time', 6],
    ['model_level_number', 10],
    ['grid_latitude', 83],
    ['grid_longitude', 83],
  ],
  dim_coords: [
    coord({ standard_name: 'time' }, HOURS_1970, ['time'], lazy('float64', [6]), { calendar: 'gregorian' }),
    coord({ standard_name: 'model_level_number' }, '1', ['model_level_number'], lazy('int32', [10]), {
      attributes: { positive: 'up' },
    }),
    ...colpexGrid,
  ],
  aux_coords: {
    forecast_period: coord({ standard_name: 'forecast_period' }, 'hours', ['time'], lazy('float64', [6])),
    level_height: coord(
      { standard_name: 'atmosphere_hybrid_height_coordinate', long_name: 'level_height' },
      'm',
      ['model_level_number'],
      lazy('float32', [10]),
      { bounds: lazy('float32', [10, 2]), attributes: { positive: 'up' } },
    ),
    sigma: coord({ long_name: 'sigma' }, '1', ['model_level_number'], lazy('float32', [10]), { bounds: lazy('float32', [10, 2]) }),
    // Spans (grid_longitude, grid_latitude): transposed against the cube.
    surface_altitude: coord({ standard_name: 'surface_altitude' }, 'm', ['grid_longitude', 'grid_latitude'], lazy('float32', [83, 83])),
  },
  derived_coords: { altitude: umHybridHeightAltitude() },
  attributes: { STASH: 'm01s00i004', source: 'Data from Met Office Unified Model 7.04' },
  global_attributes: { Conventions: 'CF-1.5' },
});

const colpexSurfaceAltitude = cube({
  standard_name: 'surface_altitude',
  units: 'm',
  dims: [
    ['grid_longitude', 83],
    ['grid_latitude', 83],
  ],
  dim_coords: [...colpexGrid].reverse(),
  global_attributes: { Conventions: 'CF-1.5' },
});

function unitsCube(units: string, attributes: Attributes): CubeMeta {
  return cube({
    standard_name: 'air_temperature',
    units,
    dims: [['time', 5]],
    dim_coords: [coord({ standard_name: 'time' }, 'unknown', ['time'], i32(0, 1, 2, 3, 4))],
    aux_coords: { height: coord({ standard_name: 'height' }, 'meters', [], i32(100)) },
    attributes,
  });
}

const meanTemperature = cube({
  long_name: 'Mean temperature',
  var_name: 'tmean',
  units: 'degrees_celsius',
  dims: [
    ['time', 1],
    ['y', 3],
    ['x', 2],
  ],
  dim_coords: [
    coord({ long_name: 'time' }, 'days since 1600-1-1 0:0:0', ['time'], lazy('float64', [1]), {
      calendar: 'gregorian',
      bounds: lazy('float64', [1, 2]),
      climatological: true,
    }),
    coord({ long_name: 'projection_y_coordinate', var_name: 'y' }, 'm', ['y'], lazy('float64', [3])),
    coord({ long_name: 'projection_x_coordinate', var_name: 'x' }, 'm', ['x'], lazy('float64', [2])),
  ],
  aux_coords: {
    lat: coord({ standard_name: 'latitude', long_name: 'latitude' }, 'degrees_north', ['y', 'x'], lazy('float64', [3, 2])),
    lon: coord({ standard_name: 'longitude', long_name: 'longitude' }, 'degrees_east', ['y', 'x'], lazy('float64', [3, 2])),
  },
  cell_methods: [cellMethod('time', 'mean within years'), cellMethod('time', 'mean over years')],
  global_attributes: {
    title: 'UK annual mean tmean',
    Conventions: 'CF-1.6',
    institution: 'Met Office',
    history: 'Conversion from ESRI grid',
    source: 'EWB2',
    Note: 'This dataset is for test purposes only',
  },
});

// PP cubes: values as Iris's PP loader makes them (forecast_period points int, bounds float).
const globalPp = cube({
  standard_name: 'air_temperature',
  units: 'K',
  dims: [
    ['latitude', 73],
    ['longitude', 96],
  ],
  dim_coords: [dimCoord('latitude', 73, 'degrees'), dimCoord('longitude', 96, 'degrees', { circular: true })],
  aux_coords: {
    forecast_period: coord({ standard_name: 'forecast_period' }, 'hours', [], i32(6477), { bounds: bounds(f64(-28083, 6477)) }),
    forecast_reference_time: coord({ standard_name: 'forecast_reference_time' }, HOURS_1970, [], f64(246_867), { calendar: 'standard' }),
    pressure: coord({ long_name: 'pressure' }, 'hPa', [], f64(1000)),
    time: coord({ standard_name: 'time' }, HOURS_1970, [], f64(253_464), { calendar: 'standard', bounds: bounds(f64(218_400, 253_464)) }),
  },
  cell_methods: [cellMethod('time', 'mean within years'), cellMethod('time', 'mean over years')],
  attributes: { STASH: 'm01s16i203', source: 'Data from Met Office Unified Model' },
});

const partialMaskPp = cube({
  units: 'unknown',
  dims: [
    ['time', 2],
    ['grid_latitude', 2],
    ['grid_longitude', 2],
  ],
  dim_coords: [
    coord({ standard_name: 'time' }, HOURS_1970, ['time'], f64(394_200, 394_206), { calendar: 'standard' }),
    dimCoord('grid_latitude', 2, 'degrees'),
    dimCoord('grid_longitude', 2, 'degrees'),
  ],
  aux_coords: {
    forecast_period: coord({ standard_name: 'forecast_period' }, 'hours', ['time'], f64(0, 6)),
    forecast_reference_time: coord({ standard_name: 'forecast_reference_time' }, HOURS_1970, [], f64(394_200), { calendar: 'standard' }),
    pressure: coord({ long_name: 'pressure' }, 'hPa', [], f64(1000)),
  },
});

// UGRID meshes: the mesh coordinates print under "Mesh coordinates:", the mesh's name and location under "Mesh:".

function meshCoord(standardName: string, longName: string, varName: string, dtype: Dtype, count: number): MeshCoordinate {
  return { standard_name: standardName, long_name: longName, var_name: varName, units: 'degrees', points: lazy(dtype, [count], varName), attributes: {} };
}

const C4_MESH: Mesh = {
  long_name: 'Topology data of 2D unstructured mesh',
  var_name: 'topology',
  units: 'unknown',
  topology_dimension: 2,
  node: {
    dimension: 'num_node',
    count: 98,
    coords: {
      x: meshCoord('longitude', 'longitude of 2D mesh nodes.', 'node_lon', 'float64', 98),
      y: meshCoord('latitude', 'latitude of 2D mesh nodes.', 'node_lat', 'float64', 98),
    },
  },
  face: {
    dimension: 'dim0',
    count: 96,
    coords: {
      x: meshCoord('longitude', 'longitude of 2D face centres', 'longitude', 'float64', 96),
      y: meshCoord('latitude', 'latitude of 2D face centres', 'latitude', 'float64', 96),
    },
  },
  connectivities: {
    face_node_connectivity: {
      long_name: 'Maps every quadrilateral face to its four corner nodes.',
      var_name: 'face_nodes',
      units: 'unknown',
      indices: lazy('int32', [96, 4], 'face_nodes'),
      start_index: 1,
      location_axis: 0,
      attributes: {},
    },
  },
  attributes: {},
};

const c4SampleData: CubeMeta = {
  ...cube({ long_name: 'sample_data', var_name: 'sample_data', units: 'unknown', dims: [['dim0', 96]], global_attributes: { Conventions: 'UGRID-1.0' } }),
  mesh: { name: 'topology', location: 'face', dim: 'dim0' },
};

const LFRIC_GLOBALS: Attributes = {
  name: 'lfric_ngvat_2D_1t_face_half_levels_main_conv_rain',
  description: 'Created by xios',
  title: 'Created by xios',
  Conventions: 'UGRID',
  timeStamp: '2020-Oct-18 21:20:18 GMT',
  uuid: '85317dbf-79e1-44d6-9032-a8c9b76b6fc0',
};
const LFRIC_FACES: [string, number] = ['nMesh2d_half_levels_face', 864];
const LFRIC_MESH: Mesh = {
  long_name: 'Topology data of 2D unstructured mesh',
  var_name: 'Mesh2d_half_levels',
  units: 'unknown',
  topology_dimension: 2,
  node: {
    dimension: 'nMesh2d_half_levels_node',
    count: 866,
    coords: {
      x: meshCoord('longitude', 'Longitude of mesh nodes.', 'Mesh2d_half_levels_node_x', 'float32', 866),
      y: meshCoord('latitude', 'Latitude of mesh nodes.', 'Mesh2d_half_levels_node_y', 'float32', 866),
    },
  },
  edge: {
    dimension: 'nMesh2d_half_levels_edge',
    count: 1728,
    coords: {
      x: meshCoord('longitude', 'Characteristic longitude of mesh edges.', 'Mesh2d_half_levels_edge_x', 'float32', 1728),
      y: meshCoord('latitude', 'Characteristic latitude of mesh edges.', 'Mesh2d_half_levels_edge_y', 'float32', 1728),
    },
  },
  face: {
    dimension: LFRIC_FACES[0],
    count: 864,
    coords: {
      x: meshCoord('longitude', 'Characteristic longitude of mesh faces.', 'Mesh2d_half_levels_face_x', 'float32', 864),
      y: meshCoord('latitude', 'Characteristic latitude of mesh faces.', 'Mesh2d_half_levels_face_y', 'float32', 864),
    },
  },
  connectivities: {
    face_node_connectivity: {
      long_name: 'Maps every face to its corner nodes.',
      var_name: 'Mesh2d_half_levels_face_nodes',
      units: 'unknown',
      indices: lazy('int32', [864, 4], 'Mesh2d_half_levels_face_nodes'),
      start_index: 0,
      location_axis: 0,
      attributes: {},
    },
    edge_node_connectivity: {
      long_name: 'Maps every edge/link to two nodes that it connects.',
      var_name: 'Mesh2d_half_levels_edge_nodes',
      units: 'unknown',
      indices: lazy('int32', [1728, 2], 'Mesh2d_half_levels_edge_nodes'),
      start_index: 0,
      location_axis: 0,
      attributes: {},
    },
  },
  attributes: {},
};

/** A connectivity Iris does not attach to the mesh (the mesh does not name it, or its cf_role is no UGRID role): a cube. */
const lfricLinks = (longName: string, varName: string, dims: [string, number][], units: string, attributes: Attributes): CubeMeta => ({
  ...cube({ long_name: longName, var_name: varName, units, dims, attributes, global_attributes: LFRIC_GLOBALS }),
  dtype: 'int32',
});

const lfricConvRain: CubeMeta = {
  ...cube({
    long_name: 'surface_convective_rainfall_rate',
    var_name: 'conv_rain',
    units: 'kg m-2 s-1',
    dims: [['time_counter', 1], LFRIC_FACES],
    aux_coords: {
      time_instant: coord({ standard_name: 'time', long_name: 'Time axis', var_name: 'time_instant' }, 'seconds since 2016-01-01 15:00:00', ['time_counter'], f64(21600), {
        calendar: 'gregorian',
        bounds: { ...f64(0, 21600), shape: [1, 2] },
        attributes: { time_origin: '2016-01-01 15:00:00' },
      }),
    },
    cell_methods: [cellMethod('time', 'point', { intervals: ['300 s'] })],
    attributes: { online_operation: 'instant', interval_operation: '300 s', interval_write: '21600 s' },
    global_attributes: LFRIC_GLOBALS,
  }),
  mesh: { name: 'Mesh2d_half_levels', location: 'face', dim: LFRIC_FACES[0] },
};

/** The meshes of the mesh files, for the summaries of their cubes. */
export const IRIS_TEST_MESHES: ReadonlyMap<string, Record<string, Mesh>> = new Map<string, Record<string, Mesh>>([
  ['NetCDF/unstructured_grid/data_C4.nc', { topology: C4_MESH }],
  ['NetCDF/unstructured_grid/lfric_ngvat_2D_1t_face_half_levels_main_conv_rain.nc', { Mesh2d_half_levels: LFRIC_MESH }],
]);

export const IRIS_TEST_CUBES: ReadonlyMap<string, readonly CubeMeta[]> = new Map([
  ['NetCDF/label_and_climate/small_FC_167_mon_19601101.nc', [smallFcTimeBnd, smallFcAirTemperature]],
  ['NetCDF/lambert_azimuthal_equal_area/euro_air_temp.nc', [euroAirTemp]],
  ['NetCDF/mercator/non_unit_scale_factor_merc.nc', [mercatorWibble]],
  ['NetCDF/polar/toa_brightness_temperature.nc', [toaBrightnessTemperature]],
  ['NetCDF/regrid/regrid_template_global_latlon.nc', [regridSampleGrid]],
  ['NetCDF/rotated/xyt/small_rotPole_precipitation.nc', [rotPolePrecipitation]],
  ['NetCDF/testing/cell_methods.nc', CELL_METHOD_CUBES.map(cellMethodsCube)],
  ['NetCDF/testing/small_theta_colpex.nc', [colpexTheta, colpexSurfaceAltitude]],
  ['NetCDF/testing/units.nc', [unitsCube('kelvin', {}), unitsCube('unknown', { invalid_units: 'kevin' })]],
  ['NetCDF/transverse_mercator/projection_origin_attributes.nc', [meanTemperature]],
  ['NetCDF/unstructured_grid/data_C4.nc', [c4SampleData]],
  [
    'NetCDF/unstructured_grid/lfric_ngvat_2D_1t_face_half_levels_main_conv_rain.nc',
    [
      lfricLinks('Maps every face to its edges.', 'Mesh2d_half_levels_face_edges', [LFRIC_FACES, ['nMesh2d_half_levels_vertex', 4]], 'unknown', {
        cf_role: 'face_edge_connectivity',
        start_index: { dtype: 'int32', values: Int32Array.of(0) },
      }),
      lfricConvRain,
      lfricLinks('neighbor faces for edges', 'Mesh2d_half_levels_edge_face_links', [['nMesh2d_half_levels_edge', 1728], ['Two', 2]], 'unknown', {
        cf_role: 'edge_face connectivity',
        start_index: { dtype: 'int32', values: Int32Array.of(0) },
        comment: 'missing neighbor faces are indicated using _FillValue',
      }),
      lfricLinks('Indicates which other faces neighbor each face', 'Mesh2d_half_levels_face_links', [LFRIC_FACES, ['nMesh2d_half_levels_vertex', 4]], 'no_unit', {
        cf_role: 'face_face connectivity',
        start_index: { dtype: 'int32', values: Int32Array.of(0) },
        flag_values: { dtype: 'int32', values: Int32Array.of(-1) },
        flag_meanings: 'out_of_mesh',
      }),
    ],
  ],
  // Iris refuses the file: its mesh has node coordinates only (ValueError: topology_dimension 0).
  ['NetCDF/unstructured_grid/theta_nodal_xios.nc', []],
  ['PP/aPPglob1/global.pp', [globalPp]],
  ['PP/simple_pp/partial_mask.pp', [partialMaskPp]],
]);
