import type { ArrayValues, JsonValue, NumericDtype, SourceArray } from '@cubemark/format';
import type { Hyperslab } from '../dataset.js';
import { DatasetFormatError } from '../../errors.js';
import { allocate, isBigIntDtype, product } from '../../lazy/dtype.js';
import { gather } from '../../lazy/gather.js';
import type { ChunkLayout, DataSourcePlugin, SlabReader } from '../types.js';
import { encodeVlenUtf8 } from '../vlen-utf8.js';

/**
 * The `inline` data-source plugin: stored values recorded in the document itself, in `SourceArray.options.values`
 * (row-major JSON numbers of `stored_dtype`, else `dtype`). It lets small packed arrays keep their CF encoding
 * (scale, offset, fill) in the metadata, and gives the lazy layer a backend that needs no file. It opens no
 * datasets and never claims an object when detecting formats.
 */
export const inlinePlugin: DataSourcePlugin = {
  name: 'inline',
  sniff: () => false,
  async openDataset(uri) {
    throw new DatasetFormatError(
      'NOT_A_DATASET',
      uri,
      "the 'inline' plugin reads values recorded in a SourceArray's options and cannot open a dataset; name the file's real format",
    );
  },
  async openArray(ref, uri) {
    const stored = decodeValues(ref, uri);
    const reader: SlabReader = async (slab: Hyperslab) => {
      checkSlab(slab, ref, uri);
      return gather(
        stored,
        ref.shape,
        slab.start.map((start, d) => ({ start, step: 1, count: slab.count[d] })),
      );
    };
    return reader;
  },
  async chunkRefs(ref, uri) {
    return inlineChunkLayout(ref, decodeValues(ref, uri), uri);
  },
};

const NUMPY: Record<NumericDtype, string> = {
  int8: '|i1', uint8: '|u1', int16: '<i2', uint16: '<u2', int32: '<i4', uint32: '<u4',
  int64: '<i8', uint64: '<u8', float32: '<f4', float64: '<f8',
};

/**
 * The recorded values as one inline chunk for reference files: numbers little-endian in the stored dtype, strings
 * in numcodecs' VLenUTF8 encoding (a count, then each length and its UTF-8 bytes).
 */
function inlineChunkLayout(ref: SourceArray, values: ArrayValues, uri: string): ChunkLayout {
  const shape = [...ref.shape];
  const key = shape.length === 0 ? '0' : shape.map(() => 0).join('.');
  const chunks = shape.map((n) => Math.max(1, n));
  const empty = shape.some((n) => n === 0);
  if (Array.isArray(values)) {
    const data = encodeVlenUtf8(values);
    return { dtype: '|O', shape, chunks, order: 'C', compressor: null, filters: [{ id: 'vlen-utf8' }], fill_value: null, refs: empty ? [] : [{ key, uri, data }] };
  }
  const typed = values as Exclude<ArrayValues, string[]>;
  const data = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  const dtype = NUMPY[(ref.stored_dtype ?? ref.dtype) as NumericDtype];
  return { dtype, shape, chunks, order: 'C', compressor: null, filters: null, fill_value: null, refs: empty ? [] : [{ key, uri, data }] };
}

function decodeValues(ref: SourceArray, uri: string): ArrayValues {
  const raw: JsonValue | undefined = ref.options?.values;
  const dtype: NumericDtype | 'string' = ref.stored_dtype ?? ref.dtype;
  const where = `variable '${ref.variable}'`;
  const n = product(ref.shape);
  if (!Array.isArray(raw) || raw.length !== n) {
    throw new DatasetFormatError(
      'BAD_INLINE_VALUES',
      uri,
      `${where}: options.values must be a list of ${n} values for shape [${ref.shape.join(', ')}]`,
    );
  }
  if (dtype === 'string') {
    if (!raw.every((v): v is string => typeof v === 'string')) {
      throw new DatasetFormatError('BAD_INLINE_VALUES', uri, `${where}: options.values must all be strings`);
    }
    return [...raw];
  }
  const out = allocate(dtype, n);
  const big = isBigIntDtype(dtype);
  raw.forEach((v, i) => {
    // 64-bit integers beyond 2^53 are written as quoted decimal strings (spec §13.2).
    if (big && typeof v === 'string' && /^-?\d+$/.test(v)) {
      (out as BigInt64Array)[i] = BigInt(v);
      return;
    }
    if (typeof v !== 'number' || (!Number.isInteger(v) && !dtype.startsWith('float'))) {
      throw new DatasetFormatError(
        'BAD_INLINE_VALUES',
        uri,
        `${where}: options.values[${i}] is ${JSON.stringify(v)}, not a ${dtype} number`,
      );
    }
    if (big) (out as BigInt64Array)[i] = BigInt(v);
    else (out as Float64Array)[i] = v;
  });
  return out;
}

function checkSlab(slab: Hyperslab, ref: SourceArray, uri: string): void {
  const ok =
    slab.start.length === ref.shape.length &&
    slab.count.length === ref.shape.length &&
    slab.start.every((s, d) => s >= 0 && slab.count[d] >= 0 && s + slab.count[d] <= ref.shape[d]);
  if (!ok) {
    throw new DatasetFormatError(
      'BAD_SLAB',
      uri,
      `variable '${ref.variable}': hyperslab start [${slab.start.join(', ')}] count [${slab.count.join(', ')}] does not fit shape [${ref.shape.join(', ')}]`,
    );
  }
}
