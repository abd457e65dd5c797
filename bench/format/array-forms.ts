/**
 * bench/format/array-forms: how big inline value lists are in real publications, and what each canonical form
 * costs for them (text as lines of values, base64, zlib+base64). The numbers justify the thresholds of spec §13.5.
 * `node --conditions=source --import tsx bench/format/array-forms.ts`. Prints numbers; asserts nothing.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { createSourcePool, loadPublication } from '@cubemark/cube';
import { detectRegular, parse, regularValues, type ArrayData, type ArrayValues, type InlineArray, type Publication } from '@cubemark/format';

const IRIS = process.env.CUBEMARK_IRIS_TEST_DATA ?? new URL('../../../../shared/data/iris-test-data', import.meta.url).pathname;

function ncFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? ncFiles(p) : f.endsWith('.nc') ? [p] : [];
  });
}

interface Row { where: string; role: string; dtype: string; n: number; regular: boolean; contiguous: boolean; edgesRegular: boolean; text: number; b64: number; zlib: number }
const rows: Row[] = [];

function formatted(dtype: string, v: number | bigint): string {
  if (typeof v === 'bigint') return String(v);
  if (dtype === 'float32') {
    for (let p = 1; p <= 9; p++) if (Math.fround(Number(v.toPrecision(p))) === v) return String(Number(v.toPrecision(p)));
  }
  return Number.isInteger(v) && dtype.startsWith('float') ? `${v}.0` : String(v);
}

function visit(where: string, role: string, a: ArrayData | undefined): void {
  if (!a || (a.kind !== 'inline' && a.kind !== 'regular') || a.dtype === 'string') return;
  const values = (a.kind === 'regular' ? regularValues(a) : (a as InlineArray).values) as Exclude<ArrayValues, string[]>;
  const n = values.length;
  if (n <= 1) return;
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const text = Array.from(values as ArrayLike<number | bigint>, (v) => formatted(a.dtype, v)).join(', ').length + 2;
  const regular = a.kind === 'regular' || detectRegular(a.dtype as never, a.shape, values) !== undefined;
  let contiguous = false;
  let edgesRegular = false;
  if (role === 'bounds' && a.shape.length === 2 && a.shape[1] === 2) {
    contiguous = true;
    for (let i = 0; i + 1 < a.shape[0]!; i++) if (!Object.is(values[2 * i + 1], values[2 * i + 2])) contiguous = false;
    if (contiguous) {
      const edges = new Float64Array(a.shape[0]! + 1);
      for (let i = 0; i < a.shape[0]!; i++) edges[i] = Number(values[2 * i]);
      edges[a.shape[0]!] = Number(values[n - 1]);
      edgesRegular = detectRegular(a.dtype as never, [edges.length], a.dtype === 'float32' ? Float32Array.from(edges) : edges) !== undefined;
    }
  }
  rows.push({ where, role, dtype: a.dtype, n, regular, contiguous, edgesRegular, text, b64: Math.ceil(bytes.length / 3) * 4, zlib: Math.ceil(deflateSync(bytes, { level: 9 }).length / 3) * 4 });
}

function collect(name: string, pub: Publication): void {
  pub.cubes.forEach((c, i) => {
    const w = `${name}#${i}`;
    visit(w, 'data', c.data);
    for (const [k, co] of [...Object.entries(c.dim_coords), ...Object.entries(c.aux_coords)]) {
      visit(`${w}/${k}`, 'points', co.points);
      visit(`${w}/${k}`, 'bounds', co.bounds);
    }
    for (const [k, m] of [...Object.entries(c.cell_measures), ...Object.entries(c.ancillary_variables)]) visit(`${w}/${k}`, 'data', m.data);
  });
}

const pool = createSourcePool();
for (const file of ncFiles(join(IRIS, 'NetCDF'))) {
  try {
    const { publication } = await loadPublication([file], { pool });
    collect(file.slice(IRIS.length + 1), publication);
  } catch (e) {
    console.error(`skipped ${file}: ${(e as Error).message}`);
  }
}
await pool.close();
const fixtures = new URL('../../fixtures/', import.meta.url).pathname;
for (const f of readdirSync(fixtures).filter((f) => f.endsWith('.cube.md'))) {
  const r = parse(readFileSync(join(fixtures, f)));
  if (r.publication) collect(`fixtures/${f}`, r.publication);
}

// Deduplicate identical arrays across cubes of one file (a model run repeats its grid in every cube).
const seen = new Set<string>();
const unique = rows.filter((r) => {
  const key = `${r.where.split('#')[0]}|${r.role}|${r.dtype}|${r.n}|${r.b64}|${r.zlib}|${r.text}`;
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
});
console.log(`${rows.length} inline arrays of 2+ values (${unique.length} distinct per file)`);
const irregular = unique.filter((r) => !r.regular);
console.log(`regular: ${unique.length - irregular.length}; irregular: ${irregular.length}; contiguous bounds: ${unique.filter((r) => r.contiguous).length} (edges regular: ${unique.filter((r) => r.edgesRegular).length})`);
const sizes = irregular.map((r) => r.n).sort((a, b) => a - b);
const q = (p: number) => sizes[Math.min(sizes.length - 1, Math.floor(p * sizes.length))];
console.log(`irregular value counts: min ${sizes[0]}, median ${q(0.5)}, p90 ${q(0.9)}, max ${sizes.at(-1)}`);
console.log('\nirregular arrays (role dtype n: text / base64 / zlib+base64 characters, text per value)');
for (const r of irregular.sort((a, b) => a.n - b.n)) {
  console.log(`  ${r.where} ${r.role} ${r.dtype} ${r.n}: ${r.text} / ${r.b64} / ${r.zlib}  (${(r.text / r.n).toFixed(1)} chars/value)${r.contiguous ? ' contiguous' : ''}`);
}
