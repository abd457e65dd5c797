import pLimit from 'p-limit';
import { Hdf5CorruptError, Hdf5LimitError, Hdf5UsageError } from '../errors.js';
import { btreeV1Index } from '../chunks/btree-v1.js';
import { btreeV2Index } from '../chunks/btree-v2.js';
import { extensibleArrayIndex } from '../chunks/extensible-array.js';
import { fixedArrayIndex } from '../chunks/fixed-array.js';
import { implicitIndex, singleChunkIndex } from '../chunks/simple.js';
import type { ChunkGeometry, ChunkIndex } from '../chunks/types.js';
import { decodeChunkShuffled } from '../filters/pipeline.js';
import type { Hdf5Context } from '../format/context.js';
import type { Datatype } from '../format/datatype.js';
import type { FilterInfo } from '../format/messages/filters.js';
import type { Layout } from '../format/messages/layout.js';
import { UNDEFINED_ADDRESS } from '../io/cursor.js';
import type { GlobalHeap } from '../structures/global-heap.js';
import { copyBox, copyBoxUnshuffled, fillWith } from '../values/box.js';
import { decodeValues, type Hdf5Values } from '../values/decode.js';
import type { Hdf5Attribute } from './attributes.js';

/** The most chunks `chunksFor` lists in one call. */
const MAX_CHUNKS_LISTED = 10_000_000;

interface StoredChunk {
  offset: number;
  length: number;
  filterMask: number;
  coords: number[];
}

/** A hyperslab: per axis, the first index and how many (step 1). */
export interface Selection {
  start: number[];
  count: number[];
}

/** Options of `read` and `readRaw`. */
export interface ReadRawOptions {
  signal?: AbortSignal;
  stats?: ReadStats;
  /** A buffer to assemble the values in, when it holds at least the selection's bytes (a caller reusing buffers). */
  into?: Uint8Array;
}

/** What a read fetched: requests and bytes, for callers that account for laziness. */
export interface ReadStats {
  requests: number;
  bytes: number;
}

export interface DatasetInit {
  name: string;
  path: string;
  address: number;
  shape: number[] | null;
  maxShape: number[];
  datatype: Datatype;
  layout: Layout;
  filters: FilterInfo[];
  fillValue?: Uint8Array;
  attributes: () => Promise<Hdf5Attribute[]>;
}

/**
 * A dataset: its shape, type, storage and attributes are known at open; its chunk index is read on the first
 * `read`, and only as far as the chunks a selection needs.
 */
export class Hdf5Dataset {
  readonly kind = 'dataset';
  readonly name: string;
  readonly path: string;
  /** Absolute address of the object header (what object references point to). */
  readonly address: number;
  /** `[]` for a scalar, `null` for an empty (null) dataspace. */
  readonly shape: number[] | null;
  /** Per axis, the maximum extent; `Infinity` for unlimited. */
  readonly maxShape: number[];
  readonly datatype: Datatype;
  readonly layout: Layout;
  readonly filters: readonly FilterInfo[];
  /** The fill value's bytes (one element), or `undefined` for zeros. */
  readonly fillValue?: Uint8Array;
  private readonly loadAttributes: () => Promise<Hdf5Attribute[]>;
  private index?: ChunkIndex;

  constructor(
    private readonly ctx: Hdf5Context,
    private readonly heap: GlobalHeap,
    init: DatasetInit,
  ) {
    this.name = init.name;
    this.path = init.path;
    this.address = init.address;
    this.shape = init.shape;
    this.maxShape = init.maxShape;
    this.datatype = init.datatype;
    this.layout = init.layout;
    this.filters = init.filters;
    if (init.fillValue) this.fillValue = init.fillValue;
    this.loadAttributes = init.attributes;
  }

  /** Chunk shape, if chunked. */
  get chunks(): number[] | undefined {
    return this.layout.class === 'chunked' ? this.layout.chunks : undefined;
  }

  attributes(): Promise<Hdf5Attribute[]> {
    return this.loadAttributes();
  }

  /**
   * Where a contiguous dataset's bytes are (absolute offset, length in bytes), or `undefined` when its space was
   * never allocated (it reads as fill) or it is not contiguous. Reads nothing.
   */
  contiguousRange(): { offset: number; length: number } | undefined {
    const layout = this.layout;
    if (layout.class !== 'contiguous' || layout.address === UNDEFINED_ADDRESS) return undefined;
    return { offset: this.ctx.abs(layout.address), length: (this.shape ?? []).reduce((a, b) => a * b, this.datatype.size) };
  }

