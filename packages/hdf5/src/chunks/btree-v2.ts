import type { Hdf5Context } from '../format/context.js';
import type { Cursor } from '../io/cursor.js';
import { readV2Header, walkV2, type V2Header } from '../structures/btree-v2.js';
import { compareCoords, lowerBound, type ChunkGeometry, type ChunkIndex, type ChunkRecord } from './types.js';

/**
 * The v2 B-tree chunk index (libhdf5 ≥ 1.10, datasets with more than one unlimited axis): records of type 10
 * (unfiltered) or 11 (filtered) keyed by scaled chunk coordinates. A lookup visits only the subtrees between
 * records that bracket a wanted chunk.
 */
export function btreeV2Index(ctx: Hdf5Context, address: number, g: ChunkGeometry): ChunkIndex {
  const rank = g.chunks.length;
  let header: Promise<V2Header> | undefined;
  return {
    async lookup(coords, signal) {
      // Shared by every lookup: read without any one caller's signal.
      header ??= readV2Header(ctx, address);
      header.catch(() => (header = undefined));
      const h = await header;
      const expected = g.filtered ? 11 : 10;
      if (h.type !== expected) throw (await ctx.cursor(address, 4, 'v2 B-tree header')).corrupt(`record type ${h.type} for a chunk index (${expected} expected)`);
      const sizeBytes = h.recordSize - ctx.offsetSize - 4 - 8 * rank;
      if (g.filtered && (sizeBytes < 1 || sizeBytes > 8)) throw (await ctx.cursor(address, 4, 'v2 B-tree header')).corrupt(`chunk records of ${h.recordSize} bytes`);
      const keyOf = (r: Cursor): number[] => {
        const k = r.bytes.subarray(r.pos + h.recordSize - 8 * rank, r.pos + h.recordSize);
        const out: number[] = [];
        for (let i = 0; i < rank; i++) {
          let v = 0;
          for (let b = 7; b >= 0; b--) v = v * 256 + k[i * 8 + b];
          out.push(v);
        }
        return out;
      };
      const found = new Map<number, ChunkRecord>();
      await walkV2(
        ctx,
        h,
        {
          descend(low, high) {
            const j = low ? lowerBound(coords, keyOf(low)) : 0;
            return j < coords.length && (!high || compareCoords(coords[j], keyOf(high)) < 0);
          },
          visit(r) {
            const key = keyOf(r);
            const j = lowerBound(coords, key);
            if (j >= coords.length || compareCoords(coords[j], key) !== 0) return;
            const address = r.address();
            const size = g.filtered ? r.uint(sizeBytes, 'a chunk size') : g.chunks.reduce((a, b) => a * b, g.elementSize);
            const filterMask = g.filtered ? r.u32() : 0;
            found.set(j, { offset: ctx.abs(address), size, filterMask });
          },
        },
        signal,
      );
      return coords.map((_, i) => found.get(i));
    },
  };
}
