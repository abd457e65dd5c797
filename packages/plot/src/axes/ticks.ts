import { bisector, tickStep, ticks } from 'd3-array';
import { format, precisionFixed } from 'd3-format';

export interface Tick {
  /** Value on the axis (data units, or coordinate units). */
  value: number;
  /** The text to print. */
  label: string;
}

/** Labels for evenly stepped ticks: as few decimals as the step needs (d3's `precisionFixed`), `−` for minus. */
export function tickFormatter(min: number, max: number, count: number): (value: number) => string {
  const step = Math.abs(tickStep(min, max, count)) || Math.abs(min) || 1;
  const span = Math.max(Math.abs(min), Math.abs(max));
  // Very large or very small magnitudes read better in SI-free exponent form than as long runs of zeros.
  const f = span >= 1e6 || (span > 0 && span < 1e-3) ? format('.2~e') : format(`,.${precisionFixed(step)}f`);
  // Zero is "0" in every style ("0e+0" reads as noise); -0 is 0.
  return (v) => (v === 0 && span >= 1e6 ? '0' : f(v === 0 ? 0 : v));
}

/** Round-numbered ticks covering `[min, max]` (about `count` of them; d3's 1-2-5 steps). */
export function linearTicks(min: number, max: number, count = 5): Tick[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  const fmt = tickFormatter(lo, hi, count);
  return ticks(lo, hi, count).map((value) => ({ value, label: fmt(value) }));
}

export interface IndexTick extends Tick {
  /** Fractional index along the axis where the tick falls: 0 is the centre of the first cell. */
  index: number;
}

/**
 * Ticks for a dimension described by monotonic coordinate `points` (regular or not): round values between the
 * first and last point, each placed at its fractional index by linear interpolation between neighbouring points.
 * Non-monotonic or non-finite points fall back to ticks on the index itself.
 */
export function coordTicks(points: ArrayLike<number>, count = 5): IndexTick[] {
  const n = points.length;
  if (n === 0) return [];
  if (n === 1) return [{ index: 0, value: points[0], label: tickFormatter(points[0], points[0], 1)(points[0]) }];
  const first = points[0];
  const last = points[n - 1];
  const increasing = last > first;
  let monotonic = Number.isFinite(first) && Number.isFinite(last) && first !== last;
  for (let k = 1; monotonic && k < n; k++) monotonic = increasing ? points[k] > points[k - 1] : points[k] < points[k - 1];
  if (!monotonic) return linearTicks(0, n - 1, count).filter((t) => Number.isInteger(t.value)).map((t) => ({ ...t, index: t.value }));
  const asc = Array.from(points, (v) => (increasing ? v : -v));
  const bisect = bisector((v: number) => v).right;
  return linearTicks(first, last, count).map(({ value, label }) => {
    const x = increasing ? value : -value;
    const k = Math.min(n - 1, Math.max(1, bisect(asc, x)));
    const index = k - 1 + (x - asc[k - 1]) / (asc[k] - asc[k - 1]);
    return { index, value, label };
  });
}
