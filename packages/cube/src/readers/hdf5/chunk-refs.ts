import type { JsonValue } from '@cubemark/format';
import { FILTER_NAMES, KNOWN_FILTER_NAMES, type Datatype, type FilterInfo, type Hdf5Dataset as H5Dataset } from '@cubemark/hdf5';
import type { ChunkLayout, ChunkRef } from '../types.js';
import { Hdf5FormatError } from './errors.js';
import type { StoredLayout } from './layout.js';
import { fillValueOf } from './read.js';
import { encodeVlenUtf8 } from '../vlen-utf8.js';

type Codec = { [key: string]: JsonValue };

/** Largest chunk a reference names for a contiguous dataset; larger ones split by rows of the first axis. */
export const MAX_REFERENCE_CHUNK_BYTES = 16 * 1024 * 1024;


/** What a dataset holds, found again from its recorded array. */
export interface ReferencedDataset {
  path: string;
  dataset: H5Dataset;
  layout: StoredLayout;
}

function cannotExpress(uri: string, variable: string, path: string, what: string): Hdf5FormatError {
  return new Hdf5FormatError('HDF5_CANNOT_EXPRESS', uri, `variable '${variable}' (${path}): ${what}; a reference file (Zarr v2 metadata read by numcodecs) cannot express it`);
}

function filterName(f: FilterInfo): string {
  return `HDF5 filter ${f.id} (${f.name || FILTER_NAMES[f.id] || KNOWN_FILTER_NAMES[f.id] || 'unnamed'})`;
}

/** The NumPy dtype string of stored elements: byte order from the file. */
function numpyDtype(type: Datatype, layout: StoredLayout, fail: (what: string) => never): string {
  if (type.class === 'integer' || type.class === 'float') {
    const kind = type.class === 'float' ? 'f' : type.signed ? 'i' : 'u';
    return `${type.size === 1 ? '|' : type.littleEndian ? '<' : '>'}${kind}${type.size}`;
  }
  if (type.class === 'string') return `|S${layout.char ? layout.storedShape[layout.storedShape.length - 1] : type.size}`;
  if (type.class === 'vlen-string') return '|O';
  return fail(`its HDF5 ${type.class} type`);
}

/** The filter pipeline as numcodecs codecs: applied in order when writing, so a trailing deflate is the compressor. */
function codecs(filters: readonly FilterInfo[], elementSize: number, fail: (what: string) => never): { compressor: Codec | null; filters: Codec[] | null } {
  const mapped = filters.map((f): Codec => {
    switch (f.id) {
      case 1:
        return { id: 'zlib', level: f.params[0] ?? 6 };
      case 2:
        return { id: 'shuffle', elementsize: f.params[0] ?? elementSize };
      case 3:
        // numcodecs gained an HDF5-compatible Fletcher32 codec in 0.12; Debian's numcodecs (0.11) has none.
        return fail(`${filterName(f)}: the numcodecs xarray reads with (0.11) has no Fletcher-32 codec`);
      default:
        return fail(`${filterName(f)}: numcodecs has no codec for it`);
    }
  });
  const last = mapped.at(-1);
  if (last?.id === 'zlib') return { compressor: last, filters: mapped.length > 1 ? mapped.slice(0, -1) : null };
  return { compressor: null, filters: mapped.length ? mapped : null };
}

/** The HDF5 fill value as Zarr JSON (non-finite floats and large 64-bit integers as strings). */
function fillJson(dataset: H5Dataset, layout: StoredLayout): number | string | null {
  if (layout.dtype === 'string') return null;
  const v = fillValueOf(dataset, layout) ?? 0;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === 'string') return null;
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  return v;
}

/** Contiguous bytes as equal chunks of whole rows of the first axis (Zarr reads every chunk as a full one). */
function contiguousRefs(uri: string, offset: number, shape: number[], itemSize: number, maxChunkBytes: number): { chunks: number[]; refs: ChunkRef[] } {
  if (shape.length === 0) return { chunks: [], refs: [{ key: '0', uri, offset, length: itemSize }] };
  const rowBytes = shape.slice(1).reduce((a, b) => a * b, itemSize);
  let rows = Math.max(1, Math.min(shape[0], Math.floor(maxChunkBytes / Math.max(1, rowBytes))));
  while (shape[0] % rows !== 0) rows--;
  const chunks = [rows, ...shape.slice(1)].map((c) => Math.max(1, c));
  const rest = shape.slice(1).map(() => '.0').join('');
  const refs: ChunkRef[] = [];
  if (!shape.some((n) => n === 0)) {
    for (let i = 0, r = 0; r < shape[0]; i++, r += rows) refs.push({ key: `${i}${rest}`, uri, offset: offset + r * rowBytes, length: rows * rowBytes });
  }
  return { chunks, refs };
}

/** Largest array of variable-length strings read and inlined (its characters, in UTF-8). */
export const MAX_INLINE_STRING_BYTES = 1024 * 1024;

/**
 * Variable-length strings live in the file's global heap, where no byte range holds an array's values: they are
 * read and inlined as one chunk in numcodecs' VLenUTF8 encoding (a count, then each length and its UTF-8 bytes),
 * as kerchunk does; no larger than `MAX_INLINE_STRING_BYTES`.
 */
