import { afterEach, describe, expect, test } from 'vitest';
import {
  COMPUTE_HERE_HEADER,
  KeyedLock,
  MemoryRegistry,
  createScheduler,
  type ComputeRequest,
  type ComputeSeam,
  type NameLock,
  type PublicationRecord,
  type RegistryChange,
  type Scheduler,
} from '../src/index.js';
import { inlinePublication } from './helpers/publications.js';
import { quiet, startServer, type Running } from './helpers/server.js';

/** The seams a scheduler shared between processes uses: a registry's change feed, the name lock, the compute seam. */

const open: (Scheduler | Running)[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** A registry another process also writes: `elsewhere` sets or deletes a record and tells the watchers. */
class SharedRegistry extends MemoryRegistry {
  private readonly listeners = new Set<(change: RegistryChange) => void>();
  watch(listener: (change: RegistryChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async elsewhere(name: string, record?: PublicationRecord): Promise<void> {
    if (record) await this.set(name, record);
    else await this.delete(name);
    for (const l of this.listeners) l({ name, ...(record && { id: record.id }) });
  }
}

describe('seams for schedulers sharing a registry', () => {
  test("a change another process made is heard: the old record's model is dropped, a waiting request goes on, removal is seen", async () => {
    const registry = new SharedRegistry();
    const scheduler = createScheduler({ registry, log: quiet });
    open.push(scheduler);
    await scheduler.start();
    await scheduler.publish('shared', { publication: inlinePublication('shared', 1) });
    const before = await scheduler.get('shared');
    expect((await scheduler.get('shared')) === before).toBe(true);

    // A writer elsewhere replaces it: this scheduler serves the new record, not its cached model of the old.
    const other = createScheduler({ registry: new MemoryRegistry(), log: quiet });
    open.push(other);
    await other.start();
    await other.publish('shared', { publication: inlinePublication('shared', 3) });
    const record = (await other.get('shared')).record;
    await registry.elsewhere('shared', record);
    expect((await scheduler.get('shared')).cubeCount).toBe(3);

    // A request waiting for an expected name is answered when another process publishes it.
    scheduler.expect(['coming']);
    const waiting = scheduler.get('coming', { timeoutMs: 5_000 });
    await other.publish('coming', { publication: inlinePublication('coming', 2) });
    await registry.elsewhere('coming', (await other.get('coming')).record);
    expect((await waiting).cubeCount).toBe(2);

    await registry.elsewhere('shared');
    await expect(scheduler.get('shared')).rejects.toMatchObject({ code: 'PUBLICATION_NOT_FOUND' });
    expect((await scheduler.list()).map((p) => p.name)).toEqual(['coming']);
  });

  test('publishes and unpublishes run under the given lock, which may refuse them', async () => {
    const locked: string[] = [];
    const lock: NameLock = {
      run(name, fn) {
        locked.push(name);
        if (name === 'refused') return Promise.reject(new Error('the other processes hold it'));
        return new KeyedLock().run(name, fn);
      },
    };
    const scheduler = createScheduler({ lock, log: quiet });
    open.push(scheduler);
    await scheduler.start();
    await scheduler.publish('a', { publication: inlinePublication('a') });
    await scheduler.unpublish('a');
    expect(locked).toEqual(['a', 'a']);
    await expect(scheduler.publish('refused', { publication: inlinePublication('refused') })).rejects.toThrow('the other processes hold it');
    expect(await scheduler.list()).toEqual([]);
  });

  test('the compute seam is asked first for maps, reductions and large slices, and may leave them to the route', async () => {
    const asked: ComputeRequest[] = [];
    const seam: ComputeSeam = {
      async answer(request, here) {
        asked.push(request);
        if (request.kind === 'collapsed') return undefined;
        const answer = await here();
        return { ...answer, headers: { ...answer.headers, 'x-seen-by-seam': '1' } };
      },
    };
    const running = await startServer({ compute: seam, allowUnauthenticatedWrites: true });
    open.push(running);
    await running.server.scheduler.publish('inline', { publication: inlinePublication('inline', 1, 6) });
    const version = (await running.server.scheduler.get('inline')).id;

    const data = await running.call('/publications/inline/cubes/0/data?sel=1:4&format=json');
    expect(data.headers.get('x-seen-by-seam')).toBe('1');
    expect(await data.json()).toMatchObject({ shape: [3], values: [1, 2, 3] });
    expect(asked[0]).toMatchObject({ kind: 'data', name: 'inline', version, url: '/publications/inline/cubes/0/data?sel=1:4&format=json', bytes: 27 });

    const mean = await running.call('/publications/inline/cubes/0/collapsed?coords=x&op=max&format=json');
    expect(mean.headers.get('x-seen-by-seam')).toBeNull();
    expect(await mean.json()).toMatchObject({ values: [5] });
    expect(asked[1]!.kind).toBe('collapsed');

    // A request marked as made here (what `here()` and workers send) never reaches the seam again.
    const direct = await running.call('/publications/inline/cubes/0/data?sel=0:2&format=json', { headers: { [COMPUTE_HERE_HEADER]: '1' } });
    expect(await direct.json()).toMatchObject({ values: [0, 1] });
    expect(asked).toHaveLength(2);
  });
});
