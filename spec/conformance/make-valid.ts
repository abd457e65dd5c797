/**
 * Writes the canonical valid examples from the models below (`node --conditions=source --import tsx
 * spec/conformance/make-valid.ts`). Hand-written examples (names containing `noncanonical`) are not touched.
 */
import { writeFileSync } from 'node:fs';
import { FORMAT_VERSION, detectRegular, serialize, type CoordSystem, type CubeMeta, type FactoryKind, type Publication } from '@cubemark/format';
import { FACTORY_TERMS } from '@cubemark/format';

const here = new URL('./valid/', import.meta.url);
const write = (name: string, pub: Publication, prose: string) =>
  writeFileSync(new URL(`${name}.cube.md`, here), serialize(pub, { body: `\n# ${pub.title ?? pub.name}\n\n${prose}\n` }));

function cube(extra: Partial<CubeMeta> = {}): CubeMeta {
  return {
    standard_name: 'air_temperature',
    units: 'K',
    dims: ['y', 'x'],
    shape: [3, 4],
    dtype: 'float32',
    attributes: {},
    global_attributes: {},
    cell_methods: [],
    dim_coords: {
      y: { standard_name: 'projection_y_coordinate', units: 'm', dims: ['y'], points: { kind: 'regular', dtype: 'float64', shape: [3], start: [0], step: 2000 }, attributes: {} },
      x: { standard_name: 'projection_x_coordinate', units: 'm', dims: ['x'], points: { kind: 'regular', dtype: 'float64', shape: [4], start: [0], step: 2000 }, attributes: {} },
    },
    aux_coords: {},
    derived_coords: {},
    cell_measures: {},
    ancillary_variables: {},
    data: { kind: 'inline', dtype: 'float32', shape: [3, 4], values: Float32Array.from({ length: 12 }, (_, i) => 270 + i / 4) },
    ...extra,
  };
}

const base = (name: string, title: string): Publication => ({ cubemark: FORMAT_VERSION, name, title, provenance: {}, sources: [], coord_systems: {}, cubes: [] });

// Minimal.
write('minimal', { ...base('minimal', 'The smallest valid publication'), cubes: [] }, 'A publication with no cubes yet.');

// Every coordinate system.
const ellipsoid = { semi_major_axis: 6378137, inverse_flattening: 298.257223563 };
const systems: Record<string, CoordSystem> = {
  geog: { kind: 'latitude_longitude', semi_major_axis: 6371229 },
  rotated: { kind: 'rotated_latitude_longitude', grid_north_pole_latitude: 37.5, grid_north_pole_longitude: 177.5, north_pole_grid_longitude: 0, ellipsoid: { semi_major_axis: 6371229 } },
  tm: { kind: 'transverse_mercator', latitude_of_projection_origin: 49, longitude_of_central_meridian: -2, scale_factor_at_central_meridian: 0.9996012717, false_easting: 400000, false_northing: -100000, ellipsoid: { semi_major_axis: 6377563.396, semi_minor_axis: 6356256.909 } },
  lcc: { kind: 'lambert_conformal_conic', latitude_of_projection_origin: 25, longitude_of_central_meridian: 265, standard_parallel: [25, 25], false_easting: 0, false_northing: 0, ellipsoid },
  merc: { kind: 'mercator', longitude_of_projection_origin: 0, standard_parallel: 0, false_easting: 0, false_northing: 0, ellipsoid },
  stereo: { kind: 'stereographic', latitude_of_projection_origin: 90, longitude_of_projection_origin: 0, scale_factor_at_projection_origin: 1, ellipsoid },
  polar: { kind: 'polar_stereographic', latitude_of_projection_origin: 90, straight_vertical_longitude_from_pole: 0, standard_parallel: 60, ellipsoid },
  laea: { kind: 'lambert_azimuthal_equal_area', latitude_of_projection_origin: 52, longitude_of_projection_origin: 10, false_easting: 4321000, false_northing: 3210000, ellipsoid },
  albers: { kind: 'albers_conical_equal_area', latitude_of_projection_origin: 23, longitude_of_central_meridian: -96, standard_parallel: [29.5, 45.5], ellipsoid },
  ortho: { kind: 'orthographic', latitude_of_projection_origin: 51.5, longitude_of_projection_origin: 0, ellipsoid },
  vp: { kind: 'vertical_perspective', latitude_of_projection_origin: 0, longitude_of_projection_origin: 0, perspective_point_height: 35785831, ellipsoid },
  geos: { kind: 'geostationary', latitude_of_projection_origin: 0, longitude_of_projection_origin: 0, perspective_point_height: 35785831, sweep_angle_axis: 'y', ellipsoid },
  omerc: { kind: 'oblique_mercator', azimuth_of_central_line: 90, latitude_of_projection_origin: 45, longitude_of_projection_origin: 10, scale_factor_at_projection_origin: 1, ellipsoid },
  rmerc: { kind: 'rotated_mercator', azimuth_of_central_line: 90, latitude_of_projection_origin: 45, longitude_of_projection_origin: 10, ellipsoid },
};
write(
  'coord-systems',
  {
    ...base('coord-systems', 'Every coordinate system'),
    coord_systems: systems,
    cubes: Object.keys(systems).map((k) => {
      const c = cube({ var_name: `t_${k}` });
      for (const coord of Object.values(c.dim_coords)) coord.coord_system = k;
      return c;
    }),
  },
  'One cube per coordinate system kind, each on a small grid in that system.',
);

