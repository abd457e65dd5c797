import type { CubeMeta } from '@cubemark/format';

/**
 * The cubes in `iris.load`'s order rather than `load_raw`'s: `CubeList.merge` groups cubes by standard name, cubes
 * without one first and then the names in code-point order (Python's `sorted`), and keeps the load order within a
 * group. Iris's load order within a file is a Python set's, so it varies between runs; here it is file order
 * (data variables, then the variables Iris promotes to cubes), across sources in the order they are given.
 */
export function irisLoadOrder(cubes: readonly CubeMeta[]): CubeMeta[] {
  const key = (c: CubeMeta) => c.standard_name;
  return cubes
    .map((cube, index) => ({ cube, index }))
    .sort((a, b) => {
      const ka = key(a.cube);
      const kb = key(b.cube);
      if (ka !== kb) {
        if (ka === undefined) return -1;
        if (kb === undefined) return 1;
        return ka < kb ? -1 : 1;
      }
      return a.index - b.index;
    })
    .map(({ cube }) => cube);
}
