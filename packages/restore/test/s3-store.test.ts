import { serialize } from '@cubemark/format';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRestorePlugin, S3Store } from '@cubemark/restore';
import { startS3Server, type S3TestServer } from '../../cube/test/helpers/s3-server.js';
import { makePublication } from './helpers/publications.js';
import { bootScheduler } from './helpers/scheduler.js';

let s3: S3TestServer;
let restoreEnv: () => void;
beforeAll(async () => {
  s3 = await startS3Server({ bucket: 'cubemark-restore' });
  restoreEnv = s3.applyEnv();
});
afterAll(async () => {
  restoreEnv?.();
  await s3?.stop();
});

const text = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

describe('S3Store', () => {
  test('writes, lists (not its folders), reads, trashes and quarantines objects', async () => {
    const store = new S3Store(s3.uri('pubs/a'));
    try {
      await store.write('one', 'first');
      await store.write('two', 'second!');
      await store.writeState('{"version":1,"persisted":[]}');
      await s3.put('pubs/a/readme.txt', new TextEncoder().encode('not a publication'));
      await s3.put('pubs/a/nested/three.cube.md', new TextEncoder().encode('in a folder'));
      const entries = await store.list();
      expect(entries.map((e) => [e.name, e.size]).sort()).toEqual([
        ['one', 5],
        ['two', 7],
      ]);
      expect(entries[0]!.etag).toMatch(/^"[0-9a-f]+"$/);
      expect(text(await store.read('two'))).toBe('second!');
      expect(await store.read('missing')).toBeUndefined();
      expect(text(await store.readState())).toBe('{"version":1,"persisted":[]}');

      const trashed = await store.trash('one');
      expect(trashed).toMatch(/^s3:\/\/cubemark-restore\/pubs\/a\/\.trash\/one\.\d{8}T\d{6}\.\d{3}Z-\d{3}\.cube\.md$/);
      expect(await store.read('one')).toBeUndefined();
      expect(await store.trash('one')).toBeUndefined();

      const copy = await store.quarantine('two', new TextEncoder().encode('second!'), 'the errors', { removeOriginal: true });
      expect(copy).toMatch(/\/pubs\/a\/\.quarantine\/two\..*\.cube\.md$/);
      expect(await store.read('two')).toBeUndefined();
      expect((await store.list()).map((e) => e.name)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  test('listing pages through more objects than one answer holds', async () => {
    const store = new S3Store(s3.uri('many/'));
    try {
      for (let i = 0; i < 1005; i += 40) {
        await Promise.all(Array.from({ length: Math.min(40, 1005 - i) }, (_, j) => store.write(`p${String(i + j).padStart(4, '0')}`, 'x')));
      }
      const names = (await store.list()).map((e) => e.name);
      expect(names).toHaveLength(1005);
      expect(new Set(names).size).toBe(1005);
    } finally {
      await store.close();
    }
  });

  test('a scheduler publishing to an S3 store is restored from it by the next one', async () => {
    const location = s3.uri('run/');
    const first = createRestorePlugin({ store: location, threads: 0, progress: false });
    const a = await bootScheduler(first);
    await first.restored();
    const pubs = ['s3-one', 's3-two', 's3-three'].map((n) => makePublication(n, { inlineData: true, sources: [] }));
    for (const p of pubs) await a.scheduler.publish(p.name, { publication: p, body: `\nNotes on ${p.name}.\n` });
    await a.scheduler.unpublish('s3-three');
    await a.close();

    const second = createRestorePlugin({ store: location, threads: 0, progress: false });
    const b = await bootScheduler(second);
    try {
      const report = await second.restored();
      // The index the first scheduler kept in the bucket spared a parse: of the second file (the first is parsed anyway).
      expect(report).toMatchObject({ restored: 2, unchanged: 1, quarantined: [], stale: [] });
      for (const p of pubs.slice(0, 2)) {
        const held = await b.scheduler.get(p.name);
        expect(serialize(held.publication, { body: held.body })).toBe(serialize(p, { body: `\nNotes on ${p.name}.\n` }));
      }
      await expect(b.scheduler.get('s3-three')).rejects.toMatchObject({ code: 'PUBLICATION_NOT_FOUND' });
    } finally {
      await b.close();
    }
  });

  test('a bad object is quarantined in the bucket with its errors beside it', async () => {
    const location = s3.uri('bad/');
    await s3.put('bad/good.cube.md', new TextEncoder().encode(serialize(makePublication('good', { inlineData: true, sources: [] }))));
    await s3.put('bad/broken.cube.md', new TextEncoder().encode('---\ncubemark: 1\nname: broken\n'));
    const plugin = createRestorePlugin({ store: location, threads: 0, progress: false });
    const booted = await bootScheduler(plugin);
    try {
      const report = await plugin.restored();
      expect(report.restored).toBe(1);
      expect(report.quarantined).toMatchObject([{ name: 'broken', file: 's3://cubemark-restore/bad/broken.cube.md' }]);
      expect(report.quarantined[0]!.copy).toMatch(/^s3:\/\/cubemark-restore\/bad\/\.quarantine\/broken\./);
      const store = new S3Store(location);
      expect((await store.list()).map((e) => e.name)).toEqual(['good']);
      await store.close();
    } finally {
      await booted.close();
    }
  });
});
