import { readdir, readFile, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, serialize } from '@cubemark/format';
import { describe, expect, test } from 'vitest';
import { createRestorePlugin, LocalStore, type RestoreOptions, type RestorePlugin } from '@cubemark/restore';
import { folderPerTest } from './helpers/folder.js';
import { makePublication } from './helpers/publications.js';
import { bootScheduler, type Booted } from './helpers/scheduler.js';

let store: string;
let booted: Booted | undefined;
folderPerTest('cubemark-reload-', (dir) => (store = dir), closeBooted);

async function closeBooted(): Promise<void> {
  await booted?.close();
  booted = undefined;
}

const path = (name: string) => join(store, `${name}.cube.md`);
const prose = (name: string) => `\n# ${name}\n\nReviewed by a person.\n`;

async function put(name: string, options: { title?: string } = {}): Promise<string> {
  const text = serialize(makePublication(name, { title: options.title, sources: [], inlineData: true }), { body: prose(name) });
  await writeFile(path(name), text);
  return text;
}

async function boot(options: RestoreOptions = {}): Promise<{ plugin: RestorePlugin; booted: Booted }> {
  const plugin = createRestorePlugin({ store, threads: 0, progress: false, ...options });
  booted = await bootScheduler(plugin);
  await plugin.restored();
  return { plugin, booted };
}

const reloads = (b: Booted, name: string) => b.events.filter((e) => e.hook === 'publish' && e.name === name && e.origin === 'reload');

