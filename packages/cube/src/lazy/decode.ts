import type { ArrayValues, Dtype, SourceArray } from '@cubemark/format';
import { allocate, dtypeOf, isBigIntDtype, isFloatDtype } from './dtype.js';

/**
 * CF decoding of stored values, in the order netCDF4-python and Iris apply it: first decide what is missing by
 * comparing *stored* values (fill value, missing values, valid range), then unpack with `scale_factor` and
 * `add_offset` into the array's dtype.
 *
 * - Thresholds are compared in the stored dtype: a float32 variable's `_FillValue` of 1e20 is rounded to float32
 *   first, or it would never equal the stored 1e20f.
 * - NaN is missing only when the fill value or a missing value is NaN; a valid range never masks NaN (every
 *   comparison with NaN is false), so NaN read from a file stays NaN and unmasked.
 * - 64-bit integers are compared and unpacked as JS numbers (exact up to 2^53).
 * - Masked elements of float arrays are set to NaN, so code that ignores the mask cannot mistake a fill value for
 *   data; masked elements of integer arrays keep their (unpacked) stored value.
 */
export interface CfDecoder {
  /** True if any element can be masked (so a mask must be kept). */
  readonly masks: boolean;
  /** Decode `stored[si]` into `out[oi]`; returns true if the element is missing. */
  decode(stored: ArrayValues, si: number, out: ArrayValues, oi: number): boolean;
}

type Encoding = Pick<
  SourceArray,
  'dtype' | 'stored_dtype' | 'scale_factor' | 'add_offset' | 'fill_value' | 'missing_value' | 'valid_min' | 'valid_max'
>;

/** A decoder for stored values held in a container of `storedDtype`, producing `encoding.dtype`. */
export function cfDecoder(encoding: Encoding, storedDtype: Dtype): CfDecoder {
  const outDtype = encoding.dtype;
  if (storedDtype === 'string' || outDtype === 'string') {
    return {
      masks: false,
      decode(stored, si, out, oi) {
        (out as string[])[oi] = String((stored as string[])[si]);
        return false;
      },
    };
  }
  const toStored = storedDtype === 'float32' ? Math.fround : (v: number) => v;
  const missingValues = [encoding.fill_value, ...(encoding.missing_value ?? [])]
    .filter((v): v is number => v !== undefined)
    .map(toStored);
  const missingNaN = missingValues.some((v) => Number.isNaN(v));
  const exact = missingValues.filter((v) => !Number.isNaN(v));
  const lo = encoding.valid_min === undefined ? -Infinity : toStored(encoding.valid_min);
  const hi = encoding.valid_max === undefined ? Infinity : toStored(encoding.valid_max);
  const masks = missingValues.length > 0 || lo > -Infinity || hi < Infinity;
  const isMissing = (v: number): boolean =>
    v < lo || v > hi || (missingNaN && v !== v) || (exact.length === 1 ? v === exact[0] : exact.includes(v));

  const scale = encoding.scale_factor ?? 1;
  const offset = encoding.add_offset ?? 0;
  const unpacks = scale !== 1 || offset !== 0;
  const outFloat = isFloatDtype(outDtype);
  const outBig = isBigIntDtype(outDtype);
  const storedBig = isBigIntDtype(storedDtype);

  if (outBig) {
    return {
      masks,
      decode(stored, si, out, oi) {
        const raw = (stored as NumericArray)[si];
        const v = Number(raw);
        const value = unpacks ? Math.trunc(v * scale + offset) : v;
        (out as BigInt64Array)[oi] = storedBig && !unpacks ? (raw as bigint) : BigInt(Number.isFinite(value) ? value : 0);
        return masks && isMissing(v);
      },
    };
  }
  return {
    masks,
    decode(stored, si, out, oi) {
      const v = storedBig ? Number((stored as BigInt64Array)[si]) : (stored as Float64Array)[si];
      const missing = masks && isMissing(v);
      (out as Float64Array)[oi] = missing && outFloat ? NaN : unpacks ? v * scale + offset : v;
      return missing;
    },
  };
}

type NumericArray = Exclude<ArrayValues, string[]>;

const SIGNED_TWIN: Partial<Record<Dtype, Dtype>> = {
  int8: 'uint8',
  uint8: 'int8',
  int16: 'uint16',
  uint16: 'int16',
  int32: 'uint32',
  uint32: 'int32',
  int64: 'uint64',
  uint64: 'int64',
};

/**
 * Stored values as `storedDtype`. A plugin may return a signed container for data the recipe declares unsigned
 * (CF `_Unsigned`), or the reverse: same-width integers are reinterpreted bit for bit; anything else is converted.
 */
export function asStoredDtype(values: ArrayValues, storedDtype: Dtype | undefined): ArrayValues {
  if (storedDtype === undefined || Array.isArray(values)) return values;
  const have = dtypeOf(values);
  if (have === storedDtype) return values;
  if (SIGNED_TWIN[have] === storedDtype) {
    const view = allocate(storedDtype, 0).constructor as new (b: ArrayBufferLike, o: number, n: number) => ArrayValues;
    return new view(values.buffer, values.byteOffset, values.length);
  }
  const out = allocate(storedDtype, values.length);
  const big = isBigIntDtype(storedDtype);
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (big) (out as BigInt64Array)[i] = BigInt(Math.trunc(Number.isFinite(v) ? v : 0));
    else (out as Float64Array)[i] = v;
  }
  return out;
}
