import { regularValues, type RegularArray } from '../../src/index.js';

/**
 * A copy of a model in which every regular array is an inline one with the same values: the canonical form is
 * chosen from values, so a model read back from it holds the same values, not necessarily in the same form.
 */
export function byValues<T>(x: T): T {
  if (x === null || typeof x !== 'object' || ArrayBuffer.isView(x)) return x;
  if (Array.isArray(x)) return x.map(byValues) as T;
  const o = x as Record<string, unknown>;
  if (o.kind === 'regular' && 'step' in o) {
    const r = o as unknown as RegularArray;
    return { kind: 'inline', dtype: r.dtype, shape: [...r.shape], values: regularValues(r) } as T;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = byValues(v);
  return out as T;
}
