import type { ArrayValues, Dtype } from '@cubemark/format';
import pLimit from 'p-limit';
import type { RangeOptions } from '../bytes/types.js';
import { allocate, product, stridesOf } from './dtype.js';
import { ArrayShapeError } from './errors.js';
import { isIndex, selectionShape } from './selection.js';
import { copyStrided } from './strided.js';
import type { ArrayResult, LazyArray, NormalisedAxis, NormalisedSelection } from './types.js';
import { chunkStartsOf, LazyArrayBase, readNormalised } from './view.js';

export interface CombinedOptions {
  /** The combined array's dtype; part values are converted to it (default: the first part's). */
  dtype?: Dtype;
  /** Parts read at once (default: 8). */
  concurrency?: number;
}

/** One part's contribution to a read: which part, its selection, and where its values go along the output axis. */
interface Piece {
  part: number;
  selection: NormalisedAxis[];
  outOffset: number;
}

/**
 * Several lazy arrays as one (format `CombinedArray`): `stack` adds a new axis at `axis` (parts share a shape),
 * `concat` joins them along existing `axis` (parts agree on every other axis). A read routes each part the piece
 * of the selection that falls in it; parts the selection does not touch are not read.
 */
export class CombinedLazyArray extends LazyArrayBase {
  readonly shape: readonly number[];
  readonly dtype: Dtype;
  readonly chunks: readonly number[];
  /** For `concat`, where each part starts along `axis` (plus the total at the end). */
  private readonly offsets: number[];

  constructor(
    readonly parts: readonly LazyArray[],
    readonly mode: 'stack' | 'concat',
    readonly axis: number,
    private readonly options: CombinedOptions = {},
  ) {
    super();
    if (parts.length === 0) throw new ArrayShapeError(`a ${mode} of no arrays has no shape; give at least one part`);
    const first = parts[0].shape;
    const rank = mode === 'stack' ? first.length + 1 : first.length;
    if (!Number.isInteger(axis) || axis < 0 || axis >= rank) {
      throw new ArrayShapeError(`${mode} axis ${axis} is out of range for parts of shape [${first.join(', ')}]`);
    }
    parts.forEach((p, i) => {
      const fits =
        p.shape.length === first.length && p.shape.every((n, d) => n === first[d] || (mode === 'concat' && d === axis));
      if (!fits) {
        const rule = mode === 'stack' ? 'the same shape' : `the same shape except along axis ${axis}`;
        throw new ArrayShapeError(
          `${mode} part ${i} has shape [${p.shape.join(', ')}] but part 0 has [${first.join(', ')}]; parts need ${rule}`,
        );
      }
    });
    this.dtype = options.dtype ?? parts[0].dtype;
    this.offsets = [0];
    if (mode === 'stack') {
      this.shape = [...first.slice(0, axis), parts.length, ...first.slice(axis)];
      this.chunks = [...parts[0].chunks.slice(0, axis), 1, ...parts[0].chunks.slice(axis)];
    } else {
      for (const p of parts) this.offsets.push(this.offsets[this.offsets.length - 1] + p.shape[axis]);
      this.shape = first.map((n, d) => (d === axis ? this.offsets[parts.length] : n));
      this.chunks = [...parts[0].chunks];
    }
  }

  override chunkStarts(): number[][] {
    const partStarts = this.parts.map(chunkStartsOf);
    const union = (d: number, shift: (part: number) => number | undefined = () => 0): number[] => {
      const all = new Set<number>();
      partStarts.forEach((starts, p) => {
        const s = shift(p);
        if (s !== undefined) for (const i of starts[d]) all.add(i + s);
      });
      return [...all].sort((a, b) => a - b);
    };
    if (this.mode === 'stack') {
      const starts = this.parts[0].shape.map((_, d) => union(d));
      starts.splice(this.axis, 0, this.parts.map((_, i) => i));
      return starts;
    }
    return this.shape.map((_, d) =>
      d === this.axis ? union(d, (p) => (this.parts[p].shape[d] > 0 ? this.offsets[p] : undefined)) : union(d),
    );
  }

