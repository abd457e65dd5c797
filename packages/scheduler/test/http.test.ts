import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { parse, serialize, type Publication } from '@cubemark/format';
import { SCHEDULER_ERROR_CODES, HTTP_ERROR_CODES, type SchedulerPlugin } from '../src/index.js';
import { IRIS_DATA, document, field4d, inlinePublication, makeNetcdf, ncdumpValues, netcdfPublication } from './helpers/publications.js';
import { errorOf, startServer, type Running } from './helpers/server.js';

const TOKEN = 'test-token-1234';
const COLPEX = `${IRIS_DATA}/testing/small_theta_colpex.nc`;

let srv: Running;
let f4: { path: string; publication: Publication };
let ta: number[];
let stopped = 0;

const md = (text: string, auth: boolean | string = true, query = ''): Promise<Response> =>
  srv.call(`/publications${query}`, { method: 'POST', body: text, headers: { 'content-type': 'text/markdown' }, auth });

/** Row-major flat index into field4d's ta(time=3, level=4, y=10, x=12). */
const taAt = (t: number, l: number, y: number, x: number) => ta[((t * 4 + l) * 10 + y) * 12 + x];

beforeAll(async () => {
  f4 = await field4d('field4d');
  ta = (await ncdumpValues(f4.path, ['ta'])).get('ta')!.map(Number);
  const watcher: SchedulerPlugin = { name: 'watcher', stop: () => void stopped++ };
  srv = await startServer({
    token: TOKEN,
    maxJsonValues: 1000,
    bodyLimit: 1024 * 1024,
    expectTimeoutMs: 50,
    plugins: [watcher],
    // JSON {name, sources} publishes go through a loader; this one reads headers with ncdump.
    loader: async (request) => ({ publication: await netcdfPublication(request.uris[0], request.name, ['ta']) }),
  });
  expect((await md(document(f4.publication, 'Field prose.'))).status).toBe(201);
});

afterAll(async () => {
  await srv?.close();
});

