import { formatValue } from '../arrays/encode.js';
import { regularValues } from '../arrays/regular.js';
import { nameOf } from '../model/names.js';
import type { ArrayData, ArrayValues, AttributeValue, Attributes, CellMethod, Coord, CubeMeta, Publication } from '../model/types.js';
import type { Change } from './change.js';
import { diffCubeMesh, diffMeshes } from './mesh.js';
import { same, valuesOf } from './same.js';

/**
 * What changed between two publications, in terms a reviewer cares about: cubes added or removed; units,
 * dtype, dimensions, attributes, cell methods, coordinates and data references of the cubes in both. Cubes are
 * matched by var_name, else by name and position among same-named cubes.
 */
export function diffPublications(a: Publication, b: Publication): Change[] {
  const out: Change[] = [];
  const top = (field: string, x: unknown, y: unknown) => {
    if (!same(x, y)) out.push({ where: 'publication', what: `${field} ${show(x)} → ${show(y)}` });
  };
  top('format version', a.cubemark, b.cubemark);
  top('name', a.name, b.name);
  top('title', a.title, b.title);
  top('created', a.created, b.created);
  top('modified', a.modified, b.modified);
  diffRecords(out, 'publication', 'provenance', a.provenance, b.provenance);
  const sa = a.sources.map((s) => s.uri);
  const sb = b.sources.map((s) => s.uri);
  for (const u of sb.filter((u) => !sa.includes(u))) out.push({ where: 'publication', what: `source ${u} added` });
  for (const u of sa.filter((u) => !sb.includes(u))) out.push({ where: 'publication', what: `source ${u} removed` });
  for (const s of b.sources) {
    const old = a.sources.find((x) => x.uri === s.uri);
    if (!old) continue;
    for (const f of ['size', 'mtime', 'etag'] as const) {
      if (old[f] !== s[f]) out.push({ where: `source ${s.uri}`, what: `${f} ${show(old[f])} → ${show(s[f])}` });
    }
  }
  for (const k of union(Object.keys(a.coord_systems), Object.keys(b.coord_systems))) {
    const x = a.coord_systems[k];
    const y = b.coord_systems[k];
    if (!x) out.push({ where: `coord system ${k}`, what: `added (${y!.kind})` });
    else if (!y) out.push({ where: `coord system ${k}`, what: 'removed' });
    else if (!same(x, y)) out.push({ where: `coord system ${k}`, what: describeObjectChange(x as object, y as object) });
  }

  diffMeshes(out, a.meshes, b.meshes);

  const { pairs, added, removed } = matchCubes(a.cubes, b.cubes);
  for (const c of removed) out.push({ where: `cube ${label(c)}`, what: 'removed' });
  for (const c of added) out.push({ where: `cube ${label(c)}`, what: `added (${c.dims.map((d, i) => `${d}: ${c.shape[i]}`).join('; ')})` });
  for (const [x, y] of pairs) diffCube(out, x, y);
  return out;
}

function label(c: CubeMeta): string {
  const n = nameOf(c);
  return c.var_name && c.var_name !== n ? `${n} (${c.var_name})` : n;
}

function matchCubes(a: CubeMeta[], b: CubeMeta[]): { pairs: [CubeMeta, CubeMeta][]; added: CubeMeta[]; removed: CubeMeta[] } {
  const key = (c: CubeMeta, list: CubeMeta[]) => {
    if (c.var_name !== undefined) return `v:${c.var_name}`;
    const n = nameOf(c);
    return `n:${n}#${list.filter((x) => x.var_name === undefined && nameOf(x) === n).indexOf(c)}`;
  };
  const bByKey = new Map(b.map((c) => [key(c, b), c]));
  const pairs: [CubeMeta, CubeMeta][] = [];
  const removed: CubeMeta[] = [];
  const matched = new Set<CubeMeta>();
  for (const c of a) {
    const other = bByKey.get(key(c, a));
    if (other) {
      pairs.push([c, other]);
      matched.add(other);
    } else {
      removed.push(c);
    }
  }
  return { pairs, added: b.filter((c) => !matched.has(c)), removed };
}

