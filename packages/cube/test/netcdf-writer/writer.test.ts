/**
 * The NetCDF classic writer, checked against the netCDF library's own reading (Debian's `ncdump`) and against our
 * reader: headers as `ncdump -h` prints them, values as `ncdump -v` prints them, sparse files by `stat` blocks,
 * and a copy of every real classic file (iris-test-data, the CDL fixtures) printing exactly as the original.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attributes, NumericAttribute } from '@cubemark/format';
import {
  NetcdfWriteError,
  ncTypeForDtype,
  ncTypeName,
  openNetcdf,
  writeNetcdf,
  type NcTypeName,
  type NetcdfDataset,
  type NetcdfSpec,
  type NetcdfValues,
  type NetcdfWriteFormat,
} from '../../src/readers/netcdf/index.js';
import { makeNetcdf } from '../fixtures/make-netcdf.js';
import { FIXTURE_CASES, closeSources, expectHeaderMatches, irisClassicFiles, localSource } from '../netcdf/helpers.js';
import { ncdumpHeader, ncdumpValues } from '../netcdf/ncdump.js';

const run = promisify(execFile);
const irisFiles = await irisClassicFiles();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cubemark-netcdf-writer-'));
});
afterAll(async () => {
  await closeSources();
  await rm(dir, { recursive: true, force: true });
});

const FORMATS: NetcdfWriteFormat[] = ['classic', '64bit-offset', 'cdf5'];
const MAGIC: Record<NetcdfWriteFormat, number> = { classic: 1, '64bit-offset': 2, cdf5: 5 };

const num = (dtype: NumericAttribute['dtype'], values: NumericAttribute['values']): NumericAttribute => ({ dtype, values });

/** Attributes of every type a format holds, edge values included. */
function allTypeAttributes(format: NetcdfWriteFormat): Attributes {
  const attrs: Attributes = {
    title: 'a title with ünïcödé and "quotes"',
    empty_text: '',
    b: num('int8', Int8Array.of(-128, 0, 127)),
    s: num('int16', Int16Array.of(-32768, 7, 32767)),
    i: num('int32', Int32Array.of(-2147483648, 2147483647)),
    f: num('float32', Float32Array.of(1.5, -0, Math.fround(3.4e38), Math.fround(1e-40))),
    d: num('float64', Float64Array.of(Math.PI, -1e300, 5e-324)),
    one_float: num('float32', Float32Array.of(0.25)),
  };
  if (format === 'cdf5') {
    Object.assign(attrs, {
      ub: num('uint8', Uint8Array.of(0, 255)),
      us: num('uint16', Uint16Array.of(65535)),
      ui: num('uint32', Uint32Array.of(4294967295, 1)),
      i64: num('int64', BigInt64Array.of(-9223372036854775808n, 9223372036854775807n)),
      u64: num('uint64', BigUint64Array.of(18446744073709551615n, 0n)),
    });
  }
  return attrs;
}

interface Case {
  spec: NetcdfSpec;
  /** Expected values per variable, in C order (records first). */
  values: Map<string, (number | bigint | string)[]>;
}

