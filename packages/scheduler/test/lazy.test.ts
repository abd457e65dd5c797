/**
 * Publications held without their model (`PublicationSource`, what the restore plugin publishes): listed and routed
 * from their index, built on first use, kept only in a bounded cache; plugin hooks build them only if they read
 * them. And the publication route's description: regular coordinates by their rule, cached per publish.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { parse, publicationIndex, serialize, type Publication, type PublicationSource } from '@cubemark/format';
import {
  createScheduler,
  SchedulerError,
  type Scheduler,
  type SchedulerOptions,
  type SchedulerPlugin,
} from '../src/index.js';
import { TEST_SOURCES, inlinePublication } from './helpers/publications.js';
import { quiet, startServer, type Running } from './helpers/server.js';

const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function started(options: SchedulerOptions = {}): Promise<Scheduler> {
  const s = createScheduler({ log: quiet, sourcePolicy: TEST_SOURCES, ...options });
  open.push(s);
  await s.start();
  return s;
}

/** A source that builds `publication` from its text, as the restore plugin's does, counting the builds. */
function textSource(publication: Publication, body = '\nSome prose.\n'): PublicationSource & { loads: number } {
  const text = serialize(publication, { body });
  const source = {
    loads: 0,
    index: publicationIndex(publication),
    bytes: Buffer.byteLength(text),
    load() {
      source.loads += 1;
      const result = parse(text);
      return { publication: result.publication!, body: result.body };
    },
  };
  return source;
}

describe('a publication published as a PublicationSource', () => {
  test('is listed and got without building its model; the model is built once, when first read', async () => {
    const s = await started();
    const pub = inlinePublication('lazy', 3);
    const source = textSource(pub);
    const result = await s.publish('lazy', { source });
    expect(result).toMatchObject({ name: 'lazy', cubes: 3, state: 'ready' });
    const [info] = await s.list();
    expect(info).toMatchObject({ name: 'lazy', title: 'Inline lazy', cubes: 3, lazyBytes: 3 * 4 * 8 });
    const held = await s.get('lazy');
    expect([held.title, held.cubeCount, held.lazyBytes, held.loaded]).toEqual(['Inline lazy', 3, 96, false]);
    expect(() => held.cube(3)).toThrow(/has 3 cubes/);
    expect(source.loads).toBe(0);

    expect(held.publication.cubes.map((c) => c.long_name)).toEqual(['field_0', 'field_1', 'field_2']);
    expect(held.body).toBe(parse(serialize(pub, { body: '\nSome prose.\n' })).body);
    expect(held.loaded).toBe(true);
    expect(held.markdown()).toBe(serialize(pub, { body: '\nSome prose.\n' }));
    expect(await (await s.get('lazy')).cube(2).data().read()).toMatchObject({ values: Float64Array.from([2000, 2001, 2002, 2003]) });
    expect(source.loads).toBe(1);
  });

  test('is refused when its index names another publication, without building it', async () => {
    const s = await started();
    const source = textSource(inlinePublication('other'));
    const error = await s.publish('lazy', { source }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchedulerError);
    expect((error as SchedulerError).code).toBe('NAME_MISMATCH');
    expect(source.loads).toBe(0);
  });

  test('plugin hooks build the model only when they read it', async () => {
    const seen: string[] = [];
    const indexOnly: SchedulerPlugin = {
      name: 'index-only',
      publish: (e) => void seen.push(`publish ${e.index.name} ${e.index.cubes.length}`),
      unpublish: (e) => void seen.push(`unpublish ${e.index.name}`),
    };
    const s = await started({ plugins: [indexOnly] });
    const source = textSource(inlinePublication('a', 2));
    await s.publish('a', { source });
    await s.unpublish('a');
    expect(seen).toEqual(['publish a 2', 'unpublish a']);
    expect(source.loads).toBe(0);

    const reader: SchedulerPlugin = { name: 'reader', publish: (e) => void seen.push(`read ${e.publication.cubes[1]!.long_name} ${e.body?.split('\n')[1]}`) };
    const s2 = await started({ plugins: [indexOnly, reader] });
    const again = textSource(inlinePublication('a', 2));
    await s2.publish('a', { source: again });
    expect(seen.at(-1)).toBe('read field_1 Some prose.');
    expect(again.loads).toBe(1);
  });

  test('a plugin publishes one through its handle', async () => {
    const source = textSource(inlinePublication('from-plugin', 2));
    const plugin: SchedulerPlugin = {
      name: 'restorer',
      start: async ({ scheduler }) => {
        await scheduler.publish('from-plugin', source, { origin: 'restore', state: 'stale', warnings: ['source x changed'] });
      },
    };
    const s = await started({ plugins: [plugin] });
    const held = await s.get('from-plugin');
    expect([held.origin, held.state, held.warnings, held.loaded]).toEqual(['restore', 'stale', ['source x changed'], false]);
    expect(held.body).toMatch(/^\nSome prose\.\n/);
  });
});

