import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { documentAs, publish, request } from './helpers/cluster.js';
import { eventually, startRedis, type ReplicaProc } from './helpers/processes.js';
import { clusterForTests } from './helpers/test-cluster.js';

describe('persist across the cluster (a real redis-server, two replicas, then a restart of everything)', { timeout: 180_000 }, () => {
  const cluster = clusterForTests('cubemark-cluster-persist-', { replicas: 2 });

  const residentOn = (r: ReplicaProc, name: string) =>
    eventually(async () => {
      const { body } = await request(`${r.url}/resident`);
      const entry = (body as { publications: { name: string; bytes: number }[] }).publications.find((p) => p.name === name);
      return entry && entry.bytes > 0 ? entry.bytes : undefined;
    }, 60_000, `'${name}' resident on ${r.url}`);

  test('persisted on one replica: read into every replica; after a restart of Redis and every replica, persisted again', async () => {
    const [a, b] = cluster.replicas as [ReplicaProc, ReplicaProc];
    expect((await publish(a.url, await documentAs('small_theta_colpex', 'colpex'))).status).toBe(201);
    expect((await publish(a.url, await documentAs('units', 'not-persisted'))).status).toBe(201);
    const persisted = await request(`${a.url}/publications/colpex/persist`, { method: 'POST' });
    expect(persisted.status).toBe(200);
    const bytes = (persisted.body as { bytes: number }).bytes;
    expect(await residentOn(b, 'colpex')).toBe(bytes);
    expect(JSON.parse(await readFile(join(cluster.store, '.cubemark', 'state.json'), 'utf8'))).toEqual({ version: 1, persisted: ['colpex'] });

    // Everything stops; Redis comes back empty; the replicas come back: the store has it all.
    await Promise.all(cluster.replicas.splice(0).map((r) => r.kill()));
    await cluster.redis.kill();
    cluster.redis = await startRedis(cluster.redis.port);
    const replicas = await cluster.startReplicas(2);
    for (const r of replicas) expect(await residentOn(r, 'colpex')).toBe(bytes);
    const { body } = await request(`${replicas[0]!.url}/resident`);
    expect((body as { publications: { name: string }[] }).publications.map((p) => p.name)).toEqual(['colpex']);

    // Unpublished: no longer persisted anywhere, nor in the store's state.
    expect((await request(`${replicas[1]!.url}/publications/colpex`, { method: 'DELETE' })).status).toBe(200);
    await eventually(async () => (JSON.parse(await readFile(join(cluster.store, '.cubemark', 'state.json'), 'utf8')).persisted.length === 0 ? true : undefined));
  });
});
