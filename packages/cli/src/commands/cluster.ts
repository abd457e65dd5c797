import { resolve } from 'node:path';
import type { Cluster } from '@cubemark/cluster';
import type { HttpOptions, Logger, SchedulerPlugin } from '@cubemark/scheduler';
import { exitAfterStop, type Io } from '../io.js';

/** The options of `cubemark serve` that make it a replica of a cluster. */
export interface ClusterServeOptions {
  /** Redis URL: share publications with the other replicas through it (default: none, a single process). */
  redis?: string;
  /** Prefix of the cluster's Redis keys (default: `cubemark:`). */
  redisPrefix?: string;
  /** Where reductions, maps, large slices and unified views are computed: `auto` (workers if any), `workers`, `local`. */
  compute?: string;
  /** Bytes of answers the cluster caches in Redis (default: 256 MiB). */
  cacheBudget?: number | string;
  /** How long a request waits for a worker, in ms (default: 60000). */
  computeTimeout?: number | string;
}

/** The options of `cubemark worker`. */
export interface WorkerCommandOptions {
  redis?: string;
  redisPrefix?: string;
  store?: string;
  dataBase?: string;
  /** `--data-root` folders and `--allow-url` prefixes, as for `serve` (the replicas' must be given again). */
  dataRoots?: string[];
  allowUrls?: string[];
  concurrency?: number | string;
  cacheBudget?: number | string;
  /** How long a job stays locked without renewal, in ms: a killed worker's job moves on after it (default: 30000). */
  lockMs?: number | string;
  /** Stops the worker when aborted (default: SIGINT or SIGTERM). */
  signal?: AbortSignal;
}

const MODES = ['auto', 'workers', 'local'] as const;

function bytesOption(flag: string, value: number | string | undefined, io: Io): number | undefined | null {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (Number.isFinite(n) && n >= 0) return n;
  io.err(`cubemark: ${flag} ${value} is not a number >= 0\n`);
  return null;
}

/** What `serve` composes for a replica. */
export interface Replica {
  plugins: SchedulerPlugin[];
  registry: Cluster['registry'];
  lock: Cluster['lock'];
  reload: Cluster['reload'];
  http: Pick<HttpOptions, 'compute' | 'routes'>;
  listening(url: string): void;
  /** Leaves the cluster (its Redis connections) when the server does not start after all. */
  close(): Promise<void>;
}

/**
 * Joins the cluster at `options.redis` (the package is loaded only then); `null`, with the reason printed, when
 * Redis cannot be reached.
 */
export async function joinCluster(options: ClusterServeOptions, store: string, log: Logger, io: Io): Promise<Replica | null> {
  const { createCluster } = await import('@cubemark/cluster');
  if (options.compute !== undefined && !(MODES as readonly string[]).includes(options.compute)) {
    io.err(`cubemark: --compute ${options.compute} is not one of ${MODES.join(', ')}\n`);
    return null;
  }
  const cacheBudget = bytesOption('--cache-budget', options.cacheBudget, io);
  const timeoutMs = bytesOption('--compute-timeout', options.computeTimeout, io);
  if (cacheBudget === null || timeoutMs === null) return null;
  const compute = {
    ...(options.compute !== undefined && { mode: options.compute as (typeof MODES)[number] }),
    ...(cacheBudget !== undefined && { cacheBudget }),
    ...(timeoutMs !== undefined && { timeoutMs }),
  };
  let cluster: Cluster;
  try {
    cluster = await createCluster({ redis: options.redis!, store, log, compute, ...(options.redisPrefix !== undefined && { prefix: options.redisPrefix }) });
  } catch (error) {
    io.err(`cubemark: cannot join the cluster: ${(error as Error).message}\n`);
    return null;
  }
  return {
    plugins: [cluster.plugin],
    registry: cluster.registry,
    lock: cluster.lock,
    reload: cluster.reload,
    http: { compute: cluster.compute, routes: [cluster.routes] },
    listening: (url) => cluster.setUrl(url),
    close: () => cluster.close(),
  };
}

/** `cubemark worker --redis URL`: computes the cluster's jobs until SIGINT/SIGTERM. */
export async function workerCommand(options: WorkerCommandOptions, io: Io): Promise<number> {
  if (!options.redis) {
    io.err('cubemark: worker needs --redis URL (the Redis the replicas use)\n');
    return 2;
  }
  const concurrency = bytesOption('--concurrency', options.concurrency, io);
  const cacheBudget = bytesOption('--cache-budget', options.cacheBudget, io);
  const lockMs = bytesOption('--lock-ms', options.lockMs, io);
  if (concurrency === null || cacheBudget === null || lockMs === null) return 2;
  const { startWorker } = await import('@cubemark/cluster');
  const log: Logger = { info: (m) => io.err(`${m}\n`), warn: (m) => io.err(`warning: ${m}\n`), error: (m) => io.err(`error: ${m}\n`) };
  const store = options.store ?? 'publications';
  let worker;
  try {
    worker = await startWorker({
      redis: options.redis,
      store,
      log,
      // A relative folder is this working directory's (the source pool would resolve it against itself again).
      ...(options.dataBase !== undefined && { dataBase: /^[a-z][a-z0-9+.-]*:\/\//i.test(options.dataBase) ? options.dataBase : resolve(options.dataBase) }),
      ...(options.dataRoots?.length && { dataRoots: options.dataRoots.map((r) => resolve(r)) }),
      ...(options.allowUrls?.length && { allowUrls: options.allowUrls }),
      ...(options.redisPrefix !== undefined && { prefix: options.redisPrefix }),
      ...(concurrency !== undefined && { concurrency: Math.max(1, Math.floor(concurrency)) }),
      ...(cacheBudget !== undefined && { cacheBudget }),
      ...(lockMs !== undefined && { lockMs }),
    });
  } catch (error) {
    io.err(`cubemark: cannot start the worker: ${(error as Error).message}\n`);
    return 1;
  }
  const why = await new Promise<string>((done) => {
    if (options.signal) return options.signal.addEventListener('abort', () => done('aborted'), { once: true });
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
  });
  io.err(`worker stopping (${why}) after ${worker.jobs} jobs\n`);
  await worker.close();
  if (!options.signal) exitAfterStop(0);
  return 0;
}
