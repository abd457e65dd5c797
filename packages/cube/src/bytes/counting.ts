import type { ByteCounter, ByteSource, ObjectStat, RangeOptions } from './types.js';

/**
 * Byte counting, the measure laziness is asserted by.
 *
 * Two places count:
 * - backends (local, S3, HTTP) count into `ByteSourceOptions.counter` what they really fetch: one request per
 *   backend call or attempt (stat/HEAD included), the bytes that arrived (including gaps fetched to merge
 *   ranges, and whole bodies from servers that ignore `Range`). A pool's `counter` is this kind.
 * - `withCounter` counts what a caller asks of any `ByteSource`: one request per call, the bytes returned.
 */

export function createByteCounter(): ByteCounter {
  return { requests: 0, bytes: 0 };
}

/** Record one backend request that delivered `bytes` bytes. */
export function countFetch(counter: ByteCounter | undefined, bytes: number): void {
  if (!counter) return;
  counter.requests += 1;
  counter.bytes += bytes;
}

/** A source together with the counter of what was asked of it. */
export interface CountedSource extends ByteSource {
  readonly counter: ByteCounter;
}

/**
 * Wrap `source` so every call is counted in `counter` (default: a fresh one): one request per `stat`, `get`,
 * `getRange` and `readSync` call (failed ones included), and the bytes returned.
 */
export function withCounter(source: ByteSource, counter: ByteCounter = createByteCounter()): CountedSource {
  return {
    uri: source.uri,
    counter,
    async stat(options?: RangeOptions): Promise<ObjectStat | undefined> {
      counter.requests += 1;
      return source.stat(options);
    },
    async get(options?: RangeOptions): Promise<Uint8Array | undefined> {
      counter.requests += 1;
      const data = await source.get(options);
      counter.bytes += data?.length ?? 0;
      return data;
    },
    async getRange(offset: number, length: number, options?: RangeOptions): Promise<Uint8Array> {
      counter.requests += 1;
      const data = await source.getRange(offset, length, options);
      counter.bytes += data.length;
      return data;
    },
    ...(source.readSync && {
      readSync(offset: number, length: number, options?: RangeOptions): Uint8Array | undefined {
        counter.requests += 1;
        const data = source.readSync!(offset, length, options);
        counter.bytes += data?.length ?? 0;
        return data;
      },
    }),
    close: () => source.close(),
  };
}
