import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { document, field4d } from '../helpers/publications.js';
import { errorOf, startServer, type Running } from '../helpers/server.js';

/** The three probes of issue 12 ("Why"), and their relatives, against a server confined to one data root. */

const TOKEN = 'sources-token';
let dir: string;
let root: string;
let elsewhere: string;
let srv: Running;
/** A loopback HTTP server holding a real NetCDF file; counts every request it gets. */
let http: Server;
let httpUrl: string;
let httpRequests = 0;

const publish = (body: unknown) =>
  srv.call('/publications', { method: 'POST', auth: true, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cubemark-confined-'));
  root = join(dir, 'root');
  elsewhere = join(dir, 'elsewhere');
  const { path } = await field4d();
  await import('node:fs/promises').then((fs) => Promise.all([fs.mkdir(root), fs.mkdir(elsewhere)]));
  await copyFile(path, join(root, 'field4d.nc'));
  await copyFile(path, join(elsewhere, 'anything.nc'));
  http = createServer((req, res) => {
    httpRequests++;
    res.writeHead(404).end();
  });
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  srv = await startServer({ token: TOKEN, dataBase: root, sourcePolicy: { roots: [root] } });
});

afterAll(async () => {
  await srv?.close();
  await new Promise((done) => http.close(done));
  await rm(dir, { recursive: true, force: true });
});

/** Every byte of an answer, as text, to look for leaked file content. */
async function refused(response: Response, status: number, code: string): Promise<string> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(JSON.parse(text).code).toBe(code);
  return text;
}

describe('a server confined to its data roots', () => {
  test('publish p /etc/passwd: SOURCE_NOT_ALLOWED, and not one byte of the file in the answer', async () => {
    const text = await refused(await publish({ name: 'p', sources: ['/etc/passwd'] }), 403, 'SOURCE_NOT_ALLOWED');
    expect(text).toContain('/etc/passwd');
    expect(text).toContain('--data-root');
    expect(text).not.toMatch(/72 6f 6f 74|root:x|FORMAT_NOT_DETECTED/);
    // ../ from the data base climbs out just the same.
    await refused(await publish({ name: 'p', sources: ['../../../../etc/passwd'] }), 403, 'SOURCE_NOT_ALLOWED');
  });

  test('publish p /tmp/anything.nc (a real NetCDF file outside the roots): refused', async () => {
    const text = await refused(await publish({ name: 'p', sources: [join(elsewhere, 'anything.nc')] }), 403, 'SOURCE_NOT_ALLOWED');
    expect(text).not.toMatch(/CDF|field4d/);
    expect((await srv.call('/publications/p')).status).toBe(404);
  });

  test('publish p http://127.0.0.1:PORT/x.nc: refused without a request, as the metadata address is', async () => {
    await refused(await publish({ name: 'p', sources: [`${httpUrl}/x.nc`] }), 403, 'SOURCE_NOT_ALLOWED');
    await refused(await publish({ name: 'p', sources: ['http://169.254.169.254/latest/meta-data/x.nc'] }), 403, 'SOURCE_NOT_ALLOWED');
    await refused(await publish({ name: 'p', sources: ['s3://bucket/x.nc'] }), 403, 'SOURCE_NOT_ALLOWED');
    expect(httpRequests).toBe(0);
  });

  test('a .cube.md document whose sources lie outside the roots is refused at publish', async () => {
    const { publication } = await field4d('doc');
    publication.sources = [{ uri: join(elsewhere, 'anything.nc') }];
    const response = await srv.call('/publications', { method: 'POST', auth: true, headers: { 'content-type': 'text/markdown' }, body: document(publication) });
    await refused(response, 403, 'SOURCE_NOT_ALLOWED');
  });

  test('a source URI with credentials is refused and the secret is not echoed', async () => {
    const text = await refused(await publish({ name: 'p', sources: ['https://alice:hunter2@data.example.org/x.nc'] }), 400, 'CREDENTIALS_IN_URI');
    expect(text).not.toContain('hunter2');
    await refused(await publish({ name: 'p', sources: ['https://data.example.org/x.nc?X-Amz-Signature=abc'] }), 400, 'CREDENTIALS_IN_URI');
  });

  test('a file under the root publishes, by absolute and relative path, and its data is served', async () => {
    const response = await publish({ name: 'inside', sources: ['field4d.nc'] });
    expect(response.status, await response.clone().text()).toBe(201);
    const described = (await (await srv.call('/publications/inside')).json()) as { cubes: { index: number; shape: number[] }[] };
    const field = described.cubes.find((c) => c.shape.length === 4);
    expect(field).toBeDefined();
    const data = await srv.call(`/publications/inside/cubes/${field?.index}/data?sel=0,0,0,:&format=json`);
    expect(data.status, await data.clone().text()).toBe(200);
    expect(((await data.json()) as { values: unknown[] }).values).toHaveLength(12);
    expect((await publish({ name: 'inside2', sources: [join(root, 'field4d.nc')] })).status).toBe(201);
  });

  test('with the loopback server named in an allowed URL, the same publish reaches it', async () => {
    const open = await startServer({ token: TOKEN, sourcePolicy: { roots: [root], allowUrls: [`${httpUrl}/`] } });
    try {
      const response = await open.call('/publications', { method: 'POST', auth: true, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'p', sources: [`${httpUrl}/x.nc`] }) });
      // The server answers 404: the request went out, and the failure is the load's, not the policy's.
      expect((await errorOf(response)).code).toBe('LOAD_FAILED');
      expect(httpRequests).toBeGreaterThan(0);
    } finally {
      await open.close();
    }
  });
});