describe('reload', () => {
  test('a file edited by hand is published again (origin reload, replacing); the others are left alone', async () => {
    await put('a');
    await put('b');
    const { plugin, booted } = await boot();
    const edited = (await readFile(path('a'), 'utf8')).replace('title: Test publication a', 'title: Edited after review');
    await writeFile(path('a'), edited);

    const report = await plugin.reload();
    expect(report).toMatchObject({ replaced: ['a'], added: [], removed: [], unchanged: 1, quarantined: [] });
    const held = await booted.scheduler.get('a');
    expect(held.publication.title).toBe('Edited after review');
    expect(held.origin).toBe('reload');
    expect(held.body).toBe(parse(edited).body);
    expect(held.body).toContain('Reviewed by a person.');
    expect(reloads(booted, 'a')).toMatchObject([{ replacing: true }]);
    expect(reloads(booted, 'b')).toEqual([]);
    // The file is the reviewer's, byte for byte: a reload never rewrites a valid file.
    expect(await readFile(path('a'), 'utf8')).toBe(edited);
    expect(booted.lines).toContain('reloaded ' + store + ': 1 changed');
  });

  test('an invalid edit is quarantined; the running publication stays, and its last good version goes back to the store', async () => {
    const good = await put('c');
    const { plugin, booted } = await boot();
    const broken = good.replace('units: K', 'units: [not, a, string]');
    await writeFile(path('c'), broken);

    const report = await plugin.reload();
    expect(report.replaced).toEqual([]);
    expect(report.quarantined).toMatchObject([{ name: 'c', problems: [{ code: 'TYPE' }] }]);
    expect(booted.lines).toContainEqual(expect.stringMatching(/^ {2}quarantined .*c\.cube\.md:\d+:\d+ TYPE /));
    expect((await booted.scheduler.get('c')).publication.title).toBe('Test publication c');
    expect(reloads(booted, 'c')).toEqual([]);
    // The store holds what is served again (with the file's prose), and the bad edit is kept in quarantine.
    expect(await readFile(path('c'), 'utf8')).toBe(good);
    const q = await readdir(join(store, '.quarantine'));
    expect(await readFile(join(store, '.quarantine', q.find((f) => f.endsWith('.cube.md'))!), 'utf8')).toBe(broken);
    // Nothing changed since: a second reload finds nothing to do.
    expect(await plugin.reload()).toMatchObject({ replaced: [], quarantined: [], unchanged: 1 });
  });

  test('new files are published, removed files unpublished (not trashed: the file is already gone)', async () => {
    await put('keep');
    await put('drop');
    const { plugin, booted } = await boot();
    await put('fresh');
    await unlink(path('drop'));

    const report = await plugin.reload();
    expect(report).toMatchObject({ added: ['fresh'], removed: ['drop'], replaced: [], unchanged: 1 });
    expect((await booted.scheduler.list()).map((p) => p.name)).toEqual(['fresh', 'keep']);
    expect(booted.events).toContainEqual({ hook: 'unpublish', name: 'drop', origin: 'reload', rollback: false });
    expect(await readdir(store)).not.toContain('.trash');
  });

  test('what a client published is known, not reloaded; `names` limits a reload to those files', async () => {
    await put('x');
    const { plugin, booted } = await boot();
    await booted.scheduler.publish('y', { publication: makePublication('y', { sources: [], inlineData: true }) });
    expect(await plugin.reload()).toMatchObject({ replaced: [], added: [], removed: [], unchanged: 2 });

    await put('x', { title: 'changed x' });
    await put('y', { title: 'changed y' });
    expect(await plugin.reload({ names: ['y'] })).toMatchObject({ replaced: ['y'], unchanged: 0 });
    expect((await booted.scheduler.get('x')).publication.title).toBe('Test publication x');
    expect((await booted.scheduler.get('y')).publication.title).toBe('changed y');
  });

  test('with watch, a file saved by hand is picked up without a reload call', async () => {
    await put('w');
    const { plugin, booted } = await boot({ watch: { debounceMs: 20 } });
    const text = (await readFile(path('w'), 'utf8')).replace('title: Test publication w', 'title: Saved in an editor');
    await writeFile(path('w'), text);
    await booted.event((e) => e.hook === 'publish' && e.name === 'w' && e.origin === 'reload');
    // Hooks run before a publish is acknowledged; reloads run one at a time, so this one waits for the watch's.
    expect(await plugin.reload()).toMatchObject({ replaced: [], unchanged: 1 });
    expect((await booted.scheduler.get('w')).publication.title).toBe('Saved in an editor');
    expect(parse(await readFile(path('w'))).publication!.title).toBe('Saved in an editor');
  });

  test('with watch, an invalid save is quarantined but left in place for its author; fixing it is picked up', async () => {
    const good = await put('v');
    const { plugin, booted } = await boot({ watch: { debounceMs: 20 } });
    const broken = good.replace('units: K', 'units: [1, 2]');
    await writeFile(path('v'), broken);
    await booted.line((l) => l.includes('quarantined') && l.includes('v.cube.md'));
    expect(await readFile(path('v'), 'utf8')).toBe(broken);
    expect((await booted.scheduler.get('v')).publication.cubes[0]!.units).toBe('K');

    const fixed = good.replace('units: K', 'units: degC');
    await writeFile(path('v'), fixed);
    await booted.event((e) => e.hook === 'publish' && e.name === 'v' && e.origin === 'reload');
    expect(await plugin.reload()).toMatchObject({ replaced: [], quarantined: [] });
    expect((await booted.scheduler.get('v')).publication.cubes[0]!.units).toBe('degC');
    expect((await readdir(join(store, '.quarantine'))).filter((f) => f.endsWith('.cube.md'))).toHaveLength(1);
  });

  test('after a restore, a reload of an unchanged store reads no file (sizes and dates were recorded)', async () => {
    for (const n of ['r1', 'r2', 'r3']) await put(n);
    const local = new LocalStore(store);
    const reads: string[] = [];
    // The real store, with its reads counted.
    const counted = new Proxy(local, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (key === 'read' && typeof value === 'function') {
          return (name: string, ...rest: unknown[]) => (reads.push(name), (value as (...a: unknown[]) => unknown).call(target, name, ...rest));
        }
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const { plugin } = await boot({ store: counted });
    expect(await plugin.reload()).toMatchObject({ unchanged: 3, replaced: [] });
    expect(reads).toEqual([]);
    await put('r2', { title: 'changed' });
    expect(await plugin.reload()).toMatchObject({ unchanged: 2, replaced: ['r2'] });
    expect(reads).toEqual(['r2']);
  });

  test('a restored file touched but not changed is read and found unchanged (its bytes hash as restored)', async () => {
    for (const n of ['t1', 't2']) await put(n);
    const { plugin, booted: b } = await boot();
    const later = new Date(Date.now() + 60_000);
    await utimes(path('t1'), later, later);
    expect(await plugin.reload()).toMatchObject({ unchanged: 2, replaced: [], added: [] });
    expect(reloads(b, 't1')).toEqual([]);
    await writeFile(path('t2'), (await readFile(path('t2'), 'utf8')).replace('Reviewed by a person.', 'Reviewed twice.'));
    expect(await plugin.reload()).toMatchObject({ unchanged: 1, replaced: ['t2'] });
  });
});
