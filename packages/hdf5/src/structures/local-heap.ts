import type { Hdf5Context } from '../format/context.js';
import { Cursor } from '../io/cursor.js';

/** A local heap's data segment (names of an old-style group's links). */
export async function readLocalHeap(ctx: Hdf5Context, address: number, signal?: AbortSignal): Promise<Cursor> {
  const c = await ctx.cursor(address, 8 + 2 * ctx.lengthSize + ctx.offsetSize, 'local heap', 0, signal);
  c.signature('HEAP');
  c.version([0], 'local heap');
  c.skip(3);
  const size = c.limit(c.length(), ctx.io.options.maxReadBytes, 'data segment size');
  c.length(); // free list
  const data = c.address();
  return ctx.cursor(data, size, 'local heap data', 0, signal);
}

/** The NUL-terminated string at `offset` of a local heap's data segment. */
export function heapString(heap: Cursor, offset: number): string {
  heap.seek(offset);
  return heap.cstring();
}
