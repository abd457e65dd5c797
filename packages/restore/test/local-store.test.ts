import { readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { LocalStore, openStore, RestoreError, S3Store, writeFileDurably } from '@cubemark/restore';
import { folderPerTest } from './helpers/folder.js';

let dir: string;
folderPerTest('cubemark-restore-store-', (d) => (dir = d));

describe('LocalStore', () => {
  test('writes, lists and reads publication files; ignores everything else', async () => {
    const store = new LocalStore(join(dir, 'pubs'));
    await store.write('alpha', 'A');
    await store.write('beta.v2', new TextEncoder().encode('BB'));
    await writeFile(join(dir, 'pubs', 'notes.md'), 'not a publication');
    await writeFile(join(dir, 'pubs', '.alpha.cube.md.123.0badc0de.tmp'), 'leftover');
    await mkdir(join(dir, 'pubs', 'folder.cube.md'));
    const entries = await store.list();
    expect(entries.map((e) => [e.name, e.size]).sort()).toEqual([
      ['alpha', 1],
      ['beta.v2', 2],
    ]);
    expect(entries[0]!.mtime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Names alone come from the directory entries, without a stat per file.
    expect((await store.names()).sort()).toEqual(['alpha', 'beta.v2']);
    expect(Buffer.from((await store.read('alpha'))!).toString()).toBe('A');
    expect(await store.read('missing')).toBeUndefined();
  });

  test('a write replaces the file whole and leaves no temporary file behind', async () => {
    const store = new LocalStore(dir);
    await store.write('x', 'old content');
    await store.write('x', 'new');
    expect(await readFile(join(dir, 'x.cube.md'), 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['x.cube.md']);
  });

  test('a failed write leaves the old file and no temporary file, and says why', async () => {
    const store = new LocalStore(dir);
    await store.write('x', 'old');
    // A folder where the temporary file's rename must land makes the rename fail after the data was written.
    await rm(join(dir, 'x.cube.md'));
    await mkdir(join(dir, 'x.cube.md'));
    await writeFile(join(dir, 'x.cube.md', 'inside'), '');
    const error = await store.write('x', 'new').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestoreError);
    expect((error as RestoreError).code).toBe('STORE_WRITE_FAILED');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('a file the name rule refuses is listed and read (so a restore reports it), never written', async () => {
    const store = new LocalStore(dir);
    const long = 'x'.repeat(150);
    for (const f of [`${long}.cube.md`, 'a..b.cube.md', 'a b.cube.md', '.hidden.cube.md', 'notes.md']) await writeFile(join(dir, f), 'bytes');
    expect((await store.names()).sort()).toEqual(['a b', 'a..b', long]);
    expect((await store.list()).map((e) => e.name).sort()).toEqual(['a b', 'a..b', long]);
    expect(new TextDecoder().decode(await store.read('a..b'))).toBe('bytes');
    await expect(store.write(long, 'x')).rejects.toMatchObject({ code: 'INVALID_NAME', message: expect.stringContaining('it has 150 characters') });
    await expect(store.read('.hidden')).rejects.toMatchObject({ code: 'INVALID_NAME' });
  });

  test('names that could escape the folder are refused', async () => {
    const store = new LocalStore(dir);
    for (const bad of ['../x', 'a/b', '.hidden', '', 'a b']) {
      await expect(store.write(bad, 'x')).rejects.toMatchObject({ code: 'INVALID_NAME' });
    }
  });

  test('trash moves the file into .trash with a timestamp; a missing file is not an error', async () => {
    const store = new LocalStore(dir);
    await store.write('gone', 'bytes');
    const where = await store.trash('gone');
    expect(where).toMatch(/\.trash[/\\]gone\.\d{8}T\d{6}\.\d{3}Z-\d{3}\.cube\.md$/);
    expect(await store.read('gone')).toBeUndefined();
    const trashed = await readdir(join(dir, '.trash'));
    expect(trashed).toHaveLength(1);
    expect(await readFile(join(dir, '.trash', trashed[0]!), 'utf8')).toBe('bytes');
    expect(await store.trash('gone')).toBeUndefined();
    expect((await store.list()).map((e) => e.name)).toEqual([]);
  });

  test('quarantine keeps the bytes and the errors; removes the original only if it is unchanged', async () => {
    const store = new LocalStore(dir);
    const bad = new TextEncoder().encode('---\nbroken');
    await store.write('bad', bad);
    const copy = await store.quarantine('bad', bad, 'bad.cube.md:1:1 CODE message\n', { removeOriginal: true });
    expect(copy).toMatch(/\.quarantine[/\\]bad\..*\.cube\.md$/);
    const files = (await readdir(join(dir, '.quarantine'))).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/\.cube\.md$/);
    expect(files[1]).toMatch(/\.errors\.txt$/);
    expect(await readFile(join(dir, '.quarantine', files[1]!), 'utf8')).toBe('bad.cube.md:1:1 CODE message\n');
    expect(await store.read('bad')).toBeUndefined();

    // Edited since it was read: the new content stays for the next reload.
    await store.write('edited', 'fixed');
    await store.quarantine('edited', new TextEncoder().encode('broken'), 'report', { removeOriginal: true });
    expect(Buffer.from((await store.read('edited'))!).toString()).toBe('fixed');
  });

  test('state round-trips and cleanup removes interrupted writes only', async () => {
    const store = new LocalStore(dir);
    expect(await store.readState()).toBeUndefined();
    await store.writeState('{"version":1,"persisted":["a"]}');
    expect(Buffer.from((await store.readState())!).toString()).toBe('{"version":1,"persisted":["a"]}');
    await store.write('keep', 'k');
    await writeFile(join(dir, '.keep.cube.md.4242.deadbeef.tmp'), 'torn');
    expect(await store.cleanup()).toBe(1);
    expect((await readdir(dir)).sort()).toEqual(['.cubemark', 'keep.cube.md']);
  });

  test('the folder is created on first use', async () => {
    const store = new LocalStore(join(dir, 'a', 'b'));
    expect(await store.list()).toEqual([]);
    expect(await readdir(join(dir, 'a'))).toEqual(['b']);
  });

  test('watch reports files changed by someone else, debounced', async () => {
    const store = new LocalStore(dir);
    await store.list();
    const seen: string[][] = [];
    const changed = new Promise<void>((resolve) => {
      const watcher = store.watch(
        (names) => {
          seen.push(names.sort());
          watcher.close();
          resolve();
        },
        { debounceMs: 50 },
      );
    });
    await writeFile(join(dir, 'one.cube.md'), '1');
    await writeFile(join(dir, 'two.cube.md'), '2');
    await writeFile(join(dir, 'ignored.txt'), '3');
    await changed;
    expect(seen[0]).toEqual(['one', 'two']);
  });
});

describe('writeFileDurably', () => {
  test('creates and replaces', async () => {
    const path = join(dir, 'f.json');
    await writeFileDurably(path, '1');
    await writeFileDurably(path, '22');
    expect(await readFile(path, 'utf8')).toBe('22');
    expect(await readdir(dir)).toEqual(['f.json']);
  });
});

describe('openStore', () => {
  test('chooses the backend by location', () => {
    expect(openStore(dir)).toBeInstanceOf(LocalStore);
    expect(openStore(`file://${dir}`)).toMatchObject({ kind: 'local', dir });
    const s3 = openStore('s3://bucket/some/prefix');
    expect(s3).toBeInstanceOf(S3Store);
    expect(s3.location).toBe('s3://bucket/some/prefix/');
    expect(s3.describe('x')).toBe('s3://bucket/some/prefix/x.cube.md');
    expect(() => openStore('ftp://host/dir')).toThrow(expect.objectContaining({ code: 'BAD_STORE_URI' }));
  });
});
