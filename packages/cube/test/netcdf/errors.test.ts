/**
 * Malformed input gives a typed error naming the object, quickly, after reading little: never a hang, a huge
 * allocation, or an untyped exception.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ByteSourceError } from '../../src/errors.js';
import { NetcdfFormatError, openNetcdf, parseHeader, readHeader, type NetcdfErrorCode } from '../../src/readers/netcdf/index.js';
import { makeNetcdf, type NetcdfKind } from '../fixtures/make-netcdf.js';
import { IRIS_TEST_DATA, closeSources, localSource } from './helpers.js';
import { HeaderWriter } from './header-writer.js';
import { MemorySource } from './memory-source.js';

afterAll(closeSources);

const URI = 'memory://broken.nc';

async function failure(bytes: Uint8Array, options?: Parameters<typeof readHeader>[1]): Promise<NetcdfFormatError> {
  const error = await readHeader(new MemorySource(bytes, URI), options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NetcdfFormatError);
  expect((error as Error).message).toContain(URI);
  return error as NetcdfFormatError;
}

async function expectCode(bytes: Uint8Array, code: NetcdfErrorCode, message?: RegExp): Promise<NetcdfFormatError> {
  const error = await failure(bytes);
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  return error;
}

const KINDS: NetcdfKind[] = ['classic', '64-bit offset', 'cdf5'];
const VERSIONS = [1, 2, 5] as const;

describe('the test header writer', () => {
  it.each(KINDS)('writes what ncgen writes (%s)', async (kind) => {
    const file = new Uint8Array(await readFile(await makeNetcdf('tiny', kind)));
    const version = ({ classic: 1, '64-bit offset': 2, cdf5: 5 } as const)[kind];
    const begin = parseHeader(file, 'tiny.nc').variables[0].begin;
    const w = new HeaderWriter(version).start(0, [['x', 2]]).absent().u32(0x0b).nonNeg(1).variable('v', [0], 3, 4, begin);
    expect(w.bytes()).toEqual(file.subarray(0, w.length));
  });
});

describe('bad magic', () => {
  it('names HDF5 (NetCDF-4) files and points to the hdf5 plugin', async () => {
    const path = `${IRIS_TEST_DATA}/NetCDF/testing/units.nc`;
    const error = await readHeader(localSource(path)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETCDF_BAD_MAGIC', uri: path });
    expect((error as Error).message).toMatch(/HDF5\/NetCDF-4: use the hdf5 plugin/);
  });

  it.each([
    ['an empty object', new Uint8Array(0), /only 0 bytes/],
    ['text', new TextEncoder().encode('netcdf x { }'), /found bytes 6e 65 74 63/],
    ['an unknown version', Uint8Array.of(0x43, 0x44, 0x46, 0x03, 0, 0, 0, 0), /found bytes 43 44 46 03/],
    ['three bytes', Uint8Array.of(0x43, 0x44, 0x46), /only 3 bytes/],
  ])('rejects %s', async (_, bytes, message) => {
    await expectCode(bytes, 'NETCDF_BAD_MAGIC', message);
  });
});

describe('truncated headers', () => {
  it.each(KINDS)('every prefix of a %s header is NETCDF_TRUNCATED_HEADER (or BAD_MAGIC under 4 bytes)', async (kind) => {
    const file = new Uint8Array(await readFile(await makeNetcdf('classic_types', kind)));
    const { length } = parseHeader(file, URI);
    for (let n = 0; n < length; n++) {
      const error = await failure(file.slice(0, n));
      expect(error.code, `cut at ${n}`).toBe(n < 4 ? 'NETCDF_BAD_MAGIC' : 'NETCDF_TRUNCATED_HEADER');
    }
    // The whole header, without any data, still parses.
    expect(parseHeader(file.slice(0, length), URI).variables.length).toBe(10);
  });

  it('says which field runs past the end, and where', async () => {
    const w = new HeaderWriter(1).start(0, [['x', 3]]).u32(0x0c).nonNeg(1).name('title').u32(2).nonNeg(40).padded([0x61, 0x62]);
    const error = await expectCode(w.bytes(), 'NETCDF_TRUNCATED_HEADER', /the values of attribute the global attributes:title \(40 bytes\)/);
    expect(error.offset).toBe(w.length - 4);
  });
});

describe('corrupt counts cost neither time nor memory', () => {
  it.each(VERSIONS)('CDF-%i: a dimension count of 2^31 - 1 in a small object', async (version) => {
    const w = new HeaderWriter(version).magic().nonNeg(0).u32(0x0a).nonNeg(0x7fffffff).name('x').nonNeg(1);
    const source = new MemorySource(w.bytes(), URI);
    const error = await readHeader(source).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETCDF_TRUNCATED_HEADER' });
    expect(source.bytes).toBeLessThanOrEqual(64 * 1024);
  });

  it('an attribute claiming 4 GiB of values inside a large object: refused by size, not fetched', async () => {
    const w = new HeaderWriter(2).start(0, [['x', 3]]).u32(0x0c).nonNeg(1).name('huge').u32(6).nonNeg(0x1fffffff);
    const bytes = new Uint8Array(8 * 1024 * 1024);
    bytes.set(w.bytes());
    const source = new MemorySource(bytes, URI);
    const error = await readHeader(source).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETCDF_TRUNCATED_HEADER' });
    expect(source.bytes).toBeLessThanOrEqual(64 * 1024);
  });

  it('a header longer than maxHeaderBytes is NETCDF_HEADER_TOO_LARGE after reading at most that much', async () => {
    const w = new HeaderWriter(1).start(0, [['x', 3]]).u32(0x0c).nonNeg(1).name('big').u32(1).nonNeg(3 * 1024 * 1024);
    const bytes = new Uint8Array(8 * 1024 * 1024);
    bytes.set(w.bytes());
    const source = new MemorySource(bytes, URI);
    const error = await readHeader(source, { maxHeaderBytes: 1024 * 1024 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETCDF_HEADER_TOO_LARGE' });
    expect((error as Error).message).toMatch(/raise the limit/);
    expect(source.bytes).toBeLessThanOrEqual(1024 * 1024);
    // With the default limit, the same header is read (it is legal, if odd): only as far as the header goes.
    const again = new MemorySource(bytes, URI);
    const { header } = await readHeader(again);
    // The zeros after the attribute read as an ABSENT variable list (8 bytes).
    expect(header.length).toBe(w.length + 3 * 1024 * 1024 + 8);
    expect(again.bytes).toBeLessThan(header.length * 2);
  });

  it('a variable count that could not fit in the header limit is refused after the first read', async () => {
    const w = new HeaderWriter(1).start(0, [['x', 3]]).absent().u32(0x0b).nonNeg(50_000_000).name('v');
    const bytes = new Uint8Array(8 * 1024 * 1024);
    bytes.set(w.bytes());
    const source = new MemorySource(bytes, URI);
    const error = await readHeader(source).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETCDF_HEADER_TOO_LARGE' });
    expect((error as Error).message).toMatch(/claims at least 600000044 bytes, more than the limit of 16777216/);
    expect([source.requests, source.stats]).toEqual([1, 0]);
  });

  it('CDF-5: a count beyond 2^53 is NETCDF_TOO_LARGE', async () => {
    const w = new HeaderWriter(5).magic().nonNeg(0).u32(0x0a).u64(1n << 60n);
    await expectCode(w.bytes(), 'NETCDF_TOO_LARGE', /the number of dimensions \(1152921504606846976\) is larger than 2\^53/);
  });
});

describe('invalid fields', () => {
  const dims: [string, number][] = [
    ['time', 0],
    ['x', 3],
  ];

  it.each(VERSIONS)('CDF-%i: each invalid field has its own message', async (version) => {
    const vars = (...entries: ((w: HeaderWriter) => HeaderWriter)[]) => {
      const w = new HeaderWriter(version).start(2, dims).absent().u32(0x0b).nonNeg(entries.length);
      for (const e of entries) e(w);
      return w.bytes();
    };
    const ok = (w: HeaderWriter) => w.variable('v', [1], 4, 12, 4096);
    expect(parseHeader(vars(ok), URI).variables[0].shape).toEqual([3]);

    await expectCode(vars((w) => w.variable('v', [1], version === 5 ? 12 : 7, 12, 4096)), 'NETCDF_BAD_HEADER', /unknown type/);
    await expectCode(vars((w) => w.variable('v', [2], 4, 12, 4096)), 'NETCDF_BAD_HEADER', /uses dimension id 2; the file has 2/);
    await expectCode(vars((w) => w.variable('v', [1, 0], 4, 12, 4096)), 'NETCDF_BAD_HEADER', /unlimited dimension 'time' other than first/);
    await expectCode(vars(ok, ok), 'NETCDF_BAD_HEADER', /two variables are named 'v'/);
    await expectCode(vars((w) => w.variable('v', [1], 4, 12, 8)), 'NETCDF_BAD_HEADER', /starts at byte 8, inside the header/);
    await expectCode(vars((w) => w.variable('', [1], 4, 12, 4096)), 'NETCDF_BAD_HEADER', /the name of variable 0 is empty/);

    const twoUnlimited = new HeaderWriter(version).start(0, [['a', 0], ['b', 0]]).bytes();
    await expectCode(twoUnlimited, 'NETCDF_BAD_HEADER', /dimensions 'a' and 'b' are both unlimited/);
    const wrongTag = new HeaderWriter(version).magic().nonNeg(0).u32(0x0b).nonNeg(1).bytes();
    await expectCode(wrongTag, 'NETCDF_BAD_HEADER', /expected the dimensions list \(tag 0xa\), found 0xb/);
    const absentWithCount = new HeaderWriter(version).magic().nonNeg(0).u32(0).nonNeg(3).bytes();
    await expectCode(absentWithCount, 'NETCDF_BAD_HEADER', /ABSENT but claims 3/);
    const duplicateAttribute = new HeaderWriter(version).start(0, [['x', 1]]).u32(0x0c).nonNeg(2);
    for (let i = 0; i < 2; i++) duplicateAttribute.name('a').u32(2).nonNeg(1).padded([0x41]);
    await expectCode(duplicateAttribute.bytes(), 'NETCDF_BAD_HEADER', /two attributes named 'a'/);
  });
});

describe('arbitrary corruption', () => {
  it.each(KINDS)('flipping bytes of a %s header gives a parse or a NetcdfFormatError, nothing else', async (kind) => {
    const file = new Uint8Array(await readFile(await makeNetcdf('records', kind)));
    const { length } = parseHeader(file, URI);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        async (edits) => {
          const bytes = file.slice();
          for (const [at, value] of edits) bytes[at] = value;
          const source = new MemorySource(bytes, URI);
          try {
            await readHeader(source);
          } catch (e) {
            expect(e).toBeInstanceOf(NetcdfFormatError);
          }
          expect(source.bytes).toBeLessThanOrEqual(64 * 1024);
        },
      ),
      { numRuns: 400, seed: 20261129 },
    );
  });
});

describe('data the header promises but the object lacks', () => {
  it('is a SHORT_READ ByteSourceError naming the file and range', async () => {
    const file = new Uint8Array(await readFile(await makeNetcdf('field4d')));
    const path = join(tmpdir(), `cubemark-cut-${process.pid}.nc`);
    await writeFile(path, file.subarray(0, file.length - 100));
    const ds = await openNetcdf(localSource(path), { reusePrefix: false });
    // ps is the last record variable: its last row is the end of the file.
    expect(await ds.variables.get('ps')!.read({ start: [1, 9, 0], count: [1, 1, 12] })).toHaveLength(12);
    const error = await ds.variables.get('ps')!.read({ start: [2, 9, 0], count: [1, 1, 12] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ByteSourceError);
    expect(error).toMatchObject({ code: 'SHORT_READ', uri: path });
    expect((error as Error).message).toMatch(/truncated/);
  });
});
