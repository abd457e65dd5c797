import type { RangeOptions } from '../bytes/types.js';
import type { Dataset, DatasetVariable } from '../readers/dataset.js';
import { product } from '@cubemark/format';

/**
 * Label (text) variables as Iris's `CFLabelVariable` reads them. A `char` array's characters run along one of its
 * dimensions — by convention the last (`model(ensemble, strlen)`), but files also put it first
 * (`region_name(strlen, georegion)`). Iris finds it as the one dimension the data variable lacks, and the labels
 * run along the others. Readers present `char` arrays with the last dimension folded into strings
 * (`stringDim`), so the stored layout is rebuilt here when the characters run along another axis.
 */

/** The variable's stored dimensions: its presented ones and, for a `char` array, the folded string length. */
export function storedDims(v: DatasetVariable): string[] {
  return v.stringDim === undefined ? [...v.dims] : [...v.dims, v.stringDim];
}

/** Iris's `CFLabelVariable.spans`: all but the first or all but the last stored dimension are the target's. */
export function labelSpans(v: DatasetVariable, target: DatasetVariable): boolean {
  const dims = storedDims(v);
  if (dims.length === 0) return true;
  const inTarget = (ds: string[]) => ds.every((d) => target.dims.includes(d));
  return inTarget(dims.slice(0, -1)) || inTarget(dims.slice(1));
}

/**
 * The axis the characters run along when `v` labels `data` (Iris's `cf_label_data`): the one stored dimension
 * `data` lacks. Undefined when that is not exactly one dimension, or for text not stored as `char`.
 */
export function stringAxis(v: DatasetVariable, data: DatasetVariable): number | undefined {
  if (v.stringDim === undefined) return undefined;
  const dims = storedDims(v);
  const missing = dims.map((d, i) => [d, i] as const).filter(([d]) => !data.dims.includes(d));
  return missing.length === 1 ? missing[0][1] : undefined;
}

export interface Labels {
  /** The label dimensions, in stored order (Iris's `cf_label_dimensions`). */
  dims: string[];
  shape: number[];
  values: string[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/**
 * Labels of a `char` array whose characters run along stored axis `axis` other than the last: the stored bytes
 * rebuilt from the reader's strings (each padded with NULs to the string length), then joined along `axis`.
 */
export async function transposedLabels(v: DatasetVariable, axis: number, dataset: Dataset, options?: RangeOptions): Promise<Labels> {
  const dims = storedDims(v);
  const width = dataset.dimensions.find((d) => d.name === v.stringDim)?.size ?? 0;
  const shape = [...v.shape, width];
  const rows = (await v.read({ start: v.shape.map(() => 0), count: [...v.shape] }, options)) as string[];
  const bytes = new Uint8Array(product(shape));
  rows.forEach((row, i) => bytes.set(encoder.encode(row).subarray(0, width), i * width));
  const outShape = shape.filter((_, i) => i !== axis);
  const strides = shape.map((_, d) => product(shape.slice(d + 1)));
  const n = product(outShape);
  const values = new Array<string>(n);
  const index = new Array<number>(outShape.length).fill(0);
  const chars = new Uint8Array(shape[axis]);
  for (let k = 0; k < n; k++) {
    let base = 0;
    for (let d = 0, o = 0; d < shape.length; d++) if (d !== axis) base += index[o++] * strides[d];
    for (let c = 0; c < shape[axis]; c++) chars[c] = bytes[base + c * strides[axis]];
    values[k] = decoder.decode(chars).replaceAll('\0', '').trim();
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++index[d] < outShape[d]) break;
      index[d] = 0;
    }
  }
  return { dims: dims.filter((_, i) => i !== axis), shape: outShape, values };
}