// Every aux factory.
const factories = Object.keys(FACTORY_TERMS) as FactoryKind[];
write(
  'derived-coords',
  {
    ...base('derived-coords', 'Every derived coordinate formula'),
    cubes: factories.map((formula) => {
      const terms = [...FACTORY_TERMS[formula].required, ...FACTORY_TERMS[formula].optional];
      const c = cube({ var_name: formula, dims: ['level', 'y', 'x'], shape: [2, 3, 4], data: { kind: 'source', dtype: 'float32', shape: [2, 3, 4], source: 0, format: 'netcdf', variable: formula } });
      c.dim_coords = { level: { long_name: 'model_level_number', units: '1', dims: ['level'], points: { kind: 'inline', dtype: 'int32', shape: [2], values: Int32Array.from([1, 2]) }, attributes: {} }, ...c.dim_coords };
      c.derived_coords = { [formula === 'hybrid_height' ? 'altitude' : formula.startsWith('ocean') ? 'sea_surface_height_above_reference_ellipsoid' : 'air_pressure']: { units: formula === 'hybrid_height' ? 'm' : 'Pa', formula, terms: {}, attributes: {} } };
      const derived = Object.values(c.derived_coords)[0]!;
      for (const t of terms) {
        const key = `${formula}_${t}`;
        const surface = ['orography', 'surface_air_pressure', 'eta', 'depth'].includes(t);
        const scalar = ['pressure_at_top', 'depth_c', 'nsigma'].includes(t);
        c.aux_coords[key] = {
          long_name: t,
          units: t === 'sigma' || t === 's' || t === 'c' || t === 'nsigma' || t === 'b' || t === 'a' ? '1' : 'm',
          dims: surface ? ['y', 'x'] : scalar ? [] : ['level'],
          points: surface
            ? { kind: 'inline', dtype: 'float64', shape: [3, 4], values: Float64Array.from({ length: 12 }, (_, i) => 10 * i) }
            : scalar
              ? { kind: 'inline', dtype: 'float64', shape: [1], values: Float64Array.from([t === 'nsigma' ? 1 : 10]) }
              : { kind: 'inline', dtype: 'float64', shape: [2], values: Float64Array.from([0.9, 0.7]) },
          attributes: {},
        };
        derived.terms[t] = key;
      }
      return c;
    }),
    sources: [{ uri: 'model_levels.nc', size: 1234567, mtime: '2026-11-01T00:00:00Z' }],
  },
  'One cube per aux factory, with every term it takes.',
);

