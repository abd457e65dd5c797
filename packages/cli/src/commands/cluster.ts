import type { Cluster } from '@cubemark/cluster';
import type { HttpOptions, Logger, SchedulerPlugin } from '@cubemark/scheduler';
import type { Io } from '../io.js';

/** The options of `cubemark serve` that make it a replica of a cluster. */
export interface ClusterServeOptions {
  /** Redis URL: share publications with the other replicas through it (default: none, a single process). */
  redis?: string;
  /** Prefix of the cluster's Redis keys (default: `cubemark:`). */
  redisPrefix?: string;
}

/** What `serve` composes for a replica. */
export interface Replica {
  plugins: SchedulerPlugin[];
  registry: Cluster['registry'];
  lock: Cluster['lock'];
  reload: Cluster['reload'];
  http: Pick<HttpOptions, 'compute' | 'routes'>;
  listening(url: string): void;
}

/**
 * Joins the cluster at `options.redis` (the package is loaded only then); `null`, with the reason printed, when
 * Redis cannot be reached.
 */
export async function joinCluster(options: ClusterServeOptions, store: string, log: Logger, io: Io): Promise<Replica | null> {
  const { createCluster } = await import('@cubemark/cluster');
  let cluster: Cluster;
  try {
    cluster = await createCluster({ redis: options.redis!, store, log, ...(options.redisPrefix !== undefined && { prefix: options.redisPrefix }) });
  } catch (error) {
    io.err(`cubemark: cannot join the cluster: ${(error as Error).message}\n`);
    return null;
  }
  return {
    plugins: [cluster.plugin],
    registry: cluster.registry,
    lock: cluster.lock,
    reload: cluster.reload,
    http: {},
    listening: (url) => cluster.setUrl(url),
  };
}
