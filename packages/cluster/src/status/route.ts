import type { FastifyPluginAsync } from 'fastify';
import type { CacheUse } from '../compute/cache.js';
import type { ClusterCompute, QueueUse } from '../compute/seam.js';
import type { Lease } from '../lock/lease.js';
import type { Connection } from '../redis/connection.js';
import type { Keys } from '../redis/keys.js';
import type { RedisRegistry } from '../registry/redis-registry.js';
import { listMembers, type Member } from './members.js';

/** `GET /cluster/status`: what `cubemark status` prints. */
export interface ClusterStatus {
  /** The replica that answered. */
  replica: string;
  redis: { url: string; following: boolean };
  /** Publications in the answering replica's mirror of the registry. */
  publications: number;
  /** Who holds the refresh lease now (a refresh is running). */
  refreshing?: string;
  replicas: Member[];
  workers: Member[];
  queue?: QueueUse;
  cache?: CacheUse;
}

export interface StatusRouteOptions {
  id: string;
  url: string;
  redis: Connection;
  keys: Keys;
  registry: RedisRegistry;
  compute: ClusterCompute;
  lease: Lease;
}

/** The cluster's routes on each replica: its status (replicas, workers, queue, cache). */
export function statusRoutes(o: StatusRouteOptions): FastifyPluginAsync {
  return async (app) => {
    app.get('/cluster/status', async () => {
      const status: ClusterStatus = {
        replica: o.id,
        redis: { url: o.url, following: o.registry.following },
        publications: o.registry.size,
        replicas: [],
        workers: [],
      };
      try {
        const [members, queue, cache, holder] = await Promise.all([listMembers(o.redis, o.keys), o.compute.queueUse(), o.compute.cache.use(), o.lease.holder()]);
        status.replicas = members.filter((m) => m.kind === 'replica');
        status.workers = members.filter((m) => m.kind === 'worker');
        Object.assign(status, { queue, cache, ...(holder && { refreshing: holder }) });
      } catch {
        // Redis is away: what this replica knows.
      }
      return status;
    });
  };
}
