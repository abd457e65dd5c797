import { endianness } from 'node:os';
import { binaryHeaders, jsonNumber, type ArrayJson, type NumericDtype } from '@cubemark/format';
import type { ArrayResult } from '@cubemark/cube';

/**
 * How array values travel over HTTP: the format's wire forms, binary (`binaryHeaders`, `BINARY_HEADERS`) and
 * JSON (`ArrayJson`).
 */

export interface EncodedBinary {
  body: Buffer;
  headers: Record<string, string>;
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
  const headers = binaryHeaders({ dtype: result.dtype as NumericDtype, shape: result.shape, dims, valueBytes: values.byteLength, masked: result.mask !== undefined });
  if (!result.mask) return { body: values, headers };
  return { body: Buffer.concat([values, Buffer.from(result.mask.buffer, result.mask.byteOffset, result.mask.byteLength)]), headers };
}

export function encodeJson(result: ArrayResult, dims: readonly string[]): ArrayJson {
  const { mask } = result;
  const source = result.values as ArrayLike<number | bigint | string>;
  const values = new Array<number | string | null>(source.length);
  for (let i = 0; i < source.length; i++) values[i] = mask && mask[i] ? null : jsonNumber(source[i]);
  return { dims: [...dims], shape: [...result.shape], dtype: result.dtype, masked: mask !== undefined, values };
}
