/**
 * Laziness, asserted by what was fetched: opening reads metadata documents only, and a read fetches exactly
 * the chunks its hyperslab touches. Checked locally (source log + pool counter) and over real HTTP (the
 * server's own request log).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openZarrDataset } from '../../src/readers/zarr/index.js';
import { CHUNKED_SHAPE, SHARDED_SHAPE, chunked4d, makeZarr, sharded, type ZarrFixture } from '../fixtures/zarr/make-zarr.js';
import { startHttpServer, type HttpTestServer } from '../helpers/http-server.js';
import { METADATA_KEY, keysAsked, keysFound, loggedContext, sliceC } from './context.js';

/** One 2-D field of the 4-D array: time 1, level 2, all of y and x. */
const FIELD = { start: [1, 2, 0, 0], count: [1, 1, 20, 30] };
/** The chunks [1, 2, 10, 10] it touches: time chunk 1, level chunk 1, y chunks 0-1, x chunks 0-2. */
const FIELD_CHUNKS = [0, 1].flatMap((y) => [0, 1, 2].map((x) => [1, 1, y, x]));
const CHUNK_BYTES = 1 * 2 * 10 * 10 * 4;

const chunkKey = (name: ZarrFixture, coords: number[]) => (name.endsWith('v3') ? ['c', ...coords].join('/') : coords.join('/'));

describe.each(['chunked-4d-v2', 'chunked-4d-v3'] as const)('%s on local disk', (name) => {
  test('opening reads only metadata documents', async () => {
    const ctx = loggedContext();
    const root = await makeZarr(name);
    await openZarrDataset(root, ctx);
    const asked = keysAsked(ctx.log, root);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.filter((key) => !METADATA_KEY.test(key))).toEqual([]);
    // The array's own document was found, and no chunk-sized amount of data was read.
    expect(keysFound(ctx.log, root)).toContain(name.endsWith('v3') ? 'zarr.json' : '.zarray');
    expect(ctx.counter.bytes).toBeLessThan(CHUNK_BYTES);
    await ctx.close();
  });

  test('reading one 2-D field fetches exactly the six chunks it touches', async () => {
    const ctx = loggedContext();
    const root = await makeZarr(name);
    const ds = await openZarrDataset(root, ctx);
    const opened = { log: ctx.log.length, requests: ctx.counter.requests, bytes: ctx.counter.bytes };

    const values = await ds.variables.get(name)!.read(FIELD);

    expect(Array.from(values as Float32Array)).toEqual(sliceC(chunked4d(), CHUNKED_SHAPE, FIELD.start, FIELD.count));
    const read = keysFound(ctx.log.slice(opened.log), root);
    expect(read.sort()).toEqual(FIELD_CHUNKS.map((c) => chunkKey(name, c)).sort());
    expect(ctx.counter.requests - opened.requests).toBe(6);
    expect(ctx.counter.bytes - opened.bytes).toBe(6 * CHUNK_BYTES);
    await ctx.close();
  });

  test('the chunk bytes on disk are the values read (uncompressed little-endian float32)', async () => {
    const ctx = loggedContext();
    const root = await makeZarr(name);
    const ds = await openZarrDataset(root, ctx);
    // Chunk (1, 1, 0, 0) holds time 1, levels 2-3, y 0-9, x 0-9.
    const raw = readFileSync(join(root, chunkKey(name, [1, 1, 0, 0])));
    const onDisk = Array.from(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length)));
    const read = await ds.variables.get(name)!.read({ start: [1, 2, 0, 0], count: [1, 2, 10, 10] });
    expect(Array.from(read as Float32Array)).toEqual(onDisk);
    await ctx.close();
  });
});

test('a consolidated group opens with the consolidated document alone', async () => {
  const ctx = loggedContext();
  const root = await makeZarr('v2-xarray');
  await openZarrDataset(root, ctx);
  expect(keysFound(ctx.log, root)).toEqual(['.zmetadata']);
  const v3 = await makeZarr('v3-consolidated');
  const before = ctx.log.length;
  await openZarrDataset(v3, ctx);
  expect(keysFound(ctx.log.slice(before), v3)).toEqual(['zarr.json']);
  await ctx.close();
});

