import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { IRIS_DATA, documentAs, publish } from './helpers/cluster.js';
import { startRedis, startReplica, startWorker, type Proc, type RedisProc, type ReplicaProc } from './helpers/processes.js';

describe('a worker reads only under its own data roots (a real redis-server, a replica, a worker)', { timeout: 120_000 }, () => {
  let redis: RedisProc;
  let store: string;
  let elsewhere: string;
  let replica: ReplicaProc;
  let worker: Proc;

  beforeAll(async () => {
    store = await mkdtemp(join(tmpdir(), 'cubemark-cluster-policy-'));
    elsewhere = await mkdtemp(join(tmpdir(), 'cubemark-cluster-elsewhere-'));
    redis = await startRedis();
    replica = await startReplica(redis.url, store, ['--data-base', IRIS_DATA]);
    expect((await publish(replica.url, await documentAs('small_theta_colpex', 'colpex'))).status).toBe(201);
    // The replica may read the Iris files; this worker is confined to another folder.
    worker = await startWorker(redis.url, ['--store', store, '--data-base', IRIS_DATA, '--data-root', elsewhere, '--concurrency', '1']);
  });

  afterAll(async () => {
    await Promise.all([replica, worker].filter(Boolean).map((p) => p.stop()));
    await redis?.stop();
    await rm(store, { recursive: true, force: true });
    await rm(elsewhere, { recursive: true, force: true });
  });

  test('a map the worker is asked for, of data outside its roots, is refused with SOURCE_NOT_ALLOWED, not drawn', async () => {
    const response = await fetch(`${replica.url}/publications/colpex/cubes/0/plot.png?sel=0,0,:,:`);
    const body = (await response.json()) as { code: string; message: string };
    expect(response.status).toBe(403);
    expect(body.code).toBe('SOURCE_NOT_ALLOWED');
    expect(body.message).toContain(elsewhere);
    expect(worker.output()).toMatch(/waiting for jobs/);
  });
});
