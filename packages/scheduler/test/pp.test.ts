/**
 * UM PP data through the scheduler: a PP file published from its path (the default loader reads headers only),
 * its cube's values served field by field, and plotted as PNG.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { IRIS_DATA } from './helpers/publications.js';
import { startServer, type Running } from './helpers/server.js';
import { expectPng } from './helpers/png.js';

const TOKEN = 'test-token-pp';
const COLPEX = `${IRIS_DATA}/../PP/COLPEX/small_colpex_theta_p_alt.pp`;
let srv: Running;

beforeAll(async () => {
  srv = await startServer({ token: TOKEN });
  const r = await srv.call('/publications', {
    method: 'POST',
    auth: true,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'colpex', sources: [COLPEX] }),
  });
  expect(r.status).toBe(201);
});

afterAll(async () => {
  await srv?.close();
});

test('the PP cubes are listed as Iris merges them', async () => {
  const text = await (await srv.call('/publications/colpex.md')).text();
  expect(text).toContain('air_potential_temperature / (K)     (time: 6; model_level_number: 10; grid_latitude: 83; grid_longitude: 83)');
  expect(text).toContain('format: pp');
});

test('a level of one time is served as values', async () => {
  const r = await srv.call('/publications/colpex/cubes/0/data?sel=2,3,:,:', { headers: { accept: 'application/json' } });
  expect(r.status).toBe(200);
  const body = (await r.json()) as { values: number[]; shape: number[] };
  expect(body.shape).toEqual([83, 83]);
  // Potential temperature near the ground, in kelvin.
  expect(Math.min(...body.values)).toBeGreaterThan(250);
  expect(Math.max(...body.values)).toBeLessThan(320);
});

test('the PNG plot route draws a PP field', async () => {
  await expectPng(await srv.call('/publications/colpex/cubes/0/plot.png?sel=0,0,:,:&width=300'), 300);
});
