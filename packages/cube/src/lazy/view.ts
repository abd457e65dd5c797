import type { Dtype } from '@cubemark/format';
import type { RangeOptions } from '../bytes/types.js';
import { composeSelections, fullSelection, isIndex, normaliseSelection, selectionShape, toAxisSelection } from './selection.js';
import type { ArrayResult, AxisSelection, LazyArray, NormalisedSelection } from './types.js';

/**
 * What every concrete lazy array (inline, source, combined) implements: reading a normalised selection of
 * itself. Slicing and views come for free and always collapse into one selection on this base.
 */
export abstract class LazyArrayBase implements LazyArray {
  abstract readonly shape: readonly number[];
  abstract readonly dtype: Dtype;
  abstract readonly chunks: readonly number[];

  /**
   * Values `selection` (exactly one normalised entry per axis of this array) picks, shaped
   * `selectionShape(selection)`. Must read only what the selection needs.
   */
  abstract readSelection(selection: NormalisedSelection, options?: RangeOptions): Promise<ArrayResult>;

  slice(selection: readonly AxisSelection[]): LazyArray {
    return new LazyView(this, normaliseSelection(selection, this.shape));
  }

  read(options?: RangeOptions): Promise<ArrayResult> {
    return this.readSelection(fullSelection(this.shape), options);
  }

  chunkStarts(): number[][] {
    return regularChunkStarts(this.shape, this.chunks);
  }
}

/** A selection of a base array; slicing it again composes with its selection instead of nesting views. */
export class LazyView implements LazyArray {
  readonly shape: readonly number[];
  readonly dtype: Dtype;
  readonly chunks: readonly number[];

  constructor(
    readonly base: LazyArrayBase,
    readonly selection: NormalisedSelection,
  ) {
    this.shape = selectionShape(selection);
    this.dtype = base.dtype;
    const chunks: number[] = [];
    selection.forEach((s, d) => {
      if (isIndex(s)) return;
      const c = base.chunks[d] || 1;
      chunks.push(Math.max(1, Math.min(s.count, Math.ceil(c / Math.abs(s.step)))));
    });
    this.chunks = chunks;
  }

  slice(selection: readonly AxisSelection[]): LazyArray {
    return new LazyView(this.base, composeSelections(this.selection, normaliseSelection(selection, this.shape)));
  }

  read(options?: RangeOptions): Promise<ArrayResult> {
    return this.base.readSelection(this.selection, options);
  }

  chunkStarts(): number[][] {
    const baseStarts = this.base.chunkStarts();
    const starts: number[][] = [];
    this.selection.forEach((s, d) => {
      if (isIndex(s)) return;
      const edges = baseStarts[d];
      const out = [0];
      let previous = chunkIdOf(edges, s.start);
      for (let j = 1; j < s.count; j++) {
        const id = chunkIdOf(edges, s.start + j * s.step);
        if (id !== previous) out.push(j);
        previous = id;
      }
      starts.push(out);
    });
    return starts;
  }
}

/** Index of the chunk (among ascending `starts`) holding element `i`. */
function chunkIdOf(starts: readonly number[], i: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Chunk starts of a regular grid (`chunks[d]` of 0 or absent means the whole axis). */
export function regularChunkStarts(shape: readonly number[], chunks: readonly number[]): number[][] {
  return shape.map((n, d) => {
    const c = chunks[d] > 0 ? chunks[d] : n;
    const out = [0];
    for (let i = c; i < n; i += c) out.push(i);
    return out;
  });
}

/** Chunk starts of any lazy array, falling back to a regular grid of its `chunks`. */
export function chunkStartsOf(array: LazyArray): number[][] {
  return array.chunkStarts ? array.chunkStarts() : regularChunkStarts(array.shape, array.chunks);
}

/** A view of any lazy array by a selection already normalised against its shape. */
export function sliceNormalised(array: LazyArray, selection: NormalisedSelection): LazyArray {
  if (array instanceof LazyArrayBase) return new LazyView(array, selection);
  if (array instanceof LazyView) return new LazyView(array.base, composeSelections(array.selection, selection));
  return array.slice(selection.map(toAxisSelection));
}

/** Read a normalised selection of any lazy array, without building a view when the array can read it directly. */
export function readNormalised(
  array: LazyArray,
  selection: NormalisedSelection,
  options?: RangeOptions,
): Promise<ArrayResult> {
  if (array instanceof LazyArrayBase) return array.readSelection(selection, options);
  return sliceNormalised(array, selection).read(options);
}
