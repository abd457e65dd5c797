import { TYPED_ARRAYS, type ArrayValues, type SourceArray } from '@cubemark/format';
import pLimit from 'p-limit';
import { LITTLE_ENDIAN_HOST, swapBytes } from '../../bytes/endian.js';
import type { ByteSource, RangeOptions } from '../../bytes/types.js';
import { ByteSourceError } from '../../errors.js';
import { allocate } from '../../lazy/dtype.js';
import type { Hyperslab } from '../dataset.js';
import type { PluginContext, SlabReader, StoredReadOptions } from '../types.js';
import type { PpOptions } from './describe.js';
import { PpError } from './errors.js';
import type { FieldDtype } from './field.js';
import { MAX_FIELD_VALUES } from './pp-file.js';
import { boundaryValues, expandBoundary } from './lbc.js';
import { decodeField, UnpackError, type FieldValues } from './unpack/index.js';

const DTYPES: ReadonlySet<string> = new Set(['float32', 'float64', 'int32', 'int64']);

/** A `format: pp` reference's options, checked (the publication may not come from a trusted writer). */
export function checkOptions(ref: SourceArray, uri: string): PpOptions {
  const bad = (why: string): never => {
    throw new PpError('PP_BAD_OPTIONS', uri, {}, `data reference '${ref.variable}': ${why}`);
  };
  const o = (ref.options ?? {}) as Record<string, unknown>;
  if (!DTYPES.has(ref.dtype)) bad(`dtype ${ref.dtype} is not one a PP field has`);
  if (ref.shape.length < 2) bad(`shape [${ref.shape.join(', ')}] has no rows and points axes`);
  const [rows, cols] = ref.shape.slice(-2);
  if (rows * cols > MAX_FIELD_VALUES) bad(`fields of ${rows} × ${cols} values are more than a field may have (${MAX_FIELD_VALUES})`);
  const fields = ref.shape.slice(0, -2).reduce((p, n) => p * n, 1);
  const ints = (name: string): number[] => {
    const v = o[name];
    if (!Array.isArray(v) || v.length !== fields || !v.every((x) => Number.isSafeInteger(x) && x >= 0)) {
      bad(`options.${name} must list ${fields} non-negative integers, one per field`);
    }
    return v as number[];
  };
  const perField = (name: string, required: boolean): number | number[] | undefined => {
    const v = o[name];
    if (v === undefined && !required) return undefined;
    if (typeof v === 'number') return v;
    if (Array.isArray(v) && v.length === fields && v.every((x) => typeof x === 'number')) return v as number[];
    return bad(`options.${name} must be a number or ${fields} numbers`);
  };
  if (o.word !== 4 && o.word !== 8) bad('options.word must be 4 or 8');
  // No encoding takes more than twice the unpacked size (RLE at worst) plus the WGDOS row headers, and fieldsfiles
  // pad fields to blocks of (usually) 512 words.
  const most = 2 * rows * cols * 8 + 8 * rows + 64 * 1024;
  if (Array.isArray(o.length) && o.length.some((n) => typeof n === 'number' && n > most)) bad(`options.length has a field longer than ${most} bytes, more than any packing of ${rows} × ${cols} values takes`);
  if (o.byte_order !== 'big' && o.byte_order !== 'little') bad("options.byte_order must be 'big' or 'little'");
  const out: PpOptions = {
    word: o.word as 4 | 8,
    byte_order: o.byte_order as 'big' | 'little',
    ...(o.source !== undefined && { source: ints('source') }),
    field: ints('field'),
    offset: ints('offset'),
    length: ints('length'),
    lbpack: perField('lbpack', true) as number | number[],
    bmdi: perField('bmdi', true) as number | number[],
  };
  const bdatum = perField('bdatum', false);
  const bmks = perField('bmks', false);
  if (bdatum !== undefined) out.bdatum = bdatum;
  if (bmks !== undefined) out.bmks = bmks;
  if (o.boundary !== undefined) {
    const triple = (t: unknown) => Array.isArray(t) && t.length === 3 && t.every((x) => Number.isSafeInteger(x) && x >= 0 && x < 1000);
    const b = o.boundary;
    if (!(triple(b) || (Array.isArray(b) && b.length === fields && b.every(triple)))) bad('options.boundary must be [x halo, y halo, rim], or one such per field');
    out.boundary = b as number[] | number[][];
  }
  return out;
}

const at = (v: number | number[] | undefined, i: number, fallback: number): number => (v === undefined ? fallback : typeof v === 'number' ? v : v[i]);

/** Rows `start` to `start + count` of a field. */
export interface RowWindow {
  start: number;
  count: number;
}

