import { mkdir, readdir, readFile, rm, truncate, unlink, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { diffPublications, serialize, type Publication } from '@cubemark/format';
import { describe, expect, test } from 'vitest';
import { createRestorePlugin, type RestoreOptions, type RestorePlugin } from '@cubemark/restore';
import { folderPerTest } from './helpers/folder.js';
import { makePublication } from './helpers/publications.js';
import { bootScheduler, type Booted } from './helpers/scheduler.js';

let root: string;
let store: string;
let data: string;
let booted: Booted | undefined;

// A store and a data folder side by side.
folderPerTest(
  'cubemark-restore-',
  async (dir) => {
    root = dir;
    store = join(root, 'publications');
    data = join(root, 'data');
    await mkdir(store);
    await mkdir(data);
  },
  async () => {
    await booted?.close();
    booted = undefined;
  },
);

const MTIME = new Date('2024-05-15T04:02:11Z');

/** A publication whose one source is a real file in `data` with the size and mtime the publication records. */
async function validFile(name: string, options: { prose?: string; seed?: number; inlineData?: boolean } = {}): Promise<{ publication: Publication; text: string }> {
  const uri = `${name}.nc`;
  await writeFile(join(data, uri), Buffer.alloc(100 + (options.seed ?? 0)));
  await utimes(join(data, uri), MTIME, MTIME);
  const publication = makePublication(name, { seed: options.seed, inlineData: options.inlineData, sources: [{ uri, size: 100 + (options.seed ?? 0), mtime: MTIME.toISOString().replace('.000', '') }] });
  const text = serialize(publication, { body: options.prose });
  await writeFile(join(store, `${name}.cube.md`), text);
  return { publication, text };
}

async function boot(options: RestoreOptions = {}): Promise<{ plugin: RestorePlugin; scheduler: Booted['scheduler']; booted: Booted }> {
  const plugin = createRestorePlugin({ store, dataBase: data, threads: 0, progress: false, ...options });
  // The scheduler reads under the same data base as the plugin checks (its default source policy: that base only).
  booted = await bootScheduler(plugin, { dataBase: typeof options.dataBase === 'string' ? options.dataBase : data });
  return { plugin, scheduler: booted.scheduler, booted };
}

describe('restore', () => {
  test('valid files come back identical; truncated, corrupted, schema-invalid, future-version and misnamed ones are quarantined', async () => {
    const valid = await Promise.all(
      ['ukv-1', 'ukv-2', 'ukv-3', 'ukv-4'].map((n, i) => validFile(n, { seed: i, prose: `\n# Run ${n}\n\nWritten by a person; keep me.\n` })),
    );
    const source = valid[0]!.text;
    // Cut in the middle of the frontmatter: what a torn write would leave.
    await writeFile(join(store, 'truncated.cube.md'), source.replace(/name: ukv-1/, 'name: truncated').slice(0, 400));
    // Bytes that are not UTF-8 in the middle of the file.
    const corrupted = Buffer.from(source.replace(/name: ukv-1/, 'name: corrupted'));
    corrupted.fill(0xff, 300, 310);
    await writeFile(join(store, 'corrupted.cube.md'), corrupted);
    await writeFile(join(store, 'schema.cube.md'), source.replace(/name: ukv-1/, 'name: schema').replace('dtype: float32', 'dtype: float99'));
    await writeFile(join(store, 'future.cube.md'), source.replace(/name: ukv-1/, 'name: future').replace('cubemark: 1', 'cubemark: 7'));
    await writeFile(join(store, 'dup.cube.md'), source.replace(/name: ukv-1\n/, 'name: dup\nname: dup\n'));
    await writeFile(join(store, 'misnamed.cube.md'), source);

    const first = (await readdir(store)).filter((f) => f.endsWith('.cube.md'))[0]!.slice(0, -'.cube.md'.length);
    const { plugin, scheduler, booted } = await boot();
    // Every name is announced at once; the first file in directory order is restored (or quarantined) before the
    // scheduler starts, the rest in the background.
    const all = ['corrupted', 'dup', 'future', 'misnamed', 'schema', 'truncated', 'ukv-1', 'ukv-2', 'ukv-3', 'ukv-4'];
    expect((await scheduler.list()).filter((p) => p.state === 'restoring').map((p) => p.name)).toEqual(all.filter((n) => n !== first));
    const report = await plugin.restored();

    expect(report.restored).toBe(4);
    expect(report.cubes).toBe(8);
    for (const { publication, text } of valid) {
      const held = await scheduler.get(publication.name);
      expect(diffPublications(publication, held.publication)).toEqual([]);
      expect(serialize(held.publication, { body: held.body })).toBe(text);
      expect(held.body).toContain('Written by a person; keep me.');
      expect(held.state).toBe('ready');
      expect(held.origin).toBe('restore');
    }

    const codes = Object.fromEntries(report.quarantined.map((q) => [q.name, q.problems[0]!.code]));
    expect(codes).toEqual({
      truncated: 'UNTERMINATED_FRONTMATTER',
      corrupted: 'INVALID_ENCODING',
      schema: 'ENUM',
      future: 'UNSUPPORTED_VERSION',
      dup: 'DUPLICATE_KEY',
      misnamed: 'NAME_MISMATCH',
    });
    // Each bad name is abandoned with its first problem, so waiting requests get a 404 that says why.
    await expect(scheduler.get('future')).rejects.toMatchObject({
      code: 'PUBLICATION_ABANDONED',
      message: expect.stringMatching(/quarantined: .*future\.cube\.md:2:11 UNSUPPORTED_VERSION/),
    });
    await expect(scheduler.get('misnamed')).rejects.toThrow(/misnamed\.cube\.md:3:1 NAME_MISMATCH/);

    // The bad files left the store for .quarantine, each with its errors beside it.
    expect((await readdir(store)).filter((f) => f.endsWith('.cube.md')).sort()).toEqual(valid.map((v) => `${v.publication.name}.cube.md`));
    const quarantine = (await readdir(join(store, '.quarantine'))).sort();
    expect(quarantine).toHaveLength(12);
    const dupReport = await readFile(join(store, '.quarantine', quarantine.find((f) => f.startsWith('dup.') && f.endsWith('.errors.txt'))!), 'utf8');
    expect(dupReport).toMatch(/publications[/\\]dup\.cube\.md:4:1 DUPLICATE_KEY .*'name'/);
    const truncatedCopy = quarantine.find((f) => f.startsWith('truncated.') && f.endsWith('.cube.md'))!;
    expect(await readFile(join(store, '.quarantine', truncatedCopy), 'utf8')).toBe(source.replace(/name: ukv-1/, 'name: truncated').slice(0, 400));

    // The boot report: a summary, then one line per quarantined file.
    const lines = booted.lines;
    expect(lines.find((l) => l.startsWith('restored'))).toMatch(/^restored 4 publications \(8 cubes\) in \d+\.\d s · 6 quarantined$/);
    expect(lines.filter((l) => l.startsWith('  quarantined '))).toHaveLength(6);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}quarantined .*schema\.cube\.md:\d+:\d+ ENUM .* → .*\.quarantine/));
  });

  test('sources that changed size, mtime or vanished make their publication stale, with a warning', async () => {
    for (const n of ['same', 'resized', 'touched', 'deleted']) await validFile(n);
    await truncate(join(data, 'resized.nc'), 7);
    await utimes(join(data, 'resized.nc'), MTIME, MTIME);
    await utimes(join(data, 'touched.nc'), new Date(), new Date('2025-01-01T00:00:00Z'));
    await unlink(join(data, 'deleted.nc'));

    const { plugin, scheduler, booted } = await boot({ staleGraceMs: 60_000 });
    const report = await plugin.restored();
    expect(report.restored).toBe(4);
    expect((await scheduler.get('same')).state).toBe('ready');
    const resized = await scheduler.get('resized');
    expect(resized.state).toBe('stale');
    expect(resized.warnings).toEqual(['source resized.nc changed size since it was published (100 → 7 bytes)']);
    expect((await scheduler.get('touched')).warnings[0]).toMatch(/^source touched\.nc was modified since it was published \(2024-05-15T04:02:11Z → 2025-01-01T00:00:00\.000Z\)$/);
    expect((await scheduler.get('deleted')).warnings).toEqual(['source deleted.nc is missing']);
    expect(report.stale.map((s) => s.name)).toEqual(['deleted', 'resized', 'touched']);
    const lines = booted.lines;
    expect(lines.find((l) => l.startsWith('restored'))).toMatch(/ · 3 stale$/);
    expect(lines).toContain('  stale resized: source resized.nc changed size since it was published (100 → 7 bytes)');
    // Each was published once: the check finished within the grace period.
    expect(booted.events.filter((e) => e.hook === 'publish' && e.name === 'resized')).toHaveLength(1);
  });

  test('a slow check does not hold a publication back: it is published ready, then again as stale', async () => {
    // A data server whose answers wait until the test opens the gate: the check is slow for as long as needed.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const server = createServer((req, res) => {
      void gate.then(() => res.writeHead(404).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      await validFile('late');
      const { plugin, scheduler, booted } = await boot({ dataBase: base, staleGraceMs: 10 });
      const first = await scheduler.get('late');
      expect(first.state).toBe('ready');
      open();
      const report = await plugin.restored();
      expect(report.stale).toEqual([{ name: 'late', reasons: ['source late.nc is missing'] }]);
      expect(booted.events.filter((e) => e.hook === 'publish' && e.name === 'late')).toMatchObject([
        { origin: 'restore', replacing: false },
        { origin: 'restore', replacing: true },
      ]);
      expect((await scheduler.get('late')).state).toBe('stale');
    } finally {
      open();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('publications persisted before the crash are persisted again', async () => {
    for (const n of ['hot-1', 'hot-2', 'cold']) await validFile(n, { inlineData: true });
    await mkdir(join(store, '.cubemark'));
    await writeFile(join(store, '.cubemark', 'state.json'), JSON.stringify({ version: 1, persisted: ['hot-1', 'hot-2', 'gone'] }));
    const { plugin, scheduler, booted } = await boot();
    await plugin.restored();
    await booted.event((e) => e.hook === 'persist' && e.name === 'hot-1');
    await booted.event((e) => e.hook === 'persist' && e.name === 'hot-2');
    expect(scheduler.residency().publications.map((p) => p.name).sort()).toEqual(['hot-1', 'hot-2']);
    // The one that did not come back leaves the state file.
    const state = JSON.parse(await readFile(join(store, '.cubemark', 'state.json'), 'utf8')) as { persisted: string[] };
    expect(state.persisted).toEqual(['hot-1', 'hot-2']);
  });

  test('an unreadable state file is reported and ignored', async () => {
    await validFile('x');
    await mkdir(join(store, '.cubemark'));
    await writeFile(join(store, '.cubemark', 'state.json'), '{"persisted": [1, 2');
    const { plugin, booted } = await boot();
    await plugin.restored();
    expect(booted.lines).toContainEqual(expect.stringMatching(/STATE_INVALID/));
    expect(booted.events.filter((e) => e.hook === 'persist')).toEqual([]);
  });

  test('leftovers of interrupted writes are removed, never read as publications', async () => {
    const { text } = await validFile('ok');
    await writeFile(join(store, '.ok.cube.md.777.0123abcd.tmp'), text.slice(0, 100));
    const { plugin } = await boot();
    const report = await plugin.restored();
    expect(report.restored).toBe(1);
    expect(report.quarantined).toEqual([]);
    expect(report.warnings).toEqual([expect.stringMatching(/removed 1 temporary file/)]);
    expect(await readdir(store)).not.toContain('.ok.cube.md.777.0123abcd.tmp');
  });

  test('parsing in worker threads gives the same publications as on the main thread', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `w-${i}`);
    await Promise.all(names.map((n, i) => validFile(n, { seed: i })));
    await writeFile(join(store, 'bad.cube.md'), 'no frontmatter here\n');
    const { plugin, scheduler } = await boot({ threads: 2 });
    const report = await plugin.restored();
    expect(report.threads).toBe(2);
    expect(report.restored).toBe(12);
    expect(report.quarantined.map((q) => q.problems[0]!.code)).toEqual(['NO_FRONTMATTER']);
    for (const [i, n] of names.entries()) {
      const held = await scheduler.get(n);
      // Workers send back an index and the packed file, not the model: it is built here when first read.
      expect(held.loaded).toBe(false);
      expect(held.cubeCount).toBe(2);
      expect(diffPublications(makePublication(n, { seed: i, sources: held.publication.sources }), held.publication)).toEqual([]);
      expect(held.publication.cubes[0]!.aux_coords.height!.points).toMatchObject({ kind: 'inline', values: Float64Array.from([1.5 + i]) });
      expect(held.loaded).toBe(true);
    }
  });

  test('restored publications are held as their packed file and an index: listed without a parse, built when first read', async () => {
    const files = await Promise.all(['a', 'b', 'c'].map((n, i) => validFile(n, { seed: i, prose: `\nProse of ${n}.\n` })));
    const { plugin, scheduler } = await boot();
    await plugin.restored();
    expect((await scheduler.list()).map((p) => [p.name, p.title, p.cubes, p.state])).toEqual(files.map((f) => [f.publication.name, f.publication.title, 2, 'ready']));
    for (const { publication, text } of files) {
      const held = await scheduler.get(publication.name);
      expect(held.loaded).toBe(false);
      expect(held.index.sources).toEqual(publication.sources);
      expect(serialize(held.publication, { body: held.body })).toBe(text);
      expect(held.loaded).toBe(true);
    }
  });

  test('an empty or new store restores nothing and says so', async () => {
    await rm(store, { recursive: true });
    const { plugin, booted } = await boot();
    const report = await plugin.restored();
    expect(report.restored).toBe(0);
    expect(booted.lines[0]).toMatch(/^restored 0 publications \(0 cubes\) in \d+\.\d s$/);
  });

  test('a progress bar is drawn on a terminal, and never elsewhere', async () => {
    for (const n of ['p-1', 'p-2', 'p-3']) await validFile(n);
    const frames: string[] = [];
    const terminal = Object.assign(new Writable({ write: (chunk, _enc, done) => (frames.push(String(chunk)), done()) }), { isTTY: true, columns: 100 });
    const { plugin } = await boot({ progress: 'auto', progressStream: terminal });
    await plugin.restored();
    const drawn = frames.join('');
    expect(drawn).toMatch(/restoring .*3\/3 {2}\d+(\.\d)?k? cubes\/s/);

    await booted!.close();
    booted = undefined;
    const silent: string[] = [];
    const pipe = Object.assign(new Writable({ write: (chunk, _enc, done) => (silent.push(String(chunk)), done()) }), { isTTY: false });
    const again = await boot({ progress: 'auto', progressStream: pipe });
    await again.plugin.restored();
    expect(silent).toEqual([]);
  });

  test('prioritize restores an asked-for name ahead of the queue', async () => {
    const names = Array.from({ length: 80 }, (_, i) => `q-${String(i).padStart(2, '0')}`);
    for (const n of names) await validFile(n);
    // The restore goes in directory order; the last file would be published last.
    const order = (await readdir(store)).filter((f) => f.endsWith('.cube.md')).map((f) => f.slice(0, -'.cube.md'.length));
    const last = order.at(-1)!;
    const { plugin, booted } = await boot();
    expect(plugin.prioritize(last)).toBe(true);
    expect(plugin.prioritize('not-in-the-store')).toBe(false);
    await plugin.restored();
    const published = booted.events.filter((e) => e.hook === 'publish' && e.origin === 'restore').map((e) => e.name);
    expect(published).toHaveLength(80);
    // At most the first file (restored before the scheduler starts) and the files already in flight (16) are taken
    // before it; one more taken at the same moment may be published first (files publish as their checks finish).
    expect(published).toContain(last);
    expect(published.indexOf(last)).toBeLessThanOrEqual(18);
    expect(plugin.prioritize(last)).toBe(false);
  });
});

