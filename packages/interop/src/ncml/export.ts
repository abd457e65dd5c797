import type { ArrayData, AttributeValue, Dtype, Publication, SourceArray } from '@cubemark/format';
import { regularValues } from '@cubemark/format';
import { CDL_TYPES, float32Text } from '../cdl/export.js';
import { cannotExpress } from '../errors.js';
import { netcdfView, type NcAttribute, type NcVariable } from '../view/netcdf-view.js';

const TARGET = 'NcML';
export const NCML_NAMESPACE = 'http://www.unidata.ucar.edu/namespaces/netcdf/ncml-2.2';

/** NcML's type names: CDL's, but `long`/`ulong` for 64-bit integers. */
const NCML_TYPES: Record<Exclude<Dtype, 'string'>, string> = { ...CDL_TYPES, int64: 'long', uint64: 'ulong' };

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function numberText(v: number | bigint, dtype: Exclude<Dtype, 'string'>): string {
  if (typeof v === 'bigint') return v.toString();
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'INF' : '-INF';
  return dtype === 'float32' ? float32Text(v) : String(v);
}

/** A separator that occurs in none of the strings (NcML splits string values on it). */
function separatorFor(strings: readonly string[]): string {
  return ['|', ';', ',', '#', '~', '^'].find((c) => strings.every((s) => !s.includes(c))) ?? '\u2063';
}

function attributeXml(a: NcAttribute, indent: string): string {
  const v: AttributeValue = a.value;
  const name = `name="${xmlEscape(a.name)}"`;
  if (typeof v === 'string') return `${indent}<attribute ${name} value="${xmlEscape(v)}"/>`;
  if (Array.isArray(v)) {
    const sep = separatorFor(v);
    return `${indent}<attribute ${name} type="String" separator="${xmlEscape(sep)}" value="${xmlEscape(v.join(sep))}"/>`;
  }
  const values = Array.from(v.values as ArrayLike<number | bigint>, (x) => numberText(x, v.dtype));
  return `${indent}<attribute ${name} type="${NCML_TYPES[v.dtype]}" value="${values.join(' ')}"/>`;
}

function valuesXml(data: ArrayData, indent: string): string | undefined {
  if (data.kind === 'regular' && data.shape.length === 1 && data.dtype !== 'float32') {
    return `${indent}<values start="${data.start[0]}" increment="${data.step}"/>`;
  }
  const values = data.kind === 'inline' ? data.values : data.kind === 'regular' ? regularValues(data) : undefined;
  if (!values) return undefined;
  if (data.dtype === 'string') {
    const strings = values as string[];
    const sep = separatorFor(strings);
    return `${indent}<values separator="${xmlEscape(sep)}">${xmlEscape(strings.join(sep))}</values>`;
  }
  const dtype = data.dtype;
  return `${indent}<values>${Array.from(values as ArrayLike<number | bigint>, (x) => numberText(x, dtype)).join(' ')}</values>`;
}

/** Where a variable's stored values come from: one source, or a combination of sources along an axis. */
type Origin = { kind: 'source'; source: number } | { kind: 'combined'; mode: 'stack' | 'concat'; axis: number; sources: number[] };

function originOf(data: ArrayData | undefined): Origin | undefined {
  if (!data) return undefined;
  if (data.kind === 'source') return { kind: 'source', source: data.source };
  if (data.kind === 'combined') return { kind: 'combined', mode: data.mode, axis: data.axis, sources: data.parts.map((p) => (p.kind === 'source' ? p.source : -1)) };
  return undefined;
}

function originKey(o: Origin): string {
  return o.kind === 'source' ? `s${o.source}` : `${o.mode}:${o.sources.join(',')}`;
}

/** The variable name inside the referenced files (all parts of a combination must agree). */
function orgName(v: NcVariable): string | undefined {
  const data = v.data;
  if (!data) return undefined;
  const refs: SourceArray[] = data.kind === 'source' ? [data] : data.kind === 'combined' ? (data.parts.filter((p) => p.kind === 'source') as SourceArray[]) : [];
  if (refs.length === 0) return undefined;
  if (refs.some((r) => r.variable !== refs[0].variable)) {
    throw cannotExpress(TARGET, `variable '${v.name}': its parts read different variables (${[...new Set(refs.map((r) => r.variable))].join(', ')}), which an aggregation cannot rename one by one`);
  }
  return refs[0].variable === v.name ? undefined : refs[0].variable;
}

export interface NcmlOptions {
  /** How a source URI is written as a `location` (default: as the publication lists it, relative ones kept relative). */
  location?: (uri: string, index: number) => string;
}

/**
 * The publication's NetCDF view as an NcML 2.2 document: `<explicit/>` metadata (dimensions, variables, CF
 * attributes, inline values) over the sources that hold the rest. One source is the document's `location`; a
 * variable concatenated from several files along its first dimension is a `joinExisting` aggregation on that
 * dimension (each file's `ncoords` given), one stacked along a new first dimension a `joinNew`; several such groups
 * are joined by a `union`. Combinations along another axis cannot be expressed.
 */
