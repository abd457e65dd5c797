import type { JsonValue, SourceArray } from '@cubemark/format';
import type { RangeOptions } from '../../bytes/types.js';
import { uriScheme } from '../../bytes/uri.js';
import { ByteSourceError } from '../../errors.js';
import type { Hyperslab } from '../dataset.js';
import type { DataSourcePlugin, PluginContext, SlabReader } from '../types.js';
import { openHdf5Dataset } from './dataset.js';
import { Hdf5FormatError } from './errors.js';
import { leaseHdf5File, type Hdf5FileLease } from './file-pool.js';
import { storedLayout } from './layout.js';
import { isDimensionOnly } from './model.js';
import { readSlab } from './read.js';
import { hdf5SignatureOffset } from './sniff.js';

/** A slab reader holding a share of its file's h5wasm handle; `close()` lets go (garbage collection does too). */
export type Hdf5SlabReader = SlabReader & { close(): Promise<void> };

const unreleased = new FinalizationRegistry<Hdf5FileLease>((lease) => lease.release());

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

/**
 * A reader for a recorded array: the dataset named by `ref.options.dataset` (the locator), else the root-group
 * variable `ref.variable`. Checks that the dataset still has the recorded stored dtype, and at least the recorded
 * extent (unlimited axes may have grown).
 */
export async function openHdf5Array(ref: SourceArray, uri: string, options?: RangeOptions): Promise<Hdf5SlabReader> {
  const recorded = recordedPath(ref.options, uri, ref.variable);
  const lease = await leaseHdf5File(uri, options);
  try {
    const { Module } = lease.h5;
    const fileId = lease.file.file_id;
    const candidates = recorded ? [recorded] : [`/${ref.variable}`, `/_nc4_non_coord_${ref.variable}`];
    const path = candidates.find((p) => Module.get_type(fileId, p) === Module.H5G_DATASET && !isDimensionOnly(lease.h5, fileId, p));
    if (path === undefined) {
      throw new Hdf5FormatError('HDF5_NO_SUCH_VARIABLE', uri, `has no dataset ${candidates[0]} (variable '${ref.variable}'); the file changed since it was published, or the wrong file is named`);
    }
    const layout = storedLayout(Module.get_dataset_metadata(fileId, path));
    if ('unsupported' in layout) {
      throw new Hdf5FormatError('HDF5_UNSUPPORTED_TYPE', uri, `cannot read dataset ${path} (variable '${ref.variable}'): ${layout.unsupported}`);
    }
    const storedDtype = ref.stored_dtype ?? ref.dtype;
    const fits =
      layout.dtype === storedDtype &&
      layout.shape.length === ref.shape.length &&
      layout.shape.every((n, i) => (layout.unlimited[i] ? ref.shape[i] <= n : ref.shape[i] === n));
    if (!fits) {
      throw new Hdf5FormatError(
        'HDF5_VARIABLE_CHANGED',
        uri,
        `dataset ${path} (variable '${ref.variable}') is ${layout.dtype} [${layout.shape.join(', ')}] in the file but was ` +
          `recorded as ${storedDtype} [${ref.shape.join(', ')}]; the file changed since it was published`,
      );
    }
    const target = { name: ref.variable, path };
    const reader = (slab: Hyperslab, readOptions?: RangeOptions) => readSlab(lease, target, layout, slab, readOptions);
    unreleased.register(reader, lease, reader);
    const close = async () => {
      unreleased.unregister(reader);
      lease.release();
    };
    return Object.assign(reader, { close });
  } catch (error) {
    lease.release();
    throw error;
  }
}

/** Rejects when `ctx` refuses `uri` (a source policy); a missing or unreadable file is left to h5wasm to report. */
async function admitted(uri: string, ctx: PluginContext, options?: RangeOptions): Promise<void> {
  const scheme = uriScheme(uri);
  if (scheme !== undefined && scheme !== 'file') return;
  try {
    await ctx.openSource(uri).stat(options);
  } catch (error) {
    if (error instanceof ByteSourceError && (error.code === 'SOURCE_NOT_ALLOWED' || error.code === 'CREDENTIALS_IN_URI')) throw error;
  }
}

/**
 * The NetCDF-4/HDF5 data-source plugin, on h5wasm (libhdf5 compiled to WebAssembly, imported on first use).
 * Local paths and `file:` URIs only: h5wasm reads host files with synchronous calls, so `ctx`'s byte sources
 * (and with them S3 and HTTP) cannot serve it; `s3://`, `https://` and other schemes give HDF5_REMOTE_UNSUPPORTED.
 */
export const hdf5Plugin: DataSourcePlugin = {
  name: 'hdf5',

  sniff(head: Uint8Array): boolean {
    return hdf5SignatureOffset(head) !== undefined;
  },

  // h5wasm opens the path itself: `ctx`'s source is stat'ed first so that a source policy (data roots) is checked.
  async openDataset(uri: string, ctx: PluginContext, options?: RangeOptions) {
    await admitted(uri, ctx, options);
    return openHdf5Dataset(uri, options);
  },

  async openArray(ref: SourceArray, uri: string, ctx: PluginContext, options?: RangeOptions): Promise<SlabReader> {
    await admitted(uri, ctx, options);
    return openHdf5Array(ref, uri, options);
  },
};
