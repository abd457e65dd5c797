import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AbsolutePath } from 'zarrita';
import { uriScheme } from '../../bytes/uri.js';
import { ZarrFormatError } from './errors.js';
import { encodeJson, parseJsonObject, type JsonDocument } from './json.js';
import type { SourceStore } from './store.js';

/** A JSON object: a Zarr metadata document or an attribute dictionary. */
export type JsonObject = { [key: string]: JsonDocument };

export type ZarrFormat = 2 | 3;

/** One array of a store, with the metadata documents it was found with. */
export interface ArrayNode {
  /** Path from the store root, without leading slash; `''` for an array at the root. */
  path: string;
  /** The `.zarray` (v2) or `zarr.json` (v3) document. */
  meta: JsonObject;
  /** User attributes: `.zattrs` (v2) or `attributes` of `zarr.json` (v3). */
  attributes: JsonObject;
}

/** What a store root holds: a group and its child arrays, or a single array. */
export interface ZarrHierarchy {
  zarrFormat: ZarrFormat;
  kind: 'group' | 'array';
  /** Group attributes (empty for a single array). */
  attributes: JsonObject;
  /** Child arrays of the group, or the root array; in store order (consolidated) or sorted by name (listed). */
  arrays: ArrayNode[];
  /** How the group's arrays were found. */
  discovery: 'consolidated' | 'listed' | 'named' | 'single-array';
}

export interface LoadHierarchyOptions {
  /** Only look for this format's metadata (saves a request when known). */
  zarrFormat?: ZarrFormat;
  /** Child array paths to use instead of listing the group (for groups without consolidated metadata). */
  arrays?: readonly string[];
  signal?: AbortSignal;
}

/**
 * Read a store's metadata: every document fetched is remembered in `store`, so zarrita later opens the arrays
 * without fetching anything. Never touches a chunk key.
 *
 * Discovery of a group's arrays, in order: consolidated metadata (`.zmetadata`, or `consolidated_metadata` in
 * v3 `zarr.json`); the `arrays` option; listing a local directory. Object stores and HTTP cannot be listed
 * through a byte source, so there a group needs consolidated metadata or `arrays`.
 */
export async function loadHierarchy(store: SourceStore, options: LoadHierarchyOptions = {}): Promise<ZarrHierarchy> {
  const { signal } = options;
  const wantV3 = options.zarrFormat !== 2;
  const wantV2 = options.zarrFormat !== 3;
  const [v3Root, consolidatedV2] = await Promise.all([
    wantV3 ? fetchDoc(store, '/zarr.json', signal) : undefined,
    wantV2 ? fetchDoc(store, '/.zmetadata', signal) : undefined,
  ]);
  if (v3Root) return loadV3(store, v3Root, options);
  if (consolidatedV2) return loadConsolidatedV2(store, consolidatedV2, options);
  if (wantV2) {
    const [zarray, zgroup, zattrs] = await Promise.all([
      fetchDoc(store, '/.zarray', signal),
      fetchDoc(store, '/.zgroup', signal),
      fetchDoc(store, '/.zattrs', signal),
    ]);
    if (zarray) {
      return single(2, { path: '', meta: zarray, attributes: zattrs ?? {} });
    }
    if (zgroup) return loadWalkedV2(store, zattrs ?? {}, options);
  }
  const looked = [wantV3 && 'zarr.json', wantV2 && '.zmetadata, .zgroup, .zarray'].filter(Boolean).join(', ');
  throw new ZarrFormatError('ZARR_NOT_FOUND', store.rootUri, `no Zarr metadata found (looked for ${looked}); is this the store's root?`);
}

/**
 * Fetch one array's metadata document for the given format and remember it; `undefined` when absent. Used
 * to reopen a recorded array with exactly one request.
 */