/** A spec exercising dimensions (one unlimited), scalars, char, record and fixed variables of every type. */
function featureCase(format: NetcdfWriteFormat): Case {
  const nrec = 3;
  const types: NcTypeName[] = ['byte', 'short', 'int', 'float', 'double'];
  if (format === 'cdf5') types.push('ubyte', 'ushort', 'uint', 'int64', 'uint64');
  const spec: NetcdfSpec = {
    dimensions: [
      { name: 'time', size: nrec, unlimited: true },
      { name: 'y', size: 3 },
      { name: 'x', size: 5 },
      { name: 'strlen', size: 6 },
      { name: 'odd', size: 3 },
    ],
    attributes: allTypeAttributes(format),
    variables: [],
  };
  const values = new Map<string, (number | bigint | string)[]>();
  const big = (t: NcTypeName) => t === 'int64' || t === 'uint64';
  for (const type of types) {
    // Fixed (y, x): values given whole; record (time, odd): by callback per record (odd sizes exercise padding).
    const unsigned = type.startsWith('u');
    const fixed = Array.from({ length: 15 }, (_, k) =>
      big(type) ? BigInt(unsigned ? k * 1000 : k * 1000 - 7000) : type === 'float' || type === 'double' ? k / 4 - 1 : unsigned ? k : k - 7,
    );
    spec.variables.push({ name: `fixed_${type}`, type, dims: ['y', 'x'], attributes: { long_name: `fixed ${type}` }, data: fixed as NetcdfValues });
    values.set(`fixed_${type}`, fixed);
    const rec: (number | bigint)[] = [];
    for (let r = 0; r < nrec; r++) for (let k = 0; k < 3; k++) rec.push(big(type) ? BigInt(r * 10 + k) : r * 10 + k);
    spec.variables.push({
      name: `rec_${type}`,
      type,
      dims: ['time', 'odd'],
      data: ({ record }) => rec.slice(record! * 3, record! * 3 + 3) as NetcdfValues,
    });
    values.set(`rec_${type}`, rec);
  }
  spec.variables.push(
    { name: 'scalar', type: 'double', dims: [], attributes: { units: 'm' }, data: [42.5] },
    { name: 'labels', type: 'char', dims: ['y', 'strlen'], data: ['alpha', 'béta', ''] },
    { name: 'letter', type: 'char', dims: [], data: ['z'] },
    {
      name: 'temp',
      type: 'float',
      dims: ['time', 'y', 'x'],
      attributes: { _FillValue: num('float32', Float32Array.of(-999)), units: 'K', valid_range: num('float32', Float32Array.of(0, 400)) },
      // A block is one record (default blockBytes) or one row (blockBytes: 16): values from its start and shape.
      data: ({ start, shape }) => {
        expect(shape[0]).toBe(1);
        expect(shape[2]).toBe(5);
        const out = new Float32Array(shape[1] * 5);
        for (let y = 0; y < shape[1]; y++) for (let x = 0; x < 5; x++) out[y * 5 + x] = 270 + start[0] * 10 + start[1] + y + x / 8;
        return out;
      },
    },
    { name: 'time', type: 'double', dims: ['time'], attributes: { units: 'hours since 2000-01-01' }, data: [0, 6, 12] },
  );
  values.set('scalar', [42.5]);
  values.set('labels', ['alpha', 'béta', '']);
  values.set('letter', ['z']);
  const temp: number[] = [];
  for (let t = 0; t < nrec; t++) for (let y = 0; y < 3; y++) for (let x = 0; x < 5; x++) temp.push(Math.fround(270 + t * 10 + y + x / 8));
  values.set('temp', temp);
  values.set('time', [0, 6, 12]);
  return { spec, values };
}

/** `ncdump -h` of a written file says exactly what the spec says. */
async function expectNcdumpHeaderEqualsSpec(path: string, spec: NetcdfSpec): Promise<void> {
  const cdl = await ncdumpHeader(path);
  expect(cdl.dimensions).toEqual(spec.dimensions.map((d) => ({ name: d.name, size: d.size, unlimited: d.unlimited ?? false })));
  expect(cdl.variables.map((v) => [v.name, v.type, v.dims])).toEqual(spec.variables.map((v) => [v.name, v.type, v.dims]));
  const expectAttrs = (cdlAttrs: Map<string, { type: string; value: unknown }>, attrs: Attributes | undefined, owner: string) => {
    const want = Object.entries(attrs ?? {}).map(([name, value]) => {
      if (typeof value === 'string') return [name, 'char', value];
      const { dtype, values } = value as NumericAttribute;
      return [name, ncTypeForDtype(dtype), Array.from(values as ArrayLike<number | bigint>)];
    });
    expect([...cdlAttrs].map(([name, a]) => [name, a.type, a.value]), owner).toEqual(want);
  };
  expectAttrs(cdl.attributes, spec.attributes, 'globals');
  for (const v of spec.variables) expectAttrs(cdl.variables.find((c) => c.name === v.name)!.attributes, v.attributes, v.name);
}

