import type { JsonValue, SourceArray } from '@cubemark/format';
import type { RangeOptions } from '../../bytes/types.js';
import type { Dataset } from '../dataset.js';
import type { ChunkLayout, DataSourcePlugin, PluginContext, SlabReader } from '../types.js';
import { arrayDtype, openZarritaArray } from './array.js';
import { existingChunks, zarrChunkLayout } from './chunk-refs.js';
import { openZarrDataset, type ZarrLocator } from './dataset.js';
import { ZarrFormatError } from './errors.js';
import { loadArrayMeta, type ZarrFormat } from './hierarchy.js';
import { readSlab } from './read.js';
import { SourceStore } from './store.js';

/** Metadata documents a user may point at instead of the store root, and the format each implies. */
const METADATA_FILES: Record<string, ZarrFormat> = { 'zarr.json': 3, '.zgroup': 2, '.zarray': 2, '.zmetadata': 2 };

/** How far into an object the sniffer looks for a `"zarr_format"` key. */
const SNIFF_BYTES = 4096;

/**
 * The store root and format a URI names: `x.zarr`, `x.zarr/`, or a metadata document inside it
 * (`x.zarr/zarr.json`, `x.zarr/.zgroup`, ...), which also fixes the format.
 */
export function zarrRoot(uri: string): { root: string; zarrFormat?: ZarrFormat } {
  const path = uri.replace(/[?#].*$/, '');
  const file = path.slice(path.lastIndexOf('/') + 1);
  const zarrFormat = METADATA_FILES[file];
  if (zarrFormat === undefined || !path.includes('/')) return { root: uri };
  return { root: path.slice(0, path.lastIndexOf('/')), zarrFormat };
}

function looksLikeZarrMetadata(head: Uint8Array): boolean {
  const text = new TextDecoder().decode(head.subarray(0, SNIFF_BYTES)).trimStart();
  return text.startsWith('{') && /"zarr_(?:consolidated_)?format"\s*:/.test(text);
}

/**
 * Zarr v2 and v3 (groups and single arrays) on any backend a `PluginContext` opens: local directories, `s3://`
 * prefixes, `https://`. Datasets come from `openZarrDataset`; recorded arrays reopen from their locator
 * (`{zarr_format, path}`) with one metadata request.
 */
export const zarrPlugin: DataSourcePlugin = {
  name: 'zarr',

  sniff(head: Uint8Array, uri: string): boolean {
    const path = uri.replace(/[?#].*$/, '');
    if (/\.zarr\/*$/i.test(path)) return true;
    return looksLikeZarrMetadata(head);
  },

  openDataset(uri: string, ctx: PluginContext, options?: RangeOptions): Promise<Dataset> {
    const { root, zarrFormat } = zarrRoot(uri);
    return openZarrDataset(root, ctx, { signal: options?.signal, zarrFormat });
  },

  async openArray(ref: SourceArray, uri: string, ctx: PluginContext, options?: RangeOptions): Promise<SlabReader> {
    const { locator, store, name, meta } = await recordedArray(ref, uri, ctx, options?.signal);
    if (!meta) {
      const file = locator.zarr_format === 2 ? '.zarray' : 'zarr.json';
      throw new ZarrFormatError('ZARR_ARRAY_NOT_FOUND', store.rootUri, `recorded array is gone (no ${file})`, { array: name });
    }
    const array = await openZarritaArray(store, locator.path, locator.zarr_format, options?.signal);
    const dtype = arrayDtype(array, meta, store.rootUri, name);
    const recordedDtype = ref.stored_dtype ?? ref.dtype;
    if (array.shape.length !== ref.shape.length || array.shape.some((n, i) => n !== ref.shape[i]) || dtype !== recordedDtype) {
      throw new ZarrFormatError(
        'ZARR_ARRAY_CHANGED',
        store.rootUri,
        `recorded as ${recordedDtype} [${ref.shape.join(', ')}] but the store now has ${dtype} [${array.shape.join(', ')}]; ` +
          'republish the dataset',
        { array: name },
      );
    }
    const target = { array, uri: store.rootUri, name, dtype, concurrency: 16 };
    return (slab, readOptions) => readSlab(target, slab, readOptions);
  },

  async chunkRefs(ref: SourceArray, uri: string, ctx: PluginContext, options?: RangeOptions): Promise<ChunkLayout> {
    const { locator, store, name, meta } = await recordedArray(ref, uri, ctx, options?.signal);
    if (!meta) throw new ZarrFormatError('ZARR_ARRAY_NOT_FOUND', store.rootUri, 'recorded array is gone', { array: name });
    return existingChunks(zarrChunkLayout(store, locator.path, locator.zarr_format, meta, name), ctx, options?.signal);
  },
};

/** The recorded array of `ref` at `uri`: its locator, store, name for messages and metadata (undefined when gone). */
async function recordedArray(ref: SourceArray, uri: string, ctx: PluginContext, signal: AbortSignal | undefined) {
  const { root } = zarrRoot(uri);
  const locator = parseLocator(ref, root);
  const store = new SourceStore(root, ctx);
  const name = locator.path === '' ? ref.variable : locator.path;
  const meta = await loadArrayMeta(store, locator.path, locator.zarr_format, signal);
  return { locator, store, name, meta };
}

/** The recorded locator (`path` defaults to `ref.variable`); the format is required, so reopening never probes. */
function parseLocator(ref: SourceArray, uri: string): ZarrLocator {
  const options: { [key: string]: JsonValue } = ref.options ?? {};
  const format = options.zarr_format;
  const path = options.path ?? ref.variable;
  if ((format !== 2 && format !== 3) || typeof path !== 'string') {
    throw new ZarrFormatError(
      'ZARR_BAD_LOCATOR',
      uri,
      `options ${JSON.stringify(ref.options ?? null)} are not a Zarr locator ({zarr_format: 2 | 3, path: string})`,
      { array: ref.variable },
    );
  }
  return { zarr_format: format, path: path.replace(/^\/+/, '') };
}
