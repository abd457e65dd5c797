import type { PublicationStore } from '@cubemark/restore';
import type { Logger, SchedulerHandle } from '@cubemark/scheduler';
import { messageOf } from '../errors.js';
import type { Connection } from '../redis/connection.js';
import type { Keys } from '../redis/keys.js';

/**
 * `persist` across the cluster: which publications were persisted is kept in Redis (`persisted`) and in the store's
 * `.cubemark/state.json` (the restore plugin's file, `{"version": 1, "persisted": [names]}`), so it survives a Redis
 * that lost its data and a restart of everything. Every replica reads those publications into its own memory,
 * within its own budget: when one is persisted anywhere (an `op: persist` entry in the change stream), and after
 * each boot refresh. Workers read lazily.
 */
export class ClusterPersistence {
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly o: { redis: Connection; keys: Keys; store: PublicationStore; log: Logger; streamLength: number },
  ) {}

  /** A publication was persisted (`true`) on this replica, or unpublished (`false`): the cluster hears if it changed. */
  async mark(name: string, persisted: boolean): Promise<void> {
    const { redis, keys, streamLength } = this.o;
    const changed = persisted ? await redis.hsetnx(keys.persisted, name, new Date().toISOString()) : await redis.hdel(keys.persisted, name);
    if (changed === 0) return;
    if (persisted) await redis.xadd(keys.changes, 'MAXLEN', '~', streamLength, '*', 'op', 'persist');
    await this.writeState();
  }

  /** The store's state file says what Redis says. */
  private async writeState(): Promise<void> {
    const names = (await this.o.redis.hkeys(this.o.keys.persisted)).sort();
    await this.o.store.writeState(`${JSON.stringify({ version: 1, persisted: names })}\n`);
  }

  /** Redis has no list (it lost its data): take the store's. */
  async recover(): Promise<void> {
    const { redis, keys, store, log } = this.o;
    if ((await redis.hlen(keys.persisted)) > 0) return;
    const bytes = await store.readState().catch(() => undefined);
    if (!bytes) return;
    try {
      const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as { persisted?: unknown };
      const names = Array.isArray(value.persisted) ? value.persisted.filter((n): n is string => typeof n === 'string') : [];
      const at = new Date().toISOString();
      if (names.length === 0) return;
      await redis.hset(keys.persisted, ...names.flatMap((n) => [n, at]));
      // Replicas that saw the refresh end before this list was back persist again when they hear this.
      await redis.xadd(keys.changes, 'MAXLEN', '~', this.o.streamLength, '*', 'op', 'persist');
    } catch (error) {
      log.warn(`cluster: cannot read ${store.location}/.cubemark/state.json (${messageOf(error)}): nothing will be re-persisted`);
    }
  }

  /** Reads every publication persisted in the cluster into this replica's memory (one at a time, in the background). */
  persistAll(handle: SchedulerHandle): Promise<void> {
    const run = async () => {
      const names = await this.o.redis.hkeys(this.o.keys.persisted).catch(() => [] as string[]);
      const present = new Set(handle.list());
      for (const name of names) {
        if (!present.has(name)) continue;
        await handle.persist(name).catch((error) => this.o.log.warn(`cluster: could not persist '${name}' here: ${messageOf(error)}`));
      }
    };
    this.running = this.running.then(run, run);
    return this.running;
  }
}
