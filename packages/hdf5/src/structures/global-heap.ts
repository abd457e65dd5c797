import type { Hdf5Context } from '../format/context.js';
import { Hdf5CorruptError } from '../errors.js';
import type { Cursor } from '../io/cursor.js';

/**
 * The global heap collections of one file (variable-length strings and sequences live there), each read whole on
 * first use and kept.
 */
export class GlobalHeap {
  private readonly collections = new Map<number, Promise<Map<number, Uint8Array>>>();

  constructor(private readonly ctx: Hdf5Context) {}

  /** The bytes of object `index` of the collection at `address`. */
  async object(address: number, index: number, signal?: AbortSignal): Promise<Uint8Array> {
    signal?.throwIfAborted();
    let collection = this.collections.get(address);
    if (!collection) {
      // Shared by every reader of the collection: read without any one caller's signal.
      collection = this.read(address);
      collection.catch(() => this.collections.delete(address));
      this.collections.set(address, collection);
    }
    const objects = await collection;
    const bytes = objects.get(index);
    if (bytes === undefined) {
      throw new Hdf5CorruptError('HDF5_CORRUPT', this.ctx.uri, this.ctx.abs(address), `global heap collection: has no object ${index}`);
    }
    return bytes;
  }

  private async read(address: number, signal?: AbortSignal): Promise<Map<number, Uint8Array>> {
    const ctx = this.ctx;
    const head = await ctx.cursor(address, 8 + ctx.lengthSize, 'global heap collection', 0, signal);
    head.signature('GCOL');
    head.version([1], 'global heap collection');
    head.skip(3);
    const size = head.limit(head.length(), ctx.io.options.maxReadBytes, 'collection size');
    const c = await ctx.cursor(address, size, 'global heap collection', 0, signal);
    c.skip(8 + ctx.lengthSize);
    return parseObjects(c);
  }
}

function parseObjects(c: Cursor): Map<number, Uint8Array> {
  const objects = new Map<number, Uint8Array>();
  while (c.remaining >= 8 + c.file.lengthSize) {
    const index = c.u16();
    c.u16(); // reference count
    c.skip(4);
    const size = c.length();
    if (index === 0) break; // free space: the rest of the collection
    objects.set(index, c.take(size));
    c.align(8);
  }
  return objects;
}
