import type { Dtype } from '@cubemark/format';
import { IndexError } from '../../errors.js';
import { uriScheme } from '../../bytes/uri.js';
import { CombinedLazyArray } from '../combined.js';
import { isBigIntDtype, product } from '../dtype.js';
import { BLOCK_CELLS, type Statistic } from '../kernels.js';
import { SourceLazyArray } from '../source.js';
import type { TilePlan } from '../tiles.js';
import type { LazyArray } from '../types.js';
import { LazyView } from '../view.js';

/** A reduction's plan before any tile is read: its axes, result dtypes, tile size and helper threads. */

/** Values a reduction must have before helper threads pay for their messages. */
export const PARALLEL_MIN_ELEMENTS = 1 << 22;
/** Tiles the helpers may be behind the calling thread before it waits for them (each holds a tile's buffer). */
export const MAX_HELPER_LAG = 2;

export const DEFAULT_MAX_ELEMENTS_PER_STEP = 1 << 20;
/**
 * Elements per tile when the data is remote (S3, HTTP): each tile is a request, with a round trip and the
 * server's own work per request, so tiles are 4× larger (16 MB of float32; 4 in flight).
 */
export const DEFAULT_REMOTE_ELEMENTS_PER_STEP = 1 << 22;
export const DEFAULT_REDUCE_CONCURRENCY = 4;
/** Normalised, sorted, distinct axes; `IndexError` naming the bad one otherwise. */
export function normaliseAxes(axes: readonly number[], rank: number): number[] {
  const out = axes.map((a) => {
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw new IndexError(`cannot reduce over axis ${a}: the array has ${rank} dimension${rank === 1 ? '' : 's'}`);
    }
    return a < 0 ? a + rank : a;
  });
  if (new Set(out).size !== out.length) throw new IndexError(`axes [${axes.join(', ')}] name the same axis twice`);
  return out.sort((a, b) => a - b);
}

export function resultDtype(op: Statistic, dtype: Dtype): Dtype {
  switch (op) {
    case 'count':
      return 'int32';
    case 'min':
    case 'max':
      return dtype;
    default:
      return dtype === 'float32' ? 'float32' : 'float64';
  }
}

/** Whether any of `array`'s values come from a remote source (an `s3:`, `http:` or `https:` URI). */
export function isRemote(array: LazyArray): boolean {
  if (array instanceof SourceLazyArray) {
    const scheme = uriScheme(array.uri);
    return scheme === 's3' || scheme === 'http' || scheme === 'https';
  }
  if (array instanceof LazyView) return isRemote(array.base);
  if (array instanceof CombinedLazyArray) return array.parts.some(isRemote);
  return false;
}

/** Helper threads for a reduction of `array` by `plan`: `asked`, or 0 when they would not pay. */
export function helperThreads(array: LazyArray, plan: TilePlan, reduced: readonly number[], asked: number): number {
  const threads = Math.floor(asked);
  if (threads <= 0 || array.dtype === 'string' || isBigIntDtype(array.dtype)) return 0;
  if (product(array.shape) < PARALLEL_MIN_ELEMENTS) return 0;
  // Output cells one tile covers: the threads' shares are blocks of cells, so a tile over a few blocks (a spatial
  // mean's, whose rows each feed one cell) would be accumulated by one thread while the others wait.
  let cells = 1;
  for (let d = 0; d < plan.ranges.length; d++) {
    if (!reduced.includes(d)) cells *= Math.max(...plan.ranges[d].map(([a, b]) => b - a));
  }
  return cells >= 2 * BLOCK_CELLS * (threads + 1) ? threads : 0;
}
