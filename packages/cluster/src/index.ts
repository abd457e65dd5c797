// The public surface of @cubemark/cluster.
export { createCluster, type Cluster, type ClusterOptions } from './cluster.js';
export { CLUSTER_ERROR_CODES, ClusterError, type ClusterErrorCode } from './errors.js';
export { RedisRegistry, type RedisRegistryOptions } from './registry/redis-registry.js';
export type { StoredMeta, Listed } from './registry/record.js';
export { ClusterLock, type HeldName, type LockOptions } from './lock/name-lock.js';
export { keysFor, type Keys } from './redis/keys.js';
export type { SyncReport } from './store/sync.js';
export { listMembers, type Member } from './status/members.js';
export { ClusterCompute, type ComputeMode, type ComputeOptions, type QueueUse } from './compute/seam.js';
export { ResultCache, answerKey, type CacheUse } from './compute/cache.js';
export { startWorker, type ComputeWorker, type WorkerOptions } from './compute/worker.js';
export type { ClusterStatus } from './status/route.js';
