import { copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createByteCounter } from '../../src/bytes/index.js';
import { openNetcdf, parseHeader, readHeader, DEFAULT_PREFIX_BYTES } from '../../src/readers/netcdf/index.js';
import { makeNetcdf } from '../fixtures/make-netcdf.js';
import { FIXTURE_CASES, VERSION_OF, closeSources, expectHeaderMatches, irisClassicFiles, localSource } from './helpers.js';
import { MemorySource } from './memory-source.js';
import { ncdumpHeader } from './ncdump.js';

const irisFiles = await irisClassicFiles();
afterAll(closeSources);

describe('headers match ncdump -h', () => {
  it('finds the classic files of iris-test-data', () => {
    expect(irisFiles.map((f) => f.split('/').pop())).toEqual(
      expect.arrayContaining(['small_FC_167_mon_19601101.nc', 'small_rotPole_precipitation.nc', 'cell_methods.nc']),
    );
  });

  it.each(irisFiles)('iris-test-data %s', async (path) => {
    const counter = createByteCounter();
    const { header } = await readHeader(localSource(path, { counter }));
    expectHeaderMatches(header, await ncdumpHeader(path));
    expect(header.version).toBe(1);
    // One prefix read: never the whole file.
    expect(counter.requests).toBe(1);
    expect(counter.bytes).toBeLessThanOrEqual(DEFAULT_PREFIX_BYTES);
  });

  it.each(FIXTURE_CASES)('fixture %s (%s)', async (name, kind) => {
    const path = await makeNetcdf(name, kind);
    const { header } = await readHeader(localSource(path));
    expect(header.version).toBe(VERSION_OF[kind]);
    expectHeaderMatches(header, await ncdumpHeader(path));
  });
});

describe('header details', () => {
  it('decodes every attribute type, with 64-bit integers exact', async () => {
    const { header } = await readHeader(localSource(await makeNetcdf('cdf5_types', 'cdf5')));
    const attrs = (v: string) => header.variables.find((x) => x.name === v)!.attributes;
    expect(attrs('ub').range).toEqual({ dtype: 'uint8', values: Uint8Array.of(0, 255) });
    expect(attrs('us').range).toEqual({ dtype: 'uint16', values: Uint16Array.of(0, 65535) });
    expect(attrs('ui').range).toEqual({ dtype: 'uint32', values: Uint32Array.of(0, 4294967295) });
    expect(attrs('i64').range).toEqual({ dtype: 'int64', values: BigInt64Array.of(-9223372036854775807n, 9223372036854775807n) });
    expect(attrs('u64').range).toEqual({ dtype: 'uint64', values: BigUint64Array.of(0n, 18446744073709551615n) });
    // 2^53 + 1: not representable as a double, exact as a bigint.
    expect(header.attributes.big).toEqual({ dtype: 'int64', values: BigInt64Array.of(9007199254740993n) });
  });

  it('turns char attributes into strings without trailing NULs, and keeps escapes and UTF-8', async () => {
    const { header } = await readHeader(localSource(await makeNetcdf('classic_types')));
    const c = header.variables.find((v) => v.name === 'c')!.attributes;
    expect(c.padded).toBe('ab');
    expect(c.escapes).toBe('line1\nline2 "quoted" back\\slash\ttab');
    expect(c.empty).toBe('');
    expect(c.unicode).toBe('température ℃');
  });

  it('keeps an attribute named __proto__ as an ordinary attribute', async () => {
    const { header } = await readHeader(localSource(await makeNetcdf('classic_types')));
    expect(Object.getPrototypeOf(header.attributes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(header.attributes, '__proto__')?.value).toBe('not a prototype');
  });

  it.each([
    // time double 8 + counts short×3 (6 → 8) + flag byte (1 → 4) + temp float×3 12 + code char×3 (3 → 4)
    ['records', 36],
    // a lone record variable is not padded: short×3 = 6, not 8
    ['single_record', 6],
    // time 8 + ta 4×10×12×4 = 1920 + ps 10×12×4 = 480
    ['field4d', 2408],
    ['labels', 0],
  ])('%s: record stride %i', async (name, stride) => {
    for (const kind of ['classic', '64-bit offset', 'cdf5'] as const) {
      const { header } = await readHeader(localSource(await makeNetcdf(name, kind)));
      expect(header.recordStride).toBe(stride);
    }
  });

  it('marks record variables and sizes the unlimited dimension by numrecs', async () => {
    const { header } = await readHeader(localSource(await makeNetcdf('records')));
    expect(header.numrecs).toBe(5);
    expect(header.streaming).toBe(false);
    expect(header.dimensions[0]).toEqual({ name: 'time', size: 5, unlimited: true });
    expect(header.variables.filter((v) => v.record).map((v) => v.name)).toEqual(['time', 'counts', 'flag', 'temp', 'code']);
    expect(header.variables.find((v) => v.name === 'counts')!.shape).toEqual([5, 3]);
  });

  it('reads a header longer than the first prefix by fetching only the rest', async () => {
    const path = `${irisFiles.find((f) => f.endsWith('small_FC_167_mon_19601101.nc'))}`;
    const bytes = new Uint8Array(await readFile(path));
    const whole = parseHeader(bytes, path);
    const source = new MemorySource(bytes, path);
    const { header } = await readHeader(source, { prefixBytes: 100 });
    expect(header).toEqual(whole);
    // Doubling from 100 bytes: a few requests, contiguous, and about the header's length, not the file's.
    expect(source.requests).toBeGreaterThan(1);
    expect(source.ranges.every((r, i) => i === 0 || r.offset === source.ranges[i - 1].offset + source.ranges[i - 1].length)).toBe(true);
    expect(source.bytes).toBeLessThan(2 * whole.length + 100);
    expect(source.bytes).toBeLessThan(bytes.length / 10);
  });

  it.each(['classic', 'cdf5'] as const)('computes numrecs of a STREAMING (%s) header from the object size', async (kind) => {
    const original = await makeNetcdf('records', kind);
    const bytes = new Uint8Array(await readFile(original));
    const streaming = bytes.slice();
    streaming.fill(0xff, 4, kind === 'cdf5' ? 12 : 8);
    const path = join(tmpdir(), `cubemark-streaming-${kind}-${process.pid}.nc`);
    await writeFile(path, streaming);
    const source = localSource(path);
    const ds = await openNetcdf(source);
    expect(ds.header.streaming).toBe(true);
    expect(ds.header.numrecs).toBe(5);
    expect(ds.dimensions[0]).toEqual({ name: 'time', size: 5, unlimited: true });
    expect(Array.from((await ds.variables.get('counts')!.read({ start: [4, 0], count: [1, 3] })) as Int16Array)).toEqual([41, 42, 43]);
    await source.close();
  });

  it('counts only whole records of a STREAMING file whose last record is partly written', async () => {
    const original = await makeNetcdf('single_record');
    const path = join(tmpdir(), `cubemark-partial-${process.pid}.nc`);
    await copyFile(original, path);
    const bytes = new Uint8Array(await readFile(path));
    const partial = bytes.slice(0, bytes.length - 2);
    partial.fill(0xff, 4, 8);
    const header = parseHeader(partial, path);
    expect(header.numrecs).toBe(3);
    expect((await stat(original)).size).toBe(bytes.length);
  });
});
