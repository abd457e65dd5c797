import type { ByteCounter, ByteSource } from '../../../src/bytes/types.js';

/** A byte source over bytes in memory that counts what is read, for asserting that indexing reads headers only. */
export function memorySource(bytes: Uint8Array, uri = 'memory.pp'): ByteSource & { counter: ByteCounter } {
  const counter: ByteCounter = { requests: 0, bytes: 0 };
  return {
    uri,
    counter,
    async stat() {
      return { size: bytes.length };
    },
    async get() {
      counter.requests++;
      counter.bytes += bytes.length;
      return bytes;
    },
    async getRange(offset: number, length: number) {
      const out = bytes.subarray(offset, Math.min(bytes.length, offset + length));
      counter.requests++;
      counter.bytes += out.length;
      return out;
    },
    async close() {},
  };
}
