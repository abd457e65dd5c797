import { brotliDecompressSync } from 'node:zlib';
import { parse, serialize } from '@cubemark/format';
import type { PublicationStore } from '@cubemark/restore';
import type { PersistEvent, PublishEvent, SchedulerHandle, SchedulerPlugin, UnpublishEvent } from '@cubemark/scheduler';
import { ClusterError, messageOf } from '../errors.js';
import type { ClusterLock, HeldName } from '../lock/name-lock.js';
import type { Connection } from '../redis/connection.js';
import type { Keys } from '../redis/keys.js';
import type { ClusterPersistence } from './persisted.js';

export interface StorePluginOptions {
  redis: Connection;
  keys: Keys;
  store: PublicationStore;
  lock: ClusterLock;
  persistence: ClusterPersistence;
  /** Runs at the scheduler's start (the boot refresh, heartbeats) and stop. */
  start(scheduler: SchedulerHandle): void;
  stop(): Promise<void>;
}

/**
 * The cluster's scheduler plugin: a client's publish is written to the store, durably, before the registry and
 * before it is acknowledged (as the restore plugin writes it), marked pending in Redis first so that a replica
 * dying between the two leaves a trace the next holder of the name repairs; an unpublish moves the file to the
 * store's trash after the registry forgot it. Records that came from the store (a refresh) are not written back.
 * A publication persisted on this replica is persisted across the cluster (`ClusterPersistence`).
 */
export function storePlugin(options: StorePluginOptions): SchedulerPlugin {
  const { redis, keys, store, lock } = options;

  const heldOrThrow = (name: string): HeldName => {
    const held = lock.held(name);
    if (!held) throw new ClusterError('INVALID_CONFIG', `'${name}' was written without the cluster's lock: give the scheduler the cluster's lock`);
    return held;
  };

  const setPending = (held: HeldName, op: 'publish' | 'unpublish' | '') =>
    redis.cmFencedPending(...keys.record(held.name), held.name, held.token, op ? JSON.stringify({ token: held.token, op }) : '');

  /** A publish that will not be acknowledged: the store goes back to what the registry holds. */
  const rollBack = async (name: string, fallback?: PublishEvent): Promise<void> => {
    let packed: Buffer | null | undefined;
    try {
      packed = await redis.hgetBuffer(keys.text, name);
    } catch {
      // Redis is away: what the scheduler held before is what the registry holds.
      packed = undefined;
    }
    if (packed) await store.write(name, brotliDecompressSync(packed));
    else if (packed === null || !fallback) await store.delete(name);
    else await store.write(name, serialize(fallback.publication, { body: fallback.body }));
  };

  return {
    name: 'cluster',

    start({ scheduler }) {
      options.start(scheduler);
    },

    async publish(event: PublishEvent) {
      if (event.origin !== 'client' && !event.rollback) return;
      const { name } = event;
      const held = heldOrThrow(name);
      if (event.rollback) {
        await rollBack(name, event);
        return;
      }
      let body = event.body;
      if (body === undefined) {
        // Keep the prose the file already has: a client that sends only metadata must not erase it.
        const existing = await store.read(name);
        if (existing) body = parse(existing).body || undefined;
      }
      const text = serialize(event.publication, { body });
      try {
        await setPending(held, 'publish');
      } catch (error) {
        if (/^FENCED/.test(messageOf(error))) throw new ClusterError('FENCED', messageOf(error).replace(/^FENCED /, ''), { cause: error });
        throw new ClusterError('REDIS_UNAVAILABLE', `the shared registry cannot be reached, nothing was written: ${messageOf(error)}`, { cause: error });
      }
      await store.write(name, text, { signal: event.signal });
      held.text = text;
    },

    async unpublish(event: UnpublishEvent) {
      const { name } = event;
      const held = heldOrThrow(name);
      if (event.rollback) {
        // A publish of a new name that was never acknowledged.
        if (event.origin === 'client') await rollBack(name);
        return;
      }
      // A reload unpublishes because the file is already gone; anything else moves it to the trash.
      if (event.origin !== 'reload') await store.trash(name);
      await setPending(held, '').catch(() => undefined);
      await options.persistence.mark(name, false).catch(() => undefined);
    },

    async persist(event: PersistEvent) {
      // Persisted here: persisted across the cluster. Dropped here (evicted under this replica's budget): not.
      if (event.resident) await options.persistence.mark(event.name, true);
    },

    async stop() {
      await options.stop();
    },
  };
}
