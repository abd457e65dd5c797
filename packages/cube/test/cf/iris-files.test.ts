import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cubeSummary, parse, serialize, type CubeMeta, type Publication } from '@cubemark/format';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadPublication, type CfWarning } from '../../src/cf/index.js';
import { irisLoadError, irisTestDataDir, irisWarnings, knownGap, readIrisReading } from '../../../format/test/summary/iris-reading.js';
import { umHybridHeightAltitude } from '../../../format/test/helpers/items.js';

/**
 * Every NetCDF file of iris-test-data, loaded and compared with what Iris itself printed for it
 * (shared/data/iris-test-data/IRIS-READING.md): each cube's `print(cube)` text, byte for byte, through the format
 * package's `cubeSummary`. Iris's order of cubes is a Python set's (and its merge's), so cubes are matched to
 * printouts by text, one to one. Known gaps (`knownGap`: UGRID meshes) run as `test.fails`; PP files
 * and fieldsfiles are checked in test/pp.
 */

const DATA = irisTestDataDir();
const READING = readIrisReading();
const NETCDF_FILES = [...READING.keys()].filter((path) => path.startsWith('NetCDF/'));

/** Files Iris refuses (it raised an error instead of printing cubes): loading them must fail as clearly. */
const REFUSED = NETCDF_FILES.filter((path) => irisLoadError(path) !== undefined);
const loaded = new Map<string, { publication: Publication; warnings: CfWarning[] }>();
const failures = new Map<string, unknown>();
beforeAll(async () => {
  for (const path of NETCDF_FILES) {
    try {
      loaded.set(path, await loadPublication([join(DATA, path)], { base: DATA }));
    } catch (error) {
      failures.set(path, error);
    }
  }
});

const get = (path: string) => loaded.get(path) as { publication: Publication; warnings: CfWarning[] };
const cubeByVar = (path: string, varName: string) => get(path).publication.cubes.find((c) => c.var_name === varName) as CubeMeta;

test('every NetCDF file in IRIS-READING.md is covered', () => {
  expect(NETCDF_FILES).toHaveLength(13);
});

/** `test`, or `test.fails` for a known gap: a gap that starts to pass fails until it is taken off the list. */
const testUnlessGap = (path: string) => (knownGap(path) ? test.fails : test);

describe.each(REFUSED)('%s (Iris refuses it)', (path) => {
  test("loading fails with a coded error carrying Iris's message", () => {
    const error = failures.get(path) as { code?: string; message?: string } | undefined;
    expect(error).toBeDefined();
    expect(error?.code).toMatch(/^UGRID_/);
    expect(error?.message).toContain(irisLoadError(path)?.message);
    expect(error?.message).toContain(path);
    // Iris warned before it raised: the warnings go with the error, word for word.
    const warnings = (failures.get(path) as { warnings?: { message: string }[] }).warnings ?? [];
    expect(warnings.map((w) => w.message)).toEqual(expect.arrayContaining(irisWarnings(path).map((w) => w.message)));
    expect(irisWarnings(path)).not.toEqual([]);
  });
});