// Arrays in every encoding, dtypes and edge numbers.
const arr = cube({ var_name: 'arrays', dims: ['t', 'y', 'x'], shape: [40, 3, 4], dtype: 'float64' });
arr.data = { kind: 'inline', dtype: 'float64', shape: [40, 3, 4], values: Float64Array.from({ length: 480 }, (_, i) => (i % 7 === 0 ? NaN : i % 11 === 0 ? -Infinity : Math.sin(i) * 1e3)) };
arr.dim_coords.t = {
  standard_name: 'time', units: 'days since 2000-01-01', calendar: '360_day', dims: ['t'],
  points: detectRegular('float64', [40], Float64Array.from({ length: 40 }, (_, i) => 15 + 30 * i))!,
  bounds: detectRegular('float64', [40, 2], Float64Array.from({ length: 80 }, (_, i) => 30 * Math.floor(i / 2) + 30 * (i % 2)))!,
  attributes: {},
};
arr.aux_coords = {
  label: { long_name: 'label', units: 'no_unit', dims: ['y'], points: { kind: 'inline', dtype: 'string', shape: [3], values: ['north: edge', 'mid "row"', 'south'] }, attributes: {} },
  big: { long_name: 'int64 beyond 2^53', units: '1', dims: ['x'], points: { kind: 'inline', dtype: 'int64', shape: [4], values: BigInt64Array.from([-(2n ** 63n), 9007199254740993n, 0n, 2n ** 63n - 1n]) }, attributes: {} },
  f32: { long_name: 'float32 irregular', units: '1', dims: ['t'], points: { kind: 'inline', dtype: 'float32', shape: [40], values: Float32Array.from({ length: 40 }, (_, i) => Math.sqrt(i) / 3) }, attributes: {} },
  height: { standard_name: 'height', units: 'm', dims: [], points: { kind: 'inline', dtype: 'float64', shape: [1], values: Float64Array.from([1.5]) }, bounds: { kind: 'inline', dtype: 'float64', shape: [1, 2], values: Float64Array.from([0, 3]) }, attributes: {} },
};
arr.attributes = {
  valid_range: { dtype: 'float32', values: Float32Array.from([-1000, 1000]) },
  flag_values: { dtype: 'int8', values: Int8Array.from([0, 1, 2]) },
  flag_meanings: 'none some lots',
  count: { dtype: 'int32', values: Int32Array.from([3]) },
  offset: { dtype: 'float64', values: Float64Array.from([0]) },
  ratio: { dtype: 'float64', values: Float64Array.from([0.5, NaN, Infinity]) },
  labels: ['a', 'b'],
};
arr.cell_measures = {
  cell_area: { standard_name: 'cell_area', measure: 'area', units: 'm2', dims: ['y', 'x'], data: { kind: 'inline', dtype: 'float64', shape: [3, 4], values: new Float64Array(12).fill(4e6) }, attributes: {} },
};
arr.ancillary_variables = {
  quality_flag: { standard_name: 'status_flag', units: '1', dims: ['t', 'y', 'x'], data: { kind: 'inline', dtype: 'uint8', shape: [40, 3, 4], values: Uint8Array.from({ length: 480 }, (_, i) => i % 3) }, attributes: {} },
};
arr.cell_methods = [
  { method: 'mean', coords: ['t'], intervals: ['1 day'], comments: ['daily mean'] },
  { method: 'maximum', coords: ['y', 'x'], intervals: [], comments: [] },
];
write('arrays-and-attributes', { ...base('arrays-and-attributes', 'Arrays in every encoding'), cubes: [arr] }, 'Regular, inline, nested, base64 and deflated arrays; NaN and infinities; 64-bit integers; typed attributes.');

