/** Shared by the netcdf tests: the files to read, the reference reading, a recording plugin context. */
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Attributes } from '@cubemark/format';
import {
  LocalByteSource,
  createSourcePool,
  type ByteSource,
  type ByteSourceOptions,
  type LocalSourceOptions,
  type SourcePool,
} from '../../src/bytes/index.js';
import type { PluginContext } from '../../src/readers/types.js';
import { ncTypeDtype, ncTypeName, type NetcdfHeader } from '../../src/readers/netcdf/index.js';
import type { CdlAttribute, CdlHeader } from './ncdump.js';
import type { NetcdfKind } from '../fixtures/make-netcdf.js';

const opened = new Set<{ close(): Promise<void> }>();

/** A local source closed by `closeSources` (call it in `afterAll`). */
export function localSource(path: string, options?: LocalSourceOptions): LocalByteSource {
  const source = new LocalByteSource(path, options);
  opened.add(source);
  return source;
}

export async function closeSources(): Promise<void> {
  await Promise.all([...opened].map((s) => s.close()));
  opened.clear();
}

export const IRIS_TEST_DATA = '/work/shared/data/iris-test-data';

/** Every NetCDF classic file (`CDF\x01|\x02|\x05`) in iris-test-data, found by its first bytes. */
export async function irisClassicFiles(): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(IRIS_TEST_DATA, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const fh = await open(path);
    try {
      const { buffer, bytesRead } = await fh.read(Buffer.alloc(4), 0, 4, 0);
      if (bytesRead === 4 && buffer.toString('latin1', 0, 3) === 'CDF' && [1, 2, 5].includes(buffer[3])) found.push(path);
    } finally {
      await fh.close();
    }
  }
  return found.sort();
}

/** Fixtures and the kinds each is made in: all three, except CDF-5-only types. */
export const FIXTURES: [string, NetcdfKind[]][] = [
  ['classic_types', ['classic', '64-bit offset', 'cdf5']],
  ['cdf5_types', ['cdf5']],
  ['records', ['classic', '64-bit offset', 'cdf5']],
  ['records_grown', ['classic', '64-bit offset', 'cdf5']],
  ['single_record', ['classic', '64-bit offset', 'cdf5']],
  ['packed', ['classic', '64-bit offset', 'cdf5']],
  ['labels', ['classic', '64-bit offset', 'cdf5']],
  ['field4d', ['classic', '64-bit offset', 'cdf5']],
  ['rotated_pole', ['classic', '64-bit offset', 'cdf5']],
  ['hybrid_height', ['classic', '64-bit offset', 'cdf5']],
  ['tiny', ['classic', '64-bit offset', 'cdf5']],
];

export const FIXTURE_CASES = FIXTURES.flatMap(([name, kinds]) => kinds.map((kind) => [name, kind] as const));

export const VERSION_OF: Record<NetcdfKind, 1 | 2 | 5> = { classic: 1, '64-bit offset': 2, cdf5: 5 };

function expectAttributesMatch(mine: Attributes, theirs: Map<string, CdlAttribute>, owner: string): void {
  expect(Object.keys(mine), `attribute names of ${owner}`).toEqual([...theirs.keys()]);
  for (const [name, cdl] of theirs) {
    const value = mine[name];
    if (cdl.type === 'char') {
      expect(value, `${owner}:${name}`).toBe(cdl.value);
    } else {
      expect(typeof value === 'object' && !Array.isArray(value), `${owner}:${name} is numeric`).toBe(true);
      const numeric = value as { dtype: string; values: ArrayLike<number | bigint> };
      expect(numeric.dtype, `${owner}:${name} dtype`).toBe(DTYPE_OF[cdl.type]);
      expect(Array.from(numeric.values), `${owner}:${name} values`).toEqual(cdl.value);
    }
  }
}

const DTYPE_OF: Record<string, string> = {
  byte: 'int8',
  short: 'int16',
  int: 'int32',
  float: 'float32',
  double: 'float64',
  ubyte: 'uint8',
  ushort: 'uint16',
  uint: 'uint32',
  int64: 'int64',
  uint64: 'uint64',
};

/** The header says what `ncdump -h` says: dimensions, variables (names, types, dimensions), attributes. */
export function expectHeaderMatches(header: NetcdfHeader, cdl: CdlHeader): void {
  expect(header.dimensions).toEqual(cdl.dimensions);
  expect(header.variables.map((v) => v.name)).toEqual(cdl.variables.map((v) => v.name));
  for (const [i, v] of header.variables.entries()) {
    const c = cdl.variables[i];
    expect(ncTypeName(v.ncType), `type of ${v.name}`).toBe(c.type);
    expect(v.dims, `dimensions of ${v.name}`).toEqual(c.dims);
    expect(v.shape).toEqual(c.dims.map((d) => cdl.dimensions.find((x) => x.name === d)!.size));
    expect(ncTypeDtype(v.ncType)).toBe(c.type === 'char' ? 'string' : DTYPE_OF[c.type]);
    expectAttributesMatch(v.attributes, c.attributes, v.name);
  }
  expectAttributesMatch(header.attributes, cdl.attributes, 'the global attributes');
}

/** A byte source that records the ranges asked of it (above any coalescing). */
export interface RecordingSource extends ByteSource {
  readonly ranges: { offset: number; length: number }[];
}

function recording(source: ByteSource, ranges: { offset: number; length: number }[]): RecordingSource {
  return {
    uri: source.uri,
    ranges,
    stat: (o) => source.stat(o),
    get: (o) => source.get(o),
    getRange(offset, length, o) {
      ranges.push({ offset, length });
      return source.getRange(offset, length, o);
    },
    close: () => source.close(),
  };
}

/**
 * A plugin context over a real source pool (local files, or S3 given its options): `pool.counter` counts what the
 * backends fetched, `ranges` what the plugin asked for.
 */
export function recordingContext(
  options?: ByteSourceOptions,
): PluginContext & { pool: SourcePool; ranges: { offset: number; length: number }[] } {
  const pool = createSourcePool(options);
  opened.add(pool);
  const ranges: { offset: number; length: number }[] = [];
  return { pool, ranges, openSource: (uri: string) => recording(pool.openSource(uri), ranges) };
}
