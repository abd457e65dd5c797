import { allocate, type ArrayValues, type Dtype } from '@cubemark/format';
import type { DataType } from 'zarrita';

/**
 * Zarr data types as the NetCDF data model's. zarrita has already normalised v2 dtypes (`<f4`, `>i2`, `|S8`,
 * `<U4`, `|O`) and v3 `data_type`s to one vocabulary, with byte order handled by its codecs.
 *
 * - numeric types map one to one;
 * - `bool` becomes `uint8` (0/1), as NetCDF has no boolean;
 * - fixed-width byte and unicode strings (`|S`, `<U`), v3 `string` and v2 `|O` with `vlen-utf8` become `string`.
 *
 * `float16` needs `Float16Array`, which Node 20 lacks; zarrita rejects it before it gets here.
 */
export function toDtype(dataType: DataType): Dtype | undefined {
  switch (dataType) {
    case 'int8':
    case 'uint8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'int64':
    case 'uint64':
    case 'float32':
    case 'float64':
      return dataType;
    case 'bool':
      return 'uint8';
    case 'string':
    case 'v2:object':
      return 'string';
    default:
      return /^v2:[US]\d+$/.test(dataType) ? 'string' : undefined;
  }
}

/** An element-wise view of what zarrita returns: typed arrays, its Bool/ByteString/UnicodeString arrays, or plain arrays. */
type ZarritaData = ArrayLike<unknown> | { length: number; get(index: number): unknown };

/**
 * Values in C order, as `dtype`'s storage. zarrita's output follows the array's native order, so an F-order
 * (or transposed) array comes back with non-C strides and is reordered here.
 */
export function toArrayValues(data: ZarritaData, shape: readonly number[], stride: readonly number[], dtype: Dtype): ArrayValues {
  const size = shape.reduce((a, b) => a * b, 1);
  const at: (offset: number) => unknown =
    'get' in data && typeof data.get === 'function' ? (i) => data.get(i) : (i) => (data as ArrayLike<unknown>)[i];
  const contiguous = isCContiguous(shape, stride);
  if (contiguous && dtype !== 'string' && ArrayBuffer.isView(data)) {
    return data as ArrayValues;
  }
  const out = allocate(dtype, size);
  const write: (i: number, value: unknown) => void =
    dtype === 'string'
      ? (i, v) => ((out as string[])[i] = v === null || v === undefined ? '' : String(v))
      : (i, v) => ((out as unknown as { [i: number]: unknown })[i] = typeof v === 'boolean' ? Number(v) : v);
  if (contiguous) {
    for (let i = 0; i < size; i += 1) write(i, at(i));
    return out;
  }
  forEachCOrder(shape, stride, (i, offset) => write(i, at(offset)));
  return out;
}

function isCContiguous(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let axis = shape.length - 1; axis >= 0; axis -= 1) {
    if (shape[axis] !== 1 && stride[axis] !== expected) return false;
    expected *= shape[axis];
  }
  return true;
}

/** Visit every element in C order with its offset under `stride`. */
function forEachCOrder(shape: readonly number[], stride: readonly number[], visit: (index: number, offset: number) => void): void {
  const rank = shape.length;
  const size = shape.reduce((a, b) => a * b, 1);
  const counter = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let i = 0; i < size; i += 1) {
    visit(i, offset);
    for (let axis = rank - 1; axis >= 0; axis -= 1) {
      counter[axis] += 1;
      offset += stride[axis];
      if (counter[axis] < shape[axis]) break;
      offset -= stride[axis] * shape[axis];
      counter[axis] = 0;
    }
  }
}
