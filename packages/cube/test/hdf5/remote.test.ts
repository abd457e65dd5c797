/**
 * NetCDF-4 read over HTTP (a real node:http server with Range support) and S3 (s3rver in its own process), as
 * from a local file: the same dimensions, variables, attributes and values, with the same laziness, counted in
 * the requests the servers answered.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cubeSummary } from '@cubemark/format';
import { Hdf5Dataset as H5Dataset, openHdf5 } from '@cubemark/hdf5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSourcePool } from '../../src/bytes/pool.js';
import { loadPublication } from '../../src/cf/index.js';
import { openHdf5Dataset, type Hdf5Dataset } from '../../src/readers/hdf5/dataset.js';
import { generatedDir, localReader } from '../../../hdf5/test/helpers.js';
import { startHttpServer, type HttpTestServer } from '../helpers/http-server.js';
import { startLatencyProxy } from '../helpers/latency-proxy.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { ncgen4 } from './cdl.js';
import { overlaps, recordingContext } from './recording.js';

const DATA = '/work/shared/data/iris-test-data/NetCDF';
const FILES: Record<string, string> = {
  'colpex.nc': join(DATA, 'testing/small_theta_colpex.nc'),
  'polar.nc': join(DATA, 'polar/toa_brightness_temperature.nc'),
  'units.nc': join(DATA, 'testing/units.nc'),
};
const READ_AHEAD = 64 * 1024;

let dir: string;
let http: HttpTestServer;
let s3: S3TestServer;
let restoreEnv: () => void;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cubemark-hdf5-remote-'));
  FILES['filters.h5'] = join(generatedDir(), 'root.filters.h5');
  FILES['features.nc'] = join(dir, 'features.src.nc');
  ncgen4(fileURLToPath(new URL('./fixtures/features.cdl', import.meta.url)), FILES['features.nc']);
  for (const [name, path] of Object.entries(FILES)) copyFileSync(path, join(dir, name));
  http = await startHttpServer(dir);
  s3 = await startS3Server();
  restoreEnv = s3.applyEnv();
  for (const [name, path] of Object.entries(FILES)) await s3.put(`nc4/${name}`, path);
});

afterAll(async () => {
  restoreEnv?.();
  await s3?.stop();
  await http?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const remotes = [
  ['http', (name: string) => `${http.url}/${name}`],
  ['s3', (name: string) => s3.uri(`nc4/${name}`)],
] as const;

function sameModel(remote: Hdf5Dataset, local: Hdf5Dataset): void {
  expect(remote.dimensions).toEqual(local.dimensions);
  expect([...remote.variables.keys()]).toEqual([...local.variables.keys()]);
  for (const [name, v] of local.variables) {
    const r = remote.variables.get(name)!;
    expect([r.dims, r.shape, r.dtype, r.chunks, r.attributes], name).toEqual([v.dims, v.shape, v.dtype, v.chunks, v.attributes]);
  }
  expect(remote.attributes).toEqual(local.attributes);
}

/** Where the chunks of a variable are, read from the local copy with the package directly. */
async function chunks(path: string, variable: string) {
  const reader = localReader(path);
  const dataset = await (await openHdf5(reader)).get(variable);
  const out = dataset instanceof H5Dataset ? await dataset.chunksFor() : [];
  await reader.close();
  return out;
}

