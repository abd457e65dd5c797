/**
 * The store's index (`.cubemark/index.json.br`): a restart publishes files whose bytes hash as recorded without
 * parsing them again, and parses everything else exactly as if there were no index.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { parse, publicationIndex, serialize } from '@cubemark/format';
import { describe, expect, test } from 'vitest';
import { createRestorePlugin, INDEX_FILE, STATE_DIR, type RestoreOptions, type RestoreReport } from '@cubemark/restore';
import { folderPerTest } from './helpers/folder.js';
import { makePublication } from './helpers/publications.js';
import { bootScheduler, type Booted } from './helpers/scheduler.js';

let store: string;
let booted: Booted | undefined;
folderPerTest('cubemark-index-', (dir) => (store = dir), () => stop());

const path = (name: string) => join(store, `${name}.cube.md`);
const indexPath = () => join(store, STATE_DIR, INDEX_FILE);

async function put(name: string, title?: string): Promise<string> {
  const text = serialize(makePublication(name, { title, sources: [], inlineData: true, cubes: 3 }), { body: `\n# ${name}\n\nProse.\n` });
  await writeFile(path(name), text);
  return text;
}

/** Stop the running scheduler (its plugin writes what the index still lacks). */
async function stop(): Promise<void> {
  await booted?.close();
  booted = undefined;
}

/** Start a scheduler on the store, wait for the restore, and return its report; the previous one is stopped first. */
async function restart(options: RestoreOptions = {}): Promise<RestoreReport> {
  await stop();
  firstFile = ((await readdir(store)).find((f) => f.endsWith('.cube.md')) ?? '').replace(/\.cube\.md$/, '');
  const plugin = createRestorePlugin({ store, threads: 0, progress: false, ...options });
  booted = await bootScheduler(plugin);
  return plugin.restored();
}

/**
 * How many of `names` a restart found as indexed: all but the first file restored, which is parsed anyway (it
 * compiles the parser before the server listens).
 */
function unchangedOf(names: string[]): number {
  return names.length - (names.includes(firstFile) ? 1 : 0);
}
/** The store's first file in directory order as the last restart began: the one it restored first. */
let firstFile = '';

