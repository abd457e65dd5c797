import { isAbsolute, relative, resolve as resolvePath } from 'node:path';
import pLimit from 'p-limit';
import { fileURLToPath } from 'node:url';
import type { CoordSystem, CubeMeta, Mesh, Publication, Source } from '@cubemark/format';
import { FORMAT_VERSION, PUBLICATION_NAME_MAX_LENGTH } from '@cubemark/format';
import { createSourcePool, type SourcePool } from '../bytes/pool.js';
import { resolveUri, uriScheme } from '../bytes/uri.js';
import type { Dataset } from '../readers/dataset.js';
import { defaultRegistry, type PluginRegistry } from '../readers/registry.js';
import type { DataSourcePlugin, SourceCubes, SourceToOpen } from '../readers/types.js';
import { cubesFromDataset, type CubesFromDatasetOptions } from './cubes.js';
import { irisLoadOrder } from './order.js';
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

/** Sources read at once. */
const LOAD_CONCURRENCY = 16;

/** How many leading bytes format detection looks at. */
const HEAD_BYTES = 1024;

/**
 * A publication name (the format's rule) from a URI's last path segment: `small_FC_167_mon_19601101.nc` →
 * `small_FC_167_mon_19601101`. Characters the rule refuses become `_`, runs of dots one dot.
 */
export function nameFrom(uri: string): string {
  const last = uri.replace(/[/\\]+$/, '').split(/[/\\]/).pop() ?? '';
  const stem = last.replace(/\.(nc|nc4|cdf|h5|hdf5|zarr|pp)$/i, '');
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

/** Key meshes across sources as coordinate systems are: the same name with a different mesh gets a suffix. */
function mergeMeshes(publication: Publication, from: Record<string, Mesh>, cubes: CubeMeta[]): void {
  if (Object.keys(from).length === 0) return;
  const into = (publication.meshes ??= {});
  const renames = new Map<string, string>();
  for (const [name, mesh] of Object.entries(from)) {
    let key = name;
    for (let i = 1; into[key] !== undefined && !sameMesh(into[key], mesh); i++) key = `${name}_${i}`;
    into[key] = mesh;
    if (key !== name) renames.set(name, key);
  }
  for (const cube of cubes) if (cube.mesh) cube.mesh.name = renames.get(cube.mesh.name) ?? cube.mesh.name;
}

/** Whether two meshes are the same, arrays compared by value (typed arrays do not stringify as lists). */
function sameMesh(a: Mesh, b: Mesh): boolean {
  const plain = (_: string, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>, String) : v);
  return JSON.stringify(a, plain) === JSON.stringify(b, plain);
}

function renameCoordSystems(cube: CubeMeta, renames: Map<string, string>): void {
  if (renames.size === 0) return;
  for (const c of [...Object.values(cube.dim_coords), ...Object.values(cube.aux_coords), ...Object.values(cube.derived_coords)]) {
    if (c.coord_system !== undefined) c.coord_system = renames.get(c.coord_system) ?? c.coord_system;
  }
}

/** A dataset's cubes by the CF conventions (the dataset is closed after). */
async function cubesOfDataset(dataset: Dataset, index: number, options: CubesFromDatasetOptions) {
  try {
    return await cubesFromDataset(dataset, index, options);
  } finally {
    await dataset.close();
  }
}

interface Loaded {
  source: Source;
  result?: SourceCubes;
  together?: { plugin: DataSourcePlugin; uri: string };
}

/**
 * The sources of each plugin that loads its sources together (`openCubesTogether`), loaded: by the index of the
 * group's first source.
 */
