import type { ByteSource, RangeReadOptions } from '../../bytes/types.js';
import { ByteSourceError } from '../../errors.js';
import { ncTypeSize, type NcType } from './nc-types.js';

/** Where a variable's values lie in the object: everything a read needs, whether or not the header was read. */
export interface VariableLayout {
  ncType: NcType;
  /** Offset of the first value (of the first record, for a record variable). */
  begin: number;
  /** Stored shape: record dimension first for record variables, string length last for `char`. */
  shape: readonly number[];
  /** Bytes from one record to the next; absent for a variable without the record dimension. */
  recordStride?: number;
}

/**
 * The byte runs a hyperslab occupies: all `runLength` bytes long (the innermost dimensions that can be read
 * contiguously are merged into one run), at increasing `offsets`, in the slab's row-major order.
 */
export interface RunPlan {
  runLength: number;
  offsets: Float64Array;
}

/** Byte strides of each stored dimension; the record dimension steps over every record variable's record. */
export function byteStrides(layout: VariableLayout): number[] {
  const { shape } = layout;
  const strides = new Array<number>(shape.length);
  let step = ncTypeSize(layout.ncType);
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= shape[i];
  }
  if (layout.recordStride !== undefined && shape.length > 0) strides[0] = layout.recordStride;
  return strides;
}

/** Plan the minimal runs for a hyperslab of the stored shape (assumed within bounds and non-empty). */
export function planRuns(layout: VariableLayout, start: readonly number[], count: readonly number[]): RunPlan {
  const rank = layout.shape.length;
  const strides = byteStrides(layout);
  let base = layout.begin;
  for (let i = 0; i < rank; i++) base += start[i] * strides[i];
  if (rank === 0) return { runLength: ncTypeSize(layout.ncType), offsets: Float64Array.of(base) };

  // Grow the run outwards from one element while it spans exactly one step of the next dimension out: then that
  // dimension's indices are adjacent. (A record variable's elements along the record dimension never are, unless
  // it is the only record variable.)
  let k = rank;
  let runLength = ncTypeSize(layout.ncType);
  while (k > 0 && runLength === strides[k - 1]) {
    k--;
    runLength = count[k] * strides[k];
  }

  let runs = 1;
  for (let i = 0; i < k; i++) runs *= count[i];
  const offsets = new Float64Array(runs);
  const index = new Array<number>(k).fill(0);
  let offset = base;
  for (let r = 0; r < runs; r++) {
    offsets[r] = offset;
    // Odometer over the outer dimensions, updating the offset incrementally.
    for (let d = k - 1; d >= 0; d--) {
      if (++index[d] < count[d]) {
        offset += strides[d];
        break;
      }
      index[d] = 0;
      offset -= (count[d] - 1) * strides[d];
    }
  }
  return { runLength, offsets };
}

/** One request: `length` bytes at `offset`, covering runs `first` to `first + runs - 1` of a plan. */
export interface Fetch {
  offset: number;
  length: number;
  first: number;
  runs: number;
}

export interface RunMergeOptions {
  /**
   * Merge neighbouring runs separated by at most this many bytes (default: 0, exact runs). The byte source
   * merges nearby concurrent ranges by its own, backend-aware policy, so this is for sources that do not.
   */
  maxGap?: number;
  /**
   * Requests per read before gaps are merged anyway (default: 4096), smallest first, so that a scattered slab
   * (one column of a large grid) does not become a flood of tiny requests...
   */
  maxRequests?: number;
  /** ...but never a gap larger than this (default: 64 KiB): a few sparse points must not read gigabytes between them. */
  maxForcedGap?: number;
}

export const DEFAULT_RUN_GAP = 0;
export const DEFAULT_MAX_RUN_REQUESTS = 4096;
export const DEFAULT_MAX_FORCED_GAP = 64 * 1024;

