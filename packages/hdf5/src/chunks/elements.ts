import type { Cursor } from '../io/cursor.js';
import { UNDEFINED_ADDRESS } from '../io/cursor.js';
import type { Hdf5Context } from '../format/context.js';
import type { ChunkGeometry, ChunkRecord } from './types.js';

/**
 * One chunk entry of a fixed or extensible array: the address, and for filtered datasets the stored size and
 * filter mask. `elementSize` is the array's element size.
 */
export function readChunkElement(ctx: Hdf5Context, c: Cursor, elementSize: number, g: ChunkGeometry): ChunkRecord | undefined {
  const address = c.address();
  if (!g.filtered) return address === UNDEFINED_ADDRESS ? undefined : { offset: ctx.abs(address), size: g.chunks.reduce((a, b) => a * b, g.elementSize), filterMask: 0 };
  const sizeBytes = elementSize - ctx.offsetSize - 4;
  if (sizeBytes < 1 || sizeBytes > 8) throw c.corrupt(`chunk entries of ${elementSize} bytes`);
  const size = c.uint(sizeBytes, 'a chunk size');
  const filterMask = c.u32();
  return address === UNDEFINED_ADDRESS ? undefined : { offset: ctx.abs(address), size, filterMask };
}
