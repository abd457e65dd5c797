/**
 * `iris.load` of several PP files merges the fields of all of them (a model run comes as a file per time, per
 * ensemble member or per stream), and so does `loadPublication`: a merged cube's `format: pp` reference lists
 * each field's file (`options.source`, spec §14.5).
 *
 * What Iris prints for several files is established from how it loads them: `iris.io.load_files` hands every PP
 * file of a load to one `pp.load_cubes` call, whose `fileformats.rules.load_cubes` reads the files' fields in
 * turn, in the order given, and yields the fields needing a reference after all others; `iris.load` then merges
 * all the cubes at once (`CubeList.merge(unique=False)`). Nothing in the load rules looks at the file a field came
 * from. So several files print exactly as one file holding their fields in the same order, and a file cut into
 * one file per field prints as the whole file: Iris's own printout of it in IRIS-READING.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cubeSummary, parse, serialize, type Publication, type SourceArray } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSourcePool } from '../../src/bytes/pool.js';
import { loadPublication } from '../../src/cf/index.js';
import { fromArrayData } from '../../src/lazy/from-data.js';
import { ppPlugin } from '../../src/readers/pp/plugin.js';
import { defaultRegistry } from '../../src/readers/registry.js';
import { irisTestDataDir, readIrisReading } from '../../../format/test/summary/iris-reading.js';
import { load, readArray, scratch } from './helpers/load.js';
import { ppField, ppFile, type HeaderWords } from './helpers/pp-writer.js';

const DATA = irisTestDataDir();
const READING = readIrisReading();

/** Each field of a PP file (32-bit words, either byte order) as the bytes of its two records. */
function fieldRecords(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = view.getInt32(0, false) !== 256;
  const out: Uint8Array[] = [];
  for (let pos = 0; pos < bytes.length; ) {
    const start = pos;
    for (let record = 0; record < 2; record++) pos += 8 + view.getInt32(pos, le);
    out.push(bytes.slice(start, pos));
  }
  return out;
}

type Options = { source?: number[]; field: number[]; offset: number[] };
const optionsOf = (data: unknown) => (data as SourceArray).options as unknown as Options;
const summaries = (publication: Publication) => publication.cubes.map((c) => cubeSummary(c)).join('\n\n');

let files: Awaited<ReturnType<typeof scratch>>;
beforeAll(async () => {
  files = await scratch();
});
afterAll(async () => files?.cleanup());

describe('the PP files of iris-test-data, cut into one file per field', () => {
  const ppFiles = [...READING.keys()].filter((p) => p.startsWith('PP/') && fieldRecords(readFileSync(join(DATA, p))).length > 1);

  test('six files have more than one field', () => {
    expect(ppFiles).toHaveLength(6);
  });

  test.each(ppFiles)("%s: print(cube) is Iris's for the whole file, and the values are the whole file's", async (rel) => {
    const records = fieldRecords(readFileSync(join(DATA, rel)));
    const dir = rel.replace(/[/.]/g, '_');
    const paths = await Promise.all(records.map((r, i) => files.write(`${dir}_${String(i).padStart(3, '0')}.pp`, r)));
    const split = await load(paths);
    expect(split.warnings).toEqual([]);
    expect(split.publication.sources).toHaveLength(records.length);
    expect(summaries(split.publication).split('\n')).toEqual((READING.get(rel) ?? []).join('\n\n').split('\n'));

    const whole = await load([join(DATA, rel)]);
    for (const [k, cube] of split.publication.cubes.entries()) {
      const o = optionsOf(cube.data);
      // A field per file: each field is the first of its file, and the files are the fields' places in the whole.
      expect(o.field.every((f) => f === 0)).toBe(true);
      expect(o.source ?? [(cube.data as SourceArray).source]).toEqual(optionsOf(whole.publication.cubes[k].data).field);
      expect(await readArray(split.publication, cube.data)).toEqual(await readArray(whole.publication, whole.publication.cubes[k].data));
    }
  });
});

