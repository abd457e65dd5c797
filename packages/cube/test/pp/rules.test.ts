/**
 * Iris's PP load rules on written fields, one rule at a time: what each header word makes of a cube.
 */
import { cubeSummary, type CubeMeta } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ppField, ppFile, type HeaderWords, type WrittenField } from './helpers/pp-writer.js';
import { load, scratch } from './helpers/load.js';

let files: Awaited<ReturnType<typeof scratch>>;
let n = 0;
beforeAll(async () => {
  files = await scratch();
});
afterAll(async () => files.cleanup());

const values = Array.from({ length: 12 }, (_, i) => i);
async function cubesOf(fields: WrittenField[]): Promise<CubeMeta[]> {
  const path = await files.write(`rules-${n++}.pp`, ppFile(fields));
  return (await load([path])).publication.cubes;
}
const one = async (words: HeaderWords) => (await cubesOf([ppField(words, values)]))[0];
const lines = (cube: CubeMeta) => cubeSummary(cube).split('\n').map((l) => l.trim());

describe('time (LBTIM)', () => {
  test('IB 0: a time only, from T1', async () => {
    const cube = await one({ lbtim: 1, lbyr: 2020, lbmon: 2, lbdat: 29, lbhr: 6 });
    expect(Object.keys(cube.aux_coords)).toEqual(['time', 'pressure']);
    expect(lines(cube)).toContain('time                        2020-02-29 06:00:00');
  });

  test('IB 2 in a 360-day calendar: bounded time and forecast period, reference time T2 − LBFT', async () => {
    const cube = await one({ lbtim: 122, lbproc: 128, lbyr: 2000, lbmon: 1, lbdat: 1, lbyrd: 2000, lbmond: 2, lbdatd: 1, lbft: 744 });
    expect(cube.aux_coords.time.calendar).toBe('360_day');
    expect(lines(cube)).toEqual(
      expect.arrayContaining([
        'forecast_period             384.0 hours, bound=(24.0, 744.0) hours',
        'time                        2000-01-16 00:00:00, bound=(2000-01-01 00:00:00, 2000-02-01 00:00:00)',
        // 744 hours before 2000-02-01 in a calendar of 30-day months.
        'forecast_reference_time     1999-12-30 00:00:00',
        '0                           time: mean (interval: 1 hour)',
      ]),
    );
  });

  test('IB 3 over December to March: a djf season, means within and over years', async () => {
    const cube = await one({ lbtim: 31, lbproc: 128, lbyr: 1990, lbmon: 12, lbdat: 1, lbyrd: 2000, lbmond: 3, lbdatd: 1, lbft: 0 });
    expect(cube.aux_coords.season.points).toMatchObject({ kind: 'inline', dtype: 'string', values: ['djf'] });
    expect(cube.cell_methods.map((m) => m.method)).toEqual(['mean within years', 'mean over years']);
  });
});

describe('levels, members and pseudo-levels', () => {
  test('an ensemble member (LBRSVD4) and a pseudo-level (LBUSER5) are scalar coordinates', async () => {
    const cube = await one({ lbrsvd: [0, 0, 0, 7], lbuser: [1, 0, 0, 3236, 3, 0, 1] });
    expect(cube.aux_coords.realization.points).toMatchObject({ values: Int32Array.of(7) });
    expect(cube.aux_coords.pseudo_level.points).toMatchObject({ values: Int32Array.of(3) });
    // m01s03i236 implies a height of 1.5 m.
    expect(lines(cube)).toContain('height                      1.5 m');
  });

  test('hybrid pressure levels take the surface pressure field (m01s00i409) as their reference', async () => {
    const level = (l: number) => ppField({ lbvc: 9, lblev: l, blev: 0.5 / l, bhlev: 1000 * l, brlev: 0, bhrlev: 0, lbuser: [1, 0, 0, 4, 0, 0, 1] }, values);
    const ps = ppField({ lbvc: 129, lbuser: [1, 0, 0, 409, 0, 0, 1] }, values.map((v) => 100000 + v));
    const cubes = await cubesOf([ps, level(1), level(2)]);
    const theta = cubes.find((c) => c.standard_name === 'air_potential_temperature') as CubeMeta;
    expect(theta.derived_coords.air_pressure).toMatchObject({ formula: 'hybrid_pressure', units: 'Pa', terms: { delta: 'level_pressure', sigma: 'sigma', surface_air_pressure: 'surface_air_pressure' } });
    expect(theta.aux_coords.surface_air_pressure.dims).toEqual(['latitude', 'longitude']);
  });
});

