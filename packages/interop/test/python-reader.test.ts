/**
 * The Python reader (python/cubemark, Debian's python3-yaml, -numpy, -jsonschema) is a second implementation of the
 * format's core: on every conformance example (and every committed publication) it must agree with the TypeScript
 * reader — valid or not, the same error codes in the same order at the same positions (YAML syntax errors excepted:
 * each YAML library says where it noticed), and for valid files the same model, value for value.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultRegistry, fromArrayData } from '@cubemark/cube';
import { parse, type ArrayData, type Publication, type SourceArray } from '@cubemark/format';
import { findPython, runPython, skipReason } from './helpers/python.js';

const MODULES = ['yaml', 'numpy', 'jsonschema'];
const python = findPython(MODULES);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function cubeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? cubeFiles(join(dir, e.name)) : e.name.endsWith('.cube.md') ? [join(dir, e.name)] : [],
  );
}

const FILES = [...cubeFiles(join(ROOT, 'spec/conformance')), ...cubeFiles(join(ROOT, 'fixtures'))].sort();

/** The JSON normal form both readers' models are compared in (conformance.py writes the same). */
function normal(value: unknown, dtype?: string): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return value;
  }
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number | bigint>, (x) => normal(typeof x === 'number' && dtype?.includes('int64') ? BigInt(x) : x));
  if (Array.isArray(value)) return value.map((v) => normal(v));
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const d = typeof o.dtype === 'string' ? o.dtype : undefined;
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => [k, k === 'values' ? normal(v, d) : normal(v)]));
  }
  return value;
}

interface Decoded {
  dtype: string;
  shape: number[];
  values: unknown[];
  mask: number[];
}

interface PythonRead {
  file: string;
  errors: { code: string; line: number; column: number; pointer: string }[];
  publication: unknown;
  /** Every array whose stored values are held inline (spec §14.4), decoded by §14.2, by its pointer in the model. */
  stored_inline: Record<string, Decoded>;
}

/** The `format: inline` references of a model, by JSON pointer (as conformance.py names them). */
function storedInline(value: unknown, at = '', out = new Map<string, SourceArray>()): Map<string, SourceArray> {
  if (Array.isArray(value)) value.forEach((v, i) => storedInline(v, `${at}/${i}`, out));
  else if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const o = value as Record<string, unknown>;
    if (o.kind === 'source' && o.format === 'inline') out.set(at, o as unknown as SourceArray);
    else for (const [k, v] of Object.entries(o)) storedInline(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
  }
  return out;
}

/** The values and mask the cube package reads for an array held in the document (it never opens a source). */
async function decode(data: ArrayData, publication: Publication): Promise<Decoded> {
  const pool = { open: (uri: string): never => { throw new Error(`stored values held inline opened ${uri}`); } };
  const r = await fromArrayData(data, { sources: publication.sources, pool, plugins: defaultRegistry }).read();
  return { dtype: r.dtype, shape: r.shape, values: normal(r.values, r.dtype) as unknown[], mask: Array.from(r.mask ?? new Uint8Array(r.values.length)) };
}

const reads = python ? (JSON.parse(await runPython(python, '-m', ['cubemark.conformance', ...FILES])) as PythonRead[]) : [];

describe.skipIf(!python)(`the Python reader agrees with the TypeScript reader${python ? '' : ` (${skipReason(MODULES)})`}`, () => {
  const byFile = new Map(reads.map((r) => [r.file, r]));

  it('reads every file', () => {
    expect(FILES.length).toBeGreaterThan(40);
    expect([...byFile.keys()].sort()).toEqual(FILES);
  });

  for (const file of FILES) {
    it(file.slice(ROOT.length), () => {
      const ts = parse(readFileSync(file), { file });
      const py = byFile.get(file)!;
      expect(py.errors.map((e) => e.code)).toEqual(ts.errors.map((e) => e.code));
      const where = (errors: { code: string; line: number; column: number }[]) => errors.filter((e) => e.code !== 'YAML_SYNTAX').map((e) => `${e.line}:${e.column} ${e.code}`);
      expect(where(py.errors)).toEqual(where(ts.errors));
      expect(py.publication === null).toBe(ts.publication === undefined);
      if (ts.publication) expect(py.publication).toEqual(normal(ts.publication));
    });
  }

  it('decodes stored values held inline (spec §14.4) as the cube package reads them: masks, packing', async () => {
    let arrays = 0;
    let masked = 0;
    for (const file of FILES) {
      const ts = parse(readFileSync(file), { file });
      if (!ts.publication) continue;
      const refs = storedInline(ts.publication);
      const py = byFile.get(file)!.stored_inline;
      expect(Object.keys(py).sort(), file).toEqual([...refs.keys()].sort());
      for (const [pointer, ref] of refs) {
        expect(py[pointer], `${file} ${pointer}`).toEqual(await decode(ref, ts.publication));
        arrays++;
        masked += py[pointer].mask.filter((m) => m === 1).length;
      }
    }
    // The conformance examples and fixtures hold masked coordinates and connectivities this way.
    expect(arrays).toBeGreaterThanOrEqual(4);
    expect(masked).toBeGreaterThanOrEqual(4);
  });
});
