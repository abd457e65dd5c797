/**
 * A NetCDF classic writer: CDF-1 (classic), CDF-2 (64-bit offset) and CDF-5 (64-bit data), as in
 * https://docs.unidata.ucar.edu/netcdf-c/current/file_format_specifications.html.
 *
 * It exists to make test and benchmark data (no npm package writes the classic format), so it writes a whole file
 * in one go from a spec: dimensions (one may be unlimited), global and variable attributes of every type the
 * format has, and variables whose values come from an array, from a callback asked block by block, or from
 * nowhere. Values that nothing provides are *holes*: the file has its full size (the header says where every
 * value lies) but those byte ranges are never written, so on a filesystem with sparse files they take no disk.
 * That is how a 50 GB model run fits on a laptop. Holes read as zeros (not as the fill value: the netCDF
 * library would write fill values, this writer never writes bytes it was not given).
 *
 * ```ts
 * await writeNetcdf('/tmp/t.nc', {
 *   dimensions: [{ name: 'time', size: 3, unlimited: true }, { name: 'x', size: 4 }],
 *   attributes: { Conventions: 'CF-1.7' },
 *   variables: [
 *     { name: 'x', type: 'float', dims: ['x'], data: [0, 1, 2, 3] },
 *     { name: 't', type: 'float', dims: ['time', 'x'], data: ({ record }) => new Float32Array(4).fill(record!) },
 *     { name: 'big', type: 'float', dims: ['time', 'x'] }, // a hole
 *   ],
 * }, { format: '64bit-offset' });
 * ```
 */
import { open } from 'node:fs/promises';
import { product } from '@cubemark/format';
import type { Fail } from './checks.js';
import { VERSION, layout, type PlannedVariable } from './layout.js';
import { NetcdfWriteError, type NetcdfSpec, type NetcdfValues, type NetcdfWriteOptions, type NetcdfWriteResult } from './spec.js';
import { encodeChars, encodeNumeric } from './values.js';

export * from './spec.js';
export { ncTypeForDtype } from './values.js';


interface Block {
  start: number[];
  shape: number[];
  /** Offset of the block within its variable's values (within its record, for a record variable). */
  offset: number;
  bytes: number;
}

/**
 * A variable's values (one record's, for a record variable) split into blocks of whole trailing dimensions: the
 * fewest leading dimensions are iterated so that a block holds at most `blockBytes`, but a block is always at
 * least one row of the last dimension (so a `char` variable's strings are never split).
 */
function* blocksOf(shape: number[], size: number, blockBytes: number): Generator<Block> {
  const rank = shape.length;
  if (rank === 0) {
    yield { start: [], shape: [], offset: 0, bytes: size };
    return;
  }
  let k = 0;
  while (k < rank - 1 && product(shape.slice(k)) * size > blockBytes) k++;
  const inner = shape.slice(k);
  const innerBytes = product(inner) * size;
  const outer = shape.slice(0, k);
  const count = product(outer);
  if (innerBytes === 0 || count === 0) return;
  const index = new Array<number>(k).fill(0);
  const zeros = new Array<number>(rank - k).fill(0);
  const ones = new Array<number>(k).fill(1);
  for (let n = 0; n < count; n++) {
    yield { start: [...index, ...zeros], shape: [...ones, ...inner], offset: n * innerBytes, bytes: innerBytes };
    for (let d = k - 1; d >= 0; d--) {
      if (++index[d] < outer[d]) break;
      index[d] = 0;
    }
  }
}

/** Strings in a block of a char variable, and their width (the last dimension; 1 for a scalar). */
function charBlock(shape: number[]): { count: number; width: number } {
  return shape.length === 0 ? { count: 1, width: 1 } : { count: product(shape.slice(0, -1)), width: shape[shape.length - 1] };
}

/**
 * Write a NetCDF classic file from `spec`. The header goes first, then every value that `data` provides, each at
 * its offset; the file is then extended to its full size, leaving whatever was not provided as holes (sparse on
 * disk, read as zeros). Overwrites `path`. Deterministic: the same spec and values give the same bytes.
 */