/** Group runs into requests; each request covers consecutive runs and the gaps between them. */
export function coalesceRuns(plan: RunPlan, options: RunMergeOptions = {}): Fetch[] {
  const { runLength, offsets } = plan;
  const n = offsets.length;
  if (n === 0) return [];
  let threshold = options.maxGap ?? DEFAULT_RUN_GAP;
  const maxRequests = Math.max(1, options.maxRequests ?? DEFAULT_MAX_RUN_REQUESTS);
  if (n > maxRequests) {
    const gaps = new Float64Array(n - 1);
    for (let i = 0; i + 1 < n; i++) gaps[i] = offsets[i + 1] - offsets[i] - runLength;
    gaps.sort();
    // Merging every gap up to the (n - maxRequests)-th smallest leaves at most maxRequests requests.
    const needed = gaps[n - maxRequests - 1];
    threshold = Math.max(threshold, Math.min(needed, options.maxForcedGap ?? DEFAULT_MAX_FORCED_GAP));
  }
  const fetches: Fetch[] = [];
  let first = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && offsets[i] - offsets[i - 1] - runLength <= threshold) continue;
    const offset = offsets[first];
    fetches.push({ offset, length: offsets[i - 1] + runLength - offset, first, runs: i - first });
    first = i;
  }
  return fetches;
}

export interface SlabReadOptions extends RangeReadOptions, RunMergeOptions {
  /** The object's first bytes, if already fetched (the header prefix): runs inside it are not fetched again. */
  prefix?: Uint8Array;
}

/**
 * Fetch a hyperslab of the stored shape as raw big-endian bytes in row-major order. All requests are issued at
 * once so that a coalescing byte source sees them together.
 *
 * The slab is assembled in `options.into` when it holds the slab (the result is then a view of its start), else in
 * a new buffer. A request is read straight into its place there when the byte source can (a local file), and the
 * gaps it spans between runs (other record variables' values) are closed by moving the runs down in place: no
 * second buffer, no copy of the bytes through one. Bytes a source returns from elsewhere (a shared prefix, a merged
 * request) are copied run by run, as they may not be modified.
 */
export async function readSlabBytes(
  source: ByteSource,
  layout: VariableLayout,
  start: readonly number[],
  count: readonly number[],
  options: SlabReadOptions = {},
): Promise<Uint8Array> {
  const total = count.reduce((a, b) => a * b, 1) * ncTypeSize(layout.ncType);
  if (total === 0) return new Uint8Array(0);
  const plan = planRuns(layout, start, count);
  const { runLength, offsets } = plan;
  const prefix = options.prefix;
  const fetches = coalesceRuns(plan, options);
  const last = fetches[fetches.length - 1];
  // The last request may be read in place past the slab's end (its gaps), so a new buffer makes room for that,
  // unless the gaps are a large part of it: the result would keep them alive.
  const lastEnd = last.first * runLength + last.length;
  const given = options.into;
  const out =
    given !== undefined && given.byteLength >= total ? given : new Uint8Array(lastEnd - total <= total / 16 ? lastEnd : total);
  await Promise.all(
    fetches.map(async (f) => {
      const at = f.first * runLength;
      // In place when the request fills exactly its runs' place, or overruns only the end of the buffer.
      const inPlace = f.length === f.runs * runLength || (f === last && at + f.length <= out.byteLength);
      const into = inPlace ? out.subarray(at, at + f.length) : undefined;
      const data =
        prefix && f.offset + f.length <= prefix.length
          ? prefix.subarray(f.offset, f.offset + f.length)
          : await source.getRange(f.offset, f.length, { signal: options.signal, into });
      if (data.length < f.length) {
        throw new ByteSourceError(
          'SHORT_READ',
          source.uri,
          `the object ends after ${f.offset + data.length} bytes, before the data the header describes; ` +
            'the file is truncated, or it changed since it was published',
          { range: { offset: f.offset, length: f.length } },
        );
      }
      if (into !== undefined && data.buffer === into.buffer && data.byteOffset === into.byteOffset) {
        // Each run moves down (to its place in the slab, never past the next run's bytes), in order: safe in place.
        for (let r = f.first + 1; r < f.first + f.runs; r++) {
          const from = at + offsets[r] - f.offset;
          if (from !== r * runLength) out.copyWithin(r * runLength, from, from + runLength);
        }
        return;
      }
      for (let r = f.first; r < f.first + f.runs; r++) {
        const from = offsets[r] - f.offset;
        out.set(data.subarray(from, from + runLength), r * runLength);
      }
    }),
  );
  return out.byteLength === total ? out : out.subarray(0, total);
}
