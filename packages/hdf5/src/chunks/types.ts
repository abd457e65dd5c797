/** Where one stored chunk is, and which filters were skipped for it. */
export interface ChunkRecord {
  /** Absolute file offset. */
  offset: number;
  /** Stored (filtered) size in bytes. */
  size: number;
  /** Bit i set: filter i of the pipeline was not applied to this chunk. */
  filterMask: number;
}

/** The geometry a chunk index needs. */
export interface ChunkGeometry {
  shape: number[];
  /** Per axis, the maximum extent (`Infinity` for unlimited). */
  maxShape: number[];
  /** Chunk shape in elements. */
  chunks: number[];
  /** Bytes of one element. */
  elementSize: number;
  /** Whether the dataset has a filter pipeline (the index then records stored sizes and masks). */
  filtered: boolean;
}

/**
 * A chunked dataset's index. `lookup` takes chunk grid coordinates in lexicographic order and answers, for each,
 * where the chunk is (`undefined`: never written, read as fill). Implementations read only the index structures
 * the given chunks need, through the file's metadata cache.
 */
export interface ChunkIndex {
  lookup(coords: number[][], signal?: AbortSignal): Promise<(ChunkRecord | undefined)[]>;
}

/** Compare two coordinate tuples lexicographically. */
export function compareCoords(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/** The first index of sorted `list` whose tuple is ≥ `key` (list.length if none). */
export function lowerBound(list: number[][], key: ArrayLike<number>): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareCoords(list[mid], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Chunks per axis over extents `dims` (a finite `maxShape`, or the current shape for an unlimited axis). */
export function gridOf(dims: number[], chunks: number[]): number[] {
  return dims.map((n, i) => Math.ceil(n / chunks[i]));
}

/** Row-major linear index of `coords` in `grid` (the first axis may be unbounded). */
export function linearIndex(coords: number[], grid: number[]): number {
  let index = 0;
  for (let i = 0; i < coords.length; i++) index = index * (i === 0 ? 1 : grid[i]) + coords[i];
  return index;
}
