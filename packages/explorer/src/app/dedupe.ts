/**
 * The parameter table without repeats: cubes with the same metadata and the same data reference (the same
 * variable, shape and type; only which of the publication's files holds it differs, as when every model-level file
 * carries the orography) are one row with a count. Pure, so it is unit-tested without a browser.
 */
import type { CubeDescription } from '@cubemark/format';

export interface CubeGroup {
  /** The first cube of the group: the one its row opens. */
  cube: CubeDescription;
  /** Indices of every cube in the group, in publication order. */
  indices: number[];
}

/** Which file holds an array (a source's index and URI) is not part of what makes two cubes the same. */
function canonical(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    if (key === 'source' && (k === 'index' || k === 'uri')) continue;
    out[k] = canonical((value as Record<string, unknown>)[k], k);
  }
  return out;
}

/** What two identical cubes share: everything in their description but their index, and the file of each array. */
export function cubeIdentity(cube: CubeDescription): string {
  const { index: _index, ...rest } = cube;
  return JSON.stringify(canonical(rest));
}

export function groupIdenticalCubes(cubes: readonly CubeDescription[]): CubeGroup[] {
  const groups = new Map<string, CubeGroup>();
  for (const cube of cubes) {
    const key = cubeIdentity(cube);
    const group = groups.get(key);
    if (group) group.indices.push(cube.index);
    else groups.set(key, { cube, indices: [cube.index] });
  }
  return [...groups.values()];
}
