import type { PersistEvent, PublishEvent, SchedulerPlugin, StartContext, StopContext, UnpublishEvent } from '@cubemark/scheduler';
import { RestoreContext } from './context.js';
import { RestoreError } from './errors.js';
import type { RestoreOptions } from './options.js';
import { writePublished, removePublished } from './publish/client.js';
import { reloadQueued } from './reload/reload.js';
import { watchStore } from './reload/watch.js';
import { beginRestore } from './restore/boot.js';
import type { ReloadReport, RestoreReport } from './restore/report.js';
import type { PublicationStore } from './store/types.js';

/** The restore plugin: a scheduler plugin plus what the CLI and tests need to drive it. */
export interface RestorePlugin extends SchedulerPlugin {
  readonly name: 'restore';
  readonly store: PublicationStore;
  /**
   * The report of the restore that the last `start` began, once every file is published, quarantined or
   * abandoned and every source checked (re-persisting may still be under way). Rejects if `start` was not called.
   */
  restored(): Promise<RestoreReport>;
  /**
   * Re-read the store (`cubemark reload`): changed files are validated first, then published with origin
   * `reload` and `replace`; new files are published; files removed from the store are unpublished; invalid files
   * are quarantined and the running publication is kept — its last good version is written back to the store.
   * With `names`, only those files are looked at. Reloads run one at a time, after the restore.
   */
  reload(options?: { names?: readonly string[] }): Promise<ReloadReport>;
  /**
   * Restore `name` next, ahead of the files queued before it (in the worker queue). Returns `false` if the name is
   * not waiting to be restored (done, or unknown). A request waiting for a name does better on its own: the
   * scheduler's `onWait` (passed with `expect`) has the plugin restore it at once, on the main thread.
   */
  prioritize(name: string): boolean;
}

/**
 * `createRestorePlugin(options)`: every client publish is written to the store as a canonical `.cube.md` file,
 * durably, before the publish is acknowledged; every unpublish moves the file to the store's trash; a scheduler
 * that starts publishes every file again (in the background, parsed in worker threads, data left lazy),
 * quarantines those that fail, flags those whose data changed, and persists again what was persisted.
 */
export function createRestorePlugin(options: RestoreOptions = {}): RestorePlugin {
  const ctx = new RestoreContext(options);
  const notStarted = () => Promise.reject(new RestoreError('NOT_STARTED', 'the restore plugin has not been started by a scheduler'));
  return {
    name: 'restore',
    store: ctx.store,

    async start(start: StartContext) {
      ctx.start(start.scheduler);
      // Names are all `start` waits for (and the first file): the rest is restored in the background.
      await beginRestore(ctx, start);
      watchStore(ctx);
    },

    publish: (event: PublishEvent) => writePublished(ctx, event),

    unpublish: (event: UnpublishEvent) => removePublished(ctx, event),

    async persist(event: PersistEvent) {
      await ctx.state?.set(event.name, event.resident);
    },

    async stop(_stop: StopContext) {
      await ctx.close(new RestoreError('STOPPED', 'the scheduler is stopping'));
    },

    prioritize: (name: string) => ctx.waiting.prioritize(name),

    restored: () => ctx.restoring ?? notStarted(),

    reload: (reloadOptions = {}) => (ctx.started ? reloadQueued(ctx, reloadOptions.names, true) : notStarted()),
  };
}