function diffCube(out: Change[], x: CubeMeta, y: CubeMeta): void {
  const where = `cube ${label(y)}`;
  const field = (name: string, p: unknown, q: unknown) => {
    if (!same(p, q)) out.push({ where, what: `${name} ${show(p)} → ${show(q)}` });
  };
  field('standard_name', x.standard_name, y.standard_name);
  field('long_name', x.long_name, y.long_name);
  field('units', x.units, y.units);
  field('calendar', x.calendar, y.calendar);
  field('dtype', x.dtype, y.dtype);
  const shape = (c: CubeMeta) => `(${c.dims.map((d, i) => `${d}: ${c.shape[i]}`).join('; ')})`;
  if (!same(x.dims, y.dims) || !same(x.shape, y.shape)) out.push({ where, what: `shape ${shape(x)} → ${shape(y)}` });
  diffCubeMesh(out, where, x.mesh, y.mesh);
  diffRecords(out, where, 'attribute', x.attributes, y.attributes);
  diffRecords(out, where, 'global attribute', x.global_attributes, y.global_attributes);
  if (!same(x.cell_methods, y.cell_methods)) {
    out.push({ where, what: `cell methods ${x.cell_methods.map(cellMethod).join(', ') || '(none)'} → ${y.cell_methods.map(cellMethod).join(', ') || '(none)'}` });
  }
  for (const section of ['dim_coords', 'aux_coords'] as const) {
    const kind = section === 'dim_coords' ? 'dimension coord' : 'coord';
    for (const k of union(Object.keys(x[section]), Object.keys(y[section]))) {
      const p = x[section][k];
      const q = y[section][k];
      if (!p) out.push({ where, what: `${kind} ${k} added` });
      else if (!q) out.push({ where, what: `${kind} ${k} removed` });
      else diffCoord(out, `${where} / ${kind} ${k}`, p, q);
    }
  }
  for (const k of union(Object.keys(x.derived_coords), Object.keys(y.derived_coords))) {
    const p = x.derived_coords[k];
    const q = y.derived_coords[k];
    if (!p) out.push({ where, what: `derived coord ${k} added` });
    else if (!q) out.push({ where, what: `derived coord ${k} removed` });
    else if (!same(p, q)) out.push({ where: `${where} / derived coord ${k}`, what: describeObjectChange(p, q) });
  }
  for (const section of ['cell_measures', 'ancillary_variables'] as const) {
    const kind = section === 'cell_measures' ? 'cell measure' : 'ancillary variable';
    for (const k of union(Object.keys(x[section]), Object.keys(y[section]))) {
      const p = x[section][k];
      const q = y[section][k];
      if (!p) out.push({ where, what: `${kind} ${k} added` });
      else if (!q) out.push({ where, what: `${kind} ${k} removed` });
      else if (!same(p, q)) {
        const at = `${where} / ${kind} ${k}`;
        const { data: dp, attributes: ap, ...rp } = p;
        const { data: dq, attributes: aq, ...rq } = q;
        if (!same(rp, rq)) out.push({ where: at, what: describeObjectChange(rp, rq) });
        diffArray(out, at, 'data', dp, dq);
        diffRecords(out, at, 'attribute', ap, aq);
      }
    }
  }
  diffArray(out, where, 'data', x.data, y.data);
}

function diffCoord(out: Change[], where: string, p: Coord, q: Coord): void {
  for (const f of ['standard_name', 'long_name', 'var_name', 'units', 'calendar', 'coord_system', 'climatological', 'circular'] as const) {
    if (!same(p[f], q[f])) out.push({ where, what: `${f} ${show(p[f])} → ${show(q[f])}` });
  }
  if (!same(p.dims, q.dims)) out.push({ where, what: `dims [${p.dims.join(', ')}] → [${q.dims.join(', ')}]` });
  diffArray(out, where, 'points', p.points, q.points);
  diffArray(out, where, 'bounds', p.bounds, q.bounds);
  diffRecords(out, where, 'attribute', p.attributes, q.attributes);
}

function diffRecords(out: Change[], where: string, kind: string, a: Record<string, unknown>, b: Record<string, unknown>): void {
  for (const k of union(Object.keys(a), Object.keys(b))) {
    if (!(k in a)) out.push({ where, what: `${kind} ${k} added: ${show(b[k])}` });
    else if (!(k in b)) out.push({ where, what: `${kind} ${k} removed (was ${show(a[k])})` });
    else if (!same(a[k], b[k])) out.push({ where, what: `${kind} ${k} ${show(a[k])} → ${show(b[k])}` });
  }
}

