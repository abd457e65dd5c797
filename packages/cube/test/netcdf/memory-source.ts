/**
 * A ByteSource over bytes in memory, for headers made or corrupted by a test (no file to write). It keeps the
 * contract of the real sources (short reads only at the end) and counts requests, bytes and the largest read.
 */
import type { ByteSource, ObjectStat } from '../../src/bytes/index.js';

export class MemorySource implements ByteSource {
  requests = 0;
  bytes = 0;
  stats = 0;
  largestRead = 0;
  readonly ranges: { offset: number; length: number }[] = [];

  constructor(
    private readonly data: Uint8Array,
    readonly uri = 'memory://test.nc',
  ) {}

  async stat(): Promise<ObjectStat> {
    this.stats++;
    return { size: this.data.length };
  }

  async get(): Promise<Uint8Array> {
    this.requests++;
    this.bytes += this.data.length;
    return this.data.slice();
  }

  async getRange(offset: number, length: number): Promise<Uint8Array> {
    this.requests++;
    this.ranges.push({ offset, length });
    const out = this.data.slice(offset, offset + length);
    this.bytes += out.length;
    this.largestRead = Math.max(this.largestRead, out.length);
    return out;
  }

  async close(): Promise<void> {}
}
