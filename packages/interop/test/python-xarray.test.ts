/**
 * The Python reader opens a publication lazily as an xarray Dataset through the kerchunk export (made by the
 * `cubemark` command it runs), with the values cubemark reads; Iris is optional.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSourcePool, loadPublication } from '@cubemark/cube';
import { serialize } from '@cubemark/format';
import { makeNetcdf } from '../../cube/test/fixtures/make-netcdf.js';
import { cubemarkValues } from './helpers/compare.js';
import { PYTHON_SCRIPTS, findPython, runPython, skipReason } from './helpers/python.js';
import { tempDirForTests } from '../../cube/test/helpers/temp-dir.js';

const MODULES = ['xarray', 'zarr', 'fsspec', 'yaml', 'jsonschema'];
const python = findPython(MODULES);
const CLI = fileURLToPath(new URL('./helpers/cli.ts', import.meta.url));

let dir: string;
tempDirForTests('cubemark-pyxr-', (d) => (dir = d));

describe.skipIf(!python)(`cubemark.open_dataset${python ? '' : ` (${skipReason(MODULES)})`}`, () => {
  it('opens a publication lazily through references the cubemark command makes, and reads its values', { timeout: 120_000 }, async () => {
    const pool = createSourcePool();
    const { publication } = await loadPublication([await makeNetcdf('packed')], { pool, name: 'packed' });
    const path = join(dir, 'packed.cube.md');
    await writeFile(path, serialize(publication));
    const out = JSON.parse(
      await runPython(python!, join(PYTHON_SCRIPTS, 'open_publication.py'), [path], { env: { CUBEMARK_CLI: `${process.execPath} --conditions=source --import tsx ${CLI}` } }),
    ) as { name: string; lazy: Record<string, boolean>; values: Record<string, (number | null)[]>; iris: string };
    expect(out.name).toBe('packed');
    expect(Object.values(out.lazy).every(Boolean)).toBe(true);
    const want = await cubemarkValues(publication, pool);
    await pool.close();
    for (const [name, values] of want) {
      // xarray leaves valid ranges to the user (see test/python/read_references.py): compare where cubemark kept a value.
      const got = out.values[name];
      expect(got, name).toBeDefined();
      values.forEach((v, i) => {
        if (Number.isNaN(v)) return;
        expect(got[i], `${name}[${i}]`).toBeCloseTo(v, 4);
      });
    }
    expect(out.iris).toMatch(/^opened$|needs Iris \(scitools-iris\), which is not installed/);
  });
});