describe('the store index', () => {
  test.each([0, 1])('with %i worker threads: a restart parses only the files changed since, and serves the others as parsing would', async (threads) => {
    const texts = { a: await put('a'), b: await put('b'), c: await put('c') };
    expect(await restart({ threads })).toMatchObject({ restored: 3, unchanged: 0 });

    texts.b = (await readFile(path('b'), 'utf8')).replace('title: Test publication b', 'title: Edited while stopped');
    await writeFile(path('b'), texts.b);
    const report = await restart({ threads });
    expect((await readdir(join(store, STATE_DIR))).sort()).toContain(INDEX_FILE);
    // A store kept in git does not commit the cache.
    expect((await readFile(join(store, STATE_DIR, '.gitignore'), 'utf8')).split('\n')).toContain(INDEX_FILE);
    expect(report).toMatchObject({ restored: 3, cubes: 9, unchanged: unchangedOf(['a', 'c']), quarantined: [] });
    expect(booted!.lines.some((l) => l.includes(`· ${report.unchanged} unchanged since indexed (not parsed)`))).toBe(true);

    for (const name of ['a', 'b', 'c'] as const) {
      const held = await booted!.scheduler.get(name);
      const parsed = parse(texts[name]);
      expect(held.index).toEqual(publicationIndex(parsed.publication!));
      expect(held.publication).toEqual(parsed.publication);
      expect(held.body).toBe(parsed.body);
    }
    expect((await booted!.scheduler.get('b')).publication.title).toBe('Edited while stopped');
  });

  test('a restart that finds every file as indexed leaves the index file as it is; one with a change rewrites it', async () => {
    await put('a');
    await put('b');
    await restart();
    await stop();
    const before = await stat(indexPath());
    expect((await restart()).unchanged).toBe(unchangedOf(['a', 'b']));
    await stop();
    expect((await stat(indexPath())).mtimeMs).toBe(before.mtimeMs);
    await put('c');
    expect(await restart()).toMatchObject({ restored: 3, unchanged: unchangedOf(['a', 'b']) });
    await stop();
    expect((await stat(indexPath())).mtimeMs).not.toBe(before.mtimeMs);
    expect(await restart()).toMatchObject({ restored: 3, unchanged: unchangedOf(['a', 'b', 'c']) });
  });

  test('a file that changed into an invalid one is quarantined, although the index knew it as valid', async () => {
    await put('a');
    await put('b');
    await restart();
    const text = await readFile(path('a'), 'utf8');
    await writeFile(path('a'), text.replace('cubemark: 1', 'cubemark: 9'));
    const report = await restart();
    expect(report).toMatchObject({ restored: 1, unchanged: unchangedOf(['b']) });
    expect(report.quarantined.map((q) => q.name)).toEqual(['a']);
    // And the index forgets it: fixed again, it is parsed, not taken on trust.
    await writeFile(path('a'), text);
    expect(await restart()).toMatchObject({ restored: 2, unchanged: unchangedOf(['b']) });
  });

  test('client publishes and unpublishes are recorded: after a restart they need no parse', async () => {
    await put('kept');
    await put('removed');
    await restart();
    await booted!.scheduler.publish('new', { publication: makePublication('new', { sources: [], inlineData: true }) });
    await booted!.scheduler.publish('kept', { publication: makePublication('kept', { title: 'Replaced', sources: [], inlineData: true }) }, { replace: true });
    await booted!.scheduler.unpublish('removed');
    const report = await restart();
    expect(report).toMatchObject({ restored: 2, unchanged: unchangedOf(['kept', 'new']) });
    expect((await booted!.scheduler.get('kept')).publication.title).toBe('Replaced');
    expect((await booted!.scheduler.list()).map((p) => p.name).sort()).toEqual(['kept', 'new']);
  });

  test('an unreadable index is reported, ignored (every file parsed) and written again', async () => {
    await put('a');
    await put('b');
    await mkdir(join(store, STATE_DIR), { recursive: true });
    await writeFile(indexPath(), 'not brotli at all');
    expect(await restart()).toMatchObject({ restored: 2, unchanged: 0 });
    expect(booted!.lines.some((l) => l.includes(`${INDEX_FILE} is not usable`) && l.includes('every file is parsed'))).toBe(true);
    expect(await restart()).toMatchObject({ restored: 2, unchanged: 1 });

    // Well-formed but wrong inside (a cube number out of range): the same.
    await stop();
    await writeFile(indexPath(), brotliCompressSync(JSON.stringify({ fingerprint: await fingerprint(), cubes: [], files: [['a', 'x', null, 0, [3], []]] })));
    expect(await restart()).toMatchObject({ restored: 2, unchanged: 0 });
    expect(booted!.lines.some((l) => l.includes(`${INDEX_FILE} is not usable (a malformed entry)`))).toBe(true);
  });

  test('an index written by another version is not trusted: every file is parsed, quietly', async () => {
    await put('a');
    await put('b');
    await restart();
    await stop();
    const { brotliDecompressSync } = await import('node:zlib');
    const value = JSON.parse(brotliDecompressSync(await readFile(indexPath())).toString('utf8')) as { fingerprint: string };
    value.fingerprint = 'cubemark-restore 0.0.1 format 1 layout 1';
    await writeFile(indexPath(), brotliCompressSync(JSON.stringify(value)));
    expect(await restart()).toMatchObject({ restored: 2, unchanged: 0 });
    expect(booted!.lines.filter((l) => l.includes(INDEX_FILE))).toEqual([]);
  });

  test('index: false keeps no index: every start parses every file', async () => {
    await put('a');
    await put('b');
    expect(await restart({ index: false })).toMatchObject({ unchanged: 0 });
    expect(await restart({ index: false })).toMatchObject({ unchanged: 0 });
    await expect(readFile(indexPath())).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

async function fingerprint(): Promise<string> {
  const { brotliDecompressSync } = await import('node:zlib');
  return (JSON.parse(brotliDecompressSync(await readFile(indexPath())).toString('utf8')) as { fingerprint: string }).fingerprint;
}
