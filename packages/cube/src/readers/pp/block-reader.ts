import type { ByteSource, RangeOptions } from '../../bytes/types.js';

/**
 * Synchronous reads slower than this, several in a row, do not come from memory (the page cache) but from a
 * disk: the reader then reads asynchronously, so that its waits overlap (prefetch) and do not hold the event
 * loop. One slow read alone is the thread being descheduled on a busy machine.
 */
const SLOW_SYNC_MS = 1;
const SLOW_SYNC_RUN = 4;
/** Synchronous reads yield to the event loop after this long, so that a long walk does not hold it. */
const SYNC_SLICE_MS = 10;

/**
 * Reads a file's header bytes forwards, one range request at a time, keeping the last block so that headers
 * close together (small fields, a lookup table) cost one request between them. `readAhead` is how many bytes
 * past the asked range a request takes (0: exactly what is asked). `prefetch` starts reads of ranges a caller
 * expects to ask for next (the headers of a run of equal records), so that they are in flight together.
 *
 * On a source with `readSync` (a local file) reads are synchronous while they are fast: a header read then costs
 * a system call (~1–2 µs) instead of a thread-pool round trip (~15–30 µs), which is most of an index's time. The
 * walk yields to the event loop every few milliseconds, and goes back to asynchronous reads for good after a run
 * of slow reads (the file is not in the page cache).
 */
export class BlockReader {
  private start = 0;
  private block: Uint8Array = new Uint8Array(0);
  /** Requests made and bytes fetched through this reader. */
  requests = 0;
  bytes = 0;
  private synchronous: boolean;
  private slowRun = 0;
  private sliceStart = performance.now();

  constructor(
    private readonly source: ByteSource,
    /** The object's size: reads are clipped to it. */
    readonly size: number,
    private readonly options: RangeOptions = {},
  ) {
    this.synchronous = source.readSync !== undefined;
  }

  private readonly prefetched = new Map<number, Promise<Uint8Array>>();

  /**
   * Start reading `length` bytes at each of `offsets` (within the object) unless already started. Nothing is
   * started while reads are synchronous: guessing ahead only pays for a round trip's wait.
   */
  prefetch(offsets: readonly number[], length: number): void {
    if (this.synchronous) return;
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

  /** Whether `prefetch` starts reads (not while reads are synchronous). */
  get prefetches(): boolean {
    return !this.synchronous;
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
    const bytes = (await this.readNow(offset, want)) ?? (await this.source.getRange(offset, want, this.options));
    this.requests++;
    this.bytes += bytes.length;
    this.start = offset;
    this.block = bytes;
    return bytes.subarray(0, Math.min(bytes.length, end - offset));
  }

  /** A synchronous read while they are fast, after yielding to the event loop if this slice has run long. */
  private async readNow(offset: number, length: number): Promise<Uint8Array | undefined> {
    if (!this.synchronous) return undefined;
    const t0 = performance.now();
    if (t0 - this.sliceStart > SYNC_SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      this.sliceStart = performance.now();
    }
    const t1 = performance.now();
    const bytes = this.source.readSync?.(offset, length, this.options);
    this.slowRun = performance.now() - t1 > SLOW_SYNC_MS ? this.slowRun + 1 : 0;
    if (this.slowRun >= SLOW_SYNC_RUN) this.synchronous = false;
    return bytes;
  }
}
