import { createFileParser, openStore, type FileParser, type OpenStoreOptions, type PublicationStore } from '@cubemark/restore';
import type { Logger, ReloadOutcome, SchedulerHandle, SchedulerPlugin } from '@cubemark/scheduler';
import type { FastifyPluginAsync } from 'fastify';
import { ClusterCompute, type ComputeOptions } from './compute/seam.js';
import { messageOf } from './errors.js';
import { Lease } from './lock/lease.js';
import { ClusterLock } from './lock/name-lock.js';
import { close, connect, connected, shownUrl, type Connection } from './redis/connection.js';
import { keysFor, type Keys } from './redis/keys.js';
import { RedisRegistry } from './registry/redis-registry.js';
import { storePlugin } from './store/plugin.js';
import { ClusterPersistence } from './store/persisted.js';
import { ClusterSnapshot } from './store/snapshot.js';
import { repairFromStore, syncFromStore, syncReportLines, type SyncContext, type SyncReport } from './store/sync.js';
import { Heartbeat, memberId } from './status/members.js';
import { statusRoutes } from './status/route.js';

export interface ClusterOptions {
  /** Redis: `redis://host:port[/db]`, `rediss://…`, or `unix:///path/redis.sock`. */
  redis: string;
  /** The durable store every replica writes to and refreshes from: a folder or `s3://bucket/prefix/`, or a store. */
  store: string | PublicationStore;
  /** S3 settings for an `s3://` store (default: from the environment). */
  s3?: OpenStoreOptions['s3'];
  /** Prefix of every Redis key (default: `cubemark:`), so several clusters can share one Redis. */
  prefix?: string;
  log?: Logger;
  /** How long a name's lock lives unless its holder extends it (default: 15 s). */
  lockTtlMs?: number;
  /** How long a publish waits for another replica's lock on its name (default: 30 s). */
  lockWaitMs?: number;
  /** How long the refresh lease lives unless extended (default: 10 s): a replica that dies holding it loses it then. */
  leaseTtlMs?: number;
  /** Bytes of packed `.cube.md` text each replica keeps of recently read records (default: 64 MiB). */
  textBudget?: number;
  /** Parser threads for refreshes (default: one per core for 64 files or more). */
  threads?: number;
  /** Where answers that cost computing are made, and the result cache (see `ComputeOptions`). */
  compute?: ComputeOptions;
  /** `worker`: never refreshes the registry from the store, even when Redis lost its data (default: `replica`). */
  role?: 'replica' | 'worker';
}

/** A replica's part of the cluster: what `cubemark serve --redis` gives the scheduler and its server. */
export interface Cluster {
  /** This replica's id (`<host>:<pid>:<random>`). */
  readonly id: string;
  readonly keys: Keys;
  readonly store: PublicationStore;
  /** The scheduler's `registry`: records in Redis, mirrored here. */
  readonly registry: RedisRegistry;
  /** The scheduler's `lock`: per name, across the cluster, with fencing tokens. */
  readonly lock: ClusterLock;
  /** The scheduler plugin: store writes before acknowledgement; the boot refresh; heartbeats. */
  readonly plugin: SchedulerPlugin;
  /** The command connection (for status and compute). */
  readonly redis: Connection;
  /** The server's `compute` seam: the result cache, and workers. */
  readonly compute: ClusterCompute;
  /** The server's extra `routes`: `/cluster/status`. */
  readonly routes: FastifyPluginAsync;
  /** The server's `reload`: refresh the registry from the store (one replica at a time, holding the lease). */
  reload(names?: readonly string[]): Promise<ReloadOutcome>;
  /** The URL this replica listens on, for the cluster's status. */
  setUrl(url: string): void;
  /** Closes the connections (the plugin's `stop` does it too). */
  close(): Promise<void>;
}

const defaultLog: Logger = {
  info: (m) => process.stderr.write(`${m}\n`),
  warn: (m) => process.stderr.write(`warning: ${m}\n`),
  error: (m) => process.stderr.write(`error: ${m}\n`),
};

/**
 * Joins the cluster whose registry is in Redis at `options.redis`: connects (REDIS_UNAVAILABLE if Redis does not
 * answer), loads the registry's mirror and follows its changes. Give `registry`, `lock` and `plugin` to
 * `createScheduler`; its start begins the boot refresh (on the replica that gets the lease) in the background.
 */