describe('grids', () => {
  test('a rotated pole (BPLAT, BPLON) gives grid_latitude/grid_longitude on a RotatedGeogCS of the UM sphere', async () => {
    const { publication } = await load([await files.write('rot.pp', ppFile([ppField({ bplat: 37.5, bplon: 177.5, lbcode: 101, lbhem: 3 }, values)]))]);
    const [cube] = publication.cubes;
    expect(Object.keys(cube.dim_coords)).toEqual(['grid_latitude', 'grid_longitude']);
    expect(publication.coord_systems[cube.dim_coords.grid_latitude.coord_system as string]).toEqual({
      kind: 'rotated_latitude_longitude',
      grid_north_pole_latitude: 37.5,
      grid_north_pole_longitude: 177.5,
      north_pole_grid_longitude: 0,
      ellipsoid: { semi_major_axis: 6371229, semi_minor_axis: 6371229, inverse_flattening: 0 },
    });
  });

  test('a zonal mean (LBPROC 64) of one longitude spans the circle', async () => {
    const cube = (await cubesOf([ppField({ lbproc: 64, lbnpt: 1, lbrow: 12, bdx: 360 }, values)]))[0];
    expect(cube.cell_methods).toEqual([{ method: 'mean', coords: ['longitude'], intervals: [], comments: [] }]);
    expect(cube.dim_coords.longitude.bounds).toMatchObject({ values: Float32Array.of(0, 360) });
  });

  test('other processing (LBPROC 2) is kept as ukmo__process_flags', async () => {
    expect((await one({ lbproc: 2 + 32 })).attributes.ukmo__process_flags).toEqual(['Difference from zonal (or other spatial) mean', 'Time derivative (d/dt)']);
  });

  test('a site time series (LBCODE 11323): time along rows, site numbers along points, site positions from the domains', async () => {
    const field = ppField(
      { lbcode: 11323, lbtim: 22, lbproc: 128, lbrow: 4, lbnpt: 2, bdx: 1, bzx: 0, bdy: 0, lbvc: 1, blev: -1, lbyr: 2000, lbyrd: 2000, lbmond: 2, lbuser: [1, 0, 0, 3236, 0, 0, 1] },
      values.slice(0, 8),
      { extra: { 2: [720000, 720001, 720002, 720003], 3: [50, 51], 5: [52, 53], 4: [-2, -1], 6: [0, 1] } },
    );
    const [cube] = await cubesOf([field]);
    expect(cube.dims).toEqual(['time', 'site_number']);
    expect(cube.dim_coords.time).toMatchObject({ units: 'days since 0000-01-01 00:00:00', calendar: '360_day' });
    expect(cube.aux_coords.longitude).toMatchObject({ dims: ['site_number'], points: { kind: 'regular', start: [-1], step: 1 }, bounds: { kind: 'regular', start: [-2, 0], step: 1 } });
    expect(cube.aux_coords.latitude).toMatchObject({ dims: ['site_number'], points: { kind: 'regular', start: [51], step: 1 } });
  });
});

describe('names', () => {
  test('a STASH code without a CF name is the cube name; an invalid STASH falls back to the field code (LBFC)', async () => {
    expect(lines(await one({ lbuser: [1, 0, 0, 99999, 0, 0, 1] }))[0]).toMatch(/^m01s99i999 \/ \(unknown\)/);
    expect(lines(await one({ lbuser: [1, 0, 0, 16203, 0, 0, 0], lbfc: 16 }))[0]).toMatch(/^air_temperature \/ \(K\)/);
  });

  test('LBSRCE gives the source and UM version attributes', async () => {
    expect((await one({ lbsrce: 10061111 })).attributes).toMatchObject({ source: 'Data from Met Office Unified Model', um_version: '10.6' });
  });
});
