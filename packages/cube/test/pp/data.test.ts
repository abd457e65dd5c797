import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CubeMeta, SourceArray } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { irisTestDataDir } from '../../../format/test/summary/iris-reading.js';
import { fieldsfile, ppField, ppFile, type HeaderWords } from './helpers/pp-writer.js';
import { load, readArray, scratch } from './helpers/load.js';

const DATA = irisTestDataDir();
const MDI = -1073741824;

describe('values of the shared files', () => {
  test('WGDOS: the first field of nae.20100104-06_0001.pp as mo_pack decodes it (its published test values)', async () => {
    const { publication } = await load([join(DATA, 'PP/wgdos_packed/nae.20100104-06_0001.pp')]);
    // Iris's order is by name; the file's first field is surface_net_downward_shortwave_flux (m01s01i201).
    const cube = publication.cubes.find((c) => c.attributes.STASH === 'm01s01i201') as CubeMeta;
    const { values, shape, mask } = await readArray(publication, cube.data);
    expect(shape).toEqual([360, 600]);
    expect(mask).toBeUndefined();
    const block = [0, 1, 2, 3].map((r) => Array.from(values.slice(r * 600, r * 600 + 4) as Float32Array));
    expect(block).toEqual([
      [388.78125, 389.46875, 384.0625, 388.46875],
      [388.09375, 381.375, 374.28125, 374.875],
      [382.34375, 373.671875, 371.171875, 368.25],
      [385.265625, 373.921875, 368.5, 365.3125],
    ]);
    const mean = (values as Float32Array).reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeCloseTo(130.84694, 1);
  });

  test('RLE: missing runs are masked, the other values are the stored ones in order', async () => {
    const path = join(DATA, 'PP/ocean_rle/ocean_rle.pp');
    const { publication } = await load([path]);
    const cube = publication.cubes[0];
    const ref = cube.data as SourceArray;
    const options = ref.options as { offset: number[]; length: number[] };
    const bytes = readFileSync(path);
    const view = new DataView(bytes.buffer, bytes.byteOffset + options.offset[0], options.length[0]);
    const thin = Array.from({ length: options.length[0] / 4 }, (_, i) => view.getFloat32(i * 4, false));
    let runs = 0;
    const kept: number[] = [];
    for (let i = 0; i < thin.length; i++) {
      if (thin[i] === MDI) runs += thin[++i];
      else kept.push(thin[i]);
    }
    const { values, mask } = await readArray(publication, cube.data);
    expect(values.length).toBe(216 * 360);
    expect(mask?.reduce((a, b) => a + b, 0)).toBe(runs);
    expect(Array.from(values as Float32Array).filter((_, i) => mask?.[i] !== 1)).toEqual(kept);
  });

  test.each([
    ['PP/aPPglob1/global.pp', false],
    ['PP/little_endian/qrparm.orog.pp', true],
  ])('unpacked %s: the stored 32-bit reals', async (file, littleEndian) => {
    const path = join(DATA, file);
    const { publication } = await load([path]);
    const bytes = readFileSync(path);
    for (const cube of publication.cubes) {
      const o = (cube.data as SourceArray).options as { offset: number[]; length: number[] };
      const view = new DataView(bytes.buffer, bytes.byteOffset + o.offset[0], o.length[0]);
      const expected = Array.from({ length: o.length[0] / 4 }, (_, i) => view.getFloat32(i * 4, littleEndian));
      expect(Array.from((await readArray(publication, cube.data)).values as Float32Array)).toEqual(expected);
    }
  });

  test('a merged cube reads field by field (COLPEX: 6 times × 10 levels of theta)', async () => {
    const path = join(DATA, 'PP/COLPEX/small_colpex_theta_p_alt.pp');
    const { publication } = await load([path]);
    const theta = publication.cubes[0];
    expect(theta.shape).toEqual([6, 10, 83, 83]);
    const ref = theta.data as SourceArray;
    expect(ref.chunks).toEqual([1, 1, 83, 83]);
    const o = ref.options as { field: number[]; offset: number[] };
    expect(o.field).toHaveLength(60);
    const bytes = readFileSync(path);
    const { values } = await readArray(publication, theta.data);
    // Field (time 2, level 3) is the 24th of the reference's fields.
    const at = 2 * 10 + 3;
    const view = new DataView(bytes.buffer, bytes.byteOffset + o.offset[at], 83 * 83 * 4);
    const expected = Array.from({ length: 83 * 83 }, (_, i) => view.getFloat32(i * 4, false));
    expect(Array.from((values as Float32Array).slice(at * 83 * 83, (at + 1) * 83 * 83))).toEqual(expected);
    // The orography the derived altitude needs is the surface_altitude field's data.
    expect(theta.aux_coords.surface_altitude.points).toMatchObject({ kind: 'source', format: 'pp', shape: [83, 83] });
    expect(theta.derived_coords.altitude).toMatchObject({ formula: 'hybrid_height', terms: { delta: 'level_height', sigma: 'sigma', orography: 'surface_altitude' } });
  });
});

