import { IndexError } from '../errors.js';
import type { AxisSelection, NormalisedAxis, NormalisedSelection } from './types.js';

/**
 * Selection maths with NumPy semantics, kept free of I/O so views compose arithmetically: a view of a view is one
 * `NormalisedSelection` on the base array, never a chain.
 */

export interface NormaliseOptions {
  /** Dimension names, used only to make error messages say which axis (`axis 1 ('latitude', length 73)`). */
  axisNames?: readonly string[];
}

function describeAxis(axis: number, length: number, options?: NormaliseOptions): string {
  const name = options?.axisNames?.[axis];
  return name === undefined ? `axis ${axis} (length ${length})` : `axis ${axis} ('${name}', length ${length})`;
}

/** True for an entry that drops its axis. */
export function isIndex(axis: NormalisedAxis): axis is { readonly index: number } {
  return 'index' in axis;
}

/** The whole of every axis of `shape`. */
export function fullSelection(shape: readonly number[]): NormalisedSelection {
  return shape.map((n) => ({ start: 0, step: 1, count: n }));
}

/** Shape of what a normalised selection yields: the counts of its ranges (index entries drop their axis). */
export function selectionShape(selection: NormalisedSelection): number[] {
  const shape: number[] = [];
  for (const s of selection) if (!isIndex(s)) shape.push(s.count);
  return shape;
}

/** Base indices one normalised entry selects, in output order. */
export function axisIndices(axis: NormalisedAxis): number[] {
  if (isIndex(axis)) return [axis.index];
  return Array.from({ length: axis.count }, (_, j) => axis.start + j * axis.step);
}

/** An empty range's start and step are irrelevant; one canonical form keeps equal selections equal. */
const EMPTY: NormalisedAxis = Object.freeze({ start: 0, step: 1, count: 0 });

/** Python's `slice.indices(length)`, returning the first index, step and count. */
function normaliseRange(
  sel: { start?: number; stop?: number; step?: number },
  length: number,
  axis: number,
  options?: NormaliseOptions,
): NormalisedAxis {
  const step = sel.step ?? 1;
  if (!Number.isInteger(step) || step === 0) {
    throw new IndexError(`slice step ${step} on ${describeAxis(axis, length, options)} must be a non-zero integer`);
  }
  for (const [key, v] of [['start', sel.start], ['stop', sel.stop]] as const) {
    // Infinite bounds are a convenient "to the end" in JavaScript; they clamp like any out-of-range bound.
    if (v !== undefined && !Number.isInteger(v) && Math.abs(v) !== Infinity) {
      throw new IndexError(`slice ${key} ${v} on ${describeAxis(axis, length, options)} must be an integer`);
    }
  }
  const clamp = (v: number, lo: number, hi: number): number => {
    const w = v < 0 ? v + length : v;
    return w < lo ? lo : w > hi ? hi : w;
  };
  let start: number;
  let stop: number;
  let count: number;
  if (step > 0) {
    start = sel.start === undefined ? 0 : clamp(sel.start, 0, length);
    stop = sel.stop === undefined ? length : clamp(sel.stop, 0, length);
    count = stop > start ? Math.ceil((stop - start) / step) : 0;
  } else {
    start = sel.start === undefined ? length - 1 : clamp(sel.start, -1, length - 1);
    stop = sel.stop === undefined ? -1 : clamp(sel.stop, -1, length - 1);
    count = start > stop ? Math.ceil((stop - start) / step) : 0;
  }
  return count === 0 ? EMPTY : { start, step, count };
}

/**
 * One normalised entry per axis of `shape`: indices made non-negative and checked, ranges clamped as NumPy does
 * (`a[5:100]` on a length-10 axis is `a[5:10]`). Missing trailing axes are taken whole. Throws `IndexError` for an
 * out-of-range index, a zero or fractional step, or more entries than axes.
 */
export function normaliseSelection(
  selection: readonly AxisSelection[],
  shape: readonly number[],
  options?: NormaliseOptions,
): NormalisedAxis[] {
  if (selection.length > shape.length) {
    throw new IndexError(
      `too many indices: ${selection.length} given for an array of ${shape.length} dimension${shape.length === 1 ? '' : 's'} (shape [${shape.join(', ')}])`,
    );
  }
  return shape.map((length, axis) => {
    const sel = selection[axis];
    if (sel === undefined) return { start: 0, step: 1, count: length };
    if (typeof sel === 'number') {
      if (!Number.isInteger(sel)) {
        throw new IndexError(`index ${sel} on ${describeAxis(axis, length, options)} must be an integer`);
      }
      const index = sel < 0 ? sel + length : sel;
      if (index < 0 || index >= length) {
        throw new IndexError(`index ${sel} is out of range for ${describeAxis(axis, length, options)}`);
      }
      return { index };
    }
    return normaliseRange(sel, length, axis, options);
  });
}

/**
 * The selection on the base equivalent to applying `inner` (normalised against the view's shape) to the view
 * `outer` (normalised against the base's shape).
 */
export function composeSelections(outer: NormalisedSelection, inner: NormalisedSelection): NormalisedAxis[] {
  let k = 0;
  const composed = outer.map((o): NormalisedAxis => {
    if (isIndex(o)) return o;
    const i = inner[k++];
    if (i === undefined) throw new IndexError('internal: inner selection has fewer entries than the view has axes');
    if (isIndex(i)) return { index: o.start + i.index * o.step };
    if (i.count === 0) return EMPTY;
    return { start: o.start + i.start * o.step, step: o.step * i.step, count: i.count };
  });
  if (k !== inner.length) throw new IndexError('internal: inner selection has more entries than the view has axes');
  return composed;
}

/**
 * An `AxisSelection` that normalises back to `axis` on any axis long enough to contain it, for handing a
 * normalised selection to an arbitrary `LazyArray.slice`.
 */
export function toAxisSelection(axis: NormalisedAxis): AxisSelection {
  if (isIndex(axis)) return axis.index;
  if (axis.count === 0) return { start: 0, stop: 0, step: 1 };
  const stop = axis.start + axis.count * axis.step;
  // With a negative step a stop of -1 would mean "the last element"; leave it out to mean "past index 0".
  return stop < 0 ? { start: axis.start, step: axis.step } : { start: axis.start, stop, step: axis.step };
}

/** Lowest base index and extent one entry touches: the bounding range a reader must fetch. */
export function boundingRange(axis: NormalisedAxis): { start: number; count: number } {
  if (isIndex(axis)) return { start: axis.index, count: 1 };
  if (axis.count === 0) return { start: 0, count: 0 };
  const last = axis.start + (axis.count - 1) * axis.step;
  return { start: Math.min(axis.start, last), count: Math.abs(last - axis.start) + 1 };
}
