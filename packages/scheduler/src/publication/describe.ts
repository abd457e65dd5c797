import {
  MESH_AXES,
  meshCoordsOf,
  cubeShortSummary,
  cubeSummary,
  jsonNumber,
  lazyBytesOf,
  MAX_LISTED_VALUES,
  nameOf,
  regularValues,
  type ArrayData,
  type ArrayDescription,
  type AttributeJson,
  type Attributes,
  type Coord,
  type CoordDescription,
  type CoordSystem,
  type CubeDescription,
  type CubeMeta,
  type JsonNumber,
  type Mesh,
  type Names,
  type NamesJson,
  type PublicationDescription,
  type Source,
} from '@cubemark/format';
import type { HeldPublication } from './held.js';

/**
 * JSON descriptions of publications and cubes for the HTTP API: the metadata a client needs to choose what to read
 * (names, units, dims, shapes, coordinates, where the data lives), without reading any data. The lossless form of
 * the metadata is the `.cube.md` text; these are for programs.
 */

/**
 * How arrays are described. `regular: 'values'` lists a regular array's values too (up to MAX_LISTED_VALUES), as
 * the cube route does; `'rule'` gives only its `start` and `step`, as the publication route does (every value
 * follows from the rule, by the format's `regularValues`; the README says what listing them cost).
 */
export interface DescribeOptions {
  regular: 'values' | 'rule';
}

const CUBE_ROUTE: DescribeOptions = { regular: 'values' };

function jsonValues(values: ArrayLike<number | bigint | string>): JsonNumber[] {
  return Array.from(values, jsonNumber);
}

export function attributesJson(attributes: Attributes): Record<string, AttributeJson> {
  const out: Record<string, AttributeJson> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value)) out[key] = [...value];
    else out[key] = { dtype: value.dtype, values: jsonValues(value.values) };
  }
  return out;
}

function names(n: Names): NamesJson {
  return {
    ...(n.standard_name !== undefined && { standard_name: n.standard_name }),
    ...(n.long_name !== undefined && { long_name: n.long_name }),
    ...(n.var_name !== undefined && { var_name: n.var_name }),
  };
}

/**
 * Kind, dtype and shape of an array; for a regular one its rule (`start`, one per column, and `step`); its values
 * when cheap (inline, or regular when `options.regular` is `values`; at most MAX_LISTED_VALUES).
 */
export function arrayJson(data: ArrayData, sources: readonly { uri: string }[], options: DescribeOptions = CUBE_ROUTE): ArrayDescription {
  const out: ArrayDescription = { kind: data.kind, dtype: data.dtype, shape: [...data.shape] };
  const count = data.shape.reduce((p, n) => p * n, 1);
  if (data.kind === 'regular') {
    out.start = data.start.map((v) => jsonNumber(v));
    out.step = jsonNumber(data.step);
  }
  // Small arrays are listed in full so clients can select by value; larger ones only by kind and shape.
  if (count <= MAX_LISTED_VALUES) {
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

function coordJson(key: string, role: 'dim' | 'aux', coord: Coord, sources: readonly { uri: string }[], options: DescribeOptions): CoordDescription {
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

/** What a cube's description needs of its publication: sources (where arrays live) and meshes (its mesh's coordinates). */
export interface DescribedIn {
  sources: readonly Pick<Source, 'uri'>[];
  meshes?: Readonly<Record<string, Mesh>>;
}

/**
 * The mesh coordinates of a cube on a mesh (Iris's `MeshCoord`s, keyed `mesh:x` and `mesh:y`): the location's
 * coordinates, over the cube's mesh dimension; for edges and faces, bounds of the element's node coordinates.
 */
function meshCoordsJson(meta: CubeMeta, within: DescribedIn, options: DescribeOptions): CoordDescription[] {
  const ref = meta.mesh;
  const mesh = ref && within.meshes && Object.hasOwn(within.meshes, ref.name) ? within.meshes[ref.name] : undefined;
  if (!ref || !mesh) return [];
  const coords = meshCoordsOf(mesh, ref.location);
  const connectivity = ref.location === 'node' ? undefined : mesh.connectivities[`${ref.location}_node_connectivity`];
  const count = mesh[ref.location]?.count ?? 0;
  const slots = connectivity ? connectivity.indices.shape[1 - connectivity.location_axis] : undefined;
  return MESH_AXES.flatMap((axis) => {
    const coord = coords[axis];
    if (!coord) return [];
    return [
      {
        key: `mesh:${axis}`,
        role: 'mesh' as const,
        name: nameOf(coord),
        ...names(coord),
        units: coord.units,
        dims: [ref.dim],
        points: arrayJson(coord.points, within.sources, options),
        ...(slots !== undefined && { bounds: { dtype: 'float64' as const, shape: [count, slots] } }),
        ...(Object.keys(coord.attributes).length > 0 && { attributes: attributesJson(coord.attributes) }),
      },
    ];
  });
}

/**
 * A cube's description: names, units, dims, shape, dtype, coordinates (mesh coordinates too), cell methods,
 * where its data lives, and Iris's summary (with its mesh's sections: the publication's meshes are given).
 */
export function cubeJson(meta: CubeMeta, index: number, within: DescribedIn, options: DescribeOptions = CUBE_ROUTE): CubeDescription {
  const { sources } = within;
  const summaryOptions = within.meshes ? { meshes: within.meshes } : {};
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
    shortSummary: cubeShortSummary(meta, summaryOptions),
    summary: cubeSummary(meta, summaryOptions),
    cell_methods: meta.cell_methods.map((m) => ({ method: m.method, coords: [...m.coords], intervals: [...m.intervals], comments: [...m.comments] })),
    coords: [
      ...Object.entries(meta.dim_coords).map(([k, c]) => coordJson(k, 'dim', c, sources, options)),
      ...meshCoordsJson(meta, within, options),
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
 * coordinates by their rule, see `DescribeOptions`). The cubes' part, nearly all of the work (Iris's summaries), is
 * made once per held publication and kept with it; the rest (state, resident bytes) is written afresh each time.
 */
export function publicationJsonText(held: HeldPublication, residentBytes: number): string {
  const cubes = held.derived(
    'json:cubes',
    () => {
      const pub = held.publication;
      return JSON.stringify(pub.cubes.map((c, i) => cubeJson(c, i, pub, PUBLICATION_ROUTE)));
    },
    (text) => text.length,
  );
  const head = JSON.stringify(publicationHead(held, residentBytes));
  return `${head.slice(0, -1)},"cubes":${cubes}}`;
}

/** Everything but the cubes. */
function publicationHead(held: HeldPublication, residentBytes: number): Omit<PublicationDescription, 'cubes'> {
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
    coord_systems: JSON.parse(JSON.stringify(pub.coord_systems)) as Record<string, CoordSystem>,
  };
}
