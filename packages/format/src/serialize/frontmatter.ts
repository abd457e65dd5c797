import { encodeValues, formatValue, type EncodeOptions } from '../arrays/encode.js';
import { inferAttributeDtype, isBigDtype, sameValues } from '../arrays/dtypes.js';
import { regularValues } from '../arrays/regular.js';
import type {
  AncillaryVariable,
  ArrayData,
  ArrayValues,
  AttributeValue,
  Attributes,
  CellMeasure,
  CellMethod,
  Coord,
  CoordSystem,
  CubeMeta,
  DerivedCoord,
  Dtype,
  FormatVersion,
  JsonValue,
  Names,
  NumericAttribute,
  Publication,
  SourceArray,
} from '../model/types.js';
import { type EmitValue, emitYaml } from '../yaml/emit.js';
import { Literal } from '../yaml/literal.js';
import { formatFloat64 } from '../yaml/scalars.js';
import { cubeMesh, meshes } from './mesh.js';

export type Obj = { [key: string]: EmitValue };

/**
 * The canonical YAML frontmatter of a publication. Keys are written in the order the spec lists them; optional
 * keys with default values are left out; attributes are sorted; everything else keeps the model's order.
 */
export function serializeFrontmatter(pub: Publication): string {
  const block = new WeakSet<object>();
  const version = pub.cubemark;
  const root: Obj = { cubemark: new Literal(String(pub.cubemark)), name: pub.name };
  block.add(root);
  if (pub.title !== undefined) root.title = pub.title;
  if (pub.created !== undefined) root.created = pub.created;
  if (pub.modified !== undefined) root.modified = pub.modified;
  if (Object.keys(pub.provenance).length > 0) root.provenance = blockMap(block, { ...pub.provenance });
  if (pub.sources.length > 0) {
    const sources: EmitValue[] = pub.sources.map((s) => {
      const o: Obj = { uri: s.uri };
      if (s.size !== undefined) o.size = new Literal(formatJsonNumber(s.size));
      if (s.mtime !== undefined) o.mtime = s.mtime;
      if (s.etag !== undefined) o.etag = s.etag;
      return o;
    });
    block.add(sources);
    root.sources = sources;
  }
  if (Object.keys(pub.coord_systems).length > 0) {
    const systems: Obj = {};
    for (const [k, cs] of Object.entries(pub.coord_systems)) systems[k] = coordSystem(cs);
    root.coord_systems = blockMap(block, systems);
  }
  if (pub.meshes !== undefined && Object.keys(pub.meshes).length > 0) root.meshes = meshes(pub.meshes, block);
  const cubes = pub.cubes.map((c) => cube(c, block, version));
  block.add(cubes);
  root.cubes = cubes;
  return emitYaml(root, block);
}

function blockMap(block: WeakSet<object>, o: Obj): Obj {
  block.add(o);
  return o;
}

export function names(n: Names, o: Obj): void {
  if (n.standard_name !== undefined) o.standard_name = n.standard_name;
  if (n.long_name !== undefined) o.long_name = n.long_name;
  if (n.var_name !== undefined) o.var_name = n.var_name;
}

export function units(u: string, o: Obj, calendar?: string): void {
  if (u !== 'unknown') o.units = u;
  if (calendar !== undefined) o.calendar = calendar;
}

const float = (x: number) => new Literal(formatFloat64(x));

/** Coordinate-system parameters in one fixed order (origin, parallels, scale, offsets, ellipsoid last). */
const CS_ORDER = [
  'grid_north_pole_latitude', 'grid_north_pole_longitude', 'north_pole_grid_longitude',
  'latitude_of_projection_origin', 'longitude_of_projection_origin', 'longitude_of_central_meridian',
  'straight_vertical_longitude_from_pole', 'standard_parallel', 'azimuth_of_central_line', 'perspective_point_height',
  'sweep_angle_axis', 'scale_factor_at_central_meridian', 'scale_factor_at_projection_origin', 'false_easting',
  'false_northing', 'semi_major_axis', 'semi_minor_axis', 'inverse_flattening', 'longitude_of_prime_meridian', 'ellipsoid',
];
const csRank = (k: string) => {
  const i = CS_ORDER.indexOf(k);
  return i < 0 ? CS_ORDER.length : i;
};
const byCsOrder = (a: string, b: string) => csRank(a) - csRank(b) || (a < b ? -1 : a > b ? 1 : 0);

function coordSystem(cs: CoordSystem): Obj {
  const o: Obj = { kind: cs.kind };
  for (const [k, v] of Object.entries(cs).sort(([a], [b]) => byCsOrder(a, b))) {
    if (k === 'kind' || v === undefined) continue;
    if (typeof v === 'number') o[k] = float(v);
    else if (Array.isArray(v)) o[k] = v.map(float);
    else if (typeof v === 'string') o[k] = v;
    else {
      const e: Obj = {};
      for (const [ek, ev] of Object.entries(v as Record<string, number | undefined>).sort(([a], [b]) => byCsOrder(a, b))) {
        if (ev !== undefined) e[ek] = float(ev);
      }
      o[k] = e;
    }
  }
  return o;
}