  /**
   * Values of a hyperslab (the whole dataset by default), decoded (see `Hdf5Values`). With `options.into` (at least
   * the selection's bytes), numbers already in native byte order are assembled in its memory and returned as a view
   * of it; nothing else keeps a reference to it.
   */
  async read(selection?: Selection, options: ReadRawOptions = {}): Promise<Hdf5Values> {
    const raw = await this.readRaw(selection, options);
    const count = selection ? selection.count.reduce((a, b) => a * b, 1) : (this.shape ?? [0]).reduce((a, b) => a * b, 1);
    return decodeValues(raw, this.datatype, count, {
      uri: this.ctx.uri,
      offsetSize: this.ctx.offsetSize,
      baseAddress: this.ctx.superblock.baseAddress,
      heap: this.heap,
      signal: options.signal,
    }, true);
  }

  /**
   * The stored bytes of a hyperslab, row-major, elements as the file holds them (its byte order and type); in
   * `options.into` (the start of it) when it is large enough.
   */
  async readRaw(selection?: Selection, options: ReadRawOptions = {}): Promise<Uint8Array> {
    const { signal } = options;
    signal?.throwIfAborted();
    const shape = this.shape ?? [];
    if (this.shape === null) return new Uint8Array(0);
    const { start, count } = selection ?? { start: shape.map(() => 0), count: [...shape] };
    this.check(start, count, shape);
    const E = this.datatype.size;
    const n = count.reduce((a, b) => a * b, 1);
    if (n * E > this.ctx.io.options.maxReadBytes) {
      throw new Hdf5LimitError(this.ctx.uri, undefined, `reading ${n} elements of ${this.path} (${n * E} bytes) exceeds the limit of ${this.ctx.io.options.maxReadBytes} bytes per read`);
    }
    const into = options.into;
    const fresh = !(into !== undefined && into.length >= n * E);
    const out = fresh ? new Uint8Array(n * E) : into!.subarray(0, n * E);
    if (n === 0) return out;
    const layout = this.layout;
    switch (layout.class) {
      case 'compact': {
        const total = shape.reduce((a, b) => a * b, 1) * E;
        if (layout.data.length < total) throw new Hdf5CorruptError('HDF5_CORRUPT', this.ctx.uri, this.address, `compact data of ${this.path} holds ${layout.data.length} bytes, not ${total}`);
        copyBox(layout.data, shape, start, out, count, count.map(() => 0), count, E);
        return out;
      }
      case 'contiguous':
        await this.readContiguous(layout.address, start, count, shape, out, fresh, options);
        return out;
      case 'chunked':
        await this.readChunked(layout, start, count, shape, out, fresh, options);
        return out;
    }
  }

  private check(start: number[], count: number[], shape: number[]): void {
    const fits =
      start.length === shape.length &&
      count.length === shape.length &&
      start.every((s, i) => Number.isSafeInteger(s) && Number.isSafeInteger(count[i]) && s >= 0 && count[i] >= 0 && s + count[i] <= shape[i]);
    if (!fits) {
      throw new Hdf5UsageError('HDF5_SELECTION', this.ctx.uri, `selection start [${start.join(', ')}] count [${count.join(', ')}] does not fit ${this.path} of shape [${shape.join(', ')}]`);
    }
  }