export async function writeNetcdf(path: string, spec: NetcdfSpec, options: NetcdfWriteOptions = {}): Promise<NetcdfWriteResult> {
  const format = options.format ?? 'classic';
  const version = VERSION[format];
  const fail: Fail = (code, message) => {
    throw new NetcdfWriteError(code, path, message);
  };
  if (version === undefined) fail('NETCDF_WRITE_INVALID_SPEC', `unknown format '${String(format)}' (classic, 64bit-offset or cdf5)`);
  const blockBytes = options.blockBytes ?? 8 * 1024 * 1024;
  const headerPadding = options.headerPadding ?? 0;
  if (!(blockBytes > 0) || !Number.isSafeInteger(headerPadding) || headerPadding < 0) {
    fail('NETCDF_WRITE_INVALID_SPEC', `blockBytes must be positive and headerPadding a non-negative integer`);
  }
  const plan = layout(spec, version, headerPadding, fail);

  const fh = await open(path, 'w');
  try {
    // Truncate first so a rewritten file does not keep old bytes where holes belong.
    await fh.truncate(0);
    await fh.write(plan.header, 0, plan.header.length, 0);
    const written = new Map<PlannedVariable, number>(plan.vars.map((v) => [v, 0]));

    const writeBlock = async (v: PlannedVariable, block: Block, record: number | undefined, values: NetcdfValues | undefined) => {
      if (values === undefined) return;
      const where = `variable '${v.spec.name}'${record === undefined ? '' : ` record ${record}`} block [${block.start.join(', ')}]`;
      const bad = (m: string): never => fail('NETCDF_WRITE_BAD_VALUES', `${where}: ${m}`);
      let bytes: Buffer;
      if (v.info.dtype === undefined) {
        const { count, width } = charBlock(block.shape);
        bytes = encodeChars(values, count, width, bad);
      } else {
        bytes = encodeNumeric(values, v.info.dtype, block.bytes / v.info.size, bad);
      }
      const offset = v.begin + (record === undefined ? 0 : record * plan.recordStride) + block.offset;
      await fh.write(bytes, 0, bytes.length, offset);
      written.set(v, written.get(v)! + bytes.length);
    };

    const valuesFor = async (v: PlannedVariable, block: Block, record: number | undefined): Promise<NetcdfValues | undefined> => {
      const data = v.spec.data;
      if (typeof data !== 'function') return undefined;
      const start = record === undefined ? block.start : [record, ...block.start];
      const shape = record === undefined ? block.shape : [1, ...block.shape];
      return data({ variable: v.spec.name, start, shape, ...(record === undefined ? {} : { record }) });
    };

    /** One variable's values given whole: written per block, sliced from the array. */
    const writeWhole = async (v: PlannedVariable, values: NetcdfValues) => {
      const rowShape = v.record ? v.shape.slice(1) : v.shape;
      const per = v.info.dtype === undefined ? charBlock(rowShape).count : v.bytes / v.info.size;
      const expected = v.record ? plan.numrecs * per : per;
      if (values.length !== expected) fail('NETCDF_WRITE_BAD_VALUES', `variable '${v.spec.name}': ${values.length} values given, ${expected} expected`);
      if (!v.record) return writeBlock(v, { start: v.shape.map(() => 0), shape: v.shape, offset: 0, bytes: v.bytes }, undefined, values);
      for (let r = 0; r < plan.numrecs; r++) {
        const slice = values.slice(r * per, (r + 1) * per) as NetcdfValues;
        await writeBlock(v, { start: rowShape.map(() => 0), shape: rowShape, offset: 0, bytes: v.bytes }, r, slice);
      }
    };

    const callbackBlocks = (v: PlannedVariable) => blocksOf(v.record ? v.shape.slice(1) : v.shape, v.info.size, blockBytes);

    for (const v of plan.vars) {
      const data = v.spec.data;
      if (data === undefined || typeof data === 'function') continue;
      await writeWhole(v, data);
    }
    // Fixed variables in file order, then records in file order, so callbacks see the file front to back.
    for (const v of plan.vars.filter((x) => !x.record && typeof x.spec.data === 'function')) {
      for (const block of callbackBlocks(v)) await writeBlock(v, block, undefined, await valuesFor(v, block, undefined));
    }
    const recordVars = plan.vars.filter((x) => x.record && typeof x.spec.data === 'function');
    for (let r = 0; r < plan.numrecs && recordVars.length > 0; r++) {
      for (const v of recordVars) {
        for (const block of callbackBlocks(v)) await writeBlock(v, block, r, await valuesFor(v, block, r));
      }
    }
    await fh.truncate(plan.size);
    const total = [...written.values()].reduce((a, b) => a + b, 0);
    return {
      path,
      size: plan.size,
      headerBytes: plan.headerBytes,
      written: total,
      variables: plan.vars.map((v) => ({
        name: v.spec.name,
        begin: v.begin,
        bytes: v.record ? v.bytes * plan.numrecs : v.bytes,
        written: written.get(v)!,
      })),
    };
  } finally {
    await fh.close();
  }
}
