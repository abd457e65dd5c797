import type { NumericDtype } from '../model/types.js';

/**
 * The data routes' binary answer (`application/octet-stream`): the values row-major and little-endian in their
 * dtype, then, when something is masked, one byte per value (1 = missing) from the mask offset. The headers say how
 * to read the body; these are their names (HTTP header names are case-insensitive; these are lower case).
 */
export const BINARY_HEADERS = {
  /** The values' dtype (`float32`, `int64`, …). */
  dtype: 'x-dtype',
  /** The shape, comma-separated (empty for a 0-d answer). */
  shape: 'x-shape',
  /** The dimension names, comma-separated. */
  dims: 'x-dims',
  /** Always `little`. */
  byteOrder: 'x-byte-order',
  /** `true` when a mask follows the values. */
  masked: 'x-masked',
  /** Where the mask starts, in bytes (only when masked). */
  maskOffset: 'x-mask-offset',
} as const;

/** What a binary answer holds, as its headers say it. */
export interface BinaryLayout {
  dtype: NumericDtype;
  shape: readonly number[];
  dims: readonly string[];
  /** Bytes of the values; the mask, if any, starts there. */
  valueBytes: number;
  masked: boolean;
}

/** The headers of a binary answer (content type included). */
export function binaryHeaders(layout: BinaryLayout): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/octet-stream',
    [BINARY_HEADERS.shape]: layout.shape.join(','),
    [BINARY_HEADERS.dtype]: layout.dtype,
    [BINARY_HEADERS.dims]: layout.dims.join(','),
    [BINARY_HEADERS.byteOrder]: 'little',
    [BINARY_HEADERS.masked]: layout.masked ? 'true' : 'false',
  };
  if (layout.masked) headers[BINARY_HEADERS.maskOffset] = String(layout.valueBytes);
  return headers;
}
