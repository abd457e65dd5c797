import type { PublicationContent } from '../publication/content.js';
import type { HeldState } from '@cubemark/format';
import type { PublishOrigin } from '../plugins/types.js';

/**
 * What the scheduler holds for one publication: everything needed to rebuild its lazy data access anywhere (a
 * `.cube.md` text plus a few fields), so a registry shared between processes can store it as text.
 */
export interface PublicationRecord {
  name: string;
  /**
   * The metadata (format model) and the Markdown body (prose) that came with it, byte for byte (absent for
   * publications built from sources). `content.index` is always at hand; `content.load()` builds the model of a
   * publication held as text (a restored one) on first use. A shared registry would store the text and give back
   * `PublicationContent.from({ index, bytes, load })`.
   */
  content: PublicationContent;
  state: HeldState;
  /** Why the publication is not quite right (e.g. "source x changed size since it was published"). */
  warnings: string[];
  /** RFC 3339 time the publish was acknowledged. */
  publishedAt: string;
  origin: PublishOrigin;
  /**
   * Unique per publish: a replaced publication gets a new id, so caches of lazy arrays and resident data keyed by
   * it can never serve the old data under the new metadata.
   */
  id: string;
}

/**
 * Where the scheduler keeps publication records. Async so a shared store can implement it: a Redis-backed
 * registry (several schedulers behind one load balancer) is planned and would store each record as its
 * `.cube.md` text plus the other fields; the in-process `MemoryRegistry` is the default.
 *
 * Contract: `get` of a missing name resolves `undefined` (only real failures reject); `set` overwrites;
 * `delete` resolves whether something was removed; `list` returns every record, in no particular order. The
 * scheduler serialises writes per name itself, so implementations need no locking of their own.
 */
export interface PublicationRegistry {
  get(name: string): Promise<PublicationRecord | undefined>;
  set(name: string, record: PublicationRecord): Promise<void>;
  delete(name: string): Promise<boolean>;
  list(): Promise<PublicationRecord[]>;
  /**
   * A registry shared between processes tells the scheduler about records another process set or deleted, so
   * it drops what it derived from the old ones (cached models, resident data) and wakes requests waiting for a
   * name. Called from `start()`; the returned function stops the feed at `close()`. Optional: a registry only
   * this process writes has nothing to tell.
   */
  watch?(listener: (change: RegistryChange) => void): () => void;
}

/** A record set (`id` is the new record's) or deleted (`id` absent) by someone else. */
export interface RegistryChange {
  name: string;
  id?: string;
}
