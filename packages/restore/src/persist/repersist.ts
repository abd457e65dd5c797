import pLimit from 'p-limit';
import type { RestoreContext } from '../context.js';
import { errorMessage } from '../errors.js';

/** Persists again, a few at a time, each restored publication that was persisted before the restart. */
export class Repersist {
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly pending: Promise<void>[] = [];

  /** `persisted`: the names the state file listed (see PersistedState). */
  constructor(
    private readonly ctx: RestoreContext,
    private readonly persisted: ReadonlySet<string>,
  ) {
    this.limit = pLimit(ctx.options.repersistConcurrency ?? 2);
  }

  /** `name` was restored: persist it again if it was persisted (failures are logged, never thrown). */
  restored(name: string): void {
    if (!this.persisted.has(name) || this.ctx.options.repersist === false) return;
    this.pending.push(
      this.limit(async () => {
        if (this.ctx.signal.aborted) return;
        await this.ctx.scheduler.persist(name);
      }).catch((error) => this.ctx.log.warn(`restore: could not persist '${name}' again: ${errorMessage(error)}`)),
    );
  }

  /** Settles once every publication queued so far is persisted (or failed). */
  done(): Promise<unknown> {
    return Promise.all(this.pending);
  }
}
