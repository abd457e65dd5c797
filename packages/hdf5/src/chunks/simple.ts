import type { Hdf5Context } from '../format/context.js';
import { UNDEFINED_ADDRESS } from '../io/cursor.js';
import { gridOf, linearIndex, type ChunkGeometry, type ChunkIndex } from './types.js';

/** The whole dataset is one chunk, at the layout's address (layout v4 "single chunk" index). */
export function singleChunkIndex(ctx: Hdf5Context, address: number, g: ChunkGeometry, filtered?: { size: number; mask: number }): ChunkIndex {
  const size = filtered?.size ?? g.chunks.reduce((a, b) => a * b, g.elementSize);
  return {
    async lookup(coords) {
      return coords.map((c) => (address === UNDEFINED_ADDRESS || c.some((x) => x !== 0) ? undefined : { offset: ctx.abs(address), size, filterMask: filtered?.mask ?? 0 }));
    },
  };
}

/** Unfiltered chunks stored one after the other in row-major order from the layout's address ("implicit" index). */
export function implicitIndex(ctx: Hdf5Context, address: number, g: ChunkGeometry): ChunkIndex {
  const bytes = g.chunks.reduce((a, b) => a * b, g.elementSize);
  const grid = gridOf(g.maxShape.map((m, i) => (Number.isFinite(m) ? m : g.shape[i])), g.chunks);
  return {
    async lookup(coords) {
      if (address === UNDEFINED_ADDRESS) return coords.map(() => undefined);
      return coords.map((c) => ({ offset: ctx.abs(address) + linearIndex(c, grid) * bytes, size: bytes, filterMask: 0 }));
    },
  };
}
