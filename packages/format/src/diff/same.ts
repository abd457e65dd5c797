import { sameValues } from '../arrays/dtypes.js';
import { regularValues } from '../arrays/regular.js';
import type { ArrayData, ArrayValues } from '../model/types.js';

/**
 * Deep equality over the model: typed arrays element-wise (NaN equals NaN), key order ignored. Arrays held in the
 * file (inline or regular) are equal when they have the same dtype, shape and values, whichever form holds them:
 * `[0.0, 1.0, 2.0]` and `{start: 0.0, step: 1.0, count: 3}` are the same points.
 */
export function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (isValueArray(a) && isValueArray(b)) return sameArrayValues(a, b);
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return false;
    const x = a as unknown as ArrayLike<unknown>;
    const y = b as unknown as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

function isValueArray(v: object): v is Extract<ArrayData, { kind: 'inline' | 'regular' }> {
  const kind = (v as { kind?: unknown }).kind;
  return (kind === 'inline' || kind === 'regular') && 'dtype' in v && 'shape' in v;
}

function sameArrayValues(a: Extract<ArrayData, { kind: 'inline' | 'regular' }>, b: Extract<ArrayData, { kind: 'inline' | 'regular' }>): boolean {
  if (a.dtype !== b.dtype || a.shape.join() !== b.shape.join()) return false;
  const x = valuesOf(a)!;
  const y = valuesOf(b)!;
  return x.length === y.length && sameValues(x, y);
}

/** The values an array holds in the file (inline or regular), or `undefined` for references. */
export function valuesOf(a: ArrayData): ArrayValues | undefined {
  return a.kind === 'inline' ? a.values : a.kind === 'regular' ? regularValues(a) : undefined;
}
