import { setMaxListeners } from 'node:events';
import type { PublicationSource } from '@cubemark/format';
import type { SchedulerHandle } from '@cubemark/scheduler';
import { RestoreError } from './errors.js';
import type { RestoreOptions } from './options.js';
import { threadsFor, threadsFromEnv } from './parse/threads.js';
import { PersistedState } from './persist/state.js';
import { KeyedQueue } from './queue.js';
import { IndexFile, type IndexedFile } from './restore/index-file.js';
import type { RestoreReport } from './restore/report.js';
import { SourceChecker } from './restore/sources.js';
import { WaitingNames } from './restore/waiting.js';
import { openStore } from './store/open.js';
import type { PublicationStore, StoreWatcher } from './store/types.js';

/** What the plugin knows of each file it restored or wrote, so a reload can tell what changed. */
export interface Known {
  /** SHA-256 of the bytes last restored or written. */
  hash: string;
  /** Size and mtime (and ETag) when last listed: when unchanged, the file is not even read again. */
  size?: number;
  mtime?: string;
  etag?: string;
  /**
   * The publication as served (the same source the scheduler holds), to write back over an invalid edit and to
   * tell whether it was replaced since.
   */
  source: PublicationSource;
  /** SHA-256 of bytes a watch-triggered reload found invalid and left in place: not quarantined twice. */
  rejected?: string;
}

/**
 * The restore plugin's shared state, one per plugin, handed to each of its modules (boot restore, reload, checked
 * publishing, client writes, re-persisting) and to its hooks.
 */
export class RestoreContext {
  readonly options: RestoreOptions;
  readonly store: PublicationStore;
  /** How long a restored publication waits for its source checks before it is published `ready` anyway. */
  readonly graceMs: number;
  /** Per name: what the plugin last restored, reloaded or wrote. */
  readonly known = new Map<string, Known>();
  /** What each file held when last found valid, kept in the store for the next start (see IndexFile). */
  readonly indexFile: IndexFile;
  /** Store writes, one at a time per name, in the order they were asked for. */
  readonly writes = new KeyedQueue();
  /** Bumped on every write or removal the plugin makes, so a reload can tell what it did not see listed. */
  writeSeq = 0;
  readonly lastWrite = new Map<string, number>();
  /** Names the running restore has not started yet, and which go first. */
  readonly waiting = new WaitingNames();
  /** While a restore runs: the entries the index file recorded at the last run. */
  recorded = new Map<string, IndexedFile>();
  /** Which publications were persisted, from `start` on. */
  state?: PersistedState;
  /** The restore `start` began. */
  restoring?: Promise<RestoreReport>;
  /** The last reload queued: reloads run one at a time. */
  reloading: Promise<unknown> = Promise.resolve();
  watcher?: StoreWatcher;
  /** Aborted by `stop`: every background read, stat and parse listens on its signal. */
  readonly controller = new AbortController();
  private readonly threads: number | undefined;
  private readonly background = new Set<Promise<unknown>>();
  private checker?: SourceChecker;
  private handle?: SchedulerHandle;

  constructor(options: RestoreOptions) {
    this.options = options;
    this.store = typeof options.store === 'object' ? options.store : openStore(options.store ?? 'publications', { s3: options.s3, retry: options.storeRetry });
    this.threads = options.threads ?? threadsFromEnv();
    this.graceMs = options.staleGraceMs ?? 200;
    this.indexFile = new IndexFile(this.store, (m) => this.log.warn(m), options.index !== false);
    // Many listeners on this one signal are expected, not a leak.
    setMaxListeners(0, this.controller.signal);
  }

  /** Called by the `start` hook: from then on the plugin publishes through `scheduler`. */
  start(scheduler: SchedulerHandle): void {
    this.handle = scheduler;
    this.state = new PersistedState(this.store, (m) => scheduler.log.warn(m));
  }

  get started(): boolean {
    return this.handle !== undefined;
  }

  /** The scheduler's handle; `NOT_STARTED` before `start`. */
  get scheduler(): SchedulerHandle {
    if (!this.handle) throw new RestoreError('NOT_STARTED', 'the restore plugin has not been started by a scheduler');
    return this.handle;
  }

  get log(): SchedulerHandle['log'] {
    return this.scheduler.log;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Worker threads to parse `files` files (see parse/threads.ts). */
  threadsFor(files: number): number {
    return threadsFor(files, this.threads);
  }

  /** Checks data sources against what the files recorded; made when first needed. */
  sourceChecker(): SourceChecker {
    return (this.checker ??= new SourceChecker({
      base: this.options.dataBase ?? this.store.dataBase,
      s3: this.options.s3,
      concurrency: this.options.statConcurrency,
      timeoutMs: this.options.statTimeoutMs,
      policy: this.handle?.sourcePolicy,
    }));
  }

  /** Record a write or removal of `name` by the plugin (see `writeSeq`). */
  wrote(name: string): void {
    this.writeSeq += 1;
    this.lastWrite.set(name, this.writeSeq);
  }

  /** Keep `p` as background work that `stop` waits for; returns `p`. */
  track<T>(p: Promise<T>): Promise<T> {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    this.background.add(settled);
    void settled.then(() => this.background.delete(settled));
    return p;
  }

  /** Cancel the background work, wait for it to end, and close what the plugin opened. */
  async close(reason: RestoreError): Promise<void> {
    this.watcher?.close();
    this.controller.abort(reason);
    await Promise.all([...this.background]);
    await this.reloading.catch(() => undefined);
    await this.checker?.close();
    await this.indexFile.close();
    await this.store.close();
  }
}
