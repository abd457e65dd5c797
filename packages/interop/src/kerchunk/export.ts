import type { ArrayData, AttributeValue, Dtype, JsonValue, Publication, SourceArray } from '@cubemark/format';
import { regularValues } from '@cubemark/format';
import type { ChunkLayout, ChunkRef } from '@cubemark/cube';
import { InteropError, cannotExpress } from '../errors.js';
import type { SourceAccess } from '../sources.js';
import { netcdfView, type NcAttribute } from '../view/netcdf-view.js';
import { fillChunk, gridIndexes } from './fill-chunk.js';

/** A kerchunk reference file, version 1: `refs` maps Zarr keys to inline text, `base64:` bytes or `[url, offset, length]`. */
export interface KerchunkReferences {
  version: 1;
  refs: Record<string, string | [string] | [string, number, number]>;
}

const TARGET = 'a kerchunk reference file';

const NUMPY_CODE: Record<Exclude<Dtype, 'string'>, string> = {
  int8: '|i1',
  uint8: '|u1',
  int16: '<i2',
  uint16: '<u2',
  int32: '<i4',
  uint32: '<u4',
  int64: '<i8',
  uint64: '<u8',
  float32: '<f4',
  float64: '<f8',
};

/** A float that must stay a float in JSON (`1e20` written `1e+20`, not `100000000000000000000`, which Python reads as an int). */
class Float {
  constructor(readonly value: number) {}
}

type Json = JsonValue | Float | Json[] | { [key: string]: Json };

/** A number as Zarr JSON writes it (non-finite values as strings, 64-bit integers as numbers when exact). */
function jsonNumber(v: number | bigint, float: boolean): number | string | Float {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return float ? new Float(v) : v;
}

/** JSON text in which floats keep a point or an exponent. */
export function jsonText(value: Json): string {
  if (value instanceof Float) {
    const t = String(value.value);
    return /[.eE]/.test(t) ? t : `${t}.0`;
  }
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
  return JSON.stringify(value);
}

export function attributeJson(value: AttributeValue): Json {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value;
  const float = value.dtype === 'float32' || value.dtype === 'float64';
  const values = Array.from(value.values as ArrayLike<number | bigint>, (v) => jsonNumber(v, float));
  return values.length === 1 ? values[0] : values;
}

function attributesJson(attrs: readonly NcAttribute[], skip: ReadonlySet<string> = new Set()): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const a of attrs) if (!skip.has(a.name)) out[a.name] = attributeJson(a.value);
  return out;
}

