import type { ArrayValues, Dtype } from '@cubemark/format';
import type { RangeOptions } from '../bytes/types.js';

/**
 * One axis of a selection: a single index (the axis is dropped), or a strided range `[start, stop)`.
 * Negative steps are allowed, as in NumPy.
 */
export type AxisSelection = number | { start: number; stop: number; step: number };

/** Values read from a lazy array, with a mask for missing values (CF fill/missing/valid range). */
export interface ArrayResult {
  shape: number[];
  dtype: Dtype;
  /** Row-major values (unpacked: scale/offset applied). */
  values: ArrayValues;
  /** `mask[i]` is 1 where values[i] is missing; absent when nothing is masked. */
  mask?: Uint8Array;
}

/**
 * An n-dimensional array whose values stay where they are until read. Knows its shape, dtype and chunks; slicing
 * gives another lazy array (a view) without reading anything.
 */
export interface LazyArray {
  readonly shape: readonly number[];
  readonly dtype: Dtype;
  /** Chunk shape reads are best aligned to (the storage chunks, or the whole array for inline data). */
  readonly chunks: readonly number[];
  /** A view: one entry per axis (missing trailing axes are taken whole). Reads nothing. */
  slice(selection: readonly AxisSelection[]): LazyArray;
  /** Read all values of this (view of the) array. */
  read(options?: RangeOptions): Promise<ArrayResult>;
}
