import type { ArrayResult } from '../lazy/types.js';

/** Structural equality of plain data (coordinate systems, JSON options): objects by own keys, NaN equal to NaN. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return a !== a && b !== b;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** A key for one value, equal for equal values: numbers by value (NaN equal to NaN), bigints and strings apart. */
export function valueKey(v: number | bigint | string): string {
  if (typeof v === 'string') return `s${v}`;
  if (typeof v === 'bigint') return `n${v}`;
  return `n${v}`;
}

/** Element-wise equality of values read from lazy arrays; masked elements equal each other, whatever they hold. */
export function sameResults(a: ArrayResult, b: ArrayResult): boolean {
  if (a.shape.length !== b.shape.length || a.shape.some((n, i) => n !== b.shape[i])) return false;
  if (a.values.length !== b.values.length) return false;
  for (let i = 0; i < a.values.length; i++) {
    const ma = a.mask?.[i] === 1;
    const mb = b.mask?.[i] === 1;
    if (ma !== mb) return false;
    if (ma) continue;
    if (!sameValue(a.values[i], b.values[i])) return false;
  }
  return true;
}

function sameValue(x: number | bigint | string, y: number | bigint | string): boolean {
  if (typeof x === 'string' || typeof y === 'string') return x === y;
  if (typeof x === 'bigint' && typeof y === 'bigint') return x === y;
  const u = Number(x);
  const v = Number(y);
  return u === v || (u !== u && v !== v);
}
