import type { Publication } from '@cubemark/format';
import { ConcatenateError, MergeError, concatenateCube, mergeCube, publicationFromCubes, type Cube } from '@cubemark/cube';
import { SchedulerError } from '../errors.js';
import { cubeAccess, type CubeAccess } from './access.js';

/** One parameter of a publication as one cube: the parts it was built from, how, and the result. */
export interface UnifiedCube {
  parameter: string;
  /** Indices of the publication's cubes called `parameter`, in order. */
  parts: number[];
  /** `concatenate` (joined along an existing dimension), `merge` (stacked along a new one), or `single`. */
  how: 'concatenate' | 'merge' | 'single';
  /** A publication of the one cube: its description, sources and coordinate systems. */
  publication: Publication;
  /** The unified cube (index 0), read as a publication's cube is. */
  cube: CubeAccess;
}

/**
 * The cubes called `parameter` (Iris's `name()`) as one: concatenated along a dimension they share, else merged
 * along a new one, as Iris's `concatenate_cube` and `merge_cube`. Reads coordinate points only.
 * PARAMETER_NOT_FOUND when no cube has that name; MERGE_FAILED with `details.reasons` and `details.parts` when
 * they join neither way.
 */
export async function unifyParameter(publication: { name: string; title?: string }, cubes: readonly Cube[], parameter: string): Promise<UnifiedCube> {
  const parts = cubes.flatMap((cube, index) => (cube.name() === parameter ? [index] : []));
  if (parts.length === 0) {
    const names = [...new Set(cubes.map((c) => c.name()))];
    throw new SchedulerError('PARAMETER_NOT_FOUND', `publication '${publication.name}' has no cube called '${parameter}'; it has ${names.join(', ') || 'no cubes'}`);
  }
  const { cube, how } = await join(parts.map((i) => cubes[i]), parameter, parts);
  const described = publicationFromCubes([cube], { name: publication.name, title: publication.title });
  return { parameter, parts, how, publication: described, cube: cubeAccess(0, described.cubes[0], () => cube) };
}

async function join(cubes: Cube[], parameter: string, parts: number[]): Promise<{ cube: Cube; how: UnifiedCube['how'] }> {
  if (cubes.length === 1) return { cube: cubes[0], how: 'single' };
  try {
    return { cube: await concatenateCube(cubes), how: 'concatenate' };
  } catch (concatError) {
    if (!(concatError instanceof ConcatenateError)) throw concatError;
    try {
      return { cube: await mergeCube(cubes), how: 'merge' };
    } catch (mergeError) {
      if (!(mergeError instanceof MergeError)) throw mergeError;
      const reasons = [...concatError.differences.map((d) => `concatenate: ${d}`), ...mergeError.differences.map((d) => `merge: ${d}`)];
      throw new SchedulerError('MERGE_FAILED', `the ${cubes.length} cubes called '${parameter}' do not join into one:\n  ${reasons.join('\n  ')}`, {
        details: { reasons, parts },
      });
    }
  }
}
