import { parse, publicationIndex, serialize } from '@cubemark/format';
import type { PublicationStore } from '@cubemark/restore';
import type { Logger, PublicationRecord, PublicationRegistry, RegistryChange } from '@cubemark/scheduler';
import { LRUCache } from 'lru-cache';
import { ClusterError, messageOf } from '../errors.js';
import { unavailable, type ClusterLock } from '../lock/name-lock.js';
import type { Connection } from '../redis/connection.js';
import type { Keys } from '../redis/keys.js';
import { listingRecord, metaOf, pack, recordOf, sha256, type Listed, type StoredMeta } from './record.js';
import { newerSeq } from './seq.js';

/** What a replica knows of one name: its meta (absent once removed), and the stream id of that change. */
interface Known {
  meta?: StoredMeta;
  seq: string;
  /** The listing record, made once. */
  listing?: PublicationRecord;
}

export interface RedisRegistryOptions {
  redis: Connection;
  /** A second connection for the change feed's blocking reads. */
  feed: Connection;
  keys: Keys;
  lock: ClusterLock;
  /** The durable store: read when Redis is away. */
  store: PublicationStore;
  url: string;
  log: Logger;
  /** Bytes of packed text kept in this process for records recently read (default: 64 MiB). */
  textBudget?: number;
  /** Entries the change stream keeps, roughly (default: 100,000). */
  streamLength?: number;
  /** Redis lost its data (it restarted without persistence): the cluster refreshes the registry from the store. */
  onLost?: () => void;
  /** This replica wrote a record (set or removed): the store's snapshot of the registry is written soon. */
  onWrite?: () => void;
  /** A change-stream entry that is not a record's change (`op`: a refresh announcing names, or done with them). */
  onAnnounce?: (op: string) => void;
}

/**
 * The registry of a cluster: records in Redis, shared by every replica; the store stays the truth (the store plugin
 * writes it first). Each replica keeps a mirror of every record's meta (what listing needs), kept current by the
 * change stream and rebuilt whole whenever the connection comes back, and the packed texts of the records it read
 * recently. Reads are served from the mirror, so they go on while Redis is away (a text not held is read from the
 * store then); writes need Redis and the name's lock (`ClusterLock`), whose fencing token every write carries.
 */
/** How long one read of the change stream blocks in Redis, and how much longer it may take before it is lost. */
const FEED_BLOCK_MS = 2_000;
const FEED_GRACE_MS = 3_000;

export class RedisRegistry implements PublicationRegistry {
  private readonly mirror = new Map<string, Known>();
  private readonly texts: LRUCache<string, { seq: string; record: PublicationRecord; size: number }>;
  private readonly listeners = new Set<(change: RegistryChange) => void>();
  /** Texts being read from the store for records Redis holds without them, by name and record id: one read each. */
  private readonly filling = new Map<string, Promise<PublicationRecord | undefined>>();
  private readonly streamLength: number;
  private closed = false;
  private feeding?: Promise<void>;
  /** Fails the change-stream read in flight (see `readFeed`). */
  private abortRead?: () => void;
  /** Whether the mirror is in step with Redis (the feed is reading). */
  private live = false;

  constructor(private readonly options: RedisRegistryOptions) {
    this.streamLength = options.streamLength ?? 100_000;
    this.texts = new LRUCache({ maxSize: options.textBudget ?? 64 * 1024 * 1024, sizeCalculation: (e) => Math.max(1, e.size) });
  }

  /** Loads the mirror, then follows the change stream until `close()`. */
  async start(): Promise<void> {
    const last = await this.resync();
    this.feeding = this.follow(last);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.options.feed.disconnect();
    this.abortRead?.();
    await this.feeding?.catch(() => undefined);
  }

  /** Whether the mirror follows Redis right now. */
  get following(): boolean {
    return this.live;
  }

  /** How many records the mirror holds. */
  get size(): number {
    let n = 0;
    for (const known of this.mirror.values()) if (known.meta) n++;
    return n;
  }

