import { describe, expect, test } from 'vitest';
import { cubeListSummary, cubeShortSummary, cubeSummary } from '../../src/summary/index.js';
import { IRIS_TEST_CUBES, IRIS_TEST_MESHES } from './iris-cubes.js';
import { irisLoadError, knownGap, readIrisReading } from './iris-reading.js';

const expected = readIrisReading();

describe('IRIS-READING.md', () => {
  test('is read: every file heading, with its printouts', () => {
    expect(expected.size).toBe(25);
    // The 12 UM PP and fieldsfiles (issue 10) and the 3 UGRID files (issue 13) are read as Iris reads them: no gap.
    expect([...expected.keys()].filter((p) => /^(PP|FF)\//.test(p))).toHaveLength(12);
    expect([...expected.keys()].filter((p) => p.includes('unstructured_grid'))).toHaveLength(3);
    expect([...expected.keys()].filter((p) => knownGap(p))).toEqual([]);
    expect(expected.get('NetCDF/testing/cell_methods.nc')).toHaveLength(28);
    expect(expected.get('NetCDF/label_and_climate/small_FC_167_mon_19601101.nc')).toHaveLength(2);
    const [header, ...body] = (expected.get('NetCDF/lambert_azimuthal_equal_area/euro_air_temp.nc') ?? [''])[0].split('\n');
    expect(header).toBe('air_temperature / (K)               (projection_y_coordinate: 15; projection_x_coordinate: 15)');
    expect(body[0]).toBe('    Dimension coordinates:');
    expect(body.at(-1)).toBe("        source                      'Data from Met Office Unified Model'");
  });

  test('every printout of a file read as Iris reads it has a hand-built cube here', () => {
    const netcdfRead = [...expected.keys()].filter((p) => p.startsWith('NetCDF/') && !knownGap(p));
    expect([...IRIS_TEST_CUBES.keys()]).toEqual(expect.arrayContaining(netcdfRead));
    for (const [path, cubes] of IRIS_TEST_CUBES) expect(cubes.length, path).toBe(expected.get(path)?.length);
  });
});

describe.each([...IRIS_TEST_CUBES])('print(cube) for %s', (path, cubes) => {
  if (cubes.length === 0) {
    test('Iris raises instead of loading cubes', () => {
      expect(expected.get(path)).toEqual([]);
      expect(irisLoadError(path)).toEqual({ type: 'ValueError', message: "Expected 'topology_dimension' in range (1, 2), got 0." });
    });
    return;
  }
  test.each(cubes.map((cube, i) => [i, cube] as const))('cube %i matches Iris byte for byte', (i, cube) => {
    expect(cubeSummary(cube, { meshes: IRIS_TEST_MESHES.get(path) })).toBe(expected.get(path)?.[i]);
  });
});

describe('short forms', () => {
  const euro = IRIS_TEST_CUBES.get('NetCDF/lambert_azimuthal_equal_area/euro_air_temp.nc')?.[0];
  const theta = IRIS_TEST_CUBES.get('NetCDF/testing/small_theta_colpex.nc') ?? [];
  const smallFc = IRIS_TEST_CUBES.get('NetCDF/label_and_climate/small_FC_167_mon_19601101.nc')?.[1];

  test('cubeShortSummary is the header line at its narrowest', () => {
    if (!euro || !smallFc) throw new Error('fixtures missing');
    expect(cubeShortSummary(euro)).toBe('air_temperature / (K)               (projection_y_coordinate: 15; projection_x_coordinate: 15)');
    expect(cubeShortSummary(smallFc)).toBe('air_temperature / (K)               (-- : 2; -- : 21; -- : 73; longitude: 144)');
    expect(cubeShortSummary(euro, { namePadding: 1 })).toBe('air_temperature / (K) (projection_y_coordinate: 15; projection_x_coordinate: 15)');
  });

  test('cubeListSummary numbers the short forms, as print(cubelist)', () => {
    expect(cubeListSummary(theta)).toBe(
      [
        '0: air_potential_temperature / (K)     (time: 6; model_level_number: 10; grid_latitude: 83; grid_longitude: 83)',
        '1: surface_altitude / (m)              (grid_longitude: 83; grid_latitude: 83)',
      ].join('\n'),
    );
    expect(cubeListSummary([])).toBe('< No cubes >');
  });
});