describe('health and OpenAPI', () => {
  test('GET /healthz answers 200 once listening', async () => {
    const r = await srv.call('/healthz');
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok' });
  });

  test('GET /openapi.json is an OpenAPI 3 document with a schema for every route', async () => {
    const doc = (await (await srv.call('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }>; requestBody?: { content: Record<string, unknown> } }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes.sort()).toEqual(
      [
        'GET /healthz',
        'GET /publications',
        'POST /publications',
        'GET /publications/{name}',
        'DELETE /publications/{name}',
        'GET /publications/{name}/cubes/{index}',
        'GET /publications/{name}/cubes/{index}/data',
        'GET /publications/{name}/cubes/{index}/collapsed',
        'GET /publications/{name}/cubes/{index}/plot.png',
        'GET /publications/{name}/cubes/{index}/coords/{key}/{part}',
        'GET /publications/{name}/unified/{parameter}',
        'GET /publications/{name}/unified/{parameter}/coords/{key}/{part}',
        'GET /publications/{name}/unified/{parameter}/data',
        'GET /publications/{name}/unified/{parameter}/plot.png',
        'POST /publications/{name}/persist',
        'GET /publications/{name}/export/{kind}',
        'GET /resident',
      ].sort(),
    );
    for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) expect(op.responses['200'] ?? op.responses['201']).toBeDefined();
    const data = doc.paths['/publications/{name}/cubes/{index}/data'].get.responses['200'].content!;
    expect(Object.keys(data).sort()).toEqual(['application/json', 'application/octet-stream']);
    expect(Object.keys(doc.paths['/publications'].post.requestBody!.content).sort()).toEqual(['application/json', 'text/markdown', 'text/plain']);
  });
});

describe('publishing over HTTP', () => {
  test('writes without a token are 401 with WWW-Authenticate; a wrong token is 403', async () => {
    const text = document(inlinePublication('auth-check'));
    const none = await md(text, false);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="cubemark"');
    expect((await errorOf(none)).code).toBe('UNAUTHORIZED');
    const wrong = await md(text, 'not-the-token');
    expect(wrong.status).toBe(403);
    expect((await errorOf(wrong)).code).toBe('FORBIDDEN');
    const basic = await srv.call('/publications', { method: 'POST', body: text, headers: { 'content-type': 'text/markdown', authorization: `Basic ${TOKEN}` } });
    expect(basic.status).toBe(401);
    expect((await srv.call('/publications/auth-check')).status).toBe(404);
    for (const [method, path] of [['DELETE', '/publications/field4d'], ['POST', '/publications/field4d/persist']]) {
      expect((await srv.call(path, { method })).status).toBe(401);
    }
  });

  test('publish is 201 with a Location; again is 409; with ?replace=true it is 200 and replaced', async () => {
    const text = document(inlinePublication('pub-a'));
    const first = await md(text);
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe('/publications/pub-a');
    expect(await first.json()).toMatchObject({ name: 'pub-a', replaced: false, state: 'ready', cubes: 1, warnings: [] });
    const again = await md(text);
    expect(again.status).toBe(409);
    expect(await errorOf(again)).toMatchObject({ code: 'PUBLICATION_EXISTS' });
    const replaced = await md(document(inlinePublication('pub-a', 2)), true, '?replace=true');
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ replaced: true, cubes: 2 });
  });

  test('an invalid document is 422 with the format errors as path:line:col CODE message', async () => {
    const bad = document(inlinePublication('pub-bad')).replace('units: K', 'units: K\n    units: K');
    const r = await md(bad);
    expect(r.status).toBe(422);
    const body = await errorOf(r);
    expect(body.code).toBe('INVALID_DOCUMENT');
    expect((body.details!.errors as string[])[0]).toMatch(/^<body>:\d+:\d+ DUPLICATE_KEY key 'units'/);
    const mismatch = await md(document(inlinePublication('pub-x')), true, '?name=pub-y');
    expect(mismatch.status).toBe(422);
    expect((await errorOf(mismatch)).code).toBe('NAME_MISMATCH');
  });

  test('JSON {name, sources} publishes through the loader', async () => {
    const r = await srv.call('/publications', { method: 'POST', auth: true, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'from-sources', sources: [f4.path] }) });
    expect(r.status).toBe(201);
    const got = (await (await srv.call('/publications/from-sources')).json()) as { cubes: { name: string }[] };
    expect(got.cubes.map((c) => c.name)).toEqual(['air_temperature']);
  });

  test('DELETE unpublishes (200), then 404', async () => {
    expect((await md(document(inlinePublication('pub-del')))).status).toBe(201);
    const r = await srv.call('/publications/pub-del', { method: 'DELETE', auth: true });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ name: 'pub-del', warnings: [] });
    const again = await srv.call('/publications/pub-del', { method: 'DELETE', auth: true });
    expect(again.status).toBe(404);
    expect((await errorOf(again)).code).toBe('PUBLICATION_NOT_FOUND');
  });

  test('request errors are 4xx JSON: bad JSON 400, wrong schema 400, unknown content type 415, too large 413', async () => {
    const post = (body: string, type: string) => srv.call('/publications', { method: 'POST', auth: true, headers: { 'content-type': type }, body });
    const cases: [string, string, number, string][] = [
      ['{"name": ', 'application/json', 400, 'BAD_REQUEST'],
      ['{"name": 1, "sources": []}', 'application/json', 400, 'VALIDATION'],
      ['[1, 2]', 'application/json', 400, 'VALIDATION'],
      ['{"name": "x", "sources": ["a"], "extra": true}', 'application/json', 400, 'VALIDATION'],
      ['<xml/>', 'application/xml', 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['x'.repeat(1024 * 1024 + 10), 'text/markdown', 413, 'BODY_TOO_LARGE'],
      ['', 'text/markdown', 422, 'INVALID_DOCUMENT'],
    ];
    for (const [body, type, status, code] of cases) {
      const r = await post(body, type);
      expect([r.status, (await errorOf(r)).code], `${type} ${body.slice(0, 40)}`).toEqual([status, code]);
    }
  });
});

