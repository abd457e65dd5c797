import { Hdf5UnsupportedError } from '../../errors.js';
import { UNDEFINED_ADDRESS, type Cursor } from '../../io/cursor.js';

export type ChunkIndexInfo =
  | { type: 'btree-v1' }
  | { type: 'single'; filteredSize?: number; filterMask?: number }
  | { type: 'implicit' }
  | { type: 'fixed-array'; pageBits: number }
  | { type: 'extensible-array'; maxBits: number; indexElements: number; minPointers: number; minElements: number; pageBits: number }
  | { type: 'btree-v2'; nodeSize: number; splitPercent: number; mergePercent: number };

export type Layout =
  | { class: 'compact'; data: Uint8Array }
  | { class: 'contiguous'; address: number; size: number }
  | {
      class: 'chunked';
      /** Chunk shape, in elements, one per dataset axis. */
      chunks: number[];
      /** Bytes of one element, as the layout message gives it. */
      elementSize: number;
      /** Index address (B-tree, fixed/extensible array header, or the single chunk / first implicit chunk). */
      address: number;
      index: ChunkIndexInfo;
      /** Layout v4 flag: a partial edge chunk is stored unfiltered. */
      dontFilterPartialEdgeChunks: boolean;
    };

/** Parse a data layout message (versions 1-4). */
export function parseLayout(c: Cursor): Layout {
  const at = c.offset;
  const version = c.version([1, 2, 3, 4], 'data layout message');
  if (version <= 2) {
    const rank = c.u8();
    const cls = c.u8();
    c.skip(5);
    const address = cls === 0 ? UNDEFINED_ADDRESS : c.address();
    const dims: number[] = [];
    for (let i = 0; i < rank; i++) dims.push(c.u32());
    if (cls === 0) {
      const size = c.u32();
      return { class: 'compact', data: c.take(size) };
    }
    if (cls === 1) return { class: 'contiguous', address, size: dims.reduce((a, b) => a * b, 1) };
    if (cls === 2) {
      const elementSize = c.u32();
      return { class: 'chunked', chunks: dims.slice(0, -1), elementSize, address, index: { type: 'btree-v1' }, dontFilterPartialEdgeChunks: false };
    }
    throw c.corrupt(`layout class ${cls}`, at);
  }
  const cls = c.u8();
  switch (cls) {
    case 0: {
      const size = c.u16();
      return { class: 'compact', data: c.take(size) };
    }
    case 1:
      return { class: 'contiguous', address: c.address(), size: c.length() };
    case 2: {
      if (version === 3) {
        const rank = c.u8();
        const address = c.address();
        const dims: number[] = [];
        for (let i = 0; i < rank; i++) dims.push(c.u32());
        return { class: 'chunked', chunks: dims.slice(0, -1), elementSize: dims[rank - 1] ?? 0, address, index: { type: 'btree-v1' }, dontFilterPartialEdgeChunks: false };
      }
      const flags = c.u8();
      const rank = c.u8();
      const encoded = c.u8();
      if (encoded < 1 || encoded > 8) throw c.corrupt(`chunk dimension sizes encoded in ${encoded} bytes`);
      const dims: number[] = [];
      for (let i = 0; i < rank; i++) dims.push(c.uint(encoded, 'a chunk dimension'));
      const indexType = c.u8();
      let index: ChunkIndexInfo;
      switch (indexType) {
        case 1:
          index = flags & 2 ? { type: 'single', filteredSize: c.length(), filterMask: c.u32() } : { type: 'single' };
          break;
        case 2:
          index = { type: 'implicit' };
          break;
        case 3:
          index = { type: 'fixed-array', pageBits: c.u8() };
          break;
        case 4:
          index = { type: 'extensible-array', maxBits: c.u8(), indexElements: c.u8(), minPointers: c.u8(), minElements: c.u8(), pageBits: c.u8() };
          break;
        case 5:
          index = { type: 'btree-v2', nodeSize: c.u32(), splitPercent: c.u8(), mergePercent: c.u8() };
          break;
        default:
          throw c.corrupt(`chunk index type ${indexType}`);
      }
      const address = c.address();
      return { class: 'chunked', chunks: dims.slice(0, -1), elementSize: dims[rank - 1] ?? 0, address, index, dontFilterPartialEdgeChunks: (flags & 1) !== 0 };
    }
    case 3:
      throw new Hdf5UnsupportedError('HDF5_UNSUPPORTED', c.file.uri, at, 'virtual datasets (layout class 3) are not supported');
    default:
      throw c.corrupt(`layout class ${cls}`, at);
  }
}
