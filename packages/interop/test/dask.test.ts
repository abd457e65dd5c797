/**
 * Dask with the cubemark plugin (python/cubemark/dask.py) keeps its published datasets: a real `dask-scheduler
 * --preload cubemark.dask` and worker (Debian's python3-distributed), 10 datasets published, the scheduler killed
 * with SIGKILL and started again: 10 of 10 back, lazily (republished while their data files were moved away), and
 * computing the same values. The store is a cubemark store: every file in it is a valid publication.
 */
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSourcePool, loadPublication } from '@cubemark/cube';
import { parse, serialize } from '@cubemark/format';
import { exportPublication } from '../src/index.js';
import { makeNetcdf } from '../../cube/test/fixtures/make-netcdf.js';
import { PYTHON_SCRIPTS, findPython, runPython, skipReason } from './helpers/python.js';
import { tempDirForTests } from '../../cube/test/helpers/temp-dir.js';

const MODULES = ['distributed', 'xarray', 'zarr', 'fsspec', 'yaml', 'jsonschema'];
const python = findPython(MODULES);
const FIXTURES = ['packed', 'records', 'rotated_pole', 'tiny', 'field4d'] as const;

let dir: string;
tempDirForTests('cubemark-dask-', (d) => (dir = d));

interface Report {
  published: string[];
  stored: string[];
  restored: string[];
  restart_seconds: number;
  not_lazy: Record<string, string[]>;
  equal: Record<string, boolean>;
  unpublished: string;
  stored_after_unpublish: string[];
  trashed: string[];
}

describe.skipIf(!python)(`a Dask scheduler keeps its published datasets${python ? '' : ` (${skipReason(MODULES)})`}`, () => {
  it('publish 10, kill -9 the scheduler, start it again: 10 of 10 back, lazily, with the same values', { timeout: 240_000 }, async () => {
    const data = join(dir, 'data');
    const publications = join(dir, 'publications');
    const store = join(dir, 'store');
    await mkdir(data);
    await mkdir(publications);
    await mkdir(store);
    const pool = createSourcePool();
    const manifest: { name: string; publication: string; references: string }[] = [];
    try {
      for (const fixture of FIXTURES) {
        const file = join(data, `${fixture}.nc`);
        await copyFile(await makeNetcdf(fixture, fixture === 'field4d' ? 'cdf5' : 'classic'), file);
        const { publication } = await loadPublication([file], { pool, name: fixture });
        const path = join(publications, `${fixture}.cube.md`);
        await writeFile(path, serialize(publication));
        const references = join(publications, `${fixture}.json`);
        await writeFile(references, (await exportPublication(publication, 'kerchunk', { pool })).text);
        for (const run of [0, 1]) manifest.push({ name: `${fixture}-run${run}`, publication: path, references });
      }
    } finally {
      await pool.close();
    }
    expect(manifest).toHaveLength(10);
    const manifestFile = join(dir, 'manifest.json');
    await writeFile(manifestFile, JSON.stringify(manifest));

    const report = JSON.parse(await runPython(python!, join(PYTHON_SCRIPTS, 'dask_restart.py'), [manifestFile, store, data], { timeoutMs: 220_000 })) as Report;
    const names = manifest.map((m) => m.name).sort();
    expect(report.published).toEqual(names);
    expect(report.stored).toEqual(names);
    expect(report.restored).toEqual(names);
    expect(report.not_lazy).toEqual(Object.fromEntries(names.map((n) => [n, []])));
    expect(Object.entries(report.equal).filter(([, same]) => same).map(([n]) => n).sort()).toEqual(names);

    // Unpublishing moved one to the trash.
    expect(report.stored_after_unpublish).toEqual(names.filter((n) => n !== report.unpublished));
    expect(report.trashed).toEqual([`${report.unpublished}.cube.md`, `${report.unpublished}.json`]);

    // The store is a cubemark store: what `cubemark serve --store` restores.
    const files = (await readdir(store)).filter((f) => f.endsWith('.cube.md')).sort();
    expect(files).toEqual(names.filter((n) => n !== report.unpublished).map((n) => `${n}.cube.md`));
    for (const f of files) {
      const r = parse(await readFile(join(store, f)), { file: f });
      expect(r.errors.map((e) => e.format())).toEqual([]);
      expect(r.publication!.name).toBe(basename(f, '.cube.md'));
    }
  });
});
