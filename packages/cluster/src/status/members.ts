import { hostname } from 'node:os';
import type { Connection } from '../redis/connection.js';
import type { Keys } from '../redis/keys.js';

/** A replica or worker as the cluster's status shows it. */
export interface Member {
  id: string;
  kind: 'replica' | 'worker';
  host: string;
  pid: number;
  /** A replica's base URL, once it listens. */
  url?: string;
  startedAt: string;
  /** Last heartbeat. */
  seenAt: string;
  /** A worker's jobs done so far. */
  jobs?: number;
}

/** Heartbeats are this often; a member not heard from for 5 of them is gone (killed) and no longer listed. */
export const HEARTBEAT_MS = 2_000;
const GONE_MS = 5 * HEARTBEAT_MS;

/** Keeps this process listed in `members` while it runs. */
export class Heartbeat {
  private timer?: NodeJS.Timeout;
  private readonly startedAt = new Date().toISOString();

  constructor(
    private readonly redis: Connection,
    private readonly keys: Keys,
    readonly id: string,
    private readonly kind: Member['kind'],
    private readonly extra: () => Partial<Pick<Member, 'url' | 'jobs'>> = () => ({}),
  ) {}

  start(): void {
    const beat = () => {
      const member: Member = { id: this.id, kind: this.kind, host: hostname(), pid: process.pid, startedAt: this.startedAt, seenAt: new Date().toISOString(), ...this.extra() };
      void this.redis.hset(this.keys.members, this.id, JSON.stringify(member)).catch(() => undefined);
    };
    beat();
    this.timer = setInterval(beat, HEARTBEAT_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.hdel(this.keys.members, this.id).catch(() => undefined);
  }
}

/** Every member heard from recently (those gone are removed from Redis on the way). */
export async function listMembers(redis: Connection, keys: Keys): Promise<Member[]> {
  const all = await redis.hgetall(keys.members);
  const now = Date.now();
  const live: Member[] = [];
  for (const [id, json] of Object.entries(all)) {
    const member = JSON.parse(json) as Member;
    if (now - Date.parse(member.seenAt) > GONE_MS) void redis.hdel(keys.members, id).catch(() => undefined);
    else live.push(member);
  }
  return live.sort((a, b) => (a.kind === b.kind ? a.id.localeCompare(b.id) : a.kind === 'replica' ? -1 : 1));
}

/** An id for this process: `<host>:<pid>:<random>`. */
export function memberId(): string {
  return `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}
