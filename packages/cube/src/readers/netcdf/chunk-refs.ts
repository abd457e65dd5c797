import type { ChunkLayout, ChunkRef } from '../types.js';
import { NC_CHAR, ncTypeDtype, ncTypeSize, type NcType } from './nc-types.js';
import type { VariableLayout } from './slab.js';

/** Largest chunk a reference names for a variable without the record dimension; larger ones split by rows. */
export const MAX_REFERENCE_CHUNK_BYTES = 16 * 1024 * 1024;

const NUMPY: Record<Exclude<NcType, typeof NC_CHAR>, string> = {
  1: '|i1',
  3: '>i2',
  4: '>i4',
  5: '>f4',
  6: '>f8',
  7: '|u1',
  8: '>u2',
  9: '>u4',
  10: '>i8',
  11: '>u8',
};

/**
 * A classic variable's bytes as Zarr chunks, uncompressed and big-endian as stored: a record variable is one chunk
 * per record (its records are interleaved with the other record variables'); any other variable is contiguous, one
 * chunk, or rows of the outermost dimensions when larger than `maxChunkBytes`. `char` variables are fixed-length
 * byte strings (`|S<n>`), their string length folded into the dtype.
 */
export function chunkLayout(layout: VariableLayout, uri: string, maxChunkBytes = MAX_REFERENCE_CHUNK_BYTES): ChunkLayout {
  const char = layout.ncType === NC_CHAR;
  const shape = char ? layout.shape.slice(0, -1) : [...layout.shape];
  const itemSize = char ? Math.max(1, layout.shape[layout.shape.length - 1] ?? 1) : ncTypeSize(layout.ncType);
  const dtype = char ? `|S${itemSize}` : NUMPY[layout.ncType as Exclude<NcType, typeof NC_CHAR>];
  const rank = shape.length;
  const chunks = [...shape];
  const refs: ChunkRef[] = [];
  const empty = shape.some((n) => n === 0);
  const fill = ncTypeDtype(layout.ncType) === 'string' ? null : 0;
  if (rank === 0) {
    refs.push({ key: '0', uri, offset: layout.begin, length: itemSize });
    return { dtype, shape, chunks, order: 'C', compressor: null, filters: null, fill_value: fill, refs };
  }
  if (layout.recordStride !== undefined) {
    chunks[0] = 1;
    const recordBytes = shape.slice(1).reduce((a, b) => a * b, itemSize);
    const rest = shape.slice(1).map(() => '0').join('.');
    if (!empty) {
      for (let r = 0; r < shape[0]; r++) {
        refs.push({ key: rest ? `${r}.${rest}` : String(r), uri, offset: layout.begin + r * layout.recordStride, length: recordBytes });
      }
    }
    return { dtype, shape, chunks: chunks.map((c) => Math.max(1, c)), order: 'C', compressor: null, filters: null, fill_value: fill, refs };
  }
  // Contiguous: split along the first dimension only (a row is everything after it), into equal chunks (Zarr
  // reads an uncompressed edge chunk as a whole chunk, so every chunk must be full).
  const rowBytes = shape.slice(1).reduce((a, b) => a * b, itemSize);
  let rows = Math.max(1, Math.min(shape[0], Math.floor(maxChunkBytes / Math.max(1, rowBytes))));
  while (shape[0] % rows !== 0) rows--;
  chunks[0] = rows;
  const rest = shape.slice(1).map(() => '0').join('.');
  if (!empty) {
    for (let i = 0, r = 0; r < shape[0]; i++, r += rows) {
      refs.push({ key: rest ? `${i}.${rest}` : String(i), uri, offset: layout.begin + r * rowBytes, length: rows * rowBytes });
    }
  }
  return { dtype, shape, chunks: chunks.map((c) => Math.max(1, c)), order: 'C', compressor: null, filters: null, fill_value: fill, refs };
}