  /**
   * The part `selection` falls in and the selection on it, when it falls within one part (as a streaming
   * reduction's tiles usually do: they are cut at chunk starts, and every part boundary is one); else `undefined`.
   */
  singlePart(selection: NormalisedSelection): { part: LazyArray; selection: NormalisedSelection } | undefined {
    const pieces = this.pieces(selection);
    return pieces.length === 1 ? { part: this.parts[pieces[0].part], selection: pieces[0].selection } : undefined;
  }

  private pieces(selection: NormalisedSelection): Piece[] {
    const sel = selection[this.axis];
    const rest = selection.filter((_, d) => d !== this.axis);
    if (this.mode === 'stack') {
      if (isIndex(sel)) return [{ part: sel.index, selection: rest, outOffset: 0 }];
      return Array.from({ length: sel.count }, (_, j) => ({
        part: sel.start + j * sel.step,
        selection: rest,
        outOffset: j,
      }));
    }
    const partOf = (i: number): number => {
      let lo = 0;
      let hi = this.parts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (this.offsets[mid] <= i) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    const local = (part: number, axisSel: NormalisedAxis): Piece['selection'] => {
      const s = [...selection];
      s[this.axis] = axisSel;
      return s;
    };
    if (isIndex(sel)) {
      const part = partOf(sel.index);
      return [{ part, selection: local(part, { index: sel.index - this.offsets[part] }), outOffset: 0 }];
    }
    const pieces: Piece[] = [];
    let ja = 0;
    while (ja < sel.count) {
      const first = sel.start + ja * sel.step;
      const part = partOf(first);
      // Selected indices are monotonic, so those in one part are consecutive; find where this part's run ends.
      const lo = this.offsets[part];
      const hi = this.offsets[part + 1];
      const bound = sel.step > 0 ? hi - 1 : lo;
      const jb = Math.min(sel.count, Math.floor((bound - sel.start) / sel.step) + 1);
      pieces.push({
        part,
        selection: local(part, { start: first - lo, step: sel.step, count: jb - ja }),
        outOffset: ja,
      });
      ja = jb;
    }
    return pieces;
  }

  async readSelection(selection: NormalisedSelection, options?: RangeOptions): Promise<ArrayResult> {
    const shape = selectionShape(selection);
    const n = product(shape);
    const values = allocate(this.dtype, n);
    const pieces = this.pieces(selection);
    // The output axis the pieces are laid along: the combined axis, unless an index dropped it.
    const outAxis = isIndex(selection[this.axis])
      ? -1
      : selection.slice(0, this.axis).filter((s) => !isIndex(s)).length;
    const outStrides = stridesOf(shape);
    let mask: Uint8Array | undefined;
    const limit = pLimit(this.options.concurrency ?? 8);
    try {
      await Promise.all(
        pieces.map((piece) =>
          limit(async () => {
            const part = await readNormalised(this.parts[piece.part], piece.selection, options);
            const partShape = this.mode === 'stack' && outAxis >= 0 ? withAxis(part.shape, outAxis) : part.shape;
            const dstOffset = outAxis >= 0 ? piece.outOffset * outStrides[outAxis] : 0;
            const partStrides = stridesOf(partShape);
            copyStrided(part.values, 0, partStrides, values, dstOffset, outStrides, partShape);
            if (part.mask) {
              mask ??= new Uint8Array(n);
              copyStrided(part.mask, 0, partStrides, mask, dstOffset, outStrides, partShape);
            }
          }),
        ),
      );
    } finally {
      limit.clearQueue();
    }
    const result: ArrayResult = { shape, dtype: this.dtype, values };
    if (mask) result.mask = mask;
    return result;
  }
}

/** `shape` with a length-1 axis inserted at `axis` (a stacked part seen as a slab of the output). */
function withAxis(shape: readonly number[], axis: number): number[] {
  return [...shape.slice(0, axis), 1, ...shape.slice(axis)];
}
