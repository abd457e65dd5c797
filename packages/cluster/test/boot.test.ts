import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { keysFor } from '@cubemark/cluster';
import { documentAs, request } from './helpers/cluster.js';
import { eventually, type ReplicaProc } from './helpers/processes.js';
import { clusterForTests } from './helpers/test-cluster.js';

const keys = keysFor();
const COUNT = 300;

describe('boot with several replicas (a real redis-server, a store of 300 files)', { timeout: 120_000 }, () => {
  const cluster = clusterForTests('cubemark-cluster-boot-', {
    dataBase: false,
    async prepare(store) {
      for (let i = 0; i < COUNT; i++) {
        const name = `pub-${String(i).padStart(3, '0')}`;
        await writeFile(join(store, `${name}.cube.md`), await documentAs('units', name, `title ${i}`));
      }
    },
  });

  const listed = (r: ReplicaProc) =>
    eventually(async () => {
      const { body } = await request(`${r.url}/publications`);
      const pubs = (body as { publications: { name: string; state: string }[] }).publications.filter((p) => p.state === 'ready');
      return pubs.length === COUNT ? pubs : undefined;
    }, 60_000, `${r.url} listing all ${COUNT} publications`);

  test('replicas started together over an empty Redis: one refreshes the registry from the store, every one lists it all', async () => {
    const replicas = await cluster.startReplicas(3);
    for (const r of replicas) await listed(r);
    await Promise.any(replicas.map((r) => r.seen(/refreshed the registry/)));
    // Exactly one replica wrote the publications into Redis; any other refresh found them unchanged.
    const added = replicas.map((r) => /(\d+) added/.exec(r.output())?.[1]).filter((n) => n !== undefined && n !== '0');
    expect(added).toEqual([String(COUNT)]);
    expect(await cluster.client.hlen(keys.meta)).toBe(COUNT);
    // A name is served by a replica that did not read it from the store: its model is built on demand from Redis.
    for (const r of replicas) expect((await request(`${r.url}/publications/pub-123`)).status).toBe(200);
  });

  test('a replica that died holding the refresh lease loses it when it expires; the next replica refreshes then', async () => {
    await Promise.all(cluster.replicas.splice(0).map((r) => r.kill()));
    await cluster.client.flushall();
    // What a replica killed during its refresh leaves: the lease, expiring.
    await cluster.client.set(keys.lease, 'dead-replica:1', 'PX', 3000);
    const [late] = (await cluster.startReplicas(1)) as [ReplicaProc];
    // It listens at once, serving (nothing yet), and refreshes once the lease has expired.
    expect((await request(`${late.url}/publications`)).status).toBe(200);
    await listed(late);
    await late.seen(new RegExp(`${COUNT} added`));
  });
});
