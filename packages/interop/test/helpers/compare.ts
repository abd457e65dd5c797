import { readFile } from 'node:fs/promises';
import type { ArrayData, Publication } from '@cubemark/format';
import { defaultRegistry, fromArrayData, type SourcePool } from '@cubemark/cube';
import { netcdfView } from '../../src/index.js';

/** Every numeric variable of a publication's NetCDF view, read by cubemark as float64 (NaN where masked). */
export async function cubemarkValues(publication: Publication, pool: SourcePool, base?: string): Promise<Map<string, Float64Array>> {
  const out = new Map<string, Float64Array>();
  for (const v of netcdfView(publication).variables) {
    if (!v.data || v.valueDtype === 'string') continue;
    const r = await fromArrayData(v.data as ArrayData, { sources: publication.sources, base, pool, plugins: defaultRegistry }).read();
    const values = Float64Array.from(r.values as ArrayLike<number | bigint>, (x) => Number(x));
    if (r.mask) r.mask.forEach((m, i) => m && (values[i] = NaN));
    out.set(v.name, values);
  }
  return out;
}

export async function readF64(file: string): Promise<Float64Array> {
  const b = await readFile(file);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** Indexes where two arrays differ beyond float32 rounding (NaN equals NaN). */
export function differences(a: Float64Array, b: Float64Array, relative = 1e-6): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x === y) continue;
    if (Math.abs(x - y) <= relative * Math.max(Math.abs(x), Math.abs(y))) continue;
    out.push(i);
  }
  return out;
}
