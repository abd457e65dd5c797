import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keysFor } from '@cubemark/cluster';
import { documentAs, request } from './helpers/cluster.js';
import { eventually, startRedis, startReplica, type RedisProc, type ReplicaProc } from './helpers/processes.js';

const keys = keysFor();
const COUNT = 300;

describe('boot with several replicas (a real redis-server, a store of 300 files)', { timeout: 120_000 }, () => {
  let redis: RedisProc;
  let client: Redis;
  let store: string;
  const running: ReplicaProc[] = [];

  beforeAll(async () => {
    store = await mkdtemp(join(tmpdir(), 'cubemark-cluster-boot-'));
    for (let i = 0; i < COUNT; i++) {
      const name = `pub-${String(i).padStart(3, '0')}`;
      await writeFile(join(store, `${name}.cube.md`), await documentAs('units', name, `title ${i}`));
    }
    redis = await startRedis();
    client = new Redis(redis.url);
  });

  afterAll(async () => {
    await Promise.all(running.map((r) => r.stop()));
    client?.disconnect();
    await redis?.stop();
    await rm(store, { recursive: true, force: true });
  });

  const listed = (r: ReplicaProc) =>
    eventually(async () => {
      const { body } = await request(`${r.url}/publications`);
      const pubs = (body as { publications: { name: string; state: string }[] }).publications.filter((p) => p.state === 'ready');
      return pubs.length === COUNT ? pubs : undefined;
    }, 60_000, `${r.url} listing all ${COUNT} publications`);

  test('replicas started together over an empty Redis: one refreshes the registry from the store, every one lists it all', async () => {
    const replicas = await Promise.all([0, 1, 2].map(() => startReplica(redis.url, store)));
    running.push(...replicas);
    for (const r of replicas) await listed(r);
    await Promise.any(replicas.map((r) => r.seen(/refreshed the registry/)));
    // Exactly one replica wrote the publications into Redis; any other refresh found them unchanged.
    const added = replicas.map((r) => /(\d+) added/.exec(r.output())?.[1]).filter((n) => n !== undefined && n !== '0');
    expect(added).toEqual([String(COUNT)]);
    expect(await client.hlen(keys.meta)).toBe(COUNT);
    // A name is served by a replica that did not read it from the store: its model is built on demand from Redis.
    for (const r of replicas) expect((await request(`${r.url}/publications/pub-123`)).status).toBe(200);
  });

  test('a replica that died holding the refresh lease loses it when it expires; the next replica refreshes then', async () => {
    await Promise.all(running.splice(0).map((r) => r.kill()));
    await client.flushall();
    // What a replica killed during its refresh leaves: the lease, expiring.
    await client.set(keys.lease, 'dead-replica:1', 'PX', 3000);
    const late = await startReplica(redis.url, store);
    running.push(late);
    // It listens at once, serving (nothing yet), and refreshes once the lease has expired.
    expect((await request(`${late.url}/publications`)).status).toBe(200);
    await listed(late);
    await late.seen(new RegExp(`${COUNT} added`));
  });
});
