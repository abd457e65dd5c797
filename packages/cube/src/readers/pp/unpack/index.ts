import { swapBytes } from '../../../bytes/endian.js';
import type { FieldDtype } from '../field.js';
import { UnpackError } from './errors.js';
import { unpackRle } from './rle.js';
import { unpackWgdos } from './wgdos.js';

export { UnpackError } from './errors.js';
export { unpackRle } from './rle.js';
export { unpackWgdos } from './wgdos.js';

/** What decoding one field's data bytes needs: everything comes from its header, recorded per field. */
export interface FieldEncoding {
  /** LBPACK: its last digit is the packing (0 none, 1 WGDOS, 2 32-bit in a 64-bit file, 4 RLE). */
  lbpack: number;
  /** The values' type once unpacked. */
  dtype: FieldDtype;
  /** Bytes per stored word (unpacked data) and their order. */
  wordBytes: 4 | 8;
  littleEndian: boolean;
  rows: number;
  cols: number;
  /** BMDI: the missing-data value packed data are expanded with. */
  mdi: number;
}

export type FieldValues = Float32Array | Float64Array | Int32Array | BigInt64Array;

/** The packings (last digit of LBPACK) this reader decodes. */
export const SUPPORTED_PACKINGS: ReadonlySet<number> = new Set([0, 1, 2, 4]);

/** True when `lbpack` is a packing `decodeField` handles (no land/sea compression, a known method). */
export function isSupportedPacking(lbpack: number): boolean {
  return lbpack >= 0 && SUPPORTED_PACKINGS.has(lbpack % 10) && Math.floor(lbpack / 10) % 10 === 0;
}

/** The first `n` words of `size` bytes of `bytes`, copied into an aligned buffer in host (little-endian) order. */
function hostOrder(bytes: Uint8Array, n: number, size: 4 | 8, littleEndian: boolean): ArrayBuffer {
  const copy = bytes.slice(0, n * size);
  if (!littleEndian) swapBytes(copy, size);
  return copy.buffer;
}

function rawValues(bytes: Uint8Array, e: FieldEncoding, n: number): FieldValues {
  const size = e.dtype === 'float32' || e.dtype === 'int32' ? 4 : 8;
  const have = Math.floor(bytes.length / size);
  // A payload longer than the field (padding some writers add) is cut; a shorter one is an error.
  if (have < n) throw new UnpackError(`the data hold ${have} values of ${size} bytes but the field has ${e.rows} × ${e.cols} = ${n}`);
  if (e.dtype === 'float32') return new Float32Array(hostOrder(bytes, n, 4, e.littleEndian));
  if (e.dtype === 'int32') return new Int32Array(hostOrder(bytes, n, 4, e.littleEndian));
  if (e.dtype === 'float64') return new Float64Array(hostOrder(bytes, n, 8, e.littleEndian));
  return new BigInt64Array(hostOrder(bytes, n, 8, e.littleEndian));
}

function float32Words(bytes: Uint8Array, littleEndian: boolean): Float32Array {
  const n = Math.floor(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, littleEndian);
  return out;
}

/** Packed data come out as float32; an integer field's values are converted to its dtype. */
function asDtype(values: Float32Array, dtype: FieldDtype): FieldValues {
  switch (dtype) {
    case 'float32':
      return values;
    case 'float64':
      return Float64Array.from(values);
    case 'int32':
      return Int32Array.from(values, Math.trunc);
    case 'int64':
      return BigInt64Array.from(values, (v) => BigInt(Math.trunc(v)));
  }
}

/**
 * One field's values, row-major (`rows` × `cols`), from its data bytes as stored (WGDOS-packed float32 ones
 * unpacked into `out` when it is given and holds them). Missing points hold the field's BMDI (the caller masks them). Throws `UnpackError` for data that do not decode or a packing this
 * reader does not support.
 */
export function decodeField(bytes: Uint8Array, e: FieldEncoding, out?: Float32Array): FieldValues {
  const n = e.rows * e.cols;
  if (!isSupportedPacking(e.lbpack)) throw new UnpackError(`LBPACK ${e.lbpack} is not supported (0, 1, 2 and 4 are, without land/sea compression)`);
  switch (e.lbpack % 10) {
    case 0:
      return rawValues(bytes, e, n);
    case 1:
      return asDtype(unpackWgdos(bytes, e.rows, e.cols, e.mdi, e.dtype === 'float32' ? out : undefined), e.dtype);
    case 2:
      return asDtype(rawValues(bytes, { ...e, dtype: 'float32', littleEndian: false }, n) as Float32Array, e.dtype);
    default:
      return asDtype(unpackRle(float32Words(bytes, e.littleEndian), n, e.mdi), e.dtype);
  }
}
