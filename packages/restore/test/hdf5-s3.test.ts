/**
 * NetCDF-4 data in S3 through a real `cubemark serve` (compiled; `npm run build` first) whose store is in S3 too:
 * published, killed with SIGKILL, started again: every publication comes back without a single byte read from the
 * NetCDF-4 objects (only a HEAD each: is the source still there, unchanged; counted at a proxy in front of s3rver),
 * and a data request then reads only the chunk it needs.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bufferReader, Hdf5Dataset, openHdf5 } from '@cubemark/hdf5';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCountingProxy, type CountingProxy } from '../../cube/test/helpers/counting-proxy.js';
import { startS3Server, type S3TestServer } from '../../cube/test/helpers/s3-server.js';
import { startServer, type ServerProcess } from './helpers/process.js';

const NETCDF = '/work/shared/data/iris-test-data/NetCDF';
const OBJECTS: Record<string, string> = {
  'colpex.nc': join(NETCDF, 'testing/small_theta_colpex.nc'),
  'polar.nc': join(NETCDF, 'polar/toa_brightness_temperature.nc'),
  'units.nc': join(NETCDF, 'testing/units.nc'),
  'euro.nc': join(NETCDF, 'lambert_azimuthal_equal_area/euro_air_temp.nc'),
  'lfric.nc': join(NETCDF, 'unstructured_grid/lfric_ngvat_2D_1t_face_half_levels_main_conv_rain.nc'),
};
const PUBLICATIONS: Record<string, string[]> = {
  colpex: ['colpex.nc'],
  polar: ['polar.nc'],
  lfric: ['lfric.nc'],
  pair: ['units.nc', 'euro.nc'],
};
const READ_AHEAD = 64 * 1024;

let s3: S3TestServer;
let proxy: CountingProxy;
let running: ServerProcess | undefined;
beforeAll(async () => {
  s3 = await startS3Server({ bucket: 'cubemark-nc4' });
  for (const [key, path] of Object.entries(OBJECTS)) await s3.put(`nc4/${key}`, path);
  proxy = await startCountingProxy(s3.endpoint);
});
afterAll(async () => {
  await running?.kill();
  await proxy?.stop();
  await s3?.stop();
});

const dataRequests = () => proxy.requests.filter((r) => r.path.startsWith(`/${s3.bucket}/nc4/`));
const storeRequests = () => proxy.requests.filter((r) => r.path.startsWith(`/${s3.bucket}/store/`) || r.query.includes('prefix=store'));

async function serve(): Promise<ServerProcess> {
  return startServer(s3.uri('store'), { cli: true, env: { ...s3.env, CUBEMARK_S3_ENDPOINT: proxy.url }, allowUrls: [s3.uri('')] });
}

async function markdown(url: string, name: string): Promise<string> {
  const res = await fetch(`${url}/publications/${name}.md`);
  expect(res.status, name).toBe(200);
  return res.text();
}

describe('NetCDF-4 in S3, cubemark serve with an S3 store, kill -9', () => {
  test('restores every publication without reading a NetCDF-4 byte; then a data request reads only its chunk', async () => {
    running = await serve();
    for (const [name, keys] of Object.entries(PUBLICATIONS)) {
      const res = await fetch(`${running.url}/publications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, sources: keys.map((k) => s3.uri(`nc4/${k}`)) }),
      });
      expect(res.status, `${name}: ${await res.clone().text()}`).toBe(201);
    }
    const before = new Map<string, string>();
    for (const name of Object.keys(PUBLICATIONS)) before.set(name, await markdown(running.url, name));
    // Publishing read the NetCDF-4 headers through the proxy: the proxy sees what the server reads.
    expect(new Set(dataRequests().map((r) => r.path.split('/').pop()))).toEqual(new Set(Object.keys(OBJECTS)));
    await running.kill();

    proxy.reset();
    running = await serve();
    expect(await running.restored).toMatch(/^restored 4 quarantined 0 /);
    const listed = (await (await fetch(`${running.url}/publications`)).json()) as { publications: { name: string }[] };
    expect(listed.publications.map((p) => p.name).sort()).toEqual(Object.keys(PUBLICATIONS).sort());
    for (const [name, text] of before) expect(await markdown(running.url, name)).toBe(text);
    // The store was read (so the proxy was in the path), no byte of a NetCDF-4 object was: the restore only asks
    // whether each source still is what was published (one HEAD per object, no body).
    expect(storeRequests().length).toBeGreaterThan(0);
    expect(dataRequests().filter((r) => r.method !== 'HEAD' || r.bytes > 0)).toEqual([]);
    const heads = dataRequests().map((r) => r.path).sort();
    expect(new Set(heads).size).toBe(heads.length);
    proxy.reset();

    // One level of one time of the 4-D field: chunk [2, 0, 0, 0] (1 × 10 × 83 × 83), no other chunk.
    const description = (await (await fetch(`${running.url}/publications/colpex`)).json()) as { cubes: { var_name?: string }[] };
    const index = description.cubes.findIndex((c) => c.var_name === 'air_potential_temperature');
    expect(index).toBeGreaterThanOrEqual(0);
    const res = await fetch(`${running.url}/publications/colpex/cubes/${index}/data?sel=2,0,:,:&format=json`);
    expect(res.status).toBe(200);
    const { values } = (await res.json()) as { values: number[][] | number[] };

    const local = await openHdf5(bufferReader(new Uint8Array(await readFile(OBJECTS['colpex.nc'])), OBJECTS['colpex.nc']));
    const field = (await local.get('/air_potential_temperature')) as Hdf5Dataset;
    expect(Array.from((values as number[][]).flat(), (v) => Math.fround(v))).toEqual(Array.from((await field.read({ start: [2, 0, 0, 0], count: [1, 1, 83, 83] })) as Float32Array));

    const chunks = await field.chunksFor();
    const wanted = chunks.find((c) => c.coords[0] === 2)!;
    const read = dataRequests();
    expect(new Set(read.map((r) => r.path))).toEqual(new Set([`/${s3.bucket}/nc4/colpex.nc`]));
    const ranges = read.map((r) => r.range!);
    expect(ranges.every((r) => r !== undefined)).toBe(true);
    // The chunk is fetched whole...
    expect(ranges.some(([first, last]) => first <= wanted.offset && last >= wanted.offset + wanted.size - 1)).toBe(true);
    // ...and no byte of another chunk, beyond what the 64 KiB read at open (object headers) happens to hold.
    for (const other of chunks.filter((c) => c !== wanted)) {
      for (const [first, last] of ranges) {
        const overlap = Math.min(last, other.offset + other.size - 1) - Math.max(first, other.offset, READ_AHEAD) + 1;
        expect(overlap, `bytes of chunk [${other.coords.join(', ')}] read`).toBeLessThanOrEqual(0);
      }
    }
    const total = read.reduce((n, r) => n + r.bytes, 0);
    expect(total).toBeLessThan(wanted.size + READ_AHEAD + 16 * 4096);
  }, 180_000);
});
