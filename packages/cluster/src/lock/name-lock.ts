import { AsyncLocalStorage } from 'node:async_hooks';
import { KeyedLock, SchedulerError, type NameLock } from '@cubemark/scheduler';
import { ClusterError, messageOf } from '../errors.js';
import type { Connection } from '../redis/connection.js';
import type { Keys } from '../redis/keys.js';

/** A name this process holds the cluster-wide lock of, with its fencing token. */
export interface HeldName {
  name: string;
  token: number;
  /** The lock's value in Redis: `<token>:<owner>`. */
  value: string;
  /** The text the store plugin wrote for this publish (the registry stores the same bytes). */
  text?: string;
}

export interface LockOptions {
  redis: Connection;
  keys: Keys;
  /** This replica's id, written into the lock's value. */
  owner: string;
  /** The Redis URL, for messages. */
  url: string;
  /** How long a lock lives unless extended (default: 15 s); a holder extends it every third of that. */
  ttlMs?: number;
  /** How long a publish waits for another replica's lock on its name (default: 30 s). */
  waitMs?: number;
  /**
   * Called, holding the lock, when the previous holder left a write unfinished (it died between the store and
   * the registry): makes the registry agree with the store.
   */
  repair(held: HeldName): Promise<void>;
}

/** The lock's and the registry's answer while Redis cannot be reached: 503, nothing written. */
export function unavailable(url: string, error: unknown): SchedulerError {
  return new SchedulerError(
    'REGISTRY_FAILED',
    `the shared registry (Redis at ${url}) cannot be reached, so publishes and unpublishes are refused until it is back (reads go on): ${messageOf(error)}`,
    { cause: error, details: { retryAfterSeconds: 1 } },
  );
}

/**
 * The per-name lock of a cluster: first this process's own `KeyedLock` (its publishes of a name queue here, not in
 * Redis), then a Redis key `lock:<name>` set only if absent, with an expiry, holding a fencing token: a number
 * from `fence` that grows with every acquisition. The holder extends the expiry while it works; every registry
 * write it makes carries the token, and Redis refuses a token that is no longer the name's latest, so a replica
 * that stalled past the expiry (and lost the lock to another) cannot overwrite what the other wrote.
 */
export class ClusterLock implements NameLock {
  private readonly local = new KeyedLock();
  private readonly context = new AsyncLocalStorage<HeldName>();
  private readonly ttlMs: number;
  private readonly waitMs: number;

  constructor(private readonly options: LockOptions) {
    this.ttlMs = options.ttlMs ?? 15_000;
    this.waitMs = options.waitMs ?? 30_000;
  }

  /** The lock this async context holds on `name`, if it holds it. */
  held(name: string): HeldName | undefined {
    const held = this.context.getStore();
    return held?.name === name ? held : undefined;
  }

  run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.local.run(name, async () => {
      const held = await this.acquire(name);
      const { redis, keys } = this.options;
      const timer = setInterval(() => void redis.cmExtend(keys.lock(name), held.value, this.ttlMs).catch(() => undefined), this.ttlMs / 3);
      timer.unref();
      try {
        return await this.context.run(held, async () => {
          await this.repairIfPending(held);
          return fn();
        });
      } finally {
        clearInterval(timer);
        await redis.cmRelease(keys.lock(name), held.value).catch(() => undefined);
      }
    });
  }

  private async acquire(name: string): Promise<HeldName> {
    const { redis, keys, owner, url } = this.options;
    const deadline = Date.now() + this.waitMs;
    for (let attempt = 0; ; attempt++) {
      let token: number;
      try {
        token = Number(await redis.cmAcquire(keys.lock(name), keys.fence, name, this.ttlMs, owner));
      } catch (error) {
        throw unavailable(url, error);
      }
      if (token > 0) return { name, token, value: `${token}:${owner}` };
      if (Date.now() > deadline) {
        const cause = new ClusterError('LOCK_TIMEOUT', `another replica held '${name}' for more than ${this.waitMs} ms`);
        throw new SchedulerError('REGISTRY_FAILED', `${cause.message}; nothing was written, try again`, { cause, details: { retryAfterSeconds: 1 } });
      }
      // Short waits first (a publish holds a name for milliseconds), then up to 100 ms, jittered.
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, 5 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random())));
    }
  }

  private async repairIfPending(held: HeldName): Promise<void> {
    const { redis, keys, url } = this.options;
    let pending: string | null;
    try {
      pending = await redis.hget(keys.pending, held.name);
    } catch (error) {
      throw unavailable(url, error);
    }
    if (pending !== null) await this.options.repair(held);
  }
}
