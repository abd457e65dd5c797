import type { ArrayData, CubeMeta, JsonValue, SourceArray } from '@cubemark/format';
import type { PPField } from './field.js';
import { FIELD_OPTION } from './rules/convert.js';

/**
 * The format's `format: pp` data reference (spec §14.5): one source reference for a whole cube, whose leading
 * axes enumerate its fields in C order and whose last two axes are each field's rows and points. Per field it
 * records where the data are (in which file, when the cube's fields lie in several) and how they are packed, so
 * a field is read without re-reading its header.
 */
export interface PpOptions {
  /** Bytes per stored word and byte order of unpacked data (packed data are big-endian 32-bit words). */
  word: 4 | 8;
  byte_order: 'big' | 'little';
  /** Per field, when the fields lie in several files: the index in the publication's sources of each field's file. */
  source?: number[];
  /** Per field, in C order over the leading axes: the field's number in the file, data offset and length (bytes). */
  field: number[];
  offset: number[];
  length: number[];
  /** LBPACK, BMDI, BDATUM and BMKS: one value for every field, or one per field. */
  lbpack: number | number[];
  bmdi: number | number[];
  bdatum?: number | number[];
  bmks?: number | number[];
  /**
   * Boundary condition fieldsfiles: the stored values are only the frame `[x halo, y halo, rim width]` of each
   * field (the same for every field, or one triple per field); the points inside it are missing.
   */
  boundary?: number[] | number[][];
}

/** One value when every field has it, else the list. */
function column(values: number[]): number | number[] {
  return values.every((v) => Object.is(v, values[0])) ? values[0] : values;
}

/** The leaves of a merged description, in C order over the stacked axes; `undefined` if it is not one. */
function leaves(data: ArrayData): SourceArray[] | undefined {
  if (data.kind === 'source') return data.format === 'pp' && data.options?.[FIELD_OPTION] !== undefined ? [data] : undefined;
  if (data.kind !== 'combined' || data.mode !== 'stack' || data.axis !== 0) return undefined;
  const out: SourceArray[] = [];
  for (const part of data.parts) {
    const l = leaves(part);
    if (!l) return undefined;
    out.push(...l);
  }
  return out;
}

/**
 * The `format: pp` reference for fields laid out in `shape` (leading axes × rows × points), lying in the sources
 * `sources` (one per field, or one for all): the reference's `source` is the first field's, and `options.source`
 * lists each field's when they lie in more than one (fields merged across files).
 */
export function ppReference(fields: readonly PPField[], shape: readonly number[], dtype: SourceArray['dtype'], sources: number | readonly number[], variable: string): SourceArray {
  const first = fields[0];
  const source = typeof sources === 'number' ? sources : sources[0];
  const options: PpOptions = {
    word: first.layout.wordBytes === 8 && first.header.lbpack % 10 === 0 ? 8 : first.layout.wordBytes,
    byte_order: first.layout.littleEndian ? 'little' : 'big',
    ...(typeof sources !== 'number' && sources.some((s) => s !== source) && { source: [...sources] }),
    field: fields.map((f) => f.index),
    offset: fields.map((f) => f.dataOffset),
    length: fields.map((f) => f.dataLength),
    lbpack: column(fields.map((f) => f.header.lbpack)),
    bmdi: column(fields.map((f) => f.header.bmdi)),
  };
  const bdatum = column(fields.map((f) => f.header.bdatum));
  const bmks = column(fields.map((f) => f.header.bmks));
  if (bdatum !== 0) options.bdatum = bdatum;
  if (bmks !== 1 && bmks !== 0) options.bmks = bmks;
  if (fields.some((f) => f.boundary)) {
    const triples = fields.map((f) => (f.boundary ? [f.boundary.xHalo, f.boundary.yHalo, f.boundary.rim] : [0, 0, 0]));
    options.boundary = triples.every((t) => t.join() === triples[0].join()) ? triples[0] : triples;
  }
  const ref: SourceArray = {
    kind: 'source',
    dtype,
    shape: [...shape],
    source,
    format: 'pp',
    variable,
    chunks: shape.map((n, i) => (i < shape.length - 2 ? 1 : n)),
    options: options as unknown as { [key: string]: JsonValue },
  };
  const mdi = first.header.bmdi;
  // Masking compares stored values: a real field's BMDI as float32 (or float64), an integer field's only if whole.
  if (dtype === 'float32') ref.fill_value = shortestFloat32(mdi);
  else if (dtype === 'float64' || (Number.isInteger(mdi) && Math.abs(mdi) < 2 ** 31)) ref.fill_value = mdi;
  return ref;
}

/** The shortest decimal that is the float32 `v`, as the format writes float32 values (so the reference round-trips). */
function shortestFloat32(v: number): number {
  const f = Math.fround(v);
  for (let p = 1; p <= 9; p++) {
    const d = Number(f.toPrecision(p));
    if (Math.fround(d) === f) return d;
  }
  return f;
}

/** The fields a merged cube's arrays are made of, by the keys their leaves carry, and the source each lies in. */
export interface FieldTable {
  field(key: number): PPField;
  source(key: number): number;
}

/** The field keys of a merged description's leaves, in C order over its leading axes; `undefined` if it is not one. */
export function fieldKeys(data: ArrayData): number[] | undefined {
  return leaves(data)?.map((leaf) => leaf.options?.[FIELD_OPTION] as number);
}

/** `data` with every merged tree of PP fields replaced by one `format: pp` reference (`ppReference`). */
export function describeFields(data: ArrayData, table: FieldTable): ArrayData {
  const l = leaves(data);
  if (l) {
    const keys = fieldKeys(data)!;
    return ppReference(keys.map((k) => table.field(k)), data.shape, data.dtype, keys.map((k) => table.source(k)), l[0].variable);
  }
  if (data.kind === 'combined') return { ...data, parts: data.parts.map((p) => describeFields(p, table)) };
  return data;
}

/** Every array of a cube with its PP field trees described (data, coordinates, cell measures, ancillaries). */
export function describeCube(cube: CubeMeta, table: FieldTable): CubeMeta {
  const fix = <T extends { points: ArrayData; bounds?: ArrayData }>(c: T): T => ({
    ...c,
    points: describeFields(c.points, table),
    ...(c.bounds && { bounds: describeFields(c.bounds, table) }),
  });
  const each = <T>(r: Record<string, T>, f: (x: T) => T) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, f(v)]));
  return {
    ...cube,
    data: describeFields(cube.data, table),
    dim_coords: each(cube.dim_coords, fix),
    aux_coords: each(cube.aux_coords, fix),
    cell_measures: each(cube.cell_measures, (m) => ({ ...m, data: describeFields(m.data, table) })),
    ancillary_variables: each(cube.ancillary_variables, (a) => ({ ...a, data: describeFields(a.data, table) })),
  };
}

/** The first of a merged description's fields, by position in the load (Iris orders merged cubes by it). */
export function firstField(data: ArrayData): number {
  const keys = fieldKeys(data);
  if (keys) return Math.min(...keys);
  if (data.kind === 'source') {
    const f = data.options?.field;
    return Array.isArray(f) ? Math.min(...(f as number[])) : Infinity;
  }
  return Infinity;
}
