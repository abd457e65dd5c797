import type { ArrayValues, NumericDtype, RegularArray } from '../model/types.js';
import { formatFloat32, formatFloat64 } from '../yaml/scalars.js';
import { allocate, isBigDtype, isFloatDtype } from './dtypes.js';

/** The values of a regular array, computed as a reader must: float64 arithmetic, then rounded to the dtype. */
export function regularValues(r: RegularArray): ArrayValues {
  const rows = r.shape[0] ?? 0;
  const width = r.start.length;
  const out = allocate(r.dtype, rows * width) as Exclude<ArrayValues, string[]>;
  const big = isBigDtype(r.dtype);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < width; j++) {
      const x = r.start[j]! + i * r.step;
      (out as { [k: number]: number | bigint })[i * width + j] = big ? BigInt(Math.round(x)) : isFloatDtype(r.dtype) ? x : Math.round(x);
    }
  }
  return out;
}

/**
 * The regular form of `values`, when there is one that gives every value back bit for bit. The step is the
 * shortest decimal that does (a model's grid spacing, 0.0135, is rarely the float difference of two stored
 * float32 values), so the file reads `step: 0.0135`.
 */
export function detectRegular(dtype: NumericDtype, shape: readonly number[], values: ArrayValues): RegularArray | undefined {
  if (shape.length < 1 || shape.length > 2) return undefined;
  const rows = shape[0]!;
  const width = shape.length === 2 ? shape[1]! : 1;
  if (rows < 2 || width < 1 || rows * width !== values.length) return undefined;
  const v = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (typeof x === 'bigint') {
      if (x > BigInt(Number.MAX_SAFE_INTEGER) || x < BigInt(Number.MIN_SAFE_INTEGER)) return undefined;
      v[i] = Number(x);
    } else if (typeof x === 'number') {
      if (!Number.isFinite(x)) return undefined;
      v[i] = x;
    } else {
      return undefined;
    }
  }
  const round = dtype === 'float32' ? Math.fround : (x: number) => x;
  const starts: number[] = [];
  for (let j = 0; j < width; j++) starts.push(dtype === 'float32' ? Number(formatFloat32(v[j]!)) : v[j]!);
  const diff = v[width]! - v[0]!;
  if (diff === 0 || !Number.isFinite(diff)) return undefined;
  const last = (v[(rows - 1) * width]! - v[0]!) / (rows - 1);
  const candidates = new Set<number>();
  for (let p = 1; p <= 17; p++) {
    candidates.add(Number(diff.toPrecision(p)));
    candidates.add(Number(last.toPrecision(p)));
  }
  candidates.add(Number(formatFloat64(diff)));
  const integral = !isFloatDtype(dtype);
  for (const step of candidates) {
    if (integral && !Number.isInteger(step)) continue;
    let ok = true;
    outer: for (let i = 0; i < rows; i++) {
      for (let j = 0; j < width; j++) {
        if (!Object.is(round(starts[j]! + i * step), v[i * width + j])) {
          ok = false;
          break outer;
        }
      }
    }
    if (ok) return { kind: 'regular', dtype, shape: [...shape], start: starts, step };
  }
  return undefined;
}
