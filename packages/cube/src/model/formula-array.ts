import type { NumericDtype } from '@cubemark/format';
import type { RangeOptions } from '../bytes/types.js';
import { allocate, isBigIntDtype, isFloatDtype, product, stridesOf } from '../lazy/dtype.js';
import { isIndex, selectionShape } from '../lazy/selection.js';
import type { ArrayResult, LazyArray, NormalisedAxis, NormalisedSelection } from '../lazy/types.js';
import { LazyArrayBase, readNormalised } from '../lazy/view.js';

/** One input of a formula: a lazy array and, per axis of it, the output axis it lies along. */
export interface FormulaTerm {
  readonly array: LazyArray;
  /**
   * For each axis of `array`, the output axis it runs along; `-1` for a length-1 axis that is no output axis (a
   * scalar coordinate's). Output axes a term lacks are broadcast.
   */
  readonly axes: readonly number[];
}

/** `values[t]` is term `t`'s element (0 for a missing term, as Iris treats an absent factory term); `k` as below. */
export type Formula = (values: Float64Array, k: number) => number;

export interface FormulaOptions {
  /** Output axis whose base index the formula receives as `k` (ocean_sigma_z's level index); default none (k = 0). */
  indexAxis?: number;
}

/**
 * An array computed element by element from other lazy arrays, broadcast NumPy-style over the output's axes: a
 * derived coordinate (`delta + sigma * orography`), a midpoint. A read reads only the part of each term the
 * selection needs; an element is masked where any term's element is.
 */
export class FormulaLazyArray extends LazyArrayBase {
  readonly shape: readonly number[];
  readonly chunks: readonly number[];

  constructor(
    shape: readonly number[],
    readonly dtype: NumericDtype,
    private readonly terms: readonly (FormulaTerm | undefined)[],
    private readonly formula: Formula,
    private readonly options: FormulaOptions = {},
  ) {
    super();
    this.shape = [...shape];
    this.chunks = [...shape];
  }

  async readSelection(selection: NormalisedSelection, options?: RangeOptions): Promise<ArrayResult> {
    const outShape = selectionShape(selection);
    const n = product(outShape);
    const values = allocate(this.dtype, n);
    const outPos: number[] = [];
    let rank = 0;
    for (const s of selection) outPos.push(isIndex(s) ? -1 : rank++);

    const inputs = await Promise.all(
      this.terms.map(async (term) => {
        if (!term) return undefined;
        const termSel: NormalisedAxis[] = term.axes.map((a) => (a < 0 ? { index: 0 } : selection[a]));
        const result = await readNormalised(term.array, termSel, options);
        const resultStrides = stridesOf(result.shape);
        const strides = new Array<number>(rank).fill(0);
        let r = 0;
        term.axes.forEach((a, j) => {
          if (isIndex(termSel[j])) return;
          strides[outPos[a]] = resultStrides[r++];
        });
        return { values: result.values, mask: result.mask, strides };
      }),
    );

    const kAxis = this.options.indexAxis;
    const kSel = kAxis === undefined ? undefined : selection[kAxis];
    const v = new Float64Array(this.terms.length);
    const offsets = new Array<number>(this.terms.length).fill(0);
    const idx = new Array<number>(rank).fill(0);
    const mask = new Uint8Array(n);
    let anyMasked = false;
    const big = isBigIntDtype(this.dtype);
    const float = isFloatDtype(this.dtype);
    for (let i = 0; i < n; i++) {
      let masked = false;
      for (let t = 0; t < inputs.length; t++) {
        const input = inputs[t];
        if (!input) {
          v[t] = 0;
          continue;
        }
        const o = offsets[t];
        if (input.mask && input.mask[o]) masked = true;
        v[t] = Number(input.values[o]);
      }
      let k = 0;
      if (kSel !== undefined) k = isIndex(kSel) ? kSel.index : kSel.start + idx[outPos[kAxis!]] * kSel.step;
      let x = masked ? NaN : this.formula(v, k);
      if (masked || (!float && !Number.isFinite(x))) {
        mask[i] = 1;
        anyMasked = true;
        if (!float) x = 0;
      }
      if (big) (values as BigInt64Array)[i] = BigInt(Math.trunc(x));
      else (values as Float64Array)[i] = float ? x : Math.trunc(x);
      for (let d = rank - 1; d >= 0; d--) {
        idx[d]++;
        for (let t = 0; t < inputs.length; t++) if (inputs[t]) offsets[t] += inputs[t]!.strides[d];
        if (idx[d] < outShape[d]) break;
        for (let t = 0; t < inputs.length; t++) if (inputs[t]) offsets[t] -= inputs[t]!.strides[d] * outShape[d];
        idx[d] = 0;
      }
    }
    const result: ArrayResult = { shape: outShape, dtype: this.dtype, values };
    if (anyMasked) result.mask = mask;
    return result;
  }
}
