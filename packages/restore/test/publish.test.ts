import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diffPublications, parse, publicationIndex, serialize } from '@cubemark/format';
import type { SchedulerPlugin } from '@cubemark/scheduler';
import { describe, expect, test } from 'vitest';
import { createRestorePlugin } from '@cubemark/restore';
import { folderPerTest } from './helpers/folder.js';
import { makePublication } from './helpers/publications.js';
import { bootScheduler, type Booted } from './helpers/scheduler.js';

let dir: string;
let booted: Booted | undefined;
folderPerTest('cubemark-restore-publish-', (d) => (dir = d), async () => {
  await booted?.close();
  booted = undefined;
});

async function boot(after: SchedulerPlugin[] = []) {
  const plugin = createRestorePlugin({ store: dir, threads: 0, progress: false });
  booted = await bootScheduler(plugin, { after });
  await plugin.restored();
  return { plugin, scheduler: booted.scheduler };
}

const file = (name: string) => readFile(join(dir, `${name}.cube.md`), 'utf8');

describe('publish', () => {
  test('writes the canonical file before the publish is acknowledged', async () => {
    const { scheduler } = await boot();
    const pub = makePublication('ukv-a');
    await scheduler.publish('ukv-a', { publication: pub });
    const text = await file('ukv-a');
    expect(text).toBe(serialize(pub));
    const back = parse(text);
    expect(back.errors).toEqual([]);
    expect(back.publication!.name).toBe('ukv-a');
  });

  test('a published document keeps its prose byte for byte, and a metadata-only replacement keeps it too', async () => {
    const { scheduler } = await boot();
    const prose = '\n# My run\n\nHand-written caveats: *do not* use level 70.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';
    await scheduler.publish('ukv-b', serialize(makePublication('ukv-b'), { body: prose }));
    const first = await file('ukv-b');
    expect(first).toContain('Hand-written caveats: *do not* use level 70.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');

    // A replacement without a body (metadata only): the prose stays, byte for byte; the metadata changes.
    const changed = makePublication('ukv-b', { title: 'Renamed run', seed: 3 });
    await scheduler.publish('ukv-b', { publication: changed }, { replace: true });
    const second = await file('ukv-b');
    expect(parse(second).publication!.title).toBe('Renamed run');
    expect(second).toBe(serialize(changed, { body: parse(first).body }));
    expect(second).toContain('Hand-written caveats: *do not* use level 70.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
  });

  test('a failed write rejects the publish, so nothing is acknowledged that is not on disk', async () => {
    const { scheduler } = await boot();
    await rm(dir, { recursive: true });
    await writeFile(dir, 'the store folder is now a file');
    const error = await scheduler.publish('ukv-c', { publication: makePublication('ukv-c') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PLUGIN_REJECTED', cause: { code: 'STORE_WRITE_FAILED' } });
    expect((await scheduler.list()).map((p) => p.name)).toEqual([]);
    await rm(dir);
  });

  test('concurrent publishes of one name leave on disk the one that is served', async () => {
    const { scheduler } = await boot();
    const versions = Array.from({ length: 8 }, (_, i) => makePublication('ukv-d', { seed: i, title: `v${i}` }));
    await Promise.all(versions.map((v) => scheduler.publish('ukv-d', { publication: v }, { replace: true })));
    const served = await scheduler.get('ukv-d');
    // The metadata on disk is the served version (the prose is the first version's: later ones sent none).
    expect(diffPublications(parse(await file('ukv-d')).publication!, served.publication)).toEqual([]);
  });
});

describe('unpublish', () => {
  test('moves the file to the trash, where it can be recovered', async () => {
    const { scheduler } = await boot();
    await scheduler.publish('ukv-e', { publication: makePublication('ukv-e'), body: '\nprose\n' });
    const written = await file('ukv-e');
    await scheduler.unpublish('ukv-e');
    expect((await readdir(dir)).filter((f) => f.endsWith('.cube.md'))).toEqual([]);
    const trash = await readdir(join(dir, '.trash'));
    expect(trash).toHaveLength(1);
    expect(trash[0]).toMatch(/^ukv-e\.\d{8}T\d{6}\.\d{3}Z-\d{3}\.cube\.md$/);
    expect(await readFile(join(dir, '.trash', trash[0]!), 'utf8')).toBe(written);
  });
});

describe('rollback', () => {
  // A plugin after restore that refuses some publishes: the scheduler then undoes what restore did.
  const veto: SchedulerPlugin = {
    name: 'veto',
    publish(event) {
      if (!event.rollback && event.publication.title === 'refuse me') throw new Error('vetoed');
    },
  };

  test('a refused new publication leaves no file; a refused replacement puts the old file back', async () => {
    const { scheduler } = await boot([veto]);
    await expect(scheduler.publish('ukv-f', { publication: makePublication('ukv-f', { title: 'refuse me' }) })).rejects.toMatchObject({
      code: 'PLUGIN_REJECTED',
    });
    expect(await readdir(dir)).not.toContain('ukv-f.cube.md');
    expect(await readdir(join(dir, '.trash')).catch(() => [])).toEqual([]);

    const old = makePublication('ukv-g', { title: 'old' });
    await scheduler.publish('ukv-g', { publication: old, body: '\nkept prose\n' });
    const before = await file('ukv-g');
    await expect(
      scheduler.publish('ukv-g', { publication: makePublication('ukv-g', { title: 'refuse me' }) }, { replace: true }),
    ).rejects.toMatchObject({ code: 'PLUGIN_REJECTED' });
    expect(await file('ukv-g')).toBe(before);
    expect((await scheduler.get('ukv-g')).publication.title).toBe('old');
  });
});

describe('lifecycle', () => {
  test('restored() and reload() before a scheduler starts the plugin are NOT_STARTED', async () => {
    const plugin = createRestorePlugin({ store: dir });
    await expect(plugin.restored()).rejects.toMatchObject({ code: 'NOT_STARTED' });
    await expect(plugin.reload()).rejects.toMatchObject({ code: 'NOT_STARTED' });
  });
});

describe('origins', () => {
  test('publishes from a restore or reload are not written (the file is the source)', async () => {
    const { plugin } = await boot();
    const signal = new AbortController().signal;
    const publication = makePublication('ukv-h');
    const index = publicationIndex(publication);
    await plugin.publish!({ name: 'ukv-h', index, publication, replacing: false, origin: 'restore', signal });
    await plugin.publish!({ name: 'ukv-h', index, publication, replacing: false, origin: 'reload', signal });
    expect(await readdir(dir)).not.toContain('ukv-h.cube.md');
  });
});

describe('persist', () => {
  test('the state file lists persisted publications, durably, after each change', async () => {
    const { scheduler } = await boot();
    await scheduler.publish('p1', { publication: makePublication('p1', { inlineData: true }) });
    await scheduler.publish('p2', { publication: makePublication('p2', { inlineData: true }) });
    const state = async () => JSON.parse(await readFile(join(dir, '.cubemark', 'state.json'), 'utf8')) as { version: number; persisted: string[] };
    await Promise.all([scheduler.persist('p1'), scheduler.persist('p2')]);
    expect(await state()).toEqual({ version: 1, persisted: ['p1', 'p2'] });
    await scheduler.release('p1');
    expect((await state()).persisted).toEqual(['p2']);
    await scheduler.unpublish('p2');
    expect((await state()).persisted).toEqual([]);
  });
});
