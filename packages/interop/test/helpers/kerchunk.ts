import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createSourcePool } from '@cubemark/cube';
import type { Publication } from '@cubemark/format';
import { exportPublication } from '../../src/index.js';
import { cubemarkValues, differences, readF64 } from './compare.js';
import { PYTHON_SCRIPTS, runPython } from './python.js';

/** What `read_references.py` prints about a reference file xarray opened. */
export interface ReadReferences {
  lazy: Record<string, boolean>;
  variables: Record<string, { dtype: string; shape: number[]; file: string }>;
  strings: Record<string, string[]>;
  decoded_times: string[];
}

/**
 * Export `publication` as kerchunk references (to `dir`/`name`.json), read them with xarray through `python`, and
 * compare every numeric variable with what cubemark reads; nothing may have been read while opening (every
 * variable still lazy). Returns what xarray read, the references and cubemark's values.
 */
export async function kerchunkRoundTrip(
  python: string,
  dir: string,
  name: string,
  publication: Publication,
  options: { referenceUri?: (u: string) => string } = {},
): Promise<{ read: ReadReferences; refs: { refs: Record<string, unknown> }; expected: Map<string, Float64Array> }> {
  const pool = createSourcePool();
  try {
    const out = await exportPublication(publication, 'kerchunk', { pool, referenceUri: options.referenceUri });
    const refs = join(dir, `${name}.json`);
    await writeFile(refs, out.text);
    const outDir = await mkdtemp(join(dir, `${name}-`));
    const read = JSON.parse(await runPython(python, join(PYTHON_SCRIPTS, 'read_references.py'), [refs, outDir])) as ReadReferences;
    const expected = await cubemarkValues(publication, pool);
    expect(expected.size).toBeGreaterThan(0);
    for (const [variable, values] of expected) {
      const got = read.variables[variable];
      expect(got, `xarray has variable ${variable}`).toBeDefined();
      const diff = differences(values, await readF64(got.file));
      expect(diff.slice(0, 5), `${name}: ${variable} differs at ${diff.length} of ${values.length} values`).toEqual([]);
    }
    expect(Object.entries(read.lazy).filter(([, lazy]) => !lazy)).toEqual([]);
    return { read, refs: JSON.parse(out.text) as { refs: Record<string, unknown> }, expected };
  } finally {
    await pool.close();
  }
}

/** Every byte-range reference points into objects under `prefix` (a URL), and there is at least one. */
export function expectReferencesUnder(refs: { refs: Record<string, unknown> }, prefix: string): void {
  const urls = Object.values(refs.refs).filter(Array.isArray).map((r) => (r as string[])[0]);
  expect(urls.length).toBeGreaterThan(0);
  expect(urls.filter((u) => !u.startsWith(prefix))).toEqual([]);
}

/** What exporting `publication` as kerchunk references throws (through a pool of its own, closed when done). */
export async function kerchunkExportError(publication: Publication): Promise<unknown> {
  const pool = createSourcePool();
  try {
    return await exportPublication(publication, 'kerchunk', { pool }).then(
      () => undefined,
      (e: unknown) => e,
    );
  } finally {
    await pool.close();
  }
}