function cellMethod(m: CellMethod): string {
  const extra = [...m.intervals.map((i) => `interval: ${i}`), ...m.comments.map((c) => `comment: ${c}`)].join(' ');
  return `${m.coords.map((c) => `${c}: `).join('')}${m.method}${extra ? ` (${extra})` : ''}`;
}

function describeData(d: ArrayData): string {
  switch (d.kind) {
    case 'source':
      return `${d.format}:${d.variable} from source ${d.source} [${d.shape.join(', ')}]`;
    case 'combined':
      return `${d.mode} of ${d.parts.length} parts [${d.shape.join(', ')}]`;
    case 'regular':
    case 'inline': {
      const values = d.kind === 'regular' ? regularValues(d) : d.values;
      const n = values.length;
      const v = (i: number) => String(values[i]);
      const span = n === 0 ? '' : n === 1 ? ` ${v(0)}` : n <= 4 ? ` ${Array.from({ length: n }, (_, i) => v(i)).join(', ')}` : ` ${v(0)} … ${v(n - 1)}`;
      return `${n} ${d.dtype} value${n === 1 ? '' : 's'}${span}`;
    }
  }
}

/** Changes of one value listed one to a line up to this many; more are summarised on one line. */
const LISTED_VALUES = 5;

/**
 * An array that changed: when both hold values of the same dtype and shape, the indexes that changed with their old
 * and new values (`points[1234]: 47.1 → 47.2`), summarised when many did; otherwise what each is.
 */
function diffArray(out: Change[], where: string, field: string, p: ArrayData | undefined, q: ArrayData | undefined): void {
  if (same(p, q)) return;
  const pv = p && valuesOf(p);
  const qv = q && valuesOf(q);
  if (!p || !q || !pv || !qv || p.dtype !== q.dtype || p.shape.join() !== q.shape.join()) {
    out.push({ where, what: `${field} ${p ? describeData(p) : '(none)'} → ${q ? describeData(q) : '(none)'}` });
    return;
  }
  const changed: number[] = [];
  for (let i = 0; i < pv.length; i++) if (!Object.is(pv[i], qv[i])) changed.push(i);
  const text = (v: ArrayValues, i: number) => formatValue(p.dtype, v[i]!).text;
  const one = (i: number) => `${field}[${indexText(i, p.shape)}]: ${text(pv, i)} → ${text(qv, i)}`;
  if (changed.length <= LISTED_VALUES) {
    for (const i of changed) out.push({ where, what: one(i) });
    return;
  }
  const shown = changed.slice(0, 3).map(one).join(', ');
  out.push({ where, what: `${field}: ${changed.length} of ${pv.length} values changed: ${shown}, … (${changed.length - 3} more)` });
}

/** A flat (row-major) index as the index of each axis: `1234`, or `12, 1` for bounds. */
function indexText(flat: number, shape: readonly number[]): string {
  if (shape.length <= 1) return String(flat);
  const idx: number[] = [];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const n = shape[axis]! || 1;
    idx.unshift(flat % n);
    flat = Math.floor(flat / n);
  }
  return idx.join(', ');
}

function describeObjectChange(a: object, b: object): string {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of union(Object.keys(ra), Object.keys(rb))) {
    if (!same(ra[k], rb[k])) parts.push(`${k} ${show(ra[k])} → ${show(rb[k])}`);
  }
  return parts.join('; ');
}

function show(v: unknown): string {
  if (v === undefined) return '(none)';
  if (typeof v === 'string') return v;
  if (isNumeric(v)) return attributeText(v);
  if (ArrayBuffer.isView(v)) return `[${Array.from(v as unknown as ArrayLike<unknown>).join(', ')}]`;
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : ArrayBuffer.isView(x) ? Array.from(x as unknown as ArrayLike<unknown>, String) : x));
}

function isNumeric(v: unknown): v is Exclude<AttributeValue, string | string[]> {
  return typeof v === 'object' && v !== null && 'dtype' in v && 'values' in v && !('kind' in v);
}

function attributeText(v: Exclude<AttributeValue, string | string[]>): string {
  const items = Array.from(v.values as ArrayLike<number | bigint>, String);
  const body = items.length === 1 ? items[0]! : `[${items.join(', ')}]`;
  return v.dtype === 'float64' || v.dtype === 'int32' ? body : `${body} (${v.dtype})`;
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}
