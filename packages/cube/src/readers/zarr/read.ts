import { allocate, type ArrayValues, type Dtype } from '@cubemark/format';
import pLimit from 'p-limit';
import * as zarr from 'zarrita';
import type { RangeOptions } from '../../bytes/types.js';
import type { Hyperslab } from '../dataset.js';
import { ByteSourceError, IndexError } from '../../errors.js';
import { toArrayValues } from './dtype.js';
import { ZarrFormatError } from './errors.js';
import type { SourceStore } from './store.js';

/** A zarrita array opened on a cubemark store. */
export type ZarrArray = zarr.Array<zarr.DataType, SourceStore>;

/** What a read needs besides the array: names for messages, the dtype values are returned as, a chunk budget. */
export interface SlabTarget {
  array: ZarrArray;
  /** The store's URI, for messages. */
  uri: string;
  /** The array's path in the store, for messages. */
  name: string;
  dtype: Dtype;
  /** Chunks fetched and decoded at once. */
  concurrency: number;
}

/**
 * Read a hyperslab's stored values in C order. Only the chunks the slab touches are fetched (zarrita computes
 * them); chunks absent from the store read as the array's Zarr fill value.
 */
export async function readSlab(target: SlabTarget, slab: Hyperslab, options: RangeOptions = {}): Promise<ArrayValues> {
  const { array, dtype } = target;
  checkSlab(target, slab);
  const { signal } = options;
  try {
    if (array.shape.length === 0) {
      // zarrita's `get` unwraps a 0-d array to a bare scalar; the chunk keeps the element in its storage type.
      const chunk = await array.getChunk([], { signal });
      return toArrayValues(chunk.data, [1], [1], dtype);
    }
    if (slab.count.some((c) => c === 0)) return allocate(dtype, 0);
    const selection = slab.start.map((start, axis) => zarr.slice(start, start + slab.count[axis]));
    const result = await zarr.get(array, selection, { signal, createQueue: () => limitedQueue(target.concurrency) });
    return toArrayValues(result.data, result.shape, result.stride, dtype);
  } catch (error) {
    throw translateError(error, target, signal);
  }
}

function checkSlab(target: SlabTarget, slab: Hyperslab): void {
  const shape = target.array.shape;
  const fits =
    slab.start.length === shape.length &&
    slab.count.length === shape.length &&
    shape.every((size, axis) => {
      const start = slab.start[axis];
      const count = slab.count[axis];
      return Number.isInteger(start) && Number.isInteger(count) && start >= 0 && count >= 0 && start + count <= size;
    });
  if (!fits) {
    throw new IndexError(
      `${target.uri}: array '${target.name}': hyperslab start [${slab.start.join(', ')}] count [${slab.count.join(', ')}] ` +
        `does not fit its shape [${shape.join(', ')}]`,
    );
  }
}

/** A p-queue-shaped queue (what zarrita's `createQueue` expects) that runs at most `concurrency` tasks at once. */
function limitedQueue(concurrency: number): { add(fn: () => Promise<void>): void; onIdle(): Promise<void[]> } {
  const limit = pLimit(concurrency);
  const running: Promise<void>[] = [];
  return {
    add: (fn) => void running.push(limit(fn)),
    onIdle: () => Promise.all(running),
  };
}

/** zarrita's errors carry no URI; ours name the store and array. Byte-source errors already name their object. */
function translateError(error: unknown, target: SlabTarget, signal: AbortSignal | undefined): unknown {
  if (error instanceof ByteSourceError) return error;
  if (signal?.aborted) {
    // zarrita checks the signal between chunks and throws its bare reason; callers expect what byte sources throw.
    return new ByteSourceError('ABORTED', target.uri, `read of array '${target.name}' aborted`, { cause: error });
  }
  if (zarr.isZarritaError(error, 'UnknownCodecError')) {
    return new ZarrFormatError('ZARR_UNSUPPORTED', target.uri, `unknown codec '${error.codec}'; register it in zarrita's codec registry`, {
      array: target.name,
      cause: error,
    });
  }
  if (zarr.isZarritaError(error, 'CodecPipelineError')) {
    return new ZarrFormatError('ZARR_READ_FAILED', target.uri, `${error.message}; the chunk may be corrupt`, {
      array: target.name,
      cause: error,
    });
  }
  if (zarr.isZarritaError(error)) {
    return new ZarrFormatError('ZARR_READ_FAILED', target.uri, error.message, { array: target.name, cause: error });
  }
  return error;
}
