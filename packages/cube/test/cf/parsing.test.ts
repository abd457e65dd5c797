import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { coordSystemOf, isStandardName, loadPublication, parseCellMethods, parseGridMapping, readUnits, recordedUri } from '../../src/cf/index.js';
import { WarningLog } from '../../src/cf/warnings.js';
import { nameFrom } from '../../src/cf/load.js';
import { isPublicationName } from '@cubemark/format';
import { irisTestDataDir } from '../../../format/test/summary/iris-reading.js';

const cm = (method: string, coords: string[], intervals: string[] = [], comments: string[] = []) => ({ method, coords, intervals, comments });

describe('parseCellMethods (Iris parse_cell_methods)', () => {
  test.each([
    ['time: mean', [cm('mean', ['time'])]],
    ['time: mean within years time: mean over years', [cm('mean within years', ['time']), cm('mean over years', ['time'])]],
    ['area: mean where land', [cm('mean where land', ['area'])]],
    ['time: latitude: longitude: mean', [cm('mean', ['time', 'latitude', 'longitude'])]],
    ['leadtime: mean (interval 6 h)', [cm('mean', ['leadtime'], [], ['interval 6 h'])]],
    ['time: maximum (interval: 1 day)', [cm('maximum', ['time'], ['1 day'])]],
    ['lat: lon: mean (interval: 0.1 degree_n interval: 0.2 degree_e)', [cm('mean', ['lat', 'lon'], ['0.1 degree_n', '0.2 degree_e'])]],
    ['lat: lon: mean (interval: 0.1 degrees)', [cm('mean', ['lat', 'lon'], ['0.1 degrees', '0.1 degrees'])]],
    ['time: mean (interval: 1 day comment: daily mean time)', [cm('mean', ['time'], ['1 day'], ['daily mean time'])]],
    ['lat: lon: mean (comment: shared)', [cm('mean', ['lat', 'lon'], [], ['shared', 'shared'])]],
    ['time: sum (interval: 7 days comment: weekly sum) lat: maximum', [cm('sum', ['time'], ['7 days'], ['weekly sum']), cm('maximum', ['lat'])]],
  ])('%s', (text, expected) => {
    const log = new WarningLog();
    expect(parseCellMethods(text, log)).toEqual(expected);
    expect(log.warnings).toEqual([]);
  });

  test('unknown methods parse, with a warning; text without a name: does not', () => {
    const log = new WarningLog();
    expect(parseCellMethods('time: wobble', log, 'v')).toEqual([cm('wobble', ['time'])]);
    expect(log.warnings.map((w) => w.message)).toEqual(["NetCDF variable 'v' contains unknown cell method 'wobble'"]);
    const bad = new WarningLog();
    expect(parseCellMethods('mean', bad)).toEqual([]);
    expect(bad.warnings[0].code).toBe('CF_CELL_METHODS');
  });
});

describe('readUnits (UDUNITS-2 grammar and database, checked against udunits2)', () => {
  test.each(['K', 'kelvin', 'meters', 'degrees_celsius', 'degrees_north', 'kg m-2 s-1', 'kg/m^2/s', 'W.m-2', 'W m**-2', 'm-2.s-1', '1', '%', 'hPa', 'mm', 'kilom', '1e-3', 'ppm', 'dBZ', 'lg(re 1 mW)', '(m/s)^2', 'K @ 273.15', 'meters per second', 'unknown', 'no_unit', ''])(
    'valid: %j',
    (units) => expect(readUnits(units)).toBeDefined(),
  );
  test.each(['kevin', 'wibble', 'psu', 'level', 'm since 2000-01-01', 'days since yesterday', 'kg m-', 'm^'])('invalid: %j', (units) => {
    expect(readUnits(units)).toBeUndefined();
  });
  test.each([
    ['days since 1950-01-01 00:00:00.0', true],
    ['hours since 1970-01-01 00:00:00 UTC', true],
    ['seconds since 1970-1-1', true],
    ['days since 1850-01-01T00:00:00Z', true],
    ['days since 1600-1-1 0:0:0', true],
    ['hours', false],
    ['K', false],
  ])('time reference: %j', (units, expected) => expect(readUnits(units)?.timeReference).toBe(expected));
  test('a unit of time alone is a period', () => {
    expect(readUnits('hours')?.time).toBe(true);
    expect(readUnits('m')?.time).toBe(false);
  });
});

test.each([
  ['air_temperature', true],
  ['institution', true],
  ['air_temperature standard_error', true],
  ['experiment_id', false],
  ['air_temperature wobble', false],
])('CF standard names, with modifiers: %j', (name, expected) => expect(isStandardName(name)).toBe(expected));

