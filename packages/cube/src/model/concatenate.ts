import { CombinedLazyArray } from '../lazy/combined.js';
import type { AncillaryVariable } from './ancillary.js';
import { combineDescriptions } from './array-data.js';
import { attributeDifferences } from './attributes.js';
import type { Coord } from './coords.js';
import { Cube } from './cube.js';
import { DescribedArray } from './described-array.js';
import { ConcatenateError } from './errors.js';
import { sameNames } from './names.js';
import type { Spanning } from './parts.js';
import { keyed, type KeyedItem } from './signature.js';

/**
 * Iris's concatenate (`iris._concatenate`): cubes alike in everything but the values of one dimension coordinate
 * join along that dimension, in order, provided their ranges do not overlap. Data becomes a lazy concatenation.
 */

export interface ConcatenateOptions {
  /** Require auxiliary coordinates not on the joined dimension to be equal (default: true, as Iris). */
  checkAuxCoords?: boolean;
  /** Same for cell measures (default: true). */
  checkCellMeasures?: boolean;
  /** Same for ancillary variables (default: true). */
  checkAncils?: boolean;
}

/** Points and, per bounds column, the range of a dimension coordinate, in the direction it runs. */
interface Extent {
  points: [number, number];
  bounds?: [number, number][];
}

function metadataText(cube: Cube, fields: readonly string[]): string {
  const out: string[] = [];
  for (const f of fields) {
    if (f === 'attributes') out.push(`attributes=${JSON.stringify(cube.attributes.toRecord(), (_, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>, String) : typeof v === 'bigint' ? String(v) : v))}`);
    else if (f === 'cell_methods') out.push(`cell_methods=(${cube.cellMethods.map(String).join(', ')})`);
    else out.push(`${f}=${JSON.stringify((cube as unknown as Record<string, unknown>)[toCamel(f)] ?? null)}`);
  }
  return out.join(', ');
}