describe('written runs', () => {
  const ROWS = 3;
  const COLS = 4;
  /** A field's values: distinct per time, level and parameter, so a misplaced field shows. */
  const values = (t: number, level: number, stash: number) => Array.from({ length: ROWS * COLS }, (_, i) => 1000 * t + level + stash / 100 + i / 4);
  const field = (t: number, level: number, stash: number, extra: HeaderWords = {}) =>
    ppField({ lbhr: t, lbft: t, lbhrd: 0, blev: level, lblev: level, lbuser: [1, 0, 0, stash, 0, 0, 1], ...extra }, values(t, level, stash));
  const LEVELS = [1000, 850, 500];
  const STASH = [16203, 16202];
  /** The fields valid at time `t`: both parameters on every level. */
  const atTime = (t: number, extra: HeaderWords = {}) => STASH.flatMap((s) => LEVELS.map((l) => field(t, l, s, extra)));

  test('a run written one file per time merges as one file holding all the fields', async () => {
    const paths = await Promise.all([0, 1, 2, 3].map((t) => files.write(`time_${t}.pp`, ppFile(atTime(t)))));
    const all = await files.write('all_times.pp', ppFile([0, 1, 2, 3].flatMap((t) => atTime(t))));
    const split = await load(paths);
    const whole = await load([all]);
    expect(split.warnings).toEqual([]);
    expect(summaries(split.publication)).toBe(summaries(whole.publication));
    expect(split.publication.cubes.map((c) => c.shape)).toEqual([
      [4, 3, ROWS, COLS],
      [4, 3, ROWS, COLS],
    ]);
    // Iris's order, by standard name: air_temperature (m01s16i203) before geopotential_height (m01s16i202).
    const [temperature] = split.publication.cubes;
    expect(temperature.attributes.STASH).toBe('m01s16i203');
    expect(temperature.data).toMatchObject({ kind: 'source', format: 'pp', source: 0 });
    // Each time's three levels in that time's file, where they are its first three fields, levels upwards.
    const o = optionsOf(temperature.data);
    expect(o.source).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
    expect(o.field).toEqual(new Array(4).fill([2, 1, 0]).flat());
    const { values: got } = await readArray(split.publication, temperature.data);
    for (const t of [0, 1, 2, 3]) {
      for (const [k, level] of [500, 850, 1000].entries()) {
        const at = (t * 3 + k) * ROWS * COLS;
        expect(Array.from((got as Float32Array).slice(at, at + ROWS * COLS))).toEqual(values(t, level, 16203).map(Math.fround));
      }
    }
    // The format takes the per-field sources (the schema checks them) and reads them back.
    const again = parse(serialize(split.publication));
    expect(again.errors.map((e) => e.format())).toEqual([]);
    expect(optionsOf(again.publication!.cubes[0].data).source).toEqual(o.source);
  });

  test('files per ensemble member and time alternate along both dimensions of the merged cube', async () => {
    const members = [1, 2, 3];
    const paths: string[] = [];
    for (const m of members) for (const t of [0, 6]) paths.push(await files.write(`member_${m}_t${t}.pp`, ppFile([field(t, 850, 16203, { lbrsvd: [0, 0, 0, m] })])));
    const { publication, warnings } = await load(paths);
    expect(warnings).toEqual([]);
    expect(publication.cubes).toHaveLength(1);
    const [cube] = publication.cubes;
    expect(cube.dims.slice(0, 2)).toEqual(['realization', 'time']);
    expect(cube.shape).toEqual([3, 2, ROWS, COLS]);
    // Neither a member nor a time lies in one file: only a source per field describes them.
    expect(optionsOf(cube.data).source).toEqual([0, 1, 2, 3, 4, 5]);
    const { values: got } = await readArray(publication, cube.data);
    expect(Array.from((got as Float32Array).slice(3 * ROWS * COLS, 4 * ROWS * COLS))).toEqual(values(6, 850, 16203).map(Math.fround));
  });

  test('a derived coordinate takes its reference from another file (orography in a file of its own)', async () => {
    const theta = (t: number, level: number) =>
      ppField({ lbhr: t, lbft: t, lbvc: 65, lblev: level, blev: 20 * level, bhlev: 1 - 0.1 * level, lbuser: [1, 0, 0, 4, 0, 0, 1] }, values(t, level, 4));
    const orography = ppField({ lbvc: 129, lbuser: [1, 0, 0, 33, 0, 0, 1] }, Array.from({ length: ROWS * COLS }, (_, i) => 10 * i));
    const paths = [
      await files.write('orog.pp', ppFile([orography])),
      await files.write('theta_0.pp', ppFile([theta(0, 1), theta(0, 2)])),
      await files.write('theta_1.pp', ppFile([theta(1, 1), theta(1, 2)])),
    ];
    const whole = await files.write('theta_all.pp', ppFile([orography, theta(0, 1), theta(0, 2), theta(1, 1), theta(1, 2)]));
    const split = await load(paths);
    expect(split.warnings).toEqual([]);
    expect(summaries(split.publication)).toBe(summaries((await load([whole])).publication));
    const cube = split.publication.cubes.find((c) => c.standard_name === 'air_potential_temperature')!;
    expect(cube.derived_coords.altitude).toMatchObject({ formula: 'hybrid_height' });
    expect(cube.aux_coords.surface_altitude.points).toMatchObject({ kind: 'source', format: 'pp', source: 0 });
    expect(optionsOf(cube.data).source).toEqual([1, 1, 2, 2]);
    const { values: orog } = await readArray(split.publication, cube.aux_coords.surface_altitude.points);
    expect(Array.from(orog as Float32Array)).toEqual(Array.from({ length: ROWS * COLS }, (_, i) => 10 * i));
  });

  test('files of different byte orders: each order merged on its own, with a warning', async () => {
    const little = (fields: ReturnType<typeof field>[]) => ppFile(fields, { littleEndian: true });
    const le = (t: number) => ppField({ lbhr: t, lbft: t }, values(t, 1000, 16203), { littleEndian: true });
    const paths = [
      await files.write('big_0.pp', ppFile([field(0, 1000, 16203)])),
      await files.write('big_1.pp', ppFile([field(1, 1000, 16203)])),
      await files.write('little_2.pp', little([le(2)])),
      await files.write('little_3.pp', little([le(3)])),
    ];
    const { publication, warnings } = await load(paths);
    expect(publication.cubes.map((c) => [c.shape[0], optionsOf(c.data).source, (c.data as SourceArray).options?.byte_order])).toEqual([
      [2, [0, 1], 'big'],
      [2, [2, 3], 'little'],
    ]);
    expect(warnings).toEqual([expect.objectContaining({ code: 'PP_LOAD', source: 0, message: expect.stringContaining('byte order') })]);
    const { values: got } = await readArray(publication, publication.cubes[1].data);
    expect(Array.from((got as Float32Array).slice(ROWS * COLS))).toEqual(values(3, 1000, 16203).map(Math.fround));
  });

  test('other formats between PP files keep their place; the PP cubes refer to the PP sources', async () => {
    const nc = join(DATA, 'NetCDF/testing/units.nc');
    const paths = [await files.write('mixed_0.pp', ppFile(atTime(0))), nc, await files.write('mixed_1.pp', ppFile(atTime(1)))];
    const progress: number[] = [];
    const { publication } = await loadWithProgress(paths, progress);
    expect(publication.sources.map((s) => s.uri)).toEqual(paths);
    expect(progress).toEqual([1, 2, 3]);
    const pp = publication.cubes.filter((c) => (c.data as SourceArray).format === 'pp');
    expect(pp).toHaveLength(2);
    for (const cube of pp) expect(optionsOf(cube.data).source).toEqual([0, 0, 0, 2, 2, 2]);
    expect(publication.cubes.length).toBeGreaterThan(2);
  });

  test('a field in a source the publication does not list is a coded error when read', async () => {
    const paths = await Promise.all([0, 1].map((t) => files.write(`unlisted_${t}.pp`, ppFile(atTime(t)))));
    const { publication } = await load(paths);
    const pool = createSourcePool();
    try {
      const array = fromArrayData(publication.cubes[0].data, { sources: publication.sources.slice(0, 1), pool, plugins: defaultRegistry });
      await expect(array.read()).rejects.toMatchObject({ code: 'PP_BAD_OPTIONS', message: expect.stringContaining('source 1') });
    } finally {
      await pool.close();
    }
  });

  test('kerchunk chunk references point each field into its own file', async () => {
    const paths = await Promise.all([0, 1].map((t) => files.write(`chunks_${t}.pp`, ppFile(atTime(t)))));
    const { publication } = await load(paths);
    const ref = publication.cubes[0].data as SourceArray;
    const pool = createSourcePool();
    const layout = await ppPlugin.chunkRefs!(ref, paths[0], { openSource: (u) => pool.open(u), sourceUri: (i) => publication.sources[i]?.uri });
    expect(layout.refs.map((r) => [r.key, r.uri])).toEqual([
      ['0.0.0.0', paths[0]],
      ['0.1.0.0', paths[0]],
      ['0.2.0.0', paths[0]],
      ['1.0.0.0', paths[1]],
      ['1.1.0.0', paths[1]],
      ['1.2.0.0', paths[1]],
    ]);
    // Without a way to find the other files (a context that gives no source URIs), a coded error.
    await expect(ppPlugin.chunkRefs!(ref, paths[0], { openSource: (u) => pool.open(u) })).rejects.toMatchObject({ code: 'PP_BAD_OPTIONS' });
    await pool.close();
  });
});

