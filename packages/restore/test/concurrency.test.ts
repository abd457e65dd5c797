import { request as httpRequest } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serialize } from '@cubemark/format';
import { createScheduler, createServer, type SchedulerPlugin, type SchedulerServer } from '@cubemark/scheduler';
import { describe, expect, test } from 'vitest';
import { createRestorePlugin, type RestorePlugin } from '@cubemark/restore';
import { folderPerTest } from './helpers/folder.js';
import { makePublication } from './helpers/publications.js';

/**
 * 100 clients, each on its own connection, publish, replace and unpublish one name at once. The scheduler runs
 * them one at a time in some order; the recorder plugin (after the restore plugin, under the name's lock) sees that
 * order. Whatever it was, the store must end with the version of the last operation applied, whole, and the server
 * must serve that same version, before and after a restart.
 */

const TOKEN = 'concurrency-token-0123456';
const quiet = { info() {}, warn() {}, error() {} };
const NAME = 'contested';

let store: string;
folderPerTest('cubemark-concurrency-', (dir) => {
  store = join(dir, 'publications');
});

type Applied = { op: 'publish'; title: string } | { op: 'unpublish' };

async function serve(applied: Applied[]): Promise<{ server: SchedulerServer; url: string; plugin: RestorePlugin }> {
  const plugin = createRestorePlugin({ store, threads: 0, progress: false });
  const recorder: SchedulerPlugin = {
    name: 'recorder',
    publish: (e) => void (e.origin === 'client' && !e.rollback && applied.push({ op: 'publish', title: e.index.title ?? '' })),
    unpublish: (e) => void (e.origin === 'client' && !e.rollback && applied.push({ op: 'unpublish' })),
  };
  const scheduler = createScheduler({ plugins: [plugin, recorder], dataBase: store, log: quiet });
  const server = await createServer(scheduler, { token: TOKEN });
  return { server, url: await server.listen({ port: 0, host: '127.0.0.1' }), plugin };
}

const documentOf = (i: number) => serialize(makePublication(NAME, { inlineData: true, sources: [], seed: i, cubes: 3, title: `version ${i}` }));

/** One request on a connection of its own (no keep-alive pool shared between the clients). */
function send(url: string, method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port, method, path, agent: false, headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined && { 'content-type': 'text/markdown' }) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('100 concurrent publishes, replaces and unpublishes of one name', () => {
  test('the store ends with the last applied version, whole; the server serves it, before and after a restart', async () => {
    const applied: Applied[] = [];
    const { server, url } = await serve(applied);
    // 40 publishes (409 once the name exists), 40 replaces, 20 unpublishes (404 when it is gone), all at once.
    const ops = Array.from({ length: 100 }, (_, i) => {
      if (i % 5 === 4) return send(url, 'DELETE', `/publications/${NAME}`);
      return send(url, 'POST', `/publications${i % 5 < 2 ? '' : '?replace=true'}`, documentOf(i));
    });
    const statuses = (await Promise.all(ops)).map((r) => r.status);
    // Every answer is one of the expected ones: created, replaced, exists, unpublished, not found.
    for (const s of statuses) expect([200, 201, 404, 409]).toContain(s);
    const acknowledged = statuses.filter((s) => s === 200 || s === 201).length;
    expect(applied.length).toBe(acknowledged);
    expect(applied.filter((a) => a.op === 'publish').length).toBeGreaterThan(10);

    const last = applied.at(-1)!;
    const counts = [...new Set(statuses)].sort().map((s) => `${statuses.filter((x) => x === s).length}×${s}`).join(', ');
    process.stderr.write(`figures: 100 concurrent writes of one name: ${counts}; ${applied.length} applied, last ${last.op}; store and server agree\n`);
    const served = await fetch(`${url}/publications/${NAME}.md`);
    const file = await readFile(join(store, `${NAME}.cube.md`), 'utf8').catch(() => undefined);
    if (last.op === 'unpublish') {
      expect(served.status).toBe(404);
      expect(file).toBeUndefined();
    } else {
      const version = Number(last.title.replace('version ', ''));
      expect(file).toBe(documentOf(version));
      expect(await served.text()).toBe(documentOf(version));
    }
    await server.close();

    const { server: again, url: url2, plugin } = await serve([]);
    try {
      await plugin.restored();
      const restarted = await fetch(`${url2}/publications/${NAME}.md`);
      if (last.op === 'unpublish') expect(restarted.status).toBe(404);
      else expect(await restarted.text()).toBe(file);
    } finally {
      await again.close();
    }
  });
});
