import type { ArrayValues, Attributes, Dtype, JsonValue } from '@cubemark/format';
import type { RangeOptions } from '../../bytes/types.js';
import type { Dataset, DatasetDimension, DatasetVariable, Hyperslab } from '../dataset.js';
import type { PluginContext } from '../types.js';
import { arrayDtype, openZarritaArray } from './array.js';
import { toAttributes, withFillValue } from './attributes.js';
import { ZarrFormatError } from './errors.js';
import { loadHierarchy, type ArrayNode, type ZarrFormat, type ZarrHierarchy } from './hierarchy.js';
import { readSlab, type SlabTarget } from './read.js';
import { SourceStore } from './store.js';

/** Options of `openZarrDataset` (all optional). */
export interface ZarrDatasetOptions extends RangeOptions {
  /** The store's Zarr format, when known: only that format's metadata is looked for (default: both). */
  zarrFormat?: ZarrFormat;
  /**
   * Child array paths of the group to present. Needed for a group without consolidated metadata on a backend
   * that cannot be listed (S3, HTTP); elsewhere it restricts the dataset to these arrays (default: all arrays
   * of the group, subgroups excluded).
   */
  arrays?: readonly string[];
  /** Chunks fetched and decoded at once by one read (default: 16). */
  concurrency?: number;
}

/** Where a Zarr variable lives, as recorded in `SourceArray.options`. */
export interface ZarrLocator {
  [key: string]: JsonValue;
  zarr_format: ZarrFormat;
  /** Array path from the store root; `''` for a store that is a single array. */
  path: string;
}

const DEFAULT_CONCURRENCY = 16;

/** A Zarr variable: one array of the group (or the store's single array). */
export class ZarrVariable implements DatasetVariable {
  readonly name: string;
  readonly dims: string[];
  readonly shape: number[];
  readonly dtype: Dtype;
  readonly attributes: Attributes;
  readonly chunks: number[];
  readonly #target: SlabTarget;
  readonly #locator: ZarrLocator;

  constructor(fields: {
    name: string;
    dims: string[];
    attributes: Attributes;
    target: SlabTarget;
    locator: ZarrLocator;
  }) {
    this.name = fields.name;
    this.dims = fields.dims;
    this.shape = [...fields.target.array.shape];
    this.dtype = fields.target.dtype;
    this.attributes = fields.attributes;
    this.chunks = [...fields.target.array.chunks];
    this.#target = fields.target;
    this.#locator = fields.locator;
  }

