import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSourcePool } from '@cubemark/cube';
import type { Publication } from '@cubemark/format';
import { IRIS_DATA, document, field4d, inlinePublication } from './helpers/publications.js';
import { errorOf, startServer, type Running } from './helpers/server.js';

const TOKEN = 'test-token-explorer';
let srv: Running;
let root: string;
const pool = createSourcePool();

/** Two cubes called `field` along x (points 0-3 and 4-7): they concatenate into one of 8 points. */
function split(): Publication {
  const pub = inlinePublication('split', 2, 4);
  pub.cubes.forEach((c, i) => {
    c.long_name = 'field';
    c.var_name = 'field';
    c.dim_coords.x.points = { kind: 'regular', dtype: 'float64', shape: [4], start: [i * 4], step: 1 };
  });
  return pub;
}

/** Two identical cubes of one name: they neither concatenate nor merge. */
function duplicate(): Publication {
  const pub = inlinePublication('dup', 2, 4);
  for (const c of pub.cubes) c.long_name = 'same';
  return pub;
}

const publish = (pub: Publication) => srv.call('/publications', { method: 'POST', body: document(pub), headers: { 'content-type': 'text/markdown' }, auth: true });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cubemark-explorer-root-'));
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>explorer</title>');
  await writeFile(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  srv = await startServer({ token: TOKEN, explorerRoot: root, pool });
  for (const pub of [(await field4d('field4d')).publication, split(), duplicate()]) expect((await publish(pub)).status).toBe(201);
});

afterAll(async () => {
  await srv?.close();
});

describe('the explorer page', () => {
  test('GET / is the page; hashed assets are cached for good; unknown routes are still JSON 404s', async () => {
    const page = await srv.call('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('<title>explorer</title>');
    // Served under the CSP the explorer passes (its e2e test checks the browser logs no violation).
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self';.*script-src 'self';.*frame-ancestors 'none'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const asset = await srv.call('/assets/index-abc123.js');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const missing = await srv.call('/nowhere');
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).code).toBe('ROUTE_NOT_FOUND');
  });
});

describe('GET .../plot.png', () => {
  test('draws a 2-D selection as PNG', async () => {
    const r = await srv.call('/publications/field4d/cubes/0/plot.png?sel=0,0,:,:&width=400');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/png');
    const png = new Uint8Array(await r.arrayBuffer());
    expect([...png.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    // IHDR width, big-endian at byte 16.
    expect(new DataView(png.buffer).getUint32(16)).toBe(400);
  });

  test('needs exactly two dimensions left, and says how to get there', async () => {
    const r = await srv.call('/publications/field4d/cubes/0/plot.png?sel=0');
    expect(r.status).toBe(400);
    const e = await errorOf(r);
    expect(e.code).toBe('BAD_SELECTION');
    expect(e.message).toMatch(/a plot needs a 2-D selection.*e\.g\. sel=0,0,:,:/);
  });

  test('rejects unknown colour maps and bad ranges with BAD_PLOT', async () => {
    const bad = await srv.call('/publications/field4d/cubes/0/plot.png?sel=0,0,:,:&colormap=jet');
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatchObject({ code: 'BAD_PLOT', message: expect.stringContaining('known: viridis') });
    const range = await srv.call('/publications/field4d/cubes/0/plot.png?sel=0,0,:,:&range=3,1');
    expect((await errorOf(range)).code).toBe('BAD_PLOT');
  });
});

describe('GET .../unified/:parameter', () => {
  test('concatenates the cubes of one name and serves the result like a cube', async () => {
    const r = await srv.call('/publications/split/unified/field');
    expect(r.status).toBe(200);
    const body = (await r.json()) as { parts: number[]; how: string; cube: { shape: number[]; name: string } };
    expect(body).toMatchObject({ parts: [0, 1], how: 'concatenate', cube: { name: 'field', shape: [8] } });
    const data = (await (await srv.call('/publications/split/unified/field/data?sel=3:6&format=json')).json()) as { values: number[] };
    expect(data.values).toEqual([3, 1000, 1001]);
  });

  test('says why cubes do not join (409 MERGE_FAILED with the reasons)', async () => {
    const r = await srv.call('/publications/dup/unified/same');
    expect(r.status).toBe(409);
    const e = await errorOf(r);
    expect(e.code).toBe('MERGE_FAILED');
    expect(e.details).toMatchObject({ parts: [0, 1] });
    expect((e.details!.reasons as string[]).length).toBeGreaterThan(0);
  });

  test('404 PARAMETER_NOT_FOUND names the parameters there are', async () => {
    const r = await srv.call('/publications/split/unified/nothing');
    expect(r.status).toBe(404);
    expect(await errorOf(r)).toMatchObject({ code: 'PARAMETER_NOT_FOUND', message: expect.stringContaining('it has field') });
  });

  test('is read through the same cube model as the cube route: the same values, and no more bytes', async () => {
    const cube = '/publications/field4d/cubes/0/data?sel=1,2,3&format=json';
    const unified = '/publications/field4d/unified/air_temperature/data?sel=1,2,3&format=json';
    expect((await srv.call(cube)).status).toBe(200); // the source is opened: its header is read once
    let before = pool.counter.bytes;
    const direct = (await (await srv.call(cube)).json()) as { values: number[] };
    const cubeBytes = pool.counter.bytes - before;
    before = pool.counter.bytes;
    const joined = (await (await srv.call(unified)).json()) as { values: number[] };
    expect(joined.values).toEqual(direct.values);
    expect(pool.counter.bytes - before).toBe(cubeBytes);
  });
});

describe('coordinate values', () => {
  test('name coordinates as the cube model looks them up: a derived coordinate is found, and must be 1-D', async () => {
    const r = await srv.call('/publications', {
      method: 'POST',
      body: JSON.stringify({ name: 'colpex', sources: [`${IRIS_DATA}/testing/small_theta_colpex.nc`] }),
      headers: { 'content-type': 'application/json' },
      auth: true,
    });
    expect(r.status).toBe(201);
    const altitude = await srv.call('/publications/colpex/cubes/0/data?altitude=100');
    expect(altitude.status).toBe(400);
    expect(await errorOf(altitude)).toMatchObject({ code: 'BAD_SELECTION', message: expect.stringContaining("coordinate 'altitude' spans 3 dimensions") });
    const collapsed = await srv.call('/publications/colpex/cubes/0/collapsed?coords=altitude');
    expect((await errorOf(collapsed)).message).toContain("coordinate 'altitude' spans 3 dimensions");
  });
});
