import type { Writable } from 'node:stream';
import type { S3Options } from '@cubemark/cube';
import type { StoreRetryOptions } from './store/retry.js';
import type { PublicationStore } from './store/types.js';

export interface RestoreOptions {
  /**
   * Where publications are kept: a folder path, `s3://bucket/prefix/`, or a `PublicationStore` of your own
   * (default: `publications`, relative to the working directory).
   */
  store?: string | PublicationStore;
  /**
   * What relative data-source URIs in the files resolve against when checking them (default: the store's folder
   * or prefix). Give the same base as the scheduler's `dataBase`.
   */
  dataBase?: string;
  /** S3 endpoint, region and addressing for an S3 store and S3 sources (default: from the environment). */
  s3?: S3Options;
  /**
   * How long an S3 store's calls may take: each attempt (`attemptTimeoutMs`, default 10 s) and all retries of one
   * call together (`deadlineMs`, default 30 s); past the deadline a write is refused (STORE_WRITE_FAILED, 503).
   */
  storeRetry?: StoreRetryOptions;
  /**
   * Worker threads that parse files during a restore or reload (default: one per core with at least 64 files to
   * parse, else none; `CUBEMARK_RESTORE_THREADS` sets it for a `cubemark serve`). 0 parses on the main thread.
   * Workers exist only while a restore or a reload runs.
   */
  threads?: number;
  /**
   * Keep `.cubemark/index.json.br` in the store: each file's hash and index as last found valid, so a restart
   * parses only the files that changed since (default: true). False: every start parses every file.
   */
  index?: boolean;
  /** Draw a progress bar while restoring: `'auto'` only on a terminal (default: `'auto'`). */
  progress?: boolean | 'auto';
  /** Where the bar is drawn (default: `process.stderr`). */
  progressStream?: Writable & { isTTY?: boolean };
  /** Data-source stat requests in flight at once (default: 16). */
  statConcurrency?: number;
  /** Milliseconds one remote stat may take before the source counts as unchecked (default: 10000). */
  statTimeoutMs?: number;
  /**
   * Milliseconds a restored publication waits for its sources to be checked before it is published `ready`
   * anyway (default: 200). A check that finishes later and finds a change publishes it again as `stale`, so slow
   * stats never hold the restore back.
   */
  staleGraceMs?: number;
  /** Persist again, after the restore, the publications that were persisted before (default: true). */
  repersist?: boolean;
  /** How many publications are persisted again at once (default: 2). */
  repersistConcurrency?: number;
  /**
   * Watch a local store and reload files edited by hand (after a review) or by `git pull` (default: false).
   * `debounceMs` waits for a burst of changes to end (default: 200).
   */
  watch?: boolean | { debounceMs?: number };
}
