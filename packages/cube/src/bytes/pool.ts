import { createByteCounter } from './counting.js';
import { openByteSource } from './open.js';
import type { ByteSourceOptions } from './options.js';
import type { SourcePolicy } from './policy.js';
import type { ByteCounter, ByteSource } from './types.js';
import { resolveUri } from './uri.js';

/**
 * Byte sources shared by URI, all counted in one counter and closed together. A pool is what implements
 * `PluginContext.openSource`: every plugin reading the same object shares its handle, client and request limit.
 */
export interface SourcePool {
  /** The shared source for `uri` (resolved against the pool's `base`), opened on first use. */
  open(uri: string): ByteSource;
  /** Same as `open`, so a pool can be passed where a `PluginContext` is expected. */
  openSource(uri: string): ByteSource;
  /** What every source of this pool fetched from its backend (requests, bytes). */
  readonly counter: ByteCounter;
  /** The policy every source of this pool is checked against, if any (`ByteSourceOptions.policy`). */
  readonly policy?: SourcePolicy;
  /**
   * Close every source opened so far. The pool stays usable: a later `open` starts afresh. Closing a source the
   * pool handed out is harmless: it reopens its handle on its next read.
   */
  close(): Promise<void>;
}

export function createSourcePool(options: ByteSourceOptions = {}): SourcePool {
  const counter = options.counter ?? createByteCounter();
  const sources = new Map<string, ByteSource>();
  const open = (uri: string): ByteSource => {
    const key = resolveUri(uri, options.base);
    let source = sources.get(key);
    if (!source) {
      source = openByteSource(key, { ...options, base: undefined, counter });
      sources.set(key, source);
    }
    return source;
  };
  return {
    counter,
    policy: options.policy,
    open,
    openSource: open,
    async close() {
      const open = [...sources.values()];
      sources.clear();
      await Promise.all(open.map((s) => s.close()));
    },
  };
}