// Format 1.1's readable arrays: each value list in the one form its values call for (spec §13.5).
const n = 40;
const irregular = Float64Array.from({ length: n }, (_, i) => Math.round((46.99 + i * 0.0135 + (i % 3) * 0.001) * 1e4) / 1e4);
const edges = Float64Array.from({ length: n + 1 }, (_, i) => (i === 0 ? 46.98 : i === n ? irregular[n - 1]! + 0.007 : Math.round(((irregular[i - 1]! + irregular[i]!) / 2) * 1e5) / 1e5));
const pairs = (e: Float64Array) => Float64Array.from({ length: 2 * (e.length - 1) }, (_, k) => e[(k >> 1) + (k & 1)]!);
const ra = cube({ var_name: 'readable', dims: ['t', 'y', 'x'], shape: [12, n, 4097], dtype: 'float32', data: { kind: 'source', dtype: 'float32', shape: [12, n, 4097], source: 0, format: 'netcdf', variable: 'readable' } });
ra.dim_coords = {
  t: { standard_name: 'time', units: 'hours since 2026-01-01 00:00:00', calendar: 'standard', dims: ['t'], points: { kind: 'inline', dtype: 'float64', shape: [12], values: Float64Array.from({ length: 12 }, (_, i) => 6 * i) }, bounds: { kind: 'inline', dtype: 'float64', shape: [12, 2], values: pairs(Float64Array.from({ length: 13 }, (_, i) => 6 * i - 3)) }, attributes: {} },
  y: { standard_name: 'latitude', units: 'degrees', dims: ['y'], points: { kind: 'inline', dtype: 'float64', shape: [n], values: irregular }, bounds: { kind: 'inline', dtype: 'float64', shape: [n, 2], values: pairs(edges) }, attributes: {} },
  x: { long_name: 'distance', units: 'm', dims: ['x'], points: { kind: 'inline', dtype: 'int32', shape: [4097], values: Int32Array.from({ length: 4097 }, (_, i) => 3 * i + (i % 2)) }, attributes: {} },
};
ra.aux_coords = {
  levels: { long_name: 'pressure levels', units: 'hPa', dims: [], points: { kind: 'inline', dtype: 'float64', shape: [1], values: Float64Array.from([850]) }, bounds: { kind: 'inline', dtype: 'float64', shape: [1, 2], values: Float64Array.from([900, 800]) }, attributes: {} },
  short: { long_name: 'a short regular list', units: '1', dims: ['t'], points: { kind: 'regular', dtype: 'float64', shape: [12], start: [0], step: 0.5 }, attributes: {} },
  band: { long_name: 'overlapping bands', units: 'degrees', dims: ['y'], points: { kind: 'inline', dtype: 'float64', shape: [n], values: irregular }, bounds: { kind: 'inline', dtype: 'float64', shape: [n, 2], values: Float64Array.from({ length: 2 * n }, (_, k) => irregular[k >> 1]! + ((k & 1) === 0 ? -0.02 : 0.02)) }, attributes: {} },
};
write(
  'readable-arrays',
  { ...base('readable-arrays', 'Readable arrays (format 1.1)'), sources: [{ uri: 'readable.nc' }], cubes: [ra] },
  'Short lists on one line; `{start, step, count}` for regular values; contiguous bounds as `{edges}`; long lists ten values to a line; bytes past 4096 values.',
);

// Format 1.1's attribute rule: how a number is written says its dtype; strings YAML 1.1 gives meaning to are quoted.
const at = cube({ standard_name: undefined, var_name: 'attributes', long_name: 'air temperature with ``` in its name', dims: [], shape: [], data: { kind: 'inline', dtype: 'float32', shape: [], values: Float32Array.from([271.5]) } });
at.dim_coords = {};
at.attributes = {
  beta: { dtype: 'float64', values: Float64Array.from([1]) },
  count: { dtype: 'int32', values: Int32Array.from([1]) },
  wide: { dtype: 'int64', values: BigInt64Array.from([3000000000n]) },
  huge: { dtype: 'int64', values: BigInt64Array.from([9007199254740993n]) },
  mixed: { dtype: 'float64', values: Float64Array.from([1, 2.5]) },
  none: { dtype: 'int32', values: new Int32Array(0) },
  no_floats: { dtype: 'float64', values: new Float64Array(0) },
  flags: { dtype: 'uint8', values: Uint8Array.from([1, 2, 4]) },
  scale: { dtype: 'float32', values: Float32Array.from([0.1]) },
  '<<': '<<',
  answer: 'yes',
  a_rather_long_attribute_name_that_would_widen_every_row: 'kept on its own line in the summary',
};
write(
  'attribute-types',
  { ...base('attribute-types', 'Attribute types (format 1.1)'), cubes: [at] },
  'A number written `1.0` is a float64 attribute and `1` an int32 one; other dtypes say so. `<<` and `yes` are quoted, for YAML 1.1 readers. The name holds three backticks, so the summary is fenced with four.',
);

