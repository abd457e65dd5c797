import { afterEach, describe, expect, test } from 'vitest';
import { createSourcePool } from '@cubemark/cube';
import { parse, type Publication } from '@cubemark/format';
import {
  createScheduler,
  InvalidPublicationError,
  MemoryRegistry,
  noLoader,
  SchedulerError,
  type Logger,
  type PublicationRecord,
  type Scheduler,
  type SchedulerOptions,
} from '../src/index.js';
import { TEST_SOURCES, document, field4d, inlinePublication } from './helpers/publications.js';

const quiet: Logger = { info() {}, warn() {}, error() {} };
const open: Scheduler[] = [];

async function started(options: SchedulerOptions = {}): Promise<Scheduler> {
  const s = createScheduler({ log: quiet, sourcePolicy: TEST_SOURCES, ...options });
  open.push(s);
  await s.start();
  return s;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** The code of what `promise` rejects with (fails the test if it resolves). */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code: string }).code;
  }
  throw new Error('expected a rejection');
}

describe('publish, list, get, unpublish', () => {
  test('a .cube.md text is held with its prose; list and get describe it', async () => {
    const s = await started();
    const pub = inlinePublication('alpha', 2, 5);
    const result = await s.publish('alpha', document(pub, 'Ask Ada about this run.'));
    expect(result).toMatchObject({ name: 'alpha', replaced: false, state: 'ready', cubes: 2, warnings: [] });
    expect(await s.list()).toEqual([
      { name: 'alpha', title: 'Inline alpha', cubes: 2, lazyBytes: 2 * 5 * 8, residentBytes: 0, state: 'ready', warnings: [], publishedAt: result.publishedAt },
    ]);
    const held = await s.get('alpha');
    expect(held.body).toContain('Ask Ada about this run.');
    const md = held.markdown();
    expect(md).toContain('Ask Ada about this run.');
    const reparsed = parse(md);
    expect(reparsed.errors).toEqual([]);
    expect(reparsed.publication!.cubes).toHaveLength(2);
    const values = await held.cube(1).data().read();
    expect(Array.from(values.values as Float64Array)).toEqual([1000, 1001, 1002, 1003, 1004]);
  });

  test('unpublish removes it; a second unpublish and a get are PUBLICATION_NOT_FOUND', async () => {
    const s = await started();
    await s.publish('alpha', { publication: inlinePublication('alpha') });
    expect(await s.unpublish('alpha')).toEqual({ name: 'alpha', warnings: [] });
    expect(await s.list()).toEqual([]);
    expect(await codeOf(s.unpublish('alpha'))).toBe('PUBLICATION_NOT_FOUND');
    expect(await codeOf(s.get('alpha'))).toBe('PUBLICATION_NOT_FOUND');
  });

  test('an existing name is PUBLICATION_EXISTS without replace, and replaced with it', async () => {
    const s = await started();
    await s.publish('alpha', { publication: inlinePublication('alpha', 1) });
    const before = await s.get('alpha');
    expect(await codeOf(s.publish('alpha', { publication: inlinePublication('alpha', 3) }))).toBe('PUBLICATION_EXISTS');
    expect((await s.get('alpha')).cubeCount).toBe(1);
    const r = await s.publish('alpha', { publication: inlinePublication('alpha', 3) }, { replace: true });
    expect(r.replaced).toBe(true);
    const after = await s.get('alpha');
    expect(after.cubeCount).toBe(3);
    expect(after.id).not.toBe(before.id);
  });

  test.each([
    ['../etc', 'path separator'],
    ['a/b', 'path separator'],
    ['a\\b', 'path separator'],
    ['a..b', "'..'"],
    ['', 'empty'],
    ['.hidden', 'character'],
    ['-dash', 'character'],
    ['sp ace', 'character'],
    ['x'.repeat(129), '129 characters'],
  ])('name %j is INVALID_NAME (%s)', async (name, why) => {
    const s = await started();
    const error = await s.publish(name, { publication: inlinePublication('ok') }).catch((e: SchedulerError) => e);
    expect(error).toBeInstanceOf(SchedulerError);
    expect((error as SchedulerError).code).toBe('INVALID_NAME');
    expect((error as SchedulerError).message).toContain(why);
  });

  test('an invalid document is INVALID_DOCUMENT carrying the format errors as path:line:col CODE message', async () => {
    const s = await started();
    const text = document(inlinePublication('alpha')).replace('units: K', 'units: K\n    units: K');
    const error = (await s.publish('alpha', text).catch((e: unknown) => e)) as InvalidPublicationError;
    expect(error).toBeInstanceOf(InvalidPublicationError);
    expect(error.code).toBe('INVALID_DOCUMENT');
    expect(error.lines()[0]).toMatch(/^alpha\.cube\.md:\d+:\d+ DUPLICATE_KEY /);
    expect(error.details).toEqual({ errors: error.lines() });
    expect(await s.list()).toEqual([]);
  });

  test("a document published under another name than its own is NAME_MISMATCH", async () => {
    const s = await started();
    expect(await codeOf(s.publish('beta', document(inlinePublication('alpha'))))).toBe('NAME_MISMATCH');
  });

  test('sources are loaded by the CF loader by default: headers only, data lazy, from the real file', async () => {
    const { path } = await field4d('unused');
    const pool = createSourcePool();
    const s = await started({ pool });
    const r = await s.publish('from-file', { sources: [path], title: 'Loaded' });
    expect(r.cubes).toBeGreaterThanOrEqual(2);
    const held = await s.get('from-file');
    expect(held.title).toBe('Loaded');
    const ta = held.publication.cubes.findIndex((c) => c.var_name === 'ta');
    expect(held.publication.cubes[ta].shape).toEqual([3, 4, 10, 12]);
    const headerBytes = pool.counter.bytes;
    const values = await held.cube(ta).data().slice([2, 3, 9]).read();
    expect(Array.from(values.values as Float32Array)).toEqual(Array.from({ length: 12 }, (_, x) => 2000 + 600 + 108 + x));
    expect(pool.counter.bytes - headerBytes).toBe(12 * 4);
    expect(await codeOf(s.publish('missing', { sources: ['/nonexistent/x.nc'] }))).toBe('LOAD_FAILED');
  });

  test('with noLoader sources are NO_LOADER; a custom loader gets the name, base and URIs', async () => {
    const s = await started({ loader: noLoader });
    expect(await codeOf(s.publish('alpha', { sources: ['a.nc'] }))).toBe('NO_LOADER');
    const seen: string[][] = [];
    const t = await started({
      dataBase: '/data',
      loader: async (request) => {
        seen.push([request.name, request.base ?? '', ...request.uris]);
        return { publication: { ...inlinePublication(request.name), title: request.title }, warnings: ['guessed units'] };
      },
    });
    const r = await t.publish('alpha', { sources: ['a.nc', 's3://b/c.nc'], title: 'From files' });
    expect(seen).toEqual([['alpha', '/data', 'a.nc', 's3://b/c.nc']]);
    expect(r.warnings).toEqual(['guessed units']);
    expect((await t.get('alpha')).title).toBe('From files');
    expect(await codeOf(t.publish('beta', { sources: [] }))).toBe('INVALID_INPUT');
  });

  test('a loader failure is LOAD_FAILED naming the sources', async () => {
    const s = await started({ loader: async () => { throw new Error('ENOENT: no such file'); } });
    const error = (await s.publish('alpha', { sources: ['missing.nc'] }).catch((e: unknown) => e)) as SchedulerError;
    expect(error.code).toBe('LOAD_FAILED');
    expect(error.message).toContain('missing.nc');
    expect(error.message).toContain('ENOENT');
  });

  test('operations before start and after close are NOT_RUNNING', async () => {
    const s = createScheduler({ log: quiet });
    expect(await codeOf(s.publish('alpha', { publication: inlinePublication('alpha') }))).toBe('NOT_RUNNING');
    await s.start();
    await s.close();
    expect(await codeOf(s.publish('alpha', { publication: inlinePublication('alpha') }))).toBe('NOT_RUNNING');
  });

  test('concurrent publishes of one name are serialised: exactly one wins without replace', async () => {
    let active = 0;
    let maxActive = 0;
    const s = await started({
      plugins: [
        {
          name: 'slow',
          async publish() {
            active++;
            maxActive = Math.max(maxActive, active);
            // Yield several times so an unserialised second publish would overlap this one.
            for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
            active--;
          },
        },
      ],
    });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => s.publish('alpha', { publication: inlinePublication('alpha') })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as SchedulerError).code)).toEqual(
      Array(4).fill('PUBLICATION_EXISTS'),
    );
    const replaced = await Promise.all(Array.from({ length: 4 }, () => s.publish('alpha', { publication: inlinePublication('alpha') }, { replace: true })));
    expect(replaced.every((r) => r.replaced)).toBe(true);
    expect(maxActive).toBe(1);
    // Different names are not serialised against each other.
    await Promise.all(['b1', 'b2', 'b3'].map((n) => s.publish(n, { publication: inlinePublication(n) })));
    expect(maxActive).toBeGreaterThan(1);
  });

  test('a custom registry is the one used', async () => {
    const records = new Map<string, PublicationRecord>();
    const registry = new MemoryRegistry();
    const spy = {
      get: (n: string) => registry.get(n),
      set: async (n: string, r: PublicationRecord) => {
        records.set(n, r);
        await registry.set(n, r);
      },
      delete: (n: string) => registry.delete(n),
      list: () => registry.list(),
    };
    const s = await started({ registry: spy });
    await s.publish('alpha', { publication: inlinePublication('alpha') }, { origin: 'client' });
    expect(records.get('alpha')).toMatchObject({ name: 'alpha', state: 'ready', origin: 'client' });
    expect(await registry.get('alpha')).toBeDefined();
  });
});