describe('writeNetcdf: every feature, read back by ncdump and by our reader', () => {
  it.each(FORMATS)('%s', async (format) => {
    const { spec, values } = featureCase(format);
    const path = join(dir, `features-${format}.nc`);
    const result = await writeNetcdf(path, spec, { format, blockBytes: 16 });
    const bytes = await readFile(path);
    expect([...bytes.subarray(0, 4)]).toEqual([0x43, 0x44, 0x46, MAGIC[format]]);
    expect(result.size).toBe(bytes.length);

    await expectNcdumpHeaderEqualsSpec(path, spec);

    const dumped = await ncdumpValues(path, [...values.keys()]);
    for (const [name, want] of values) {
      const fill = spec.variables.find((v) => v.name === name)?.attributes?._FillValue as NumericAttribute | undefined;
      const got = dumped.get(name)!.map((v) => (v === null ? fill!.values[0] : v));
      expect(got, `ncdump -v ${name}`).toEqual(want);
    }

    const ds = await openNetcdf(localSource(path), { reusePrefix: false });
    expectHeaderMatches(ds.header, await ncdumpHeader(path));
    for (const [name, want] of values) {
      const v = ds.variables.get(name)!;
      const got = await v.read({ start: v.shape.map(() => 0), count: v.shape });
      expect(Array.from(got as ArrayLike<unknown>), `our reader: ${name}`).toEqual(want);
    }
  });

  it('is deterministic: the same spec gives the same bytes', async () => {
    const a = join(dir, 'det-a.nc');
    const b = join(dir, 'det-b.nc');
    await writeNetcdf(a, featureCase('cdf5').spec, { format: 'cdf5' });
    await writeNetcdf(b, featureCase('cdf5').spec, { format: 'cdf5', blockBytes: 8 });
    expect((await readFile(a)).equals(await readFile(b))).toBe(true);
  });

  it('writes a lone record variable unpadded, and a file with no variables', async () => {
    const path = join(dir, 'lone.nc');
    const spec: NetcdfSpec = {
      dimensions: [{ name: 'r', size: 5, unlimited: true }, { name: 'n', size: 3 }],
      variables: [{ name: 'v', type: 'short', dims: ['r', 'n'], data: Array.from({ length: 15 }, (_, i) => i - 5) }],
    };
    const result = await writeNetcdf(path, spec);
    expect(result.size).toBe(result.variables[0].begin + 5 * 3 * 2);
    expect((await ncdumpValues(path, ['v'])).get('v')).toEqual(Array.from({ length: 15 }, (_, i) => i - 5));

    const empty = join(dir, 'empty.nc');
    await writeNetcdf(empty, { dimensions: [], variables: [], attributes: { note: 'nothing here' } });
    const cdl = await ncdumpHeader(empty);
    expect(cdl.variables).toEqual([]);
    expect(cdl.attributes.get('note')).toEqual({ type: 'char', value: 'nothing here' });
  });

  it('leaves zero records, and a header padding, as asked', async () => {
    const path = join(dir, 'zero-records.nc');
    const result = await writeNetcdf(
      path,
      { dimensions: [{ name: 't', size: 0, unlimited: true }, { name: 'x', size: 2 }], variables: [{ name: 'v', type: 'int', dims: ['t', 'x'] }, { name: 'x', type: 'int', dims: ['x'], data: [1, 2] }] },
      { headerPadding: 1000 },
    );
    expect(result.variables.find((v) => v.name === 'x')!.begin).toBeGreaterThanOrEqual(result.headerBytes + 1000);
    expect((await ncdumpHeader(path)).dimensions[0]).toEqual({ name: 't', size: 0, unlimited: true });
    expect((await ncdumpValues(path, ['x'])).get('x')).toEqual([1, 2]);
  });
});

