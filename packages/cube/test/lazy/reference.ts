/**
 * Plain reference implementations the lazy layer is checked against: index lists and nested loops, no strides,
 * no composition. Slow and obvious on purpose.
 */
import type { ArrayValues } from '@cubemark/format';
import type { AxisSelection } from '../../src/lazy/types.js';

/** CPython's PySlice_AdjustIndices, then the explicit index list; `undefined` for an out-of-range index. */
export function refIndices(sel: AxisSelection | undefined, length: number): number[] | undefined {
  if (sel === undefined) return Array.from({ length }, (_, i) => i);
  if (typeof sel === 'number') {
    const i = sel < 0 ? sel + length : sel;
    return i >= 0 && i < length ? [i] : undefined;
  }
  const step = sel.step ?? 1;
  // A bound counts from the end when negative, and is clipped to what a step of its sign can reach.
  const clip = (bound: number): number => {
    if (bound < 0) return bound + length < 0 ? (step < 0 ? -1 : 0) : bound + length;
    return bound >= length ? (step < 0 ? length - 1 : length) : bound;
  };
  const start = sel.start === undefined ? (step < 0 ? length - 1 : 0) : clip(sel.start);
  const stop = sel.stop === undefined ? (step < 0 ? -1 : length) : clip(sel.stop);
  const out: number[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(i);
  else for (let i = start; i > stop; i += step) out.push(i);
  return out;
}

export interface RefArray<T = number> {
  shape: number[];
  values: T[];
}

/** `a[selection]` by index lists; `undefined` when an index is out of range. */
export function refSlice<T>(a: RefArray<T>, selection: readonly AxisSelection[]): RefArray<T> | undefined {
  if (selection.length > a.shape.length) return undefined;
  const lists: number[][] = [];
  const shape: number[] = [];
  for (let d = 0; d < a.shape.length; d++) {
    const idx = refIndices(selection[d], a.shape[d]);
    if (!idx) return undefined;
    lists.push(idx);
    if (typeof selection[d] !== 'number') shape.push(idx.length);
  }
  const values: T[] = [];
  const strides = a.shape.map((_, d) => a.shape.slice(d + 1).reduce((p, n) => p * n, 1));
  const walk = (d: number, offset: number): void => {
    if (d === a.shape.length) {
      values.push(a.values[offset]);
      return;
    }
    for (const i of lists[d]) walk(d + 1, offset + i * strides[d]);
  };
  walk(0, 0);
  return { shape, values };
}

/** The cells of `shape` in row-major order, as index tuples. */
export function cells(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const n of shape) out = out.flatMap((prefix) => Array.from({ length: n }, (_, i) => [...prefix, i]));
  return out;
}

/** Values of any container as a plain list, for comparisons. */
export function list(values: ArrayValues): (number | bigint | string)[] {
  return Array.from(values as ArrayLike<number | bigint | string>);
}