async function loadTogether(
  loaded: readonly Loaded[],
  pool: SourcePool,
  signal: AbortSignal | undefined,
  progress: (index: number) => void,
): Promise<Map<number, SourceCubes>> {
  const groups = new Map<DataSourcePlugin, { first: number; sources: SourceToOpen[] }>();
  for (const [index, { together }] of loaded.entries()) {
    if (!together) continue;
    const group = groups.get(together.plugin) ?? { first: index, sources: [] };
    group.sources.push({ uri: together.uri, source: index });
    groups.set(together.plugin, group);
  }
  const out = new Map<number, SourceCubes>();
  await Promise.all(
    [...groups].map(async ([plugin, group]) => {
      // Each source counts as done once read; the cubes of the group come after the last.
      const last = group.sources[group.sources.length - 1].source;
      const read = (source: number) => source !== last && progress(source);
      out.set(group.first, await plugin.openCubesTogether!(group.sources, pool, { signal, onSourceRead: read }));
      for (const s of group.sources) progress(s.source);
    }),
  );
  return out;
}

/**
 * Load NetCDF (classic or NetCDF-4) and Zarr sources as Iris loads NetCDF (and PP files and fieldsfiles as Iris
 * loads those, the fields of all of them merged together, through their plugin's `openCubesTogether`), into a
 * publication: one source per object (with size, mtime or etag to notice changes), the coordinate systems, and
 * the cubes of every source in `iris.load`'s order (`irisLoadOrder`; cubes are not merged). Reads headers and coordinate values only; the cubes' data stay references into the sources.
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
  // Sources are read concurrently (a remote import is round trips, not bytes) and assembled in the order given.
  const limit = pLimit(LOAD_CONCURRENCY);
  // Progress is reported in source order, each source once, as soon as it and those before it are done.
  const finished: boolean[] = [];
  let reported = 0;
  const progress = (index: number) => {
    finished[index] = true;
    for (; finished[reported]; reported++) options.onProgress?.(reported + 1, sources.length, sources[reported]);
  };
  const loadOne = async (given: string, index: number): Promise<Loaded> => {
    signal?.throwIfAborted();
    const uri = resolveUri(given, options.base);
    // The object's first bytes and its stat, in one round trip's time.
    const [first, stat] = await Promise.all([
      head(pool, uri, signal),
      pool
        .open(uri)
        .stat({ signal })
        .catch(() => undefined),
    ]);
    // When nothing recognises an object we could not read, the read's error (not found, denied) is the news.
    const format = await registry.detectFormat(uri, first.bytes).catch((error: unknown) => {
      throw first.error ?? error;
    });
    const plugin = await registry.get(format);
    const source: Source = { uri: recordedUri(given, uri, options.base) };
    if (stat) {
      source.size = stat.size;
      if (stat.mtime !== undefined && localPath(uri) !== undefined) source.mtime = stat.mtime;
      if (stat.etag !== undefined) source.etag = stat.etag;
    }
    // A format merged across files (PP) is loaded once for all its sources, after every source is detected.
    if (plugin.openCubesTogether) return { source, together: { plugin, uri } };
    const result = plugin.openCubes
      ? await plugin.openCubes(uri, pool, { signal, source: index })
      : await cubesOfDataset(await plugin.openDataset(uri, pool, { signal }), index, options);
    progress(index);
    return { source, result };
  };
  try {
    const settled = await Promise.allSettled(sources.map((given, index) => limit(() => loadOne(given, index))));
    const loaded = settled.map((outcome) => {
      if (outcome.status === 'rejected') throw outcome.reason;
      return outcome.value;
    });
    const together = await loadTogether(loaded, pool, signal, progress);
    for (const [index, { source, result }] of loaded.entries()) {
      publication.sources.push(source);
      // A group loaded together is placed where its first source is.
      const cubes = result ?? together.get(index);
      if (!cubes) continue;
      const renames = mergeCoordSystems(publication.coord_systems, cubes.coordSystems);
      for (const cube of cubes.cubes) renameCoordSystems(cube, renames);
      mergeMeshes(publication, cubes.meshes ?? {}, cubes.cubes);
      publication.cubes.push(...cubes.cubes);
      warnings.push(...cubes.warnings);
    }
  } finally {
    if (!options.pool) await pool.close();
  }
  publication.cubes = irisLoadOrder(publication.cubes);
  return { publication, warnings };
}
