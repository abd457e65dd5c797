import { Hdf5CorruptError } from '../errors.js';
import { PageCache } from './page-cache.js';
import type { RangeReader } from './range-reader.js';

/** How a file is read and how much of it is kept (every field optional). */
export interface ReadOptions {
  /** Bytes read from the start of the file at open: superblock and the object headers that usually follow it (default: 65536). */
  readAhead?: number;
  /** Metadata is read and cached in pages of this many bytes (default: 4096). */
  pageSize?: number;
  /** Bytes read past an object header not yet cached, for the headers that usually follow it (default: 4096). */
  headerReadAhead?: number;
  /** Bytes of metadata pages (headers, heaps, chunk-index nodes) kept per file (default: 16 MiB). */
  cacheBytes?: number;
  /** A page cache shared with other files (its own budget then applies, not `cacheBytes`). */
  pageCache?: PageCache;
  /** Chunks closer than this many bytes are fetched in one request (default: 8192). */
  maxGap?: number;
  /** A merged chunk request never grows beyond this many bytes, unless one chunk alone is larger (default: 8 MiB). */
  maxMergedBytes?: number;
  /** Chunk requests in flight at once per read (default: 8). */
  concurrency?: number;
  /** The most bytes one read may decode into memory (default: 1 GiB). */
  maxReadBytes?: number;
}

export const DEFAULTS = {
  readAhead: 64 * 1024,
  pageSize: 4096,
  headerReadAhead: 4096,
  cacheBytes: 16 * 1024 * 1024,
  maxGap: 8192,
  maxMergedBytes: 8 * 1024 * 1024,
  concurrency: 8,
  maxReadBytes: 1024 * 1024 * 1024,
} as const;

export type ResolvedOptions = { -readonly [K in keyof typeof DEFAULTS]: number };

let files = 0;

/**
 * Reads of one file: metadata through a page cache with a byte budget (LRU), data ranges straight through.
 * Every read is checked against the end of the file: a structure past the end-of-file address is corrupt, a
 * short answer from the reader means the file is truncated.
 */
export class FileIO {
  readonly uri: string;
  readonly options: ResolvedOptions;
  /** The superblock's end-of-file address (absolute), once known. */
  eof = Number.POSITIVE_INFINITY;
  /** Pages being fetched. */
  private readonly pending = new Map<number, Promise<Uint8Array>>();
  private readonly cache: PageCache;
  /** This file's prefix of page keys in the (maybe shared) cache. */
  private readonly id = `${++files}:`;

  constructor(
    readonly reader: RangeReader,
    options: ReadOptions = {},
  ) {
    this.uri = reader.uri;
    this.options = { ...DEFAULTS };
    for (const key of Object.keys(DEFAULTS) as (keyof ResolvedOptions)[]) {
      const value = options[key];
      if (value !== undefined) this.options[key] = value;
    }
    this.cache = options.pageCache ?? new PageCache(this.options.cacheBytes);
  }

  /** Bytes of metadata pages held by the cache this file uses. */
  get cachedBytes(): number {
    return this.cache.bytes;
  }

  private has(p: number): boolean {
    return this.pending.has(p) || this.cache.has(this.id + p);
  }

  /**
   * Page `p`, fetched alone if it is neither cached nor on its way (evicted since it was asked for). A caller whose
   * signal aborts stops waiting (the shared request goes on for the others).
   */
  private page(p: number, signal?: AbortSignal): Uint8Array | Promise<Uint8Array> {
    signal?.throwIfAborted();
    const cached = this.cache.get(this.id + p);
    if (cached !== undefined) return cached;
    if (!this.pending.has(p)) this.fetchPages(p, p);
    const pending = this.pending.get(p)!;
    if (!signal) return pending;
    return new Promise<Uint8Array>((resolve, reject) => {
      const stop = () => reject(signal.reason);
      signal.addEventListener('abort', stop, { once: true });
      pending.then(
        (bytes) => {
          signal.removeEventListener('abort', stop);
          resolve(bytes);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', stop);
          reject(error);
        },
      );
    });
  }