describe('holes: sparse files', () => {
  it('a 5 GB 64-bit-offset file with one filled field takes a few blocks on disk and reads back', async () => {
    const path = join(dir, 'sparse.nc');
    const [nt, nz, ny, nx] = [37, 70, 810, 621];
    const field = Float32Array.from({ length: ny * nx }, (_, k) => 250 + (k % nx) / 10);
    const result = await writeNetcdf(
      path,
      {
        dimensions: [{ name: 'time', size: nt, unlimited: true }, { name: 'level', size: nz }, { name: 'y', size: ny }, { name: 'x', size: nx }],
        variables: [
          { name: 'level', type: 'int', dims: ['level'], data: Array.from({ length: nz }, (_, i) => i + 1) },
          // Only time 3, level 5 is given: every other block is a hole.
          { name: 'theta', type: 'float', dims: ['time', 'level', 'y', 'x'], data: ({ start }) => (start[0] === 3 && start[1] === 5 ? field : undefined) },
          { name: 'rain', type: 'float', dims: ['time', 'y', 'x'] },
        ],
      },
      { format: '64bit-offset' },
    );
    const st = await stat(path);
    expect(st.size).toBe(result.size);
    expect(st.size).toBeGreaterThan(5e9);
    // Written: the header, 280 bytes of levels and one 2 MB field; allow the filesystem generous slack.
    expect(result.written).toBe(nz * 4 + ny * nx * 4);
    expect(st.blocks * 512).toBeLessThan(16 * 1024 * 1024);
    expect(st.blocks * 512).toBeLessThan(st.size / 300);

    const cdl = await ncdumpHeader(path);
    expect(cdl.dimensions[0]).toEqual({ name: 'time', size: nt, unlimited: true });
    const ds = await openNetcdf(localSource(path));
    const theta = ds.variables.get('theta')!;
    const filled = await theta.read({ start: [3, 5, 0, 0], count: [1, 1, ny, nx] });
    expect(filled).toEqual(field);
    const hole = await theta.read({ start: [36, 69, 800, 600], count: [1, 1, 10, 21] });
    expect(Array.from(hole as Float32Array).every((v) => v === 0)).toBe(true);
    // ncdump reads a hole too (as zeros) when asked for the last record's values.
    const { stdout } = await run('ncdump', ['-v', 'level', path], { maxBuffer: 1 << 20 });
    expect(stdout).toContain('level = 1, 2, 3');
  });
});