export function publicationNcml(publication: Publication, options: NcmlOptions = {}): string {
  const view = netcdfView(publication, { target: TARGET, omitDefaultFill: true });
  const location = (i: number) => xmlEscape(options.location ? options.location(publication.sources[i].uri, i) : publication.sources[i].uri);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const title = publication.title ? ` title="${xmlEscape(publication.title)}"` : '';

  // Group variables by where their values come from.
  const groups = new Map<string, { origin: Origin; variables: NcVariable[] }>();
  for (const v of view.variables) {
    const origin = originOf(v.data);
    if (!origin) continue;
    if (origin.kind === 'combined') {
      if (origin.sources.includes(-1)) throw cannotExpress(TARGET, `variable '${v.name}': a combination with inline parts`);
      if (origin.axis !== 0) {
        throw cannotExpress(TARGET, `variable '${v.name}': it joins its parts along axis ${origin.axis}; NcML aggregations join along the first (outer) dimension only`);
      }
    }
    const key = originKey(origin);
    const g = groups.get(key) ?? { origin, variables: [] };
    g.variables.push(v);
    groups.set(key, g);
  }
  // A variable read from one file of an aggregation is read from its first file: fold such single-source groups in.
  for (const [key, g] of [...groups]) {
    if (g.origin.kind !== 'source') continue;
    const source = g.origin.source;
    const host = [...groups.values()].find((h) => h.origin.kind === 'combined' && h.origin.sources[0] === source);
    if (host) {
      host.variables.push(...g.variables);
      groups.delete(key);
    }
  }

  const member = (g: { origin: Origin; variables: NcVariable[] }, indent: string, attrs = ''): string[] => {
    const o = g.origin;
    if (o.kind === 'source') return [`${indent}<netcdf location="${location(o.source)}"${attrs}/>`];
    const lead = g.variables.find((v) => v.data?.kind === 'combined')!;
    const dimName = lead.dims[0];
    const lines = [`${indent}<netcdf${attrs}>`];
    if (o.mode === 'concat') {
      lines.push(`${indent}  <aggregation type="joinExisting" dimName="${xmlEscape(dimName)}">`);
      const parts = (lead.data as Extract<ArrayData, { kind: 'combined' }>).parts as SourceArray[];
      parts.forEach((p, i) => lines.push(`${indent}    <netcdf location="${location(o.sources[i])}" ncoords="${p.shape[0]}"/>`));
    } else {
      lines.push(`${indent}  <aggregation type="joinNew" dimName="${xmlEscape(dimName)}">`);
      for (const v of g.variables) if (v.data?.kind === 'combined') lines.push(`${indent}    <variableAgg name="${xmlEscape(orgName(v) ?? v.name)}"/>`);
      const coord = view.variables.find((v) => v.role === 'dim_coord' && v.name === dimName);
      const coordValues = coord?.data && (coord.data.kind === 'inline' ? coord.data.values : coord.data.kind === 'regular' ? regularValues(coord.data) : undefined);
      o.sources.forEach((s, i) => {
        const value = coordValues ? ` coordValue="${xmlEscape(String(coordValues[i]))}"` : '';
        lines.push(`${indent}    <netcdf location="${location(s)}"${value}/>`);
      });
    }
    lines.push(`${indent}  </aggregation>`, `${indent}</netcdf>`);
    return lines;
  };

  const list = [...groups.values()];
  const single = list.length === 1 && list[0].origin.kind === 'source' ? list[0].origin : undefined;
  out.push(`<netcdf xmlns="${NCML_NAMESPACE}"${single ? ` location="${location(single.source)}"` : ''}${title}>`);
  out.push('  <explicit/>');
  for (const d of view.dimensions) out.push(`  <dimension name="${xmlEscape(d.name)}" length="${d.length}"${d.unlimited ? ' isUnlimited="true"' : ''}/>`);
  for (const v of view.variables) {
    const type = v.dtype === 'string' ? 'String' : NCML_TYPES[v.dtype];
    const org = orgName(v);
    out.push(`  <variable name="${xmlEscape(v.name)}" shape="${v.dims.map(xmlEscape).join(' ')}" type="${type}"${org ? ` orgName="${xmlEscape(org)}"` : ''}>`);
    for (const a of v.attributes) out.push(attributeXml(a, '    '));
    const values = v.data && valuesXml(v.data, '    ');
    if (values) out.push(values);
    out.push('  </variable>');
  }
  for (const a of view.globals) out.push(attributeXml(a, '  '));
  if (!single && list.length === 1) {
    // One aggregation: the document's own.
    const inner = member(list[0], '  ');
    out.push(...inner.slice(1, -1).map((l) => l.slice(2)));
  } else if (!single && list.length > 1) {
    out.push('  <aggregation type="union">');
    for (const g of list) out.push(...member(g, '    '));
    out.push('  </aggregation>');
  }
  out.push('</netcdf>', '');
  return out.join('\n');
}