describe('the cache of held publications', () => {
  test('keeps at most `count` publications: the least recently used is dropped, and built again when asked for', async () => {
    const s = await started({ modelCache: { count: 2 } });
    for (const n of ['a', 'b', 'c']) await s.publish(n, { source: textSource(inlinePublication(n)) });
    const a = await s.get('a');
    expect(await s.get('a')).toBe(a);
    const b = await s.get('b');
    await s.get('a'); // a is now the most recently used
    await s.get('c'); // the third: b goes
    expect(await s.get('a')).toBe(a);
    expect(await s.get('b')).not.toBe(b);
    // A dropped one still works for whoever holds it.
    expect(b.publication.name).toBe('b');
  });

  test('keeps at most `bytes` of built models and descriptions', async () => {
    // Each model is charged 3 bytes per byte of its text; two fit in the budget, three do not.
    const sources = ['a', 'b', 'c'].map((n) => textSource(inlinePublication(n)));
    const budget = 2 * 3 * sources[0]!.bytes + 10;
    const s = await started({ modelCache: { bytes: budget } });
    for (const [i, n] of ['a', 'b', 'c'].entries()) await s.publish(n, { source: sources[i]! });
    // Got in this order, so a is the least recently used; getting builds nothing, so nothing is charged yet.
    const [a, b, c] = [await s.get('a'), await s.get('b'), await s.get('c')];
    void a.publication;
    void b.publication;
    void c.publication; // the third model: a goes
    expect(await s.get('b')).toBe(b);
    expect(await s.get('c')).toBe(c);
    expect(await s.get('a')).not.toBe(a);
  });

  test('a replace is never served from the cache', async () => {
    const s = await started();
    await s.publish('x', { source: textSource(inlinePublication('x', 1)) });
    expect((await s.get('x')).publication.cubes).toHaveLength(1);
    await s.publish('x', { source: textSource(inlinePublication('x', 2)) }, { replace: true });
    expect((await s.get('x')).publication.cubes).toHaveLength(2);
  });
});

describe('GET /publications/:name', () => {
  let srv: Running;

  async function serve(): Promise<Running> {
    srv = await startServer({ token: 'secret' });
    open.push(srv);
    return srv;
  }

  type ArrayJson = { kind: string; shape: number[]; start?: number[]; step?: number; values?: number[] };
  type CubeJson = { coords: { key: string; points: ArrayJson }[] };

  test('describes regular coordinates by their rule; the cube route lists their values too', async () => {
    await serve();
    const pub = inlinePublication('grid', 2, 6);
    pub.cubes[1]!.dim_coords.x!.points = { kind: 'regular', dtype: 'float32', shape: [6], start: [-4.5], step: 0.0135 };
    await srv.server.scheduler.publish('grid', { publication: pub });
    const whole = (await (await srv.call('/publications/grid')).json()) as { cubes: CubeJson[] };
    const x = whole.cubes[1]!.coords.find((c) => c.key === 'x')!.points;
    expect(x).toEqual({ kind: 'regular', dtype: 'float32', shape: [6], start: [-4.5], step: 0.0135 });
    const one = (await (await srv.call('/publications/grid/cubes/1')).json()) as CubeJson;
    const listed = one.coords.find((c) => c.key === 'x')!.points;
    expect(listed).toMatchObject({ kind: 'regular', start: [-4.5], step: 0.0135 });
    expect(listed.values).toEqual(Array.from({ length: 6 }, (_, i) => Math.fround(-4.5 + i * 0.0135)));
    // Inline arrays are still listed on the publication route.
    const inline = (await (await srv.call('/publications/grid')).json()) as { cubes: { data: ArrayJson }[] };
    expect(inline.cubes[0]!.data.values).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('one publication held at start is described before the server listens: its first request finds it ready', async () => {
    const source = textSource(inlinePublication('early', 2));
    const plugin: SchedulerPlugin = {
      name: 'restorer',
      start: async ({ scheduler }) => {
        scheduler.expect(['later']);
        await scheduler.publish('early', source, { origin: 'restore' });
      },
    };
    const warm = await startServer({ plugins: [plugin] });
    open.push(warm);
    expect(source.loads).toBe(1);
    expect((await warm.server.scheduler.get('early')).loaded).toBe(true);
    expect((await warm.call('/publications/early')).status).toBe(200);
    expect(source.loads).toBe(1);
  });

  test('state and resident bytes are current though the description is kept; a replace is described anew', async () => {
    await serve();
    await srv.server.scheduler.publish('x', { source: textSource(inlinePublication('x', 2)) });
    const first = (await (await srv.call('/publications/x')).json()) as { residentBytes: number; cubes: unknown[]; title: string };
    expect([first.residentBytes, first.cubes.length, first.title]).toEqual([0, 2, 'Inline x']);
    expect((await srv.call('/publications/x/persist', { method: 'POST', auth: true })).status).toBe(200);
    const persisted = (await (await srv.call('/publications/x')).json()) as { residentBytes: number; cubes: unknown[] };
    expect(persisted.residentBytes).toBe(2 * 4 * 8);
    expect(JSON.stringify(persisted.cubes)).toBe(JSON.stringify(first.cubes));
    const replaced = inlinePublication('x', 3);
    replaced.title = 'Replaced';
    await srv.server.scheduler.publish('x', { publication: replaced }, { replace: true });
    const after = (await (await srv.call('/publications/x')).json()) as { residentBytes: number; cubes: unknown[]; title: string };
    expect([after.residentBytes, after.cubes.length, after.title]).toEqual([0, 3, 'Replaced']);
  });
});
