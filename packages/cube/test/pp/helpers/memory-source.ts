import type { ByteCounter, ByteSource } from '../../../src/bytes/types.js';

export interface MemorySourceOptions {
  /**
   * Give the source a `readSync` (as a local file has), each call taking at least this many milliseconds
   * (a busy wait: what a read from disk rather than the page cache does to the thread).
   */
  syncMs?: number;
}

/** A byte source over bytes in memory that counts what is read, for asserting that indexing reads headers only. */
export function memorySource(
  bytes: Uint8Array,
  uri = 'memory.pp',
  options: MemorySourceOptions = {},
): ByteSource & { counter: ByteCounter; syncReads: number } {
  const counter: ByteCounter = { requests: 0, bytes: 0 };
  const range = (offset: number, length: number) => {
    const out = bytes.subarray(offset, Math.min(bytes.length, offset + length));
    counter.requests++;
    counter.bytes += out.length;
    return out;
  };
  const source = {
    uri,
    counter,
    /** `readSync` calls made. */
    syncReads: 0,
    async stat() {
      return { size: bytes.length };
    },
    async get() {
      counter.requests++;
      counter.bytes += bytes.length;
      return bytes;
    },
    async getRange(offset: number, length: number) {
      return range(offset, length);
    },
    async close() {},
  };
  const { syncMs } = options;
  if (syncMs === undefined) return source;
  return {
    ...source,
    get syncReads() {
      return source.syncReads;
    },
    readSync(offset: number, length: number) {
      source.syncReads++;
      const until = performance.now() + syncMs;
      while (performance.now() < until);
      return range(offset, length);
    },
  };
}
