/**
 * A publication of UM PP data survives a restart: it is restored from its `.cube.md` alone, without reading a
 * byte of the PP file (the file is replaced by zeros of the same size and time, which no PP reader could index),
 * and its data are read from the file once it is back.
 */
import { copyFile, mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffPublications, serialize } from '@cubemark/format';
import { loadPublication } from '@cubemark/cube';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createRestorePlugin } from '@cubemark/restore';
import { bootScheduler, type Booted } from './helpers/scheduler.js';

const COLPEX = '/work/shared/data/iris-test-data/PP/COLPEX/small_colpex_theta_p_alt.pp';
let root: string;
let booted: Booted | undefined;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cubemark-restore-pp-'));
});
afterEach(async () => {
  await booted?.close();
  booted = undefined;
  await rm(root, { recursive: true, force: true });
});

test('a PP publication restores without reading the PP file, then reads its data from it', async () => {
  const store = join(root, 'publications');
  const data = join(root, 'data');
  await mkdir(store);
  await mkdir(data);
  const file = join(data, 'colpex.pp');
  await copyFile(COLPEX, file);
  const mtime = new Date('2024-05-15T04:02:11Z');
  await utimes(file, mtime, mtime);
  const { publication } = await loadPublication([file], { base: data, name: 'colpex' });
  expect(publication.sources).toMatchObject([{ uri: 'colpex.pp' }]);
  await writeFile(join(store, 'colpex.cube.md'), serialize(publication));

  // Zeros where the PP records were: same size and time, so the restore sees an unchanged source.
  await writeFile(file, Buffer.alloc((await stat(COLPEX)).size));
  await utimes(file, mtime, mtime);
  const plugin = createRestorePlugin({ store, dataBase: data, threads: 0, progress: false });
  booted = await bootScheduler(plugin, { dataBase: data });
  const report = await plugin.restored();
  expect(report).toMatchObject({ restored: 1, cubes: 3 });
  const held = await booted.scheduler.get('colpex');
  expect(held.state).toBe('ready');
  expect(diffPublications(publication, held.publication)).toEqual([]);

  // With the real bytes back, the restored cubes read their fields.
  await copyFile(COLPEX, file);
  await utimes(file, mtime, mtime);
  const persisted = await booted.scheduler.persist('colpex');
  // Both 4-D cubes and the orography, as float32.
  expect(persisted.bytes).toBeGreaterThanOrEqual((6 * 10 + 6 * 10 + 1) * 83 * 83 * 4);
  expect(persisted.warnings).toEqual([]);
});
