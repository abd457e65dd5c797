/**
 * Cubes on UGRID meshes through the HTTP API, with the real LFRic and C4 files of the Iris test data: their
 * summaries as Iris prints them, maps of face values (NOT_PLOTTABLE for node values), and the coordinate-values
 * route (points and bounds of any coordinate, mesh coordinates too).
 */
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSourcePool, loadPublication } from '@cubemark/cube';
import { publicationSummary, type CubeDescription, type InlineArray, type PublicationDescription } from '@cubemark/format';
import { lfricNodeCube } from '../../format/test/helpers/items.js';
import { readIrisReading } from '../../format/test/summary/iris-reading.js';
import { IRIS_DATA, document } from './helpers/publications.js';
import { errorOf, startServer, type Running } from './helpers/server.js';

const TOKEN = 'test-token-mesh';
const DIR = `${IRIS_DATA}/unstructured_grid`;
const LFRIC = 'lfric_ngvat_2D_1t_face_half_levels_main_conv_rain.nc';
const C4 = 'data_C4.nc';
const READING = readIrisReading();
let srv: Running;
const pool = createSourcePool();

/** The LFRic publication with one more cube: values on the mesh's nodes (which maps do not draw). */
async function withNodeCube() {
  const { publication } = await loadPublication([join(DIR, LFRIC)]);
  return { ...publication, name: 'nodes', cubes: [...publication.cubes, lfricNodeCube()] };
}

const describeCubes = async (name: string) => ((await (await srv.call(`/publications/${name}`)).json()) as PublicationDescription).cubes;
const indexOf = async (name: string, varName: string) => (await describeCubes(name)).find((c) => c.var_name === varName)!.index;

async function decode(response: Response) {
  const image = await loadImage(Buffer.from(await response.arrayBuffer()));
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const data = ctx.getImageData(0, 0, image.width, image.height).data;
  return { width: image.width, height: image.height, dark: () => data.filter((_, k) => k % 4 === 0 && data[k] < 60 && data[k + 1] < 60 && data[k + 2] < 60).length };
}

beforeAll(async () => {
  // Answers of up to 3000 JSON values: the whole 864 × 4 bounds are too many, a part of them is not.
  srv = await startServer({ token: TOKEN, maxJsonValues: 3000, pool });
  for (const [name, file] of [['lfric', LFRIC], ['c4', C4]]) {
    const r = await srv.call('/publications', { method: 'POST', auth: true, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, sources: [join(DIR, file)] }) });
    expect(r.status, await r.clone().text()).toBe(201);
  }
  const nodes = await srv.call('/publications', { method: 'POST', auth: true, headers: { 'content-type': 'text/markdown' }, body: document(await withNodeCube()) });
  expect(nodes.status, await nodes.clone().text()).toBe(201);
});

afterAll(async () => {
  await srv?.close();
});

describe('summaries of cubes on a mesh', () => {
  test.each([
    ['lfric', LFRIC],
    ['c4', C4],
  ])("GET .../cubes/:i?format=text of %s is Iris's print(cube), with its Mesh coordinates and Mesh sections", async (name, file) => {
    const expected = READING.get(`NetCDF/unstructured_grid/${file}`)!;
    const cubes = await describeCubes(name);
    const texts = await Promise.all(cubes.map(async (c) => (await srv.call(`/publications/${name}/cubes/${c.index}?format=text`)).text()));
    expect(texts.map((t) => t.replace(/\n$/, '')).sort()).toEqual([...expected].sort());
    expect(texts.filter((t) => t.includes('    Mesh coordinates:\n') && t.includes('    Mesh:\n'))).toHaveLength(1);
    // The publication's description carries the same summaries, and they are `cubemark show`'s print.
    const { publication } = await loadPublication([join(DIR, file)]);
    expect(cubes.map((c) => c.summary).join('\n\n')).toBe(publicationSummary(publication));
  });

  test('the JSON lists the mesh coordinates (role mesh, keys mesh:x and mesh:y) with the shape of their bounds', async () => {
    const rain = (await (await srv.call(`/publications/lfric/cubes/${await indexOf('lfric', 'conv_rain')}`)).json()) as CubeDescription;
    expect(rain.shortSummary).toBe('surface_convective_rainfall_rate / (kg m-2 s-1) (-- : 1; -- : 864)');
    const mesh = rain.coords!.filter((c) => c.role === 'mesh');
    expect(mesh).toMatchObject([
      { key: 'mesh:x', name: 'longitude', units: 'degrees', dims: ['nMesh2d_half_levels_face'], points: { shape: [864] }, bounds: { dtype: 'float64', shape: [864, 4] } },
      { key: 'mesh:y', name: 'latitude', units: 'degrees', dims: ['nMesh2d_half_levels_face'], points: { shape: [864] }, bounds: { dtype: 'float64', shape: [864, 4] } },
    ]);
    expect(rain.mesh).toEqual({ name: 'Mesh2d_half_levels', location: 'face', dim: 'nMesh2d_half_levels_face' });
  });
});

