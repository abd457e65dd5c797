import type { SourcePolicy } from '@cubemark/cube';
import type { HeldState, Publication, PublicationIndex, PublicationSource } from '@cubemark/format';

/**
 * The scheduler's plugin API, modelled on Dask's SchedulerPlugin: every hook is optional and may be async; each
 * receives one options object. A failing `start` aborts boot with a clear error; a failing `publish` makes that
 * publish fail and leaves no trace; a failing `unpublish`/`persist`/`stop` is reported (logged and returned to the
 * caller as a warning), never swallowed silently.
 */
export interface SchedulerPlugin {
  /** Unique name, used in logs and errors (e.g. `restore`). */
  readonly name: string;
  /**
   * Fires once, before the server accepts requests. Keep it short: long work (restoring thousands of
   * publications) belongs in the background — announce the names with `ctx.scheduler.expect()` so requests for
   * them wait instead of getting a 404, then publish them as they become ready.
   */
  start?(ctx: StartContext): void | Promise<void>;
  /** Fires before a publish is acknowledged, after validation. Throwing rejects the publish; nothing is kept. */
  publish?(event: PublishEvent): void | Promise<void>;
  /** Fires after a publication is removed (before the unpublish is acknowledged). */
  unpublish?(event: UnpublishEvent): void | Promise<void>;
  /** Fires after a publication's data was read into memory (or evicted): `resident` says which. */
  persist?(event: PersistEvent): void | Promise<void>;
  /** Fires when the scheduler shuts down, after it stops accepting requests. */
  stop?(ctx: StopContext): void | Promise<void>;
}

/** Where a publish came from: a client (HTTP/CLI/API), or a plugin rebuilding what already existed. */
export type PublishOrigin = 'client' | 'restore' | 'reload';

export interface PublishEvent {
  name: string;
  /** What listing needs (title, cubes, sizes, sources), always at hand. */
  readonly index: PublicationIndex;
  /**
   * The publication's metadata (the format model) as it will be held. For a publication published as a
   * `PublicationSource` (a restore), reading this builds the model (a parse): a hook that does not need it
   * should not touch it, so thousands of restored publications are not all parsed twice.
   */
  readonly publication: Publication;
  /** Human prose that came with it (the Markdown body of a `.cube.md` file), if any; built with `publication`. */
  readonly body?: string;
  /** An existing publication of this name is being replaced (only with an explicit override). */
  replacing: boolean;
  origin: PublishOrigin;
  signal: AbortSignal;
  /**
   * This event undoes part of a publish that a later plugin rejected: it puts back the publication that was being
   * replaced (see "Atomic publishes" in the README). Absent on ordinary publishes.
   */
  rollback?: boolean;
}

export interface UnpublishEvent {
  name: string;
  readonly index: PublicationIndex;
  /** The model, built on first read for a publication held as text (see `PublishEvent.publication`). */
  readonly publication: Publication;
  origin: PublishOrigin;
  signal: AbortSignal;
  /**
   * This event undoes a publish of a new name that a later plugin rejected: the publication was never
   * acknowledged, and plugins that stored it should forget it. `origin` is the failed publish's. Absent on
   * ordinary unpublishes.
   */
  rollback?: boolean;
}

export interface PersistEvent {
  name: string;
  resident: boolean;
  /** Bytes held in memory for this publication after the change. */
  bytes: number;
}

/** What a plugin may do with the scheduler while starting. */
export interface SchedulerHandle {
  /**
   * Publish without firing `publish` hooks of the plugin that calls it (it already holds the publication).
   * `origin` is passed to the other plugins. A `PublicationSource` (an index and a way to build the model) is
   * held as such: its model is built when first needed, and `body` is then what its `load` gives.
   */
  publish(
    name: string,
    publication: Publication | PublicationSource,
    options: { body?: string; origin: PublishOrigin; replace?: boolean; state?: HeldState; warnings?: string[] },
  ): Promise<void>;
  unpublish(name: string, options: { origin: PublishOrigin }): Promise<boolean>;
  /**
   * Names that will be published soon: requests for them wait (up to a timeout) instead of answering 404.
   * `onWait(name)` is called when a request starts waiting for one, so the plugin can bring it forward. Names the
   * name rule refuses are skipped (requests for them are INVALID_NAME; the plugin reports the file itself).
   */
  expect(names: readonly string[], options?: { onWait?: (name: string) => void }): void;
  /** A name announced with `expect` will not come after all (quarantined): waiting requests get a 404 with `reason`. */
  abandon(name: string, reason: string): void;
  /** Read a publication's data into memory in the background (as `persist` does). */
  persist(name: string): Promise<void>;
  list(): string[];
  readonly log: Logger;
  /** What sources the scheduler may read (its data roots and allowed URLs), when it reads under a policy. */
  readonly sourcePolicy?: SourcePolicy;
}

export interface StartContext {
  scheduler: SchedulerHandle;
  signal: AbortSignal;
}

export interface StopContext {
  signal: AbortSignal;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
