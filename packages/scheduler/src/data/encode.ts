import { endianness } from 'node:os';
import type { ArrayResult } from '@cubemark/cube';

/**
 * How array values travel over HTTP.
 *
 * Binary (`application/octet-stream`): the values, row-major, little-endian, in their dtype (`X-Dtype`); when
 * something is masked (`X-Masked: true`) one byte per value follows (1 = missing) starting at `X-Mask-Offset`.
 * `X-Shape` is the comma-separated shape (empty for a 0-d result), `X-Dims` the dimension names.
 *
 * JSON: `{ dims, shape, dtype, masked, values }` with `values` flat and row-major; a missing value is `null`,
 * NaN and infinities are the strings `"NaN"`, `"Infinity"`, `"-Infinity"` (JSON has no such numbers), and 64-bit
 * integers beyond 2^53 are decimal strings (JSON numbers would round them).
 */

export interface EncodedBinary {
  body: Buffer;
  headers: Record<string, string>;
}

export interface ArrayJson {
  dims: string[];
  shape: number[];
  dtype: string;
  masked: boolean;
  values: (number | string | null)[];
}

const littleEndian = endianness() === 'LE';

/** Bytes of a typed array in little-endian order (a copy on big-endian hosts). */
function littleEndianBytes(values: ArrayBufferView & { BYTES_PER_ELEMENT: number }): Buffer {
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  if (littleEndian || values.BYTES_PER_ELEMENT === 1) return bytes;
  const copy = Buffer.from(bytes);
  const size = values.BYTES_PER_ELEMENT;
  if (size === 2) copy.swap16();
  else if (size === 4) copy.swap32();
  else copy.swap64();
  return copy;
}

/** Binary form of a result; undefined for text values, which have none (ask for JSON). */
export function encodeBinary(result: ArrayResult, dims: readonly string[]): EncodedBinary | undefined {
  if (Array.isArray(result.values)) return undefined;
  const values = littleEndianBytes(result.values as ArrayBufferView & { BYTES_PER_ELEMENT: number });
  const headers: Record<string, string> = {
    'content-type': 'application/octet-stream',
    'x-shape': result.shape.join(','),
    'x-dtype': result.dtype,
    'x-dims': dims.join(','),
    'x-byte-order': 'little',
    'x-masked': result.mask ? 'true' : 'false',
  };
  if (!result.mask) return { body: values, headers };
  headers['x-mask-offset'] = String(values.byteLength);
  return { body: Buffer.concat([values, Buffer.from(result.mask.buffer, result.mask.byteOffset, result.mask.byteLength)]), headers };
}

function jsonValue(v: number | bigint | string): number | string {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return v;
}

export function encodeJson(result: ArrayResult, dims: readonly string[]): ArrayJson {
  const { mask } = result;
  const source = result.values as ArrayLike<number | bigint | string>;
  const values = new Array<number | string | null>(source.length);
  for (let i = 0; i < source.length; i++) values[i] = mask && mask[i] ? null : jsonValue(source[i]);
  return { dims: [...dims], shape: [...result.shape], dtype: result.dtype, masked: mask !== undefined, values };
}
