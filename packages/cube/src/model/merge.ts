import { allocate, formatCfDate, isNumericDtype, isTimeReference, timeCoder, type Dtype } from '@cubemark/format';
import { CombinedLazyArray } from '../lazy/combined.js';
import { combineDescriptions } from './array-data.js';
import { AuxCoord, DimCoord, type Cell, type CellValue, type Coord } from './coords.js';
import { Cube } from './cube.js';
import { DescribedArray } from './described-array.js';
import { valueKey } from './equality.js';
import { CubeStructureError, DuplicateDataError, MergeError } from './errors.js';
import type { CubeParts, Spanning } from './parts.js';
import {
  coordMetaEqual,
  coordValuesEqual,
  definitionDifferences,
  factoryMetaEqual,
  itemDifferences,
  keyed,
  shapeText,
  variableMetaEqual,
  variableValuesEqual,
} from './signature.js';

/**
 * Iris's merge (`iris._merge.ProtoCube`): cubes alike in everything but the values of some scalar coordinates
 * become one cube with a new leading dimension per independent varying coordinate. Which coordinates are
 * independent follows Iris: coordinates whose values vary together (one a function of another) share a dimension,
 * the others go on dimensions of their own, and values with no functional relation get an anonymous dimension.
 */

export interface MergeOptions {
  /** Refuse two cubes for the same place in the result (`DuplicateDataError`), as Iris's default (default: true). */
  unique?: boolean;
}

interface Skeleton {
  cube: Cube;
  /** Scalar coordinate key → key of its value (point and bounds). */
  values: Map<string, string>;
}

function cellKey(cell: Cell): string {
  return cell.bound ? `${valueKey(cell.point)}[${cell.bound.map(valueKey).join(',')}]` : valueKey(cell.point);
}

