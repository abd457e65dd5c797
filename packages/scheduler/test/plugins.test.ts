import { afterEach, describe, expect, test } from 'vitest';
import {
  createScheduler,
  MemoryRegistry,
  PluginError,
  SchedulerError,
  type Logger,
  type Scheduler,
  type SchedulerHandle,
  type SchedulerOptions,
  type SchedulerPlugin,
} from '../src/index.js';
import { TEST_SOURCES, inlinePublication } from './helpers/publications.js';

const open: Scheduler[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function collectingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => void lines.push(`info ${m}`), warn: (m) => void lines.push(`warn ${m}`), error: (m) => void lines.push(`error ${m}`) };
}

/** A plugin that records every hook call as `name.hook(detail)` into `calls`, optionally failing some hooks. */
function recorder(name: string, calls: string[], fail: Partial<Record<'start' | 'publish' | 'unpublish' | 'persist' | 'stop', boolean>> = {}): SchedulerPlugin {
  const maybeFail = (hook: keyof typeof fail) => {
    if (fail[hook]) throw new Error(`${name} cannot ${hook}`);
  };
  return {
    name,
    start: () => {
      calls.push(`${name}.start`);
      maybeFail('start');
    },
    publish: (e) => {
      calls.push(`${name}.publish(${e.name},${e.origin}${e.replacing ? ',replacing' : ''}${e.rollback ? ',rollback' : ''},${e.publication.cubes.length})`);
      maybeFail('publish');
    },
    unpublish: (e) => {
      calls.push(`${name}.unpublish(${e.name},${e.origin}${e.rollback ? ',rollback' : ''})`);
      maybeFail('unpublish');
    },
    persist: (e) => {
      calls.push(`${name}.persist(${e.name},${e.resident})`);
      maybeFail('persist');
    },
    stop: () => {
      calls.push(`${name}.stop`);
      maybeFail('stop');
    },
  };
}

async function started(options: SchedulerOptions): Promise<Scheduler> {
  const s = createScheduler({ log: collectingLog(), sourcePolicy: TEST_SOURCES, ...options });
  open.push(s);
  await s.start();
  return s;
}

describe('hook order', () => {
  test('start, publish, unpublish, persist in registration order; stop in reverse', async () => {
    const calls: string[] = [];
    const s = await started({ plugins: [recorder('a', calls), recorder('b', calls), recorder('c', calls)] });
    await s.publish('x', { publication: inlinePublication('x', 2) });
    await s.persist('x');
    await s.unpublish('x');
    await s.close();
    expect(calls).toEqual([
      'a.start',
      'b.start',
      'c.start',
      'a.publish(x,client,2)',
      'b.publish(x,client,2)',
      'c.publish(x,client,2)',
      'a.persist(x,true)',
      'b.persist(x,true)',
      'c.persist(x,true)',
      // Unpublishing drops resident data first (each plugin hears of it), then the unpublish hooks run.
      'a.persist(x,false)',
      'b.persist(x,false)',
      'c.persist(x,false)',
      'a.unpublish(x,client)',
      'b.unpublish(x,client)',
      'c.unpublish(x,client)',
      'c.stop',
      'b.stop',
      'a.stop',
    ]);
  });

  test('two plugins with one name are INVALID_CONFIG', () => {
    expect(() => createScheduler({ plugins: [{ name: 'a' }, { name: 'a' }] })).toThrow(/two plugins are named 'a'/);
  });
});

