import type { SourceArray } from '@cubemark/format';
import type { RangeOptions } from '../../bytes/types.js';
import { DatasetFormatError } from '../../errors.js';
import type { Dataset } from '../dataset.js';
import type { DataSourcePlugin, PluginContext, SlabReader } from '../types.js';
import { openZarrDataset } from '../zarr/dataset.js';
import { zarrPlugin } from '../zarr/plugin.js';
import { parseReferences, referenceContext, type References } from './references.js';

/** How far into an object the sniffer looks. */
const SNIFF_BYTES = 4096;

/** Reference files read recently, by URI and change markers: reopening an array does not re-parse a large one. */
const recent = new Map<string, References>();
const RECENT = 8;

async function load(uri: string, ctx: PluginContext, options?: RangeOptions): Promise<References> {
  const source = ctx.openSource(uri);
  const stat = await source.stat(options);
  if (!stat) throw new DatasetFormatError('KERCHUNK_NOT_FOUND', uri, 'no such reference file');
  const key = `${uri}\0${stat.size}\0${stat.mtime ?? ''}\0${stat.etag ?? ''}`;
  const known = recent.get(key);
  if (known) return known;
  const bytes = await source.get(options);
  if (!bytes) throw new DatasetFormatError('KERCHUNK_NOT_FOUND', uri, 'no such reference file');
  const references = parseReferences(new TextDecoder().decode(bytes), uri);
  recent.set(key, references);
  if (recent.size > RECENT) recent.delete(recent.keys().next().value as string);
  return references;
}

/**
 * kerchunk reference files (version 1) as data sources: the Zarr group they describe, its chunks read from the
 * byte ranges (or inline bytes) they reference, through the context's byte sources. The Zarr reader does the
 * rest; arrays are recorded with its locator and reopened from the references, so a publication of a reference
 * file restores like any other.
 */
export const kerchunkPlugin: DataSourcePlugin = {
  name: 'kerchunk',

  sniff(head: Uint8Array): boolean {
    const text = new TextDecoder().decode(head.subarray(0, SNIFF_BYTES)).trimStart();
    return text.startsWith('{') && /"refs"\s*:/.test(text) && /"version"\s*:\s*1\b|"\.zgroup"/.test(text);
  },

  async openDataset(uri: string, ctx: PluginContext, options?: RangeOptions): Promise<Dataset> {
    const references = await load(uri, ctx, options);
    const dataset = await openZarrDataset(uri, referenceContext(uri, references, ctx), { signal: options?.signal, zarrFormat: 2 });
    return {
      uri,
      format: 'kerchunk',
      dimensions: dataset.dimensions,
      variables: dataset.variables,
      attributes: dataset.attributes,
      close: () => dataset.close(),
    };
  },

  async openArray(ref: SourceArray, uri: string, ctx: PluginContext, options?: RangeOptions): Promise<SlabReader> {
    const references = await load(uri, ctx, options);
    return zarrPlugin.openArray(ref, uri, referenceContext(uri, references, ctx), options);
  },
};
