import type { AbsolutePath, AsyncReadable, GetOptions, RangeQuery } from 'zarrita';
import { ByteSourceError } from '../../errors.js';
import type { ByteSource } from '../../bytes/types.js';
import type { PluginContext } from '../types.js';

/**
 * A zarrita store over cubemark byte sources: key `/a/0.0` of a store at `rootUri` is the object
 * `rootUri + '/a/0.0'`, opened through `PluginContext.openSource`. So one store works on local directories,
 * `s3://` prefixes and `https://` alike, and every fetch goes through the context's counting, pooling and
 * retries.
 *
 * Range reads (inner chunks of sharded arrays) are not coalesced here: the context's byte sources already merge
 * concurrent nearby ranges of one object, with better abort and end-of-object handling than zarrita's
 * `withRangeCoalescing` (see bytes/coalesce.ts).
 *
 * Metadata the dataset reader already holds (from consolidated metadata, or fetched once while walking the
 * group) is `remember`ed, so zarrita's own `open` never fetches it a second time.
 */
export class SourceStore implements AsyncReadable {
  /** The store's root, without a trailing slash. */
  readonly rootUri: string;
  readonly #ctx: PluginContext;
  readonly #known = new Map<AbsolutePath, Uint8Array>();

  constructor(rootUri: string, ctx: PluginContext) {
    this.rootUri = trimTrailingSlashes(rootUri);
    this.#ctx = ctx;
  }

  /** The URI of the object behind `key` (an absolute store key such as `/temperature/.zarray`). */
  uriOf(key: string): string {
    return `${this.rootUri}${key.startsWith('/') ? key : `/${key}`}`;
  }

  /** The byte source behind `key`. */
  source(key: string): ByteSource {
    return this.#ctx.openSource(this.uriOf(key));
  }

  /** Answer `key` from memory from now on. */
  remember(key: AbsolutePath, bytes: Uint8Array): void {
    this.#known.set(key, bytes);
  }

  async get(key: AbsolutePath, options?: GetOptions): Promise<Uint8Array | undefined> {
    const known = this.#known.get(key);
    if (known) return known;
    return this.source(key).get({ signal: options?.signal });
  }

  async getRange(key: AbsolutePath, range: RangeQuery, options?: GetOptions): Promise<Uint8Array | undefined> {
    const source = this.source(key);
    const signal = options?.signal;
    try {
      if ('suffixLength' in range) {
        // Byte sources take no suffix ranges (and s3rver answers them wrongly), so a shard index costs a stat.
        const stat = await source.stat({ signal });
        if (!stat) return undefined;
        const length = Math.min(range.suffixLength, stat.size);
        return await source.getRange(stat.size - length, length, { signal });
      }
      return await source.getRange(range.offset, range.length, { signal });
    } catch (error) {
      // zarrita reads a missing chunk or shard as "all fill value", which needs `undefined`, not an error.
      if (error instanceof ByteSourceError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }
}

function trimTrailingSlashes(uri: string): string {
  // A bare root (`/`) becomes '' and still joins right: '' + '/key'.
  return uri.replace(/\/+$/, '');
}
