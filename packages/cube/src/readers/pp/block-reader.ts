import type { ByteSource, RangeOptions } from '../../bytes/types.js';

/**
 * Reads a file's header bytes forwards, one range request at a time, keeping the last block so that headers
 * close together (small fields, a lookup table) cost one request between them. `readAhead` is how many bytes
 * past the asked range a request takes (0: exactly what is asked). `prefetch` starts reads of ranges a caller
 * expects to ask for next (the headers of a run of equal records), so that they are in flight together.
 */
export class BlockReader {
  private start = 0;
  private block: Uint8Array = new Uint8Array(0);
  /** Requests made and bytes fetched through this reader. */
  requests = 0;
  bytes = 0;

  constructor(
    private readonly source: ByteSource,
    /** The object's size: reads are clipped to it. */
    readonly size: number,
    private readonly options: RangeOptions = {},
  ) {}

  private readonly prefetched = new Map<number, Promise<Uint8Array>>();

  /** Start reading `length` bytes at each of `offsets` (within the object) unless already started. */
  prefetch(offsets: readonly number[], length: number): void {
    for (const offset of offsets) {
      if (this.prefetched.has(offset) || offset + length > this.size) continue;
      const promise = this.source.getRange(offset, length, this.options).then((bytes) => {
        this.requests++;
        this.bytes += bytes.length;
        return bytes;
      });
      // A prefetch nobody reads must not surface as an unhandled rejection; a read of it rethrows.
      promise.catch(() => undefined);
      this.prefetched.set(offset, promise);
    }
  }

  /** Whether a read at `offset` was prefetched and not yet taken. */
  hasPrefetched(offset: number): boolean {
    return this.prefetched.has(offset);
  }

  /** Forget prefetched ranges not taken (their requests may still complete). */
  dropPrefetched(): void {
    this.prefetched.clear();
  }

  /** `length` bytes at `offset`, or fewer when the object ends first. */
  async read(offset: number, length: number, readAhead = 0): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.size);
    if (end <= offset) return new Uint8Array(0);
    if (offset >= this.start && end <= this.start + this.block.length) {
      return this.block.subarray(offset - this.start, end - this.start);
    }
    const ahead = this.prefetched.get(offset);
    if (ahead) {
      this.prefetched.delete(offset);
      const bytes = await ahead;
      if (bytes.length >= end - offset) return bytes.subarray(0, end - offset);
    }
    const want = Math.min(this.size - offset, length + readAhead);
    const bytes = await this.source.getRange(offset, want, this.options);
    this.requests++;
    this.bytes += bytes.length;
    this.start = offset;
    this.block = bytes;
    return bytes.subarray(0, Math.min(bytes.length, end - offset));
  }
}
