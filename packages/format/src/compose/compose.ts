import { ArrayDecodeProblem, decodeArray } from '../arrays/decode.js';
import { TYPED_ARRAYS, product } from '../arrays/dtypes.js';
import { regularValues } from '../arrays/regular.js';
import type { ErrorCode } from '../errors/codes.js';
import type {
  ArrayData,
  CellMethod,
  Coord,
  CoordSystem,
  CubeMeta,
  Dtype,
  FormatVersion,
  NumericDtype,
  NumericValues,
  Publication,
} from '../model/types.js';
import { composeCubeMesh, composeMeshes } from './mesh.js';
import { UNDECODED, arrayData, attributes, emptyValues, esc, named, type Report } from './values.js';

export interface ComposeProblem {
  code: ErrorCode;
  message: string;
  pointer: string;
}

type R = Record<string, unknown>;

/**
 * Builds the typed model from a frontmatter value that passed the schema: fills defaults, decodes arrays (whose
 * shapes come from the cube's dimensions), types attributes. Problems that need the shapes (an array with the
 * wrong number of values, a bad encoding) are reported here; the rest of the semantics in `validate/`.
 */
export function compose(raw: R): { publication: Publication; problems: ComposeProblem[] } {
  const problems: ComposeProblem[] = [];
  const report = (code: ErrorCode, message: string, pointer: string) => problems.push({ code, message, pointer });

  const coordSystems: Record<string, CoordSystem> = {};
  for (const [k, v] of Object.entries((raw.coord_systems as R | undefined) ?? {})) coordSystems[k] = v as CoordSystem;

  // Format 1.1 reads an attribute written `1.0` as float64; version 1 read it by value, as int32.
  const lexical = raw.cubemark !== 1;
  const cubes = ((raw.cubes as R[] | undefined) ?? []).map((c, i) => composeCube(c, `/cubes/${i}`, report, lexical));
  const meshes = composeMeshes(raw.meshes as R | undefined, report, lexical);

  const publication: Publication = {
    cubemark: raw.cubemark as FormatVersion,
    name: raw.name as string,
    ...(raw.title !== undefined && { title: raw.title as string }),
    ...(raw.created !== undefined && { created: raw.created as string }),
    ...(raw.modified !== undefined && { modified: raw.modified as string }),
    provenance: { ...((raw.provenance as Record<string, string> | undefined) ?? {}) },
    sources: ((raw.sources as R[] | undefined) ?? []).map((s) => ({
      uri: s.uri as string,
      ...(s.size !== undefined && { size: s.size as number }),
      ...(s.mtime !== undefined && { mtime: s.mtime as string }),
      ...(s.etag !== undefined && { etag: s.etag as string }),
    })),
    coord_systems: coordSystems,
    ...(meshes && { meshes }),
    cubes,
  };
  return { publication, problems };
}

function names(o: R): ReturnType<typeof named<object>> {
  return named({}, o);
}