describe('expect, abandon and get', () => {
  test('get waits for an expected name and resolves when it is published; list shows it restoring meanwhile', async () => {
    const s = await started();
    s.expect(['later']);
    expect(await s.list()).toEqual([{ name: 'later', cubes: 0, lazyBytes: 0, residentBytes: 0, state: 'restoring', warnings: [] }]);
    let settled = false;
    const waiting = s.get('later').finally(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    await s.publish('later', { publication: inlinePublication('later') }, { origin: 'restore' });
    const held = await waiting;
    expect(held.name).toBe('later');
    expect(held.origin).toBe('restore');
    expect((await s.list())[0].state).toBe('ready');
  });

  test('names the rule refuses are not expected (a store file so named must not stop a start); asking for one is INVALID_NAME', async () => {
    const s = await started();
    s.expect(['a..b', 'x'.repeat(150), 'fine']);
    expect((await s.list()).map((p) => p.name)).toEqual(['fine']);
    expect(await codeOf(s.get('a..b'))).toBe('INVALID_NAME');
  });

  test('a client publish of a name being restored is PUBLICATION_EXISTS unless it replaces', async () => {
    const s = await started();
    s.expect(['later']);
    const error = (await s.publish('later', { publication: inlinePublication('later') }).catch((e: unknown) => e)) as SchedulerError;
    expect(error.code).toBe('PUBLICATION_EXISTS');
    expect(error.message).toContain('being restored');
    await s.publish('later', { publication: inlinePublication('later') }, { replace: true });
    // The restore arriving afterwards finds the client's newer publication.
    expect(await codeOf(s.publish('later', { publication: inlinePublication('later') }, { origin: 'restore' }))).toBe('PUBLICATION_EXISTS');
  });

  test('abandon fails waiting gets with PUBLICATION_ABANDONED and the reason; later gets too', async () => {
    const s = await started();
    s.expect(['bad']);
    const waiting = s.get('bad').catch((e: unknown) => e);
    s.abandon('bad', 'bad.cube.md:3:1 DUPLICATE_KEY key name appears twice');
    const error = (await waiting) as SchedulerError;
    expect(error.code).toBe('PUBLICATION_ABANDONED');
    expect(error.message).toContain('DUPLICATE_KEY');
    expect(await codeOf(s.get('bad'))).toBe('PUBLICATION_ABANDONED');
    expect(await s.list()).toEqual([]);
  });

  test('a wait that times out is PUBLICATION_RESTORING with a retry hint', async () => {
    const s = await started();
    s.expect(['slow']);
    const error = (await s.get('slow', { timeoutMs: 1 }).catch((e: unknown) => e)) as SchedulerError;
    expect(error.code).toBe('PUBLICATION_RESTORING');
    expect(error.details).toEqual({ retryAfterSeconds: 1 });
  });

  test('close rejects waiting gets with NOT_RUNNING', async () => {
    const s = await started();
    s.expect(['never']);
    const waiting = s.get('never').catch((e: unknown) => e);
    await s.close();
    expect(((await waiting) as SchedulerError).code).toBe('NOT_RUNNING');
  });
});

describe('persist', () => {
  /** Bytes a publication's data takes in memory, worked out from the metadata (shape × dtype size). */
  const expectedBytes = (pub: Publication) => pub.cubes.reduce((sum, c) => sum + c.shape.reduce((p, n) => p * n, 1) * 8, 0);

  test('resident bytes are the bytes held; least recently used publications are evicted to stay within the budget', async () => {
    const a = inlinePublication('a', 1, 100);
    const b = inlinePublication('b', 2, 50);
    const c = inlinePublication('c', 1, 100);
    const budget = expectedBytes(a) + expectedBytes(b) + 10;
    const events: string[] = [];
    const s = await started({
      residentBudget: budget,
      plugins: [{ name: 'watch', persist: (e) => void events.push(`${e.name}:${e.resident}:${e.bytes}`) }],
    });
    for (const p of [a, b, c]) await s.publish(p.name, { publication: p });

    const ra = await s.persist('a');
    expect(ra.bytes).toBe(800);
    const rb = await s.persist('b');
    expect(rb).toMatchObject({ name: 'b', bytes: 800, evicted: [] });
    expect(rb.residency).toEqual({ budget, total: 1600, publications: [{ name: 'b', bytes: 800 }, { name: 'a', bytes: 800 }] });

    // Reading a's data marks it used, so b is now the least recently used.
    const held = await s.get('a');
    expect(held.cube(0).resident).toBe(true);
    expect(Array.from((await held.cube(0).data().slice([{ start: 0, stop: 3 }]).read()).values as Float64Array)).toEqual([0, 1, 2]);

    const rc = await s.persist('c');
    expect(rc.evicted).toEqual(['b']);
    expect(rc.residency).toEqual({ budget, total: 1600, publications: [{ name: 'c', bytes: 800 }, { name: 'a', bytes: 800 }] });
    expect((await s.list()).map((p) => [p.name, p.residentBytes])).toEqual([['a', 800], ['b', 0], ['c', 800]]);
    expect(events).toEqual(['a:true:800', 'b:true:800', 'b:false:0', 'c:true:800']);
  });

  test('a publication larger than the whole budget is BUDGET_EXCEEDED and nothing is evicted', async () => {
    const s = await started({ residentBudget: 1000 });
    await s.publish('small', { publication: inlinePublication('small', 1, 10) });
    await s.publish('big', { publication: inlinePublication('big', 1, 200) });
    await s.persist('small');
    const error = (await s.persist('big').catch((e: unknown) => e)) as SchedulerError;
    expect(error.code).toBe('BUDGET_EXCEEDED');
    expect(error.details).toEqual({ bytes: 1600, budget: 1000 });
    expect(s.residency().publications).toEqual([{ name: 'small', bytes: 80 }]);
  });

  test('resident data of a NetCDF file is served from memory: reads fetch no more bytes from the file', async () => {
    const { publication } = await field4d('f4');
    const pool = createSourcePool();
    const s = await started({ pool });
    await s.publish('f4', { publication });
    const held = await s.get('f4');
    const lazy = await held.cube(0).data().slice([2, 3]).read();
    const fetched = pool.counter.bytes;
    expect(fetched).toBeGreaterThan(0);

    const r = await s.persist('f4');
    // ta: 3×4×10×12 float32, ps: 3×10×12 float32; no mask (no fill values in field4d).
    expect(r.bytes).toBe((3 * 4 * 10 * 12 + 3 * 10 * 12) * 4);
    const afterPersist = pool.counter.bytes;
    expect(afterPersist).toBeGreaterThan(fetched);

    const resident = await held.cube(0).data().slice([2, 3]).read();
    expect(pool.counter.bytes).toBe(afterPersist);
    expect(Array.from(resident.values as Float32Array)).toEqual(Array.from(lazy.values as Float32Array));
  });

  test('unpublish and replace drop resident data', async () => {
    const s = await started();
    await s.publish('a', { publication: inlinePublication('a') });
    await s.persist('a');
    await s.publish('a', { publication: inlinePublication('a', 2) }, { replace: true });
    expect(s.residency().total).toBe(0);
    expect((await s.get('a')).cube(0).resident).toBe(false);
    await s.persist('a');
    expect(s.residency().total).toBe(64);
    await s.unpublish('a');
    expect(s.residency()).toMatchObject({ total: 0, publications: [] });
  });

  test('persist of an unknown name is PUBLICATION_NOT_FOUND', async () => {
    const s = await started();
    expect(await codeOf(s.persist('nope'))).toBe('PUBLICATION_NOT_FOUND');
  });
});