describe('failures', () => {
  test('a failing publish hook leaves no trace: earlier plugins get a rollback unpublish, later ones nothing', async () => {
    const calls: string[] = [];
    const registry = new MemoryRegistry();
    const s = await started({ registry, plugins: [recorder('a', calls), recorder('b', calls, { publish: true }), recorder('c', calls)] });
    calls.length = 0;
    const error = (await s.publish('x', { publication: inlinePublication('x') }).catch((e: unknown) => e)) as PluginError;
    expect(error).toBeInstanceOf(PluginError);
    expect(error.code).toBe('PLUGIN_REJECTED');
    expect(error.plugin).toBe('b');
    expect(error.message).toContain("plugin 'b' rejected the publish of 'x': b cannot publish");
    expect(calls).toEqual(['a.publish(x,client,1)', 'b.publish(x,client,1)', 'a.unpublish(x,client,rollback)']);
    expect(await registry.list()).toEqual([]);
    expect(await s.list()).toEqual([]);
    expect(((await s.get('x').catch((e: unknown) => e)) as SchedulerError).code).toBe('PUBLICATION_NOT_FOUND');
    // The name is free: once b accepts, it publishes normally.
  });

  test('a failing replacement keeps the previous publication and puts it back in earlier plugins', async () => {
    const calls: string[] = [];
    let reject = false;
    const picky: SchedulerPlugin = {
      name: 'picky',
      publish: (e) => {
        calls.push(`picky.publish(${e.publication.cubes.length})`);
        if (reject) throw new Error('disk full');
      },
    };
    const s = await started({ plugins: [recorder('a', calls), picky] });
    await s.publish('x', { publication: inlinePublication('x', 1) });
    const before = await s.get('x');
    reject = true;
    calls.length = 0;
    const error = (await s.publish('x', { publication: inlinePublication('x', 3) }, { replace: true }).catch((e: unknown) => e)) as PluginError;
    expect(error.code).toBe('PLUGIN_REJECTED');
    expect(calls).toEqual(['a.publish(x,client,replacing,3)', 'picky.publish(3)', 'a.publish(x,client,replacing,rollback,1)']);
    const after = await s.get('x');
    expect(after.id).toBe(before.id);
    expect(after.cubeCount).toBe(1);
  });

  test('rollback failures are reported in the error details', async () => {
    const calls: string[] = [];
    const s = await started({ plugins: [recorder('a', calls, { unpublish: true }), recorder('b', calls, { publish: true })] });
    const error = (await s.publish('x', { publication: inlinePublication('x') }).catch((e: unknown) => e)) as PluginError;
    expect(error.details?.rollbackWarnings).toEqual([`plugin 'a' failed to roll back the publish of 'x': a cannot unpublish`]);
  });

  test('a registry that cannot store the record rolls the plugins back', async () => {
    const calls: string[] = [];
    const registry = new MemoryRegistry();
    registry.set = async () => {
      throw new Error('connection refused');
    };
    const s = await started({ registry, plugins: [recorder('a', calls)] });
    const error = (await s.publish('x', { publication: inlinePublication('x') }).catch((e: unknown) => e)) as SchedulerError;
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(calls.slice(-2)).toEqual(['a.publish(x,client,1)', 'a.unpublish(x,client,rollback)']);
  });

  test('a failing start aborts start() naming the plugin; plugins already started are stopped', async () => {
    const calls: string[] = [];
    const s = createScheduler({ log: collectingLog(), plugins: [recorder('a', calls), recorder('b', calls, { start: true }), recorder('c', calls)] });
    open.push(s);
    const error = (await s.start().catch((e: unknown) => e)) as PluginError;
    expect(error).toBeInstanceOf(PluginError);
    expect(error.code).toBe('PLUGIN_START_FAILED');
    expect(error.plugin).toBe('b');
    expect(error.message).toBe("plugin 'b' failed to start: b cannot start");
    expect(calls).toEqual(['a.start', 'b.start', 'a.stop']);
    expect(((await s.publish('x', { publication: inlinePublication('x') }).catch((e: unknown) => e)) as SchedulerError).code).toBe('NOT_RUNNING');
  });

  test('failing unpublish, persist and stop hooks are logged and returned as warnings', async () => {
    const calls: string[] = [];
    const log = collectingLog();
    const s = await started({ log, plugins: [recorder('a', calls, { unpublish: true, persist: true, stop: true }), recorder('b', calls)] });
    await s.publish('x', { publication: inlinePublication('x') });
    const persisted = await s.persist('x');
    expect(persisted.warnings).toEqual([`plugin 'a' failed in its persist hook (persist of 'x'): a cannot persist`]);
    const removed = await s.unpublish('x');
    // Unpublishing drops the resident data first (a's persist hook fails again), then runs the unpublish hooks.
    expect(removed.warnings).toEqual([
      `plugin 'a' failed in its persist hook (persist of 'x'): a cannot persist`,
      `plugin 'a' failed in its unpublish hook (unpublish of 'x'): a cannot unpublish`,
    ]);
    // The other plugin still heard of it.
    expect(calls).toContain('b.unpublish(x,client)');
    const closed = await s.close();
    expect(closed.warnings).toEqual([`plugin 'a' failed in its stop hook (stop): a cannot stop`]);
    expect(log.lines.filter((l) => l.startsWith('error'))).toEqual(
      expect.arrayContaining([
        `error plugin 'a' failed in its unpublish hook (unpublish of 'x'): a cannot unpublish`,
        `error plugin 'a' failed in its stop hook (stop): a cannot stop`,
      ]),
    );
  });
});

describe('the handle plugins get at start', () => {
  test('a restoring plugin announces names, publishes in the background without its own hook, and the others hear origin restore', async () => {
    const calls: string[] = [];
    let handle!: SchedulerHandle;
    let restored!: Promise<void>;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const restore: SchedulerPlugin = {
      name: 'restore',
      start({ scheduler }) {
        handle = scheduler;
        scheduler.expect(['one', 'two']);
        restored = (async () => {
          await gate;
          await scheduler.publish('one', inlinePublication('one'), { origin: 'restore', body: '\nprose\n' });
          await scheduler.publish('two', inlinePublication('two'), { origin: 'restore', state: 'stale', warnings: ['source changed size'] });
        })();
      },
      publish: (e) => void calls.push(`restore.publish(${e.name})`),
      unpublish: (e) => void calls.push(`restore.unpublish(${e.name})`),
    };
    const s = await started({ plugins: [restore, recorder('other', calls)] });
    calls.length = 0;
    const waiting = s.get('two');
    release();
    await restored;
    const two = await waiting;
    expect(two.state).toBe('stale');
    expect(two.warnings).toEqual(['source changed size']);
    expect((await s.get('one')).body).toBe('\nprose\n');
    expect(calls).toEqual(['other.publish(one,restore,1)', 'other.publish(two,restore,1)']);
    expect(handle.list()).toEqual(['one', 'two']);
    expect(await handle.unpublish('one', { origin: 'restore' })).toBe(true);
    expect(await handle.unpublish('one', { origin: 'restore' })).toBe(false);
    expect(calls.slice(-1)).toEqual(['other.unpublish(one,restore)']);
    await handle.persist('two');
    expect(s.residency().publications.map((p) => p.name)).toEqual(['two']);
  });
});