function compareValues(a: CellValue, b: CellValue): number {
  if (typeof a === 'string' || typeof b === 'string') return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  if (x !== x || y !== y) return x !== x ? (y !== y ? 0 : 1) : -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Iris's `guess_coord_axis`, for ordering new dimensions (T, Z, Y, X after the unknown). */
function axisRank(coord: Coord): number {
  const name = coord.standardName;
  if (name === 'longitude' || name === 'grid_longitude' || name === 'projection_x_coordinate') return 4;
  if (name === 'latitude' || name === 'grid_latitude' || name === 'projection_y_coordinate') return 3;
  const positive = coord.attributes.positive;
  if (/^(Pa|hPa|kPa|mbar|millibar|bar|mb|atm)$/.test(coord.units) || positive === 'up' || positive === 'down') return 2;
  if (isTimeReference(coord.units)) return 1;
  return 0;
}

/** Iris's preferred dimension coordinates, most preferred first. */
const HINTS = ['time', 'forecast_reference_time', 'forecast_period', 'model_level_number'];

/**
 * Iris's ordering of scalar coordinates (`_extract_coord_payload`'s `key_func`): numeric before text, DimCoord
 * before AuxCoord, hinted names in hint order, then T, Z, Y, X, then by name. Ties in the space derivation go to
 * the coordinate first in this order (so `time` wins over `forecast_period`).
 */
function preference(a: [string, Coord], b: [string, Coord]): number {
  const key = ([k, c]: [string, Coord]): (number | string)[] => {
    const hint = HINTS.indexOf(c.name());
    const axis = axisRank(c);
    return [isNumericDtype(c.dtype) ? 0 : 1, c instanceof DimCoord ? 0 : 1, hint < 0 ? HINTS.length : hint, axis === 0 ? 5 : axis - 1, c.name(), k];
  };
  const x = key(a);
  const y = key(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

function scalarEntries(parts: CubeParts): [string, Coord][] {
  return [...parts.auxCoords].filter(([, e]) => e.dims.length === 0).map(([k, e]) => [k, e.item] as [string, Coord]).sort(preference);
}

/** Iris's `_CubeSignature.match` then `_CoordSignature.match`: the reasons `b` cannot join a merge with `a`. */
async function mergeDifferences(a: Cube, b: Cube): Promise<string[]> {
  const msgs = definitionDifferences(a, b);
  if (a.shape.join() !== b.shape.join()) msgs.push(`cube.shape differs: ${shapeText(a.shape)} != ${shapeText(b.shape)}`);
  else if (a.dims.join('\0') !== b.dims.join('\0')) msgs.push(`cube.dims differ: (${a.dims.join(', ')}) != (${b.dims.join(', ')})`);
  if (a.dtype !== b.dtype) msgs.push(`cube data dtype differs: ${a.dtype} != ${b.dtype}`);
  const pa = a.parts();
  const pb = b.parts();
  if ((await itemDifferences(keyed(pa.cellMeasures), keyed(pb.cellMeasures), variableMetaEqual, variableValuesEqual)).length > 0) {
    msgs.push('cube.cell_measures differ');
  }
  if ((await itemDifferences(keyed(pa.ancillaryVariables), keyed(pb.ancillaryVariables), variableMetaEqual, variableValuesEqual)).length > 0) {
    msgs.push('cube.ancillary_variables differ');
  }
  if (msgs.length > 0) return msgs;

  const split = (p: CubeParts, scalar: boolean) =>
    keyed(p.auxCoords).filter((e) => (e.dims.length === 0) === scalar);
  const dims = (p: CubeParts) => [...p.dimCoords].map(([key, item]) => ({ key, item: item as Coord, dims: [key] }));
  const factories = (p: CubeParts) => [...p.factories].map(([key, item]) => ({ key, item, dims: [] as string[] }));
  const report = (where: string, names: string[]) => names.length > 0 && msgs.push(`Coordinates in ${where} differ: ${names.join(', ')}.`);
  report('cube.aux_coords (scalar)', await itemDifferences(split(pa, true), split(pb, true), coordMetaEqual));
  report('cube.dim_coords', await itemDifferences(dims(pa), dims(pb), coordMetaEqual, coordValuesEqual));
  report('cube.aux_coords (non-scalar)', await itemDifferences(split(pa, false), split(pb, false), coordMetaEqual, coordValuesEqual));
  report('cube.aux_factories', await itemDifferences(factories(pa), factories(pb), factoryMetaEqual));
  return msgs;
}

/** One independent dimension of the merged space: a coordinate, or a combination of several (anonymous). */
interface Independent {
  id: string;
  members: string[];
  /** Value keys in dimension order. */
  order: string[];
}

class ProtoCube {
  private readonly skeletons: Skeleton[] = [];
  /** Scalar coordinate key → value key → cell. */
  private readonly cells = new Map<string, Map<string, Cell>>();

  private constructor(readonly source: Cube) {}

  static async create(cube: Cube): Promise<ProtoCube> {
    const proto = new ProtoCube(cube);
    await proto.add(cube);
    return proto;
  }

  private async add(cube: Cube): Promise<void> {
    const values = new Map<string, string>();
    for (const [key, coord] of scalarEntries(cube.parts())) {
      const [cell] = await coord.cells();
      const k = cellKey(cell);
      values.set(key, k);
      let byValue = this.cells.get(key);
      if (!byValue) this.cells.set(key, (byValue = new Map()));
      byValue.set(k, cell);
    }
    this.skeletons.push({ cube, values });
  }

  /** Add `cube` if it fits; with `errorOnMismatch`, a `MergeError` listing why it does not. */
  async register(cube: Cube, errorOnMismatch = false): Promise<boolean> {
    const msgs = await mergeDifferences(this.source, cube);
    if (msgs.length > 0) {
      if (errorOnMismatch) throw new MergeError(msgs);
      return false;
    }
    await this.add(cube);
    return true;
  }

  private describeCell(key: string, cell: Cell): string {
    const coord = this.source.parts().auxCoords.get(key)!.item;
    const text = (v: CellValue): string => {
      if (coord.isTime() && typeof v !== 'string') {
        try {
          return formatCfDate(timeCoder(coord.units, coord.calendar).decode(v));
        } catch {
          return String(v);
        }
      }
      return typeof v === 'string' ? `'${v}'` : String(v);
    };
    const bound = cell.bound ? `(${cell.bound.map(text).join(', ')})` : 'None';
    return `${coord.name()}=Cell(point=${text(cell.point)}, bound=${bound})`;
  }

  merge(unique: boolean): Cube[] {
    if (this.skeletons.length === 1) return [this.source];
    // `cells` was filled in preference order (see `scalarEntries`), which the derivation's tie-breaks follow.
    const names = [...this.cells.keys()].filter((k) => this.cells.get(k)!.size > 1);
    const positions = this.skeletons.map((s) => s.values);
    const { independents, dependents } = defineSpace(names, positions, this.cells, this.source);

    const ndIndex = (values: Map<string, string>): number[] =>
      independents.map((ind) => ind.order.indexOf(combinationValue(ind, values)));
    const groups = new Map<string, number[]>();
    this.skeletons.forEach((s, i) => {
      const key = ndIndex(s.values).join(',');
      const g = groups.get(key);
      if (g) g.push(i);
      else groups.set(key, [i]);
    });
    const depth = Math.max(...[...groups.values()].map((g) => g.length));
    if (unique && depth > 1) {
      const first = [...groups.values()].find((g) => g.length > 1)![1];
      const scalars = [...this.skeletons[first].values].map(([key, v]) => this.describeCell(key, this.cells.get(key)!.get(v)!));
      throw new DuplicateDataError(`Duplicate '${this.source.name()}' cube, with scalar coordinates ${scalars.join(', ')}`);
    }
    const shape = independents.map((ind) => ind.order.length);
    const total = shape.reduce((p, n) => p * n, 1);
    if (groups.size !== total) {
      throw new MergeError([
        `the cubes fill ${groups.size} of the ${total} places of a ${shapeText(shape)} grid of ${independents.map((i) => i.members.join('+')).join(', ')}; every combination needs a cube`,
      ]);
    }
    const results: Cube[] = [];
    for (let level = 0; level < depth; level++) {
      results.push(this.build(independents, dependents, shape, (nd) => {
        const g = groups.get(nd.join(','))!;
        return this.skeletons[g[Math.min(level, g.length - 1)]].cube;
      }));
    }
    return results;
  }

  private build(
    independents: Independent[],
    dependents: Map<string, string[]>,
    shape: number[],
    cubeAt: (nd: number[]) => Cube,
  ): Cube {
    const parts = this.source.parts();
    const taken = new Set(parts.dims);
    const fresh = (preferred: string): string => {
      let name = preferred;
      for (let i = 1; taken.has(name); i++) name = `${preferred}_${i}`;
      taken.add(name);
      return name;
    };
    const newDims = independents.map((ind) => fresh(ind.members.length === 1 ? ind.members[0] : `dim${taken.size}`));
    const dimOf = new Map(independents.map((ind, i) => [ind.id, newDims[i]]));
    const template = (key: string) => parts.auxCoords.get(key)!.item;

    const dimCoords = new Map(parts.dimCoords);
    const auxCoords = new Map<string, Spanning<Coord>>();
    for (const [key, e] of parts.auxCoords) if (!dependents.has(key) && !independents.some((i) => i.id === key)) auxCoords.set(key, e);

    independents.forEach((ind, d) => {
      if (ind.members.length !== 1) return;
      const key = ind.members[0];
      const cells = ind.order.map((v) => this.cells.get(key)!.get(v)!);
      const init = { ...template(key).toInit(), ...coordArrays(template(key), cells, [cells.length]) };
      let coord: Coord | undefined;
      if (isNumericDtype(template(key).dtype)) {
        try {
          coord = new DimCoord(init);
        } catch (error) {
          if (!(error instanceof CubeStructureError)) throw error;
        }
      }
      if (coord instanceof DimCoord && newDims[d] === key) dimCoords.set(newDims[d], coord);
      else auxCoords.set(key, { item: coord ?? new AuxCoord(init), dims: [newDims[d]] });
    });

    for (const [key, on] of dependents) {
      const spans = independents.filter((ind) => on.includes(ind.id));
      const dShape = spans.map((ind) => ind.order.length);
      const cells: Cell[] = [];
      const nd = new Array<number>(spans.length).fill(0);
      const count = dShape.reduce((p, n) => p * n, 1);
      for (let i = 0; i < count; i++) {
        const s = this.skeletons.find((sk) => spans.every((ind, j) => combinationValue(ind, sk.values) === ind.order[nd[j]]))!;
        cells.push(this.cells.get(key)!.get(s.values.get(key)!)!);
        for (let j = spans.length - 1; j >= 0; j--) {
          if (++nd[j] < dShape[j]) break;
          nd[j] = 0;
        }
      }
      const t = template(key);
      auxCoords.set(key, { item: new AuxCoord({ ...t.toInit(), ...coordArrays(t, cells, dShape) }), dims: spans.map((ind) => dimOf.get(ind.id)!) });
    }

    const stack = (prefix: number[]): DescribedArray => {
      if (prefix.length === shape.length) return cubeAt(prefix).data;
      return stackArrays(Array.from({ length: shape[prefix.length] }, (_, i) => stack([...prefix, i])));
    };
    return Cube.assemble({ ...parts, dims: [...newDims, ...parts.dims], data: stack([]), dimCoords, auxCoords });
  }
}

/** The value of an independent dimension for one cube: its coordinate's value, or the tuple of a combination's. */
function combinationValue(ind: Independent, values: Map<string, string>): string {
  return ind.members.length === 1 ? values.get(ind.members[0])! : JSON.stringify(ind.members.map((m) => values.get(m)));
}

/** Inline points (and bounds, when the cells have them) for cells laid out in `shape`, in `coord`'s dtype. */
function coordArrays(coord: Coord, cells: readonly Cell[], shape: number[]): { points: DescribedArray; bounds?: DescribedArray } {
  const dtype: Dtype = coord.dtype;
  const points = allocate(dtype, cells.length);
  cells.forEach((c, i) => ((points as unknown as CellValue[])[i] = convert(c.point, dtype)));
  const nb = cells[0]?.bound?.length ?? 0;
  if (nb === 0) return { points: DescribedArray.fromValues(points, shape, dtype), bounds: undefined };
  const bounds = allocate(dtype, cells.length * nb);
  cells.forEach((c, i) => c.bound!.forEach((b, j) => ((bounds as unknown as CellValue[])[i * nb + j] = convert(b, dtype))));
  return { points: DescribedArray.fromValues(points, shape, dtype), bounds: DescribedArray.fromValues(bounds, [...shape, nb], dtype) };
}

function convert(v: CellValue, dtype: Dtype): CellValue {
  if (dtype === 'string') return String(v);
  if (dtype === 'int64' || dtype === 'uint64') return typeof v === 'bigint' ? v : BigInt(v);
  return Number(v);
}

/** Parts stacked along a new leading axis, lazily; described as a format `stack` when the parts are describable. */
export function stackArrays(parts: readonly DescribedArray[]): DescribedArray {
  const lazy = new CombinedLazyArray(parts.map((p) => p.lazy), 'stack', 0);
  return new DescribedArray(lazy, () => combineDescriptions(parts.map((p) => p.description()), 'stack', 0, lazy.dtype, lazy.shape));
}

// ---------------------------------------------------------------------------------------------------------------
// Iris's space derivation (`build_indexes`, `derive_relation_matrix`, `derive_groups`, `derive_space`)

type Positions = readonly Map<string, string>[];

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** Whether `dependent` is a function of the `independent` coordinates over all cubes. */
function isDependent(dependent: string, independent: readonly string[], positions: Positions): boolean {
  const relation = new Map<string, string>();
  for (const p of positions) {
    const item = JSON.stringify(independent.map((n) => p.get(n)));
    const value = p.get(dependent)!;
    const seen = relation.get(item);
    if (seen === undefined) relation.set(item, value);
    else if (seen !== value) return false;
  }
  return true;
}

function defineSpace(
  names: readonly string[],
  positions: Positions,
  cells: Map<string, Map<string, Cell>>,
  source: Cube,
): { independents: Independent[]; dependents: Map<string, string[]> } {
  // `names` come in Iris's preference order; Iris's `sorted(...)` of coordinate indices is this order.
  const order = (n: string): number => names.indexOf(n);
  const byOrder = (a: string, b: string) => order(a) - order(b);
  // index[name][value][other] = the values `other` takes where `name` takes `value`.
  const index = new Map<string, Map<string, Map<string, Set<string>>>>();
  for (const n of names) index.set(n, new Map());
  for (const p of positions) {
    for (const n of names) {
      const byValue = index.get(n)!;
      let others = byValue.get(p.get(n)!);
      if (!others) byValue.set(p.get(n)!, (others = new Map(names.filter((o) => o !== n).map((o) => [o, new Set<string>()]))));
      for (const o of names) if (o !== n) others.get(o)!.add(p.get(o)!);
    }
  }
  // `target` is separable from `name` when every value of `name` sees the same set of `target` values.
  const separable = new Map<string, Set<string>>();
  const inseparable = new Map<string, Set<string>>();
  for (const n of names) {
    separable.set(n, new Set());
    inseparable.set(n, new Set());
    const sets = [...index.get(n)!.values()];
    for (const t of names) {
      if (t === n) continue;
      const reference = sets[0].get(t)!;
      (sets.every((s) => sameSet(s.get(t)!, reference)) ? separable : inseparable).get(n)!.add(t);
    }
  }
  const groups: string[][] = [];
  const left = new Set(names);
  for (const start of names) {
    if (!left.has(start)) continue;
    const group = new Set([start]);
    const follow = [start];
    left.delete(start);
    while (follow.length > 0) {
      for (const m of inseparable.get(follow.pop()!)!) {
        if (group.has(m)) continue;
        group.add(m);
        follow.push(m);
        left.delete(m);
      }
    }
    groups.push([...group].sort(byOrder));
  }

  const independents: Independent[] = [];
  const dependents = new Map<string, string[]>();
  const independent = (n: string) => independents.push({ id: n, members: [n], order: [] });
  for (const group of groups) {
    const inGroup = new Set(group);
    const separableGroup = group.filter((n) => [...separable.get(n)!].some((t) => inGroup.has(t)));
    if (group.length === 1 && separableGroup.length === 0) {
      independent(group[0]);
      continue;
    }
    let done = false;
    if (separableGroup.length > 0) {
      // The largest sets of mutually separable coordinates, tried in Iris's (sorted) order.
      const consistent: string[][] = [];
      for (const n of separableGroup) {
        const candidate = [...[...separable.get(n)!].filter((t) => separableGroup.includes(t)), n].sort(byOrder);
        if (candidate.every((a) => candidate.every((b) => a === b || separable.get(a)!.has(b)))) consistent.push(candidate);
      }
      consistent.sort((a, b) => {
        for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return order(a[i]) - order(b[i]);
        return a.length - b.length;
      });
      for (const ind of consistent) {
        const dep = group.filter((n) => !ind.includes(n));
        if (dep.every((d) => isDependent(d, ind, positions))) {
          ind.forEach(independent);
          for (const d of dep) dependents.set(d, [...ind]);
          done = true;
          break;
        }
      }
    } else {
      for (const n of group) {
        const dep = group.filter((m) => m !== n);
        if (dep.every((d) => isDependent(d, [n], positions))) {
          independent(n);
          for (const d of dep) dependents.set(d, [n]);
          done = true;
          break;
        }
      }
    }
    if (!done) {
      // No functional relation: an anonymous dimension enumerating the combinations that occur.
      const id = `\0${group.join('\0')}`;
      independents.push({ id, members: group, order: [] });
      for (const m of group) dependents.set(m, [id]);
    }
  }

  for (const ind of independents) {
    if (ind.members.length === 1) {
      const byValue = cells.get(ind.id)!;
      ind.order = [...byValue.keys()].sort((a, b) => compareValues(byValue.get(a)!.point, byValue.get(b)!.point));
    } else {
      ind.order = [...new Set(positions.map((p) => combinationValue(ind, p)))];
    }
  }
  // Iris's `_define_space` order: unknown axis, then T, Z, Y, X; combinations after coordinates; then preference.
  const rank = (ind: Independent): number =>
    ind.members.length === 1 ? axisRank(source.parts().auxCoords.get(ind.id)!.item) : 0;
  independents.sort((a, b) => {
    const r = rank(a) - rank(b);
    if (r !== 0) return r;
    const ca = a.members.length > 1 ? 1 : 0;
    const cb = b.members.length > 1 ? 1 : 0;
    if (ca !== cb) return ca - cb;
    return order(a.members[0]) - order(b.members[0]);
  });
  return { independents, dependents };
}

// ---------------------------------------------------------------------------------------------------------------

/** Iris's `CubeList.merge`: as few cubes as merging allows (cubes that do not match stay apart). */
export async function mergeCubes(cubes: readonly Cube[], options: MergeOptions = {}): Promise<Cube[]> {
  const protos: ProtoCube[] = [];
  for (const cube of cubes) {
    let placed = false;
    for (const proto of protos) {
      if (await proto.register(cube)) {
        placed = true;
        break;
      }
    }
    if (!placed) protos.push(await ProtoCube.create(cube));
  }
  return protos.flatMap((p) => p.merge(options.unique ?? true));
}

/** Iris's `CubeList.merge_cube`: exactly one cube, or a `MergeError` saying why not. */
export async function mergeCube(cubes: readonly Cube[]): Promise<Cube> {
  if (cubes.length === 0) throw new MergeError(["can't merge an empty CubeList"]);
  const proto = await ProtoCube.create(cubes[0]);
  for (const cube of cubes.slice(1)) await proto.register(cube, true);
  const [merged] = proto.merge(true);
  return merged;
}
