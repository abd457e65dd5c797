import type { Connection } from '../redis/connection.js';

/**
 * A lease one replica at a time holds (the refresh of the registry from the store): a Redis key set only if
 * absent, with an expiry, extended while its holder works. A holder that dies loses it when it expires.
 */
export class Lease {
  constructor(
    private readonly redis: Connection,
    private readonly key: string,
    private readonly owner: string,
    private readonly ttlMs: number,
  ) {}

  /** Runs `fn` holding the lease, if it is free now (or within `waitMs`); `{ ran: false }` otherwise. */
  async run<T>(fn: () => Promise<T>, waitMs = 0): Promise<{ ran: true; value: T } | { ran: false }> {
    const value = `${this.owner}:${Math.random().toString(36).slice(2)}`;
    const deadline = Date.now() + waitMs;
    while ((await this.redis.set(this.key, value, 'PX', this.ttlMs, 'NX')) !== 'OK') {
      if (Date.now() >= deadline) return { ran: false };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const timer = setInterval(() => void this.redis.cmExtend(this.key, value, this.ttlMs).catch(() => undefined), this.ttlMs / 3);
    timer.unref();
    try {
      return { ran: true, value: await fn() };
    } finally {
      clearInterval(timer);
      await this.redis.cmRelease(this.key, value).catch(() => undefined);
    }
  }

  /** Who holds the lease now (its owner id), if anyone. */
  async holder(): Promise<string | undefined> {
    const value = await this.redis.get(this.key);
    return value?.slice(0, value.lastIndexOf(':')) ?? undefined;
  }
}
