/**
 * GET /publications/:name/export/:kind: a held publication as kerchunk references, a STAC Item, CDL or NcML, its
 * sources opened through the scheduler's own byte sources and data base; what a target cannot express is 422.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { errorOf, startServer, type Running } from './helpers/server.js';
import { IRIS_DATA } from './helpers/publications.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
const TOKEN = 'export-token-1234';
let srv: Running;

beforeAll(async () => {
  // The fixtures' sources are relative to the Iris test data (their data base).
  srv = await startServer({ token: TOKEN, dataBase: IRIS_DATA.replace(/\/NetCDF\/?$/, '') });
  for (const name of ['iris-test-data/small_rotPole_precipitation.cube.md', 'climate-360day.cube.md']) {
    const r = await srv.call('/publications', { method: 'POST', body: await readFile(`${FIXTURES}${name}`, 'utf8'), headers: { 'content-type': 'text/markdown' }, auth: true });
    expect(r.status).toBe(201);
  }
});

afterAll(async () => {
  await srv?.close();
});

test('each target, with its media type', async () => {
  const kerchunk = await srv.call('/publications/small_rotPole_precipitation/export/kerchunk');
  expect(kerchunk.status).toBe(200);
  expect(kerchunk.headers.get('content-type')).toMatch(/^application\/json/);
  const refs = (await kerchunk.json()) as { version: number; refs: Record<string, unknown> };
  expect(refs.refs['pr/3.0.0']).toEqual([expect.stringMatching(/NetCDF\/rotated\/xyt\/small_rotPole_precipitation\.nc$/), 664476, 132240]);

  const stac = await srv.call('/publications/small_rotPole_precipitation/export/stac');
  expect(stac.status).toBe(200);
  expect(stac.headers.get('content-type')).toMatch(/^application\/geo\+json/);
  expect(((await stac.json()) as { id: string }).id).toBe('small_rotPole_precipitation');

  const cdl = await srv.call('/publications/small_rotPole_precipitation/export/cdl');
  expect(await cdl.text()).toContain('float pr(time, rlat, rlon) ;');
  const ncml = await srv.call('/publications/small_rotPole_precipitation/export/ncml');
  expect(ncml.headers.get('content-type')).toMatch(/^application\/xml/);
  expect(await ncml.text()).toContain('<variable name="pr" shape="time rlat rlon" type="float">');
});

test('errors: an unknown target 400, an unknown publication 404, what a target cannot express 422', async () => {
  const unknown = await srv.call('/publications/small_rotPole_precipitation/export/grib');
  expect(unknown.status).toBe(400);
  expect((await errorOf(unknown)).code).toBe('VALIDATION');
  expect((await srv.call('/publications/nothing/export/cdl')).status).toBe(404);
  const calendar = await srv.call('/publications/climate-360day/export/stac');
  expect(calendar.status).toBe(422);
  expect(await errorOf(calendar)).toMatchObject({ code: 'EXPORT_CANNOT_EXPRESS', message: expect.stringMatching(/360_day calendar/) });
});