describe('reading', () => {
  test('GET /publications lists name, title, cube count, lazy bytes, state and warnings', async () => {
    const body = (await (await srv.call('/publications')).json()) as { publications: Record<string, unknown>[] };
    const f = body.publications.find((p) => p.name === 'field4d');
    expect(f).toMatchObject({ name: 'field4d', title: 'field4d (test)', cubes: 2, lazyBytes: (3 * 4 * 10 * 12 + 3 * 10 * 12) * 4, state: 'ready', warnings: [] });
  });

  test('GET /publications/:name is JSON metadata with a summary per cube', async () => {
    const r = await srv.call('/publications/field4d');
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await r.json()) as { name: string; cubes: { name: string; dims: string[]; shape: number[]; summary: string; coords: { key: string; points: { values?: number[] } }[]; data: { source: { variable: string } } }[] };
    expect(body.name).toBe('field4d');
    expect(body.cubes.map((c) => [c.name, c.dims, c.shape])).toEqual([
      ['air_temperature', ['time', 'level', 'y', 'x'], [3, 4, 10, 12]],
      ['surface_air_pressure', ['time', 'y', 'x'], [3, 10, 12]],
    ]);
    expect(body.cubes[0].summary).toMatch(/^air_temperature \/ \(K\)\s+\(time: 3; air_pressure: 4; projection_y_coordinate: 10; projection_x_coordinate: 12\)/);
    expect(body.cubes[0].coords.find((c) => c.key === 'time')!.points.values).toEqual([0, 6, 12]);
    expect(body.cubes[0].data.source.variable).toBe('ta');
  });

  test('GET /publications/:name.md and ?format=md give the canonical .cube.md text with the prose', async () => {
    const a = await srv.call('/publications/field4d.md');
    expect(a.headers.get('content-type')).toMatch(/^text\/markdown/);
    const text = await a.text();
    expect(text).toBe(await (await srv.call('/publications/field4d?format=md')).text());
    expect(text).toContain('Field prose.');
    const reparsed = parse(text);
    expect(reparsed.errors).toEqual([]);
    expect(text).toBe(serialize(reparsed.publication!, { body: reparsed.body }));
  });

  test('unknown names are 404, unsafe names 400, unknown routes 404, all as JSON errors', async () => {
    const cases: [string, number, string][] = [
      ['/publications/nope', 404, 'PUBLICATION_NOT_FOUND'],
      ['/publications/nope.md', 404, 'PUBLICATION_NOT_FOUND'],
      ['/publications/..%2Fetc', 400, 'INVALID_NAME'],
      ['/publications/a..b', 400, 'INVALID_NAME'],
      ['/publications/field4d/cubes/2', 404, 'CUBE_NOT_FOUND'],
      ['/publications/field4d/cubes/abc', 400, 'VALIDATION'],
      ['/publications/field4d/cubes/-1/data', 400, 'VALIDATION'],
      ['/publications/field4d?format=xml', 400, 'VALIDATION'],
      ['/nothing/here', 404, 'ROUTE_NOT_FOUND'],
    ];
    for (const [path, status, code] of cases) {
      const r = await srv.call(path);
      expect([path, r.status, (await errorOf(r)).code]).toEqual([path, status, code]);
    }
  });

  test('GET a cube: JSON description with the Iris summary, or the summary as text', async () => {
    const json = (await (await srv.call('/publications/field4d/cubes/1')).json()) as { index: number; name: string; summary: string };
    expect(json.index).toBe(1);
    expect(json.name).toBe('surface_air_pressure');
    const text = await (await srv.call('/publications/field4d/cubes/1?format=text')).text();
    expect(text).toBe(json.summary + '\n');
    expect(text).toMatch(/^surface_air_pressure \/ \(Pa\)/);
  });

  test('a restoring name that times out is 503 with Retry-After', async () => {
    srv.server.scheduler.expect(['coming']);
    const r = await srv.call('/publications/coming');
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('1');
    expect((await errorOf(r)).code).toBe('PUBLICATION_RESTORING');
    srv.server.scheduler.abandon('coming', 'quarantined for the test');
    const gone = await srv.call('/publications/coming');
    expect(gone.status).toBe(404);
    expect(await errorOf(gone)).toMatchObject({ code: 'PUBLICATION_ABANDONED', details: { reason: 'quarantined for the test' } });
  });
});