function toCamel(s: string): string {
  return s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Names of the items on each side, sorted, and whether any item differs in `same`. */
function listDifference<T extends { name(): string }>(
  where: string,
  a: readonly KeyedItem<T>[],
  b: readonly KeyedItem<T>[],
  same: (x: KeyedItem<T>, y: KeyedItem<T>) => boolean,
  reason = 'metadata',
): string | undefined {
  const names = (xs: readonly KeyedItem<T>[]) => xs.map((x) => x.item.name()).sort();
  const na = names(a);
  const nb = names(b);
  const byKey = new Map(b.map((e) => [e.key, e]));
  const namesDiffer = na.join('\0') !== nb.join('\0') || a.some((x) => !byKey.has(x.key));
  if (!namesDiffer && a.every((x) => same(x, byKey.get(x.key)!))) return undefined;
  return `${where} ${namesDiffer ? 'names' : reason} differ: ${na.join(', ')} != ${nb.join(', ')}`;
}

const coordMeta = (x: KeyedItem<Coord>, y: KeyedItem<Coord>): boolean =>
  x.item.metadataEquals(y.item) && x.item.dtype === y.item.dtype && x.item.nbounds === y.item.nbounds && x.dims.join('\0') === y.dims.join('\0');
const variableMeta = (x: KeyedItem<AncillaryVariable>, y: KeyedItem<AncillaryVariable>): boolean =>
  x.item.metadataEquals(y.item) && x.dims.join('\0') === y.dims.join('\0');

/** Iris's concatenate `_CubeSignature.match`, with its wording: what must agree whatever the axis. */
async function signatureDifferences(a: Cube, b: Cube): Promise<string[]> {
  const msgs: string[] = [];
  const fields: string[] = [];
  if (!sameNames(a, b)) fields.push('standard_name', 'long_name', 'var_name');
  if (a.units !== b.units) fields.push('units');
  if (a.calendar !== b.calendar) fields.push('calendar');
  const attrs = attributeDifferences(a.attributes.toRecord(), b.attributes.toRecord());
  if (attrs.keys.length > 0 || attrs.values.length > 0) fields.push('attributes');
  if (a.cellMethods.length !== b.cellMethods.length || a.cellMethods.some((m, i) => !m.equals(b.cellMethods[i]))) fields.push('cell_methods');
  if (fields.length > 0) msgs.push(`Cube metadata differ: ${metadataText(a, fields)} != ${metadataText(b, fields)}`);

  const pa = a.parts();
  const pb = b.parts();
  const dims = (p: typeof pa) => [...p.dimCoords].map(([key, item]) => ({ key, item: item as Coord, dims: [key] }));
  const aux = (p: typeof pa, scalar: boolean) => keyed(p.auxCoords).filter((e) => (e.dims.length === 0) === scalar);
  const push = (m: string | undefined) => m && msgs.push(m);
  push(listDifference('Dimension coordinates', dims(pa), dims(pb), coordMeta));
  push(listDifference('Auxiliary coordinates', aux(pa, false), aux(pb, false), coordMeta));
  const scalarsA = aux(pa, true);
  const scalarsB = aux(pb, true);
  const byKey = new Map(scalarsB.map((e) => [e.key, e]));
  const scalarValuesDiffer = (
    await Promise.all(scalarsA.map(async (x) => byKey.has(x.key) && coordMeta(x, byKey.get(x.key)!) && !(await x.item.equals(byKey.get(x.key)!.item))))
  ).some(Boolean);
  push(listDifference('Scalar coordinates', scalarsA, scalarsB, (x, y) => coordMeta(x, y) && !scalarValuesDiffer, 'values or metadata'));
  if (a.ndim !== b.ndim || a.dims.join('\0') !== b.dims.join('\0')) msgs.push(`Data dimensions differ: ${a.ndim} != ${b.ndim} (${a.dims.join(', ')} != ${b.dims.join(', ')})`);
  if (a.dtype !== b.dtype) msgs.push(`Data types differ: ${a.dtype} != ${b.dtype}`);
  const factories = (p: typeof pa) => [...p.factories].map(([key, item]) => ({ key, item, dims: [] as string[] }));
  push(listDifference('Derived coordinates', factories(pa), factories(pb), (x, y) => x.item.metadataEquals(y.item)));
  push(listDifference('Cell measures', keyed(pa.cellMeasures), keyed(pb.cellMeasures), variableMeta));
  push(listDifference('Ancillary variables', keyed(pa.ancillaryVariables), keyed(pb.ancillaryVariables), variableMeta));
  return msgs;
}

async function extentOf(coord: Coord): Promise<Extent> {
  const points = Array.from((await coord.points.values()).values as ArrayLike<number | bigint>, Number);
  const extent: Extent = { points: [Math.min(...points), Math.max(...points)] };
  if (coord.bounds) {
    const b = Array.from((await coord.bounds.values()).values as ArrayLike<number | bigint>, Number);
    const nb = coord.nbounds;
    extent.bounds = Array.from({ length: nb }, (_, j) => {
      const column = b.filter((_, i) => i % nb === j);
      return [Math.min(...column), Math.max(...column)] as [number, number];
    });
  }
  return extent;
}

/** The direction a coordinate runs; `undefined` for a single point, which fits either (Iris calls it increasing). */
async function decreasing(coord: Coord): Promise<boolean | undefined> {
  const v = (await coord.points.values()).values;
  return v.length > 1 ? Number(v[1]) < Number(v[0]) : undefined;
}

class ConcatProto {
  private axis?: string;
  /** Direction along the axis, once a cube with two or more points on it says. */
  private down?: boolean;
  private readonly skeletons: { cube: Cube; extent?: Extent }[] = [];

  constructor(
    readonly source: Cube,
    private readonly options: ConcatenateOptions,
  ) {
    this.skeletons.push({ cube: source });
  }

  /** Add `cube` if it joins this one; with `errorOnMismatch`, a `ConcatenateError` saying why it does not. */
  async register(cube: Cube, errorOnMismatch: boolean): Promise<boolean> {
    const fail = (msgs: string[]): boolean => {
      if (errorOnMismatch) throw new ConcatenateError(msgs);
      return false;
    };
    const msgs = await signatureDifferences(this.source, cube);
    if (msgs.length > 0) return fail(msgs);

    // The one dimension whose coordinate differs is the candidate; anything else cannot be joined.
    const differing: string[] = [];
    for (const [i, dim] of this.source.dims.entries()) {
      const a = this.source.dimCoord(dim);
      const b = cube.dimCoord(dim);
      if (a && b ? !(await a.equals(b)) : this.source.shape[i] !== cube.shape[i]) differing.push(dim);
    }
    const axis = differing.length === 1 && this.source.dimCoord(differing[0]) ? differing[0] : undefined;
    if (axis === undefined || (this.axis !== undefined && axis !== this.axis)) {
      return fail([`Cannot find an axis to concatenate over for phenomenon \`${this.source.name()}\``]);
    }
    const a = this.source.dimCoord(axis)!;
    const b = cube.dimCoord(axis)!;
    const known = this.down ?? (await decreasing(a));
    const theirs = await decreasing(b);
    if (known !== undefined && theirs !== undefined && known !== theirs) {
      return fail([`Dimension coordinates differ in direction on concatenate axis ${this.source.axisOf(axis)} ('${a.name()}')`]);
    }
    const down = known ?? theirs;
    this.skeletons[0].extent ??= await extentOf(a);
    const extent = await extentOf(b);
    if (!this.sequence([...this.skeletons.map((s) => s.extent!), extent], down ?? false)) {
      return fail([`Found cubes with overlap on concatenate axis ${this.source.axisOf(axis)}, cannot concatenate overlapping cubes`]);
    }

    const off = async <T extends { name(): string; equals(o: T): Promise<boolean> }>(
      x: ReadonlyMap<string, Spanning<T>>,
      y: ReadonlyMap<string, Spanning<T>>,
    ): Promise<string[]> => {
      const names: string[] = [];
      for (const [key, e] of x) if (!e.dims.includes(axis) && !(await e.item.equals(y.get(key)!.item))) names.push(e.item.name());
      return names.sort();
    };
    const pa = this.source.parts();
    const pb = cube.parts();
    const valueMsgs: string[] = [];
    const vector = (m: typeof pa.auxCoords) => new Map([...m].filter(([, e]) => e.dims.length > 0));
    if (this.options.checkAuxCoords ?? true) {
      const names = await off(vector(pa.auxCoords), vector(pb.auxCoords));
      if (names.length > 0) valueMsgs.push(`Auxiliary coordinates values differ: ${names.join(', ')}`);
    }
    if (this.options.checkCellMeasures ?? true) {
      const names = await off(pa.cellMeasures, pb.cellMeasures);
      if (names.length > 0) valueMsgs.push(`Cell measures values differ: ${names.join(', ')}`);
    }
    if (this.options.checkAncils ?? true) {
      const names = await off(pa.ancillaryVariables, pb.ancillaryVariables);
      if (names.length > 0) valueMsgs.push(`Ancillary variables values differ: ${names.join(', ')}`);
    }
    if (valueMsgs.length > 0) return fail(valueMsgs);

    this.skeletons.push({ cube, extent });
    this.axis = axis;
    this.down = down;
    return true;
  }

  /** Iris's `_sequence`: sorted in the coordinate's direction, neighbours must not overlap. */
  private sequence(extents: Extent[], down: boolean): boolean {
    const sorted = [...extents].sort((x, y) => (down ? y.points[0] - x.points[0] : x.points[0] - y.points[0]));
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1];
      const next = sorted[i];
      // Strictly monotonic points: each cube starts beyond where the previous one ends.
      if (down ? prev.points[0] <= next.points[1] : prev.points[1] >= next.points[0]) return false;
      if (prev.bounds && next.bounds) {
        for (let j = 0; j < prev.bounds.length; j++) {
          const l = down ? prev.bounds[j][0] : prev.bounds[j][1];
          const r = down ? next.bounds[j][1] : next.bounds[j][0];
          if (down ? l < r : l > r) return false;
        }
      }
    }
    return true;
  }

  async concatenate(): Promise<Cube> {
    if (this.skeletons.length === 1 || this.axis === undefined) return this.source;
    const axis = this.axis;
    const down = this.down ?? false;
    const ordered = [...this.skeletons].sort((x, y) => (down ? y.extent!.points[0] - x.extent!.points[0] : x.extent!.points[0] - y.extent!.points[0]));
    const all = ordered.map((s) => s.cube.parts());
    const first = all[0];
    const joinOn = <T>(get: (p: typeof first) => ReadonlyMap<string, Spanning<T>>, join: (items: T[], at: number) => T) => {
      const out = new Map<string, Spanning<T>>();
      for (const [key, e] of get(first)) {
        const at = e.dims.indexOf(axis);
        out.set(key, at < 0 ? e : { item: join(all.map((p) => get(p).get(key)!.item), at), dims: e.dims });
      }
      return out;
    };
    const joinCoords = <C extends Coord>(coords: C[], at: number): C =>
      coords[0].copy({
        points: concatArrays(coords.map((c) => c.points), at, true),
        bounds: coords[0].bounds && concatArrays(coords.map((c) => c.bounds!), at, true),
      });
    const dimCoords = new Map(first.dimCoords);
    dimCoords.set(axis, joinCoords(all.map((p) => p.dimCoords.get(axis)!), 0));
    return Cube.assemble({
      ...first,
      data: concatArrays(all.map((p) => p.data), this.source.axisOf(axis), false),
      dimCoords,
      auxCoords: joinOn((p) => p.auxCoords, joinCoords),
      cellMeasures: joinOn((p) => p.cellMeasures, (items, at) => items[0].copy({ data: concatArrays(items.map((m) => m.data), at, true) })),
      ancillaryVariables: joinOn((p) => p.ancillaryVariables, (items, at) => items[0].copy({ data: concatArrays(items.map((v) => v.data), at, true) })),
    });
  }
}