/**
 * The values of field `i` of a reference (the rows of `window`, default all), unpacked, with missing points
 * holding the reference's fill value and BMKS and BDATUM applied to the others (value × BMKS + BDATUM; Iris ignores
 * both, and every real file has 1 and 0). Unpacked fields are read for those rows only; packed ones whole (a
 * whole WGDOS float32 field is unpacked into `out` when given).
 */
export async function readField(source: ByteSource, ref: SourceArray, o: PpOptions, i: number, options?: RangeOptions, window?: RowWindow, out?: Float32Array): Promise<FieldValues> {
  const rows = ref.shape[ref.shape.length - 2];
  const cols = ref.shape[ref.shape.length - 1];
  if (o.boundary !== undefined) return readBoundaryField(source, ref, o, i, rows, cols, options, window);
  const lbpack = at(o.lbpack, i, 0);
  const n1 = lbpack % 10;
  const w = window ?? { start: 0, count: rows };
  // Unpacked rows lie at a known place: read only those asked for.
  const rowBytes = n1 === 2 ? 4 * cols : n1 === 0 ? (ref.dtype === 'float64' || ref.dtype === 'int64' ? 8 : 4) * cols : 0;
  const partial = rowBytes > 0 && lbpack < 10 && (w.start > 0 || w.count < rows);
  const offset = partial ? o.offset[i] + w.start * rowBytes : o.offset[i];
  const length = partial ? Math.min(w.count * rowBytes, Math.max(0, o.length[i] - w.start * rowBytes)) : o.length[i];
  const bytes = await source.getRange(offset, length, options);
  const mdi = at(o.bmdi, i, 0);
  let values: FieldValues;
  try {
    values = decodeField(bytes, {
      lbpack,
      dtype: ref.dtype as FieldDtype,
      wordBytes: o.word,
      littleEndian: o.byte_order === 'little',
      rows: partial ? w.count : rows,
      cols,
      mdi,
    }, w.start === 0 && w.count === rows ? out : undefined);
    if (!partial && (w.start > 0 || w.count < rows)) values = values.subarray(w.start * cols, (w.start + w.count) * cols) as FieldValues;
  } catch (error) {
    if (error instanceof UnpackError) {
      throw new PpError('PP_BAD_PACKING', source.uri, { field: o.field[i], word: 'lbpack', offset: o.offset[i] }, error.message, { cause: error });
    }
    throw error;
  }
  fixValues(values, ref, o, i);
  return values;
}

/** What a field's values need besides unpacking: BMDI replaced by the fill value, BMKS and BDATUM applied. */
function valueFix(ref: SourceArray, o: PpOptions, i: number): { stored: number; fill?: number; bmks: number; bdatum: number } | undefined {
  const mdi = at(o.bmdi, i, 0);
  const bmks = at(o.bmks, i, 1);
  const bdatum = at(o.bdatum, i, 0);
  const f32 = ref.dtype === 'float32';
  const fill = ref.fill_value === undefined ? undefined : f32 ? Math.fround(ref.fill_value) : ref.fill_value;
  const stored = f32 ? Math.fround(mdi) : mdi;
  if (bmks === 1 && bdatum === 0 && (fill === undefined || fill === stored)) return undefined;
  return { stored, ...(fill !== undefined && { fill }), bmks, bdatum };
}

/** `values` (field `i`'s, in host order) with their missing points the fill value, BMKS and BDATUM applied. */
function fixValues(values: FieldValues, ref: SourceArray, o: PpOptions, i: number): void {
  const fix = valueFix(ref, o, i);
  if (!fix || values instanceof BigInt64Array) return;
  const { stored, fill, bmks, bdatum } = fix;
  const adjust = bmks !== 1 || bdatum !== 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v === stored) {
      if (fill !== undefined) values[k] = fill;
    } else if (adjust) values[k] = v * bmks + bdatum;
  }
}

/** Bytes per value of a reference's dtype. */
const valueBytes = (dtype: string): 4 | 8 => (dtype === 'float64' || dtype === 'int64' ? 8 : 4);

/** Whether field `i` is stored as unpacked words of its values' size: its rows can be read straight into place. */
function storedAsValues(ref: SourceArray, o: PpOptions, i: number): boolean {
  return o.boundary === undefined && at(o.lbpack, i, 0) === 0 && o.word === valueBytes(ref.dtype);
}

/**
 * Rows `w` of unpacked field `i`, read into `target` (their bytes as stored: the caller puts them in host order).
 * The byte source reads into it when it can (a local file); bytes it returns from elsewhere are copied.
 */