function cube(c: CubeMeta, block: WeakSet<object>, version: FormatVersion): Obj {
  const o: Obj = {};
  block.add(o);
  names(c, o);
  units(c.units, o, c.calendar);
  o.dtype = c.dtype;
  o.dims = [...c.dims];
  o.shape = c.shape.map((n) => new Literal(String(n)));
  o.data = arrayData(c.data, c.dtype);
  if (c.mesh !== undefined) o.mesh = cubeMesh(c.mesh);
  if (c.cell_methods.length > 0) {
    const methods = c.cell_methods.map(cellMethod);
    block.add(methods);
    o.cell_methods = methods;
  }
  const section = <T>(key: string, items: Record<string, T>, f: (x: T, key: string) => Obj) => {
    const entries = Object.entries(items);
    if (entries.length === 0) return;
    const m: Obj = {};
    for (const [k, v] of entries) m[k] = f(v, k);
    o[key] = blockMap(block, m);
  };
  section('dim_coords', c.dim_coords, (x) => coord(x, true, version));
  section('aux_coords', c.aux_coords, (x) => coord(x, false, version));
  section('derived_coords', c.derived_coords, (x) => derived(x, version));
  section('cell_measures', c.cell_measures, (x) => cellMeasure(x, version));
  section('ancillary_variables', c.ancillary_variables, (x) => ancillary(x, version));
  if (Object.keys(c.attributes).length > 0) o.attributes = blockMap(block, attributes(c.attributes, version));
  if (Object.keys(c.global_attributes).length > 0) o.global_attributes = blockMap(block, attributes(c.global_attributes, version));
  return o;
}

function cellMethod(m: CellMethod): Obj {
  const o: Obj = { method: m.method };
  if (m.coords.length > 0) o.coords = [...m.coords];
  if (m.intervals.length > 0) o.intervals = [...m.intervals];
  if (m.comments.length > 0) o.comments = [...m.comments];
  return o;
}

function coord(c: Coord, isDim: boolean, version: FormatVersion): Obj {
  const o: Obj = {};
  names(c, o);
  units(c.units, o, c.calendar);
  const dtype = c.points.dtype;
  if (dtype !== 'float64') o.dtype = dtype;
  if (!isDim && c.dims.length > 0) o.dims = [...c.dims];
  o.points = arrayData(c.points, dtype, { scalarOk: !isDim });
  if (c.bounds) o.bounds = arrayData(c.bounds, dtype, { edgesOk: version !== 1 && c.points.shape.length === 1 }, true);
  if (c.coord_system !== undefined) o.coord_system = c.coord_system;
  if (c.climatological) o.climatological = true;
  if (c.circular) o.circular = true;
  if (Object.keys(c.attributes).length > 0) o.attributes = attributes(c.attributes, version);
  return o;
}

function derived(d: DerivedCoord, version: FormatVersion): Obj {
  const o: Obj = {};
  names(d, o);
  units(d.units, o);
  o.formula = d.formula;
  o.terms = { ...d.terms };
  if (d.coord_system !== undefined) o.coord_system = d.coord_system;
  if (Object.keys(d.attributes).length > 0) o.attributes = attributes(d.attributes, version);
  return o;
}

function cellMeasure(m: CellMeasure, version: FormatVersion): Obj {
  const o: Obj = {};
  names(m, o);
  o.measure = m.measure;
  units(m.units, o);
  if (m.data.dtype !== 'float64') o.dtype = m.data.dtype;
  if (m.dims.length > 0) o.dims = [...m.dims];
  o.data = arrayData(m.data, m.data.dtype);
  if (Object.keys(m.attributes).length > 0) o.attributes = attributes(m.attributes, version);
  return o;
}

function ancillary(a: AncillaryVariable, version: FormatVersion): Obj {
  const o: Obj = {};
  names(a, o);
  units(a.units, o);
  if (a.data.dtype !== 'float64') o.dtype = a.data.dtype;
  if (a.dims.length > 0) o.dims = [...a.dims];
  o.data = arrayData(a.data, a.data.dtype);
  if (Object.keys(a.attributes).length > 0) o.attributes = attributes(a.attributes, version);
  return o;
}

/**
 * An array value. Values held in the model (inline or regular) are written in the form their values call for,
 * whatever form the model holds them in, so a value list has one canonical text. `writeShape` is set where a reader
 * could not infer a reference's shape from context (bounds, parts of a concatenation).
 */
