import type { Cube } from './cube.js';
import { MergeError } from './errors.js';
import { ProtoCube } from './merge/proto-cube.js';

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
