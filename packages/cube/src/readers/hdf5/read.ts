import type { ArrayValues, NumericDtype } from '@cubemark/format';
import type { Hdf5Dataset as H5Dataset } from '@cubemark/hdf5';
import type { RangeOptions } from '../../bytes/types.js';
import type { StoredReadOptions } from '../types.js';
import type { Hyperslab } from '../dataset.js';
import { IndexError } from '../../errors.js';
import { allocate, product } from '../../lazy/dtype.js';
import { toNumericValues } from './dtype.js';
import { asFormatError } from './errors.js';
import type { StoredLayout } from './layout.js';

/** Which dataset a read is for: its NetCDF name (for messages) and HDF5 path. */
export interface ReadTarget {
  name: string;
  path: string;
}

function checkSlab(slab: Hyperslab, shape: readonly number[], where: string): void {
  const { start, count } = slab;
  if (start.length !== shape.length || count.length !== shape.length) {
    throw new IndexError(`${where}: a hyperslab of rank ${start.length}/${count.length} does not fit shape [${shape.join(', ')}]`);
  }
  shape.forEach((n, i) => {
    const s = start[i];
    const c = count[i];
    if (!Number.isSafeInteger(s) || !Number.isSafeInteger(c) || s < 0 || c < 0 || s + c > n) {
      throw new IndexError(`${where}: hyperslab start ${s}, count ${c} is outside dimension ${i} of length ${n}`);
    }
  });
}

const decoder = new TextDecoder('utf-8');

/**
 * Read stored values of one hyperslab (no unpacking, no masking), row-major, through the byte source: the chunk
 * index nodes the slab needs (once per file), then its chunks, merged and fetched concurrently, decoded here.
 */
export async function readSlab(uri: string, dataset: H5Dataset, target: ReadTarget, layout: StoredLayout, slab: Hyperslab, options?: StoredReadOptions): Promise<ArrayValues> {
  options?.signal?.throwIfAborted();
  const where = `${uri}: variable '${target.name}'`;
  checkSlab(slab, layout.shape, where);
  const n = product(slab.count);
  const charLength = layout.char ? layout.storedShape[layout.storedShape.length - 1] : 0;
  if (n === 0) return allocate(layout.dtype, 0);
  const stored = layout.shape.map((_, i) => layout.storedShape[i]);
  if (slab.start.some((s, i) => s + slab.count[i] > stored[i])) return readPastStored(uri, dataset, target, layout, slab, stored, options);
  if (layout.char && charLength === 0) return allocate('string', n);
  const selection = layout.char ? { start: [...slab.start, 0], count: [...slab.count, charLength] } : { start: slab.start, count: slab.count };
  try {
    if (layout.char) {
      // NetCDF `char`: each run of `charLength` bytes is one string; NUL padding is dropped.
      const raw = await dataset.readRaw(selection, { signal: options?.signal });
      const out = new Array<string>(n);
      for (let i = 0; i < n; i++) out[i] = decoder.decode(raw.subarray(i * charLength, (i + 1) * charLength).filter((b) => b !== 0));
      return out;
    }
    const values = await dataset.read(selection, { signal: options?.signal, into: options?.into });
    if (layout.dtype === 'string') return values as string[];
    return toNumericValues(values as unknown as ArrayLike<number | bigint>, layout.dtype as NumericDtype);
  } catch (error) {
    throw asFormatError(error, uri, `reading variable '${target.name}' (${target.path}) at start [${slab.start.join(', ')}] count [${slab.count.join(', ')}]`);
  }
}

/**
 * A slab reaching past what the dataset stored along an unlimited axis (netCDF records it never wrote): the
 * stored part read, the rest its fill value (the HDF5 fill value netCDF-C sets from `_FillValue` or the default).
 */
async function readPastStored(uri: string, dataset: H5Dataset, target: ReadTarget, layout: StoredLayout, slab: Hyperslab, stored: number[], options?: RangeOptions): Promise<ArrayValues> {
  const n = product(slab.count);
  const inner = slab.start.map((s, i) => Math.max(0, Math.min(s + slab.count[i], stored[i]) - s));
  const out = allocate(layout.dtype, n);
  const fill = fillValueOf(dataset, layout);
  if (fill !== undefined) (out as { fill(v: unknown): void }).fill(fill);
  if (product(inner) === 0) return out;
  const part = await readSlab(uri, dataset, target, { ...layout, shape: stored }, { start: slab.start, count: inner }, options);
  // Copy the part into place, row by row of the last axis.
  const rank = inner.length;
  const index = new Array<number>(rank).fill(0);
  const rows = product(inner.slice(0, -1));
  const run = inner[rank - 1];
  for (let r = 0; r < rows; r++) {
    let at = 0;
    for (let i = 0; i < rank; i++) at = at * slab.count[i] + (i < rank - 1 ? index[i] : 0);
    for (let k = 0; k < run; k++) (out as unknown as unknown[])[at + k] = (part as unknown as unknown[])[r * run + k];
    for (let a = rank - 2; a >= 0; a--) {
      if (++index[a] < inner[a]) break;
      index[a] = 0;
    }
  }
  return out;
}

/** The dataset's fill value as one value of the presented dtype, if it has one. */
export function fillValueOf(dataset: H5Dataset, layout: StoredLayout): number | bigint | string | undefined {
  const bytes = dataset.fillValue;
  if (layout.dtype === 'string') return '';
  if (!bytes) return undefined;
  const type = dataset.datatype;
  const le = type.class === 'integer' || type.class === 'float' ? type.littleEndian : true;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (layout.dtype) {
    case 'int8': return view.getInt8(0);
    case 'uint8': return view.getUint8(0);
    case 'int16': return view.getInt16(0, le);
    case 'uint16': return view.getUint16(0, le);
    case 'int32': return view.getInt32(0, le);
    case 'uint32': return view.getUint32(0, le);
    case 'int64': return view.getBigInt64(0, le);
    case 'uint64': return view.getBigUint64(0, le);
    case 'float32': return view.getFloat32(0, le);
    case 'float64': return view.getFloat64(0, le);
    default: return undefined;
  }
}