describe('GET .../plot.png of a cube on a mesh', () => {
  test('draws the faces, with coastlines unless asked not to', async () => {
    const i = await indexOf('lfric', 'conv_rain');
    const base = `/publications/lfric/cubes/${i}/plot.png?sel=0,:&width=600&height=360&graticule=0&colormap=viridis&range=-1,0`;
    const withCoast = await srv.call(base);
    expect(withCoast.status).toBe(200);
    expect(withCoast.headers.get('content-type')).toBe('image/png');
    const a = await decode(withCoast);
    expect([a.width, a.height]).toEqual([600, 360]);
    const b = await decode(await srv.call(`${base}&coastlines=0`));
    // Values above the range are yellow everywhere: dark pixels are the frame, text and coastlines.
    expect(a.dark()).toBeGreaterThan(b.dark() + 500);
  });

  test('reads the values it draws and nothing more: the mesh is in the publication, only the data are in the file', async () => {
    const i = await indexOf('lfric', 'conv_rain');
    let before = pool.counter.bytes;
    expect((await srv.call(`/publications/lfric/cubes/${i}/data?sel=0,:`)).status).toBe(200);
    const dataBytes = pool.counter.bytes - before;
    expect(dataBytes).toBeGreaterThan(0);
    before = pool.counter.bytes;
    expect((await srv.call(`/publications/lfric/cubes/${i}/plot.png?sel=0,:&title=rain`)).status).toBe(200);
    expect(pool.counter.bytes - before).toBe(dataBytes);
    before = pool.counter.bytes;
    expect((await srv.call(`/publications/lfric/cubes/${i}/coords/mesh:x/bounds`)).status).toBe(200);
    expect(pool.counter.bytes - before).toBe(0);
  });

  test('a selection keeping more than the mesh dimension is a 400 that says which sel to use', async () => {
    const r = await srv.call(`/publications/lfric/cubes/${await indexOf('lfric', 'conv_rain')}/plot.png`);
    expect(r.status).toBe(400);
    expect(await errorOf(r)).toMatchObject({ code: 'BAD_SELECTION', message: expect.stringContaining("keeps only the mesh dimension 'nMesh2d_half_levels_face'") });
    expect((await errorOf(await srv.call(`/publications/lfric/cubes/${await indexOf('lfric', 'conv_rain')}/plot.png`))).message).toContain('e.g. sel=0,:');
  });

  test("a mesh whose faces' outlines exceed the binary limit is 413, and a part of it is drawn", async () => {
    const small = await startServer({ token: TOKEN, maxSliceBytes: 30_000 });
    try {
      const r = await small.call('/publications', { method: 'POST', auth: true, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'lfric', sources: [join(DIR, LFRIC)] }) });
      expect(r.status).toBe(201);
      const i = await indexOf('lfric', 'conv_rain');
      // 864 faces × 4 nodes × 2 axes × 8 bytes = 55,296 bytes of outlines.
      const whole = await small.call(`/publications/lfric/cubes/${i}/plot.png?sel=0,:`);
      expect(whole.status).toBe(413);
      expect(await errorOf(whole)).toMatchObject({ code: 'SLICE_TOO_LARGE', details: { bytes: 55_296, limit: 30_000 } });
      expect((await small.call(`/publications/lfric/cubes/${i}/plot.png?sel=0,0:400`)).status).toBe(200);
    } finally {
      await small.close();
    }
  });

  test('1-based face-node indices (data_C4) draw too', async () => {
    const r = await srv.call(`/publications/c4/cubes/${await indexOf('c4', 'sample_data')}/plot.png?width=400&height=300`);
    expect(r.status).toBe(200);
  });

  test('values on the nodes of a mesh are 422 NOT_PLOTTABLE', async () => {
    const r = await srv.call(`/publications/nodes/cubes/${await indexOf('nodes', 'node_field')}/plot.png`);
    expect(r.status).toBe(422);
    expect(await errorOf(r)).toMatchObject({ code: 'NOT_PLOTTABLE', message: expect.stringContaining("values on the nodes of mesh 'Mesh2d_half_levels'") });
  });

  test('the OpenAPI document lists the coastlines and graticule parameters', async () => {
    const doc = (await (await srv.call('/openapi.json')).json()) as { paths: Record<string, { get: { parameters: { name: string; in: string }[] } }> };
    for (const path of ['/publications/{name}/cubes/{index}/plot.png', '/publications/{name}/unified/{parameter}/plot.png']) {
      const names = doc.paths[path].get.parameters.filter((p) => p.in === 'query').map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(['coastlines', 'graticule', 'colormap', 'sel']));
    }
  });
});

