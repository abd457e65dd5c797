import type { ArrayValues, Dtype } from '@cubemark/format';
import type { RangeOptions } from '../bytes/types.js';
import { allocate, product } from '../lazy/dtype.js';
import { gather } from '../lazy/gather.js';
import { reduce, type ReduceOptions, type Reduction } from '../lazy/reduce.js';
import { isIndex, selectionShape } from '../lazy/selection.js';
import type { ArrayResult, LazyArray, NormalisedAxis, NormalisedSelection } from '../lazy/types.js';
import { chunkStartsOf, LazyArrayBase, sliceNormalised } from '../lazy/view.js';

/** The dtype `reduce` gives for `op` over `dtype` (see the lazy layer's `reduce`). */
export function reducedDtype(op: Reduction, dtype: Dtype): Dtype {
  if (op === 'count') return 'int32';
  if (op === 'min' || op === 'max') return dtype;
  return dtype === 'float32' ? 'float32' : 'float64';
}

/**
 * A reduction that has not run yet: reading (a selection of) it streams the lazy layer's `reduce` over just the
 * part of the source the selection needs. This is how `collapsed` stays lazy, as Iris's does.
 */
export class ReducedLazyArray extends LazyArrayBase {
  readonly shape: readonly number[];
  readonly dtype: Dtype;
  readonly chunks: readonly number[];
  private readonly axes: readonly number[];

  constructor(
    readonly source: LazyArray,
    readonly op: Reduction,
    axes: readonly number[],
    private readonly options: ReduceOptions = {},
  ) {
    super();
    this.axes = [...new Set(axes)].sort((a, b) => a - b);
    this.shape = source.shape.filter((_, d) => !this.axes.includes(d));
    this.chunks = source.chunks.filter((_, d) => !this.axes.includes(d));
    this.dtype = reducedDtype(op, source.dtype);
  }

  override chunkStarts(): number[][] {
    return chunkStartsOf(this.source).filter((_, d) => !this.axes.includes(d));
  }

  async readSelection(selection: NormalisedSelection, options?: RangeOptions): Promise<ArrayResult> {
    const shape = selectionShape(selection);
    if (product(shape) === 0) return { shape, dtype: this.dtype, values: allocate(this.dtype, 0) };
    let k = 0;
    const sourceSel: NormalisedAxis[] = this.source.shape.map((n, d) =>
      this.axes.includes(d) ? { start: 0, step: 1, count: n } : selection[k++],
    );
    const viewAxes: number[] = [];
    let position = 0;
    sourceSel.forEach((s, d) => {
      if (isIndex(s)) return;
      if (this.axes.includes(d)) viewAxes.push(position);
      position++;
    });
    const result = await reduce(sliceNormalised(this.source, sourceSel), this.op, viewAxes, {
      ...this.options,
      signal: options?.signal ?? this.options.signal,
    });
    return { ...result, shape };
  }
}

/**
 * A view of an array with length-1 axes inserted at `positions` of the result (NumPy's `expand_dims`): how a
 * fully collapsed coordinate keeps the shape [1] the format gives scalar coordinates.
 */
export class UnitAxesLazyArray extends LazyArrayBase {
  readonly shape: readonly number[];
  readonly dtype: Dtype;
  readonly chunks: readonly number[];

  constructor(
    readonly base: LazyArray,
    private readonly positions: readonly number[],
  ) {
    super();
    const shape = [...base.shape];
    const chunks = [...base.chunks];
    for (const p of [...positions].sort((a, b) => a - b)) {
      shape.splice(p, 0, 1);
      chunks.splice(p, 0, 1);
    }
    this.shape = shape;
    this.dtype = base.dtype;
    this.chunks = chunks;
  }

  async readSelection(selection: NormalisedSelection, options?: RangeOptions): Promise<ArrayResult> {
    const shape = selectionShape(selection);
    if (product(shape) === 0) return { shape, dtype: this.dtype, values: allocate(this.dtype, 0) };
    const baseSel = selection.filter((_, d) => !this.positions.includes(d));
    const result = await sliceNormalised(this.base, baseSel).read(options);
    return { ...result, shape };
  }
}

/**
 * An array whose values a function computes in one go, the first time any part is read (then kept): for small
 * computed results no streaming reduction covers, such as Iris's `|`-joined labels of a collapsed text coordinate.
 */
export class ComputedLazyArray extends LazyArrayBase {
  readonly shape: readonly number[];
  readonly chunks: readonly number[];
  private computed?: Promise<ArrayValues>;

  constructor(
    shape: readonly number[],
    readonly dtype: Dtype,
    private readonly compute: (options?: RangeOptions) => Promise<ArrayValues>,
  ) {
    super();
    this.shape = [...shape];
    this.chunks = [...shape];
  }

  async readSelection(selection: NormalisedSelection, options?: RangeOptions): Promise<ArrayResult> {
    this.computed ??= this.compute(options);
    const values = await this.computed.catch((error: unknown) => {
      this.computed = undefined;
      throw error;
    });
    return { shape: selectionShape(selection), dtype: this.dtype, values: gather(values, this.shape, selection) };
  }
}