async function vlenStrings(uri: string, dataset: H5Dataset, base: Omit<ChunkLayout, 'chunks' | 'compressor' | 'filters' | 'refs'>, fail: (what: string) => never, signal?: AbortSignal): Promise<ChunkLayout> {
  const layout = { ...base, chunks: base.shape.map((n) => Math.max(1, n)), compressor: null, filters: [{ id: 'vlen-utf8' }] };
  const shape = dataset.shape ?? [];
  if (base.shape.some((n) => n === 0)) return { ...layout, refs: [] };
  if (base.shape.some((n, i) => n !== shape[i])) fail(`its strings stop at [${shape.join(', ')}], short of its recorded shape`);
  const strings = (await dataset.read(undefined, { signal })) as string[];
  const data = encodeVlenUtf8(strings);
  if (data.length > MAX_INLINE_STRING_BYTES) fail(`its variable-length strings take ${data.length} bytes, more than the ${MAX_INLINE_STRING_BYTES} inlined`);
  return { ...layout, refs: [{ key: shape.length === 0 ? '0' : shape.map(() => 0).join('.'), uri, data }] };
}

/**
 * A NetCDF-4/HDF5 dataset's stored bytes as Zarr v2 chunks: chunked datasets chunk for chunk from the chunk index
 * (any index type; only the index is read, no data), deflate as `zlib` and shuffle as numcodecs `shuffle`;
 * contiguous data as ranges of whole rows; compact data inline. `shape` is the recorded shape (an unlimited axis
 * may be longer than what the dataset stored: the chunks past it are missing, so fill). Fletcher-32 and filters
 * numcodecs lacks, chunks stored with a filter skipped and unfiltered partial edge chunks cannot be expressed
 * (`HDF5_CANNOT_EXPRESS`). Variable-length strings are read and inlined (see `vlenStrings`).
 */
export async function hdf5ChunkLayout(
  uri: string,
  variable: string,
  { path, dataset, layout }: ReferencedDataset,
  shape: readonly number[],
  signal?: AbortSignal,
  maxChunkBytes = MAX_REFERENCE_CHUNK_BYTES,
): Promise<ChunkLayout> {
  const fail = (what: string): never => {
    throw cannotExpress(uri, variable, path, what);
  };
  const type = dataset.datatype;
  const dtype = numpyDtype(type, layout, fail);
  const itemSize = layout.char ? layout.storedShape[layout.storedShape.length - 1] : type.size;
  const rank = layout.shape.length;
  const base = { dtype, shape: [...shape], order: 'C' as const, fill_value: fillJson(dataset, layout), dimension_separator: '.' as const };
  if (type.class === 'vlen-string') return vlenStrings(uri, dataset, base, fail, signal);
  const storage = dataset.layout;
  switch (storage.class) {
    case 'compact': {
      const bytes = layout.storedShape.reduce((a, b) => a * b, type.size);
      const data = storage.data.subarray(0, bytes);
      const refs: ChunkRef[] = rank === 0 || shape.every((n) => n > 0) ? [{ key: rank === 0 ? '0' : shape.map(() => 0).join('.'), uri, data }] : [];
      return { ...base, chunks: shape.map((n) => Math.max(1, n)), compressor: null, filters: null, refs };
    }
    case 'contiguous': {
      const range = dataset.contiguousRange();
      const { chunks, refs } = contiguousRefs(uri, range?.offset ?? 0, [...shape], itemSize, maxChunkBytes);
      if (dataset.filters.length > 0) fail(`it is contiguous with filters ${dataset.filters.map(filterName).join(', ')}`);
      return { ...base, chunks, compressor: null, filters: null, refs: range ? refs : [] };
    }
    case 'chunked': {
      const stored = storage.chunks;
      if (layout.char && stored[stored.length - 1] !== itemSize) {
        fail(`its characters are chunked by ${stored[stored.length - 1]} of ${itemSize} (one string split across chunks)`);
      }
      const chunks = stored.slice(0, rank);
      const { compressor, filters } = codecs(dataset.filters, type.size, fail);
      const found = await dataset.chunksFor(undefined, signal);
      const refs: ChunkRef[] = [];
      for (const c of found) {
        const coords = c.coords.slice(0, rank);
        if (coords.some((x, i) => x * chunks[i] >= shape[i])) continue; // stored past the recorded extent
        const partial = c.coords.some((x, i) => (x + 1) * stored[i] > layout.storedShape[i]);
        if (dataset.filters.length > 0 && partial && storage.dontFilterPartialEdgeChunks) {
          fail(`chunk [${c.coords.join(', ')}] is a partial edge chunk stored unfiltered while the others are filtered`);
        }
        if (c.filterMask & ((1 << dataset.filters.length) - 1)) {
          const skipped = dataset.filters.filter((_, i) => c.filterMask & (1 << i)).map(filterName);
          fail(`chunk [${c.coords.join(', ')}] was stored without ${skipped.join(', ')} (an optional filter skipped for it alone)`);
        }
        refs.push({ key: rank === 0 ? '0' : coords.join('.'), uri, offset: c.offset, length: c.size });
      }
      return { ...base, chunks: rank === 0 ? [] : chunks, compressor, filters, refs };
    }
  }
}
