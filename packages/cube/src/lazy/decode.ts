import type { ArrayValues, Dtype, SourceArray } from '@cubemark/format';
import { allocate, dtypeOf, isBigIntDtype, isFloatDtype } from './dtype.js';

/**
 * CF decoding of stored values, in the order netCDF4-python and Iris apply it: first decide what is missing by
 * comparing *stored* values (fill value, missing values, valid range), then unpack with `scale_factor` and
 * `add_offset` in the array's dtype (float32 arithmetic for float32 arrays, as NumPy).
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
  /**
   * Decode `n` values, `stored[si + k * ss]` into `out[oi + k * ds]`, as `decode` would one by one, in a loop
   * specialised once per call rather than per element. Sets `mask[oi + k * ds] = 1` for missing values when a mask
   * is given (other entries are left alone); returns how many were missing either way, so a caller can allocate a
   * mask only once something turns out to be missing.
   */
  decodeRun(stored: ArrayValues, si: number, ss: number, out: ArrayValues, oi: number, ds: number, n: number, mask?: Uint8Array): number;
  /**
   * Present when decoding leaves every value as stored (same container, no unpacking) and what is missing is
   * decided by comparisons alone: a value `x` is then missing exactly when `x === fill` (never, for a NaN `fill`),
   * `x < lo` or `x > hi`, or when it is NaN and the encoding says NaN is missing. Consumers that ignore NaN anyway
   * (reductions) can then read the stored values directly, testing `x !== x || x === fill || x < lo || x > hi`.
   */
  readonly passThrough?: { readonly fill: number; readonly lo: number; readonly hi: number };
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
      decodeRun(stored, si, ss, out, oi, ds, n) {
        for (let k = 0; k < n; k++) (out as string[])[oi + k * ds] = String((stored as string[])[si + k * ss]);
        return 0;
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
  // One exact missing value is the common case (a _FillValue): compared directly, the rest through `includes`.
  const first = exact.length > 0 ? exact[0] : NaN;
  const others = exact.length > 1 ? exact.slice(1) : undefined;
  const isMissing = (v: number): boolean =>
    v < lo || v > hi || (missingNaN && v !== v) || v === first || (others !== undefined && others.includes(v));

  const scale = encoding.scale_factor ?? 1;
  const offset = encoding.add_offset ?? 0;
  const unpacks = scale !== 1 || offset !== 0;
  const u = unpacking(encoding, outDtype);
  const outFloat = isFloatDtype(outDtype);
  const outBig = isBigIntDtype(outDtype);
  const storedBig = isBigIntDtype(storedDtype);

  if (outBig) {
    const decode = (stored: ArrayValues, si: number, out: ArrayValues, oi: number): boolean => {
      const raw = (stored as NumericArray)[si];
      const v = Number(raw);
      // Truncated toward zero (as NumPy's astype) whether unpacked or not: stored floats read as 64-bit integers
      // may have a fraction (5e-324), and BigInt() throws on one.
      const value = Math.trunc(unpacks ? unpackValue(v, u) : v);
      (out as BigInt64Array)[oi] = storedBig && !unpacks ? (raw as bigint) : BigInt(Number.isFinite(value) ? value : 0);
      return masks && isMissing(v);
    };
    return {
      masks,
      decode,
      decodeRun(stored, si, ss, out, oi, ds, n, mask) {
        // 64-bit integers go through BigInt per element anyway; no loop specialisation pays here.
        let missing = 0;
        for (let k = 0; k < n; k++) {
          if (decode(stored, si + k * ss, out, oi + k * ds)) {
            missing++;
            if (mask) mask[oi + k * ds] = 1;
          }
        }
        return missing;
      },
    };
  }
  const passThrough =
    storedDtype === outDtype && !unpacks && !storedBig && others === undefined ? { fill: first, lo, hi } : undefined;
  return {
    masks,
    passThrough,
    decode(stored, si, out, oi) {
      const v = storedBig ? Number((stored as BigInt64Array)[si]) : (stored as Float64Array)[si];
      const missing = masks && isMissing(v);
      (out as Float64Array)[oi] = missing && outFloat ? NaN : unpacks ? unpackValue(v, u) : v;
      return missing;
    },
    decodeRun(stored, si, ss, out, oi, ds, n, mask) {
      const dst = out as Float64Array;
      if (storedBig) {
        let missing = 0;
        const src = stored as BigInt64Array;
        for (let k = 0; k < n; k++) {
          const v = Number(src[si + k * ss]);
          const m = masks && isMissing(v);
          dst[oi + k * ds] = m && outFloat ? NaN : unpacks ? unpackValue(v, u) : v;
          if (m) {
            missing++;
            if (mask) mask[oi + k * ds] = 1;
          }
        }
        return missing;
      }
      // Number containers from here on; the typed array's own store converts to the output dtype (rounding to
      // float32, wrapping integers) exactly as the element-wise `decode` does.
      const src = stored as Float64Array;
      if (!masks && !unpacks) {
        // A plain conversion or copy: native when both sides are contiguous.
        if (ss === 1 && ds === 1) dst.set(src.subarray(si, si + n), oi);
        else for (let k = 0; k < n; k++) dst[oi + k * ds] = src[si + k * ss];
        return 0;
      }
      if (!masks) {
        unpackRun(src, si, ss, dst, oi, ds, n, u);
        return 0;
      }
      return decodeMasked(src, si, ss, dst, oi, ds, n, mask, lo, hi, missingNaN, first, others, outFloat, unpacks, u);
    },
  };
}

