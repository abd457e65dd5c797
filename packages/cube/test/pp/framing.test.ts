import { describe, expect, test, vi } from 'vitest';
import { indexFieldsfile } from '../../src/readers/pp/fieldsfile.js';
import { isFieldsfile, ppLayout } from '../../src/readers/pp/sniff.js';
import { indexPpFile } from '../../src/readers/pp/pp-file.js';
import { fieldsfile, ppField, ppFile } from './helpers/pp-writer.js';
import { memorySource } from './helpers/memory-source.js';
import { scratch } from './helpers/load.js';
import { createSourcePool } from '../../src/bytes/pool.js';

/** `n` big fields (200 × 300 unpacked): data dominate the file, so reading data would show in the counts. */
function bigFile(n: number, littleEndian = false, rows = 200): Uint8Array {
  const values = new Float32Array(rows * 300).map((_, i) => i % 97);
  return ppFile(
    Array.from({ length: n }, (_, i) => ppField({ lbrow: rows, lbnpt: 300, lbft: i, lbhr: i }, values, { littleEndian })),
    { littleEndian },
  );
}

describe('PP files', () => {
  test('the first record-length word gives the word size and byte order', () => {
    expect(ppLayout(bigFile(1).subarray(0, 4))).toEqual({ wordBytes: 4, littleEndian: false });
    expect(ppLayout(bigFile(1, true).subarray(0, 4))).toEqual({ wordBytes: 4, littleEndian: true });
    expect(ppLayout(new Uint8Array([0, 0, 2, 0]))).toEqual({ wordBytes: 8, littleEndian: false });
    expect(ppLayout(new TextEncoder().encode('CDF\x01'))).toBeUndefined();
  });

  test.each([false, true])('indexing reads the headers only (little-endian: %s)', async (littleEndian) => {
    const bytes = bigFile(20, littleEndian);
    const source = memorySource(bytes);
    const index = await indexPpFile(source);
    expect(index.problems).toEqual([]);
    expect(index.fields.map((f) => f.header.lbft)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // One request per field, each the 4 + 256 + 4 + 4 bytes of its length words and header.
    expect(source.counter.requests).toBe(20);
    expect(source.counter.bytes).toBe(20 * 268);
    expect(source.counter.bytes / bytes.length).toBeLessThan(0.005);
    const [first, second] = index.fields;
    expect(first.dataOffset).toBe(268);
    expect(first.dataLength).toBe(200 * 300 * 4);
    expect(second.dataOffset).toBe(268 + 200 * 300 * 4 + 4 + 268);
    expect(first.layout).toEqual({ wordBytes: 4, littleEndian });
    expect(first.dtype).toBe('float32');
  });

  test('a source with synchronous reads (a local file) is indexed the same, one read per header, no guesses', async () => {
    const bytes = bigFile(20);
    const source = memorySource(bytes, 'memory.pp', { syncMs: 0 });
    const index = await indexPpFile(source);
    expect(index).toEqual(await indexPpFile(memorySource(bytes)));
    // Every header read synchronously, none guessed.
    expect(source.syncReads).toBe(20);
    expect(source.counter.requests).toBe(20);
    expect(source.counter.bytes).toBe(20 * 268);
  });

  test('a local file through a source pool (as an import reads it): synchronous reads of the headers only', async () => {
    const files = await scratch();
    const pool = createSourcePool();
    try {
      // Records of 360 KB, far enough apart that asynchronous reads would guess the next headers.
      const bytes = bigFile(20, false, 300);
      const path = await files.write('run.pp', bytes);
      const source = pool.open(path);
      const readSync = vi.spyOn(source, 'readSync');
      const index = await indexPpFile(source);
      expect(index.fields).toEqual((await indexPpFile(memorySource(bytes))).fields);
      // A stat, then a read per header: the first opens the file, the others are synchronous, none guessed.
      expect(readSync).toHaveBeenCalledTimes(20);
      expect(pool.counter).toEqual({ requests: 21, bytes: 20 * 268 });
    } finally {
      await pool.close();
      await files.cleanup();
    }
  });

  test('after a run of slow synchronous reads (a file not in the page cache) the walk reads asynchronously', async () => {
    const bytes = bigFile(20);
    const source = memorySource(bytes, 'memory.pp', { syncMs: 1.5 });
    const index = await indexPpFile(source);
    expect(index.fields).toHaveLength(20);
    expect(source.syncReads).toBe(4);
    // The rest asynchronously, the headers of equal records guessed ahead again.
    expect(source.counter.requests).toBeGreaterThan(16);
  });

  test('a long synchronous walk yields to the event loop', async () => {
    // Fields of 20 KB: records too big to be read through with the next header.
    const fields = Array.from({ length: 60 }, (_, i) => ppField({ lbrow: 80, lbnpt: 64, lbft: i }, new Float32Array(80 * 64)));
    const source = memorySource(ppFile(fields), 'memory.pp', { syncMs: 0.3 });
    let turns = 0;
    let done = false;
    const turn = () => {
      turns++;
      if (!done) setImmediate(turn);
    };
    setImmediate(turn);
    // 60 synchronous reads of at least 0.3 ms each: more than one 10 ms slice.
    const index = await indexPpFile(source);
    done = true;
    expect(index.fields).toHaveLength(60);
    expect(source.syncReads).toBe(60);
    expect(turns).toBeGreaterThan(0);
  });

  test('small records are read through with the next header (one request for many fields)', async () => {
    const fields = Array.from({ length: 50 }, (_, i) => ppField({ lbrow: 2, lbnpt: 2, lbft: i }, [1, 2, 3, 4]));
    const source = memorySource(ppFile(fields));
    const index = await indexPpFile(source);
    expect(index.fields).toHaveLength(50);
    // The first header, then the rest of the file in one read-ahead block.
    expect(source.counter.requests).toBe(2);
  });

  test('extra data (LBEXT) are decoded into vectors by their IB codes', async () => {
    const f = ppField({ lbrow: 3, lbnpt: 1, bdy: 0 }, [1, 2, 3], { extra: { 2: [10, 20, 30], 14: [5, 15, 25], 15: [15, 25, 35] } });
    const index = await indexPpFile(memorySource(ppFile([f])));
    const [field] = index.fields;
    expect(field.header.lbext).toBe(3 * 4);
    expect(field.dataLength).toBe(12);
    expect(Array.from(field.extra?.vectors.y ?? [])).toEqual([10, 20, 30]);
    expect(Array.from(field.extra?.vectors.y_upper_bound ?? [])).toEqual([15, 25, 35]);
  });

  test('integer fields (LBUSER1 = 2) are int32', async () => {
    const index = await indexPpFile(memorySource(ppFile([ppField({ lbuser: [2, 0, 0, 0, 0, 0, 0], lbrow: 1, lbnpt: 2 }, [3, 4])])));
    expect(index.fields[0].dtype).toBe('int32');
  });
});

describe('fieldsfiles', () => {
  const fields = [ppField({ lbft: 0 }, new Float32Array(12).fill(1)), ppField({ lbft: 3, lbpack: 1 }, new Float32Array(12).fill(2))];

  test('detection by the fixed header, not the name', () => {
    expect(isFieldsfile(fieldsfile(fields).subarray(0, 1024))).toBe(true);
    expect(isFieldsfile(ppFile(fields).subarray(0, 1024))).toBe(false);
  });

  test('indexing reads the fixed header and the lookup table only; unused (-99) entries are skipped', async () => {
    const bytes = fieldsfile(fields, { lookupEntries: 10 });
    const source = memorySource(bytes, 'memory.ff');
    const index = await indexFieldsfile(source);
    expect(index.problems).toEqual([]);
    expect(index.fields.map((f) => [f.index, f.header.lbft, f.dtype, f.layout.wordBytes])).toEqual([
      [0, 0, 'float64', 8],
      [1, 3, 'float32', 4],
    ]);
    expect(source.counter.requests).toBe(2);
    expect(source.counter.bytes).toBe(2048 + 10 * 64 * 8);
    expect(index.fields[0].dataOffset).toBe(index.fields[0].header.lbegin * 8);
    expect(index.fields[0].dataLength).toBe(12 * 8);
  });
});

describe('fieldsfile grids', () => {
  test('fields without a grid of their own take the fixed header real constants; u-grid STASH codes sit half a step east', async () => {
    const noGrid = { bzx: 0, bdx: 0, bzy: 0, bdy: 0, bplat: 0, bplon: 0 };
    const bytes = fieldsfile(
      [ppField({ ...noGrid, lbuser: [1, 0, 0, 4, 0, 0, 1] }, new Float32Array(12)), ppField({ ...noGrid, lbuser: [1, 0, 0, 2, 0, 0, 1] }, new Float32Array(12))],
      { realConstants: [3.75, 2.5, -90, 0, 90, 0] },
    );
    const source = memorySource(bytes, 'grid.ff');
    const index = await indexFieldsfile(source);
    const [theta, u] = index.fields.map((f) => f.header);
    expect([theta.bdx, theta.bzx, theta.bdy, theta.bzy, theta.bplat, theta.bplon]).toEqual([3.75, -3.75, 2.5, -92.5, 90, 0]);
    // m01s00i002 (x_wind) is on the u grid (code 18): x half a step on, y as p points.
    expect([u.bzx, u.bzy]).toEqual([-3.75 + 1.875, -92.5]);
    // The real constants cost one more request, once.
    expect(source.counter.requests).toBe(3);
  });
});

describe('32-bit fieldsfiles (converted with ieee -32)', () => {
  test('are detected, indexed and read as their 64-bit originals', async () => {
    const values = Array.from({ length: 12 }, (_, i) => 270 + i / 4);
    const fields = () => [ppField({ lbft: 0 }, values), ppField({ lbft: 3, lbpack: 1, bacc: -2 }, values)];
    const ff32 = fieldsfile(fields(), { wordBytes: 4, lookupEntries: 3 });
    const ff64 = fieldsfile(fields(), { lookupEntries: 3 });
    expect(isFieldsfile(ff32.subarray(0, 1024))).toBe(true);
    const [i32, i64] = await Promise.all([indexFieldsfile(memorySource(ff32, 'a.ff32')), indexFieldsfile(memorySource(ff64, 'a.ff'))]);
    expect(i32.problems).toEqual([]);
    expect(i32.fields.map((f) => [f.header.lbft, f.dtype, f.headerReal, f.dataLength])).toEqual([
      [0, 'float32', 'float32', 48],
      [3, 'float32', 'float32', 2048],
    ]);
    // The same header words up to LBLREC (which counts words of the file's size).
    expect(i32.fields.map((f) => f.header.ints.slice(0, 14))).toEqual(i64.fields.map((f) => f.header.ints.slice(0, 14)));
  });
});
