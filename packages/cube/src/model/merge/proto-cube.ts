import { allocate, formatCfDate, isNumericDtype, timeCoder, type Dtype } from '@cubemark/format';
import { CombinedLazyArray } from '../../lazy/combined.js';
import { combineDescriptions } from '../array-data.js';
import { AuxCoord, DimCoord, type Cell, type CellValue, type Coord } from '../coords.js';
import { Cube } from '../cube.js';
import { DescribedArray } from '../described-array.js';
import { CubeStructureError, DuplicateDataError, MergeError } from '../errors.js';
import type { Spanning } from '../parts.js';
import { shapeText } from '../signature.js';
import { mergeDifferences } from './match.js';
import { cellKey, scalarEntries } from './order.js';
import { combinationValue, defineSpace, type Independent } from './space.js';

interface Skeleton {
  cube: Cube;
  /** Scalar coordinate key → key of its value (point and bounds). */
  values: Map<string, string>;
}

/** One merge in progress (Iris's `ProtoCube`): the cubes registered so far, and the cubes they make together. */
export class ProtoCube {
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
