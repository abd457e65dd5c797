import { copyFileSync, mkdirSync, mkdtempSync, openSync, readSync, closeSync, rmSync, renameSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SourceArray } from '@cubemark/format';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { afterEach } from 'vitest';
import { createSourcePool, type SourcePool } from '../../src/bytes/pool.js';
import { ByteSourceError, DatasetFormatError } from '../../src/errors.js';
import { openHdf5Dataset } from '../../src/readers/hdf5/dataset.js';
import { hdf5Plugin } from '../../src/readers/hdf5/plugin.js';
import { ncgen4 } from './cdl.js';

const DATA = '/work/shared/data/iris-test-data/NetCDF';
const UNITS = join(DATA, 'testing/units.nc');
const CLASSIC = join(DATA, 'testing/cell_methods.nc');
const FIXTURE = fileURLToPath(new URL('./fixtures/features.cdl', import.meta.url));

/** The plugin reads through byte sources, like every other: a real pool, counted, fresh for every test. */
let ctx: SourcePool;
beforeEach(() => {
  ctx = createSourcePool();
});
afterEach(() => ctx.close());

function head(path: string, length = 1024): Uint8Array {
  const fd = openSync(path, 'r');
  const buf = new Uint8Array(length);
  const n = readSync(fd, buf, 0, length, 0);
  closeSync(fd);
  return buf.subarray(0, n);
}

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

let dir: string;
let features: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cubemark-hdf5-plugin-'));
  features = join(dir, 'features.nc');
  ncgen4(FIXTURE, features);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sniff', () => {
  it('recognises NetCDF-4/HDF5 files and nothing else', () => {
    expect(hdf5Plugin.name).toBe('hdf5');
    expect(hdf5Plugin.sniff(head(UNITS), UNITS)).toBe(true);
    expect(hdf5Plugin.sniff(head(features), features)).toBe(true);
    expect(hdf5Plugin.sniff(head(CLASSIC), CLASSIC)).toBe(false);
    expect(hdf5Plugin.sniff(head(join(DATA, '../README.md')), 'README.md')).toBe(false);
    expect(hdf5Plugin.sniff(new Uint8Array(0), 'empty')).toBe(false);
    expect(hdf5Plugin.sniff(head(UNITS, 7), UNITS)).toBe(false);
  });

  it('finds the signature after a user block of 512, 1024, ... bytes, and only there', () => {
    const signature = head(UNITS, 8);
    const at = (offset: number, size = 4096) => {
      const bytes = new Uint8Array(size);
      bytes.set(signature, offset);
      return hdf5Plugin.sniff(bytes, 'x.h5');
    };
    expect(at(512)).toBe(true);
    expect(at(2048)).toBe(true);
    expect(at(100)).toBe(false);
    expect(at(768)).toBe(false);
  });
});