// Time references: the reference date exists in the declared calendar.
const tr = (units: string, calendar: string) => cube({ var_name: calendar, dims: ['t'], shape: [2], dtype: 'float32', data: { kind: 'inline', dtype: 'float32', shape: [2], values: Float32Array.from([1, 2]) } });
const timeCube = (units: string, calendar: string, var_name: string): CubeMeta => {
  const c = tr(units, calendar);
  c.var_name = var_name;
  c.dim_coords = { t: { standard_name: 'time', units, calendar, dims: ['t'], points: { kind: 'inline', dtype: 'float64', shape: [2], values: Float64Array.from([0, 1]) }, attributes: {} } };
  return c;
};
write(
  'time-references',
  {
    ...base('time-references', 'Reference dates in their calendars'),
    cubes: [
      timeCube('days since 2000-02-30', '360_day', 'day_360'),
      timeCube('days since 1582-10-10', 'julian', 'julian'),
      timeCube('days since 2000-02-29', 'all_leap', 'leap'),
      timeCube('months since 1850-01-01', 'standard', 'months'),
      timeCube('seconds since 1970-01-01T00:00:00Z', 'proleptic_gregorian', 'seconds'),
      timeCube('days since 0000-01-01', 'noleap', 'year_zero'),
      timeCube('days since 2000-02-30', 'none', 'no_calendar'),
    ],
  },
  'Each reference date exists in its calendar (30 February in `360_day`, a day of the Gregorian switch in `julian`, year 0 in `noleap`); `none` takes a date of any CF calendar.',
);

// Format 1: still read, and written in its own version (its attribute rule, no `{edges}`).
const v1 = cube({ var_name: 'version_1' });
v1.dim_coords.x!.bounds = { kind: 'inline', dtype: 'float64', shape: [4, 2], values: pairs(Float64Array.from([-1000, 1000, 3000, 5000, 7000])) };
v1.dim_coords.y!.bounds = { kind: 'inline', dtype: 'float64', shape: [3, 2], values: pairs(Float64Array.from([-1000, 1000, 3500, 5000])) };
v1.attributes = { beta: { dtype: 'float64', values: Float64Array.from([1]) }, count: { dtype: 'int32', values: Int32Array.from([1]) } };
write(
  'version-1',
  { ...base('version-1', 'A format 1 file'), cubemark: 1, cubes: [v1] },
  'Format 1 files are read as they always were, and `cubemark fmt` keeps them in format 1 (`--migrate` writes 1.1): a float64 attribute with an integral value needs the typed form.',
);

