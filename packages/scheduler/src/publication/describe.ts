import {
  cubeShortSummary,
  cubeSummary,
  regularValues,
  type ArrayData,
  type Attributes,
  type Coord,
  type CubeMeta,
  type JsonValue,
  type Names,
} from '@cubemark/format';
import { lazyBytesOf, nameOf } from './content.js';
import type { HeldPublication } from './held.js';

/**
 * JSON descriptions of publications and cubes for the HTTP API: the metadata a client needs to choose what to read
 * (names, units, dims, shapes, coordinates, where the data lives), without reading any data. The lossless form of
 * the metadata is the `.cube.md` text; these are for programs.
 */

/** Small coordinate arrays are listed in full so clients can select by value; larger ones only by kind and shape. */
export const MAX_LISTED_POINTS = 1000;

/**
 * How arrays are described. `regular: 'values'` lists a regular array's values too (up to MAX_LISTED_POINTS), as
 * the cube route does; `'rule'` gives only its `start` and `step`, as the publication route does: a UKV grid's two
 * regular axes listed in full are 27 KB per cube, 1.6 MB of the 1.8 MB describing a 60-cube publication, and
 * every value follows from the rule (`regularValues` of @cubemark/format computes them as the server would).
 */
export interface DescribeOptions {
  regular: 'values' | 'rule';
}

const CUBE_ROUTE: DescribeOptions = { regular: 'values' };

type Json = JsonValue;

function jsonNumber(v: number | bigint): Json {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return v;
}

function jsonValues(values: ArrayLike<number | bigint | string>): Json[] {
  return Array.from(values, (v) => (typeof v === 'string' ? v : jsonNumber(v)));
}

export function attributesJson(attributes: Attributes): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value)) out[key] = [...value];
    else out[key] = { dtype: value.dtype, values: jsonValues(value.values) };
  }
  return out;
}

function names(n: Names): Record<string, Json> {
  return {
    ...(n.standard_name !== undefined && { standard_name: n.standard_name }),
    ...(n.long_name !== undefined && { long_name: n.long_name }),
    ...(n.var_name !== undefined && { var_name: n.var_name }),
  };
}

/**
 * Kind, dtype and shape of an array; for a regular one its rule (`start`, one per column, and `step`); its values
 * when cheap (inline, or regular when `options.regular` is `values`; at most MAX_LISTED_POINTS).
 */
export function arrayJson(data: ArrayData, sources: readonly { uri: string }[], options: DescribeOptions = CUBE_ROUTE): Record<string, Json> {
  const out: Record<string, Json> = { kind: data.kind, dtype: data.dtype, shape: [...data.shape] };
  const count = data.shape.reduce((p, n) => p * n, 1);
  if (data.kind === 'regular') {
    out.start = data.start.map((v) => jsonNumber(v));
    out.step = jsonNumber(data.step);
  }
  if (count <= MAX_LISTED_POINTS) {
    if (data.kind === 'inline') out.values = jsonValues(data.values as ArrayLike<number | bigint | string>);
    else if (data.kind === 'regular' && options.regular === 'values') out.values = jsonValues(regularValues(data) as ArrayLike<number | bigint>);
  }
  if (data.kind === 'source') {
    out.source = { index: data.source, uri: sources[data.source]?.uri ?? null, format: data.format, variable: data.variable };
    if (data.chunks) out.chunks = [...data.chunks];
  } else if (data.kind === 'combined') {
    out.mode = data.mode;
    out.axis = data.axis;
    out.parts = data.parts.length;
  }
  return out;
}

function coordJson(key: string, role: 'dim' | 'aux', coord: Coord, sources: readonly { uri: string }[], options: DescribeOptions): Record<string, Json> {
  return {
    key,
    role,
    name: nameOf(coord),
    ...names(coord),
    units: coord.units,
    ...(coord.calendar !== undefined && { calendar: coord.calendar }),
    dims: [...coord.dims],
    points: arrayJson(coord.points, sources, options),
    ...(coord.bounds && { bounds: { dtype: coord.bounds.dtype, shape: [...coord.bounds.shape] } }),
    ...(coord.coord_system !== undefined && { coord_system: coord.coord_system }),
    ...(Object.keys(coord.attributes).length > 0 && { attributes: attributesJson(coord.attributes) }),
  };
}

