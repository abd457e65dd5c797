import { verifyChecksum, type Hdf5Context } from '../format/context.js';
import { Cursor, UNDEFINED_ADDRESS } from '../io/cursor.js';
import { readChunkElement } from './elements.js';
import type { ChunkGeometry, ChunkIndex, ChunkRecord } from './types.js';

interface Header {
  elementSize: number;
  maxBits: number;
  indexElements: number;
  minElements: number;
  minPointers: number;
  pageBits: number;
  maxIndexSet: number;
  indexBlock: number;
}

interface SuperBlockInfo {
  dataBlocks: number;
  elements: number;
  startIndex: number;
  startBlock: number;
}

/**
 * The extensible-array chunk index (libhdf5 ≥ 1.10, datasets with one unlimited axis). Entries are numbered in
 * row-major chunk order with the unlimited axis moved first; the first few live in the index block, the rest in
 * data blocks of doubling size, reached from the index block directly or through super blocks. A lookup reads
 * the header, the index block, and only the blocks (or pages) holding the wanted entries.
 */
export function extensibleArrayIndex(ctx: Hdf5Context, address: number, g: ChunkGeometry): ChunkIndex {
  const unlimited = g.maxShape.findIndex((m) => !Number.isFinite(m));
  const order = [unlimited, ...g.chunks.map((_, i) => i).filter((i) => i !== unlimited)];
  const grid = order.map((axis) => Math.ceil((Number.isFinite(g.maxShape[axis]) ? g.maxShape[axis] : g.shape[axis]) / g.chunks[axis]));
  const O = ctx.offsetSize;
  let state: Promise<{ h: Header; info: SuperBlockInfo[]; iblockSupers: number; elements: Uint8Array[]; dblocks: number[]; sblocks: number[] }> | undefined;

  const open = async (signal?: AbortSignal) => {
    const c = await ctx.cursor(address, 4 + 1 + 1 + 6 + 6 * ctx.lengthSize + O + 4, 'extensible array header', 0, signal);
    c.signature('EAHD');
    c.version([0], 'extensible array header');
    const client = c.u8();
    if (client !== (g.filtered ? 1 : 0)) throw c.corrupt(`client ${client} for a ${g.filtered ? '' : 'non-'}filtered dataset`);
    const h: Header = {
      elementSize: c.u8(),
      maxBits: c.u8(),
      indexElements: c.u8(),
      minElements: c.u8(),
      minPointers: c.u8(),
      pageBits: c.u8(),
      maxIndexSet: 0,
      indexBlock: 0,
    };
    c.skip(4 * ctx.lengthSize);
    h.maxIndexSet = c.length();
    c.length();
    h.indexBlock = c.address();
    verifyChecksum(c, 0);
    const pow2 = (n: number) => n > 0 && (n & (n - 1)) === 0;
    if (h.maxBits > 64 || h.maxBits === 0 || !pow2(h.minElements) || !pow2(h.minPointers) || h.pageBits > 32 || h.elementSize < O) {
      throw c.corrupt(`parameters ${JSON.stringify(h)}`);
    }
    // Super block geometry, as libhdf5 derives it.
    const supers = 1 + h.maxBits - Math.log2(h.minElements);
    const info: SuperBlockInfo[] = [];
    let startIndex = 0;
    let startBlock = 0;
    for (let s = 0; s < supers; s++) {
      const dataBlocks = 2 ** Math.floor(s / 2);
      const elements = 2 ** Math.floor((s + 1) / 2) * h.minElements;
      info.push({ dataBlocks, elements, startIndex, startBlock });
      startIndex += dataBlocks * elements;
      startBlock += dataBlocks;
    }
    const iblockSupers = 2 * Math.log2(h.minPointers);
    const dblockCount = 2 * (h.minPointers - 1);
    const sblockCount = Math.max(0, supers - iblockSupers);
    const elements: Uint8Array[] = [];
    const dblocks: number[] = [];
    const sblocks: number[] = [];
    if (h.indexBlock !== UNDEFINED_ADDRESS) {
      const size = 4 + 1 + 1 + O + h.indexElements * h.elementSize + (dblockCount + sblockCount) * O + 4;
      const b = await ctx.cursor(h.indexBlock, size, 'extensible array index block', 0, signal);
      b.signature('EAIB');
      b.version([0], 'extensible array index block');
      b.u8();
      const owner = b.address();
      if (owner !== address) throw b.corrupt(`belongs to the array at ${owner}, not ${address}`);
      for (let i = 0; i < h.indexElements; i++) elements.push(b.take(h.elementSize));
      for (let i = 0; i < dblockCount; i++) dblocks.push(b.address());
      for (let i = 0; i < sblockCount; i++) sblocks.push(b.address());
      verifyChecksum(b, 0);
    }
    return { h, info, iblockSupers, elements, dblocks, sblocks };
  };

  return {
    async lookup(coords, signal) {
      // Shared by every lookup: read without any one caller's signal.
      state ??= open();
      state.catch(() => (state = undefined));
      const { h, info, iblockSupers, elements, dblocks, sblocks } = await state;
      const offsetBytes = Math.ceil(h.maxBits / 8);
      const dblockPrefix = 4 + 1 + 1 + O + offsetBytes;
      const pageElements = 2 ** h.pageBits;
      const out: (ChunkRecord | undefined)[] = [];
      for (const coord of coords) {
        let index = 0;
        for (let i = 0; i < order.length; i++) index = index * (i === 0 ? 1 : grid[i]) + coord[order[i]];
        if (h.indexBlock === UNDEFINED_ADDRESS || index > h.maxIndexSet - 1) {
          out.push(undefined);
          continue;
        }
        if (index < h.indexElements) {
          out.push(readChunkElement(ctx, new Cursor(elements[index], ctx.abs(h.indexBlock), ctx, 'extensible array index block element'), h.elementSize, g));
          continue;
        }
        const e = index - h.indexElements;
        const s = Math.floor(Math.log2(Math.floor(e / h.minElements) + 1));
        const sb = info[s];
        if (!sb) {
          out.push(undefined);
          continue;
        }
        const within = e - sb.startIndex;
        const blockInSuper = Math.floor(within / sb.elements);
        const elementInBlock = within % sb.elements;
        let dblock: number;
        let pageInit: Uint8Array | undefined;
        const paged = sb.elements > pageElements;
        if (s < iblockSupers) {
          dblock = dblocks[sb.startBlock + blockInSuper] ?? UNDEFINED_ADDRESS;
        } else {
          const sblock = sblocks[s - iblockSupers] ?? UNDEFINED_ADDRESS;
          if (sblock === UNDEFINED_ADDRESS) {
            out.push(undefined);
            continue;
          }
          const pagesPerBlock = paged ? sb.elements / pageElements : 0;
          const initBytes = paged ? Math.ceil(pagesPerBlock / 8) : 0;
          const size = 4 + 1 + 1 + O + offsetBytes + sb.dataBlocks * initBytes + sb.dataBlocks * O + 4;
          const c = await ctx.cursor(sblock, size, 'extensible array super block', 0, signal);
          c.signature('EASB');
          c.version([0], 'extensible array super block');
          c.u8();
          const owner = c.address();
          if (owner !== address) throw c.corrupt(`belongs to the array at ${owner}, not ${address}`);
          c.skip(offsetBytes);
          const inits: Uint8Array[] = [];
          for (let i = 0; i < sb.dataBlocks; i++) inits.push(c.take(initBytes));
          const addrs: number[] = [];
          for (let i = 0; i < sb.dataBlocks; i++) addrs.push(c.address());
          verifyChecksum(c, 0);
          dblock = addrs[blockInSuper];
          if (paged) pageInit = inits[blockInSuper];
        }
        if (dblock === UNDEFINED_ADDRESS) {
          out.push(undefined);
          continue;
        }
        if (!paged) {
          const c = await ctx.cursor(dblock, dblockPrefix + sb.elements * h.elementSize + 4, 'extensible array data block', 0, signal);
          c.signature('EADB');
          c.version([0], 'extensible array data block');
          c.u8();
          const owner = c.address();
          if (owner !== address) throw c.corrupt(`belongs to the array at ${owner}, not ${address}`);
          c.seek(dblockPrefix + sb.elements * h.elementSize);
          verifyChecksum(c, 0);
          c.seek(dblockPrefix + elementInBlock * h.elementSize);
          out.push(readChunkElement(ctx, c, h.elementSize, g));
          continue;
        }
        const page = Math.floor(elementInBlock / pageElements);
        if (pageInit && (pageInit[page >> 3] & (0x80 >> (page & 7))) === 0) {
          out.push(undefined);
          continue;
        }
        const pageAt = dblock + dblockPrefix + 4 + page * (pageElements * h.elementSize + 4);
        const p = await ctx.cursor(pageAt + (elementInBlock % pageElements) * h.elementSize, h.elementSize, 'extensible array page', 0, signal);
        out.push(readChunkElement(ctx, p, h.elementSize, g));
      }
      return out;
    },
  };
}
