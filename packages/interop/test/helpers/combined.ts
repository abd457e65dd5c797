import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSourcePool, loadPublication } from '@cubemark/cube';
import type { ArrayData, CubeMeta, Publication, SourceArray } from '@cubemark/format';
import { makeNetcdf } from '../../../cube/test/fixtures/make-netcdf.js';

/**
 * A publication whose `temp` cube is the `records` fixture's `temp` joined from two files (a copy of the file
 * standing for the next five records): concatenated along time (`concat`), or stacked along a new first axis
 * (`stack`), or concatenated along its second axis (`concat1`, which NcML cannot express).
 */
export async function twoFilePublication(dir: string, how: 'concat' | 'stack' | 'concat1'): Promise<Publication> {
  const first = await makeNetcdf('records');
  const second = join(dir, `records-next-${how}.nc`);
  await copyFile(first, second);
  const pool = createSourcePool();
  let publication: Publication;
  try {
    publication = (await loadPublication([first], { pool })).publication;
  } finally {
    await pool.close();
  }
  publication.sources.push({ uri: second });
  const cube = publication.cubes.find((c) => c.var_name === 'temp') as CubeMeta;
  const part = cube.data as SourceArray;
  const parts: SourceArray[] = [part, { ...part, source: 1 }];
  const time = cube.dim_coords.time;
  const times = (d: ArrayData) => (d.kind === 'regular' ? { ...d, shape: [d.shape[0] * 2] } : d);
  if (how === 'concat') {
    cube.shape = [10, 3];
    cube.data = { kind: 'combined', dtype: cube.dtype, shape: [10, 3], mode: 'concat', axis: 0, parts: parts.map((p) => ({ ...p, shape: [5, 3] })) };
    time.points = times(time.points);
  } else if (how === 'concat1') {
    cube.shape = [5, 6];
    cube.data = { kind: 'combined', dtype: cube.dtype, shape: [5, 6], mode: 'concat', axis: 1, parts: parts.map((p) => ({ ...p, shape: [5, 3] })) };
    cube.aux_coords = {};
    cube.dims = ['time', 'station6'];
  } else {
    cube.dims = ['run', ...cube.dims];
    cube.shape = [2, 5, 3];
    cube.data = { kind: 'combined', dtype: cube.dtype, shape: [2, 5, 3], mode: 'stack', axis: 0, parts };
    cube.dim_coords = { run: { units: '1', dims: ['run'], points: { kind: 'inline', dtype: 'int32', shape: [2], values: Int32Array.of(1, 2) }, attributes: {}, long_name: 'run', var_name: 'run' }, ...cube.dim_coords };
  }
  // Only the joined cube: the others read from the first file alone.
  publication.cubes = [cube];
  return publication;
}