export async function createCluster(options: ClusterOptions): Promise<Cluster> {
  const log = options.log ?? defaultLog;
  const keys = keysFor(options.prefix);
  const id = memberId();
  const store = typeof options.store === 'object' ? options.store : openStore(options.store, { s3: options.s3 });
  const redis = connect(options.redis, 'command', `cubemark-replica-${id}`);
  const feed = connect(options.redis, 'feed', `cubemark-feed-${id}`);
  await connected(redis, options.redis);
  try {
    await connected(feed, options.redis);
  } catch (error) {
    await close(redis);
    throw error;
  }

  let url: string | undefined;
  let repairParser: Promise<FileParser> | undefined;
  const streamLength = 100_000;
  // Set once the lock exists: the lock repairs through the refresh context, which needs the lock.
  let cx!: SyncContext;
  const lock = new ClusterLock({
    redis,
    keys,
    owner: id,
    url: shownUrl(options.redis),
    ttlMs: options.lockTtlMs,
    waitMs: options.lockWaitMs,
    async repair(held) {
      const outcome = await repairFromStore(cx, held, await (repairParser ??= createFileParser({ threads: 0 })));
      log.warn(`cluster: '${held.name}' had a write left unfinished by a replica that stopped: the registry now agrees with the store (${outcome})`);
    },
  });
  const snapshot = new ClusterSnapshot({ redis, keys, store, log });
  cx = { redis, keys, store, lock, log, streamLength, snapshot, ...(options.threads !== undefined && { threads: options.threads }) };

  const persistence = new ClusterPersistence({ redis, keys, store, log, streamLength });
  const lease = new Lease(redis, keys.lease, id, options.leaseTtlMs ?? 10_000);
  const heartbeat = new Heartbeat(redis, keys, id, 'replica', () => (url ? { url } : {}));
  let closing = false;
  let refreshing: Promise<SyncReport | undefined> | undefined;
  let handle: SchedulerHandle | undefined;
  /** Names a refresh announced that this replica waits for. */
  const expected = new Set<string>();

  /** A refresh announced names (requests for them wait), or finished (those that did not come will not). */
  const announced = async (op: string): Promise<void> => {
    if (!handle) return;
    try {
      if (op === 'expect') {
        const names = (await redis.smembers(keys.restoring)).filter((name) => registry.metaOf(name) === undefined);
        for (const name of names) expected.add(name);
        handle.expect(names);
      } else if (op === 'persist') {
        void persistence.persistAll(handle);
      } else if (op === 'expected') {
        for (const name of expected) if (registry.metaOf(name) === undefined) handle.abandon(name, `the refresh from ${store.location} did not publish it (see its log: quarantined or removed)`);
        expected.clear();
      }
    } catch (error) {
      log.warn(`cluster: could not follow the refresh's announcement (${messageOf(error)})`);
    }
  };

  /** Refresh from the store on the replica that gets the lease; the others wait until one has done it. */
  const refresh = async (): Promise<SyncReport | undefined> => {
    const epochAtStart = await redis.get(keys.epoch).catch(() => null);
    while (!closing) {
      try {
        const outcome = await lease.run(async () => {
          const report = await syncFromStore(cx, 'restore');
          await persistence.recover();
          return report;
        });
        if (outcome.ran) {
          const { summary, details } = syncReportLines(store.location, outcome.value, 'refreshed');
          log.info(summary);
          for (const line of details) log.warn(line);
          return outcome.value;
        }
        const epoch = await redis.get(keys.epoch);
        if (epoch !== null && epoch !== epochAtStart) return undefined;
      } catch (error) {
        log.warn(`cluster: the refresh from ${store.location} failed (${messageOf(error)}); trying again`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return undefined;
  };
  const startRefresh = () => {
    const run = refresh();
    // Then what the cluster persisted is read into this replica's memory too.
    void run.then(() => handle && persistence.persistAll(handle)).catch(() => undefined);
    refreshing = run;
  };

  const registry = new RedisRegistry({
    redis,
    feed,
    keys,
    lock,
    store,
    url: shownUrl(options.redis),
    log,
    textBudget: options.textBudget,
    streamLength,
    onLost: () => {
      if (options.role !== 'worker') startRefresh();
    },
    onWrite: () => snapshot.schedule(),
    onAnnounce: (op) => void announced(op),
  });
  await registry.start();
  const compute = new ClusterCompute(redis, keys, options.redis, log, options.compute);

  let closed: Promise<void> | undefined;
  const closeAll = () =>
    (closed ??= (async () => {
      closing = true;
      await heartbeat.stop();
      await refreshing?.catch(() => undefined);
      await snapshot.close();
      await registry.close();
      await compute.close();
      await (await repairParser)?.close();
      await close(redis);
      await close(feed);
      await store.close();
    })());

  const plugin = storePlugin({
    redis,
    keys,
    store,
    lock,
    persistence,
    start(scheduler) {
      handle = scheduler;
      heartbeat.start();
      // A refresh running on another replica may have announced names already.
      void announced('expect');
      startRefresh();
    },
    stop: closeAll,
  });

  return {
    id,
    keys,
    store,
    registry,
    lock,
    plugin,
    redis,
    compute,
    routes: statusRoutes({ id, url: shownUrl(options.redis), redis, keys, registry, compute, lease }),
    async reload(names) {
      // One refresh at a time across the cluster: wait for the lease (a boot refresh may hold it).
      const outcome = await lease.run(() => syncFromStore(cx, 'reload', names ? { names } : {}), 120_000);
      if (!outcome.ran) throw new Error('another replica held the refresh lease for 2 minutes; try again');
      const lines = syncReportLines(store.location, outcome.value, 'reloaded');
      log.info(lines.summary);
      return { ...lines, report: outcome.value };
    },
    setUrl(value) {
      url = value;
    },
    close: closeAll,
  };
}