  watch(listener: (change: RegistryChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Reading

  async list(): Promise<PublicationRecord[]> {
    const records: PublicationRecord[] = [];
    for (const [name, known] of this.mirror) {
      if (!known.meta) continue;
      known.listing ??= listingRecord(name, known.meta);
      records.push(known.listing);
    }
    return records;
  }

  /** The meta the mirror holds for `name` (no Redis round trip). */
  metaOf(name: string): StoredMeta | undefined {
    return this.mirror.get(name)?.meta;
  }

  async get(name: string): Promise<PublicationRecord | undefined> {
    // Holding the name's lock (a publish deciding whether it replaces): what Redis holds now, not the mirror.
    if (this.options.lock.held(name)) {
      try {
        return await this.fresh(name);
      } catch (error) {
        throw unavailable(this.options.url, error);
      }
    }
    const known = this.mirror.get(name);
    const meta = known?.meta;
    if (known && !meta) return undefined;
    if (!known || !meta) return this.live ? undefined : this.fromStore(name);
    const cached = this.texts.get(name);
    if (cached && cached.seq === known.seq) return cached.record;
    try {
      return await this.fresh(name);
    } catch {
      return this.fromStore(name, meta);
    }
  }

  /** The record Redis holds now, meta and text read together (the mirror updated with it). */
  private async fresh(name: string): Promise<PublicationRecord | undefined> {
    const { redis, keys } = this.options;
    const results = await redis.multi().hgetBuffer(keys.meta, name).hgetBuffer(keys.seq, name).hgetBuffer(keys.text, name).exec();
    if (!results) throw new Error('the read transaction was discarded');
    for (const [error] of results) if (error) throw error;
    const [meta, seq, packed] = results.map(([, value]) => value as Buffer | null);
    this.apply(name, meta ? (JSON.parse(meta.toString()) as StoredMeta) : undefined, seq?.toString() ?? '0-0');
    const known = this.mirror.get(name);
    if (!known?.meta || !meta) return undefined;
    // The mirror may know a newer record than this read (written here meanwhile): serve what was read, consistent.
    const read = JSON.parse(meta.toString()) as StoredMeta;
    if (!packed) return this.fill(name, read);
    const record = recordOf(name, read, packed, this.options.store.describe(name));
    if (read.id === known.meta.id) this.texts.set(name, { seq: known.seq, record, size: packed.length });
    return record;
  }

  /**
   * A record Redis holds without its text (taken from the store's snapshot): the text is read from the store and
   * kept in Redis for every replica, unless the record changed meanwhile. A file that is not the one the meta
   * describes wins (it is parsed and served), and is left for the next refresh to record.
   */
  private fill(name: string, meta: StoredMeta): Promise<PublicationRecord | undefined> {
    const key = `${name}\0${meta.id}`;
    let reading = this.filling.get(key);
    if (!reading) {
      reading = this.fillNow(name, meta).finally(() => this.filling.delete(key));
      this.filling.set(key, reading);
    }
    return reading;
  }

  private async fillNow(name: string, meta: StoredMeta): Promise<PublicationRecord | undefined> {
    const { redis, keys, store, log } = this.options;
    const bytes = await store.read(name).catch(() => undefined);
    if (!bytes) return undefined;
    const hash = sha256(bytes);
    if (hash !== meta.hash) {
      log.warn(`cluster: ${store.describe(name)} is not the file the registry recorded (hash ${hash.slice(0, 12)}…, recorded ${meta.hash.slice(0, 12)}…): serving the store's file; a refresh records it`);
      return this.fromStore(name);
    }
    const packed = pack(bytes);
    const record = recordOf(name, meta, packed, store.describe(name));
    await redis.cmTextFill(keys.meta, keys.text, name, meta.id, packed).catch(() => 0);
    const known = this.mirror.get(name);
    if (known?.meta?.id === meta.id) this.texts.set(name, { seq: known.seq, record, size: packed.length });
    return record;
  }

  /**
   * Redis is away, or lost the text: the store's file, which is the truth. Keeps the mirror's id when the file
   * is the one the mirror knows (so caches keyed by it stay valid).
   */
  private async fromStore(name: string, meta?: StoredMeta): Promise<PublicationRecord | undefined> {
    const bytes = await this.options.store.read(name).catch(() => undefined);
    if (!bytes) return undefined;
    const file = this.options.store.describe(name);
    const hash = sha256(bytes);
    if (meta?.hash === hash) return recordOf(name, meta, pack(bytes), file);
    const result = parse(bytes, { file });
    if (!result.publication || result.publication.name !== name) return undefined;
    const index = publicationIndex(result.publication);
    const stored: StoredMeta = { id: `store-${hash.slice(0, 32)}`, hash, state: 'ready', warnings: [], publishedAt: new Date(0).toISOString(), origin: 'restore', index, bytes: bytes.length };
    return recordOf(name, stored, pack(bytes), file);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Writing (under the name's lock)

  async set(name: string, record: PublicationRecord): Promise<void> {
    const held = this.options.lock.held(name);
    if (!held) throw new ClusterError('INVALID_CONFIG', `the cluster registry wrote '${name}' without its lock: give the scheduler the cluster's lock`);
    const { redis, keys } = this.options;
    // The store plugin wrote this very text; a publish the plugin did not write (a restore) is serialised here.
    const text = held.text ?? serialize(record.content.load().publication, { body: record.content.load().body });
    const hash = sha256(text);
    const meta = metaOf(record, hash, Buffer.byteLength(text));
    const listed: Listed = { hash };
    const packed = pack(text);
    let seq: string;
    try {
      seq = await redis.cmFencedSet(...keys.record(name), name, held.token, JSON.stringify(meta), packed, record.id, this.streamLength, JSON.stringify(listed));
    } catch (error) {
      throw this.writeError(error);
    }
    this.mirror.set(name, { meta, seq });
    this.texts.set(name, { seq, record, size: packed.length });
    this.options.onWrite?.();
  }

  async delete(name: string): Promise<boolean> {
    const held = this.options.lock.held(name);
    if (!held) throw new ClusterError('INVALID_CONFIG', `the cluster registry removed '${name}' without its lock: give the scheduler the cluster's lock`);
    const { redis, keys } = this.options;
    let seq: string;
    try {
      // The store's file goes after (the unpublish hook): until then the write is pending, repaired if we die.
      seq = await redis.cmFencedDelete(...keys.record(name), name, held.token, JSON.stringify({ token: held.token, op: 'unpublish' }), this.streamLength);
    } catch (error) {
      throw this.writeError(error);
    }
    if (!seq) return false;
    this.mirror.set(name, { seq });
    this.texts.delete(name);
    this.options.onWrite?.();
    return true;
  }

  private writeError(error: unknown): Error {
    if (/^FENCED/.test(messageOf(error))) return new ClusterError('FENCED', messageOf(error).replace(/^FENCED /, ''), { cause: error });
    return unavailable(this.options.url, error);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Following Redis

  /**
   * Makes what this replica knows of `name` the record `meta` written at stream id `seq` (removed when `meta` is
   * absent), unless it already knows a newer one; tells the scheduler when the record changed.
   */
  apply(name: string, meta: StoredMeta | undefined, seq: string): void {
    const known = this.mirror.get(name);
    if (known && !newerSeq(seq, known.seq)) return;
    this.mirror.set(name, { meta, seq });
    if (known?.meta?.id === meta?.id) return;
    this.texts.delete(name);
    for (const listener of this.listeners) listener({ name, ...(meta && { id: meta.id }) });
  }

  /**
   * Rebuilds the mirror from Redis (at start and after every reconnection); resolves to the stream id to follow
   * from. If Redis lost its data (no epoch), the mirror is kept and `onLost` called.
   */
  async resync(): Promise<string> {
    const { redis, keys } = this.options;
    const results = await redis.multi().xrevrange(keys.changes, '+', '-', 'COUNT', 1).hgetall(keys.meta).hgetall(keys.seq).exists(keys.epoch).exec();
    if (!results) throw new Error('the resync transaction was discarded');
    for (const [error] of results) if (error) throw error;
    const last = (results[0]![1] as [string, string[]][])[0]?.[0] ?? '0-0';
    const metas = results[1]![1] as Record<string, string>;
    const seqs = results[2]![1] as Record<string, string>;
    const epoch = results[3]![1] as number;
    for (const [name, json] of Object.entries(metas)) this.apply(name, JSON.parse(json) as StoredMeta, seqs[name] ?? '0-0');
    // No epoch: no refresh from the store ever finished in this Redis, so it lost its data (records published since
    // it came back do not say otherwise). What this replica knows stays until the store is read again.
    if (epoch === 0 && this.size > Object.keys(metas).length) {
      this.options.log.warn(`cluster: Redis at ${this.options.url} holds no registry (it lost its data): serving what this replica knows while the store is read again`);
      this.options.onLost?.();
      return last;
    }
    for (const [name, known] of [...this.mirror]) {
      // Removed while we were away (unless this replica wrote it after the snapshot was taken).
      if (!known.meta || name in metas || newerSeq(known.seq, last)) continue;
      this.mirror.set(name, { seq: last });
      this.texts.delete(name);
      for (const listener of this.listeners) listener({ name });
    }
    return last;
  }

  /**
   * One blocking read of the change stream after `last`. ioredis drops a command that was in flight when the
   * connection broke, without settling it, if the reconnection succeeds at its first attempt (Redis restarted
   * quickly): the read fails when the connection closes, and a read that outlives its BLOCK time by a grace period is taken as lost, and the connection is
   * dropped and made again, so the loop resyncs instead of waiting forever.
   */
  private async readFeed(last: string): Promise<[string, [string, string[]][]][] | null> {
    const { feed, keys } = this.options;
    let timer: NodeJS.Timeout | undefined;
    let onClose: (() => void) | undefined;
    const lost = new Promise<never>((_, reject) => {
      onClose = () => reject(new Error('the connection to Redis closed'));
      feed.once('close', onClose);
      this.abortRead = onClose;
      timer = setTimeout(() => {
        feed.disconnect(true);
        reject(new Error(`the change feed did not answer within ${(FEED_BLOCK_MS + FEED_GRACE_MS) / 1000} s`));
      }, FEED_BLOCK_MS + FEED_GRACE_MS);
    });
    try {
      return (await Promise.race([feed.xread('COUNT', 1000, 'BLOCK', FEED_BLOCK_MS, 'STREAMS', keys.changes, last), lost])) as [string, [string, string[]][]][] | null;
    } finally {
      clearTimeout(timer);
      if (onClose) feed.off('close', onClose);
      this.abortRead = undefined;
    }
  }

  /** Reads the change stream from `from` on, applying each change; on any failure, resyncs once Redis is back. */
  private async follow(from: string): Promise<void> {
    const { feed, redis, keys, log } = this.options;
    let last: string | undefined = from;
    this.live = true;
    while (!this.closed) {
      try {
        if (last === undefined) {
          // Both connections reconnect by themselves; wait for them rather than queue commands behind them.
          if (feed.status !== 'ready' || redis.status !== 'ready') throw new Error(`Redis is ${redis.status}`);
          last = await this.resync();
          this.live = true;
          log.info(`cluster: in step with Redis at ${this.options.url} again (${this.size} publications)`);
        }
        const read = await this.readFeed(last);
        if (!read) continue;
        const names = new Set<string>();
        for (const [id, fields] of read[0]![1]) {
          last = id;
          for (let i = 0; i + 1 < fields.length; i += 2) {
            if (fields[i] === 'name') names.add(fields[i + 1]!);
            else if (fields[i] === 'op') this.options.onAnnounce?.(fields[i + 1]!);
          }
        }
        if (names.size === 0) continue;
        const list = [...names];
        // Meta and seq read together (another replica's write between two reads would pair an old meta with a new seq).
        const results = await redis.multi().hmget(keys.meta, ...list).hmget(keys.seq, ...list).exec();
        if (!results) throw new Error('the read transaction was discarded');
        for (const [error] of results) if (error) throw error;
        const [metas, seqs] = results.map(([, value]) => value as (string | null)[]) as [(string | null)[], (string | null)[]];
        list.forEach((name, i) => this.apply(name, metas[i] ? (JSON.parse(metas[i]!) as StoredMeta) : undefined, seqs[i] ?? last!));
      } catch (error) {
        if (this.closed) return;
        if (this.live) log.warn(`cluster: lost Redis at ${this.options.url} (${messageOf(error)}): serving what this replica knows, publishes refused until it is back`);
        this.live = false;
        last = undefined;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }
}
