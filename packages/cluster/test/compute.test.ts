import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Queue } from 'bullmq';
import { keysFor } from '@cubemark/cluster';
import { createScheduler, createServer, type SchedulerServer } from '@cubemark/scheduler';
import { COMPUTE_QUEUE } from '../src/compute/jobs.js';
import { IRIS_DATA, documentAs, publish } from './helpers/cluster.js';
import { eventually, startRedis, startReplica, startWorker, type Proc, type RedisProc, type ReplicaProc } from './helpers/processes.js';

const PLOT = '/publications/colpex/cubes/0/plot.png?sel=0,0,:,:';
const MEAN = '/publications/colpex/cubes/0/collapsed?coords=time&op=mean&sel=:,0:3,:,:';
const UNIFIED = '/publications/colpex/unified/air_potential_temperature/data?sel=0,0,0:5,0:5&format=json';
/** A map large enough to take a while to draw (a worker is killed while it draws it). */
const SLOW_PLOT = '/publications/colpex/cubes/0/plot.png?sel=1,2,:,:&width=3000&height=3000';

describe('compute workers on BullMQ (a real redis-server, two replicas, worker processes)', { timeout: 120_000 }, () => {
  let redis: RedisProc;
  let store: string;
  let a: ReplicaProc;
  let b: ReplicaProc;
  const workers: Proc[] = [];
  /** The same publication in this process, without any cluster: what every answer must equal. */
  let reference: SchedulerServer;

  beforeAll(async () => {
    store = await mkdtemp(join(tmpdir(), 'cubemark-cluster-compute-'));
    redis = await startRedis();
    [a, b] = await Promise.all([0, 1].map(() => startReplica(redis.url, store, ['--data-base', IRIS_DATA]))) as [ReplicaProc, ReplicaProc];
    const text = await documentAs('small_theta_colpex', 'colpex');
    expect((await publish(a.url, text)).status).toBe(201);
    const scheduler = createScheduler({ dataBase: IRIS_DATA });
    reference = await createServer(scheduler);
    await scheduler.start();
    await scheduler.publish('colpex', text);
  });

  afterAll(async () => {
    await Promise.all([a, b, ...workers].filter(Boolean).map((p) => p.stop()));
    await reference?.close();
    await redis?.stop();
    await rm(store, { recursive: true, force: true });
  });

  const expected = async (url: string) => (await reference.app.inject({ method: 'GET', url })).rawPayload;

  const get = async (base: string, url: string) => {
    const response = await fetch(`${base}${url}`);
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  };

  test('no worker running: computed in the replica, as without a cluster, and cached for every replica', async () => {
    const first = await get(a.url, PLOT);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cubemark-computed-by')).toBe('replica');
    expect(first.body.equals(await expected(PLOT))).toBe(true);
    // Another replica, the same request: from the cache, the same bytes.
    const again = await get(b.url, PLOT);
    expect(again.headers.get('x-cubemark-cache')).toBe('hit');
    expect(again.body.equals(first.body)).toBe(true);
    // Small slices are read by the route itself, never queued nor cached.
    const small = await get(a.url, '/publications/colpex/cubes/0/data?sel=0,0,0,0:4');
    expect(small.status).toBe(200);
    expect(small.headers.get('x-cubemark-cache')).toBeNull();
  });

  test('with workers: maps, reductions and unified views are computed by a worker, identical to in-process', async () => {
    workers.push(...(await Promise.all([0, 1].map(() => startWorker(redis.url, ['--store', store, '--data-base', IRIS_DATA, '--concurrency', '1'])))));
    // The replicas count workers by their heartbeats, refreshed every second.
    for (const url of [MEAN, UNIFIED, PLOT.replace('sel=0,0', 'sel=3,4')]) {
      const answer = await eventually(async () => {
        const got = await get(a.url, url);
        return got.headers.get('x-cubemark-computed-by')?.includes(':') ? got : undefined;
      }, 20_000, `${url} computed by a worker`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-cubemark-job')).toMatch(/^\d+$/);
      expect(answer.body.equals(await expected(url))).toBe(true);
      if (url === MEAN) {
        // A reduction reports its progress (chunks done of all) on its job, which `cubemark status` shows.
        const queue = new Queue(COMPUTE_QUEUE, { connection: { host: '127.0.0.1', port: redis.port }, prefix: keysFor().bull });
        const job = await queue.getJob(answer.headers.get('x-cubemark-job')!);
        await queue.close();
        const progress = job!.progress as { done: number; total: number };
        expect(progress.total).toBeGreaterThan(0);
        expect(progress.done).toBeLessThanOrEqual(progress.total);
      }
      const hit = await get(b.url, url);
      expect(hit.headers.get('x-cubemark-cache')).toBe('hit');
      expect(hit.body.equals(answer.body)).toBe(true);
    }
    // A request the route refuses is refused the same way through a worker (and not cached).
    const bad = await get(a.url, '/publications/colpex/cubes/0/plot.png?sel=0,:,:,:');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body.toString()).code).toBe('BAD_SELECTION');
  });

  test('a worker killed mid-job: the job is retried on another worker, and the answer is identical', async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    const first = await startWorker(redis.url, ['--store', store, '--data-base', IRIS_DATA, '--concurrency', '1', '--lock-ms', '6000']);
    workers.push(first);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // the replicas' worker count follows heartbeats
    const answer = get(a.url, SLOW_PLOT);
    await first.seen(/job \d+ started: plot/);
    await first.kill();
    const second = await startWorker(redis.url, ['--store', store, '--data-base', IRIS_DATA, '--concurrency', '1', '--lock-ms', '6000']);
    workers.push(second);
    const got = await answer;
    expect(got.status).toBe(200);
    expect(got.headers.get('x-cubemark-computed-by')).not.toBe('replica');
    await second.seen(/job \d+ done: 200/);
    expect(first.output()).not.toMatch(/job \d+ done/);
    expect(got.body.equals(await expected(SLOW_PLOT))).toBe(true);
  });
});