  private checkBounds(offset: number, length: number, what: string): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new Hdf5CorruptError('HDF5_CORRUPT', this.uri, offset, `${what}: impossible range of ${length} bytes at ${offset}`);
    }
    if (offset + length > this.eof) {
      throw new Hdf5CorruptError(
        'HDF5_CORRUPT',
        this.uri,
        offset,
        `${what} (${length} bytes) lies past the end-of-file address ${this.eof}: a pointer in the file is wrong`,
      );
    }
  }

  /**
   * Up to `length` bytes from the start of the file (fewer when the file is shorter), through the page cache: the
   * read-ahead at open, which also finds the superblock.
   */
  async prefix(length: number, signal?: AbortSignal): Promise<Uint8Array> {
    const size = this.options.pageSize;
    const last = Math.ceil(length / size) - 1;
    const missing: number[] = [];
    for (let p = 0; p <= last; p++) if (!this.has(p)) missing.push(p);
    for (const run of runs(missing)) this.fetchPages(run[0], run[1]);
    const parts: Uint8Array[] = [];
    for (let p = 0; p <= last; p++) {
      const bytes = await this.page(p, signal);
      parts.push(bytes);
      if (bytes.length < size) break;
    }
    const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of parts) {
      out.set(b, at);
      at += b.length;
    }
    return out.subarray(0, Math.min(length, out.length));
  }

  /**
   * Exactly `length` bytes at `offset` (chunk data): from the page cache when every page is there already (small
   * variables inside the read-ahead), else fetched as they are, uncached.
   */
  async read(offset: number, length: number, what: string, signal?: AbortSignal): Promise<Uint8Array> {
    this.checkBounds(offset, length, what);
    if (length === 0) return new Uint8Array(0);
    const size = this.options.pageSize;
    let cached = true;
    for (let p = Math.floor(offset / size); p <= Math.floor((offset + length - 1) / size) && cached; p++) cached = this.has(p);
    if (cached) return this.meta(offset, length, what, 0, signal);
    const bytes = await this.reader.getRange(offset, length, { signal });
    if (bytes.length < length) {
      throw new Hdf5CorruptError('HDF5_TRUNCATED', this.uri, offset, `${what} (${length} bytes) is cut short: the file ends ${bytes.length} bytes in; it is truncated`);
    }
    return bytes.length === length ? bytes : bytes.subarray(0, length);
  }

  /**
   * `length` bytes of metadata at `offset`, through the page cache. A miss fetches the missing pages plus up to
   * `ahead` bytes after them in one request (object headers tend to sit next to each other).
   */
  async meta(offset: number, length: number, what: string, ahead = 0, signal?: AbortSignal): Promise<Uint8Array> {
    this.checkBounds(offset, length, what);
    if (length === 0) return new Uint8Array(0);
    const size = this.options.pageSize;
    const first = Math.floor(offset / size);
    const last = Math.floor((offset + length - 1) / size);
    const missing: number[] = [];
    for (let p = first; p <= last; p++) if (!this.has(p)) missing.push(p);
    if (missing.length > 0) {
      const lastAhead = Math.min(last + Math.ceil(ahead / size), Math.floor((Math.min(this.eof, Number.MAX_SAFE_INTEGER) - 1) / size));
      for (let p = last + 1; p <= lastAhead && !this.has(p); p++) missing.push(p);
      for (const run of runs(missing)) this.fetchPages(run[0], run[1]);
    }
    const parts: Uint8Array[] = [];
    for (let p = first; p <= last; p++) parts.push(await this.page(p, signal));
    const start = offset - first * size;
    if (parts.length === 1 && start + length <= parts[0].length) return parts[0].subarray(start, start + length);
    const out = new Uint8Array(length);
    let filled = 0;
    for (let i = 0; i < parts.length && filled < length; i++) {
      const from = i === 0 ? start : 0;
      const piece = parts[i].subarray(from, Math.min(parts[i].length, from + length - filled));
      out.set(piece, filled);
      filled += piece.length;
      if (parts[i].length < size && filled < length) break;
    }
    if (filled < length) {
      throw new Hdf5CorruptError('HDF5_TRUNCATED', this.uri, offset, `${what} (${length} bytes) is cut short: the file ends ${filled} bytes in; it is truncated`);
    }
    return out;
  }

  /** Fetch pages [first, last] in one request; each page is cached when it arrives. */
  private fetchPages(first: number, last: number): void {
    const size = this.options.pageSize;
    const offset = first * size;
    const length = Math.min((last - first + 1) * size, Math.max(0, this.eof - offset));
    // Shared by every caller waiting for these pages: no one caller's signal may cancel it.
    const request = this.reader.getRange(offset, length);
    for (let p = first; p <= last; p++) {
      const page: Promise<Uint8Array> = request.then(
        (bytes) => {
          const own = bytes.subarray(Math.min(bytes.length, (p - first) * size), Math.min(bytes.length, (p - first + 1) * size));
          if (this.pending.get(p) === page) {
            this.pending.delete(p);
            this.cache.set(this.id + p, own);
          }
          return own;
        },
        (error: unknown) => {
          if (this.pending.get(p) === page) this.pending.delete(p);
          throw error;
        },
      );
      // Unobserved rejections of read-ahead pages nobody awaits are not errors.
      page.catch(() => undefined);
      this.pending.set(p, page);
    }
  }
}

/** Consecutive runs [first, last] of sorted page numbers. */
function runs(sorted: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const p of sorted) {
    const run = out.at(-1);
    if (run && run[1] === p - 1) run[1] = p;
    else out.push([p, p]);
  }
  return out;
}