/**
 * The masking decode loop, outside the closure so it is one function V8 optimises for all decoders. Missing
 * values become NaN in float outputs and keep their (unpacked) stored value otherwise, as `decode` does.
 */
function decodeMasked(
  src: Float64Array,
  si: number,
  ss: number,
  dst: Float64Array,
  oi: number,
  ds: number,
  n: number,
  mask: Uint8Array | undefined,
  lo: number,
  hi: number,
  missingNaN: boolean,
  first: number,
  others: number[] | undefined,
  outFloat: boolean,
  unpacks: boolean,
  u: Unpacking,
): number {
  let missing = 0;
  for (let k = 0, s = si, d = oi; k < n; k++, s += ss, d += ds) {
    const v = src[s];
    if (v < lo || v > hi || v === first || (v !== v ? missingNaN : others !== undefined && others.includes(v))) {
      missing++;
      if (mask !== undefined) mask[d] = 1;
      dst[d] = outFloat ? NaN : unpacks ? unpackValue(v, u) : v;
    } else {
      // Not `v * 1 + 0` when nothing is packed: that would turn -0 into +0.
      dst[d] = unpacks ? unpackValue(v, u) : v;
    }
  }
  return missing;
}

type NumericArray = Exclude<ArrayValues, string[]>;

/**
 * `stored * scale_factor + add_offset` as NumPy computes it in the array's dtype: for float32, each step rounded to
 * float32 with the attributes rounded to float32 first (a float64 step then rounding once can differ in the last
 * bit); otherwise in float64. A missing attribute is no step. Plain fields, so the loops keep the arithmetic inline.
 */
interface Unpacking {
  readonly s: number;
  readonly o: number;
  readonly f32: boolean;
  readonly hasScale: boolean;
  readonly hasOffset: boolean;
}

function unpacking(encoding: Encoding, outDtype: Dtype): Unpacking {
  const f32 = outDtype === 'float32';
  const s = encoding.scale_factor ?? 1;
  const o = encoding.add_offset ?? 0;
  return { s: f32 ? Math.fround(s) : s, o: f32 ? Math.fround(o) : o, f32, hasScale: encoding.scale_factor !== undefined, hasOffset: encoding.add_offset !== undefined };
}

function unpackValue(v: number, u: Unpacking): number {
  if (u.f32) {
    const x = u.hasScale ? Math.fround(v * u.s) : v;
    return u.hasOffset ? Math.fround(x + u.o) : x;
  }
  const x = u.hasScale ? v * u.s : v;
  return u.hasOffset ? x + u.o : x;
}

/** `n` unpacked values, a loop per kind of arithmetic (the common ones: both attributes, float32 or float64). */
function unpackRun(src: Float64Array, si: number, ss: number, dst: Float64Array, oi: number, ds: number, n: number, u: Unpacking): void {
  const { s, o } = u;
  if (u.hasScale && u.hasOffset) {
    if (u.f32) for (let k = 0; k < n; k++) dst[oi + k * ds] = Math.fround(Math.fround(src[si + k * ss] * s) + o);
    else for (let k = 0; k < n; k++) dst[oi + k * ds] = src[si + k * ss] * s + o;
    return;
  }
  for (let k = 0; k < n; k++) dst[oi + k * ds] = unpackValue(src[si + k * ss], u);
}

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
 * Whether a plugin whose file holds `file` values can serve an array recorded with stored dtype `recorded`: the
 * same dtype, or (CF `_Unsigned`) the same-width integer of the other signedness, reinterpreted by `asStoredDtype`.
 */
export function servesStoredDtype(file: Dtype, recorded: Dtype): boolean {
  return file === recorded || SIGNED_TWIN[file] === recorded;
}

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
