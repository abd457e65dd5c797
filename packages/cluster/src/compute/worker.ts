import { availableParallelism } from 'node:os';
import { Worker, type Job } from 'bullmq';
import { computeHere, createScheduler, createServer, defaultSourcePolicy, type Logger, type SchedulerServer } from '@cubemark/scheduler';
import { createCluster, type Cluster, type ClusterOptions } from '../cluster.js';
import { close, connect } from '../redis/connection.js';
import { Heartbeat } from '../status/members.js';
import { ResultCache } from './cache.js';
import { COMPUTE_QUEUE, type ComputeJob, type ComputeJobResult } from './jobs.js';

/** A job's progress goes to Redis at most this often. */
const PROGRESS_EVERY_MS = 250;

export interface WorkerOptions extends ClusterOptions {
  /** What relative data-source URIs resolve against (default: the store's folder, as for `serve`). */
  dataBase?: string;
  /** Folders the worker may read data under, as a replica's `--data-root` (default: the data base). */
  dataRoots?: readonly string[];
  /** URL prefixes the worker may read, as a replica's `--allow-url` (default: none, or a remote data base). */
  allowUrls?: readonly string[];
  /** Jobs at once (default: one per core). */
  concurrency?: number;
  /**
   * How long a job stays locked to this worker without a renewal (default: 30 s, BullMQ's): a worker killed mid-job
   * has its job taken by another once this has passed (BullMQ's stalled-job check, every half of it). It must be
   * longer than the longest synchronous stretch of a job (drawing a very large map).
   */
  lockMs?: number;
  /** Cache budget, as the replicas' (default: 256 MiB). */
  cacheBudget?: number;
}

/** A running compute worker. */
export interface ComputeWorker {
  readonly id: string;
  /** Jobs finished so far. */
  readonly jobs: number;
  close(): Promise<void>;
}

/**
 * A compute worker: a scheduler over the cluster's registry (read-only: no store plugin, no refresh) behind an
 * HTTP server that never listens, and a BullMQ worker that answers each job through that server's routes
 * (`computeHere`), so a worker's answer is exactly a replica's. Answers go to the result cache (or, too large or
 * failed, stay in Redis briefly for the server that waits).
 */
export async function startWorker(options: WorkerOptions): Promise<ComputeWorker> {
  const log: Logger = options.log ?? { info: (m) => process.stderr.write(`${m}\n`), warn: (m) => process.stderr.write(`warning: ${m}\n`), error: (m) => process.stderr.write(`error: ${m}\n`) };
  const cluster: Cluster = await createCluster({ ...options, log, role: 'worker' });
  const dataBase = options.dataBase ?? cluster.store.dataBase;
  // A worker reads what the replicas may read, and no more: the same roots and URL prefixes.
  const sourcePolicy = {
    ...defaultSourcePolicy(dataBase),
    ...(options.dataRoots?.length && { roots: [...options.dataRoots] }),
    ...(options.allowUrls?.length && { allowUrls: [...options.allowUrls] }),
  };
  const scheduler = createScheduler({ registry: cluster.registry, lock: cluster.lock, dataBase, log, sourcePolicy });
  let server: SchedulerServer | undefined;
  const blocking = connect(options.redis, 'blocking', `cubemark-worker-${cluster.id}`);
  const cache = new ResultCache(cluster.redis, cluster.keys, options.cacheBudget ?? 256 * 1024 * 1024);
  let jobs = 0;
  /** Jobs being computed, by URL, for their progress. */
  const active = new Map<string, { job: Job<ComputeJob, ComputeJobResult>; reported: number }>();
  const heartbeat = new Heartbeat(cluster.redis, cluster.keys, cluster.id, 'worker', () => ({ jobs }));
  try {
    await scheduler.start();
    // No offloading here (every job is computed through `computeHere`); the seam only hears a reduction's progress.
    server = await createServer(scheduler, {
      compute: {
        answer: async () => undefined,
        progress(url, done, total) {
          const running = active.get(url);
          if (!running || Date.now() - running.reported < PROGRESS_EVERY_MS) return;
          running.reported = Date.now();
          void running.job.updateProgress({ done, total }).catch(() => undefined);
        },
      },
    });
  } catch (error) {
    await scheduler.close();
    await cluster.close();
    blocking.disconnect();
    throw error;
  }
  const app = server.app;
  const lockMs = options.lockMs ?? 30_000;

  const worker = new Worker<ComputeJob, ComputeJobResult>(
    COMPUTE_QUEUE,
    async (job) => {
      const { name, version, url, accept, key } = job.data;
      log.info(`worker ${cluster.id}: job ${job.id} started: ${job.data.kind} ${url}`);
      // A publication this worker has not heard of yet (published a moment ago): give the change feed a moment.
      for (let i = 0; i < 50 && cluster.registry.metaOf(name)?.id !== version; i++) await new Promise((resolve) => setTimeout(resolve, 40));
      active.set(url, { job, reported: 0 });
      let answer;
      try {
        answer = await computeHere(app, url, accept);
      } finally {
        active.delete(url);
      }
      // An answer made from another version than asked for is not the asked-for version's: not cached.
      const stored = await cache.put(key, answer, cluster.registry.metaOf(name)?.id !== version);
      jobs += 1;
      log.info(`worker ${cluster.id}: job ${job.id} done: ${answer.status}, ${answer.body.byteLength} bytes, ${stored}`);
      return { key, stored, worker: cluster.id };
    },
    {
      connection: blocking,
      prefix: cluster.keys.bull,
      concurrency: options.concurrency ?? availableParallelism(),
      lockDuration: lockMs,
      stalledInterval: lockMs / 2,
      maxStalledCount: 2,
    },
  );
  worker.on('error', (error) => log.warn(`worker ${cluster.id}: ${error.message}`));
  await worker.waitUntilReady();
  heartbeat.start();
  log.info(`worker ${cluster.id} waiting for jobs (concurrency ${options.concurrency ?? availableParallelism()})`);

  let closing: Promise<void> | undefined;
  return {
    id: cluster.id,
    get jobs() {
      return jobs;
    },
    close() {
      closing ??= (async () => {
        await worker.close();
        await heartbeat.stop();
        await server?.close();
        await cluster.close();
        await close(blocking);
      })();
      return closing;
    },
  };
}