function composeCube(c: R, at: string, report: Report, lexical: boolean): CubeMeta {
  const dims = c.dims as string[];
  const shape = c.shape as number[];
  const dtype = c.dtype as Dtype;
  const dimLength = new Map<string, number>();
  dims.forEach((d, i) => dimLength.set(d, shape[i] ?? 0));
  const shapeOf = (spanned: string[]): number[] => spanned.map((d) => dimLength.get(d) ?? 0);

  const coords = (key: 'dim_coords' | 'aux_coords'): Record<string, Coord> => {
    const out: Record<string, Coord> = {};
    for (const [k, v] of Object.entries((c[key] as Record<string, R> | undefined) ?? {})) {
      const p = `${at}/${key}/${esc(k)}`;
      const spanned = key === 'dim_coords' ? [k] : ((v.dims as string[] | undefined) ?? []);
      // A coordinate on an unknown dimension is reported as such; don't also complain about its length.
      const pointShape = spanned.length === 0 ? [1] : spanned.every((d) => dimLength.has(d)) ? shapeOf(spanned) : [-1];
      const cdtype = (v.dtype as Dtype | undefined) ?? 'float64';
      const coord = named({} as Coord, v);
      coord.units = (v.units as string | undefined) ?? 'unknown';
      if (v.calendar !== undefined) coord.calendar = v.calendar as string;
      coord.dims = spanned;
      coord.points = arrayData(v.points, cdtype, pointShape, `${p}/points`, report, (n) => ({
        code: 'COORD_LENGTH',
        message:
          spanned.length === 1
            ? `coordinate '${k}' has ${n} points but dimension '${spanned[0]}' has length ${pointShape[0]}`
            : `coordinate '${k}' has ${n} points but its dimensions [${spanned.join(', ')}] need ${product(pointShape)}`,
      }));
      coord.attributes = attributes(v.attributes as R | undefined, `${p}/attributes`, report, lexical);
      if (isEdges(v.bounds)) {
        coord.bounds = edgeBounds(v.bounds.edges, cdtype, pointShape, `${p}/bounds`, report, k, lexical);
      } else if (v.bounds !== undefined) {
        coord.bounds = arrayData(v.bounds, cdtype, [...pointShape, -1], `${p}/bounds`, report, (n) => ({
          code: 'BOUNDS_SHAPE',
          message: `coordinate '${k}' has ${n} bound values, not a whole number per each of its ${product(pointShape)} points`,
        }));
      }
      if (v.coord_system !== undefined) coord.coord_system = v.coord_system as string;
      if (v.climatological === true) coord.climatological = true;
      if (v.circular === true) coord.circular = true;
      out[k] = coord;
    }
    return out;
  };

  const withData = <T>(key: string, f: (v: R, p: string, data: ArrayData, spanned: string[]) => T): Record<string, T> => {
    const out: Record<string, T> = {};
    for (const [k, v] of Object.entries((c[key] as Record<string, R> | undefined) ?? {})) {
      const p = `${at}/${key}/${esc(k)}`;
      const spanned = (v.dims as string[] | undefined) ?? [];
      const d = (v.dtype as Dtype | undefined) ?? 'float64';
      out[k] = f(v, p, arrayData(v.data, d, spanned.length === 0 ? [1] : shapeOf(spanned), `${p}/data`, report), spanned);
    }
    return out;
  };

  const cube = named({} as CubeMeta, c);
  cube.units = (c.units as string | undefined) ?? 'unknown';
  if (c.calendar !== undefined) cube.calendar = c.calendar as string;
  return Object.assign(cube, {
    dims: [...dims],
    shape: [...shape],
    dtype,
    attributes: attributes(c.attributes as R | undefined, `${at}/attributes`, report, lexical),
    global_attributes: attributes(c.global_attributes as R | undefined, `${at}/global_attributes`, report, lexical),
    cell_methods: ((c.cell_methods as R[] | undefined) ?? []).map(
      (m): CellMethod => ({
        method: m.method as string,
        coords: [...((m.coords as string[] | undefined) ?? [])],
        intervals: [...((m.intervals as string[] | undefined) ?? [])],
        comments: [...((m.comments as string[] | undefined) ?? [])],
      }),
    ),
    dim_coords: coords('dim_coords'),
    aux_coords: coords('aux_coords'),
    derived_coords: Object.fromEntries(
      Object.entries((c.derived_coords as Record<string, R> | undefined) ?? {}).map(([k, v]) => [
        k,
        {
          ...names(v),
          formula: v.formula as CubeMeta['derived_coords'][string]['formula'],
          units: (v.units as string | undefined) ?? 'unknown',
          terms: { ...(v.terms as Record<string, string>) },
          attributes: attributes(v.attributes as R | undefined, `${at}/derived_coords/${esc(k)}/attributes`, report, lexical),
          ...(v.coord_system !== undefined && { coord_system: v.coord_system as string }),
        },
      ]),
    ),
    cell_measures: withData('cell_measures', (v, p, data, spanned) => ({
      ...names(v),
      measure: v.measure as 'area' | 'volume',
      units: (v.units as string | undefined) ?? 'unknown',
      dims: spanned,
      data,
      attributes: attributes(v.attributes as R | undefined, `${p}/attributes`, report, lexical),
    })),
    ancillary_variables: withData('ancillary_variables', (v, p, data, spanned) => ({
      ...names(v),
      units: (v.units as string | undefined) ?? 'unknown',
      dims: spanned,
      data,
      attributes: attributes(v.attributes as R | undefined, `${p}/attributes`, report, lexical),
    })),
    data: arrayData(c.data, dtype, [...shape], `${at}/data`, report),
    ...(c.mesh !== undefined && { mesh: composeCubeMesh(c.mesh as R) }),
  });
}

function isEdges(raw: unknown): raw is { edges: unknown } {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'edges' in raw;
}

/**
 * Bounds written as the n + 1 edges of contiguous cells (`{edges: …}`, format 1.1): cell i spans edges i and i + 1.
 * Only for one-dimensional numeric coordinates; the model holds the bounds themselves.
 */
function edgeBounds(raw: unknown, dtype: Dtype, pointShape: number[], at: string, report: Report, key: string, v11: boolean): ArrayData {
  const placeholder = (): ArrayData => {
    const a: ArrayData = { kind: 'inline', dtype, shape: [Math.max(0, pointShape[0] ?? 0), 2], values: emptyValues(dtype, 0) };
    UNDECODED.add(a);
    return a;
  };
  if (!v11) {
    report('UNKNOWN_KEY', `bounds written as 'edges' are new in format 1.1: say 'cubemark: 1.1' (or write the bounds out)`, `${at}/edges`);
    return placeholder();
  }
  if (pointShape.includes(-1)) return placeholder();
  if (pointShape.length !== 1 || dtype === 'string') {
    report('BOUNDS_SHAPE', `coordinate '${key}' cannot have its bounds as edges: edges are for one-dimensional numeric coordinates`, `${at}/edges`);
    return placeholder();
  }
  const cells = pointShape[0]!;
  const decoded = decodeArray(raw, dtype, [cells + 1]);
  if (decoded instanceof ArrayDecodeProblem) {
    if (decoded.code === 'ARRAY_LENGTH' && decoded.count !== undefined) {
      report('BOUNDS_SHAPE', `coordinate '${key}' has ${decoded.count} edges but its ${cells} points need ${cells + 1}`, `${at}/edges`);
    } else {
      report(decoded.code, `'bounds/edges' ${decoded.message}`, `${at}/edges` + decoded.subpath.map((s) => `/${s}`).join(''));
    }
    return placeholder();
  }
  const edges = 'kind' in decoded ? regularValues(decoded) : decoded.values;
  let values = edgePairs.get(edges);
  if (!values) {
    values = new TYPED_ARRAYS[dtype as NumericDtype](2 * cells);
    for (let i = 0; i < cells; i++) {
      (values as { [k: number]: number | bigint })[2 * i] = edges[i] as number | bigint;
      (values as { [k: number]: number | bigint })[2 * i + 1] = edges[i + 1] as number | bigint;
    }
    // Shared edges (decoded once for every cube that repeats them) give shared bounds.
    if (!('kind' in decoded)) edgePairs.set(edges, values);
  }
  return { kind: 'inline', dtype, shape: [cells, 2], values };
}

const edgePairs = new WeakMap<object, NumericValues>();
