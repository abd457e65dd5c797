import type { ArrayValues } from '@cubemark/format';
import type { RangeOptions } from '../../bytes/types.js';
import type { Hyperslab } from '../dataset.js';
import { IndexError } from '../../errors.js';
import { allocate, product } from '../../lazy/dtype.js';
import { toNumericValues } from './dtype.js';
import { DatasetClosedError, Hdf5FormatError, hdf5Reason } from './errors.js';
import type { Hdf5FileLease } from './file-pool.js';
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
    // libhdf5 (via h5wasm) silently clips out-of-range selections, so this check is the only one.
    if (!Number.isSafeInteger(s) || !Number.isSafeInteger(c) || s < 0 || c < 0 || s + c > n) {
      throw new IndexError(`${where}: hyperslab start ${s}, count ${c} is outside dimension ${i} of length ${n}`);
    }
  });
}

/**
 * Read stored values of one hyperslab (no unpacking, no masking), row-major. libhdf5 reads whole chunks (and, for
 * contiguous data, at least its 64 KiB sieve buffer) and runs the filter pipeline; nothing else is fetched.
 * h5wasm is synchronous: the read blocks the event loop for its duration.
 */
export async function readSlab(
  lease: Hdf5FileLease,
  target: ReadTarget,
  layout: StoredLayout,
  slab: Hyperslab,
  options?: RangeOptions,
): Promise<ArrayValues> {
  options?.signal?.throwIfAborted();
  const where = `${lease.uri}: variable '${target.name}'`;
  checkSlab(slab, layout.shape, where);
  if (!lease.open) throw new DatasetClosedError(lease.uri, target.name);
  const n = product(slab.count);
  const charLength = layout.char ? layout.storedShape[layout.storedShape.length - 1] : 0;
  if (n === 0) return allocate(layout.dtype, 0);
  if (layout.char && charLength === 0) return allocate('string', n);

  let raw: unknown;
  try {
    const dataset = new lease.h5.Dataset(lease.file.file_id, target.path);
    if (layout.storedShape.length === 0) {
      raw = dataset.value;
    } else {
      const ranges: [number, number][] = slab.start.map((s, i) => [s, s + slab.count[i]]);
      if (layout.char) ranges.push([0, charLength]);
      raw = dataset.slice(ranges);
    }
  } catch (error) {
    throw new Hdf5FormatError(
      'HDF5_READ_FAILED',
      lease.uri,
      `reading variable '${target.name}' (${target.path}) at start [${slab.start.join(', ')}] count [${slab.count.join(', ')}] failed: ${hdf5Reason(error)}. ` +
        'The file may be damaged or truncated, or compressed with an HDF5 filter h5wasm lacks',
      { cause: error },
    );
  }

  const values = layout.dtype === 'string' ? toStrings(raw, charLength) : toNumericValues(raw, layout.dtype);
  if (values.length !== n) {
    throw new Hdf5FormatError('HDF5_READ_FAILED', lease.uri, `reading variable '${target.name}' (${target.path}) gave ${values.length} values, expected ${n}`);
  }
  return values;
}

/**
 * h5wasm's strings as `string[]`. For a `char` array (`charLength` > 0) each run of `charLength` one-character
 * strings is one value; h5wasm decodes NUL padding as '', so joining drops it.
 */
function toStrings(raw: unknown, charLength: number): string[] {
  const items = typeof raw === 'string' ? [raw] : (raw as unknown[]).map(String);
  if (charLength === 0) return items;
  const out = new Array<string>(items.length / charLength);
  for (let i = 0; i < out.length; i++) out[i] = items.slice(i * charLength, (i + 1) * charLength).join('');
  return out;
}
