import { errorMessage } from '../errors.js';
import type { PublicationStore } from '../store/types.js';

/**
 * Which publications were persisted (their data read into memory) when the scheduler last ran, kept in the
 * store's `.cubemark/state.json` so a restart can persist them again. Every change is written durably before the
 * `persist` hook that caused it resolves; changes arriving while a write is under way are written together by the
 * next one, so a burst of persists costs a few writes, not one each.
 */
export class PersistedState {
  private readonly names = new Set<string>();
  private changes = 0;
  private durable = 0;
  private writing?: Promise<void>;

  constructor(
    private readonly store: PublicationStore,
    private readonly warn: (message: string) => void,
  ) {}

  /** Read the state file; a missing one is an empty state, an unreadable one a warning and an empty state. */
  async load(): Promise<ReadonlySet<string>> {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await this.store.readState();
    } catch (error) {
      this.warn(`restore: STATE_INVALID cannot read .cubemark/state.json (${errorMessage(error)}); nothing will be re-persisted`);
      return this.names;
    }
    if (!bytes) return this.names;
    try {
      const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as { version?: unknown; persisted?: unknown };
      if (value.version !== 1 || !Array.isArray(value.persisted) || !value.persisted.every((n) => typeof n === 'string')) {
        throw new Error('expected {"version": 1, "persisted": [names]}');
      }
      for (const name of value.persisted as string[]) this.names.add(name);
    } catch (error) {
      this.warn(`restore: STATE_INVALID .cubemark/state.json is not valid (${errorMessage(error)}); it will be rewritten`);
    }
    return this.names;
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  /** Record that `name` is (or is no longer) persisted; resolves once the state file says so durably. */
  async set(name: string, persisted: boolean): Promise<void> {
    if (this.names.has(name) === persisted) return;
    if (persisted) this.names.add(name);
    else this.names.delete(name);
    this.changes += 1;
    await this.flush(this.changes);
  }

  /** Forget every name not in `names` (publications that did not come back), in one durable write. */
  async retain(names: ReadonlySet<string>): Promise<void> {
    const gone = [...this.names].filter((n) => !names.has(n));
    if (gone.length === 0) return;
    for (const n of gone) this.names.delete(n);
    this.changes += 1;
    await this.flush(this.changes);
  }

  private async flush(change: number): Promise<void> {
    while (this.durable < change) {
      if (this.writing) {
        await this.writing.catch(() => undefined);
        continue;
      }
      const covers = this.changes;
      const content = `${JSON.stringify({ version: 1, persisted: [...this.names].sort() }, null, 2)}\n`;
      this.writing = this.store.writeState(content).finally(() => {
        this.writing = undefined;
      });
      await this.writing;
      this.durable = Math.max(this.durable, covers);
    }
  }
}