describe('data', () => {
  /** A binary answer decoded: shape, dtype, values and mask. */
  async function binary(r: Response) {
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/octet-stream');
    const buf = Buffer.from(await r.arrayBuffer());
    const shape = r.headers.get('x-shape') === '' ? [] : r.headers.get('x-shape')!.split(',').map(Number);
    const dtype = r.headers.get('x-dtype')!;
    const masked = r.headers.get('x-masked') === 'true';
    const n = shape.reduce((p, k) => p * k, 1);
    const size = dtype === 'float64' ? 8 : 4;
    const values = Array.from({ length: n }, (_, i) => (dtype === 'float64' ? buf.readDoubleLE(i * size) : buf.readFloatLE(i * size)));
    const maskOffset = masked ? Number(r.headers.get('x-mask-offset')) : -1;
    const mask = masked ? Array.from(buf.subarray(maskOffset, maskOffset + n)) : undefined;
    if (!masked) expect(buf.length).toBe(n * size);
    return { shape, dtype, dims: r.headers.get('x-dims')!.split(','), values, mask };
  }

  test('?sel slices match the values ncdump reads from the file (binary and JSON)', async () => {
    const r = await binary(await srv.call('/publications/field4d/cubes/0/data?sel=1,:,2:5,::3'));
    expect(r.shape).toEqual([4, 3, 4]);
    expect(r.dtype).toBe('float32');
    expect(r.dims).toEqual(['level', 'y', 'x']);
    const expected: number[] = [];
    for (let l = 0; l < 4; l++) for (let y = 2; y < 5; y++) for (let x = 0; x < 12; x += 3) expected.push(taAt(1, l, y, x));
    expect(r.values).toEqual(expected);
    const json = (await (await srv.call('/publications/field4d/cubes/0/data?sel=1,:,2:5,::3', { headers: { accept: 'application/json' } })).json()) as { values: number[]; shape: number[]; masked: boolean };
    expect(json).toMatchObject({ shape: [4, 3, 4], masked: false, values: expected });
    const negative = await binary(await srv.call('/publications/field4d/cubes/0/data?sel=-1,-1,::-1,-1'));
    expect(negative.values).toEqual(Array.from({ length: 10 }, (_, i) => taAt(2, 3, 9 - i, 11)));
  });

  test('selection by coordinate value: numbers, and dates in the coordinate calendar', async () => {
    const byNumber = await binary(await srv.call('/publications/field4d/cubes/0/data?time=6&level=850&sel=:,:,:,4'));
    const byDate = await binary(await srv.call('/publications/field4d/cubes/0/data?time=1970-01-01T06:00&level=850&sel=:,:,:,4'));
    expect(byNumber.shape).toEqual([10]);
    expect(byNumber.dims).toEqual(['y']);
    expect(byNumber.values).toEqual(Array.from({ length: 10 }, (_, y) => taAt(1, 1, y, 4)));
    expect(byDate.values).toEqual(byNumber.values);
    const miss = await srv.call('/publications/field4d/cubes/0/data?time=7');
    expect(miss.status).toBe(400);
    expect((await errorOf(miss)).message).toMatch(/no point of 'time' equals 7 .*nearest is 6 at index 1/);
    const both = await srv.call('/publications/field4d/cubes/0/data?time=6&sel=0');
    expect((await errorOf(both)).message).toContain('both by sel and by a coordinate value');
  });

  test('a real Met Office file (NetCDF-4): ?time=...&model_level_number=1 matches ncdump', async () => {
    const pub = await netcdfPublication(COLPEX, 'colpex', ['air_potential_temperature'], 'hdf5');
    expect((await md(document(pub))).status).toBe(201);
    const raw = await srv.call('/publications/colpex/cubes/0/data?time=2009-09-09T18:00&model_level_number=1&sel=:,:,10:13,20:22');
    if (raw.status !== 200) throw new Error(await raw.text());
    const r = await binary(raw);
    expect(r.shape).toEqual([3, 2]);
    const all = (await ncdumpValues(COLPEX, ['air_potential_temperature'])).get('air_potential_temperature')!.map(Number);
    // time 347922 is index 5 (17:10, 17:20, ... 18:00); level 1 is index 0; (6, 10, 83, 83).
    const at = (t: number, l: number, y: number, x: number) => all[((t * 10 + l) * 83 + y) * 83 + x];
    expect(r.values).toEqual([at(5, 0, 10, 20), at(5, 0, 10, 21), at(5, 0, 11, 20), at(5, 0, 11, 21), at(5, 0, 12, 20), at(5, 0, 12, 21)]);
    // 17:10 is stored with float noise (347921.166666672 hours); dates still match to the second.
    const rawFirst = await srv.call('/publications/colpex/cubes/0/data?time=2009-09-09T17:10&model_level_number=1&sel=:,:,0,0');
    if (rawFirst.status !== 200) throw new Error(await rawFirst.text());
    const first = await binary(rawFirst);
    expect(first.values).toEqual([at(0, 0, 0, 0)]);
  });

  test('masked values: binary mask after the values, null in JSON, as ncdump shows fill and missing values', async () => {
    const path = await makeNetcdf('packed');
    const pub = await netcdfPublication(path, 'packed', ['sst', 'tas']);
    expect((await md(document(pub))).status).toBe(201);
    const r = await binary(await srv.call('/publications/packed/cubes/0/data'));
    expect(r.shape).toEqual([2, 4]);
    // sst = 271.35, _, 290, 1e20, 300.5, 280, _, 285.25 with missing_value 1e20.
    const ref = (await ncdumpValues(path, ['sst'])).get('sst')!;
    expect(r.mask).toEqual(ref.map((v) => (v === null || Math.fround(Number(v)) === Math.fround(1e20) ? 1 : 0)));
    expect(r.mask).toEqual([0, 1, 0, 1, 0, 0, 1, 0]);
    const json = (await (await srv.call('/publications/packed/cubes/0/data?format=json')).json()) as { values: (number | null)[]; masked: boolean };
    expect(json.masked).toBe(true);
    expect(json.values.map((v) => v === null)).toEqual(r.mask!.map((m) => m === 1));
    expect(json.values[0]).toBeCloseTo(271.35, 4);
  });

  test('JSON answers above the limit are 413 with a helpful message; binary is fine', async () => {
    const r = await srv.call('/publications/field4d/cubes/0/data?format=json');
    expect(r.status).toBe(413);
    const body = await errorOf(r);
    expect(body.code).toBe('SLICE_TOO_LARGE');
    expect(body.message).toContain('1440 values; JSON answers are limited to 1000: ask for binary');
    expect((await srv.call('/publications/field4d/cubes/0/data')).status).toBe(200);
  });

  test('collapsed mean over time equals a float64 mean of the ncdump values', async () => {
    const r = await binary(await srv.call('/publications/field4d/cubes/0/collapsed?coords=time&op=mean'));
    expect(r.shape).toEqual([4, 10, 12]);
    expect(r.dims).toEqual(['level', 'y', 'x']);
    const expected: number[] = [];
    for (let l = 0; l < 4; l++) for (let y = 0; y < 10; y++) for (let x = 0; x < 12; x++) expected.push((taAt(0, l, y, x) + taAt(1, l, y, x) + taAt(2, l, y, x)) / 3);
    r.values.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 3));
    const max = (await (await srv.call('/publications/field4d/cubes/0/collapsed?coords=y,projection_x_coordinate&op=max&sel=0&format=json')).json()) as { values: number[]; dims: string[] };
    expect(max.dims).toEqual(['level']);
    expect(max.values).toEqual([0, 1, 2, 3].map((l) => taAt(0, l, 9, 11)));
    const bad = await srv.call('/publications/field4d/cubes/0/collapsed?coords=time&sel=0');
    expect((await errorOf(bad)).message).toContain('indexed away');
  });

  test('persist over HTTP reports residency; GET /resident shows it', async () => {
    const r = await srv.call('/publications/field4d/persist', { method: 'POST', auth: true });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { bytes: number; residency: { publications: { name: string; bytes: number }[] } };
    expect(body.bytes).toBe(7200);
    expect((await (await srv.call('/resident')).json()) as unknown).toMatchObject({ total: 7200, publications: [{ name: 'field4d', bytes: 7200 }] });
    // Served from memory now, still the file's values.
    const again = await binary(await srv.call('/publications/field4d/cubes/0/data?sel=2,3,9,11'));
    expect(again.values).toEqual([taAt(2, 3, 9, 11)]);
  });
});

