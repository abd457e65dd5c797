import type { ByteSource, RangeOptions } from '../../bytes/types.js';

/**
 * Reads a file's header bytes forwards, one range request at a time, keeping the last block so that headers
 * close together (small fields, a lookup table) cost one request between them. `readAhead` is how many bytes
 * past the asked range a request takes (0: exactly what is asked).
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

  /** `length` bytes at `offset`, or fewer when the object ends first. */
  async read(offset: number, length: number, readAhead = 0): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.size);
    if (end <= offset) return new Uint8Array(0);
    if (offset >= this.start && end <= this.start + this.block.length) {
      return this.block.subarray(offset - this.start, end - this.start);
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