describe('grid mappings', () => {
  const attrs = (o: Record<string, number | string>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : { dtype: 'float64' as const, values: Float64Array.of(v) }]));

  test('extended grid_mapping syntax', () => {
    expect(parseGridMapping('crs')).toEqual(new Map([[null, 'crs']]));
    expect(parseGridMapping('crs_osgb: x y crs_wgs84: lat lon')).toEqual(
      new Map([
        ['x', 'crs_osgb'],
        ['y', 'crs_osgb'],
        ['lat', 'crs_wgs84'],
        ['lon', 'crs_wgs84'],
      ]),
    );
    expect(parseGridMapping('crs: x crs2:')).toBeUndefined();
  });

  test('Iris defaults and refusals', () => {
    const log = new WarningLog();
    expect(coordSystemOf('lcc', attrs({ grid_mapping_name: 'lambert_conformal_conic' }), log)).toEqual({
      kind: 'lambert_conformal_conic',
      latitude_of_projection_origin: 39,
      longitude_of_central_meridian: -96,
      standard_parallel: [33, 45],
    });
    expect(coordSystemOf('ll', attrs({ grid_mapping_name: 'latitude_longitude' }), log)).toBeUndefined();
    expect(coordSystemOf('m', attrs({ grid_mapping_name: 'mercator', standard_parallel: 10, scale_factor_at_projection_origin: 1 }), log)).toBeUndefined();
    expect(coordSystemOf('o', attrs({ grid_mapping_name: 'orthographic', latitude_of_projection_origin: 0, longitude_of_projection_origin: 0 }), log)).toBeUndefined();
    expect(coordSystemOf('r', attrs({ grid_mapping_name: 'rotated_mercator', latitude_of_projection_origin: 1, longitude_of_projection_origin: 2 }), log)).toMatchObject({
      kind: 'rotated_mercator',
      azimuth_of_central_line: 90,
    });
    // Orthographic: Iris has no load rule for it (its own code, so the warning says so).
    expect(log.warnings.map((w) => w.code)).toEqual(['CF_GRID_MAPPING', 'CF_GRID_MAPPING', 'CF_UNHANDLED_GRID_MAPPING']);
  });
});

describe('sources', () => {
  test('recorded relative to the base when under it, else as given', () => {
    expect(recordedUri('/data/store/a/x.nc', '/data/store/a/x.nc', '/data/store')).toBe('a/x.nc');
    expect(recordedUri('/elsewhere/x.nc', '/elsewhere/x.nc', '/data/store')).toBe('/elsewhere/x.nc');
    expect(recordedUri('a/x.nc', '/data/store/a/x.nc', '/data/store/')).toBe('a/x.nc');
    expect(recordedUri('s3://bucket/run/x.nc', 's3://bucket/run/x.nc', 's3://bucket/run')).toBe('x.nc');
    expect(recordedUri('s3://other/x.nc', 's3://other/x.nc', 's3://bucket/run/')).toBe('s3://other/x.nc');
    expect(recordedUri('/data/x.nc', '/data/x.nc', undefined)).toBe('/data/x.nc');
  });

  test('several files in one publication: sources in order, cubes point at theirs, name from the first', async () => {
    const data = irisTestDataDir();
    const files = ['NetCDF/testing/units.nc', 'NetCDF/mercator/non_unit_scale_factor_merc.nc'];
    const { publication } = await loadPublication(files, { base: data });
    expect(publication.name).toBe('units');
    expect(publication.sources.map((s) => s.uri)).toEqual(files);
    // iris.load's order across the files: 'wibble' has no standard name, so it comes first.
    expect(publication.cubes.map((c) => c.data.kind === 'source' && c.data.source)).toEqual([1, 0, 0]);
    const named = await loadPublication([join(data, files[0])], { name: 'my-units' });
    expect(named.publication.name).toBe('my-units');
    expect(named.publication.sources[0].uri).toBe(join(data, files[0]));
  });

  test("the name made from a file name follows the format's name rule", () => {
    for (const [uri, name] of [
      ['s3://b/run/small_FC_167_mon_19601101.nc', 'small_FC_167_mon_19601101'],
      ['/data/a..b.nc', 'a.b'],
      ['/data/..hidden file.nc4', 'hidden_file'],
      ['/data/…', 'publication'],
      [`/data/${'x'.repeat(300)}.nc`, 'x'.repeat(128)],
    ]) {
      expect(nameFrom(uri)).toBe(name);
      expect(isPublicationName(nameFrom(uri))).toBe(true);
    }
  });
});