/** Values' bytes in little-endian order (the machine's order on every platform Node runs on). */
function littleEndianBytes(values: ArrayLike<number | bigint> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

function inlineValues(data: ArrayData): { dtype: Dtype; values: ArrayLike<unknown> } {
  if (data.kind === 'inline') return { dtype: data.dtype, values: data.values };
  if (data.kind === 'regular') return { dtype: data.dtype, values: regularValues(data) };
  throw new Error('not inline');
}

/** Inline or regular values as one base64 chunk: little-endian numbers, or UTF-32 strings (`<U<n>`). */
function inlineChunk(data: ArrayData): { dtype: string; bytes: Uint8Array } {
  const { dtype, values } = inlineValues(data);
  if (dtype !== 'string') return { dtype: NUMPY_CODE[dtype], bytes: littleEndianBytes(values as Float64Array) };
  const strings = values as string[];
  const width = Math.max(1, ...strings.map((s) => [...s].length));
  const out = new Uint32Array(strings.length * width);
  strings.forEach((s, i) => [...s].forEach((ch, j) => (out[i * width + j] = ch.codePointAt(0)!)));
  return { dtype: `<U${width}`, bytes: new Uint8Array(out.buffer) };
}

/** The stored dtype's NumPy code with the layout's byte order (so `_Unsigned` data is read as its stored dtype). */
function storedCode(layout: ChunkLayout, dtype: Dtype): string {
  if (dtype === 'string' || !/^[<>|][iuf]\d$/.test(layout.dtype)) return layout.dtype;
  const code = NUMPY_CODE[dtype];
  return code[0] === '|' ? code : `${layout.dtype[0] === '|' ? '<' : layout.dtype[0]}${code.slice(1)}`;
}

/** A whole object, a byte range of one, or the chunk's bytes inline (`base64:`). */
type Ref = string | [string] | [string, number, number];

interface Placed {
  layout: ChunkLayout;
  /** Chunk index tuples and where each is. */
  chunks: { index: number[]; ref: Ref }[];
}

function placed(layout: ChunkLayout, uriOf: (uri: string) => string): Placed {
  const sep = layout.dimension_separator ?? '.';
  return {
    layout,
    chunks: layout.refs.map((r: ChunkRef) => ({
      index: layout.shape.length === 0 ? [] : r.key.split(sep).map(Number),
      ref: r.data
        ? `base64:${Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength).toString('base64')}`
        : r.offset === undefined || r.length === undefined
          ? [uriOf(r.uri)]
          : [uriOf(r.uri), r.offset, r.length],
    })),
  };
}

function sameStorage(a: ChunkLayout, b: ChunkLayout): boolean {
  return (
    a.dtype === b.dtype &&
    a.order === b.order &&
    JSON.stringify(a.compressor) === JSON.stringify(b.compressor) &&
    JSON.stringify(a.filters) === JSON.stringify(b.filters) &&
    JSON.stringify(a.chunks) === JSON.stringify(b.chunks)
  );
}

/**
 * Parts of a combination as one chunk grid: `stack` puts each part's chunks at its index along the new axis;
 * `concat` offsets each part's chunk indexes along the axis, which needs every part but the last to be a whole
 * number of chunks long there (the rule kerchunk's MultiZarrToZarr has too).
 */
function combine(parts: Placed[], mode: 'stack' | 'concat', axis: number, shape: number[], what: string): Placed {
  const first = parts[0].layout;
  for (const p of parts) {
    if (!sameStorage(p.layout, first)) {
      throw cannotExpress(TARGET, `${what}: its parts are stored differently (dtype, chunks or codecs differ), which one Zarr array cannot say`);
    }
  }
  if (mode === 'stack') {
    const chunks = [...first.chunks];
    chunks.splice(axis, 0, 1);
    return {
      layout: { ...first, shape, chunks, refs: [] },
      chunks: parts.flatMap((p, i) => p.chunks.map((c) => ({ index: [...c.index.slice(0, axis), i, ...c.index.slice(axis)], ref: c.ref }))),
    };
  }
  const step = first.chunks[axis];
  let offset = 0;
  const out: Placed['chunks'] = [];
  parts.forEach((p, i) => {
    const length = p.layout.shape[axis];
    if (i < parts.length - 1 && length % step !== 0) {
      throw cannotExpress(TARGET, `${what}: part ${i} is ${length} long along axis ${axis}, not a whole number of its ${step}-long chunks, so the parts cannot share one chunk grid`);
    }
    for (const c of p.chunks) out.push({ index: c.index.map((x, d) => (d === axis ? x + offset : x)), ref: c.ref });
    offset += length / step;
  });
  return { layout: { ...first, shape, refs: [] }, chunks: out };
}

/**
 * The kerchunk (version 1) references of a publication: one Zarr v2 group holding the NetCDF view of its cubes
 * (`netcdfView`), with CF attributes so xarray decodes values as cubemark does (`_FillValue`, `missing_value`,
 * `scale_factor`, `add_offset`, `units`, `calendar`), xarray's `_ARRAY_DIMENSIONS`, inline arrays as `base64:`
 * chunks, and data read from sources as byte ranges from the readers' `chunkRefs`. Reads only metadata (a
 * locator-less NetCDF variable's header; a Zarr array's metadata document).
 */
export async function kerchunkReferences(publication: Publication, access: SourceAccess): Promise<KerchunkReferences> {
  const view = netcdfView(publication, { target: TARGET });
  const refs: KerchunkReferences['refs'] = {
    '.zgroup': JSON.stringify({ zarr_format: 2 }),
    '.zattrs': jsonText(attributesJson(view.globals)),
  };
  const uriOf = access.referenceUri ?? ((u: string) => u);

  const layoutOf = async (ref: SourceArray, what: string): Promise<Placed> => {
    const plugin = await access.plugin(ref.format);
    if (!plugin.chunkRefs) {
      throw cannotExpress(TARGET, `${what}: it is read by the '${ref.format}' reader, which gives no chunk references (it does not implement chunkRefs)`);
    }
    const layout = await plugin.chunkRefs(ref, access.uri(ref.source), access.context, { signal: access.signal });
    return placed(layout, uriOf);
  };

  for (const v of view.variables) {
    const what = `variable '${v.name}'`;
    const attrs = attributesJson(v.attributes, new Set(['_FillValue']));
    attrs._ARRAY_DIMENSIONS = v.dims;
    const fill = v.attributes.find((a) => a.name === '_FillValue');
    const fillValue = fill ? attributeJson(fill.value) : null;
    const zarray = (dtype: string, chunks: number[], l?: ChunkLayout) => ({
      zarr_format: 2,
      shape: v.shape,
      chunks,
      dtype,
      compressor: l?.compressor ?? null,
      fill_value: fillValue,
      filters: l?.filters ?? null,
      order: l?.order ?? 'C',
      dimension_separator: '.',
    });
    const key = (index: readonly number[]) => `${v.name}/${index.length ? index.join('.') : '0'}`;

    if (!v.data) {
      // A grid mapping: attributes only; its one value is never written.
      refs[`${v.name}/.zarray`] = jsonText(zarray("<i4", []));
      refs[`${v.name}/.zattrs`] = jsonText(attrs);
      continue;
    }
    if (v.data.kind === 'inline' || v.data.kind === 'regular') {
      const chunk = inlineChunk(v.data);
      refs[`${v.name}/.zarray`] = jsonText(zarray(chunk.dtype, v.shape.length ? v.shape.map((n) => Math.max(1, n)) : []));
      refs[`${v.name}/.zattrs`] = jsonText(attrs);
      if (v.shape.every((n) => n > 0)) refs[key(v.shape.map(() => 0))] = `base64:${Buffer.from(chunk.bytes).toString('base64')}`;
      continue;
    }
    let grid: Placed;
    if (v.data.kind === 'source') {
      grid = await layoutOf(v.data, what);
    } else {
      const parts: Placed[] = [];
      for (const [i, part] of v.data.parts.entries()) {
        if (part.kind !== 'source') throw cannotExpress(TARGET, `${what}: part ${i} is not a source reference`);
        parts.push(await layoutOf(part, `${what}, part ${i}`));
      }
      grid = combine(parts, v.data.mode, v.data.axis, v.shape, what);
    }
    if (grid.layout.shape.length !== v.shape.length || grid.layout.shape.some((n, i) => n !== v.shape[i])) {
      throw new InteropError('EXPORT_CANNOT_EXPRESS', `${what}: the reader stores it as [${grid.layout.shape.join(', ')}] but the publication says [${v.shape.join(', ')}]`);
    }
    const dtype = storedCode(grid.layout, v.dtype);
    if (dtype.startsWith('|S')) attrs._Encoding = 'utf-8';
    refs[`${v.name}/.zarray`] = jsonText(zarray(dtype, grid.layout.chunks, grid.layout));
    refs[`${v.name}/.zattrs`] = jsonText(attrs);
    for (const c of grid.chunks) refs[key(c.index)] = c.ref;
    // Chunks the store never wrote read as its fill value: give them an inline chunk of it.
    let fillText: string | undefined;
    for (const index of gridIndexes(v.shape, grid.layout.chunks)) {
      const k = key(index);
      if (k in refs) continue;
      fillText ??= `base64:${Buffer.from(fillChunk(grid.layout, what)).toString('base64')}`;
      refs[k] = fillText;
    }
  }
  return { version: 1, refs };
}

/** The references as the JSON text kerchunk writes (one key per line, so a diff shows what changed). */
export function kerchunkText(refs: KerchunkReferences): string {
  const lines = Object.entries(refs.refs).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  return `{\n  "version": 1,\n  "refs": {\n${lines.join(',\n')}\n  }\n}\n`;
}

