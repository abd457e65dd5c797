import type { ArrayValues, NumericDtype } from '@cubemark/format';
import type { Hdf5Dataset as H5Dataset } from '@cubemark/hdf5';
import type { RangeOptions } from '../../bytes/types.js';
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
export async function readSlab(uri: string, dataset: H5Dataset, target: ReadTarget, layout: StoredLayout, slab: Hyperslab, options?: RangeOptions): Promise<ArrayValues> {
  options?.signal?.throwIfAborted();
  const where = `${uri}: variable '${target.name}'`;
  checkSlab(slab, layout.shape, where);
  const n = product(slab.count);
  const charLength = layout.char ? layout.storedShape[layout.storedShape.length - 1] : 0;
  if (n === 0) return allocate(layout.dtype, 0);
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
    const values = await dataset.read(selection, { signal: options?.signal });
    if (layout.dtype === 'string') return values as string[];
    return toNumericValues(values as unknown as ArrayLike<number | bigint>, layout.dtype as NumericDtype);
  } catch (error) {
    throw asFormatError(error, uri, `reading variable '${target.name}' (${target.path}) at start [${slab.start.join(', ')}] count [${slab.count.join(', ')}]`);
  }
}
