import { KernelArena } from '../wasm-kernels.js';
import type { AccumulatorNeeds, FloatArray } from '../kernels.js';
import { MAX_HELPER_LAG } from './plan.js';
import type { Tile } from './tile.js';

/** Memory a reduction reuses: tile buffers and kept WebAssembly arenas (from pass to pass), copies of values. */

/**
 * Copies of tile values that are not in the tile's own buffer (unpacked into scratch, a plugin's own, an in-memory
 * array's), where the kernels need them: in the arena (float32 values for the WebAssembly kernels) or in shared
 * memory (for helper threads), else an ordinary buffer. Reused once the tile is accumulated.
 */
export class Staging {
  private readonly free: FloatArray[] = [];
  /** The whole buffer each handed-out view is the start of. */
  private readonly whole = new WeakMap<FloatArray, FloatArray>();

  constructor(
    private readonly shared: boolean,
    private readonly arena: KernelArena | undefined,
  ) {}

  copy(values: FloatArray): FloatArray {
    const f32 = values instanceof Float32Array;
    const i = this.free.findIndex((f) => f instanceof Float32Array === f32 && f.length >= values.length);
    let buffer = i >= 0 ? this.free.splice(i, 1)[0] : undefined;
    if (!buffer) {
      const bytes = (f32 && this.arena?.bytes(values.byteLength)) || new Uint8Array(this.shared ? new SharedArrayBuffer(values.byteLength) : new ArrayBuffer(values.byteLength));
      buffer = f32 ? new Float32Array(bytes.buffer, bytes.byteOffset, values.length) : new Float64Array(bytes.buffer, bytes.byteOffset, values.length);
    }
    const view = buffer.subarray(0, values.length);
    view.set(values);
    this.whole.set(view, buffer);
    return view;
  }

  give(copy: FloatArray): void {
    const buffer = this.whole.get(copy);
    if (buffer) this.free.push(buffer);
  }
}

/**
 * Bytes of a pass's arena: its accumulators, the tile buffers it may hold at once (reads in flight, the tile being
 * accumulated, tiles helpers are behind on), and as many copies of values. Sized for helpers whether or not the pass
 * has them, so that one kept arena serves both kinds of pass: what a pass does not use costs address space only.
 */
export function arenaBytes(needs: AccumulatorNeeds, cells: number, tileBytes: number, concurrency: number): number {
  const arrays = (needs.sum ? 2 : 0) + (needs.min ? 1 : 0) + (needs.max ? 1 : 0) + (needs.welford ? 3 : 1);
  const tiles = concurrency + 1 + MAX_HELPER_LAG;
  const copies = 1 + MAX_HELPER_LAG;
  return arrays * (cells * 8 + 16) + (tiles + copies) * (tileBytes + 16);
}

/**
 * The last pass's arena, kept for `SPARE_IDLE_MS` as tile buffers are (see `spare`): a new memory's pages fault in
 * as they are first written, and reductions often come in series. Taken by one pass at a time.
 */
let spareArena: KernelArena | undefined;
let spareArenaTimer: ReturnType<typeof setTimeout> | undefined;

/** An arena of at least `bytes`: the kept one if it is large enough (and not much larger), else a new one. */
export function takeArena(bytes: number): KernelArena | undefined {
  const kept = spareArena;
  if (kept && kept.size >= bytes && kept.size <= 2 * bytes + (16 << 20)) {
    spareArena = undefined;
    kept.reset();
    return kept;
  }
  try {
    // Shared memory, whether or not this pass has helpers (the kept arena may serve one that has).
    return new KernelArena(bytes, true);
  } catch {
    // No WebAssembly memory to be had (address space, a platform without it): the JavaScript loops do.
    return undefined;
  }
}

export function keepArena(arena: KernelArena): void {
  spareArena = arena;
  clearTimeout(spareArenaTimer);
  spareArenaTimer = setTimeout(() => (spareArena = undefined), SPARE_IDLE_MS);
  spareArenaTimer.unref();
}

/**
 * Room for a tile of `bytes` plus slack, in whole 64 KiB: a reader assembles a slab in place only when the buffer
 * also holds the gaps its requests span between runs (a few bytes of other record variables per record).
 */
export function tileBufferBytes(bytes: number): number {
  return (Math.ceil(bytes / 65536) + 1) * 65536;
}

/**
 * The byte buffers tiles are read into, reused from tile to tile: a tile's stored values are a view of its buffer
 * (when the plugin reads into it, `DataSourcePlugin.readsInto`), which goes back to the pool once the tile is
 * accumulated. A pass then allocates about `concurrency + 1` buffers instead of two per tile, and saves their
 * zeroing, page faults and collection.
 */
export class TileBuffers {
  private readonly free: Uint8Array[] = [];
  private bytes: number;

  /**
   * `bytes`: a buffer's size (`tileBufferBytes`); `shared`: in shared memory; `arena`: taken from it while it has
   * room.
   */
  constructor(
    bytes: number,
    private readonly shared: boolean,
    private readonly arena: KernelArena | undefined,
  ) {
    this.bytes = bytes;
  }

  take(): Uint8Array {
    return (
      this.free.pop() ??
      this.arena?.bytes(this.bytes) ??
      takeSpare(this.bytes, this.shared) ??
      new Uint8Array(this.shared ? new SharedArrayBuffer(this.bytes) : new ArrayBuffer(this.bytes))
    );
  }

  /** The pass is over: its buffers are kept a while for the next one (the arena's go with the arena). */
  close(): void {
    keepSpare(this.free.splice(0).filter((b) => !this.arena?.holds(b)));
  }

  /** Return `buffer` once `tile` (read with it) is accumulated. */
  give(buffer: Uint8Array, tile: Tile): void {
    const stored = tile.stored;
    if (stored !== undefined && !Array.isArray(stored) && stored.buffer !== buffer.buffer && stored.byteLength > buffer.byteLength) {
      // Too small for this tile (stored values wider than the array's dtype): later buffers are made larger, and
      // this one is dropped.
      this.bytes = Math.max(this.bytes, tileBufferBytes(stored.byteLength));
    }
    if (buffer.byteLength >= this.bytes) this.free.push(buffer);
  }
}

/**
 * Tile buffers kept from one pass to the next for `SPARE_IDLE_MS` (reductions often come in series: several
 * statistics, fields or files): a new buffer costs its zeroing and, as it is first read into, a page fault per
 * 4 KiB page in the thread reading it.
 */
const spare: Uint8Array[] = [];
const SPARE_IDLE_MS = 5000;
const SPARE_MAX_BYTES = 64 << 20;
let spareTimer: ReturnType<typeof setTimeout> | undefined;

/** A kept buffer of at least `bytes` (and not much more), of the kind asked for. */
function takeSpare(bytes: number, shared: boolean): Uint8Array | undefined {
  const i = spare.findIndex((b) => b.byteLength >= bytes && b.byteLength <= 2 * bytes && b.buffer instanceof SharedArrayBuffer === shared);
  return i < 0 ? undefined : spare.splice(i, 1)[0];
}

function keepSpare(buffers: Uint8Array[]): void {
  let total = spare.reduce((n, b) => n + b.byteLength, 0);
  for (const b of buffers) {
    if (total + b.byteLength > SPARE_MAX_BYTES) break;
    spare.push(b);
    total += b.byteLength;
  }
  clearTimeout(spareTimer);
  spareTimer = setTimeout(() => (spare.length = 0), SPARE_IDLE_MS);
  spareTimer.unref();
}