async function readStoredRows(source: ByteSource, ref: SourceArray, o: PpOptions, i: number, w: RowWindow, target: Uint8Array, options?: RangeOptions): Promise<void> {
  const cols = ref.shape[ref.shape.length - 1];
  const rowBytes = valueBytes(ref.dtype) * cols;
  const offset = o.offset[i] + w.start * rowBytes;
  const length = w.count * rowBytes;
  if (o.length[i] < (w.start + w.count) * rowBytes) {
    const have = Math.floor(o.length[i] / valueBytes(ref.dtype));
    throw new PpError('PP_BAD_PACKING', source.uri, { field: o.field[i], word: 'lbpack', offset: o.offset[i] }, `the data hold ${have} values of ${valueBytes(ref.dtype)} bytes but the field has ${ref.shape.slice(-2).join(' × ')} = ${ref.shape.slice(-2).reduce((a, b) => a * b, 1)}`);
  }
  const data = await source.getRange(offset, length, { signal: options?.signal, into: target });
  if (data.length < length) {
    throw new ByteSourceError('SHORT_READ', source.uri, `the object ends after ${offset + data.length} bytes, inside field ${o.field[i]}'s data; the file is truncated, or it changed since it was published`, { range: { offset, length } });
  }
  if (data.buffer !== target.buffer || data.byteOffset !== target.byteOffset) target.set(data);
}

/** A boundary condition field: its frame read and laid out on the field, the points inside it the fill value. */
async function readBoundaryField(
  source: ByteSource,
  ref: SourceArray,
  o: PpOptions,
  i: number,
  rows: number,
  cols: number,
  options?: RangeOptions,
  window?: RowWindow,
): Promise<FieldValues> {
  const t = (Array.isArray(o.boundary?.[0]) ? (o.boundary as number[][])[i] : o.boundary) as number[];
  const b = { xHalo: t[0], yHalo: t[1], rim: t[2] };
  const n = boundaryValues(rows, cols, b);
  const bytes = await source.getRange(o.offset[i], o.length[i], options);
  const lbpack = at(o.lbpack, i, 0);
  let framed: FieldValues;
  try {
    if (2 * (b.yHalo + b.rim) > rows || 2 * (b.xHalo + b.rim) > cols) throw new UnpackError(`a boundary of halos ${b.xHalo} × ${b.yHalo} and rim ${b.rim} does not fit ${rows} × ${cols}`);
    // The frame's values, as one row of them.
    framed = decodeField(bytes, { lbpack, dtype: ref.dtype as FieldDtype, wordBytes: o.word, littleEndian: o.byte_order === 'little', rows: 1, cols: n, mdi: at(o.bmdi, i, 0) });
  } catch (error) {
    if (error instanceof UnpackError) {
      throw new PpError('PP_BAD_PACKING', source.uri, { field: o.field[i], word: 'lbuser3', offset: o.offset[i] }, error.message, { cause: error });
    }
    throw error;
  }
  if (framed instanceof BigInt64Array) throw new PpError('PP_UNSUPPORTED', source.uri, { field: o.field[i], word: 'lbuser1' }, 'boundary fields of 64-bit integers are not supported');
  const fill = ref.fill_value ?? at(o.bmdi, i, 0);
  const out = expandBoundary(framed, rows, cols, b, fill, new (framed.constructor as Float32ArrayConstructor)(rows * cols) as typeof framed);
  const w = window ?? { start: 0, count: rows };
  return w.start > 0 || w.count < rows ? (out.subarray(w.start * cols, (w.start + w.count) * cols) as FieldValues) : out;
}

/**
 * The file of each field of a reference: `uri` (the reference's source), or for fields merged across files
 * (`options.source`) the URI of each field's source, from `ctx.sourceUri` — a coded error if one is not listed.
 */
export function fieldUris(ref: SourceArray, o: PpOptions, uri: string, ctx: PluginContext): (i: number) => string {
  const perField = o.source;
  if (perField === undefined) return () => uri;
  const uris = new Map<number, string>();
  for (const [i, index] of perField.entries()) {
    if (uris.has(index)) continue;
    const found = index === ref.source ? uri : ctx.sourceUri?.(index);
    if (found === undefined) {
      throw new PpError('PP_BAD_OPTIONS', uri, { field: o.field[i] }, `data reference '${ref.variable}': its field ${i} lies in source ${index}, which the publication does not list`);
    }
    uris.set(index, found);
  }
  return (i) => uris.get(perField[i])!;
}

