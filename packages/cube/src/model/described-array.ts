import type { ArrayData, ArrayValues, Dtype } from '@cubemark/format';
import type { RangeOptions } from '../bytes/types.js';
import { dtypeOf } from '../lazy/dtype.js';
import { fromArrayData, type LazyContext } from '../lazy/from-data.js';
import { InlineLazyArray } from '../lazy/inline.js';
import { normaliseSelection } from '../lazy/selection.js';
import type { ArrayResult, AxisSelection, LazyArray, NormalisedSelection } from '../lazy/types.js';
import { chunkStartsOf, sliceNormalised } from '../lazy/view.js';
import {
  inlineValuesOf,
  isDescribed,
  isFullSelection,
  sliceDescription,
  type Description,
  type SourceList,
} from './array-data.js';
import { NotRepresentableError } from './errors.js';

/**
 * A lazy array that also knows how to write itself in the format: the `ArrayData` it came from (or a view of it),
 * or why the format cannot describe it. Coordinates, cell measures, ancillary variables and cube data are held
 * as these, so a cube converts back to metadata without reading anything.
 *
 * The description is worked out only when asked for (`description()`), so slicing costs no copying until then.
 */
export class DescribedArray implements LazyArray {
  readonly shape: readonly number[];
  readonly dtype: Dtype;
  readonly chunks: readonly number[];
  private described?: Description;

  constructor(
    /** The values, lazily. */
    readonly lazy: LazyArray,
    private readonly describe: () => Description,
  ) {
    this.shape = lazy.shape;
    this.dtype = lazy.dtype;
    this.chunks = lazy.chunks;
  }

  /** The array a format `ArrayData` describes; `sources` is the list its source indices point into. */
  static fromData(data: ArrayData, lazy: LazyContext, sources: SourceList = lazy.sources): DescribedArray {
    const description = { data, sources };
    return new DescribedArray(fromArrayData(data, lazy), () => description);
  }

  /** Values in memory, described as an inline array. */
  static fromValues(values: ArrayValues, shape: readonly number[], dtype: Dtype = dtypeOf(values)): DescribedArray {
    const lazy = new InlineLazyArray(values, shape, { dtype });
    const description: Description = { data: { kind: 'inline', dtype, shape: [...shape], values }, sources: [] };
    return new DescribedArray(lazy, () => description);
  }

  /** A lazy array the format cannot describe (a formula, a reduction); `reason` says what it is. */
  static opaque(lazy: LazyArray, reason: string): DescribedArray {
    if (lazy instanceof DescribedArray) return lazy;
    return new DescribedArray(lazy, () => ({ reason }));
  }

  /**
   * Whatever a caller hands a constructor: a described or plain lazy array, typed values, or a plain list
   * (numbers become float64, strings `string`). `shape` defaults to one axis of all the values.
   */
  static from(input: LazyArray | ArrayValues | readonly number[], shape?: readonly number[]): DescribedArray {
    if (input instanceof DescribedArray) return input;
    if (isLazy(input)) return DescribedArray.opaque(input, 'it was made in memory by a computation, not read from a publication');
    const values: ArrayValues =
      Array.isArray(input) && input.length > 0 && input.every((v) => typeof v === 'string')
        ? [...(input as string[])]
        : ArrayBuffer.isView(input)
          ? (input as ArrayValues)
          : Float64Array.from(input as readonly number[]);
    return DescribedArray.fromValues(values, shape ?? [values.length]);
  }

  description(): Description {
    this.described ??= this.describe();
    return this.described;
  }

  /** The format's description, or `NotRepresentableError` naming `what` (e.g. "the data of cube 'tas'"). */
  arrayData(what: string): { data: ArrayData; sources: SourceList } {
    const d = this.description();
    if (isDescribed(d)) return d;
    throw new NotRepresentableError(`${what} cannot be written to a publication: ${d.reason}`);
  }

  /** The values, when they are in the description itself (inline or regular): a cheap, synchronous realisation. */
  inlineValues(): ArrayValues | undefined {
    const d = this.description();
    return isDescribed(d) ? inlineValuesOf(d.data) : undefined;
  }

  slice(selection: readonly AxisSelection[]): DescribedArray {
    return this.sliceNormalised(normaliseSelection(selection, this.shape));
  }

  /** A view by a selection already normalised against this array's shape. */
  sliceNormalised(selection: NormalisedSelection): DescribedArray {
    if (isFullSelection(selection, this.shape)) return this;
    return new DescribedArray(sliceNormalised(this.lazy, selection), () => sliceDescription(this.description(), selection));
  }

  read(options?: RangeOptions): Promise<ArrayResult> {
    return this.lazy.read(options);
  }

  chunkStarts(): number[][] {
    return chunkStartsOf(this.lazy);
  }

  /** All values: from the description when inline (no read), otherwise by reading. */
  async values(options?: RangeOptions): Promise<ArrayResult> {
    const inline = this.inlineValues();
    if (inline) return { shape: [...this.shape], dtype: this.dtype, values: inline };
    return this.read(options);
  }
}

function isLazy(x: unknown): x is LazyArray {
  return typeof x === 'object' && x !== null && typeof (x as LazyArray).read === 'function' && 'shape' in x;
}
