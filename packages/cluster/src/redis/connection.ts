import { Redis, type RedisOptions } from 'ioredis';
import { ClusterError, messageOf } from '../errors.js';
import { ACQUIRE, CACHE_PUT, EXTEND, FENCED_DELETE, FENCED_PENDING, FENCED_SET, RELEASE, SYNC_DELETE, SYNC_SET, TEXT_FILL } from './scripts.js';

/** The scripts as commands of a connection (ioredis `defineCommand`: EVALSHA, falling back to EVAL). */
/** The KEYS every record script takes (see scripts.ts). */
export type RecordKeys = [meta: string, text: string, listed: string, seq: string, pending: string, changes: string, fence: string, lock: string];

/** The scripts as commands of a connection (ioredis `defineCommand`: EVALSHA, falling back to EVAL). */
export interface ClusterCommands {
  cmAcquire(lock: string, fence: string, name: string, ttlMs: number, owner: string): Promise<number>;
  cmExtend(lock: string, value: string, ttlMs: number): Promise<number>;
  cmRelease(lock: string, value: string): Promise<number>;
  cmFencedSet(...args: [...RecordKeys, name: string, token: number, meta: string, packed: Buffer, id: string, streamLength: number, listed: string]): Promise<string>;
  cmFencedDelete(...args: [...RecordKeys, name: string, token: number, pending: string, streamLength: number]): Promise<string>;
  cmFencedPending(...args: [...RecordKeys, name: string, token: number, pending: string]): Promise<number>;
  cmSyncSet(...args: [...RecordKeys, name: string, hash: string, meta: string, packed: Buffer, id: string, streamLength: number, listed: string]): Promise<string>;
  cmTextFill(meta: string, text: string, name: string, id: string, packed: Buffer): Promise<number>;
  cmSyncDelete(...args: [...RecordKeys, name: string, hash: string, streamLength: number]): Promise<string>;
  cmCachePut(result: string, lru: string, sizes: string, total: string, key: string, meta: string, body: Buffer, size: number, budget: number, now: number): Promise<number>;
}

export type Connection = Redis & ClusterCommands;

function defineCommands(redis: Redis): Connection {
  redis.defineCommand('cmAcquire', { numberOfKeys: 2, lua: ACQUIRE });
  redis.defineCommand('cmExtend', { numberOfKeys: 1, lua: EXTEND });
  redis.defineCommand('cmRelease', { numberOfKeys: 1, lua: RELEASE });
  redis.defineCommand('cmFencedSet', { numberOfKeys: 8, lua: FENCED_SET });
  redis.defineCommand('cmFencedDelete', { numberOfKeys: 8, lua: FENCED_DELETE });
  redis.defineCommand('cmFencedPending', { numberOfKeys: 8, lua: FENCED_PENDING });
  redis.defineCommand('cmSyncSet', { numberOfKeys: 8, lua: SYNC_SET });
  redis.defineCommand('cmTextFill', { numberOfKeys: 2, lua: TEXT_FILL });
  redis.defineCommand('cmSyncDelete', { numberOfKeys: 8, lua: SYNC_DELETE });
  redis.defineCommand('cmCachePut', { numberOfKeys: 4, lua: CACHE_PUT });
  return redis as Connection;
}

/** How a connection behaves while Redis is away. */
export type ConnectionRole =
  /** Commands fail at once while disconnected (a publish answers 503 rather than hang); reconnects in the background. */
  | 'command'
  /** The change feed's blocking reads: a read in flight fails when the connection drops (the feed then resyncs). */
  | 'feed'
  /** For BullMQ: commands wait for the reconnection. */
  | 'blocking';

/**
 * A connection to `url` (`redis://host:port/db`, `rediss://…`, or `unix:///path/redis.sock`). It reconnects forever,
 * every 0.1–1 s, so a replica resyncs when Redis comes back without a restart. Close it with `quit()`/`disconnect()`.
 */
export function connect(url: string, role: ConnectionRole, name: string): Connection {
  const common: RedisOptions = {
    lazyConnect: true,
    connectionName: name,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(100 * times, 1_000),
    ...(role === 'blocking' ? { maxRetriesPerRequest: null } : { enableOfflineQueue: false, maxRetriesPerRequest: 1, autoResendUnfulfilledCommands: false }),
  };
  let redis: Redis;
  try {
    redis = url.startsWith('unix://') ? new Redis({ ...common, path: url.slice('unix://'.length) }) : new Redis(url, common);
  } catch (error) {
    throw new ClusterError('INVALID_CONFIG', `--redis ${url} is not a Redis URL (redis://host:port, unix:///path): ${messageOf(error)}`);
  }
  // Errors come back on the commands that fail; the connection's own are retried, not thrown.
  redis.on('error', () => undefined);
  return defineCommands(redis);
}

/**
 * A Redis URL as messages and the status route show it: without its password (`redis://:secret@host` →
 * `redis://***@host`), so neither an error answer nor `cubemark status` hands it out.
 */
export function shownUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1***@');
}

/** Connects `redis` once, failing with REDIS_UNAVAILABLE naming `url` if Redis does not answer. */
export async function connected(redis: Redis, url: string): Promise<void> {
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new ClusterError('REDIS_UNAVAILABLE', `cannot reach Redis at ${shownUrl(url)}: ${messageOf(error)}`, { cause: error });
  }
}

/**
 * Closes a connection: politely if it is up (QUIT, for a second at most: a connection that says it is ready may be
 * waiting on a socket Redis has already dropped), then at once.
 */
export async function close(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([redis.quit().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, 1_000)))]);
    clearTimeout(timer);
  }
  redis.disconnect();
}
