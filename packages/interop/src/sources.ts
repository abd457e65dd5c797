import type { ArrayData, Publication } from '@cubemark/format';
import {
  defaultRegistry,
  fromArrayData,
  resolveUri,
  type ArrayResult,
  type ByteSource,
  type DataSourcePlugin,
  type PluginContext,
} from '@cubemark/cube';
import { isAbsolute, resolve } from 'node:path';
import { InteropError } from './errors.js';

/** What exports need from a publication's sources: readers, resolved URIs, and (for STAC extents) values. */
export interface SourceAccess {
  /** The reader named by a data reference's `format`. */
  plugin(format: string): Promise<DataSourcePlugin>;
  /** Source `index`'s URI, resolved against the data base. */
  uri(index: number): string;
  /** Byte sources for the readers. */
  readonly context: PluginContext;
  /** How a source URI is written into a reference file (default: as resolved). */
  referenceUri?: (uri: string) => string;
  /** Read an array's values (coordinates for extents); reads only that array. */
  read(data: ArrayData): Promise<ArrayResult>;
  readonly signal?: AbortSignal;
}

export interface SourceAccessOptions {
  /** Opens byte sources: a pool from `createSourcePool` (its `base` resolves relative URIs too). */
  pool: { open(uri: string): ByteSource };
  /** What relative source URIs resolve against (default: as given, from the working directory). */
  base?: string;
  /** Where readers are looked up (default: cubemark's registry). */
  plugins?: { get(name: string): Promise<DataSourcePlugin> };
  /**
   * Rewrites a resolved source URI for a reference file, e.g. `s3://bucket/key` to the HTTP URL of a local S3
   * endpoint, for readers without an S3 client (default: URIs unchanged).
   */
  referenceUri?: (uri: string) => string;
  signal?: AbortSignal;
}

export function sourceAccess(publication: Publication, options: SourceAccessOptions): SourceAccess {
  const plugins = options.plugins ?? defaultRegistry;
  // Every source as an absolute URI (readers of a reference file resolve nothing), resolved once: the pool leaves
  // absolute URIs alone, so a relative base is never applied twice.
  const absolute = publication.sources.map((source) => {
    const uri = resolveUri(source.uri, options.base);
    return /^[A-Za-z][A-Za-z0-9+.-]+:/.test(uri) || isAbsolute(uri) ? uri : resolve(uri);
  });
  const context: PluginContext = { openSource: (uri) => options.pool.open(uri), sourceUri: (index) => absolute[index] };
  const sources = publication.sources.map((source, i) => ({ ...source, uri: absolute[i] }));
  return {
    plugin: (format) => plugins.get(format),
    uri(index) {
      const uri = absolute[index];
      if (uri === undefined) throw new InteropError('EXPORT_CANNOT_EXPRESS', `source ${index} is not listed in the publication`);
      return uri;
    },
    context,
    referenceUri: options.referenceUri,
    read: (data) => fromArrayData(data, { sources, pool: options.pool, plugins }).read({ signal: options.signal }),
    signal: options.signal,
  };
}

/** `s3://bucket/key` → `<endpoint>/bucket/key` (path-style), for reference files read over plain HTTP. */
export function s3ToHttp(endpoint: string): (uri: string) => string {
  const base = endpoint.replace(/\/+$/, '');
  return (uri) => (uri.startsWith('s3://') ? `${base}/${uri.slice(5)}` : uri);
}