describe('openDataset', () => {
  it('opens a path, a file: URI and a path relative to the working directory alike', async () => {
    for (const uri of [UNITS, pathToFileURL(UNITS).href, relative(process.cwd(), UNITS)]) {
      const dataset = await hdf5Plugin.openDataset(uri, ctx);
      expect(dataset.uri).toBe(uri);
      expect([...dataset.variables.keys()]).toEqual(['time', 'height', 'cube_0', 'cube_1']);
      await dataset.close();
    }
  });

  it('gives NOT_FOUND naming the path of a missing file', async () => {
    const missing = join(dir, 'no-such-file.nc');
    const error = await rejection(hdf5Plugin.openDataset(missing, ctx));
    expect(error).toBeInstanceOf(ByteSourceError);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain(missing);
    const relativeError = await rejection(hdf5Plugin.openDataset('no/such/file.nc', ctx));
    expect(relativeError.message).toContain(join(process.cwd(), 'no/such/file.nc'));
  });

  it('gives HDF5_BAD_MAGIC for files that are not HDF5, saying what they are (a directory is no object: NOT_FOUND)', async () => {
    const classic = await rejection(hdf5Plugin.openDataset(CLASSIC, ctx));
    expect(classic).toBeInstanceOf(DatasetFormatError);
    expect(classic.code).toBe('HDF5_BAD_MAGIC');
    expect(classic.message).toMatch(/NetCDF classic file \(CDF-1\).*'netcdf' plugin/);
    const text = await rejection(hdf5Plugin.openDataset(join(DATA, '../README.md'), ctx));
    expect(text.code).toBe('HDF5_BAD_MAGIC');
    expect(text.message).toContain('README.md');
    const empty = join(dir, 'empty.nc');
    writeFileSync(empty, '');
    expect((await rejection(hdf5Plugin.openDataset(empty, ctx))).message).toMatch(/empty/);
    const folder = join(dir, 'a-directory.nc');
    mkdirSync(folder);
    expect((await rejection(hdf5Plugin.openDataset(folder, ctx))).code).toBe('NOT_FOUND');
  });

  it('gives HDF5_TRUNCATED, naming the file and a byte offset, for a file cut short after its signature', async () => {
    const truncated = join(dir, 'truncated.nc');
    writeFileSync(truncated, readFileSync(features).subarray(0, 600));
    const error = await rejection(hdf5Plugin.openDataset(truncated, ctx));
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect(error.code).toBe('HDF5_TRUNCATED');
    expect(error.message).toContain(truncated);
    expect(error.message).toMatch(/\(byte \d+\)/);
  });
});

describe('reading values that do not decode', () => {
  it('gives HDF5_CHECKSUM naming the variable, the chunk and its offset, and the file stays usable', async () => {
    // `checked` holds 0x12345678, 0x9abcdef0 under a Fletcher-32 checksum: flip one of its bytes.
    const corrupt = join(dir, 'corrupt.nc');
    const bytes = readFileSync(features);
    const at = Buffer.from(bytes).indexOf(Buffer.from([0x78, 0x56, 0x34, 0x12, 0xf0, 0xde, 0xbc, 0x9a]));
    expect(at).toBeGreaterThan(0);
    bytes[at] ^= 0xff;
    writeFileSync(corrupt, bytes);
    const dataset = await hdf5Plugin.openDataset(corrupt, ctx);
    const error = await rejection(dataset.variables.get('checked')!.read({ start: [0], count: [2] }));
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect(error.code).toBe('HDF5_CHECKSUM');
    expect(error.message).toContain(corrupt);
    expect(error.message).toMatch(/variable 'checked'.*chunk \[0\].*Fletcher-32.*damaged/);
    expect((error as DatasetFormatError & { offset?: number }).offset).toBe(at);
    expect(await dataset.variables.get('y')!.read({ start: [0], count: [3] })).toEqual(Int32Array.of(10, 20, 30));
    await dataset.close();
  });
});

describe('openArray', () => {
  const source = (variable: string, dtype: SourceArray['dtype'], shape: number[], options?: SourceArray['options']): SourceArray => ({
    kind: 'source',
    dtype,
    shape,
    source: 0,
    format: 'hdf5',
    variable,
    ...(options ? { options } : {}),
  });

  it("reads what the dataset's variable reads, from its locator or by name", async () => {
    const dataset = await hdf5Plugin.openDataset(features, ctx);
    for (const name of ['temp', 'z', 'label', 'big']) {
      const v = dataset.variables.get(name)!;
      const slab = { start: v.shape.map(() => 0), count: [...v.shape] };
      const expected = await v.read(slab);
      const viaLocator = await hdf5Plugin.openArray(source(name, v.dtype, v.shape, v.locator()), features, ctx);
      expect(await viaLocator(slab)).toEqual(expected);
      const byName = await hdf5Plugin.openArray(source(name, v.dtype, v.shape), features, ctx);
      expect(await byName(slab)).toEqual(expected);
    }
    await dataset.close();
  });

  it('checks the recorded variable against the file', async () => {
    const code = async (ref: SourceArray) => (await rejection(hdf5Plugin.openArray(ref, features, ctx))).code;
    expect(await code(source('nope', 'float64', [2]))).toBe('HDF5_NO_SUCH_VARIABLE');
    expect(await code(source('z', 'float64', [3, 4], { dataset: '/nope' }))).toBe('HDF5_NO_SUCH_VARIABLE');
    expect(await code(source('z', 'float64', [3, 4], { path: '/z' }))).toBe('HDF5_BAD_LOCATOR');
    expect(await code(source('z', 'float32', [3, 4]))).toBe('HDF5_VARIABLE_CHANGED');
    expect(await code(source('z', 'float64', [3, 5]))).toBe('HDF5_VARIABLE_CHANGED');
    expect(await code(source('wind', 'float32', [2]))).toBe('HDF5_UNSUPPORTED_TYPE');
    // Unpacked dtype differs from the stored one: stored_dtype is what must match.
    const packed = await hdf5Plugin.openArray({ ...source('temp', 'float64', [2, 3, 4]), stored_dtype: 'int16' }, features, ctx);
    expect(await packed({ start: [0, 0, 0], count: [1, 1, 2] })).toEqual(Int16Array.of(1, 2));
    // Records appended since publishing are fine: the unlimited axis may have grown.
    const older = await hdf5Plugin.openArray(source('temp', 'int16', [1, 3, 4]), features, ctx);
    expect(await older({ start: [0, 2, 0], count: [1, 1, 4] })).toEqual(Int16Array.of(9, 10, 11, 12));
  });
});