/** Parts joined along `axis`, lazily; with `inline`, inline parts make one inline array (for coordinates). */
export function concatArrays(parts: readonly DescribedArray[], axis: number, inline: boolean): DescribedArray {
  const lazy = new CombinedLazyArray(parts.map((p) => p.lazy), 'concat', axis);
  return new DescribedArray(lazy, () =>
    combineDescriptions(parts.map((p) => p.description()), 'concat', axis, lazy.dtype, lazy.shape, { inline }),
  );
}

async function registerAll(cubes: readonly Cube[], options: ConcatenateOptions, errorOnMismatch: boolean): Promise<ConcatProto[]> {
  const protos: ConcatProto[] = [];
  for (const cube of cubes) {
    let placed = false;
    for (const proto of protos) {
      if (await proto.register(cube, errorOnMismatch && proto === protos[0])) {
        placed = true;
        break;
      }
    }
    if (!placed) protos.push(new ConcatProto(cube, options));
  }
  return protos;
}

/** Iris's `CubeList.concatenate`: as few cubes as concatenation allows (cubes that do not join stay apart). */
export async function concatenateCubes(cubes: readonly Cube[], options: ConcatenateOptions = {}): Promise<Cube[]> {
  const protos = await registerAll(cubes, options, false);
  return Promise.all(protos.map((p) => p.concatenate()));
}

/** Iris's `CubeList.concatenate_cube`: exactly one cube, or a `ConcatenateError` saying why not. */
export async function concatenateCube(cubes: readonly Cube[], options: ConcatenateOptions = {}): Promise<Cube> {
  if (cubes.length === 0) throw new ConcatenateError(["can't concatenate an empty CubeList"]);
  const names = [...new Set(cubes.map((c) => c.name()))];
  if (names.length > 1) throw new ConcatenateError([`Cube names differ: ${names[0]} != ${names[1]}`]);
  const protos = await registerAll(cubes, options, true);
  if (protos.length !== 1) {
    throw new ConcatenateError(['An unexpected problem prevented concatenation.', `Expected only a single cube, found ${protos.length}.`]);
  }
  return protos[0].concatenate();
}