/** The reference's field index of each field a slab covers (its leading axes), in the slab's C order. */
function slabFields(slab: Hyperslab, lead: readonly number[]): number[] {
  const leadStart = slab.start.slice(0, -2);
  const leadCount = slab.count.slice(0, -2);
  const nFields = leadCount.reduce((p, c) => p * c, 1);
  const out = new Array<number>(nFields);
  for (let j = 0; j < nFields; j++) {
    let rem = j;
    let index = 0;
    let stride = 1;
    for (let d = lead.length - 1; d >= 0; d--) {
      index += (leadStart[d] + (rem % leadCount[d])) * stride;
      rem = Math.floor(rem / leadCount[d]);
      stride *= lead[d];
    }
    out[j] = index;
  }
  return out;
}

/** `n` values of `dtype` over `bytes` (aligned to the value size). */
function valuesOver(dtype: string, bytes: Uint8Array, n: number): FieldValues {
  const View = TYPED_ARRAYS[dtype as FieldDtype] as unknown as new (buffer: ArrayBufferLike, byteOffset: number, length: number) => FieldValues;
  return new View(bytes.buffer, bytes.byteOffset, n);
}

/**
 * A reader for a `format: pp` reference: a hyperslab covers some fields (its leading axes) and a window of their
 * rows and points; each field is one range request (in its own file, for fields merged across files), of the
 * rows asked when unpacked, whole when packed (packed rows cannot be found without the rows before them).
 *
 * The slab is built in `options.into` when it holds it (`readsInto`). Unpacked fields whose whole rows are asked
 * are read straight into their place there, and their bytes put in the order wanted by a native swap, if any:
 * host order, or big-endian when `options.bigEndian` asks (`readsBigEndian`: the caller then reverses the bytes as
 * it takes them, so that big-endian fields cost no pass here). Packed fields are unpacked (WGDOS ones of whole
 * fields into their place), and missing-data values, BMKS and BDATUM applied, in host order.
 */
export function ppSlabReader(ref: SourceArray, uri: string, ctx: PluginContext, options?: RangeOptions): SlabReader {
  const o = checkOptions(ref, uri);
  const uriOf = fieldUris(ref, o, uri, ctx);
  const lead = ref.shape.slice(0, -2);
  const [rows, cols] = ref.shape.slice(-2);
  const size = valueBytes(ref.dtype);
  const storedInHostOrder = (o.byte_order === 'little') === LITTLE_ENDIAN_HOST;
  return async (slab: Hyperslab, readOptions?: StoredReadOptions): Promise<ArrayValues> => {
    const signal = readOptions?.signal ?? options?.signal;
    const n = slab.count.reduce((p, c) => p * c, 1);
    const [y0, x0] = slab.start.slice(-2);
    const [ny, nx] = slab.count.slice(-2);
    const fields = slabFields(slab, lead);
    // Big-endian values asked of a little-endian host: host-order values are swapped to it.
    const bigEndian = readOptions?.bigEndian === true && LITTLE_ENDIAN_HOST;
    const into = readOptions?.into;
    const out = into !== undefined && into.byteLength >= n * size && into.byteOffset % size === 0 ? valuesOver(ref.dtype, into, n) : (allocate(ref.dtype, n) as FieldValues);
    const outBytes = new Uint8Array(out.buffer, out.byteOffset, n * size);
    const limit = pLimit(8);
    const tasks = fields.map((index, j) =>
      limit(async () => {
        const source = ctx.openSource(uriOf(index));
        const base = j * ny * nx;
        const region = () => valuesOver(ref.dtype, outBytes.subarray(base * size, (base + ny * nx) * size), ny * nx);
        if (x0 === 0 && nx === cols && storedAsValues(ref, o, index)) {
          await readStoredRows(source, ref, o, index, { start: y0, count: ny }, outBytes.subarray(base * size, (base + ny * nx) * size), { signal });
          const values = region();
          if (valueFix(ref, o, index) === undefined) {
            // As stored, if that is the order wanted.
            if (bigEndian ? o.byte_order !== 'big' : !storedInHostOrder) swapBytes(values);
            return;
          }
          if (!storedInHostOrder) swapBytes(values);
          fixValues(values, ref, o, index);
          if (bigEndian) swapBytes(values);
          return;
        }
        const whole = y0 === 0 && ny === rows && x0 === 0 && nx === cols;
        const place = whole && out instanceof Float32Array ? out.subarray(base, base + ny * nx) : undefined;
        const values = await readField(source, ref, o, index, { signal }, { start: y0, count: ny }, place);
        if (!place || values.buffer !== place.buffer || values.byteOffset !== place.byteOffset) {
          for (let r = 0; r < ny; r++) {
            const from = r * cols + x0;
            (out as Float32Array).set((values as Float32Array).subarray(from, from + nx), base + r * nx);
          }
        }
        if (bigEndian) swapBytes(region());
      }),
    );
    try {
      await Promise.all(tasks);
    } finally {
      limit.clearQueue();
    }
    return out;
  };
}
