import type { ArrayValues, CoordSystem, CubeMeta, JsonValue, Mesh, SourceArray } from '@cubemark/format';
import type { ByteSource, RangeOptions, RangeReadOptions } from '../bytes/types.js';
import type { CfWarning } from '../cf/warnings.js';
import type { Dataset, Hyperslab } from './dataset.js';

/** What a plugin may use: byte sources for any URI (local path, s3://, https://), shared and counted. */
export interface PluginContext {
  openSource(uri: string): ByteSource;
  /**
   * The URI (resolved as the array's own) of the publication's source `index`, or `undefined` if it lists none
   * such: for references whose values lie in several sources (PP fields merged across files, spec §14.5). Given
   * where arrays are read (the lazy layer); absent while a plugin loads.
   */
  sourceUri?(index: number): string | undefined;
}

/** Options of a slab read. */
export interface StoredReadOptions extends RangeReadOptions {
  /**
   * Passed only to readers of plugins that declare `readsBigEndian`: leave multi-byte values as stored, big-endian
   * (a typed array whose bytes the caller reverses itself, fused with its own pass over them). Such values are
   * always in memory the caller may modify: `into`'s, or a buffer of the read's own.
   */
  bigEndian?: boolean;
}

/**
 * Reads stored values (no unpacking or masking; the lazy layer does that from the `SourceArray`). `options.into`
 * is passed only to readers of plugins that declare `readsInto`, `options.bigEndian` only to those of plugins
 * that declare `readsBigEndian`.
 */
export type SlabReader = (slab: Hyperslab, options?: StoredReadOptions) => Promise<ArrayValues>;

export interface OpenCubesOptions extends RangeOptions {
  /** The file's index in the publication's `sources`: the cubes' data references point at it. */
  source: number;
}

/** One of several objects a plugin loads together (`openCubesTogether`). */
export interface SourceToOpen {
  uri: string;
  /** Its index in the publication's `sources`. */
  source: number;
}

export interface OpenTogetherOptions extends RangeOptions {
  /** Called as each source has been read (before the cubes of all of them are made), with its index. */
  onSourceRead?: (source: number) => void;
}

/** Cubes a plugin loads itself (`openCubes`): format metadata, the coordinate systems they use, load warnings. */
export interface SourceCubes {
  cubes: CubeMeta[];
  /** Keyed as the cubes' `coord_system` names them. */
  coordSystems: Record<string, CoordSystem>;
  /** UGRID meshes the cubes refer to by name (default: none). */
  meshes?: Record<string, Mesh>;
  warnings: CfWarning[];
}

/** One stored chunk of an array: its key in the chunk grid (`0.2.0`) and where its bytes are. */
export interface ChunkRef {
  /** Chunk indexes joined by the layout's `dimension_separator` (`0` for a scalar array). */
  key: string;
  /** The object holding the chunk (resolved as the array's source URI was). */
  uri: string;
  /** A byte range inside `uri`; absent when the chunk is the whole object (a Zarr chunk file). */
  offset?: number;
  length?: number;
  /** The chunk's bytes themselves, when they are kept inside the file's metadata (an HDF5 compact dataset). */
  data?: Uint8Array;
}

/**
 * How an array is stored, in Zarr v2 terms (`.zarray`), and where each chunk's bytes are: what a reference file
 * (kerchunk, fsspec `reference://`) needs to let another reader read the stored values directly.
 */
export interface ChunkLayout {
  /** NumPy dtype string of the stored values: `<f4`, `>i2`, `|u1`, `|S8` (fixed-length bytes). */
  dtype: string;
  /** Stored shape; for `|S<n>` the string length is in the dtype, not the shape. */
  shape: number[];
  chunks: number[];
  order: 'C' | 'F';
  /** A numcodecs codec configuration (`{id: 'zlib', level: 4}`), or null for raw bytes. */
  compressor: { [key: string]: JsonValue } | null;
  filters: { [key: string]: JsonValue }[] | null;
  /** Zarr's fill value for chunks that do not exist: a number, `NaN`/`Infinity`/`-Infinity`, or null. */
  fill_value: number | string | null;
  /** What separates chunk indexes in keys (default: `.`). */
  dimension_separator?: '.' | '/';
  /** Every chunk that exists; a chunk not listed reads as `fill_value`. */
  refs: ChunkRef[];
}

/**
 * A data-source plugin: a file format cubemark can load (headers → the NetCDF data model) and read lazily.
 * Registered by name in the plugin registry and imported only when first used.
 */
export interface DataSourcePlugin {
  readonly name: string;
  /** True when the first bytes of an object (or its URI, for directory-like stores) are this format. */
  sniff(head: Uint8Array, uri: string): boolean;
  /** Parse headers only; reads no variable data. */
  openDataset(uri: string, ctx: PluginContext, options?: RangeOptions): Promise<Dataset>;
  /**
   * Optional: load an object straight to cubes, for formats whose cubes come from rules of their own rather than
   * from the NetCDF data model and the CF conventions (UM PP files and fieldsfiles: Iris's PP load rules and
   * merge). When present, `loadPublication` calls it instead of `openDataset` and the CF loader. Reads headers
   * only; the cubes' data are references this plugin's `openArray` reads.
   */
  openCubes?(uri: string, ctx: PluginContext, options: OpenCubesOptions): Promise<SourceCubes>;
  /**
   * Optional, beside `openCubes`: load several objects of this format to cubes together, merged across them, as
   * Iris loads several files of a format whose cubes are merged from fields (a model run's PP files, one per
   * time or stream). When present, `loadPublication` calls it once with every source of this format (in the
   * order given) instead of `openCubes` for each; the cubes' data refer to each source by its index.
   */
  openCubesTogether?(sources: readonly SourceToOpen[], ctx: PluginContext, options?: OpenTogetherOptions): Promise<SourceCubes>;
  /**
   * True when this plugin's readers may build their result in the memory of `options.into` (a caller's reused
   * buffer) and keep nothing of it after returning: no cache holds those bytes, and the values returned are the
   * only reference to them. A plugin that forwards its options to a shared or cached read must not claim this.
   */
  readonly readsInto?: boolean;
  /** True when this plugin's stored values are big-endian and its readers honour `options.bigEndian`. */
  readonly readsBigEndian?: boolean;
  /** A reader for a recorded array; uses `ref.options` (the variable's locator) to avoid re-reading headers. */
  openArray(ref: SourceArray, uri: string, ctx: PluginContext, options?: RangeOptions): Promise<SlabReader>;
  /**
   * Where a recorded array's stored bytes are, chunk by chunk, for reference files (`@cubemark/interop`'s kerchunk
   * export). Optional: a plugin without it cannot be referenced, and exporters say so. Throws a coded error when
   * this particular array's storage has no Zarr v2 equivalent (a codec numcodecs lacks, sharding).
   */
  chunkRefs?(ref: SourceArray, uri: string, ctx: PluginContext, options?: RangeOptions): Promise<ChunkLayout>;
}
