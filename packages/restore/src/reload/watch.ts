import type { RestoreContext } from '../context.js';
import { errorMessage } from '../errors.js';
import { reloadQueued } from './reload.js';

/** With `watch` and a store that can be watched: reload the files that change (without writing back over them). */
export function watchStore(ctx: RestoreContext): void {
  const { watch } = ctx.options;
  if (!watch || !ctx.store.watch) return;
  ctx.watcher = ctx.store.watch(
    (names) => {
      void reloadQueued(ctx, names, false).catch((error) => ctx.log.error(`restore: reload after a change failed: ${errorMessage(error)}`));
    },
    { debounceMs: typeof watch === 'object' ? watch.debounceMs : undefined },
  );
}
