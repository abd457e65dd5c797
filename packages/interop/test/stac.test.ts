/**
 * STAC export: one Item per publication with the datacube extension, valid offline (ajv) against the vendored STAC
 * 1.0.0 Item schema, the datacube extension 2.3.0 and PROJJSON 0.7; extents in the cube's coordinate system and in
 * WGS 84; what STAC cannot date is refused with a coded error.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createSourcePool } from '@cubemark/cube';
import { parseOrThrow, type Publication } from '@cubemark/format';
import { exportPublication, publicationStacItem, sourceAccess, unrotate, validateStac, type StacItem } from '../src/index.js';

const IRIS = process.env.CUBEMARK_IRIS_TEST_DATA ?? '/work/shared/data/iris-test-data';
const FIXTURES = new URL('../../../fixtures/', import.meta.url);

async function fixture(name: string): Promise<Publication> {
  return parseOrThrow(await readFile(new URL(name, FIXTURES))).publication;
}

async function item(publication: Publication): Promise<StacItem> {
  const pool = createSourcePool({ base: IRIS });
  try {
    const out = await exportPublication(publication, 'stac', { pool, base: IRIS });
    return JSON.parse(out.text) as StacItem;
  } finally {
    await pool.close();
  }
}

describe('STAC Items from the Iris test-data publications', () => {
  const files = [
    'small_rotPole_precipitation',
    'euro_air_temp',
    'projection_origin_attributes',
    'small_theta_colpex',
    'toa_brightness_temperature',
    'cell_methods',
  ];
  for (const name of files) {
    it(`${name}: valid STAC 1.0.0 with the datacube extension`, async () => {
      const publication = await fixture(`iris-test-data/${name}.cube.md`);
      const stac = await item(publication);
      expect(validateStac(stac)).toEqual([]);
      expect(stac.id).toBe(publication.name);
      for (const cube of publication.cubes) {
        const variable = Object.values(stac.properties['cube:variables']).find((v) => v.variable_type === 'data' && v.description === (cube.long_name ?? cube.standard_name));
        expect(variable?.dimensions.length ?? cube.dims.length).toBe(cube.dims.length);
      }
    });
  }

  it('a rotated-pole grid: extents in rotated degrees, a PROJJSON pole rotation, and a WGS 84 bbox', async () => {
    const publication = await fixture('iris-test-data/small_rotPole_precipitation.cube.md');
    const stac = await item(publication);
    const dims = stac.properties['cube:dimensions'];
    expect(dims.rlon).toMatchObject({ type: 'spatial', axis: 'x', extent: [expect.closeTo(-22.16, 4), expect.closeTo(15.9, 4)] });
    expect(dims.rlat).toMatchObject({ type: 'spatial', axis: 'y' });
    expect(dims.rlon.reference_system).toMatchObject({ type: 'DerivedGeographicCRS', conversion: { method: { name: 'Pole rotation (netCDF CF convention)' } } });
    expect(dims.time).toMatchObject({ type: 'temporal', extent: ['1958-01-01T12:00:00Z', '1958-01-04T12:00:00Z'] });
    expect(stac.properties).toMatchObject({ datetime: null, start_datetime: '1958-01-01T12:00:00Z', end_datetime: '1958-01-04T12:00:00Z' });

    // The bbox is the file's own latitudes and longitudes (read from the source), and without them the rotated
    // grid's edges, unrotated.
    expect(stac.bbox).toEqual([expect.closeTo(-34.42, 2), expect.closeTo(26.59, 2), expect.closeTo(59.21, 2), expect.closeTo(71.65, 2)]);
    const withoutLatLon = structuredClone(publication);
    for (const cube of withoutLatLon.cubes) cube.aux_coords = {};
    const fromEdges = await item(withoutLatLon);
    const [west, south, east, north] = fromEdges.bbox!;
    const [lat, lon] = unrotate(0, 0, 18, -140.75);
    expect(south).toBeLessThan(lat);
    expect(north).toBeGreaterThan(lat);
    expect(west).toBeLessThan(lon);
    expect(east).toBeGreaterThan(lon);
    expect(stac.geometry?.type).toBe('Polygon');
  });

  it('unrotates the rotated origin to the pole’s antipodal meridian', () => {
    const [lat, lon] = unrotate(0, 0, 37.5, 177.5);
    expect(lat).toBeCloseTo(52.5, 10);
    expect(lon).toBeCloseTo(-2.5, 10);
  });

  it('a field without time: dated by the publication, or refused', async () => {
    const publication = await fixture('iris-test-data/regrid_template_global_latlon.cube.md');
    await expect(item(publication)).rejects.toMatchObject({ code: 'EXPORT_CANNOT_EXPRESS', message: expect.stringMatching(/no time coordinate and no created or modified date/) });
    const stac = await item({ ...publication, created: '2026-12-01T00:00:00Z' });
    expect(validateStac(stac)).toEqual([]);
    expect(stac.properties.datetime).toBe('2026-12-01T00:00:00.000Z');
    expect(stac.bbox).toEqual([-179.5, -89.5, 179.5, 89.5]);
  });

  it('a projected grid: PROJJSON with the EPSG method, extents in metres', async () => {
    const stac = await item({ ...(await fixture('iris-test-data/non_unit_scale_factor_merc.cube.md')), created: '2026-12-01T00:00:00Z' });
    expect(validateStac(stac)).toEqual([]);
    const x = Object.values(stac.properties['cube:dimensions']).find((d) => d.axis === 'x')!;
    expect(x.reference_system).toMatchObject({ type: 'ProjectedCRS', conversion: { method: { name: expect.stringMatching(/^Mercator/) } } });
  });

  it('sources become data assets', async () => {
    const stac = await item({ ...(await fixture('iris-test-data/units.cube.md')), modified: '2026-12-01T00:00:00Z' });
    expect(stac.assets['source-0']).toMatchObject({ href: expect.stringMatching(/\.nc$/), type: 'application/netcdf', roles: ['data'] });
  });
});

describe('what STAC cannot express', () => {
  it('times in a 360-day calendar: EXPORT_CANNOT_EXPRESS naming the calendar', async () => {
    const publication = await fixture('climate-360day.cube.md');
    const access = sourceAccess(publication, { pool: createSourcePool() });
    await expect(publicationStacItem(publication, access)).rejects.toMatchObject({ code: 'EXPORT_CANNOT_EXPRESS', message: expect.stringMatching(/360_day calendar/) });
  });

  it('the validator rejects an Item that breaks the datacube schema, saying where', () => {
    const bad = { type: 'Feature', stac_version: '1.0.0', stac_extensions: ['https://stac-extensions.github.io/datacube/v2.3.0/schema.json'], id: 'x', geometry: null, properties: { datetime: '2020-01-01T00:00:00Z', 'cube:dimensions': { x: { type: 'spatial', axis: 'q', extent: [0, 1] } } }, links: [], assets: {} };
    const problems = validateStac(bad);
    expect(problems.some((p) => p.schema === 'datacube' && p.pointer.startsWith('/properties/cube:dimensions/x'))).toBe(true);
  });
});
