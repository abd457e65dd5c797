import type { Dtype } from '@cubemark/format';
import * as zarr from 'zarrita';
import { toDtype } from './dtype.js';
import { ZarrFormatError } from './errors.js';
import type { JsonObject, ZarrFormat } from './hierarchy.js';
import type { ZarrArray } from './read.js';
import type { SourceStore } from './store.js';

/**
 * Open the zarrita array at `path` (`''` for the root) with the given format's metadata only: `open.v2` or
 * `open.v3`, never zarrita's probing `open`. When the metadata is already remembered in the store this reads
 * nothing. v2 attributes are not loaded: the caller has them, and zarrita needs none to read.
 */
export async function openZarritaArray(
  store: SourceStore,
  path: string,
  zarrFormat: ZarrFormat,
  signal?: AbortSignal,
): Promise<ZarrArray> {
  const location = zarr.root(store).resolve(path === '' ? '/' : `/${path}`);
  try {
    return zarrFormat === 2
      ? await zarr.open.v2(location, { kind: 'array', attrs: false, signal })
      : await zarr.open.v3(location, { kind: 'array', signal });
  } catch (error) {
    const name = path === '' ? '(root)' : path;
    if (zarr.isZarritaError(error, 'NotFoundError')) {
      const file = zarrFormat === 2 ? '.zarray' : 'zarr.json';
      throw new ZarrFormatError('ZARR_ARRAY_NOT_FOUND', store.rootUri, `no Zarr v${zarrFormat} array here (no ${file})`, {
        array: name,
        cause: error,
      });
    }
    if (zarr.isZarritaError(error, 'InvalidMetadataError')) {
      const unsupported = /unsupported|unknown/i.test(error.message);
      throw new ZarrFormatError(unsupported ? 'ZARR_UNSUPPORTED' : 'ZARR_BAD_METADATA', store.rootUri, error.message, {
        array: name,
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * The array's dtype in the NetCDF data model, or a `ZARR_UNSUPPORTED` error. v2 object arrays are text only
 * with the `vlen-utf8` filter (others hold arbitrary Python objects).
 */
export function arrayDtype(array: ZarrArray, meta: JsonObject | undefined, uri: string, name: string): Dtype {
  const dtype = toDtype(array.dtype);
  const objectIsText =
    array.dtype !== 'v2:object' ||
    (Array.isArray(meta?.filters) &&
      meta.filters.some((f) => typeof f === 'object' && f !== null && !Array.isArray(f) && f.id === 'vlen-utf8'));
  if (dtype === undefined || !objectIsText) {
    throw new ZarrFormatError('ZARR_UNSUPPORTED', uri, `data type '${array.dtype}' has no NetCDF equivalent cubemark reads`, {
      array: name,
    });
  }
  return dtype;
}