describe.each(NETCDF_FILES.filter((path) => !REFUSED.includes(path)))('%s', (path) => {
  testUnlessGap(path)("print(cube) of every cube is Iris's, byte for byte", () => {
    const { publication } = get(path);
    const got = publication.cubes.map((cube) => cubeSummary(cube, { meshes: publication.meshes }));
    const expected = READING.get(path) ?? [];
    expect(got).toHaveLength(expected.length);
    expect([...got].sort()).toEqual([...expected].sort());
  });

  test('classic files are read by the netcdf plugin, NetCDF-4 ones by hdf5', () => {
    const magic = readFileSync(join(DATA, path)).subarray(0, 4);
    const format = magic[0] === 0x43 ? 'netcdf' : 'hdf5';
    for (const cube of get(path).publication.cubes) {
      expect(cube.data).toMatchObject({ kind: 'source', source: 0, format, variable: cube.var_name });
    }
  });

  test('the publication serializes and parses back without errors', () => {
    const { publication } = get(path);
    const text = serialize(publication);
    const result = parse(text);
    expect(result.errors).toEqual([]);
    expect(result.publication?.cubes.map((c) => c.var_name)).toEqual(publication.cubes.map((c) => c.var_name));
    expect(result.publication?.sources).toEqual(publication.sources);
    expect(Object.keys(result.publication?.meshes ?? {})).toEqual(Object.keys(publication.meshes ?? {}));
  });

  test('the source is the file, relative to the base, with its size and mtime', () => {
    const [source] = get(path).publication.sources;
    expect(source.uri).toBe(path);
    expect(source.size).toBe(readFileSync(join(DATA, path)).length);
    expect(source.mtime).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

describe('warnings mirror the ones Iris gave', () => {
  const codes = (path: string) => get(path).warnings.map((w) => [w.code, w.variable]);

  test('small_FC: time_bnd does not span tas, latitude is filled and not monotonic, experiment_id is no standard name', () => {
    expect(codes('NetCDF/label_and_climate/small_FC_167_mon_19601101.nc')).toEqual([
      ['CF_NON_SPANNING_REFERENCE', 'tas'],
      ['CF_FILLED_MASKED_POINTS', 'latitude'],
      ['CF_NON_MONOTONIC_DIM_COORD', 'latitude'],
      ['CF_INVALID_STANDARD_NAME', 'experiment_id'],
    ]);
    const [spanning] = get('NetCDF/label_and_climate/small_FC_167_mon_19601101.nc').warnings;
    expect(spanning.message).toBe(
      "Ignoring variable 'time_bnd' referenced by variable 'tas': Dimensions ('time', 'time_bnd') do not span ('time', 'ensemble', 'latitude', 'longitude')",
    );
  });

  test("units.nc: 'wibble' on time and 'kevin' on cube_1 are invalid", () => {
    const invalid = get('NetCDF/testing/units.nc').warnings.filter((w) => w.code === 'CF_INVALID_UNITS');
    expect(invalid.map((w) => w.message)).toEqual([
      "Ignoring invalid units 'wibble' on netCDF variable 'time'.",
      "Ignoring invalid units 'kevin' on netCDF variable 'cube_1'.",
    ]);
  });

  // Iris's warnings about coordinate points (masked points filled, non-monotonic dimension coordinates made
  // auxiliary) and references: every one it gave, for every coordinate, and none it did not give.
  const COORD_CODES = new Set(['CF_FILLED_MASKED_POINTS', 'CF_NON_MONOTONIC_DIM_COORD', 'CF_NON_SPANNING_REFERENCE', 'CF_INVALID_UNITS']);
  test.each(NETCDF_FILES.filter((p) => !REFUSED.includes(p)))('%s: the warnings Iris gave, word for word', (path) => {
    const iris = irisWarnings(path).map((w) => w.message);
    const ours = get(path).warnings;
    for (const message of iris) expect(ours.map((w) => w.message), path).toContain(message);
    for (const w of ours.filter((w) => COORD_CODES.has(w.code))) expect(iris, path).toContain(w.message);
  });

  test('IRIS-READING.md lists the warnings these checks compare (so they cannot pass vacuously)', () => {
    expect(NETCDF_FILES.flatMap((p) => irisWarnings(p)).map((w) => w.category)).toEqual([
      'IrisCfNonSpanningVarWarning',
      '_WarnComboDefaultingLoad',
      '_WarnComboDefaultingCfLoad',
      '_WarnComboIgnoringCfLoad',
      '_WarnComboIgnoringCfLoad',
      '_WarnComboCfDefaultingIgnoring',
    ]);
  });

  test('files Iris loads quietly give no warnings', () => {
    const quiet = NETCDF_FILES.filter((p) => !/small_FC|units|cell_methods/.test(p) && !knownGap(p) && !REFUSED.includes(p));
    for (const path of quiet) expect(codes(path), path).toEqual([]);
  });
});

describe.each([...READING.keys()].filter((path) => !path.startsWith('NetCDF/')))('%s (not NetCDF)', (path) => {
  testUnlessGap(path)("loads, and print(cube) of every cube is Iris's", async () => {
    const { publication } = await loadPublication([join(DATA, path)], { base: DATA });
    expect(publication.cubes.map((cube) => cubeSummary(cube, { meshes: publication.meshes })).sort()).toEqual([...(READING.get(path) ?? [])].sort());
  });
});

describe('UGRID meshes: what the printouts do not show', () => {
  const lfric = 'NetCDF/unstructured_grid/lfric_ngvat_2D_1t_face_half_levels_main_conv_rain.nc';
  const c4 = 'NetCDF/unstructured_grid/data_C4.nc';

  test('lfric: one mesh with nodes, edges and faces; the two connectivities it names; cubes for the others', () => {
    const { publication } = get(lfric);
    const mesh = publication.meshes?.Mesh2d_half_levels;
    expect(Object.keys(publication.meshes ?? {})).toEqual(['Mesh2d_half_levels']);
    expect(mesh).toMatchObject({
      long_name: 'Topology data of 2D unstructured mesh',
      var_name: 'Mesh2d_half_levels',
      topology_dimension: 2,
      node: { dimension: 'nMesh2d_half_levels_node', count: 866 },
      edge: { dimension: 'nMesh2d_half_levels_edge', count: 1728 },
      face: { dimension: 'nMesh2d_half_levels_face', count: 864 },
      attributes: {},
    });
    expect(mesh?.node.coords.x).toMatchObject({ standard_name: 'longitude', units: 'degrees', var_name: 'Mesh2d_half_levels_node_x', points: { dtype: 'float32', shape: [866] } });
    expect(mesh?.face?.coords.y).toMatchObject({ standard_name: 'latitude', var_name: 'Mesh2d_half_levels_face_y' });
    expect(Object.keys(mesh?.connectivities ?? {})).toEqual(['edge_node_connectivity', 'face_node_connectivity']);
    expect(mesh?.connectivities.face_node_connectivity).toMatchObject({
      var_name: 'Mesh2d_half_levels_face_nodes',
      start_index: 0,
      location_axis: 0,
      indices: { kind: 'inline', dtype: 'int32', shape: [864, 4] },
      attributes: {},
    });
    const rain = cubeByVar(lfric, 'conv_rain');
    expect(rain.mesh).toEqual({ name: 'Mesh2d_half_levels', location: 'face', dim: 'nMesh2d_half_levels_face' });
    // The face coordinates are mesh coordinates: not auxiliary coordinates; mesh and location are used up.
    expect(Object.keys(rain.aux_coords)).toEqual(['time_instant']);
    expect(rain.attributes).not.toHaveProperty('mesh');
    expect(rain.attributes).not.toHaveProperty('location');
    expect(publication.cubes.map((c) => c.var_name).sort()).toEqual(
      ['Mesh2d_half_levels_edge_face_links', 'Mesh2d_half_levels_face_edges', 'Mesh2d_half_levels_face_links', 'conv_rain'],
    );
  });

  test('data_C4: 1-based face_node indices; the face coordinates named by the cube are the mesh\'s', () => {
    const { publication } = get(c4);
    expect(publication.meshes?.topology.connectivities.face_node_connectivity).toMatchObject({ start_index: 1, indices: { shape: [96, 4] } });
    expect(cubeByVar(c4, 'sample_data')).toMatchObject({ mesh: { name: 'topology', location: 'face', dim: 'dim0' }, aux_coords: {} });
  });
});

describe('what the printouts do not show', () => {
  const smallFc = 'NetCDF/label_and_climate/small_FC_167_mon_19601101.nc';

  test('small_FC: masked latitude points keep their mask; label coordinates are inline strings', () => {
    const tas = cubeByVar(smallFc, 'tas');
    const latitude = tas.aux_coords.latitude;
    expect(latitude.dims).toEqual(['latitude']);
    // The ±90 rows are outside valid_min/valid_max: the stored values and the range travel with the points.
    expect(latitude.points).toMatchObject({ kind: 'source', format: 'inline', valid_min: -89, valid_max: 89, shape: [73] });
    expect(tas.aux_coords.experiment_id.points).toMatchObject({ kind: 'inline', dtype: 'string', shape: [21] });
    expect(tas.aux_coords.experiment_id.attributes).toMatchObject({ invalid_standard_name: 'experiment_id' });
    expect(tas.aux_coords.leadtime.bounds).toMatchObject({ shape: [2, 2] });
    expect(tas.dim_coords.longitude).toMatchObject({ circular: true, units: 'degrees', points: { kind: 'regular', start: [0], step: 2.5 } });
    expect(tas.aux_coords.sc).toMatchObject({ dims: [], points: { kind: 'inline', shape: [1] }, attributes: { positive: 'up', data_type: 'float' } });
    expect(tas.cell_methods).toEqual([{ method: 'mean', coords: ['forecast_period'], intervals: [], comments: ['interval 6 h'] }]);
    expect(tas.data).toMatchObject({ dtype: 'float32', fill_value: Math.fround(1e12), shape: [2, 21, 73, 144] });
  });

  test('coordinate systems: grid mappings with their ellipsoids', () => {
    const cs = (path: string) => get(path).publication.coord_systems;
    expect(cs('NetCDF/lambert_azimuthal_equal_area/euro_air_temp.nc')).toEqual({
      lambert_azimuthal_equal_area: {
        kind: 'lambert_azimuthal_equal_area',
        latitude_of_projection_origin: 52,
        longitude_of_projection_origin: 10,
        false_easting: 4321000,
        false_northing: 3210000,
      },
    });
    expect(cs('NetCDF/mercator/non_unit_scale_factor_merc.nc')).toEqual({
      mercator: { kind: 'mercator', longitude_of_projection_origin: 0, scale_factor_at_projection_origin: 1.2, false_easting: 0, false_northing: 0 },
    });
    expect(cs('NetCDF/polar/toa_brightness_temperature.nc').polar_stereographic).toEqual({
      kind: 'polar_stereographic',
      latitude_of_projection_origin: 90,
      straight_vertical_longitude_from_pole: -35,
      scale_factor_at_projection_origin: 1,
      false_easting: 0,
      false_northing: 0,
      ellipsoid: { semi_major_axis: 6378169, semi_minor_axis: 6378169, inverse_flattening: 0 },
    });
    // CF's alternative name for the central meridian, and an over-specified ellipsoid (Iris drops the flattening).
    expect(cs('NetCDF/transverse_mercator/projection_origin_attributes.nc').crs).toEqual({
      kind: 'transverse_mercator',
      latitude_of_projection_origin: 49,
      longitude_of_central_meridian: -2,
      scale_factor_at_central_meridian: 0.9996012717,
      false_easting: 400000,
      false_northing: -100000,
      ellipsoid: { semi_major_axis: 6377563.396, semi_minor_axis: 6356256.91, inverse_flattening: 1 / ((6377563.396 - 6356256.91) / 6377563.396) },
    });
    expect(cs('NetCDF/testing/small_theta_colpex.nc').rotated_latitude_longitude).toMatchObject({
      kind: 'rotated_latitude_longitude',
      grid_north_pole_latitude: 37.5,
      grid_north_pole_longitude: 177.5,
    });
    const theta = cubeByVar('NetCDF/testing/small_theta_colpex.nc', 'air_potential_temperature');
    expect(theta.dim_coords.grid_latitude.coord_system).toBe('rotated_latitude_longitude');
    expect(theta.dim_coords.time.coord_system).toBeUndefined();
  });

  test('small_theta_colpex: hybrid height from formula_terms; surface_altitude promoted to a cube', () => {
    const path = 'NetCDF/testing/small_theta_colpex.nc';
    const theta = cubeByVar(path, 'air_potential_temperature');
    expect(theta.derived_coords).toEqual({ altitude: umHybridHeightAltitude() });
    expect(theta.aux_coords.surface_altitude.dims).toEqual(['grid_longitude', 'grid_latitude']);
    expect(theta.attributes.STASH).toBe('m01s00i004');
    expect(get(path).publication.cubes.map((c) => c.var_name)).toEqual(['air_potential_temperature', 'surface_altitude']);
  });

  test('projection_origin_attributes: climatological time bounds and where/over cell methods', () => {
    const tmean = cubeByVar('NetCDF/transverse_mercator/projection_origin_attributes.nc', 'tmean');
    expect(tmean.dim_coords.time).toMatchObject({ climatological: true, bounds: { shape: [1, 2] }, calendar: 'gregorian' });
    expect(tmean.cell_methods).toEqual([
      { method: 'mean within years', coords: ['time'], intervals: [], comments: [] },
      { method: 'mean over years', coords: ['time'], intervals: [], comments: [] },
    ]);
  });

  test('small_rotPole: 2-D latitudes and longitudes larger than the inline limit stay in the file', () => {
    const pr = cubeByVar('NetCDF/rotated/xyt/small_rotPole_precipitation.nc', 'pr');
    expect(pr.aux_coords.lat.points).toMatchObject({ kind: 'source', format: 'netcdf', variable: 'lat', shape: [190, 174], source: 0 });
    expect(pr.dim_coords.time.bounds).toMatchObject({ shape: [4, 2] });
  });

  test('units.nc: the invalid units of a cube go to an invalid_units attribute', () => {
    const cube1 = cubeByVar('NetCDF/testing/units.nc', 'cube_1');
    expect(cube1).toMatchObject({ units: 'unknown', attributes: { invalid_units: 'kevin' } });
    expect(cube1.dim_coords.time).toMatchObject({ units: 'unknown', attributes: { invalid_units: 'wibble' } });
    expect(cubeByVar('NetCDF/testing/units.nc', 'cube_0').units).toBe('kelvin');
  });
});
