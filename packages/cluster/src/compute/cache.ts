import { createHash } from 'node:crypto';
import type { ComputedAnswer, ComputeRequest } from '@cubemark/scheduler';
import type { Connection } from '../redis/connection.js';
import type { Keys } from '../redis/keys.js';

/** How long an answer too large for the cache (or an error answer) stays for the server that waits for it. */
const TRANSIENT_SECONDS = 120;

/** The cache key of an answer: the publication's version, the request's path and sorted query, JSON or not. */
export function answerKey(request: Pick<ComputeRequest, 'version' | 'url' | 'accept'>): string {
  const url = new URL(request.url, 'http://cubemark');
  url.searchParams.sort();
  const accept = request.accept ?? '';
  const json = /application\/json/i.test(accept) && !/application\/octet-stream/i.test(accept);
  return createHash('sha256').update(`${request.version}\n${url.pathname}?${url.searchParams}\n${json ? 'json' : 'other'}`).digest('hex');
}

/** The cache's use, for the cluster's status. */
export interface CacheUse {
  entries: number;
  bytes: number;
  budget: number;
}

/**
 * Answers kept in Redis for every replica, by `answerKey`, least recently used dropped beyond a byte budget shared
 * by the whole cluster (one Lua script adds an answer and evicts, so replicas never overshoot together). Only
 * successful answers are cached; an answer made by a worker for one server waits in Redis for it, briefly, either
 * way (`keep` with `transient`).
 */
export class ResultCache {
  constructor(
    private readonly redis: Connection,
    private readonly keys: Keys,
    readonly budget: number,
  ) {}

  async get(key: string): Promise<ComputedAnswer | undefined> {
    const [[, meta], [, body]] = (await this.redis.multi().hget(this.keys.result(key), 'meta').hgetBuffer(this.keys.result(key), 'body').zadd(this.keys.resultsLru, 'XX', Date.now(), key).exec())! as [
      [unknown, string | null],
      [unknown, Buffer | null],
    ];
    if (meta === null || body === null) return undefined;
    const { status, headers } = JSON.parse(meta) as Omit<ComputedAnswer, 'body'>;
    return { status, headers, body };
  }

  /**
   * Keeps `answer` under `key`: in the cache if it is a success that fits the budget, else (`transient`) for a
   * couple of minutes, for whoever waits for it. Resolves to where it went.
   */
  async put(key: string, answer: ComputedAnswer, transient = false): Promise<'cached' | 'transient'> {
    const meta = JSON.stringify({ status: answer.status, headers: answer.headers });
    const body = Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength);
    if (!transient && answer.status === 200) {
      const evicted = await this.redis.cmCachePut(this.keys.result(key), this.keys.resultsLru, this.keys.resultsSize, this.keys.resultsBytes, key, meta, body, body.length + meta.length, this.budget, Date.now());
      if (evicted >= 0) return 'cached';
    }
    await this.redis.multi().hset(this.keys.result(key), 'meta', meta, 'body', body).expire(this.keys.result(key), TRANSIENT_SECONDS).exec();
    return 'transient';
  }

  async use(): Promise<CacheUse> {
    const [entries, bytes] = await Promise.all([this.redis.zcard(this.keys.resultsLru), this.redis.get(this.keys.resultsBytes)]);
    return { entries, bytes: Number(bytes ?? 0), budget: this.budget };
  }
}
