import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serialize } from '@cubemark/format';
import { describe, expect, test } from 'vitest';
import { createRestorePlugin } from '@cubemark/restore';
import { folderPerTest } from './helpers/folder.js';
import { makePublication } from './helpers/publications.js';
import { bootScheduler, type Booted } from './helpers/scheduler.js';

/** Store files are held to the scheduler's source policy: one naming a source outside the roots is stale, never read. */

let store: string;
let data: string;
let booted: Booted | undefined;

folderPerTest(
  'cubemark-confined-',
  async (dir) => {
    store = join(dir, 'publications');
    data = join(dir, 'data');
    await mkdir(store);
    await mkdir(data);
  },
  async () => {
    await booted?.close();
    booted = undefined;
  },
);

describe('a store file pointing outside the data roots', () => {
  test('is restored stale with a warning that says why, and its data is refused, not read', async () => {
    await writeFile(join(data, 'inside.nc'), Buffer.alloc(100));
    const outside = makePublication('outside', { sources: [{ uri: '/etc/passwd' }] });
    const climbing = makePublication('climbing', { sources: [{ uri: '../../../etc/passwd' }] });
    const inside = makePublication('inside', { sources: [{ uri: 'inside.nc', size: 100 }] });
    for (const p of [outside, climbing, inside]) await writeFile(join(store, `${p.name}.cube.md`), serialize(p));

    const plugin = createRestorePlugin({ store, dataBase: data, threads: 0, progress: false });
    booted = await bootScheduler(plugin, { dataBase: data });
    const report = await plugin.restored();

    expect(report.stale.map((s) => s.name).sort()).toEqual(['climbing', 'outside']);
    const reasons = report.stale.find((s) => s.name === 'outside')!.reasons;
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/^source \/etc\/passwd is not readable by this server, so it is not read: outside the server's data roots/);
    const held = await booted.scheduler.get('outside');
    expect(held.state).toBe('stale');
    expect(held.warnings.join('\n')).toContain('not readable by this server');
    // A data request goes through the scheduler's pool, which refuses the file before reading a byte.
    await expect(held.cube(0).data().read()).rejects.toMatchObject({ code: 'SOURCE_NOT_ALLOWED' });
    expect((await booted.scheduler.get('inside')).state).toBe('ready');
  });
});