export function arrayData(a: ArrayData, dtype: Dtype, options: EncodeOptions = {}, writeShape = false): EmitValue {
  switch (a.kind) {
    case 'inline': {
      // Every cube of a model run holds the same level heights (one array, when read from a file): encode once.
      // Kept from the second time an array is written (most are written once), with a copy that says whether the
      // values changed in place since (comparing is cheap; writing is not).
      if (a.values.length <= 10) return encodeValues(dtype, a.shape, a.values, options) as EmitValue;
      const key = `${dtype}:${a.shape.join(',')}:${options.scalarOk === true}:${options.edgesOk === true}`;
      let cached = encodedValues.get(a.values);
      if (cached && !sameValues(cached.copy, a.values)) cached = undefined;
      const known = cached?.byKey.get(key);
      if (known) return known;
      const encoded = encodeValues(dtype, a.shape, a.values, options) as EmitValue;
      if (!cached) {
        if (seenValues.has(a.values)) encodedValues.set(a.values, (cached = { copy: a.values.slice(), byKey: new Map() }));
        else seenValues.add(a.values);
      }
      cached?.byKey.set(key, encoded);
      return encoded;
    }
    case 'regular': {
      const key = `${dtype}:${a.shape.join(',')}:${a.start.join(',')}:${a.step}:${options.edgesOk === true}`;
      const known = encodedRegular.get(key);
      if (known) return known;
      const encoded = encodeValues(dtype, a.shape, regularValues(a), options) as EmitValue;
      if (encodedRegular.size >= 1024) encodedRegular.clear();
      encodedRegular.set(key, encoded);
      return encoded;
    }
    case 'source':
      return sourceRef(a, writeShape);
    case 'combined':
      return {
        combine: a.mode,
        axis: new Literal(String(a.axis)),
        parts: a.parts.map((p) => {
          if (p.kind !== 'source') throw new TypeError('combined arrays hold source references only');
          return sourceRef(p, a.mode === 'concat');
        }),
      };
  }
}

/** Canonical forms already worked out: by the values (and how they are used), and by a regular array's rule. */
const encodedValues = new WeakMap<object, { copy: ArrayValues; byKey: Map<string, EmitValue> }>();
const seenValues = new WeakSet<object>();
const encodedRegular = new Map<string, EmitValue>();

function sourceRef(s: SourceArray, writeShape: boolean): Obj {
  const o: Obj = { source: new Literal(String(s.source)), format: s.format, variable: s.variable };
  if (writeShape) o.shape = s.shape.map((n) => new Literal(String(n)));
  if (s.chunks) o.chunks = s.chunks.map((n) => new Literal(String(n)));
  const stored: Dtype = s.stored_dtype ?? s.dtype;
  if (s.stored_dtype !== undefined) o.stored_dtype = s.stored_dtype;
  if (s.scale_factor !== undefined) o.scale_factor = float(s.scale_factor);
  if (s.add_offset !== undefined) o.add_offset = float(s.add_offset);
  const storedValue = (x: number) => (stored === 'string' ? float(x) : formatValue(stored, isBigDtype(stored) ? BigInt(x) : x));
  if (s.fill_value !== undefined) o.fill_value = storedValue(s.fill_value);
  if (s.missing_value !== undefined) o.missing_value = s.missing_value.map(storedValue);
  if (s.valid_min !== undefined) o.valid_min = storedValue(s.valid_min);
  if (s.valid_max !== undefined) o.valid_max = storedValue(s.valid_max);
  if (s.options !== undefined && Object.keys(s.options).length > 0) o.options = json(s.options);
  return o;
}

function json(v: JsonValue): EmitValue {
  if (v === null || typeof v !== 'object') return typeof v === 'number' ? new Literal(formatJsonNumber(v)) : v;
  if (Array.isArray(v)) return v.map(json);
  const o: Obj = {};
  for (const [k, x] of Object.entries(v)) o[k] = json(x);
  return o;
}

/** Integers plainly while exact; beyond 2^53 (or with a fraction) as a float, which every reader takes. */
function formatJsonNumber(x: number): string {
  return Number.isSafeInteger(x) ? String(x) : formatFloat64(x);
}

export function attributes(attrs: Attributes, version: FormatVersion = 1.1): Obj {
  const o: Obj = {};
  for (const k of Object.keys(attrs).sort()) o[k] = attributeValue(attrs[k]!, version);
  return o;
}

/**
 * Strings and lists of strings as they are. Numbers plainly when the plain form reads back with the same dtype,
 * else `{dtype, value}`. The plain form's dtype (spec §7): in format 1.1, float64 for numbers written with a
 * fraction or exponent (which is how float64 values are written: `1.0`), else int32, or int64 beyond int32; in
 * format 1, by value alone (`1.0` is int32).
 */
function attributeValue(v: AttributeValue, version: FormatVersion): EmitValue {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return [...v];
  const a = v as NumericAttribute;
  const items = Array.from(a.values as ArrayLike<number | bigint>, (x) => formatValue(a.dtype, x));
  const value: EmitValue = items.length === 1 ? items[0]! : items;
  const plain = version !== 1 && a.dtype === 'float64' && items.length > 0 ? 'float64' : inferAttributeDtype(Array.from(a.values as ArrayLike<number | bigint>));
  if (plain === a.dtype) return value;
  return { dtype: a.dtype, value };
}

