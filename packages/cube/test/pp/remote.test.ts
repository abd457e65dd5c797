/**
 * PP files over HTTP and S3 (real servers on 127.0.0.1): loading reads the record-length words and headers by
 * range, never the data; a field is then read with one range of exactly its length.
 */
import type { SourceArray } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSourcePool } from '../../src/bytes/pool.js';
import { fromArrayData } from '../../src/lazy/from-data.js';
import { defaultRegistry } from '../../src/readers/registry.js';
import { startHttpServer, type HttpTestServer } from '../helpers/http-server.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { load, readArray, scratch } from './helpers/load.js';
import { fieldsfile, ppField, ppFile } from './helpers/pp-writer.js';

const ROWS = 200;
const COLS = 300;
const FIELDS = 24;
/** A UM-like run: 24 fields of 200 × 300 (240 KB each), 6 times × 4 pressure levels, one of them WGDOS packed. */
function run(): Uint8Array {
  const values = new Float32Array(ROWS * COLS).map((_, i) => 250 + (i % 40) / 4);
  return ppFile(
    Array.from({ length: FIELDS }, (_, i) => {
      const t = Math.floor(i / 4);
      const level = 1000 - 100 * (i % 4);
      return ppField({ lbrow: ROWS, lbnpt: COLS, lbhr: t, lbft: t, blev: level, lblev: level, lbpack: i === 5 ? 1 : 0, bacc: -2 }, values);
    }),
  );
}

let files: Awaited<ReturnType<typeof scratch>>;
let http: HttpTestServer;
let s3: S3TestServer;
let restoreEnv: () => void;
let size: number;

beforeAll(async () => {
  files = await scratch();
  const bytes = run();
  size = bytes.length;
  await files.write('run.pp', bytes);
  await files.write('run.ff', fieldsfile([ppField({ lbrow: ROWS, lbnpt: COLS }, new Float32Array(ROWS * COLS).fill(1))], { lookupEntries: 100 }));
  http = await startHttpServer(files.dir);
  s3 = await startS3Server();
  restoreEnv = s3.applyEnv();
  await s3.put('runs/run.pp', `${files.dir}/run.pp`);
});

afterAll(async () => {
  restoreEnv?.();
  await s3?.stop();
  await http?.stop();
  await files?.cleanup();
});

/** What loading takes beyond the headers: the format detection's and the reader's first 1 KiB each, and stats. */
const OVERHEAD = 2 * 1024;
/** Headers read ahead on the guess that records keep their size: a field of another size wastes at most these. */
const GUESSED = 16;

describe.each([
  ['HTTP', () => `${http.url}/run.pp`, () => createSourcePool()],
  ['S3', () => s3.uri('runs/run.pp'), () => createSourcePool({ s3: { endpoint: s3.endpoint } })],
])('over %s', (_, uri, pool) => {
  test('loading reads the headers only, one range per field', async () => {
    const p = pool();
    const { publication } = await load([uri()], p);
    expect(publication.cubes).toHaveLength(1);
    expect(publication.cubes[0].shape).toEqual([6, 4, ROWS, COLS]);
    expect(p.counter.bytes).toBeLessThanOrEqual((FIELDS + GUESSED) * 268 + OVERHEAD);
    expect(p.counter.bytes / size).toBeLessThan(0.003);
    // A range per header (some guessed wrongly after the packed field), the format detection's, the reader's
    // first bytes and two stats.
    expect(p.counter.requests).toBeLessThanOrEqual(FIELDS + GUESSED + 4);
    await p.close();
  });

  test('one field is one range of exactly its length; the WGDOS one unpacks', async () => {
    const { publication } = await load([uri()]);
    const cube = publication.cubes[0];
    const ref = cube.data as SourceArray;
    const o = ref.options as { field: number[]; offset: number[]; length: number[]; lbpack: number[] };
    // The file's sixth field (WGDOS packed), wherever the merge put it.
    const k = o.field.indexOf(5);
    expect(o.lbpack[k]).toBe(1);
    const single = { ...ref, shape: [ROWS, COLS], chunks: [ROWS, COLS], options: { ...ref.options, field: [5], offset: [o.offset[k]], length: [o.length[k]], lbpack: 1 } };
    const p = pool();
    const { values } = await readArray(publication, single, p);
    expect(p.counter.requests).toBe(1);
    expect(p.counter.bytes).toBe(o.length[k]);
    expect(values[41]).toBe(250 + 1 / 4);
  });
});

test('a point time series of unpacked fields reads one row of each field, nothing else', async () => {
  const { publication } = await load([`${http.url}/run.pp`]);
  const cube = publication.cubes[0];
  const levels = cube.dim_coords.pressure.points;
  expect(levels).toMatchObject({ values: Float32Array.of(700, 800, 900, 1000) });
  const p = createSourcePool();
  // 1000 hPa (no packed field there), row 100, point 50, every time.
  const series = await fromArrayData(cube.data, { sources: publication.sources, pool: p, plugins: defaultRegistry }).slice([{}, 3, 100, 50]).read();
  expect(series.shape).toEqual([6]);
  expect(Array.from(series.values as Float32Array)).toEqual(new Array(6).fill(250 + ((100 * COLS + 50) % 40) / 4));
  expect(p.counter.requests).toBe(6);
  expect(p.counter.bytes).toBe(6 * COLS * 4);
  await p.close();
});

test('a fieldsfile over HTTP: the fixed header and the lookup table, two ranges', async () => {
  const p = createSourcePool();
  const { publication } = await load([`${http.url}/run.ff`], p);
  expect(publication.cubes).toHaveLength(1);
  // Detection's 1 KiB and the reader's, a stat each, the fixed header (2 KiB) and 100 lookup entries of 512 bytes.
  expect(p.counter.bytes).toBeLessThanOrEqual(OVERHEAD + 2048 + 100 * 512);
  await p.close();
});
