import { verifyChecksum, type Hdf5Context } from '../format/context.js';
import { UNDEFINED_ADDRESS } from '../io/cursor.js';
import { readChunkElement } from './elements.js';
import { gridOf, linearIndex, type ChunkGeometry, type ChunkIndex, type ChunkRecord } from './types.js';

/**
 * The fixed-array chunk index (libhdf5 ≥ 1.10, datasets with no unlimited axis): a header and one data block of
 * entries in row-major chunk order, paged when large. A lookup reads the header, the data block prefix and the
 * pages holding the wanted entries.
 */
export function fixedArrayIndex(ctx: Hdf5Context, address: number, g: ChunkGeometry): ChunkIndex {
  const grid = gridOf(g.maxShape.map((m, i) => (Number.isFinite(m) ? m : g.shape[i])), g.chunks);
  let header: Promise<{ elementSize: number; pageBits: number; count: number; block: number }> | undefined;
  const readHeader = async (signal?: AbortSignal) => {
    const c = await ctx.cursor(address, 4 + 1 + 1 + 1 + 1 + ctx.lengthSize + ctx.offsetSize + 4, 'fixed array header', 0, signal);
    c.signature('FAHD');
    c.version([0], 'fixed array header');
    const client = c.u8();
    if (client !== (g.filtered ? 1 : 0)) throw c.corrupt(`client ${client} for a ${g.filtered ? '' : 'non-'}filtered dataset`);
    const elementSize = c.u8();
    const pageBits = c.u8();
    const count = c.length();
    const block = c.address();
    verifyChecksum(c, 0);
    if (pageBits > 32 || elementSize < ctx.offsetSize) throw c.corrupt(`elements of ${elementSize} bytes, pages of 2^${pageBits}`);
    return { elementSize, pageBits, count, block };
  };
  return {
    async lookup(coords, signal) {
      // Shared by every lookup: read without any one caller's signal.
      header ??= readHeader();
      header.catch(() => (header = undefined));
      const h = await header;
      if (h.block === UNDEFINED_ADDRESS) return coords.map(() => undefined);
      const pageElements = 2 ** h.pageBits;
      const paged = h.count > pageElements;
      const pages = Math.ceil(h.count / pageElements);
      const bitmapBytes = paged ? Math.ceil(pages / 8) : 0;
      const prefix = 4 + 1 + 1 + ctx.offsetSize;
      const pre = await ctx.cursor(h.block, prefix + bitmapBytes + (paged ? 4 : 0), 'fixed array data block', 0, signal);
      pre.signature('FADB');
      pre.version([0], 'fixed array data block');
      pre.u8();
      const owner = pre.address();
      if (owner !== address) throw pre.corrupt(`belongs to the array at ${owner}, not ${address}`);
      const bitmap = pre.take(bitmapBytes);
      if (paged) verifyChecksum(pre, 0);
      // Unpaged: the whole block, its checksum verified once per lookup.
      const all = paged ? undefined : await ctx.cursor(h.block, prefix + h.count * h.elementSize + 4, 'fixed array data block', 0, signal);
      if (all) verifyChecksum(all, 0, prefix + h.count * h.elementSize);
      const out: (ChunkRecord | undefined)[] = [];
      for (const c of coords) {
        const index = linearIndex(c, grid);
        if (index >= h.count) {
          out.push(undefined);
          continue;
        }
        if (all) {
          all.seek(prefix + index * h.elementSize);
          out.push(readChunkElement(ctx, all, h.elementSize, g));
          continue;
        }
        const page = Math.floor(index / pageElements);
        if ((bitmap[page >> 3] & (0x80 >> (page & 7))) === 0) {
          out.push(undefined);
          continue;
        }
        const pageSize = pageElements * h.elementSize + 4;
        const at = h.block + prefix + bitmapBytes + 4 + page * pageSize;
        const p = await ctx.cursor(at + (index % pageElements) * h.elementSize, h.elementSize, 'fixed array page', 0, signal);
        out.push(readChunkElement(ctx, p, h.elementSize, g));
      }
      return out;
    },
  };
}