// Unstructured meshes (version 1.1): a 2-D mesh of two quadrilaterals and a triangle (a masked slot of its
// face-node indices, 1-based), with edges, a transposed face-face connectivity and cubes on faces and nodes; a
// 1-D mesh (a network of edges) with a cube on its edges.
const f64 = (...values: number[]) => ({ kind: 'inline' as const, dtype: 'float64' as const, shape: [values.length], values: Float64Array.from(values) });
const lon = (points: number[], varName: string) => ({ standard_name: 'longitude', var_name: varName, units: 'degrees', points: f64(...points), attributes: {} });
const lat = (points: number[], varName: string) => ({ standard_name: 'latitude', var_name: varName, units: 'degrees', points: f64(...points), attributes: {} });
const ugridCube = (name: string, dims: string[], shape: number[], mesh: CubeMeta['mesh']): CubeMeta => ({
  ...cube({ standard_name: undefined, long_name: name, units: 'mm', dims, shape, dim_coords: {} }),
  data: { kind: 'source', dtype: 'float32', shape, source: 0, format: 'netcdf', variable: name.replaceAll(' ', '_') },
  mesh,
});
const meshes: Publication = {
  ...base('meshes', 'Unstructured meshes'),
  sources: [{ uri: 'lfric/rain.nc' }],
  meshes: {
    Mesh2d: {
      long_name: 'Topology data of 2D unstructured mesh',
      var_name: 'Mesh2d',
      units: 'unknown',
      topology_dimension: 2,
      node: { dimension: 'nMesh2d_node', count: 7, coords: { x: lon([0, 1, 2, 0, 1, 2, 3], 'Mesh2d_node_x'), y: lat([0, 0, 0, 1, 1, 1, 0.5], 'Mesh2d_node_y') } },
      edge: { dimension: 'nMesh2d_edge', count: 9, coords: {} },
      face: { dimension: 'nMesh2d_face', count: 3, coords: { x: lon([0.5, 1.5, 2.3], 'Mesh2d_face_x'), y: lat([0.5, 0.5, 0.5], 'Mesh2d_face_y') } },
      connectivities: {
        edge_node_connectivity: {
          var_name: 'Mesh2d_edge_nodes',
          units: 'unknown',
          start_index: 1,
          location_axis: 0,
          indices: { kind: 'inline', dtype: 'int32', shape: [9, 2], values: Int32Array.from([1, 2, 2, 3, 4, 5, 5, 6, 1, 4, 2, 5, 3, 6, 3, 7, 6, 7]) },
          attributes: {},
        },
        face_node_connectivity: {
          long_name: 'Maps every face to its corner nodes.',
          var_name: 'Mesh2d_face_nodes',
          units: 'unknown',
          start_index: 1,
          location_axis: 0,
          // The triangle's fourth slot is the fill value: masked (stored values held inline, §14.4).
          indices: { kind: 'source', dtype: 'int32', shape: [3, 4], source: 0, format: 'inline', variable: 'Mesh2d_face_nodes', fill_value: -1, options: { values: [1, 2, 5, 4, 2, 3, 6, 5, 3, 7, 6, -1] } },
          attributes: {},
        },
        face_face_connectivity: {
          var_name: 'Mesh2d_face_links',
          units: 'unknown',
          start_index: 0,
          location_axis: 1,
          indices: { kind: 'source', dtype: 'int32', shape: [2, 3], source: 0, format: 'netcdf', variable: 'Mesh2d_face_links' },
          attributes: { comment: 'stored transposed: (neighbour, face)' },
        },
      },
      attributes: {},
    },
    Network: {
      var_name: 'Network',
      units: 'unknown',
      topology_dimension: 1,
      node: { dimension: 'nNetwork_node', count: 3, coords: { x: lon([0, 1, 2], 'Network_node_x'), y: lat([0, 1, 0], 'Network_node_y') } },
      edge: { dimension: 'nNetwork_edge', count: 2, coords: { x: lon([0.5, 1.5], 'Network_edge_x'), y: lat([0.5, 0.5], 'Network_edge_y') } },
      connectivities: {
        edge_node_connectivity: { var_name: 'Network_edge_nodes', units: 'unknown', start_index: 0, location_axis: 0, indices: { kind: 'inline', dtype: 'int32', shape: [2, 2], values: Int32Array.from([0, 1, 1, 2]) }, attributes: {} },
      },
      attributes: { cf_role_note: 'a river network' },
    },
  },
  cubes: [
    ugridCube('rain', ['time', 'nMesh2d_face'], [2, 3], { name: 'Mesh2d', location: 'face', dim: 'nMesh2d_face' }),
    ugridCube('snow depth', ['nMesh2d_node'], [7], { name: 'Mesh2d', location: 'node', dim: 'nMesh2d_node' }),
    ugridCube('river flow', ['nNetwork_edge'], [2], { name: 'Network', location: 'edge', dim: 'nNetwork_edge' }),
  ],
};
write('meshes', meshes, 'UGRID meshes: node, edge and face coordinates, connectivities (1-based, transposed, with a masked slot), and cubes on faces, nodes and edges.');

