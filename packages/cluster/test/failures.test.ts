import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from '@cubemark/format';
import { documentAs, names, publish, request, titleOn } from './helpers/cluster.js';
import { eventually, spawnCubemark, startRedis, type ReplicaProc } from './helpers/processes.js';
import { clusterForTests } from './helpers/test-cluster.js';

describe('failures (a real redis-server killed and restarted, replicas killed with -9)', { timeout: 180_000 }, () => {
  const cluster = clusterForTests('cubemark-cluster-failures-', { replicas: 3 });

  const exists = (path: string) => access(path).then(() => true, () => false);

  test('Redis killed: replicas serve what they know and the store; publishes answer 503, nothing written; Redis back: resync without restart', async () => {
    const [a, b, c] = cluster.replicas as [ReplicaProc, ReplicaProc, ReplicaProc];
    for (const name of ['kept-1', 'kept-2']) expect((await publish(a.url, await documentAs('small_theta_colpex', name))).status).toBe(201);
    await eventually(async () => ((await names(c.url)).includes('kept-2') ? true : undefined));
    // b reads kept-1 once (its text is then held); kept-2's text it never read: that comes from the store.
    expect((await request(`${b.url}/publications/kept-1`)).status).toBe(200);

    await cluster.redis.kill();
    // Every replica's change feed notices (a read in flight is not left waiting on a connection that is gone).
    for (const r of cluster.replicas) await r.seen(/lost Redis at redis:\/\/127\.0\.0\.1:\d+ \(/);
    for (const r of cluster.replicas) {
      expect(await names(r.url)).toEqual(['kept-1', 'kept-2']);
      const data = await request(`${r.url}/publications/kept-2/cubes/0/data?sel=0,0,0,0:3&format=json`);
      expect(data.status).toBe(200);
      expect((await request(`${r.url}/publications/kept-1/cubes/0/plot.png?sel=0,0,:,:`)).status).toBe(200);
    }
    const refused = await publish(b.url, await documentAs('units', 'during-outage'));
    expect(refused.status).toBe(503);
    expect((refused.body as { code: string; message: string }).code).toBe('REGISTRY_FAILED');
    expect((refused.body as { message: string }).message).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+\) cannot be reached/);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await exists(join(cluster.store, 'during-outage.cube.md'))).toBe(false);
    expect((await request(`${c.url}/publications/kept-1`, { method: 'DELETE' })).status).toBe(503);
    expect(await exists(join(cluster.store, 'kept-1.cube.md'))).toBe(true);
    const status = spawnCubemark(['status', '--server', a.url]);
    await status.exited;
    expect(status.output()).toMatch(/unreachable: serving what this replica knows/);

    // Redis comes back empty (no persistence): the replicas notice, one refreshes the registry from the store.
    cluster.redis = await startRedis(cluster.redis.port);
    await eventually(async () => ((await publish(b.url, await documentAs('units', 'after-outage'))).status === 201 ? true : undefined), 30_000, 'a publish accepted again');
    for (const r of cluster.replicas) {
      await eventually(async () => {
        const listed = await names(r.url);
        return ['after-outage', 'kept-1', 'kept-2'].every((n) => listed.includes(n)) ? true : undefined;
      }, 30_000, `${r.url} listing everything again`);
    }
    expect((await publish(c.url, await documentAs('units', 'after-outage'))).status).toBe(409);
  });

  test('a replica killed with -9 in the middle of publishes: the others serve everything; the store, the registry and the replicas agree', async () => {
    const [a, b, c] = cluster.replicas as [ReplicaProc, ReplicaProc, ReplicaProc];
    // Publishes to a, without waiting, and a killed while they are in flight.
    const sent = Array.from({ length: 12 }, (_, i) => `inflight-${i}`);
    const answers = sent.map(async (name) => publish(a.url, await documentAs('units', name, `${name} v1`)).catch(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await a.kill();
    const acknowledged = (await Promise.all(answers)).flatMap((x, i) => (x?.status === 201 ? [sent[i]!] : []));
    cluster.replicas = [b, c];
    // Every acknowledged publish is served by the others; then each name is published again (replacing) on b:
    // names whose lock the dead replica held wait for its expiry, and a write it left half done is repaired first.
    for (const name of acknowledged) expect(await eventually(() => titleOn(c.url, name))).toBe(`${name} v1`);
    await Promise.all(sent.map(async (name) => expect([200, 201]).toContain((await publish(b.url, await documentAs('units', name, `${name} v2`), true)).status)));
    for (const name of sent) {
      const file = parse(await readFile(join(cluster.store, `${name}.cube.md`))).publication!;
      expect(file.title).toBe(`${name} v2`);
      for (const r of cluster.replicas) expect(await eventually(async () => ((await titleOn(r.url, name)) === `${name} v2` ? true : undefined))).toBe(true);
    }
    // The killed replica is no longer listed once its heartbeats stop.
    await eventually(async () => {
      const s = (await request(`${b.url}/cluster/status`)).body as { replicas: unknown[] };
      return s.replicas.length === 2 ? true : undefined;
    }, 30_000, 'the killed replica leaving the status');
  });
});
