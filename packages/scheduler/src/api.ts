import type { HeldState, ParseLimits, Publication, PublicationInfo, PublicationSource } from '@cubemark/format';
import type { SourcePolicy, SourcePolicyOptions, SourcePool } from '@cubemark/cube';
import type { Logger, PublishOrigin, SchedulerPlugin } from './plugins/types.js';
import type { HeldPublication } from './publication/held.js';
import type { NameLock } from './lock.js';
import type { PublicationRegistry } from './registry/types.js';
import type { ResidencyReport } from './residency/resident.js';
import type { SourceLoader } from './sources/loader.js';

/** The scheduler's public types: its options, what it publishes, what it answers, and its interface. */

/** Default residency budget: 512 MiB. */
export const DEFAULT_RESIDENT_BUDGET = 512 * 1024 * 1024;
/** How long `get` waits for a name announced with `expect` (default: 30 s). */
export const DEFAULT_EXPECT_TIMEOUT_MS = 30_000;
/** Default bounds of one client publication. */
export const DEFAULT_PUBLICATION_LIMITS = { maxCubes: 10_000, maxSources: 1_000 };
/** How long plugins' `stop` hooks get before their signal aborts (default: 10 s). */
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

export interface SchedulerOptions {
  /** Plugins, in the order their hooks run (default: none). Names must be unique. */
  plugins?: readonly SchedulerPlugin[];
  /** Where records are kept (default: an in-process `MemoryRegistry`). */
  registry?: PublicationRegistry;
  /**
   * What serialises writes of one name (default: an in-process `KeyedLock`). A registry shared between processes
   * comes with a lock that excludes them too.
   */
  lock?: NameLock;
  /**
   * Byte sources for lazy reads and loading (default: `createSourcePool({ base: dataBase, policy })` under
   * `sourcePolicy`); `close()` closes it. A pool of your own reads under its own policy (`pool.policy`).
   */
  pool?: SourcePool;
  /**
   * What sources the scheduler may read: data roots and allowed URL prefixes (@cubemark/cube's `SourcePolicy`).
   * Every read goes through it, and client publishes whose sources fall outside are refused (`SOURCE_NOT_ALLOWED`).
   * Default: the data base only (its directory, or its URL prefix; the working directory without one).
   */
  sourcePolicy?: SourcePolicy | SourcePolicyOptions;
  /** Directory (or URL prefix) relative source URIs are resolved against (default: none, i.e. the working directory). */
  dataBase?: string;
  /** Builds publications from data sources (default: the CF loader of @cubemark/cube; `noLoader` refuses them). */
  loader?: SourceLoader;
  /** Bytes `persist` may hold in memory across all publications (default: 512 MiB). */
  residentBudget?: number;
  /** How long `get` waits for an expected (restoring) name before PUBLICATION_RESTORING (default: 30 s). */
  expectTimeoutMs?: number;
  /** How long `stop` hooks get before their signal aborts (default: 10 s). */
  stopTimeoutMs?: number;
  /** Where the scheduler and plugins log (default: lines on stderr). */
  log?: Logger;
  /** Limits for parsing published documents (default: the format's). */
  parseLimits?: Partial<ParseLimits>;
  /**
   * Bounds of one client publication (default: 10,000 cubes, 1,000 sources); larger is PUBLICATION_TOO_LARGE.
   * Restored publications are not held to them (they were accepted once).
   */
  publicationLimits?: { maxCubes?: number; maxSources?: number };
  /**
   * Bounds of the cache of recently used publications (default: 1,024 publications, 256 MiB). A publication
   * published as a `PublicationSource` (restored) is held as text and its model built when a request needs it;
   * built models are kept only while their publication is in this cache. `bytes` counts 3 bytes of heap per
   * byte of text for a built model, plus cached JSON descriptions.
   */
  modelCache?: { count?: number; bytes?: number };
}

/**
 * What can be published: a `.cube.md` document (text or bytes), data sources to load lazily (with the configured
 * loader), a publication model with its prose, or a `PublicationSource` (an index, and a way to build the model
 * when it is first needed: what the restore plugin publishes).
 */
export type PublishInput =
  | string
  | Uint8Array
  | { sources: readonly string[]; title?: string }
  | { publication: Publication; body?: string }
  | { source: PublicationSource };

export interface PublishOptions {
  /** Replace a publication of the same name (default: false; without it an existing name is PUBLICATION_EXISTS). */
  replace?: boolean;
  /** Who publishes (default: `client`), passed to plugins. */
  origin?: PublishOrigin;
  /** Initial state (default: `ready`). */
  state?: HeldState;
  /** Warnings to keep with the publication (added to any from loading). */
  warnings?: readonly string[];
  /** File name used in format error messages (default: `<name>.cube.md`). */
  file?: string;
}

export interface PublishResult {
  name: string;
  replaced: boolean;
  state: HeldState;
  cubes: number;
  warnings: string[];
  publishedAt: string;
}

export interface UnpublishResult {
  name: string;
  /** Warnings from plugins whose `unpublish` hook failed (the publication is gone regardless). */
  warnings: string[];
}

export interface PersistResult {
  name: string;
  /** Bytes now held for this publication. */
  bytes: number;
  /** Publications evicted to make room, least recently used first. */
  evicted: string[];
  residency: ResidencyReport;
  /** Warnings from plugins whose `persist` hook failed. */
  warnings: string[];
}

export interface GetOptions {
  /** How long to wait for an expected name (default: the scheduler's `expectTimeoutMs`). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface CloseResult {
  /** Failures of plugins' `stop` hooks. */
  warnings: string[];
}

/**
 * Holds publications (metadata, prose, lazy data access), runs plugins, and keeps persisted data under a byte
 * budget. Create with `createScheduler`, call `start()`, and `close()` when done.
 */
export interface Scheduler {
  readonly log: Logger;
  /** Run plugins' `start` hooks; a failure aborts with PLUGIN_START_FAILED naming the plugin. */
  start(): Promise<void>;
  publish(name: string, input: PublishInput, options?: PublishOptions): Promise<PublishResult>;
  /** Remove a publication; PUBLICATION_NOT_FOUND if there is none (waits for an expected name first). */
  unpublish(name: string, options?: { origin?: PublishOrigin }): Promise<UnpublishResult>;
  /** Every publication, and every expected one (state `restoring`), by name. */
  /** One `PublicationInfo` (the format's wire type) per publication. */
  list(): Promise<PublicationInfo[]>;
  /** A publication; waits for an expected name (up to a timeout); PUBLICATION_NOT_FOUND otherwise. */
  get(name: string, options?: GetOptions): Promise<HeldPublication>;
  /** Announce names that will be published soon: `get` waits for them instead of failing (invalid names are skipped). */
  expect(names: readonly string[], options?: { onWait?: (name: string) => void }): void;
  /** An expected name will not come: waiting `get`s fail with PUBLICATION_ABANDONED carrying `reason`. */
  abandon(name: string, reason: string): void;
  /** Read a publication's data into memory (evicting least recently used ones to stay within the budget). */
  persist(name: string): Promise<PersistResult>;
  /** Drop a publication's resident data; resolves whether there was any. */
  release(name: string): Promise<boolean>;
  /** What is in memory. */
  residency(): ResidencyReport;
  /** Stop plugins (reverse order), drop resident data, close byte sources. */
  close(): Promise<CloseResult>;
}