// Masked coordinate points: stored values held inline (§14.4), masked by a fill value and by a valid range.
const masked: Publication = {
  ...base('masked-inline', 'Masked points held inline'),
  sources: [{ uri: 'small_FC.nc' }],
  cubes: [
    cube({
      dims: ['latitude', 'x'],
      shape: [5, 4],
      dim_coords: { x: cube().dim_coords.x },
      data: { kind: 'inline', dtype: 'float32', shape: [5, 4], values: Float32Array.from({ length: 20 }, (_, i) => 270 + i / 4) },
      aux_coords: {
        latitude: {
          standard_name: 'latitude',
          units: 'degrees',
          dims: ['latitude'],
          points: { kind: 'source', dtype: 'float32', shape: [5], source: 0, format: 'inline', variable: 'latitude', valid_min: -89, valid_max: 89, options: { values: [-90, -87.5, 0, 87.5, 90] } },
          attributes: {},
        },
        station: {
          long_name: 'station height',
          units: 'm',
          dims: ['latitude'],
          points: { kind: 'source', dtype: 'float32', shape: [5], stored_dtype: 'int16', scale_factor: 0.5, fill_value: -32767, source: 0, format: 'inline', variable: 'height', options: { values: [10, -32767, 30, 40, 50] } },
          attributes: {},
        },
      },
    }),
  ],
};
write('masked-inline', masked, 'Coordinates with masked points: stored values held inline with their valid range, fill value and packing.');
// UM PP data: a cube merged from four fields (two times × two model levels), the orography field as a coordinate.
const ppCube = cube({
  standard_name: 'air_potential_temperature',
  dims: ['time', 'model_level_number', 'grid_latitude', 'grid_longitude'],
  shape: [2, 2, 3, 4],
  attributes: { STASH: 'm01s00i004', source: 'Data from Met Office Unified Model', um_version: '7.4' },
  data: {
    kind: 'source', dtype: 'float32', shape: [2, 2, 3, 4], source: 0, format: 'pp', variable: 'm01s00i004', chunks: [1, 1, 3, 4], fill_value: -1073741824,
    options: { word: 4, byte_order: 'big', field: [1, 2, 3, 4], offset: [336, 672, 1008, 1344], length: [48, 48, 40, 48], lbpack: [0, 0, 1, 0], bmdi: -1073741824 },
  },
});
const rotated = 'rotated_latitude_longitude';
ppCube.dim_coords = {
  time: { standard_name: 'time', units: 'hours since 1970-01-01 00:00:00', calendar: 'standard', dims: ['time'], points: { kind: 'inline', dtype: 'float64', shape: [2], values: Float64Array.from([349006, 349007]) }, attributes: {} },
  model_level_number: { standard_name: 'model_level_number', units: '1', dims: ['model_level_number'], points: { kind: 'inline', dtype: 'int32', shape: [2], values: Int32Array.from([1, 2]) }, attributes: { positive: 'up' } },
  grid_latitude: { standard_name: 'grid_latitude', units: 'degrees', dims: ['grid_latitude'], points: { kind: 'inline', dtype: 'float32', shape: [3], values: Float32Array.from([-1, 0, 1]) }, coord_system: rotated, attributes: {} },
  grid_longitude: { standard_name: 'grid_longitude', units: 'degrees', dims: ['grid_longitude'], points: { kind: 'inline', dtype: 'float32', shape: [4], values: Float32Array.from([359, 360, 361, 362]) }, coord_system: rotated, attributes: {} },
};
ppCube.aux_coords = {
  level_height: { long_name: 'level_height', units: 'm', dims: ['model_level_number'], points: { kind: 'inline', dtype: 'float32', shape: [2], values: Float32Array.from([5, 21.666664]) }, bounds: { kind: 'inline', dtype: 'float32', shape: [2, 2], values: Float32Array.from([0, 13.333332, 13.333332, 33.333332]) }, attributes: { positive: 'up' } },
  sigma: { long_name: 'sigma', units: '1', dims: ['model_level_number'], points: { kind: 'inline', dtype: 'float32', shape: [2], values: Float32Array.from([0.9994238, 0.9975044]) }, attributes: {} },
  surface_altitude: {
    standard_name: 'surface_altitude', units: 'm', dims: ['grid_latitude', 'grid_longitude'], attributes: { STASH: 'm01s00i033' },
    points: { kind: 'source', dtype: 'float32', shape: [3, 4], source: 0, format: 'pp', variable: 'm01s00i033', chunks: [3, 4], fill_value: -1e30, options: { word: 4, byte_order: 'big', field: [0], offset: [268], length: [48], lbpack: 0, bmdi: -1e30 } },
  },
};
ppCube.derived_coords = { altitude: { standard_name: 'altitude', units: 'm', formula: 'hybrid_height', terms: { delta: 'level_height', sigma: 'sigma', orography: 'surface_altitude' }, attributes: {} } };
write(
  'pp-references',
  {
    ...base('pp-references', 'UM PP fields as data references'),
    sources: [{ uri: 'colpex.pp', size: 1728 }],
    coord_systems: { [rotated]: { kind: rotated, grid_north_pole_latitude: 37.5, grid_north_pole_longitude: 177.5, north_pole_grid_longitude: 0, ellipsoid: { semi_major_axis: 6371229, semi_minor_axis: 6371229, inverse_flattening: 0 } } },
    cubes: [ppCube],
  },
  'A cube merged from four fields of a PP file (`format: pp`, one entry per field in C order over time and model level), one of them WGDOS packed; the orography field read as the surface_altitude coordinate its derived altitude needs.',
);