export async function loadArrayMeta(
  store: SourceStore,
  path: string,
  zarrFormat: ZarrFormat,
  signal?: AbortSignal,
): Promise<JsonObject | undefined> {
  const doc = await fetchDoc(store, metaKey(path, zarrFormat === 2 ? '.zarray' : 'zarr.json'), signal);
  if (!doc || zarrFormat === 2) return doc;
  return doc.node_type === 'array' ? doc : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// v3

async function loadV3(store: SourceStore, root: JsonObject, options: LoadHierarchyOptions): Promise<ZarrHierarchy> {
  expectFormat(store, root, 3, '/zarr.json');
  if (root.node_type === 'array') return single(3, { path: '', meta: root, attributes: objectOr(root.attributes) });
  if (root.node_type !== 'group') {
    throw badMetadata(store, '/zarr.json', `node_type is ${JSON.stringify(root.node_type)}, not "array" or "group"`);
  }
  const attributes = objectOr(root.attributes);
  const consolidated = asObject(asObject(root.consolidated_metadata)?.metadata);
  if (consolidated) {
    const wanted = options.arrays ? new Set(options.arrays) : undefined;
    const arrays: ArrayNode[] = [];
    for (const [key, meta] of Object.entries(consolidated)) {
      const path = key.replace(/^\/+/, '');
      const doc = asObject(meta);
      if (doc) store.remember(metaKey(path, 'zarr.json'), encodeJson(doc));
      // Arrays of subgroups are not part of this group's (flat, NetCDF-like) dataset unless named.
      if (!doc || doc.node_type !== 'array' || (wanted ? !wanted.has(path) : path.includes('/'))) continue;
      arrays.push({ path, meta: doc, attributes: objectOr(doc.attributes) });
    }
    for (const name of wanted ?? []) {
      if (!arrays.some((a) => a.path === name)) throw arrayNotFound(store, name, 'zarr.json');
    }
    return { zarrFormat: 3, kind: 'group', attributes, arrays, discovery: 'consolidated' };
  }
  const { names, discovery } = await childNames(store, options, '/zarr.json');
  const docs = await Promise.all(names.map((path) => fetchDoc(store, metaKey(path, 'zarr.json'), options.signal)));
  const arrays: ArrayNode[] = [];
  docs.forEach((doc, i) => {
    if (doc?.node_type === 'array') arrays.push({ path: names[i], meta: doc, attributes: objectOr(doc.attributes) });
    else if (discovery === 'named') throw arrayNotFound(store, names[i], 'zarr.json');
  });
  return { zarrFormat: 3, kind: 'group', attributes, arrays, discovery };
}

// ---------------------------------------------------------------------------------------------------------------
// v2

async function loadConsolidatedV2(
  store: SourceStore,
  zmetadata: JsonObject,
  options: LoadHierarchyOptions,
): Promise<ZarrHierarchy> {
  const metadata = asObject(zmetadata.metadata);
  if (zmetadata.zarr_consolidated_format !== 1 || !metadata) {
    throw badMetadata(store, '/.zmetadata', 'not zarr_consolidated_format 1 with a "metadata" object');
  }
  for (const [key, doc] of Object.entries(metadata)) {
    const object = asObject(doc);
    if (object) store.remember(`/${key.replace(/^\/+/, '')}` as AbsolutePath, encodeJson(object));
  }
  const rootArray = asObject(metadata['.zarray']);
  if (rootArray) {
    return single(2, { path: '', meta: rootArray, attributes: objectOr(metadata['.zattrs']) });
  }
  const wanted = options.arrays ? new Set(options.arrays) : undefined;
  const arrays: ArrayNode[] = [];
  for (const key of Object.keys(metadata)) {
    const match = /^(.+)\/\.zarray$/.exec(key);
    const meta = match && asObject(metadata[key]);
    if (!match || !meta || (wanted ? !wanted.has(match[1]) : match[1].includes('/'))) continue;
    arrays.push({ path: match[1], meta, attributes: objectOr(metadata[`${match[1]}/.zattrs`]) });
  }
  for (const name of wanted ?? []) {
    if (!arrays.some((a) => a.path === name)) throw arrayNotFound(store, name, '.zarray');
  }
  return { zarrFormat: 2, kind: 'group', attributes: objectOr(metadata['.zattrs']), arrays, discovery: 'consolidated' };
}

async function loadWalkedV2(store: SourceStore, attributes: JsonObject, options: LoadHierarchyOptions): Promise<ZarrHierarchy> {
  const { names, discovery } = await childNames(store, options, '/.zgroup');
  const found = await Promise.all(
    names.map(async (path) => {
      // .zattrs is fetched alongside (not after) .zarray: one round trip per array, at the cost of a request
      // for each child group.
      const [meta, attrs] = await Promise.all([
        fetchDoc(store, metaKey(path, '.zarray'), options.signal),
        fetchDoc(store, metaKey(path, '.zattrs'), options.signal),
      ]);
      if (!meta && discovery === 'named') throw arrayNotFound(store, path, '.zarray');
      return meta ? { path, meta, attributes: attrs ?? {} } : undefined;
    }),
  );
  return { zarrFormat: 2, kind: 'group', attributes, arrays: found.filter((a) => a !== undefined), discovery };
}

// ---------------------------------------------------------------------------------------------------------------
// Discovery

async function childNames(
  store: SourceStore,
  options: LoadHierarchyOptions,
  rootKey: string,
): Promise<{ names: string[]; discovery: 'named' | 'listed' }> {
  if (options.arrays) return { names: [...options.arrays], discovery: 'named' };
  // The source's own URI has relative paths resolved against the context's base, which the store URI has not.
  const resolved = store.source(rootKey).uri.slice(0, -rootKey.length);
  const dir = localDirectory(resolved);
  if (dir === undefined) {
    throw new ZarrFormatError(
      'ZARR_NOT_LISTABLE',
      store.rootUri,
      'this group has no consolidated metadata and its arrays cannot be listed over this backend; consolidate it ' +
        '(zarr.consolidate_metadata, or xarray to_zarr(consolidated=True)) or name the arrays to open',
    );
  }
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (cause) {
    throw new ZarrFormatError('ZARR_NOT_LISTABLE', store.rootUri, `cannot list the group directory ${dir}`, { cause });
  }
  const names = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  return { names, discovery: 'listed' };
}

/** The local directory a store URI names (relative paths from the working directory, as byte sources read them), or `undefined` for remote URIs. */
function localDirectory(uri: string): string | undefined {
  const scheme = uriScheme(uri);
  if (scheme === 'file') return fileURLToPath(uri);
  return scheme === undefined ? resolve(uri) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function metaKey(path: string, file: string): AbsolutePath {
  return (path === '' ? `/${file}` : `/${path}/${file}`) as AbsolutePath;
}

/** Fetch and parse a metadata document, remembering it in the store; `undefined` if absent. */
async function fetchDoc(store: SourceStore, key: AbsolutePath, signal?: AbortSignal): Promise<JsonObject | undefined> {
  const bytes = await store.get(key, { signal });
  if (!bytes) return undefined;
  let doc: JsonObject | undefined;
  try {
    doc = parseJsonObject(bytes);
  } catch (cause) {
    throw badMetadata(store, key, 'is not valid JSON', cause);
  }
  if (!doc) throw badMetadata(store, key, 'is not a JSON object');
  // Re-encoded so zarrita, which parses strictly, never sees Python's bare NaN.
  store.remember(key, encodeJson(doc));
  return doc;
}

function single(zarrFormat: ZarrFormat, node: ArrayNode): ZarrHierarchy {
  return { zarrFormat, kind: 'array', attributes: {}, arrays: [node], discovery: 'single-array' };
}

function expectFormat(store: SourceStore, doc: JsonObject, format: ZarrFormat, key: string): void {
  if (doc.zarr_format !== format) {
    throw badMetadata(store, key, `zarr_format is ${JSON.stringify(doc.zarr_format)}, expected ${format}`);
  }
}

function asObject(value: JsonDocument | undefined): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

function objectOr(value: JsonDocument | undefined): JsonObject {
  return asObject(value) ?? {};
}

function badMetadata(store: SourceStore, key: string, message: string, cause?: unknown): ZarrFormatError {
  return new ZarrFormatError('ZARR_BAD_METADATA', store.uriOf(key), message, { cause });
}

function arrayNotFound(store: SourceStore, path: string, file: string): ZarrFormatError {
  return new ZarrFormatError('ZARR_ARRAY_NOT_FOUND', store.rootUri, `no array here (no ${path}/${file})`, { array: path });
}
