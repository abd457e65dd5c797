import type { ArrayValues, Dtype, InlineArray } from '@cubemark/format';
import { castValues, dtypeOf, product } from './dtype.js';
import { ArrayShapeError } from './errors.js';
import { gather } from './gather.js';
import { selectionShape } from './selection.js';
import type { ArrayResult, NormalisedSelection } from './types.js';
import { LazyArrayBase } from './view.js';

export interface InlineOptions {
  /** The array's dtype; values are converted to it when their container differs (default: the container's). */
  dtype?: Dtype;
  /** 1 where a value is missing; same length as `values`. */
  mask?: Uint8Array;
  /** Chunk shape to advertise, e.g. to make reductions over a large in-memory array step through it (default: the whole array). */
  chunks?: readonly number[];
}

/** A lazy array over values already in memory (format `InlineArray`: coordinate points, bounds, small data). */
export class InlineLazyArray extends LazyArrayBase {
  readonly shape: readonly number[];
  readonly dtype: Dtype;
  readonly chunks: readonly number[];
  private readonly values: ArrayValues;
  private readonly mask?: Uint8Array;

  constructor(values: ArrayValues, shape: readonly number[], options: InlineOptions = {}) {
    super();
    const n = product(shape);
    if (values.length !== n) {
      throw new ArrayShapeError(
        `inline array of shape [${shape.join(', ')}] needs ${n} values but has ${values.length}`,
      );
    }
    if (options.mask && options.mask.length !== n) {
      throw new ArrayShapeError(
        `mask of inline array of shape [${shape.join(', ')}] needs ${n} entries but has ${options.mask.length}`,
      );
    }
    if (options.chunks && options.chunks.length !== shape.length) {
      throw new ArrayShapeError(`chunks [${options.chunks.join(', ')}] do not match shape [${shape.join(', ')}]`);
    }
    this.shape = [...shape];
    this.dtype = options.dtype ?? dtypeOf(values);
    this.values = castValues(values, this.dtype);
    this.mask = options.mask && options.mask.some((m) => m !== 0) ? options.mask : undefined;
    this.chunks = options.chunks ? [...options.chunks] : [...shape];
  }

  /** The lazy array for a format `InlineArray`. */
  static fromInline(data: InlineArray): InlineLazyArray {
    return new InlineLazyArray(data.values, data.shape, { dtype: data.dtype });
  }

  async readSelection(selection: NormalisedSelection): Promise<ArrayResult> {
    const values = gather(this.values, this.shape, selection);
    const result: ArrayResult = { shape: selectionShape(selection), dtype: this.dtype, values };
    if (this.mask) {
      const mask = gather(this.mask, this.shape, selection);
      if (mask.some((m) => m !== 0)) result.mask = mask;
    }
    return result;
  }
}
