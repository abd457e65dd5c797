/** The cluster one `describe` of the cluster tests runs against: a store folder, a real redis-server, replicas. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { IRIS_DATA } from './cluster.js';
import { startRedis, startReplica, type RedisProc, type ReplicaProc } from './processes.js';

export interface TestClusterOptions {
  /** Replicas started before the tests (default: 0). */
  replicas?: number;
  /** Replicas resolve relative sources against the iris-test-data (`--data-base`; default: true). */
  dataBase?: boolean;
  /** Fills the store before Redis and the replicas start. */
  prepare?(store: string): Promise<void>;
}

/**
 * What the tests hold of their cluster. A test that restarts Redis or starts and kills replicas keeps `redis` and
 * `replicas` up to date: whatever they hold after the tests is stopped.
 */
export class TestCluster {
  store!: string;
  redis!: RedisProc;
  replicas: ReplicaProc[] = [];
  private redisClient?: Redis;

  constructor(private readonly options: TestClusterOptions) {}

  /** An ioredis client of `redis`, made on first use. */
  get client(): Redis {
    this.redisClient ??= new Redis(this.redis.url);
    return this.redisClient;
  }

  /** Starts `count` more replicas (`cubemark serve --redis`) on the store, adds them to `replicas` and returns them. */
  async startReplicas(count: number): Promise<ReplicaProc[]> {
    const extra = this.options.dataBase === false ? [] : ['--data-base', IRIS_DATA];
    const started = await Promise.all(Array.from({ length: count }, () => startReplica(this.redis.url, this.store, extra)));
    this.replicas.push(...started);
    return started;
  }

  /** Makes the store (filled by `prepare`), then starts Redis and the first replicas. */
  async start(prefix: string): Promise<void> {
    this.store = await mkdtemp(join(tmpdir(), prefix));
    await this.options.prepare?.(this.store);
    this.redis = await startRedis();
    await this.startReplicas(this.options.replicas ?? 0);
  }

  /** Stops the replicas, the client and Redis, and removes the store (after a start that failed part way too). */
  async stop(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.stop()));
    this.redisClient?.disconnect();
    await this.redis?.stop();
    if (this.store) await rm(this.store, { recursive: true, force: true });
  }
}

/** A `TestCluster` started before the tests of the `describe` this is called in, and stopped after them. */
export function clusterForTests(prefix: string, options: TestClusterOptions = {}): TestCluster {
  const cluster = new TestCluster(options);
  beforeAll(() => cluster.start(prefix));
  afterAll(() => cluster.stop());
  return cluster;
}
