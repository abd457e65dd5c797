import { createSourcePool, type SourcePool } from '../../src/bytes/pool.js';
import type { ByteSource } from '../../src/bytes/types.js';
import type { PluginContext } from '../../src/readers/types.js';

export interface RecordedRange {
  uri: string;
  offset: number;
  length: number;
}

/**
 * A plugin context over a real source pool that logs every `getRange` the plugin asks for (one wrapper per URI, so
 * the plugin's per-source cache still works). `pool.counter` counts what the backends fetched.
 */
export function recordingContext(pool: SourcePool = createSourcePool()): { ctx: PluginContext; ranges: RecordedRange[]; pool: SourcePool } {
  const ranges: RecordedRange[] = [];
  const wrappers = new Map<string, ByteSource>();
  const ctx: PluginContext = {
    openSource(uri) {
      let wrapper = wrappers.get(uri);
      if (!wrapper) {
        const source = pool.open(uri);
        wrapper = {
          uri: source.uri,
          stat: (options) => source.stat(options),
          get: (options) => source.get(options),
          getRange: (offset, length, options) => {
            ranges.push({ uri, offset, length });
            return source.getRange(offset, length, options);
          },
          close: () => source.close(),
        };
        wrappers.set(uri, wrapper);
      }
      return wrapper;
    },
  };
  return { ctx, ranges, pool };
}

/** Whether any recorded range overlaps [offset, offset + length). */
export function overlaps(ranges: readonly RecordedRange[], offset: number, length: number): boolean {
  return ranges.some((r) => r.offset < offset + length && offset < r.offset + r.length);
}