describe('bad input never crashes the server', () => {
  test('malformed selections and parameters are 4xx with a JSON error', async () => {
    const queries = [
      'sel=abc',
      'sel=1:2:3:4',
      'sel=::0',
      'sel=99',
      'sel=0,0,0,0,0',
      'sel=,',
      'sel=1e3',
      'sel=%00',
      'sel=0&sel=1',
      'time=notadate',
      'time=2017-02-30T00:00',
      'nosuchcoord=1',
      'format=xml',
      'time=6&time=12',
      `sel=${'9'.repeat(30)}`,
    ];
    for (const q of queries) {
      const r = await srv.call(`/publications/field4d/cubes/0/data?${q}`);
      expect(r.status, q).toBeGreaterThanOrEqual(400);
      expect(r.status, q).toBeLessThan(500);
      await errorOf(r);
    }
    for (const q of ['coords=', 'coords=nope', 'coords=time&op=median', 'coords=time,time', 'op=mean']) {
      const r = await srv.call(`/publications/field4d/cubes/0/collapsed?${q}`);
      expect([q, r.status]).toEqual([q, 400]);
    }
  });

  test('fuzzed sel values and documents: never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), async (sel) => {
        const r = await srv.call(`/publications/field4d/cubes/1/data?sel=${encodeURIComponent(sel)}`);
        await r.arrayBuffer();
        return r.status < 500;
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.constant('---\ncubemark: 1\nname: [\n---\n'), fc.string().map((s) => `---\n${s}\n---\n`)), async (text) => {
        const r = await md(text);
        await r.arrayBuffer();
        return r.status >= 400 && r.status < 500;
      }),
      { numRuns: 100 },
    );
    expect((await srv.call('/healthz')).status).toBe(200);
  });
});

