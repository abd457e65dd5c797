import type {
  AncillaryVariable,
  CellMeasure,
  CellMethod,
  Coord,
  CoordSystem,
  CubeMeta,
  DerivedCoord,
  FormatVersion,
  Publication,
} from '../model/types.js';
import { type EmitValue, emitYaml } from '../yaml/emit.js';
import { Literal } from '../yaml/literal.js';
import { cubeMesh, meshes } from './mesh.js';
import { arrayData, attributes, float, formatJsonNumber, names, units, type Obj } from './values.js';

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
  section('cell_measures', c.cell_measures, (x) => dataItem(x, version));
  section('ancillary_variables', c.ancillary_variables, (x) => dataItem(x, version));
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

/** A cell measure (its `measure` after the names) or an ancillary variable: an item holding data of its own. */
function dataItem(x: CellMeasure | AncillaryVariable, version: FormatVersion): Obj {
  const o: Obj = {};
  names(x, o);
  if ('measure' in x) o.measure = x.measure;
  units(x.units, o);
  if (x.data.dtype !== 'float64') o.dtype = x.data.dtype;
  if (x.dims.length > 0) o.dims = [...x.dims];
  o.data = arrayData(x.data, x.data.dtype);
  if (Object.keys(x.attributes).length > 0) o.attributes = attributes(x.attributes, version);
  return o;
}
