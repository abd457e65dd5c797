import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, serialize } from '@cubemark/format';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createRestorePlugin, LocalStore, type PublicationStore } from '@cubemark/restore';
import { makePublication } from './helpers/publications.js';
import { TestScheduler } from './helpers/scheduler.js';

let dir: string;
let scheduler: TestScheduler;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cubemark-restore-publish-'));
});
afterEach(async () => {
  await scheduler?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function boot(store: string | PublicationStore = dir) {
  const plugin = createRestorePlugin({ store, threads: 0, progress: false });
  scheduler = new TestScheduler(plugin);
  await scheduler.start();
  await plugin.restored();
  return plugin;
}

describe('publish', () => {
  test('writes the canonical file before the publish is acknowledged', async () => {
    await boot();
    const pub = makePublication('ukv-a');
    await scheduler.publish('ukv-a', pub);
    const text = await readFile(join(dir, 'ukv-a.cube.md'), 'utf8');
    expect(text).toBe(serialize(pub));
    const back = parse(text);
    expect(back.errors).toEqual([]);
    expect(back.publication!.name).toBe('ukv-a');
  });

  test('keeps the prose sent with the publication, and the prose already in the file when none is sent', async () => {
    await boot();
    const prose = '\n# My run\n\nHand-written caveats: *do not* use level 70.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';
    await scheduler.publish('ukv-b', makePublication('ukv-b'), { body: prose });
    const first = await readFile(join(dir, 'ukv-b.cube.md'), 'utf8');
    expect(first).toContain('Hand-written caveats: *do not* use level 70.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');

    // A replacement without a body (metadata only): the prose stays, byte for byte; the metadata changes.
    const changed = makePublication('ukv-b', { title: 'Renamed run', seed: 3 });
    await scheduler.publish('ukv-b', changed, { replace: true });
    const second = await readFile(join(dir, 'ukv-b.cube.md'), 'utf8');
    expect(second).toContain('Hand-written caveats: *do not* use level 70.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
    expect(parse(second).publication!.title).toBe('Renamed run');
    expect(second).toBe(serialize(changed, { body: parse(first).body }));
  });

  test('a failed write rejects the publish, so nothing is acknowledged that is not on disk', async () => {
    const store = new LocalStore(dir);
    await boot(store);
    await rm(dir, { recursive: true });
    await writeFile(dir, 'the store folder is now a file');
    await expect(scheduler.publish('ukv-c', makePublication('ukv-c'))).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
    expect(scheduler.held.has('ukv-c')).toBe(false);
    await rm(dir);
  });

  test('concurrent publishes of one name leave the last one on disk', async () => {
    await boot();
    const versions = Array.from({ length: 8 }, (_, i) => makePublication('ukv-d', { seed: i, title: `v${i}` }));
    await Promise.all(versions.map((v) => scheduler.publish('ukv-d', v, { replace: true })));
    const text = await readFile(join(dir, 'ukv-d.cube.md'), 'utf8');
    expect(parse(text).publication!.title).toBe('v7');
  });
});

describe('unpublish', () => {
  test('moves the file to the trash, where it can be recovered', async () => {
    await boot();
    const pub = makePublication('ukv-e');
    await scheduler.publish('ukv-e', pub, { body: '\nprose\n' });
    const written = await readFile(join(dir, 'ukv-e.cube.md'), 'utf8');
    await scheduler.unpublish('ukv-e');
    expect((await readdir(dir)).filter((f) => f.endsWith('.cube.md'))).toEqual([]);
    const trash = await readdir(join(dir, '.trash'));
    expect(trash).toHaveLength(1);
    expect(trash[0]).toMatch(/^ukv-e\.\d{8}T\d{6}\.\d{3}Z-\d{3}\.cube\.md$/);
    expect(await readFile(join(dir, '.trash', trash[0]!), 'utf8')).toBe(written);
  });

  test('a rolled-back new publish is forgotten; a rolled-back replacement is written back', async () => {
    const plugin = await boot();
    const signal = new AbortController().signal;
    const old = makePublication('ukv-f', { title: 'old' });
    await scheduler.publish('ukv-f', old);
    const neu = makePublication('ukv-f', { title: 'new' });
    await plugin.publish!({ name: 'ukv-f', publication: neu, replacing: true, origin: 'client', signal });
    await plugin.publish!({ name: 'ukv-f', publication: old, replacing: true, origin: 'client', signal, rollback: true });
    expect(parse(await readFile(join(dir, 'ukv-f.cube.md'))).publication!.title).toBe('old');

    const fresh = makePublication('ukv-g');
    await plugin.publish!({ name: 'ukv-g', publication: fresh, replacing: false, origin: 'client', signal });
    await plugin.unpublish!({ name: 'ukv-g', publication: fresh, origin: 'client', signal, rollback: true });
    expect(await readdir(dir)).not.toContain('ukv-g.cube.md');
    expect(await readdir(join(dir, '.trash')).catch(() => [])).toEqual([]);
  });
});

describe('origins', () => {
  test('publishes from a restore or reload are not written (the file is the source)', async () => {
    const plugin = await boot();
    const signal = new AbortController().signal;
    await plugin.publish!({ name: 'ukv-h', publication: makePublication('ukv-h'), replacing: false, origin: 'restore', signal });
    await plugin.publish!({ name: 'ukv-h', publication: makePublication('ukv-h'), replacing: false, origin: 'reload', signal });
    expect(await readdir(dir)).not.toContain('ukv-h.cube.md');
  });
});

describe('persist', () => {
  test('the state file lists persisted publications, durably, after each change', async () => {
    await boot();
    await scheduler.publish('p1', makePublication('p1'));
    await scheduler.publish('p2', makePublication('p2'));
    const state = async () => JSON.parse(await readFile(join(dir, '.cubemark', 'state.json'), 'utf8')) as { persisted: string[] };
    await Promise.all([scheduler.setResident('p1', true), scheduler.setResident('p2', true)]);
    expect((await state()).persisted).toEqual(['p1', 'p2']);
    await scheduler.setResident('p1', false);
    expect((await state()).persisted).toEqual(['p2']);
    await scheduler.unpublish('p2');
    expect((await state()).persisted).toEqual([]);
  });
});
