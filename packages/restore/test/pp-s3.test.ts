/**
 * UM PP data from S3, end to end, in real scheduler processes: published from an s3:// URI (headers read by
 * range), the process killed with SIGKILL, a new process restores it from its `.cube.md` and plots a field.
 */
import { readFile } from 'node:fs/promises';
import { parse } from '@cubemark/format';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startS3Server, type S3TestServer } from '../../cube/test/helpers/s3-server.js';
import { folderPerTest } from './helpers/folder.js';
import { startServer, type ServerProcess } from './helpers/process.js';

const COLPEX = '/work/shared/data/iris-test-data/PP/COLPEX/small_colpex_theta_p_alt.pp';
let s3: S3TestServer;
let store: string;
let running: ServerProcess | undefined;

beforeAll(async () => {
  s3 = await startS3Server();
  await s3.put('runs/colpex.pp', COLPEX);
});
afterAll(async () => {
  await s3?.stop();
});
folderPerTest('cubemark-pp-s3-', (dir) => (store = dir), async () => {
  await running?.kill();
  running = undefined;
});

test('PP from S3 publishes, survives kill -9, restores and plots', async () => {
  running = await startServer(store, { env: s3.env, allowUrls: [s3.uri('')] });
  const published = await fetch(`${running.url}/publications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'colpex', sources: [s3.uri('runs/colpex.pp')] }),
  });
  expect(published.status).toBe(201);
  const written = parse(await readFile(`${store}/colpex.cube.md`)).publication!;
  expect(written.sources).toMatchObject([{ uri: s3.uri('runs/colpex.pp') }]);
  expect(written.cubes.map((c) => c.data)).toEqual(written.cubes.map(() => expect.objectContaining({ format: 'pp', source: 0 })));

  await running.kill();
  running = await startServer(store, { env: s3.env, allowUrls: [s3.uri('')] });
  expect(await running.restored).toMatch(/^restored 1 quarantined 0 /);
  const plot = await fetch(`${running.url}/publications/colpex/cubes/0/plot.png?sel=5,9,:,:&width=500`);
  expect(plot.status, await plot.clone().text()).toBe(200);
  expect(plot.headers.get('content-type')).toBe('image/png');
  const png = new Uint8Array(await plot.arrayBuffer());
  expect([...png.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  const data = await fetch(`${running.url}/publications/colpex/cubes/2/data?sel=40,:&format=json`);
  expect(data.status, await data.clone().text()).toBe(200);
  // surface_altitude: metres above sea level along a row of the COLPEX domain.
  const row = (await data.json()) as { values: number[] };
  expect(row.values).toHaveLength(83);
  expect(Math.max(...row.values)).toBeLessThan(2000);
});
