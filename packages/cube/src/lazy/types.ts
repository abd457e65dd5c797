import type { ArrayValues, Dtype } from '@cubemark/format';
import type { RangeOptions } from '../bytes/types.js';

/**
 * One axis of a selection, with NumPy semantics: a single index (the axis is dropped; negative counts from the
 * end), or a strided range `[start, stop)`. Omitted range fields mean NumPy's `None` (the whole axis in the
 * step's direction), which is the only way to write "down to index 0" with a negative step. Negative steps are
 * allowed; a zero step is an error.
 */
export type AxisSelection = number | AxisSlice;

/** A range on one axis; every field optional, as in `a[start:stop:step]`. */
export interface AxisSlice {
  start?: number;
  stop?: number;
  step?: number;
}

/**
 * One axis of a selection once normalised against a length: an in-range index (axis dropped), or `count`
 * elements `start, start + step, ...` (all in range; `step` non-zero, may be negative).
 */
export type NormalisedAxis = { readonly index: number } | { readonly start: number; readonly step: number; readonly count: number };

/** A selection with exactly one normalised entry per axis of the array it applies to. */
export type NormalisedSelection = readonly NormalisedAxis[];

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
  /**
   * Per axis, the ascending indices at which a storage chunk starts inside this array (the first is 0). Views
   * and combined arrays have irregular chunking that `chunks` cannot describe; reductions align reads to these.
   * Optional: when absent, a regular grid of `chunks` is assumed.
   */
  chunkStarts?(): number[][];
}