// UM PP data across files: an ensemble written a file per member and lead time, merged into one cube whose fields
// each name their file (`options.source`).
const ensemble = [1, 2, 3].flatMap((m) => [3, 6].map((t) => `mogreps_0${m}_00${t}.pp`));
const geog = 'latitude_longitude';
const acrossCube = cube({
  dims: ['realization', 'time', 'latitude', 'longitude'],
  shape: [3, 2, 3, 4],
  attributes: { STASH: 'm01s03i236', source: 'Data from Met Office Unified Model' },
  data: {
    kind: 'source', dtype: 'float32', shape: [3, 2, 3, 4], source: 0, format: 'pp', variable: 'm01s03i236', chunks: [1, 1, 3, 4], fill_value: -1073741824,
    options: { word: 4, byte_order: 'big', source: [0, 1, 2, 3, 4, 5], field: [0, 0, 0, 0, 0, 0], offset: [268, 268, 268, 268, 268, 268], length: [48, 48, 48, 48, 48, 48], lbpack: 0, bmdi: -1073741824 },
  },
});
const hours = 'hours since 1970-01-01 00:00:00';
acrossCube.dim_coords = {
  realization: { standard_name: 'realization', units: '1', dims: ['realization'], points: { kind: 'inline', dtype: 'int32', shape: [3], values: Int32Array.from([1, 2, 3]) }, attributes: {} },
  time: { standard_name: 'time', units: hours, calendar: 'standard', dims: ['time'], points: { kind: 'inline', dtype: 'float64', shape: [2], values: Float64Array.from([491043, 491046]) }, attributes: {} },
  latitude: { standard_name: 'latitude', units: 'degrees', dims: ['latitude'], points: { kind: 'regular', dtype: 'float32', shape: [3], start: [-60], step: 60 }, coord_system: geog, attributes: {} },
  longitude: { standard_name: 'longitude', units: 'degrees', dims: ['longitude'], points: { kind: 'regular', dtype: 'float32', shape: [4], start: [0], step: 90 }, coord_system: geog, circular: true, attributes: {} },
};
acrossCube.aux_coords = {
  forecast_period: { standard_name: 'forecast_period', units: 'hours', dims: ['time'], points: { kind: 'inline', dtype: 'float64', shape: [2], values: Float64Array.from([3, 6]) }, attributes: {} },
  forecast_reference_time: { standard_name: 'forecast_reference_time', units: hours, calendar: 'standard', dims: [], points: { kind: 'inline', dtype: 'float64', shape: [], values: Float64Array.from([491040]) }, attributes: {} },
  height: { standard_name: 'height', units: 'm', dims: [], points: { kind: 'inline', dtype: 'float64', shape: [], values: Float64Array.from([1.5]) }, attributes: { positive: 'up' } },
};
write(
  'pp-across-files',
  {
    ...base('pp-across-files', 'UM PP fields of several files'),
    sources: ensemble.map((uri) => ({ uri, size: 320 })),
    coord_systems: { [geog]: { kind: geog, semi_major_axis: 6371229, semi_minor_axis: 6371229, inverse_flattening: 0 } },
    cubes: [acrossCube],
  },
  'Screen temperature of a three-member ensemble written a file per member and lead time (as MOGREPS writes it), merged into one cube as `iris.load` of the six files merges it. No member and no lead time lies in one file, so each field names its file (`options.source`, one entry per field in C order over realization and time).',
);