describe('written files: LBPACK × LBVC × LBTIM', () => {
  let files: Awaited<ReturnType<typeof scratch>>;
  beforeAll(async () => {
    files = await scratch();
  });
  afterAll(async () => files.cleanup());

  // Multiples of 1/4 (WGDOS precision 2^-2), one missing point, one zero.
  const values = (k: number) => Array.from({ length: 12 }, (_, i) => (i === 5 ? MDI : i === 7 ? 0 : 250 + k + i * 0.25));

  const cases: [string, HeaderWords, (level: number) => HeaderWords, string[]][] = [
    ['pressure levels (LBVC 8), forecasts (LBTIM 11)', { lbvc: 8, lbtim: 11 }, (l) => ({ blev: 1000 - 100 * l, lblev: 1000 - 100 * l }), ['pressure']],
    ['heights (LBVC 1), analyses (LBTIM 1)', { lbvc: 1, lbtim: 1 }, (l) => ({ blev: 10 * (l + 1) }), ['height']],
    ['model levels with depths (LBVC 2), means (LBTIM 122, LBPROC 128)', { lbvc: 2, lbtim: 122, lbproc: 128, lbft: 24 }, (l) => ({ lblev: l + 1, blev: 5 + 10 * l, brsvd: [10 * l], brlev: 10 * (l + 1) }), ['model_level_number', 'depth']],
    ['soil levels (LBVC 6), 360-day calendar (LBTIM 12)', { lbvc: 6, lbtim: 12 }, (l) => ({ lblev: l + 1 }), ['soil_model_level_number']],
    ['hybrid height (LBVC 65), maxima (LBTIM 121, LBPROC 8192)', { lbvc: 65, lbtim: 121, lbproc: 8192, lbft: 3 }, (l) => ({ lblev: l + 1, blev: 20 * (l + 1), bhlev: 1 - 0.1 * l }), ['model_level_number', 'level_height', 'sigma']],
    ['hybrid pressure (LBVC 9), climatological means (LBTIM 32)', { lbvc: 9, lbtim: 32, lbproc: 128, lbft: 48 }, (l) => ({ lblev: l + 1, blev: 0.9 - 0.1 * l, bhlev: 1000 * l }), ['model_level_number', 'level_pressure', 'sigma']],
    ['potential temperature (LBVC 19)', { lbvc: 19 }, (l) => ({ blev: 300 + 10 * l }), ['air_potential_temperature']],
  ];

  describe.each([0, 1, 4])('LBPACK %i', (lbpack) => {
    test.each(cases)('%s: two levels merge; values come back as written', async (_, common, level, coords) => {
      const header = (l: number): HeaderWords => ({ ...common, ...level(l), lbpack, bacc: -2, bmdi: MDI });
      const bytes = ppFile([ppField(header(0), values(0)), ppField(header(1), values(1))]);
      const path = await files.write(`case-${lbpack}-${common.lbvc}-${common.lbtim}.pp`, bytes);
      const { publication, warnings } = await load([path]);
      expect(warnings.filter((w) => w.code === 'PP_FIELD_SKIPPED')).toEqual([]);
      expect(publication.cubes).toHaveLength(1);
      const [cube] = publication.cubes;
      expect(cube.shape).toEqual([2, 3, 4]);
      const names = [...Object.keys(cube.dim_coords), ...Object.keys(cube.aux_coords)];
      for (const c of coords) expect(names).toContain(c);
      const { values: got, mask } = await readArray(publication, cube.data);
      const expected = [...values(0), ...values(1)];
      const order = ((cube.data as SourceArray).options as { field: number[] }).field;
      const inFileOrder = order[0] === 0 ? expected : [...values(1), ...values(0)];
      expect(Array.from(mask ?? [])).toEqual(inFileOrder.map((v) => (v === MDI ? 1 : 0)));
      expect(Array.from(got as Float32Array).filter((_, i) => mask?.[i] !== 1)).toEqual(inFileOrder.filter((v) => v !== MDI));
    });
  });

  test('a fieldsfile with unpacked (64-bit) and WGDOS fields reads back its values', async () => {
    const v = values(0);
    const path = await files.write('written.ff', fieldsfile([ppField({ bmdi: MDI }, v), ppField({ lbpack: 1, bacc: -2, bmdi: MDI, lbuser: [1, 0, 0, 3236, 0, 0, 1] }, v)], { lookupEntries: 8 }));
    const { publication } = await load([path]);
    expect(publication.cubes.map((c) => c.dtype).sort()).toEqual(['float32', 'float64']);
    for (const cube of publication.cubes) {
      const { values: got, mask } = await readArray(publication, cube.data);
      expect(Array.from(got as Float32Array).filter((_, i) => mask?.[i] !== 1)).toEqual(v.filter((x) => x !== MDI));
    }
  });
});

describe('32-bit fieldsfiles', () => {
  test('load and read as their 64-bit originals (Iris: ff32 == ff64)', async () => {
    const files = await scratch();
    try {
      const values = Array.from({ length: 12 }, (_, i) => 270 + i / 4);
      const fields = () => [ppField({ lbft: 0 }, values), ppField({ lbft: 3, lbpack: 1, bacc: -2, lbuser: [1, 0, 0, 3236, 0, 0, 1] }, values)];
      const p32 = await files.write('a.ff32', fieldsfile(fields(), { wordBytes: 4 }));
      const p64 = await files.write('a.ff', fieldsfile(fields()));
      const [l32, l64] = [await load([p32]), await load([p64])];
      const { cubeSummary } = await import('@cubemark/format');
      expect(l32.publication.cubes.map((c) => cubeSummary(c))).toEqual(l64.publication.cubes.map((c) => cubeSummary(c)));
      for (const [i, cube] of l32.publication.cubes.entries()) {
        const a = await readArray(l32.publication, cube.data);
        const b = await readArray(l64.publication, l64.publication.cubes[i].data);
        expect(Array.from(a.values as Float32Array)).toEqual(Array.from(b.values as Float32Array));
      }
    } finally {
      await files.cleanup();
    }
  });
});
