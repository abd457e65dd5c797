/**
 * Decoding the scheduler's binary array answers, laid out as the format's wire contract says (`BINARY_HEADERS`):
 * the values row-major and little-endian in their dtype, and when masked one byte per value (1 = missing) from the
 * mask offset. Pure, so it is unit-tested without a browser.
 */
import { BINARY_HEADERS, TYPED_ARRAYS, isNumericDtype, type NumericDtype } from '@cubemark/format';
import type { FieldValues } from '@cubemark/plot';

export interface Slice {
  /** Numbers to plot: float and small-integer data as they came; 64-bit integers converted to float64. */
  values: FieldValues;
  shape: number[];
  dims: string[];
  dtype: string;
  mask?: Uint8Array;
  /** Bytes received. */
  bytes: number;
}

export interface HeaderSource {
  get(name: string): string | null;
}

/** The typed arrays plotted as they come (64-bit integers are converted to float64 instead). */
type PlotArrayConstructor = Exclude<(typeof TYPED_ARRAYS)[NumericDtype], BigInt64ArrayConstructor | BigUint64ArrayConstructor>;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function bad(message: string): Error {
  return new Error(`the server's binary answer is malformed: ${message}`);
}

export function decodeBinarySlice(buffer: ArrayBuffer, headers: HeaderSource): Slice {
  const dtype = headers.get(BINARY_HEADERS.dtype) ?? '';
  const shapeText = headers.get(BINARY_HEADERS.shape) ?? '';
  const shape = shapeText === '' ? [] : shapeText.split(',').map(Number);
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) throw bad(`X-Shape '${shapeText}'`);
  const dimsText = headers.get(BINARY_HEADERS.dims) ?? '';
  const dims = dimsText === '' ? [] : dimsText.split(',');
  const count = shape.reduce((p, n) => p * n, 1);
  const masked = headers.get(BINARY_HEADERS.masked) === 'true';
  const maskOffset = masked ? Number(headers.get(BINARY_HEADERS.maskOffset)) : buffer.byteLength;
  let values: FieldValues;
  if (dtype === 'int64' || dtype === 'uint64') {
    const view = new DataView(buffer, 0, count * 8);
    const out = new Float64Array(count);
    for (let k = 0; k < count; k++) out[k] = Number(dtype === 'int64' ? view.getBigInt64(k * 8, true) : view.getBigUint64(k * 8, true));
    values = out;
  } else if (isNumericDtype(dtype)) {
    const Ctor = TYPED_ARRAYS[dtype] as PlotArrayConstructor;
    if (count * Ctor.BYTES_PER_ELEMENT > maskOffset) throw bad(`${count} ${dtype} values need ${count * Ctor.BYTES_PER_ELEMENT} bytes; got ${maskOffset}`);
    if (LITTLE_ENDIAN || Ctor.BYTES_PER_ELEMENT === 1) {
      values = new Ctor(buffer, 0, count);
    } else {
      // Big-endian hosts (rare): read each value little-endian through a DataView.
      const view = new DataView(buffer);
      const out = new Float64Array(count);
      const size = Ctor.BYTES_PER_ELEMENT;
      const get = { 2: (o: number) => view.getInt16(o, true), 4: (o: number) => (dtype === 'float32' ? view.getFloat32(o, true) : view.getInt32(o, true)), 8: (o: number) => view.getFloat64(o, true) }[size as 2 | 4 | 8];
      for (let k = 0; k < count; k++) out[k] = get(k * size);
      values = out;
    }
  } else {
    throw bad(`unknown X-Dtype '${dtype}'`);
  }
  let mask: Uint8Array | undefined;
  if (masked) {
    if (!(maskOffset >= 0 && maskOffset + count <= buffer.byteLength)) throw bad(`mask of ${count} bytes at ${maskOffset} overruns ${buffer.byteLength} bytes`);
    mask = new Uint8Array(buffer, maskOffset, count);
  }
  return { values, shape, dims, dtype, mask, bytes: buffer.byteLength };
}