describe('one parsed file per byte source', () => {
  it('reads the headers once however many datasets and readers use the same pool', async () => {
    const a = await openHdf5Dataset(features, ctx);
    const opened = ctx.counter.bytes;
    expect(opened).toBeGreaterThan(0);
    const b = await openHdf5Dataset(pathToFileURL(features).href, ctx);
    const reader = await hdf5Plugin.openArray({ kind: 'source', dtype: 'float64', shape: [3, 4], source: 0, format: 'hdf5', variable: 'z' }, features, ctx);
    await openHdf5Dataset(features, ctx);
    // The file: URI is another source of the pool; the plain path's was reused twice and read nothing more.
    const fileUri = createSourcePool();
    await openHdf5Dataset(pathToFileURL(features).href, fileUri);
    expect(ctx.counter.bytes).toBe(opened + fileUri.counter.bytes);
    await fileUri.close();
    expect(await reader({ start: [0, 0], count: [1, 2] })).toEqual(Float64Array.of(1, 2));
    await a.close();
    expect(await b.variables.get('y')!.read({ start: [0], count: [3] })).toEqual(Int32Array.of(10, 20, 30));
  });

  it('fails reads of a closed dataset with DATASET_CLOSED', async () => {
    const dataset = await openHdf5Dataset(features, ctx);
    const y = dataset.variables.get('y')!;
    await dataset.close();
    const error = await rejection(y.read({ start: [0], count: [1] }));
    expect(error.code).toBe('DATASET_CLOSED');
    expect(error.message).toContain(features);
  });

  it('opens a file replaced on disk afresh through a new pool, leaving open datasets on the old one', async () => {
    const swap = join(dir, 'swap.nc');
    copyFileSync(features, swap);
    const before = await openHdf5Dataset(swap, ctx);
    const staging = join(dir, 'swap.staging');
    copyFileSync(UNITS, staging);
    renameSync(staging, swap);
    const other = createSourcePool();
    const after = await openHdf5Dataset(swap, other);
    expect(after.variables.has('cube_0')).toBe(true);
    // The old handle still reads the old file.
    expect(await before.variables.get('y')!.read({ start: [0], count: [3] })).toEqual(Int32Array.of(10, 20, 30));
    await other.close();
  });
});

describe('aborting', () => {
  it('an aborted open rejects with ABORTED for that caller only; others opening the same file are not hurt', async () => {
    const controller = new AbortController();
    const aborted = hdf5Plugin.openDataset(features, ctx, { signal: controller.signal });
    const other = hdf5Plugin.openDataset(features, ctx);
    controller.abort(new Error('stop'));
    expect((await rejection(aborted)).code).toBe('ABORTED');
    expect((await other).variables.has('temp')).toBe(true);
  });
});
