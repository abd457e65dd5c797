import type { JsonValue, SourceArray } from '@cubemark/format';
import { Hdf5Dataset as H5Dataset } from '@cubemark/hdf5';
import { servesStoredDtype } from '../../lazy/decode.js';
import type { RangeOptions } from '../../bytes/types.js';
import type { Hyperslab } from '../dataset.js';
import type { ChunkLayout, DataSourcePlugin, PluginContext, SlabReader, StoredReadOptions } from '../types.js';
import { hdf5ChunkLayout } from './chunk-refs.js';
import { openHdf5Dataset } from './dataset.js';
import { asFormatError, Hdf5FormatError } from './errors.js';
import { storedLayout, type StoredLayout } from './layout.js';
import { isDimensionOnly } from './model.js';
import { openFile } from './open-file.js';
import { readSlab } from './read.js';
import { hdf5SignatureOffset } from './sniff.js';

function recordedPath(options: { [key: string]: JsonValue } | undefined, uri: string, variable: string): string | undefined {
  if (options === undefined || Object.keys(options).length === 0) return undefined;
  const { dataset } = options;
  if (typeof dataset !== 'string' || !dataset.startsWith('/')) {
    throw new Hdf5FormatError(
      'HDF5_BAD_LOCATOR',
      uri,
      `the recorded options of variable '${variable}' have no 'dataset' path (like "/${variable}"); they were not ` +
        'written by the hdf5 plugin, or were edited: remove them to find the variable by name',
    );
  }
  return dataset;
}

/** A recorded array found again in its file: the HDF5 dataset, its path and its layout at the recorded extent. */
export interface RecordedDataset {
  path: string;
  dataset: H5Dataset;
  layout: StoredLayout;
}

/**
 * The dataset named by `ref.options.dataset` (the locator), else the root-group variable `ref.variable`. Reads the
 * object headers on the path to it (not the others), and checks that the dataset still has the recorded stored
 * dtype, and at least the recorded extent (unlimited axes may have grown; the layout's shape is the larger).
 */
export async function findRecorded(ref: SourceArray, uri: string, ctx: PluginContext, options?: RangeOptions): Promise<RecordedDataset> {
  const recorded = recordedPath(ref.options, uri, ref.variable);
  const file = await openFile(ctx.openSource(uri), uri, options);
  try {
    const candidates = recorded ? [recorded] : [`/${ref.variable}`, `/_nc4_non_coord_${ref.variable}`];
    let found: { path: string; dataset: H5Dataset } | undefined;
    for (const path of candidates) {
      const object = await file.get(path, options?.signal);
      if (object instanceof H5Dataset && !(await isDimensionOnly(object, options?.signal))) {
        found = { path, dataset: object };
        break;
      }
    }
    if (!found) {
      throw new Hdf5FormatError('HDF5_NO_SUCH_VARIABLE', uri, `has no dataset ${candidates[0]} (variable '${ref.variable}'); the file changed since it was published, or the wrong file is named`);
    }
    const { path, dataset } = found;
    const layout = storedLayout(dataset);
    if ('unsupported' in layout) {
      throw new Hdf5FormatError('HDF5_UNSUPPORTED_TYPE', uri, `cannot read dataset ${path} (variable '${ref.variable}'): ${layout.unsupported}`);
    }
    const storedDtype = ref.stored_dtype ?? ref.dtype;
    // Along an unlimited axis the recorded length is the dimension's, which may exceed what this dataset stored
    // (records it never wrote read as fill), or have grown since.
    const fits =
      servesStoredDtype(layout.dtype, storedDtype) &&
      layout.shape.length === ref.shape.length &&
      layout.shape.every((n, i) => layout.unlimited[i] || ref.shape[i] === n);
    if (!fits) {
      throw new Hdf5FormatError(
        'HDF5_VARIABLE_CHANGED',
        uri,
        `dataset ${path} (variable '${ref.variable}') is ${layout.dtype} [${layout.shape.join(', ')}] in the file but was ` +
          `recorded as ${storedDtype} [${ref.shape.join(', ')}]; the file changed since it was published`,
      );
    }
    layout.shape = layout.shape.map((n, i) => (layout.unlimited[i] ? Math.max(n, ref.shape[i]) : n));
    return { path, dataset, layout };
  } catch (error) {
    throw asFormatError(error, uri);
  }
}

/** A reader for a recorded array (see `findRecorded`). */
export async function openHdf5Array(ref: SourceArray, uri: string, ctx: PluginContext, options?: RangeOptions): Promise<SlabReader> {
  const { path, dataset, layout } = await findRecorded(ref, uri, ctx, options);
  const target = { name: ref.variable, path };
  return (slab: Hyperslab, readOptions?: StoredReadOptions) => readSlab(uri, dataset, target, layout, slab, readOptions);
}

/**
 * The NetCDF-4/HDF5 data-source plugin, on `@cubemark/hdf5`: files are read by byte range through `ctx`'s byte
 * sources, so local paths, `file:`, `s3://` and `http(s)://` URIs all work, lazily.
 */
export const hdf5Plugin: DataSourcePlugin = {
  name: 'hdf5',
  // A slab is assembled in `into` (chunks decoded and copied into place there); the file's caches hold metadata
  // and compressed bytes, never the slab.
  readsInto: true,

  sniff(head: Uint8Array): boolean {
    return hdf5SignatureOffset(head) !== undefined;
  },

  openDataset(uri: string, ctx: PluginContext, options?: RangeOptions) {
    return openHdf5Dataset(uri, ctx, options);
  },

  openArray(ref: SourceArray, uri: string, ctx: PluginContext, options?: RangeOptions): Promise<SlabReader> {
    return openHdf5Array(ref, uri, ctx, options);
  },

  async chunkRefs(ref: SourceArray, uri: string, ctx: PluginContext, options?: RangeOptions): Promise<ChunkLayout> {
    const recorded = await findRecorded(ref, uri, ctx, options);
    try {
      return await hdf5ChunkLayout(uri, ref.variable, recorded, ref.shape, options?.signal);
    } catch (error) {
      throw asFormatError(error, uri, `referencing variable '${ref.variable}' (${recorded.path})`);
    }
  },
};