describe('a request during the restore', () => {
  test('brings its publication to the front of the queue instead of waiting for the files before it', async () => {
    const names = Array.from({ length: 120 }, (_, i) => `run-${String(i).padStart(3, '0')}`);
    for (const [i, n] of names.entries()) await validFile(n, { seed: i });
    const { scheduler, booted: b } = await boot();
    const last = names[names.length - 1]!;
    const held = await scheduler.get(last);
    expect(held.name).toBe(last);
    // When the last file in directory order answered, most of the others were still waiting their turn.
    const publishedBefore = b.events.filter((e) => e.hook === 'publish').length;
    expect(publishedBefore).toBeLessThan(names.length / 2);
    await b.line((l) => l.startsWith('restored 120 publications'));
  });

  test('is answered without waiting for the source checks: a changed source makes it stale right after', async () => {
    const names = Array.from({ length: 80 }, (_, i) => `run-${String(i).padStart(3, '0')}`);
    for (const [i, n] of names.entries()) await validFile(n, { seed: i });
    const last = names[names.length - 1]!;
    await truncate(join(data, `${last}.nc`), 7);
    const { scheduler, plugin, booted: b } = await boot({ staleGraceMs: 60_000 });
    expect((await scheduler.get(last)).name).toBe(last);
    await plugin.restored();
    expect(b.events.filter((e) => e.hook === 'publish' && e.name === last)).toMatchObject([{ replacing: false }, { replacing: true }]);
    expect((await scheduler.get(last)).state).toBe('stale');
    // The others waited for their checks (all within the grace period): published once each.
    expect(b.events.filter((e) => e.hook === 'publish' && e.name === names[1])).toHaveLength(1);
  });
});