  private async readContiguous(address: number, start: number[], count: number[], shape: number[], out: Uint8Array, fresh: boolean, options: { signal?: AbortSignal; stats?: ReadStats }): Promise<void> {
    const E = this.datatype.size;
    if (address === UNDEFINED_ADDRESS) {
      fillWith(out, this.fillValue, fresh);
      return;
    }
    const base = this.ctx.abs(address);
    // The selection as runs of contiguous bytes: the trailing axes it covers whole, plus one partial axis.
    const rank = shape.length;
    let k = rank - 1;
    while (k > 0 && count[k] === shape[k] && start[k] === 0) k--;
    const inner = shape.slice(k + 1).reduce((a, b) => a * b, 1);
    const runBytes = (rank === 0 ? 1 : count[k] * inner) * E;
    const runs: { offset: number; length: number; into: number }[] = [];
    const outer = count.slice(0, Math.max(0, k));
    const index = outer.map(() => 0);
    const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1) * E);
    for (let into = 0; into < out.length; into += runBytes) {
      let offset = base;
      for (let i = 0; i < rank; i++) offset += (start[i] + (i < k ? index[i] : 0)) * strides[i];
      runs.push({ offset, length: runBytes, into });
      for (let a = outer.length - 1; a >= 0; a--) {
        if (++index[a] < outer[a]) break;
        index[a] = 0;
      }
    }
    await this.fetchGrouped(runs, options, async (bytes, run) => {
      out.set(bytes, run.into);
    });
  }

  /** Fetch ranges merged with their neighbours (within the gap threshold), a bounded number at a time. */
  private async fetchGrouped<T extends { offset: number; length: number }>(
    items: T[],
    options: { signal?: AbortSignal; stats?: ReadStats },
    use: (bytes: Uint8Array, item: T) => Promise<void>,
  ): Promise<void> {
    const { maxGap, maxMergedBytes, concurrency } = this.ctx.io.options;
    const sorted = [...items].sort((a, b) => a.offset - b.offset);
    const groups: { offset: number; end: number; items: T[] }[] = [];
    for (const item of sorted) {
      const g = groups.at(-1);
      const end = item.offset + item.length;
      if (g && item.offset - g.end <= maxGap && Math.max(g.end, end) - g.offset <= maxMergedBytes) {
        g.end = Math.max(g.end, end);
        g.items.push(item);
      } else {
        groups.push({ offset: item.offset, end, items: [item] });
      }
    }
    const limit = pLimit(concurrency);
    await Promise.all(
      groups.map((g) =>
        limit(async () => {
          const bytes = await this.ctx.io.read(g.offset, g.end - g.offset, `data of ${this.path}`, options.signal);
          if (options.stats) {
            options.stats.requests += 1;
            options.stats.bytes += bytes.length;
          }
          // Chunks of one request are decoded concurrently (inflate runs on libuv's thread pool).
          await Promise.all(g.items.map((item) => use(bytes.subarray(item.offset - g.offset, item.offset - g.offset + item.length), item)));
        }),
      ),
    );
  }

  private chunkIndex(layout: Extract<Layout, { class: 'chunked' }>): ChunkIndex {
    if (this.index) return this.index;
    const g: ChunkGeometry = {
      shape: this.shape ?? [],
      maxShape: this.maxShape,
      chunks: layout.chunks,
      elementSize: this.datatype.size,
      filtered: this.filters.length > 0,
    };
    const ctx = this.ctx;
    const info = layout.index;
    switch (info.type) {
      case 'btree-v1':
        this.index = layout.address === UNDEFINED_ADDRESS ? { lookup: async (c) => c.map(() => undefined) } : btreeV1Index(ctx, layout.address, g);
        break;
      case 'single':
        this.index = singleChunkIndex(ctx, layout.address, g, info.filteredSize === undefined ? undefined : { size: info.filteredSize, mask: info.filterMask ?? 0 });
        break;
      case 'implicit':
        this.index = implicitIndex(ctx, layout.address, g);
        break;
      case 'fixed-array':
        this.index = layout.address === UNDEFINED_ADDRESS ? { lookup: async (c) => c.map(() => undefined) } : fixedArrayIndex(ctx, layout.address, g);
        break;
      case 'extensible-array':
        this.index = layout.address === UNDEFINED_ADDRESS ? { lookup: async (c) => c.map(() => undefined) } : extensibleArrayIndex(ctx, layout.address, g);
        break;
      case 'btree-v2':
        this.index = layout.address === UNDEFINED_ADDRESS ? { lookup: async (c) => c.map(() => undefined) } : btreeV2Index(ctx, layout.address, g);
        break;
    }
    return this.index;
  }

  /**
   * Where the stored chunks a selection touches are (absolute offset, stored size, filter mask), in lexicographic
   * chunk order; chunks never written are left out. Reads the chunk index (only the nodes needed), no data.
   */
  async chunksFor(selection?: Selection, signal?: AbortSignal): Promise<{ coords: number[]; offset: number; size: number; filterMask: number }[]> {
    const layout = this.layout;
    if (layout.class !== 'chunked' || this.shape === null) return [];
    const shape = this.shape;
    const { start, count } = selection ?? { start: shape.map(() => 0), count: [...shape] };
    this.check(start, count, shape);
    if (count.some((c) => c === 0)) return [];
    const touched = start.reduce((n, s, i) => n * (Math.floor((s + count[i] - 1) / layout.chunks[i]) - Math.floor(s / layout.chunks[i]) + 1), 1);
    if (!(touched <= MAX_CHUNKS_LISTED)) {
      throw new Hdf5LimitError(this.ctx.uri, this.address, `${this.path}: the selection touches ${touched} chunks, more than the ${MAX_CHUNKS_LISTED} this reader lists at once`);
    }
    const coords = chunkCoords(start, count, layout.chunks);
    const records = await this.chunkIndex(layout).lookup(coords, signal);
    return records.flatMap((r, i) => (r ? [{ coords: coords[i], offset: r.offset, size: r.size, filterMask: r.filterMask }] : []));
  }

  private async readChunked(
    layout: Extract<Layout, { class: 'chunked' }>,
    start: number[],
    count: number[],
    shape: number[],
    out: Uint8Array,
    fresh: boolean,
    options: { signal?: AbortSignal; stats?: ReadStats },
  ): Promise<void> {
    const E = this.datatype.size;
    const chunks = layout.chunks;
    if (chunks.length !== shape.length || chunks.some((c) => c <= 0)) {
      throw new Hdf5CorruptError('HDF5_CORRUPT', this.ctx.uri, this.address, `${this.path}: chunk shape [${chunks.join(', ')}] does not fit shape [${shape.join(', ')}]`);
    }
    const chunkBytes = chunks.reduce((a, b) => a * b, E);
    if (chunkBytes > this.ctx.io.options.maxReadBytes) {
      throw new Hdf5LimitError(this.ctx.uri, this.address, `${this.path}: chunks of ${chunkBytes} bytes exceed the limit of ${this.ctx.io.options.maxReadBytes}`);
    }
    const coords = chunkCoords(start, count, chunks);
    const records = await this.chunkIndex(layout).lookup(coords, options.signal);
    if (records.some((r) => r === undefined)) fillWith(out, this.fillValue, fresh);
    const present: StoredChunk[] = [];
    records.forEach((r, i) => {
      if (r) present.push({ offset: r.offset, length: r.size, filterMask: r.filterMask, coords: coords[i] });
    });
    await this.fetchGrouped(present, options, async (stored, chunk) => {
      const origin = chunk.coords.map((x, i) => x * chunks[i]);
      const edge = origin.some((o, i) => o + chunks[i] > shape[i]);
      const what = `chunk [${chunk.coords.join(', ')}] of ${this.path}`;
      const unfiltered = this.filters.length === 0 || (edge && layout.dontFilterPartialEdgeChunks);
      let bytes: Uint8Array;
      let shuffled = 0;
      if (unfiltered) {
        if (stored.length < chunkBytes) {
          throw new Hdf5CorruptError('HDF5_BAD_CHUNK', this.ctx.uri, chunk.offset, `${what} holds ${stored.length} bytes, not the ${chunkBytes} of a chunk`);
        }
        bytes = stored;
      } else {
        ({ bytes, shuffled } = await decodeChunkShuffled(stored, this.filters, chunk.filterMask, { uri: this.ctx.uri, offset: chunk.offset, expected: chunkBytes, what }, E));
      }
      const lo = origin.map((o, i) => Math.max(o, start[i]));
      const hi = origin.map((o, i) => Math.min(o + chunks[i], start[i] + count[i]));
      (shuffled ? copyBoxUnshuffled : copyBox)(
        bytes,
        chunks,
        lo.map((x, i) => x - origin[i]),
        out,
        count,
        lo.map((x, i) => x - start[i]),
        hi.map((x, i) => x - lo[i]),
        E,
      );
    });
  }
}

/** Every chunk a (non-empty) selection touches, as grid coordinates in lexicographic order. */
function chunkCoords(start: number[], count: number[], chunks: number[]): number[][] {
  const first = start.map((s, i) => Math.floor(s / chunks[i]));
  const last = start.map((s, i) => Math.floor((s + count[i] - 1) / chunks[i]));
  const coords: number[][] = [];
  const c = [...first];
  for (;;) {
    coords.push([...c]);
    let a = c.length - 1;
    for (; a >= 0; a--) {
      if (++c[a] <= last[a]) break;
      c[a] = first[a];
    }
    if (a < 0) return coords;
  }
}