test('spec/conformance/valid/pp-across-files.cube.md reads the six files it names', async () => {
  const text = readFileSync(new URL('../../../../spec/conformance/valid/pp-across-files.cube.md', import.meta.url));
  const { publication } = parse(text);
  const dir = await scratch();
  try {
    const temperature = (m: number, t: number) => Array.from({ length: 12 }, (_, i) => 270 + m + t / 4 + i / 8);
    for (const m of [1, 2, 3]) {
      for (const t of [3, 6]) {
        const words = { lbyr: 2026, lbyrd: 2026, lbmon: 1, lbmond: 1, lbdat: 7, lbdatd: 7, lbhr: t, lbhrd: 0, lbft: t, lbvc: 129, lbproc: 0, bmdi: -1073741824 };
        await dir.write(`mogreps_0${m}_00${t}.pp`, ppFile([ppField({ ...words, lbrsvd: [0, 0, 0, m], lbuser: [1, 0, 0, 3236, 0, 0, 1] }, temperature(m, t))]));
      }
    }
    // The example was written from these files: loading them gives its cube.
    const loaded = await loadPublication(publication!.sources.map((s) => join(dir.dir, s.uri)), { base: dir.dir });
    expect(loaded.publication.cubes[0].data).toEqual(publication!.cubes[0].data);
    const pool = createSourcePool();
    const { values } = await fromArrayData(publication!.cubes[0].data, { sources: publication!.sources, base: dir.dir, pool, plugins: defaultRegistry }).read();
    await pool.close();
    expect(Array.from(values as Float32Array)).toEqual([1, 2, 3].flatMap((m) => [3, 6].flatMap((t) => temperature(m, t).map(Math.fround))));
  } finally {
    await dir.cleanup();
  }
});

function loadWithProgress(paths: string[], progress: number[]) {
  return loadPublication(paths, { onProgress: (done) => progress.push(done) });
}
