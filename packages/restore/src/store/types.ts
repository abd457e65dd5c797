import { checkPublicationName, isPublicationName } from '@cubemark/format';
import { RestoreError } from '../errors.js';

/**
 * Where publications live between scheduler runs: one `<name>.cube.md` file per publication, plus three folders
 * the plugin manages beside them — `.trash/` (unpublished files, recoverable), `.quarantine/` (files that failed
 * to parse, each with its errors beside it) and `.cubemark/` (`state.json`: which publications were persisted).
 *
 * Modelled on zarrita's store contract: a missing file is `undefined`, any other failure throws a `RestoreError`
 * naming the store and the file. Backends: `local.ts` (a folder, the default) and `s3.ts` (a bucket and prefix).
 */
export interface PublicationStore {
  readonly kind: 'local' | 's3';
  /** The store as a user names it: a folder path (`publications`) or `s3://bucket/prefix/`. */
  readonly location: string;
  /**
   * What relative data-source URIs resolve against unless the plugin is told otherwise: the store's own folder or
   * prefix, so a store and its data can move together.
   */
  readonly dataBase: string;
  /** The file of a publication as messages show it: `publications/ukv.cube.md`, `s3://b/p/ukv.cube.md`. */
  describe(name: string): string;
  /** Every `<name>.cube.md` directly in the store (not in its folders), with size and change markers. */
  list(options?: StoreCallOptions): Promise<StoreEntry[]>;
  /**
   * The publication names alone, where that is much cheaper than `list` (a local folder: one `readdir`, no stat
   * per file). A scheduler's start waits only for this.
   */
  names?(options?: StoreCallOptions): Promise<string[]>;
  /** A publication file's bytes, or `undefined` if there is none. */
  read(name: string, options?: StoreCallOptions): Promise<Uint8Array | undefined>;
  /**
   * The bytes with the size and date they were read at, where the store has them at no extra cost (a local file's
   * handle is stat'ed to read it anyway): a restore that started from `names` records them for later reloads.
   */
  readEntry?(name: string, options?: StoreCallOptions): Promise<{ bytes: Uint8Array; entry: StoreEntry } | undefined>;
  /**
   * Replace a publication file so that, once this resolves, the new content survives a crash or power loss and
   * no reader ever sees a partly written file. Local: temporary file, fsync, rename, fsync of the folder. S3: one
   * PutObject, which S3 applies atomically per object and acknowledges once stored durably.
   */
  write(name: string, content: string | Uint8Array, options?: StoreCallOptions): Promise<void>;
  /**
   * Move a publication file into `.trash/<name>.<timestamp>.cube.md`, where it can be recovered by moving it
   * back. Resolves to the trash file as `describe` would show it, or `undefined` when there was no file.
   */
  trash(name: string): Promise<string | undefined>;
  /** Delete a publication file for good (a publish that was never acknowledged); no error if there is none. */
  delete(name: string): Promise<void>;
  /**
   * Keep a copy of `content` (the bytes that failed) as `.quarantine/<name>.<timestamp>.cube.md` with `report`
   * beside it as `….errors.txt`, both durably. With `removeOriginal`, the store's file is then deleted if it still
   * holds those bytes (an edit made since is left for the next reload). Resolves to the quarantined copy as
   * `describe` would show it.
   */
  quarantine(name: string, content: Uint8Array, report: string, options?: { removeOriginal?: boolean }): Promise<string>;
  /** A file of the plugin's own in `.cubemark/` (default: `state.json`), or `undefined` if there is none yet. */
  readState(file?: StateFile): Promise<Uint8Array | undefined>;
  /** Replace a file of `.cubemark/` (default: `state.json`) as durably as `write`. */
  writeState(content: string | Uint8Array, file?: StateFile): Promise<void>;
  /** Remove leftovers of writes interrupted by a crash (temporary files); resolves to how many there were. */
  cleanup?(): Promise<number>;
  /**
   * Watch the store for publication files changed by something else (an editor, `git pull`): `listener` receives
   * the names of changed, added or removed files, at most once per `debounceMs`. Only stores that can watch
   * cheaply have it (the local folder does; S3 does not).
   */
  watch?(listener: (names: string[]) => void, options?: { debounceMs?: number }): StoreWatcher;
  /** Release clients and handles. Idempotent. */
  close(): Promise<void>;
}

export interface StoreCallOptions {
  signal?: AbortSignal;
}

/** A publication file in the store. */
export interface StoreEntry {
  /** The publication name: the file name without `.cube.md`. */
  name: string;
  /** Size in bytes. */
  size: number;
  /** RFC 3339 modification time with milliseconds. */
  mtime: string;
  /** Entity tag (S3), when the store has one. */
  etag?: string;
}

export interface StoreWatcher {
  close(): void;
}

/** The file suffix of a publication. */
export const PUBLICATION_SUFFIX = '.cube.md';
export const TRASH_DIR = '.trash';
export const QUARANTINE_DIR = '.quarantine';
export const STATE_DIR = '.cubemark';
export const STATE_FILE = 'state.json';
/** What each publication file held when last found valid (its hash and index): see `restore/index-file.ts`. */
export const INDEX_FILE = 'index.json.br';
/** The cluster's snapshot of its registry (@cubemark/cluster): a cache, as `INDEX_FILE` is. */
export const CLUSTER_INDEX_FILE = 'cluster-index.json.br';
/** The files the plugin (and the cluster) keep in `.cubemark/`. */
export type StateFile = typeof STATE_FILE | typeof INDEX_FILE | typeof CLUSTER_INDEX_FILE;

/**
 * Whether `stem` (a file name without `.cube.md`) names a file directly in the store: not empty, no path separator,
 * no leading `.` (hidden files, the plugin's temporary files). Wider than the name rule on purpose: a file whose
 * name the rule refuses is still listed and read, so that a restore reports it (INVALID_NAME) and moves it to the
 * quarantine rather than ignoring it; only `write` needs a publication name (`isPublicationName`).
 */
export function isFileStem(stem: string): boolean {
  return stem.length > 0 && !stem.startsWith('.') && !/[/\\\0]/.test(stem);
}

/** The file stem a publication file name holds, or `undefined` for anything else (temporary files, notes, folders). */
export function nameOfFile(fileName: string): string | undefined {
  if (!fileName.endsWith(PUBLICATION_SUFFIX)) return undefined;
  const name = fileName.slice(0, -PUBLICATION_SUFFIX.length);
  return isFileStem(name) ? name : undefined;
}

/**
 * Throws RestoreError INVALID_NAME (with the name rule's message) unless `name` can be a file of the store at
 * `location`: any file stem to read, move or delete, a publication name to write.
 */
export function assertStoreName(name: string, location: string, writing = false): void {
  if (isFileStem(name) && (!writing || isPublicationName(name))) return;
  const message = checkPublicationName(name)?.message ?? `'${name}' cannot name a file in the store`;
  throw new RestoreError('INVALID_NAME', message, { location });
}

/**
 * A timestamp for trash and quarantine file names: sortable, unique enough within one process (milliseconds plus
 * a counter), with no characters that file systems or S3 consoles dislike.
 */
export function stamp(date = new Date()): string {
  counter = (counter + 1) % 1000;
  return `${date.toISOString().replace(/[-:]/g, '')}-${String(counter).padStart(3, '0')}`;
}
let counter = 0;