/** A cube's description: names, units, dims, shape, dtype, coordinates, cell methods, where its data lives. */
export function cubeJson(meta: CubeMeta, index: number, sources: readonly { uri: string }[], options: DescribeOptions = CUBE_ROUTE): Record<string, Json> {
  return {
    index,
    name: nameOf(meta),
    ...names(meta),
    units: meta.units,
    ...(meta.calendar !== undefined && { calendar: meta.calendar }),
    dims: [...meta.dims],
    shape: [...meta.shape],
    dtype: meta.dtype,
    lazyBytes: lazyBytesOf(meta.dtype, meta.shape),
    shortSummary: cubeShortSummary(meta),
    summary: cubeSummary(meta),
    cell_methods: meta.cell_methods.map((m) => ({ method: m.method, coords: [...m.coords], intervals: [...m.intervals], comments: [...m.comments] })),
    coords: [
      ...Object.entries(meta.dim_coords).map(([k, c]) => coordJson(k, 'dim', c, sources, options)),
      ...Object.entries(meta.aux_coords).map(([k, c]) => coordJson(k, 'aux', c, sources, options)),
    ],
    derived_coords: Object.entries(meta.derived_coords).map(([key, d]) => ({ key, name: nameOf(d), ...names(d), formula: d.formula, units: d.units, terms: { ...d.terms } })),
    cell_measures: Object.entries(meta.cell_measures).map(([key, m]) => ({ key, name: nameOf(m), measure: m.measure, units: m.units, dims: [...m.dims] })),
    ancillary_variables: Object.entries(meta.ancillary_variables).map(([key, a]) => ({ key, name: nameOf(a), units: a.units, dims: [...a.dims] })),
    attributes: attributesJson(meta.attributes),
    global_attributes: attributesJson(meta.global_attributes),
    data: arrayJson(meta.data, sources, options),
    ...(meta.mesh && { mesh: { ...meta.mesh } }),
  };
}

const PUBLICATION_ROUTE: DescribeOptions = { regular: 'rule' };

/**
 * A publication's description as JSON text: its metadata, state, and each cube's description and summary (regular
 * coordinates by their rule, see `DescribeOptions`). The cubes' part, nearly all of it (~6 ms of Iris summaries
 * for 60 cubes), is made once per held publication and kept with it; the rest (state, resident bytes) is
 * written afresh each time.
 */
export function publicationJsonText(held: HeldPublication, residentBytes: number): string {
  const cubes = held.derived(
    'json:cubes',
    () => {
      const pub = held.publication;
      return JSON.stringify(pub.cubes.map((c, i) => cubeJson(c, i, pub.sources, PUBLICATION_ROUTE)));
    },
    (text) => text.length,
  );
  const head = JSON.stringify(publicationHead(held, residentBytes));
  return `${head.slice(0, -1)},"cubes":${cubes}}`;
}

/** Everything but the cubes. */
function publicationHead(held: HeldPublication, residentBytes: number): Record<string, Json> {
  const pub = held.publication;
  return {
    name: held.name,
    ...(pub.title !== undefined && { title: pub.title }),
    ...(pub.created !== undefined && { created: pub.created }),
    ...(pub.modified !== undefined && { modified: pub.modified }),
    state: held.state,
    warnings: [...held.warnings],
    publishedAt: held.publishedAt,
    origin: held.origin,
    lazyBytes: held.lazyBytes,
    residentBytes,
    provenance: { ...pub.provenance },
    sources: pub.sources.map((s) => ({ ...s })),
    coord_systems: JSON.parse(JSON.stringify(pub.coord_systems)) as Json,
  };
}