describe('configuration', () => {
  test('without a token writes are refused (403 WRITES_DISABLED) unless allowUnauthenticatedWrites', async () => {
    const closed = await startServer({});
    const open = await startServer({ allowUnauthenticatedWrites: true });
    try {
      const text = document(inlinePublication('w'));
      const refused = await closed.call('/publications', { method: 'POST', body: text, headers: { 'content-type': 'text/markdown' } });
      expect(refused.status).toBe(403);
      expect((await errorOf(refused)).message).toContain('--token');
      const accepted = await open.call('/publications', { method: 'POST', body: text, headers: { 'content-type': 'text/markdown' } });
      expect(accepted.status).toBe(201);
    } finally {
      await closed.close();
      await open.close();
    }
  });

  test('close() stops accepting requests and runs plugins stop hooks', async () => {
    let stops = 0;
    const s = await startServer({ plugins: [{ name: 'p', stop: () => void stops++ }] });
    expect((await s.call('/healthz')).status).toBe(200);
    await s.close();
    expect(stops).toBe(1);
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
  });

  test('every error code is documented in the README', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    for (const code of [...Object.keys(SCHEDULER_ERROR_CODES), ...Object.keys(HTTP_ERROR_CODES)]) expect(readme, code).toContain(`\`${code}\``);
  });
});

test('the watcher plugin has not been stopped while the server runs', () => {
  expect(stopped).toBe(0);
});
