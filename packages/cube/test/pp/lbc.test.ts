/**
 * Lateral boundary condition fieldsfiles (dataset type 5): a lookup entry is a variable on every level, stored as
 * the frame around the domain; as Iris reads them, one field per level on the grid grown by the halos, the points
 * inside the frame missing.
 */
import type { SourceArray } from '@cubemark/format';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { boundaryOf, boundaryValues } from '../../src/readers/pp/lbc.js';
import { fieldsfile, ppField } from './helpers/pp-writer.js';
import { load, readArray, scratch } from './helpers/load.js';

let files: Awaited<ReturnType<typeof scratch>>;
beforeAll(async () => {
  files = await scratch();
});
afterAll(async () => files.cleanup());

test('LBUSER3 holds the halos and the rim width', () => {
  expect(boundaryOf(10101)).toEqual({ xHalo: 1, yHalo: 1, rim: 1 });
  expect(boundaryOf(40705)).toEqual({ xHalo: 5, yHalo: 7, rim: 4 });
  expect(boundaryValues(6, 8, { xHalo: 1, yHalo: 1, rim: 1 })).toBe(2 * 2 * 8 + 2 * 2 * 2);
});

test('two times × two levels of a boundary variable: one cube, the frame as written, the inside masked', async () => {
  // A 4 × 6 domain with halos of 1 and a rim of 1: fields of 6 × 8 whose frame is 2 points deep.
  const frame = (t: number, level: number) => Array.from({ length: 40 }, (_, i) => 1000 * t + 100 * level + i);
  const entry = (t: number) =>
    ppField(
      { lbtim: 11, lbft: t, lbhr: t, lbvc: 65, lbhem: 102, lbrow: 4, lbnpt: 6, bzx: -1, bdx: 0.5, bzy: 50, bdy: 0.5, bplat: 37.5, bplon: 177.5, lbuser: [1, 0, 10101, 31004, 0, 0, 1] },
      [...frame(t, 0), ...frame(t, 1)],
    );
  const path = await files.write('small_lbc', fieldsfile([entry(0), entry(1)], { datasetType: 5, levels: 3 }));
  const { publication, warnings } = await load([path]);
  expect(warnings.filter((w) => w.code === 'PP_FIELD_SKIPPED')).toEqual([]);
  expect(publication.cubes).toHaveLength(1);
  const [cube] = publication.cubes;
  expect(cube.dims).toEqual(['time', 'model_level_number', 'grid_latitude', 'grid_longitude']);
  expect(cube.shape).toEqual([2, 2, 6, 8]);
  // The grid grows by a halo each side: the first x is BZX + BDX - BDX × halo.
  expect(cube.dim_coords.grid_longitude.points).toMatchObject({ kind: 'regular', start: [-1], step: 0.5 });
  expect((cube.data as SourceArray).options).toMatchObject({ boundary: [1, 1, 1] });
  const { values, mask } = await readArray(publication, cube.data);
  const at = (t: number, l: number, r: number, c: number) => ((t * 2 + l) * 6 + r) * 8 + c;
  // North (rows 4-5) first, then east (rows 2-3, columns 6-7), south (rows 0-1), west (rows 2-3, columns 0-1).
  expect(values[at(1, 1, 4, 0)]).toBe(1100);
  expect(values[at(1, 1, 2, 6)]).toBe(1116);
  expect(values[at(1, 1, 0, 0)]).toBe(1120);
  expect(values[at(1, 1, 3, 1)]).toBe(1139);
  const inside = (r: number, c: number) => r >= 2 && r < 4 && c >= 2 && c < 6;
  for (let r = 0; r < 6; r++) for (let c = 0; c < 8; c++) expect(mask?.[at(0, 0, r, c)] ?? 0).toBe(inside(r, c) ? 1 : 0);
});

test('an entry with more levels than the file has is skipped, naming LBHEM', async () => {
  const path = await files.write('bad_lbc', fieldsfile([ppField({ lbtim: 11, lbvc: 65, lbhem: 105, lbrow: 4, lbnpt: 6, lbuser: [1, 0, 10101, 31004, 0, 0, 1] }, new Array(40 * 5).fill(1))], { datasetType: 5, levels: 3 }));
  const { publication, warnings } = await load([path]);
  expect(publication.cubes).toEqual([]);
  expect(warnings[0]).toMatchObject({ code: 'PP_FIELD_SKIPPED', message: expect.stringMatching(/bad_lbc \(field 0, LBHEM\): LBC field has LBHEM of 105: 5 levels, but the file has 3/) });
});