test('a partial read of a compressed field fetches only the chunks it touches', async () => {
  const ctx = loggedContext();
  const root = await makeZarr('v2-xarray');
  const ds = await openZarrDataset(root, ctx);
  const before = ctx.log.length;
  // time 1-2 (chunks 0, 1), lat 0-2 (chunk 0), lon 3-4 (chunks 0, 1)
  await ds.variables.get('temperature')!.read({ start: [1, 0, 3], count: [2, 3, 2] });
  expect(keysFound(ctx.log.slice(before), root).sort()).toEqual(
    ['temperature/0.0.0', 'temperature/0.0.1', 'temperature/1.0.0', 'temperature/1.0.1'].sort(),
  );
  await ctx.close();
});

describe('a sharded v3 array', () => {
  test('reads whole, with absent shards and inner chunks as the fill value', async () => {
    const ctx = loggedContext();
    const ds = await openZarrDataset(await makeZarr('sharded-v3'), ctx);
    const v = ds.variables.get('sharded-v3')!;
    expect(v.chunks).toEqual([2, 3]);
    expect(await v.read({ start: [0, 0], count: [...SHARDED_SHAPE] })).toEqual(sharded());
    expect(Array.from((await v.read({ start: [5, 4], count: [3, 8] })) as Float32Array)).toEqual(
      sliceC(sharded(), SHARDED_SHAPE, [5, 4], [3, 8]),
    );
    await ctx.close();
  });

  test('one inner chunk costs a size, the shard index and the chunk: three small requests to one object', async () => {
    const ctx = loggedContext();
    const root = await makeZarr('sharded-v3');
    const ds = await openZarrDataset(root, ctx);
    const opened = { log: ctx.log.length, requests: ctx.counter.requests, bytes: ctx.counter.bytes };
    // Inner chunk (0, 1) of shard (0, 0): rows 0-1, columns 3-5.
    const values = await ds.variables.get('sharded-v3')!.read({ start: [0, 3], count: [2, 3] });
    expect(Array.from(values as Float32Array)).toEqual([3, 4, 5, 15, 16, 17]);
    const reads = ctx.log.slice(opened.log).map((r) => [r.op, r.uri.slice(root.length + 1)]);
    expect(reads).toEqual([
      ['stat', 'c/0/0'],
      ['getRange', 'c/0/0'],
      ['getRange', 'c/0/0'],
    ]);
    expect(ctx.counter.requests - opened.requests).toBe(3);
    // The index (4 entries of 16 bytes + a 4-byte crc32c) and one inner chunk (2 × 3 float32).
    expect(ctx.counter.bytes - opened.bytes).toBe(4 * 16 + 4 + 2 * 3 * 4);
    await ctx.close();
  });
});

describe('over HTTP, by the server log', () => {
  let server: HttpTestServer;
  let root: string;
  beforeAll(async () => {
    const dir = await makeZarr('chunked-4d-v3');
    server = await startHttpServer(dirname(dir));
    root = `${server.url}/chunked-4d-v3.zarr`;
  });
  afterAll(() => server.stop());

  test('opening asks for metadata only; one field asks for its six chunks', async () => {
    const ctx = loggedContext();
    const ds = await openZarrDataset(root, ctx);
    const served = (from: number) =>
      server.requests
        .slice(from)
        .filter((r) => r.status === 200 || r.status === 206)
        .map((r) => r.path.replace('/chunked-4d-v3.zarr/', ''));
    expect(served(0)).toEqual(['zarr.json']);
    expect(server.requests.every((r) => METADATA_KEY.test(r.path))).toBe(true);

    const opened = server.requests.length;
    const values = await ds.variables.get('chunked-4d-v3')!.read(FIELD);
    expect(Array.from(values as Float32Array)).toEqual(sliceC(chunked4d(), CHUNKED_SHAPE, FIELD.start, FIELD.count));
    expect(served(opened).sort()).toEqual(FIELD_CHUNKS.map((c) => chunkKey('chunked-4d-v3', c)).sort());
    expect(server.requests.slice(opened).reduce((n, r) => n + r.bytes, 0)).toBe(6 * CHUNK_BYTES);
    await ctx.close();
  });
});