describe.each(remotes)('over %s', (_scheme, uriOf) => {
  it('presents what the local file presents, from the read-ahead and a few header pages, no chunk data', async () => {
    const local = await openHdf5Dataset(FILES['colpex.nc'], createSourcePool());
    const { ctx, ranges, pool } = recordingContext(createSourcePool());
    const remote = await openHdf5Dataset(uriOf('colpex.nc'), ctx);
    sameModel(remote, local);
    expect(ranges[0]).toMatchObject({ offset: 0, length: READ_AHEAD });
    expect(pool.counter.requests).toBeLessThanOrEqual(6);
    expect(pool.counter.bytes).toBeLessThanOrEqual(READ_AHEAD + 16 * 1024);
    const data = await chunks(FILES['colpex.nc'], 'air_potential_temperature');
    for (const c of data) expect(overlaps(ranges.slice(1), c.offset, c.size)).toBe(false);
    await pool.close();
  });

  it('reads every variable of the features file (strings, chars, 64-bit, big-endian, shuffled) as locally', async () => {
    const remote = await openHdf5Dataset(uriOf('features.nc'), createSourcePool());
    const local = await openHdf5Dataset(FILES['features.nc'], createSourcePool());
    sameModel(remote, local);
    expect(remote.skipped).toEqual(local.skipped);
    for (const [name, v] of local.variables) {
      const all = { start: v.shape.map(() => 0), count: [...v.shape] };
      expect(await remote.variables.get(name)!.read(all), name).toEqual(await v.read(all));
    }
  });

  it('reads a 2-D field with one request for its chunk, and the chunk index once', async () => {
    const { ctx, pool } = recordingContext(createSourcePool());
    const remote = await openHdf5Dataset(uriOf('colpex.nc'), ctx);
    const local = await openHdf5Dataset(FILES['colpex.nc'], createSourcePool());
    const v = remote.variables.get('air_potential_temperature')!;
    const slab = { start: [2, 3, 0, 0], count: [1, 1, 83, 83] };
    const before = { ...pool.counter };
    expect(await v.read(slab)).toEqual(await local.variables.get('air_potential_temperature')!.read(slab));
    const chunkBytes = 10 * 83 * 83 * 4;
    expect(pool.counter.requests - before.requests).toBeLessThanOrEqual(2);
    expect(pool.counter.bytes - before.bytes).toBeLessThanOrEqual(chunkBytes + 8192);
    const again = { ...pool.counter };
    await v.read({ start: [5, 0, 0, 0], count: [1, 1, 83, 83] });
    expect([pool.counter.requests - again.requests, pool.counter.bytes - again.bytes]).toEqual([1, chunkBytes]);
    await pool.close();
  });

  it('reads deflated chunks, and names a filter it lacks only when that data is read', async () => {
    const pool = createSourcePool();
    const remote = await openHdf5Dataset(uriOf('filters.h5'), pool);
    const local = await openHdf5Dataset(FILES['filters.h5'], createSourcePool());
    const all = { start: [0, 0], count: [30, 40] };
    expect(await remote.variables.get('deflated')!.read(all)).toEqual(await local.variables.get('deflated')!.read(all));
    const error = (await remote.variables
      .get('lzf')!
      .read({ start: [0, 0], count: [2, 2] })
      .then(
        () => undefined,
        (e: unknown) => e,
      )) as Error & { code: string };
    expect(error).toMatchObject({ code: 'HDF5_UNKNOWN_FILTER' });
    expect(error.message).toMatch(/variable 'lzf'.*filter 32000 \(lzf\)/);
    await pool.close();
  });

  it('imports the same cubes as from the local files (the CF loader, cubemark import)', async () => {
    for (const name of ['colpex.nc', 'units.nc', 'polar.nc']) {
      const local = await loadPublication([FILES[name]]);
      const remote = await loadPublication([uriOf(name)]);
      expect(remote.publication.cubes.map((c) => cubeSummary(c))).toEqual(local.publication.cubes.map((c) => cubeSummary(c)));
      expect(remote.publication.cubes.map((c) => c.data)).toEqual(local.publication.cubes.map((c) => c.data));
    }
  });
});

describe('import over HTTP (the CF loader)', () => {
  it('reads no chunk of the data variable past the read-ahead (but a page edge), only coordinates', async () => {
    http.reset();
    const { publication } = await loadPublication([`${http.url}/colpex.nc`]);
    expect(publication.cubes.map((c) => c.var_name)).toContain('air_potential_temperature');
    const ranges = http.requests
      .filter((r) => r.method === 'GET' && r.range)
      .map((r) => {
        const [, a, b] = /bytes=(\d+)-(\d+)/.exec(r.range!)!;
        return { uri: r.path, offset: Number(a), length: Number(b) - Number(a) + 1 };
      });
    expect(ranges.length).toBeGreaterThan(1);
    const beyond = ranges.filter((r) => r.offset > 0);
    const data = await chunks(FILES['colpex.nc'], 'air_potential_temperature');
    // At most the edge of a 4 KiB metadata page that a chunk shares with the structure after it.
    for (const c of data) {
      const shared = beyond.reduce((n, r) => n + Math.max(0, Math.min(r.offset + r.length, c.offset + c.size) - Math.max(r.offset, c.offset)), 0);
      expect(shared, `chunk at ${c.offset} (${c.size} bytes)`).toBeLessThan(4096);
    }
    // What the import fetched, all told: a small part of the 1.7 MB file.
    expect(http.requests.reduce((n, r) => n + r.bytes, 0)).toBeLessThan(200_000);
  });
});

describe('over S3 behind a latency proxy (30 ms per round trip)', () => {
  it('imports several files at once, in order, the same as without it', async () => {
    const proxy = await startLatencyProxy(new URL(s3.endpoint).port, { rttMs: 30 });
    const names = ['colpex.nc', 'units.nc', 'polar.nc', 'filters.h5'];
    const uris = names.map((n) => s3.uri(`nc4/${n}`));
    const far = createSourcePool({ s3: { endpoint: proxy.url } });
    const progress: string[] = [];
    const slow = await loadPublication(uris, { pool: far, onProgress: (_done, _total, uri) => progress.push(uri) });
    const near = await loadPublication(uris);
    expect(slow.publication).toEqual(near.publication);
    expect(progress).toEqual(uris);
    expect(proxy.connections).toBeGreaterThan(0);
    await far.close();
    await proxy.stop();
  });
});
