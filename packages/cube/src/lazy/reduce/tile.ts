import type { ArrayValues, Dtype } from '@cubemark/format';
import { swapBytes } from '../../bytes/endian.js';
import type { StoredReadOptions } from '../../readers/types.js';
import { CombinedLazyArray } from '../combined.js';
import type { CfDecoder } from '../decode.js';
import { allocate, dtypeOf, isBigIntDtype } from '../dtype.js';
import { NOTHING_MISSING, type FloatArray, type MissingTest } from '../kernels.js';
import { composeSelections, selectionShape } from '../selection.js';
import { SourceLazyArray } from '../source.js';
import type { ArrayResult, LazyArray, NormalisedSelection } from '../types.js';
import { LazyView, readNormalised } from '../view.js';

/**
 * One tile as read: decoded values (any lazy array), or the stored values and their decoder (a source array read
 * one slab per tile), which the accumulation decodes itself so that no decoded copy of the tile is made.
 */
export type Tile =
  | { shape: number[]; result: ArrayResult; stored?: undefined }
  | { shape: number[]; stored: ArrayValues; decoder: CfDecoder; bigEndian: boolean; result?: undefined };

/**
 * The source array and the selection on it that reading `selection` of `array` comes down to, if it is one:
 * through views, and through combined arrays when the selection falls within one part of the same dtype (a
 * part of another dtype is converted by the combined array, which only its own read does).
 */
function sourceOf(array: LazyArray, selection: NormalisedSelection): { source: SourceLazyArray; selection: NormalisedSelection } | undefined {
  for (;;) {
    if (array instanceof SourceLazyArray) return { source: array, selection };
    if (array instanceof LazyView) {
      selection = composeSelections(array.selection, selection);
      array = array.base;
    } else if (array instanceof CombinedLazyArray) {
      const one = array.singlePart(selection);
      if (!one || one.part.dtype !== array.dtype) return undefined;
      ({ part: array, selection } = one);
    } else {
      return undefined;
    }
  }
}

export async function readTile(array: LazyArray, selection: NormalisedSelection, options: StoredReadOptions): Promise<Tile> {
  const shape = selectionShape(selection);
  // Stored values are worth taking only where the accumulation can decode them into numbers: not for strings,
  // nor for 64-bit integers (whose values go through BigInt).
  const source = array.dtype !== 'string' && !isBigIntDtype(array.dtype) ? sourceOf(array, selection) : undefined;
  if (source) {
    const stored = await source.source.readStored(source.selection, options);
    if (stored && !Array.isArray(stored.stored) && !isBigIntDtype(dtypeOf(stored.stored))) {
      return { shape, stored: stored.stored, decoder: stored.decoder, bigEndian: stored.bigEndian };
    }
  }
  return { shape, result: await readNormalised(array, selection, { signal: options.signal }) };
}

/**
 * Buffers reused from tile to tile (a tile is accumulated before the next one is looked at), so a pass allocates
 * per tile only what the byte sources and plugins allocate.
 */
export class TileScratch {
  private f64?: Float64Array;
  private f32?: Float32Array;

  constructor(private readonly maxElements: number) {}

  private float64(n: number): Float64Array {
    this.f64 ??= new Float64Array(Math.max(n, this.maxElements));
    if (this.f64.length < n) this.f64 = new Float64Array(n);
    return this.f64.subarray(0, n);
  }

  private float32(n: number): Float32Array {
    this.f32 ??= new Float32Array(Math.max(n, this.maxElements));
    if (this.f32.length < n) this.f32 = new Float32Array(n);
    return this.f32.subarray(0, n);
  }

  /**
   * A tile's values as floats for the kernels, what among them is missing besides NaN, and whether their bytes are
   * still big-endian (float32 values the tile was read with, that the WebAssembly kernels may take as they are).
   */
  floats(tile: Tile, dtype: Dtype): { values: FloatArray; missing: MissingTest; bigEndian: boolean } {
    if (tile.stored !== undefined) {
      const { stored, decoder } = tile;
      const n = stored.length;
      const pass = decoder.passThrough;
      if (pass && tile.bigEndian && stored instanceof Float32Array) return { values: stored, missing: pass, bigEndian: true };
      // Anything else is decoded from host order: the bytes are the tile's own, reversed in place.
      if (tile.bigEndian) swapBytes(stored as NumberValues);
      if (pass) {
        // The stored values are the values: test the fill value and valid range on them directly, no decode pass.
        return { values: this.asFloats(stored as NumberValues, undefined), missing: pass, bigEndian: false };
      }
      if (dtype === 'float32' || dtype === 'float64') {
        // Unpacking: decode into a reused container of the array's dtype (rounding as a read would); missing values
        // come out as NaN, so no mask is needed.
        const out = dtype === 'float32' ? this.float32(n) : this.float64(n);
        decoder.decodeRun(stored, 0, 1, out, 0, 1, n);
        return { values: out, missing: NOTHING_MISSING, bigEndian: false };
      }
      // Integers decoded from other integers (rare): through a decoded copy and its mask.
      const out = allocate(dtype, n);
      const mask = new Uint8Array(n);
      decoder.decodeRun(stored, 0, 1, out, 0, 1, n, mask);
      return { values: this.asFloats(out as NumberValues, mask), missing: NOTHING_MISSING, bigEndian: false };
    }
    const { values, mask } = tile.result;
    if (Array.isArray(values)) {
      // Strings are only counted: present or masked.
      const out = this.float64(values.length);
      for (let i = 0; i < out.length; i++) out[i] = mask?.[i] ? NaN : 0;
      return { values: out, missing: NOTHING_MISSING, bigEndian: false };
    }
    return { values: this.asFloats(values, mask), missing: NOTHING_MISSING, bigEndian: false };
  }

  /** Float32/Float64 values as they are; anything else, or masked values, copied into a float64 buffer with NaN where masked. */
  private asFloats(values: NumberValues | BigInt64Array | BigUint64Array, mask: Uint8Array | undefined): FloatArray {
    if (!mask && (values instanceof Float32Array || values instanceof Float64Array)) return values;
    const out = this.float64(values.length);
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      for (let i = 0; i < out.length; i++) out[i] = Number(values[i]);
    } else {
      // A native conversion, far faster than an element loop.
      out.set(values);
    }
    if (mask) for (let i = 0; i < out.length; i++) if (mask[i] !== 0) out[i] = NaN;
    return out;
  }
}

type NumberValues = Exclude<ArrayValues, string[] | BigInt64Array | BigUint64Array>;
