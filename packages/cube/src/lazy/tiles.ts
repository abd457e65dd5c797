import { chunkStartsOf } from './view.js';
import type { LazyArray, NormalisedSelection } from './types.js';

/**
 * How a streaming pass steps through an array: blocks of whole storage chunks, as many as fit in a budget of
 * elements, grown from the innermost axis outwards (so a step is contiguous rows where possible). A chunk larger
 * than the budget (e.g. an unchunked variable, whose one chunk is the whole array) is split, outermost axes
 * first, so the pieces stay contiguous.
 */
export interface TilePlan {
  /** Per axis, the `[start, stop)` ranges a tile can take; tiles are their cartesian product. */
  readonly ranges: readonly (readonly (readonly [number, number])[])[];
  readonly count: number;
  /** Elements in the largest tile (≤ the budget). */
  readonly maxElements: number;
}

/** Consecutive blocks merged while a group stays within `limit`; a block longer than `limit` is cut. */
function group(edges: readonly number[], limit: number): [number, number][] {
  const groups: [number, number][] = [];
  let groupStart = 0;
  let blockStart = 0;
  for (const blockEnd of edges) {
    if (blockEnd - groupStart > limit && blockStart > groupStart) {
      groups.push([groupStart, blockStart]);
      groupStart = blockStart;
    }
    while (blockEnd - groupStart > limit) {
      groups.push([groupStart, groupStart + limit]);
      groupStart += limit;
    }
    blockStart = blockEnd;
  }
  if (blockStart > groupStart || groups.length === 0) groups.push([groupStart, blockStart]);
  return groups;
}

const product = (xs: readonly number[]): number => xs.reduce((p, x) => p * x, 1);

export function planTiles(array: LazyArray, budget: number): TilePlan {
  const rank = array.shape.length;
  const edges = chunkStartsOf(array).map((starts, d) => {
    const n = array.shape[d];
    return [...starts.filter((s) => s > 0 && s < n), n];
  });
  // Start from the largest chunk; if it alone exceeds the budget, cut it along the outer axes.
  const extent = edges.map((e) => Math.max(1, ...e.map((end, i) => end - (i === 0 ? 0 : e[i - 1]))));
  for (let d = 0; d < rank && product(extent) > budget; d++) {
    const rest = product(extent) / extent[d];
    extent[d] = Math.max(1, Math.floor(budget / rest));
  }
  // Then merge whole chunks while they fit, innermost axis first.
  const ranges: [number, number][][] = new Array(rank);
  for (let d = rank - 1; d >= 0; d--) {
    const rest = product(extent) / extent[d];
    const limit = Math.max(extent[d], Math.floor(budget / rest));
    ranges[d] = group(edges[d], limit);
    extent[d] = Math.max(1, ...ranges[d].map(([a, b]) => b - a));
  }
  return { ranges, count: product(ranges.map((r) => r.length)), maxElements: product(extent) };
}

/** The `k`-th tile of a plan (row-major over the per-axis ranges), as a selection and its origin. */
export function tileAt(plan: TilePlan, k: number): { selection: NormalisedSelection; origin: number[] } {
  const rank = plan.ranges.length;
  const selection = new Array<{ start: number; step: number; count: number }>(rank);
  const origin = new Array<number>(rank);
  for (let d = rank - 1; d >= 0; d--) {
    const g = plan.ranges[d];
    const [a, b] = g[k % g.length];
    k = Math.floor(k / g.length);
    selection[d] = { start: a, step: 1, count: b - a };
    origin[d] = a;
  }
  return { selection, origin };
}
