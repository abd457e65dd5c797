import { cubeListSummary } from '@cubemark/format';
import { concatenateCube, concatenateCubes, type ConcatenateOptions } from './concatenate.js';
import type { Constraint } from './constraint.js';
import type { Cube } from './cube.js';
import { ConstraintMismatchError } from './errors.js';
import { cubeToMeta } from './meta.js';
import { mergeCube, mergeCubes, type MergeOptions } from './merge.js';

/**
 * A list of cubes with Iris's `CubeList` operations: extract, merge, concatenate. Iterable and indexable
 * (`list.at(0)`); operations return new lists.
 */
export class CubeList implements Iterable<Cube> {
  private readonly cubes: readonly Cube[];

  constructor(cubes: Iterable<Cube> = []) {
    this.cubes = [...cubes];
  }

  get length(): number {
    return this.cubes.length;
  }

  at(index: number): Cube | undefined {
    return this.cubes.at(index);
  }

  [Symbol.iterator](): Iterator<Cube> {
    return this.cubes[Symbol.iterator]();
  }

  toArray(): Cube[] {
    return [...this.cubes];
  }

  map<T>(f: (cube: Cube, index: number) => T): T[] {
    return this.cubes.map(f);
  }

  filter(f: (cube: Cube, index: number) => boolean): CubeList {
    return new CubeList(this.cubes.filter(f));
  }

  /** The matching part of each cube that matches at all (Iris's `CubeList.extract`). */
  async extract(constraint: Constraint): Promise<CubeList> {
    const found = await Promise.all(this.cubes.map((c) => c.extract(constraint)));
    return new CubeList(found.filter((c): c is Cube => c !== undefined));
  }

  /** Exactly one matching cube, else `ConstraintMismatchError` (Iris's `extract_cube`). */
  async extractCube(constraint: Constraint): Promise<Cube> {
    const found = await this.extract(constraint);
    if (found.length !== 1) throw new ConstraintMismatchError(`Got ${found.length} cubes for constraints. Expecting 1.`);
    return found.at(0)!;
  }

  /** Iris's `merge`: cubes differing only in scalar coordinates become cubes with new dimensions. */
  async merge(options?: MergeOptions): Promise<CubeList> {
    return new CubeList(await mergeCubes(this.cubes, options));
  }

  /** Iris's `merge_cube`: the one merged cube, or a `MergeError` listing why not. */
  mergeCube(): Promise<Cube> {
    return mergeCube(this.cubes);
  }

  /** Iris's `concatenate`: cubes joined along existing dimensions where they can be. */
  async concatenate(options?: ConcatenateOptions): Promise<CubeList> {
    return new CubeList(await concatenateCubes(this.cubes, options));
  }

  /** Iris's `concatenate_cube`: the one concatenated cube, or a `ConcatenateError` listing why not. */
  concatenateCube(options?: ConcatenateOptions): Promise<Cube> {
    return concatenateCube(this.cubes, options);
  }

  /** Iris's `print(cubelist)`. */
  summary(): string {
    return cubeListSummary(this.cubes.map((c) => cubeToMeta(c, { lenient: true }).meta));
  }
}