  read(slab: Hyperslab, options?: RangeOptions): Promise<ArrayValues> {
    return readSlab(this.#target, slab, options);
  }

  locator(): ZarrLocator {
    return { ...this.#locator };
  }
}

/** A Zarr group (v2 or v3) or single array in the NetCDF data model. Reading metadata only; no chunk is fetched. */
export class ZarrDataset implements Dataset {
  readonly format = 'zarr';
  readonly uri: string;
  readonly zarrFormat: ZarrFormat;
  readonly dimensions: DatasetDimension[];
  readonly variables: Map<string, DatasetVariable>;
  readonly attributes: Attributes;

  constructor(fields: {
    uri: string;
    zarrFormat: ZarrFormat;
    dimensions: DatasetDimension[];
    variables: Map<string, DatasetVariable>;
    attributes: Attributes;
  }) {
    this.uri = fields.uri;
    this.zarrFormat = fields.zarrFormat;
    this.dimensions = fields.dimensions;
    this.variables = fields.variables;
    this.attributes = fields.attributes;
  }

  /** Nothing to release: byte sources belong to the plugin context, which closes them. */
  async close(): Promise<void> {}
}

/**
 * Open the Zarr store at `uri` (a group or a single array; v2 or v3) through `ctx`'s byte sources. Reads
 * metadata documents only: consolidated metadata when present, else each array's `.zarray`+`.zattrs` or
 * `zarr.json` (see `loadHierarchy` for how arrays are found).
 *
 * Dimensions come from v3 `dimension_names` or xarray's `_ARRAY_DIMENSIONS` (v2; NCZarr's `dimrefs` as a
 * fallback); unnamed axes get netCDF-style `phony_dim_N` names shared by length. A single array is named after
 * the store (`t2m.zarr` → `t2m`).
 */
export async function openZarrDataset(uri: string, ctx: PluginContext, options: ZarrDatasetOptions = {}): Promise<ZarrDataset> {
  const store = new SourceStore(uri, ctx);
  const hierarchy = await loadHierarchy(store, options);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const opened = await Promise.all(
    hierarchy.arrays.map(async (node) => {
      const name = node.path === '' ? storeName(uri) : node.path;
      const array = await openZarritaArray(store, node.path, hierarchy.zarrFormat, options.signal);
      const dtype = arrayDtype(array, node.meta, store.rootUri, name);
      const target: SlabTarget = { array, uri: store.rootUri, name, dtype, concurrency };
      return { node, name, target };
    }),
  );
  const dims = nameDimensions(
    store.rootUri,
    hierarchy,
    opened.map(({ node, name, target }) => ({ node, name, shape: target.array.shape })),
  );
  const variables = new Map<string, DatasetVariable>();
  opened.forEach(({ node, name, target }, i) => {
    const json = withFillValue(hierarchy.zarrFormat, node.meta, node.attributes, target.dtype);
    variables.set(
      name,
      new ZarrVariable({
        name,
        dims: dims.perVariable[i],
        attributes: toAttributes(json, target.dtype),
        target,
        locator: { zarr_format: hierarchy.zarrFormat, path: node.path },
      }),
    );
  });
  return new ZarrDataset({
    uri: store.rootUri,
    zarrFormat: hierarchy.zarrFormat,
    dimensions: dims.dimensions,
    variables,
    attributes: toAttributes(hierarchy.attributes),
  });
}

/** The name a single-array store's variable gets: its last path segment without `.zarr`. */
function storeName(uri: string): string {
  const path = uri.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const last = path.slice(path.lastIndexOf('/') + 1).replace(/\.zarr$/i, '');
  return last === '' ? 'data' : decodeURIComponentSafe(last);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Dimensions

interface Named {
  node: ArrayNode;
  name: string;
  shape: readonly number[];
}

function nameDimensions(
  uri: string,
  hierarchy: ZarrHierarchy,
  arrays: Named[],
): { dimensions: DatasetDimension[]; perVariable: string[][] } {
  const sizes = new Map<string, number>();
  const declare = (dim: string, size: number, array: string) => {
    const known = sizes.get(dim);
    if (known !== undefined && known !== size) {
      throw new ZarrFormatError(
        'ZARR_DIMENSION_CONFLICT',
        uri,
        `dimension '${dim}' has length ${size} here but ${known} in another array`,
        { array },
      );
    }
    sizes.set(dim, size);
  };
  const declared = arrays.map(({ node, name, shape }) => {
    const names = declaredNames(hierarchy.zarrFormat, node);
    if (names && names.length !== shape.length) {
      throw new ZarrFormatError(
        'ZARR_DIMENSION_CONFLICT',
        uri,
        `${names.length} dimension names [${names.join(', ')}] for ${shape.length} axes (shape [${shape.join(', ')}])`,
        { array: name },
      );
    }
    names?.forEach((dim, axis) => dim !== null && declare(dim, shape[axis], name));
    return names;
  });
  // Like netCDF-C for HDF5 files without dimension scales: one phony dimension per distinct length.
  const phony = new Map<number, string>();
  let next = 0;
  const phonyFor = (size: number): string => {
    let dim = phony.get(size);
    if (dim === undefined) {
      while (sizes.has(`phony_dim_${next}`)) next += 1;
      dim = `phony_dim_${next}`;
      phony.set(size, dim);
      sizes.set(dim, size);
    }
    return dim;
  };
  const perVariable = arrays.map(({ shape }, i) => shape.map((size, axis) => declared[i]?.[axis] ?? phonyFor(size)));
  const seen = new Set<string>();
  const dimensions: DatasetDimension[] = [];
  for (const dims of perVariable) {
    for (const dim of dims) {
      if (seen.has(dim)) continue;
      seen.add(dim);
      dimensions.push({ name: dim, size: sizes.get(dim) ?? 0, unlimited: false });
    }
  }
  return { dimensions, perVariable };
}

/** Declared dimension names (entries may be null: unnamed), or `undefined` when the array declares none. */
function declaredNames(zarrFormat: ZarrFormat, node: ArrayNode): (string | null)[] | undefined {
  if (zarrFormat === 3) return stringsOrNulls(node.meta.dimension_names);
  const xarray = stringsOrNulls(node.attributes._ARRAY_DIMENSIONS);
  if (xarray) return xarray;
  const nczarr = node.meta._NCZARR_ARRAY;
  if (typeof nczarr === 'object' && nczarr !== null && !Array.isArray(nczarr)) {
    // NCZarr names dimensions by fully qualified path (`/lat`); the dataset is one group, so the last segment.
    return stringsOrNulls(nczarr.dimrefs)?.map((ref) => (ref === null ? null : ref.slice(ref.lastIndexOf('/') + 1)));
  }
  return undefined;
}

function stringsOrNulls(value: unknown): (string | null)[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.every((v) => typeof v === 'string' || v === null) ? (value as (string | null)[]) : undefined;
}
