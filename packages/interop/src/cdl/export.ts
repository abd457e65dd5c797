import type { ArrayData, AttributeValue, Dtype, Publication } from '@cubemark/format';
import { regularValues } from '@cubemark/format';
import { netcdfView, type NcAttribute, type NcVariable, type NcView } from '../view/netcdf-view.js';

const TARGET = 'CDL';

/** CDL type names (netCDF-4 names for the types classic files lack). */
export const CDL_TYPES: Record<Exclude<Dtype, 'string'>, string> = {
  int8: 'byte',
  uint8: 'ubyte',
  int16: 'short',
  uint16: 'ushort',
  int32: 'int',
  uint32: 'uint',
  int64: 'int64',
  uint64: 'uint64',
  float32: 'float',
  float64: 'double',
};

const SUFFIX: Record<Exclude<Dtype, 'string'>, string> = {
  int8: 'b',
  uint8: 'UB',
  int16: 's',
  uint16: 'US',
  int32: '',
  uint32: 'U',
  int64: 'LL',
  uint64: 'ULL',
  float32: 'f',
  float64: '',
};

/** The shortest decimal that reads back as the same float32. */
export function float32Text(v: number): string {
  for (let p = 1; p <= 9; p++) {
    const t = v.toPrecision(p);
    if (Math.fround(Number(t)) === v) return String(Number(t));
  }
  return String(v);
}

/** A number as a CDL constant of `dtype` (`1.5f`, `2s`, `NaN`, `1.e+30f`). */
export function cdlNumber(v: number | bigint, dtype: Exclude<Dtype, 'string'>): string {
  const suffix = SUFFIX[dtype];
  if (typeof v === 'bigint') return `${v}${suffix}`;
  if (Number.isNaN(v)) return `NaN${suffix}`;
  if (!Number.isFinite(v)) return `${v > 0 ? '' : '-'}Infinity${suffix}`;
  if (dtype !== 'float32' && dtype !== 'float64') return `${v}${suffix}`;
  let t = dtype === 'float32' ? float32Text(v) : String(v);
  // A float constant needs a point or an exponent, or ncgen reads it as an integer.
  if (!/[.e]/.test(t)) t += '.';
  return `${t}${suffix}`;
}

export function cdlString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

/** A CDL name, escaping what CDL identifiers cannot hold bare. */
export function cdlName(name: string): string {
  return name.replace(/([^A-Za-z0-9_.@+-])/g, '\\$1').replace(/^([0-9])/, '\\$1');
}

function attributeText(owner: string, a: NcAttribute): string {
  const v: AttributeValue = a.value;
  const head = `${owner}:${cdlName(a.name)}`;
  if (typeof v === 'string') return `${head} = ${cdlString(v)} ;`;
  // A list of strings is a netCDF-4 `string` attribute.
  if (Array.isArray(v)) return `string ${head} = ${v.map(cdlString).join(', ')} ;`;
  const values = Array.from(v.values as ArrayLike<number | bigint>, (x) => cdlNumber(x, v.dtype));
  return `${head} = ${values.join(', ')} ;`;
}

function valuesOf(data: ArrayData): ArrayLike<number | bigint | string> | undefined {
  if (data.kind === 'inline') return data.values;
  if (data.kind === 'regular') return regularValues(data);
  return undefined;
}

/** The string length of a `string` variable: its NetCDF `char` dimension. */
function stringLength(v: NcVariable): number | undefined {
  const data = v.data;
  if (!data) return undefined;
  if (data.kind === 'source' && data.format === 'netcdf' && typeof data.options?.string_length === 'number') return data.options.string_length;
  const values = valuesOf(data);
  if (values) return Math.max(1, ...Array.from(values as string[], (s) => Buffer.byteLength(s)));
  return undefined;
}

export interface CdlOptions {
  /** The dataset name after `netcdf` (default: the publication's name). */
  name?: string;
}

/**
 * The publication's NetCDF view as CDL (`ncgen` input): dimensions (the record dimension as `UNLIMITED`), variables
 * with their CF attributes and packing, global attributes, and a `data:` section with the values the publication
 * holds inline. Values held in sources are not copied: a comment lists where each is, and `ncgen` fills them.
 */
export function publicationCdl(publication: Publication, options: CdlOptions = {}): string {
  return viewCdl(netcdfView(publication, { target: TARGET, omitDefaultFill: true }), options.name ?? publication.name, publication);
}

function viewCdl(view: NcView, name: string, publication: Publication): string {
  const lines: string[] = [];
  const external: string[] = [];
  const dims = [...view.dimensions];
  const charDims = new Map<string, string>();
  for (const v of view.variables) {
    if (v.dtype !== 'string') continue;
    const n = stringLength(v);
    if (n === undefined) continue;
    const dname = `string${n}`;
    if (!dims.some((d) => d.name === dname)) dims.push({ name: dname, length: n });
    charDims.set(v.name, dname);
  }
  lines.push(`netcdf ${cdlName(name)} {`);
  if (dims.length) {
    lines.push('dimensions:');
    for (const d of dims) lines.push(d.unlimited ? `\t${cdlName(d.name)} = UNLIMITED ; // (${d.length} currently)` : `\t${cdlName(d.name)} = ${d.length} ;`);
  }
  if (view.variables.length) lines.push('variables:');
  for (const v of view.variables) {
    let type: string;
    const vdims = v.dims.map(cdlName);
    if (v.dtype === 'string') {
      const cd = charDims.get(v.name);
      if (cd) {
        type = 'char';
        vdims.push(cd);
      } else {
        type = 'string';
      }
    } else {
      type = CDL_TYPES[v.dtype];
    }
    lines.push(`\t${type} ${cdlName(v.name)}${vdims.length ? `(${vdims.join(', ')})` : ''} ;`);
    for (const a of v.attributes) lines.push(`\t\t${attributeText(cdlName(v.name), a)}`);
    if (v.data && (v.data.kind === 'source' || v.data.kind === 'combined')) {
      const parts = v.data.kind === 'source' ? [v.data] : v.data.parts;
      const where = parts.map((p) => (p.kind === 'source' ? `${publication.sources[p.source]?.uri ?? `source ${p.source}`} (${p.format} '${p.variable}')` : 'inline'));
      external.push(`// ${v.name}: ${where.join(', ')}`);
    }
  }
  if (view.globals.length) {
    lines.push('');
    lines.push('// global attributes:');
    for (const a of view.globals) lines.push(`\t\t${attributeText('', a)}`);
  }
  const data: string[] = [];
  for (const v of view.variables) {
    const values = v.data && valuesOf(v.data);
    if (!values || values.length === 0) continue;
    const text =
      v.dtype === 'string'
        ? Array.from(values as string[], cdlString)
        : Array.from(values as ArrayLike<number | bigint>, (x) => cdlNumber(x, v.dtype as Exclude<Dtype, 'string'>));
    data.push('', ` ${cdlName(v.name)} = ${text.join(', ')} ;`);
  }
  if (data.length) lines.push('data:', ...data);
  lines.push('}');
  const header = external.length ? ['// Values not included: they are read from these sources.', ...external, ''] : [];
  return [...header, ...lines, ''].join('\n');
}
