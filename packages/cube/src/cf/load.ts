import { isAbsolute, relative, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CoordSystem, CubeMeta, Publication, Source } from '@cubemark/format';
import { FORMAT_VERSION, PUBLICATION_NAME_MAX_LENGTH } from '@cubemark/format';
import { createSourcePool, type SourcePool } from '../bytes/pool.js';
import { resolveUri, uriScheme } from '../bytes/uri.js';
import type { Dataset } from '../readers/dataset.js';
import { defaultRegistry, type PluginRegistry } from '../readers/registry.js';
import { cubesFromDataset, type CubesFromDatasetOptions } from './cubes.js';
import type { CfWarning } from './warnings.js';

export interface LoadPublicationOptions extends CubesFromDatasetOptions {
  /** The publication's name, a slug (default: from the first source's file name). */
  name?: string;
  /**
   * The store's data base (a directory path, `file:` URI or `s3://bucket/prefix/`): relative sources are read
   * from under it, and sources under it are written relative to it (default: none, sources are written as given).
   */
  base?: string;
  /** Byte sources to read through, shared and counted (default: a pool of its own, closed when done). */
  pool?: SourcePool;
  /** Where data-source plugins come from (default: `defaultRegistry`). */
  registry?: PluginRegistry;
  /** Called after each source is loaded (for progress on long imports): how many are done, of how many. */
  onProgress?: (done: number, total: number, uri: string) => void;
}

export interface LoadedPublication {
  publication: Publication;
  warnings: CfWarning[];
}

/** How many leading bytes format detection looks at. */
const HEAD_BYTES = 1024;

/**
 * A publication name (the format's rule) from a URI's last path segment: `small_FC_167_mon_19601101.nc` →
 * `small_FC_167_mon_19601101`. Characters the rule refuses become `_`, runs of dots one dot.
 */
export function nameFrom(uri: string): string {
  const last = uri.replace(/[/\\]+$/, '').split(/[/\\]/).pop() ?? '';
  const stem = last.replace(/\.(nc|nc4|cdf|h5|hdf5|zarr)$/i, '');
  const slug = stem.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/\.{2,}/g, '.').replace(/^[^A-Za-z0-9]+/, '');
  return slug === '' ? 'publication' : slug.slice(0, PUBLICATION_NAME_MAX_LENGTH);
}

function localPath(uri: string): string | undefined {
  const scheme = uriScheme(uri);
  if (scheme === undefined) return resolvePath(uri);
  if (scheme === 'file') return fileURLToPath(uri);
  return undefined;
}

/**
 * `uri` as the publication records it: relative to `base` when it lies under it, else as the user gave it, so a
 * publication carries no machine-specific path the user did not write.
 */
export function recordedUri(given: string, resolved: string, base: string | undefined): string {
  if (base === undefined || base === '') return given;
  const path = localPath(resolved);
  const basePath = localPath(base);
  if (path !== undefined && basePath !== undefined) {
    const rel = relative(basePath, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split('\\').join('/') : given;
  }
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return resolved.startsWith(prefix) && resolved.length > prefix.length ? resolved.slice(prefix.length) : given;
}

async function head(pool: SourcePool, uri: string, signal?: AbortSignal): Promise<{ bytes: Uint8Array; error?: unknown }> {
  try {
    return { bytes: await pool.open(uri).getRange(0, HEAD_BYTES, { signal }) };
  } catch (error) {
    // Directory-like stores (Zarr) have no bytes of their own: detection goes by URI.
    if (signal?.aborted) throw error;
    // A source the pool's policy refuses is refused whatever its name looks like.
    const code = (error as { code?: unknown }).code;
    if (code === 'SOURCE_NOT_ALLOWED' || code === 'CREDENTIALS_IN_URI') throw error;
    return { bytes: new Uint8Array(), error };
  }
}

/** Key coordinate systems across sources: the same name with different parameters gets a suffix. */
function mergeCoordSystems(into: Record<string, CoordSystem>, from: Record<string, CoordSystem>): Map<string, string> {
  const renames = new Map<string, string>();
  for (const [name, cs] of Object.entries(from)) {
    let key = name;
    for (let i = 1; into[key] !== undefined && JSON.stringify(into[key]) !== JSON.stringify(cs); i++) key = `${name}_${i}`;
    into[key] = cs;
    if (key !== name) renames.set(name, key);
  }
  return renames;
}

function renameCoordSystems(cube: CubeMeta, renames: Map<string, string>): void {
  if (renames.size === 0) return;
  for (const c of [...Object.values(cube.dim_coords), ...Object.values(cube.aux_coords), ...Object.values(cube.derived_coords)]) {
    if (c.coord_system !== undefined) c.coord_system = renames.get(c.coord_system) ?? c.coord_system;
  }
}

/**
 * Load NetCDF (classic or NetCDF-4) and Zarr sources as Iris loads NetCDF, into a publication: one source per
 * object (with size, mtime or etag to notice changes), the coordinate systems, and the cubes of every source in
 * order. Reads headers and coordinate values only; the cubes' data stay references into the sources.
 */
export async function loadPublication(sources: string[], options: LoadPublicationOptions = {}): Promise<LoadedPublication> {
  const pool = options.pool ?? createSourcePool();
  const registry = options.registry ?? defaultRegistry;
  const signal = options.signal;
  const publication: Publication = {
    cubemark: FORMAT_VERSION,
    name: options.name ?? nameFrom(sources[0] ?? 'publication'),
    provenance: {},
    sources: [],
    coord_systems: {},
    cubes: [],
  };
  const warnings: CfWarning[] = [];
  try {
    for (const [index, given] of sources.entries()) {
      signal?.throwIfAborted();
      const uri = resolveUri(given, options.base);
      const first = await head(pool, uri, signal);
      // When nothing recognises an object we could not read, the read's error (not found, denied) is the news.
      const format = await registry.detectFormat(uri, first.bytes).catch((error: unknown) => {
        throw first.error ?? error;
      });
      const plugin = await registry.get(format);
      const source: Source = { uri: recordedUri(given, uri, options.base) };
      const stat = await pool
        .open(uri)
        .stat({ signal })
        .catch(() => undefined);
      if (stat) {
        source.size = stat.size;
        if (stat.mtime !== undefined && localPath(uri) !== undefined) source.mtime = stat.mtime;
        if (stat.etag !== undefined) source.etag = stat.etag;
      }
      publication.sources.push(source);
      const dataset: Dataset = await plugin.openDataset(uri, pool, { signal });
      try {
        const result = await cubesFromDataset(dataset, index, options);
        const renames = mergeCoordSystems(publication.coord_systems, result.coordSystems);
        for (const cube of result.cubes) renameCoordSystems(cube, renames);
        publication.cubes.push(...result.cubes);
        warnings.push(...result.warnings);
        options.onProgress?.(index + 1, sources.length, given);
      } finally {
        await dataset.close();
      }
    }
  } finally {
    if (!options.pool) await pool.close();
  }
  return { publication, warnings };
}
