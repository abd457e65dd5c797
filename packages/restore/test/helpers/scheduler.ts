import { createScheduler, type Scheduler, type SchedulerPlugin } from '@cubemark/scheduler';
import type { PublishOrigin } from '@cubemark/scheduler';

/** A hook call seen by the recorder plugin, which runs after the plugin under test. */
export type Recorded =
  | { hook: 'publish'; name: string; origin: PublishOrigin; replacing: boolean; rollback: boolean }
  | { hook: 'unpublish'; name: string; origin: PublishOrigin; rollback: boolean }
  | { hook: 'persist'; name: string; resident: boolean };

export interface Booted {
  scheduler: Scheduler;
  /** Every hook call the recorder saw, in order: what the plugin under test published through its handle shows here. */
  events: Recorded[];
  /** Every log line (info, warn, error) in order, without level. */
  lines: string[];
  /** Resolves with the first recorded event (past or future) that matches. */
  event(match: (e: Recorded) => boolean): Promise<Recorded>;
  /** Resolves with the first log line (past or future) that matches. */
  line(match: (line: string) => boolean): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real scheduler (`createScheduler` from @cubemark/scheduler) with `plugin`, then `after`, then a recorder
 * plugin, started. Publishes the plugin makes through its handle reach the recorder (the handle skips only the caller).
 */
export async function bootScheduler(
  plugin: SchedulerPlugin,
  options: { dataBase?: string; after?: SchedulerPlugin[] } = {},
): Promise<Booted> {
  const events: Recorded[] = [];
  const lines: string[] = [];
  let lineWaiters: { match: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  const logLine = (l: string) => {
    lines.push(l);
    lineWaiters = lineWaiters.filter((w) => (w.match(l) ? (w.resolve(l), false) : true));
  };
  let waiters: { match: (e: Recorded) => boolean; resolve: (e: Recorded) => void }[] = [];
  const record = (e: Recorded) => {
    events.push(e);
    waiters = waiters.filter((w) => (w.match(e) ? (w.resolve(e), false) : true));
  };
  const recorder: SchedulerPlugin = {
    name: 'recorder',
    publish: (e) => record({ hook: 'publish', name: e.name, origin: e.origin, replacing: e.replacing, rollback: e.rollback ?? false }),
    unpublish: (e) => record({ hook: 'unpublish', name: e.name, origin: e.origin, rollback: e.rollback ?? false }),
    persist: (e) => record({ hook: 'persist', name: e.name, resident: e.resident }),
  };
  const scheduler = createScheduler({
    plugins: [plugin, ...(options.after ?? []), recorder],
    dataBase: options.dataBase,
    log: { info: logLine, warn: logLine, error: logLine },
  });
  await scheduler.start();
  return {
    scheduler,
    events,
    lines,
    event(match) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    line(match) {
      const seen = lines.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => lineWaiters.push({ match, resolve }));
    },
    async close() {
      await scheduler.close();
    },
  };
}