describe('GET .../coords/:key/:part', () => {
  test("the bounds of a mesh coordinate are the coordinates of each face's nodes", async () => {
    const { publication } = await loadPublication([join(DIR, LFRIC)]);
    const mesh = publication.meshes!.Mesh2d_half_levels;
    const nodeX = (mesh.node.coords.x!.points as InlineArray).values as Float32Array;
    const faceNodes = (mesh.connectivities.face_node_connectivity!.indices as InlineArray).values as Int32Array;
    const i = await indexOf('lfric', 'conv_rain');
    const r = await srv.call(`/publications/lfric/cubes/${i}/coords/mesh:x/bounds?sel=10:12&format=json`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { dims: string[]; shape: number[]; values: number[] };
    expect(body.dims).toEqual(['nMesh2d_half_levels_face', 'vertex']);
    expect(body.shape).toEqual([2, 4]);
    expect(body.values).toEqual(Array.from(faceNodes.slice(40, 48), (n) => nodeX[n]));
    // Binary by default: float64, row-major.
    const binary = await srv.call(`/publications/lfric/cubes/${i}/coords/mesh:x/bounds`);
    expect(binary.headers.get('x-dtype')).toBe('float64');
    expect(binary.headers.get('x-shape')).toBe('864,4');
    expect(new Float64Array(await binary.arrayBuffer()).slice(40, 48)).toEqual(Float64Array.from(faceNodes.slice(40, 48), (n) => nodeX[n]));
  });

  test('points of any coordinate; the same limits as the data route', async () => {
    const i = await indexOf('lfric', 'conv_rain');
    const time = (await (await srv.call(`/publications/lfric/cubes/${i}/coords/time_instant/points?format=json`)).json()) as { shape: number[]; dims: string[] };
    expect(time).toMatchObject({ shape: [1], dims: ['time_counter'] });
    const y = (await (await srv.call(`/publications/lfric/cubes/${i}/coords/mesh:y/points?format=json`)).json()) as { shape: number[] };
    expect(y.shape).toEqual([864]);
    const tooMany = await srv.call(`/publications/lfric/cubes/${i}/coords/mesh:y/bounds?format=json`);
    expect(tooMany.status).toBe(413);
    expect((await errorOf(tooMany)).code).toBe('SLICE_TOO_LARGE');
  });

  test('an unknown key is 404 COORD_NOT_FOUND listing the keys; bounds a coordinate lacks too; a bad sel is 400', async () => {
    const i = await indexOf('lfric', 'conv_rain');
    const unknown = await srv.call(`/publications/lfric/cubes/${i}/coords/nowhere/points`);
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toMatchObject({ code: 'COORD_NOT_FOUND', message: expect.stringContaining('its keys are time_instant, mesh:x, mesh:y') });
    const y = await srv.call(`/publications/c4/cubes/${await indexOf('c4', 'sample_data')}/coords/mesh:y/points?sel=0,0`);
    expect(y.status).toBe(400);
    expect((await errorOf(y)).code).toBe('BAD_SELECTION');
    const part = await srv.call(`/publications/lfric/cubes/${i}/coords/mesh:y/corners`);
    expect((await errorOf(part)).code).toBe('VALIDATION');
  });
});