describe('copies of real files print as the originals', () => {
  /** Every variable of `src`, copied through our reader into a spec for the writer. */
  async function copySpec(ds: NetcdfDataset): Promise<NetcdfSpec> {
    const h = ds.header;
    const variables = [];
    for (const v of h.variables) {
      const dv = ds.variables.get(v.name)!;
      const values = await dv.read({ start: dv.shape.map(() => 0), count: dv.shape });
      variables.push({ name: v.name, type: ncTypeName(v.ncType) as NcTypeName, dims: v.dims, attributes: v.attributes, data: values });
    }
    return { dimensions: h.dimensions.map((d) => ({ name: d.name, size: d.size, unlimited: d.unlimited })), attributes: h.attributes, variables };
  }

  const FORMAT_OF: Record<1 | 2 | 5, NetcdfWriteFormat> = { 1: 'classic', 2: '64bit-offset', 5: 'cdf5' };

  async function expectSameDump(original: string): Promise<void> {
    const ds = await openNetcdf(localSource(original));
    const copy = join(dir, `copy-${Math.random().toString(36).slice(2)}.nc`);
    await writeNetcdf(copy, await copySpec(ds), { format: FORMAT_OF[ds.header.version] });
    const dump = async (p: string) => (await run('ncdump', ['-p', '9,17', p], { maxBuffer: 256 << 20 })).stdout.replace(/^netcdf \S+ \{/, '');
    expect(await dump(copy)).toBe(await dump(original));
  }

  it.each(irisFiles)('%s', expectSameDump);
  it.each(FIXTURE_CASES)('fixture %s (%s)', async (name, kind) => expectSameDump(await makeNetcdf(name, kind)));
});

describe('errors', () => {
  const path = () => join(dir, 'error.nc');
  const expectCode = async (spec: NetcdfSpec, code: string, format: NetcdfWriteFormat = 'classic') => {
    const error = await writeNetcdf(path(), spec, { format }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetcdfWriteError);
    expect((error as NetcdfWriteError).code).toBe(code);
  };
  const dims = [{ name: 't', size: 2, unlimited: true }, { name: 'x', size: 3 }];

  it('refuses invalid specs', async () => {
    await expectCode({ dimensions: dims, variables: [{ name: 'v', type: 'int', dims: ['y'] }] }, 'NETCDF_WRITE_INVALID_SPEC');
    await expectCode({ dimensions: dims, variables: [{ name: 'v', type: 'int', dims: ['x', 't'] }] }, 'NETCDF_WRITE_INVALID_SPEC');
    await expectCode({ dimensions: [...dims, { name: 'u', size: 1, unlimited: true }], variables: [] }, 'NETCDF_WRITE_INVALID_SPEC');
    await expectCode({ dimensions: [...dims, { name: 'x', size: 1 }], variables: [] }, 'NETCDF_WRITE_INVALID_SPEC');
    await expectCode({ dimensions: [{ name: 'z', size: 0 }], variables: [] }, 'NETCDF_WRITE_INVALID_SPEC');
    await expectCode({ dimensions: dims, variables: [{ name: 'a/b', type: 'int', dims: [] }] }, 'NETCDF_WRITE_INVALID_SPEC');
    await expectCode(
      { dimensions: dims, variables: [{ name: 'v', type: 'float', dims: ['x'], attributes: { _FillValue: num('float64', Float64Array.of(1)) } }] },
      'NETCDF_WRITE_INVALID_SPEC',
    );
  });

  it('refuses what the format cannot hold', async () => {
    await expectCode({ dimensions: dims, variables: [{ name: 'v', type: 'uint', dims: ['x'] }] }, 'NETCDF_WRITE_UNSUPPORTED', '64bit-offset');
    await expectCode({ dimensions: dims, attributes: { a: num('int64', BigInt64Array.of(1n)) }, variables: [] }, 'NETCDF_WRITE_UNSUPPORTED');
    await expectCode({ dimensions: dims, attributes: { a: ['one', 'two'] }, variables: [] }, 'NETCDF_WRITE_UNSUPPORTED', 'cdf5');
    // 3 GB fixed variables: classic allows one (the last), 64-bit offset two is fine only with cdf5.
    const big = [{ name: 'n', size: 750_000_000 }];
    await expectCode({ dimensions: big, variables: [{ name: 'a', type: 'float', dims: ['n'] }, { name: 'b', type: 'float', dims: ['n'] }] }, 'NETCDF_WRITE_TOO_LARGE');
    await expectCode(
      { dimensions: [{ name: 'n', size: 1_100_000_000 }], variables: [{ name: 'a', type: 'float', dims: ['n'] }, { name: 'b', type: 'byte', dims: [] }] },
      'NETCDF_WRITE_TOO_LARGE',
      '64bit-offset',
    );
    await expect(writeNetcdf(path(), { dimensions: big, variables: [{ name: 'a', type: 'float', dims: ['n'] }, { name: 'b', type: 'float', dims: ['n'] }] }, { format: 'cdf5' })).resolves.toBeDefined();
  });

  it('refuses values of the wrong count or kind', async () => {
    await expectCode({ dimensions: dims, variables: [{ name: 'v', type: 'int', dims: ['x'], data: [1, 2] }] }, 'NETCDF_WRITE_BAD_VALUES');
    await expectCode({ dimensions: dims, variables: [{ name: 'v', type: 'int', dims: ['t', 'x'], data: () => [1] }] }, 'NETCDF_WRITE_BAD_VALUES');
    await expectCode({ dimensions: dims, variables: [{ name: 'v', type: 'char', dims: ['x'], data: ['toolong'] }] }, 'NETCDF_WRITE_BAD_VALUES');
    await expectCode({ dimensions: dims, variables: [{ name: 'v', type: 'double', dims: ['x'], data: ['a', 'b', 'c'] }] }, 'NETCDF_WRITE_BAD_VALUES');
  });
});
