import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import type { Writable } from 'node:stream';
import type { S3Options } from '@cubemark/cube';
import {
  parse,
  publicationIndex,
  serialize,
  type Publication,
  type PublicationDocument,
  type PublicationIndex,
  type PublicationSource,
} from '@cubemark/format';
import type {
  PersistEvent,
  PublishEvent,
  SchedulerHandle,
  SchedulerPlugin,
  StartContext,
  StopContext,
  UnpublishEvent,
} from '@cubemark/scheduler';
import pLimit from 'p-limit';
import { errorMessage, formatProblem, RestoreError } from './errors.js';
import { createFileParser, type FileParser } from './parse/pool.js';
import { IndexFile, type IndexedFile } from './restore/index-file.js';
import { sha256, unpack, type CheckedFile } from './parse/check.js';
import { KeyedQueue } from './queue.js';
import { createProgress } from './restore/progress.js';
import {
  quarantineText,
  reloadReportLines,
  restoreReportLines,
  type QuarantinedFile,
  type ReloadReport,
  type RestoreReport,
  type StalePublication,
} from './restore/report.js';
import { SourceChecker } from './restore/sources.js';
import { PersistedState } from './state.js';
import { openStore } from './store/open.js';
import type { PublicationStore, StoreEntry, StoreWatcher } from './store/types.js';

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

/** A file to restore: its name, and its size and dates when the listing gave them. */
type Restorable = Partial<StoreEntry> & { name: string };

/** What the plugin knows of each file it restored or wrote, so a reload can tell what changed. */
interface Known {
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
 * `createRestorePlugin(options)`: every client publish is written to the store as a canonical `.cube.md` file,
 * durably, before the publish is acknowledged; every unpublish moves the file to the store's trash; a scheduler
 * that starts publishes every file again (in the background, parsed in worker threads, data left lazy),
 * quarantines those that fail, flags those whose data changed, and persists again what was persisted.
 */
export function createRestorePlugin(options: RestoreOptions = {}): RestorePlugin {
  const store = typeof options.store === 'object' ? options.store : openStore(options.store ?? 'publications', { s3: options.s3 });
  /**
   * Worker threads for `files` files: as asked (never more than files), else `autoThreads()` for a store large
   * enough to repay starting them (each loads the format package: ~0.1 s compiled, ~1 s from source under tsx),
   * else none.
   */
  const asked = options.threads ?? threadsFromEnv();
  const threadsFor = (files: number) => Math.min(files, asked ?? (files >= WORKER_THRESHOLD ? autoThreads() : 0));
  const graceMs = options.staleGraceMs ?? 200;
  const known = new Map<string, Known>();
  // What each file held when last found valid, kept in the store for the next start (see IndexFile).
  const indexFile = new IndexFile(store, (m) => log().warn(m), options.index !== false);
  /** While a restore runs: the entries the index file recorded at the last run. */
  let recorded = new Map<string, IndexedFile>();
  const writes = new KeyedQueue();
  /** Bumped on every write or removal the plugin makes, so a reload can tell what it did not see listed. */
  let writeSeq = 0;
  const lastWrite = new Map<string, number>();

  let scheduler: SchedulerHandle | undefined;
  let state: PersistedState | undefined;
  let checker: SourceChecker | undefined;
  let restoring: Promise<RestoreReport> | undefined;
  /** Names the running restore has not started yet, and those asked for first (`prioritize`). */
  const waiting = new Set<string>();
  const urgentNames: string[] = [];
  /** While a restore runs: restore one queued name at once (a request is waiting for it). */
  let restoreNow: ((name: string) => void) | undefined;
  let reloading: Promise<unknown> = Promise.resolve();
  let watcher: StoreWatcher | undefined;
  const controller = new AbortController();
  // Every background stat and parse listens on this one signal: many listeners are expected, not a leak.
  setMaxListeners(0, controller.signal);
  const background = new Set<Promise<unknown>>();

  const track = <T>(p: Promise<T>): Promise<T> => {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    background.add(settled);
    void settled.then(() => background.delete(settled));
    return p;
  };
  const log = () => scheduler!.log;
  const wrote = (name: string) => {
    writeSeq += 1;
    lastWrite.set(name, writeSeq);
  };
  const sourceChecker = () =>
    (checker ??= new SourceChecker({
      base: options.dataBase ?? store.dataBase,
      s3: options.s3,
      concurrency: options.statConcurrency,
      timeoutMs: options.statTimeoutMs,
    }));

  // -------------------------------------------------------------------------------------------------------------
  // Publishing one file's publication (restore and reload share this)

  interface Outcome {
    cubes: number;
    stale?: StalePublication;
    warnings: string[];
  }

  /**
   * Publish a checked file through the handle, as its index and packed text (the scheduler builds the model when
   * a request first needs it). Sources are checked first, for at most `graceMs`; a verdict that comes later and
   * says stale publishes the same publication again as `stale`.
   */
  async function publishChecked(
    name: string,
    source: PublicationSource,
    origin: 'restore' | 'reload',
    published?: () => void,
    waitMs = graceMs,
  ): Promise<Outcome> {
    const findings = sourceChecker().check(source.index, controller.signal);
    let early: Awaited<typeof findings> | undefined;
    if (waitMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, waitMs, undefined)));
      early = await Promise.race([findings, grace]);
      clearTimeout(timer);
    }
    const warnings = early ? [...early.stale, ...early.unchecked] : [];
    const stale = early !== undefined && early.stale.length > 0;
    // Always with `replace`: a restored name is announced with `expect`, which the scheduler treats as taken, and
    // a reloaded one is running.
    await scheduler!.publish(name, source, { origin, replace: true, state: stale ? 'stale' : 'ready', warnings });
    published?.();
    const outcome: Outcome = { cubes: source.index.cubes.length, warnings: early?.unchecked.map((w) => `${name}: ${w}`) ?? [] };
    if (stale && early) outcome.stale = { name, reasons: early.stale };
    if (early) return outcome;
    // Late verdict: publish again only if it changes something, and only if nothing replaced it meanwhile.
    const late = await findings;
    outcome.warnings.push(...late.unchecked.map((w) => `${name}: ${w}`));
    if (late.stale.length > 0 && known.get(name)?.source === source) {
      await scheduler!.publish(name, source, {
        origin,
        replace: true,
        state: 'stale',
        warnings: [...late.stale, ...late.unchecked],
      });
      outcome.stale = { name, reasons: late.stale };
    }
    return outcome;
  }

  /** Move a bad file aside with its problems, never letting a failure to do so stop the others. */
  async function quarantine(name: string, bytes: Uint8Array, checked: CheckedFile, removeOriginal: boolean): Promise<QuarantinedFile> {
    const file = store.describe(name);
    const record: QuarantinedFile = { name, file, problems: checked.problems };
    try {
      record.copy = await store.quarantine(name, bytes, quarantineText(file, checked.problems), { removeOriginal });
    } catch (error) {
      log().error(`restore: could not quarantine ${file}: ${errorMessage(error)}`);
    }
    return record;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Restore

  /**
   * Restore every file. `firstDone` is called once the first file is published (or failed), on this thread: the
   * scheduler's start waits for that (see the start hook).
   */
  async function restoreAll(expected: readonly string[], listed: StoreEntry[] | undefined, firstDone: () => void): Promise<RestoreReport> {
    const started = performance.now();
    const report: RestoreReport = { restored: 0, cubes: 0, unchanged: 0, ms: 0, threads: 0, quarantined: [], stale: [], warnings: [] };
    // A listing that came with dates (S3) restores newest first: right after a crash, the publications written
    // last are the likeliest to be asked for. A store that gave names alone is restored in that order at once,
    // rather than after a stat of every file; sizes and dates then come with the first reload.
    const entries: Restorable[] = listed
      ? listed.sort((a, b) => (a.mtime < b.mtime ? 1 : a.mtime > b.mtime ? -1 : a.name.localeCompare(b.name)))
      : expected.map((name) => ({ name }));
    const leftovers = await store.cleanup?.().catch(() => 0);
    if (leftovers) report.warnings.push(`removed ${leftovers} temporary file(s) left by writes a crash interrupted (none was acknowledged)`);
    // The index is read while the first file is restored (which does not use it): 10,000 entries take ~0.1 s.
    const reading = indexFile.read();
    const persisted = await state!.load();
    // Entries are recorded as files are restored, and written once, at the end.
    indexFile.hold();
    const progress = await createProgress(entries.length, { enabled: options.progress ?? 'auto', stream: options.progressStream });
    const repersist = pLimit(options.repersistConcurrency ?? 2);
    const persisting: Promise<void>[] = [];
    // A queue the in-flight slots pull from, so `prioritize` can move a name to its front.
    const queue = [...entries];
    const finish = (entry: Restorable, outcome: Outcome | undefined): void => {
      progress.tick(outcome?.cubes ?? 0);
      if (!outcome) return;
      report.restored += 1;
      report.cubes += outcome.cubes;
      if (outcome.stale) report.stale.push(outcome.stale);
      report.warnings.push(...outcome.warnings);
      const { name } = entry;
      if (persisted.has(name) && options.repersist !== false) {
        persisting.push(
          repersist(async () => {
            if (controller.signal.aborted) return;
            await scheduler!.persist(name);
          }).catch((error) => log().warn(`restore: could not persist '${name}' again: ${errorMessage(error)}`)),
        );
      }
    };
    // Files asked for by a request (and the first file) are parsed on this thread, at once, rather than after the
    // files queued for the workers.
    const inline = await createFileParser({ threads: 0 });
    const urgentWork: Promise<void>[] = [];
    restoreNow = (name: string) => {
      const i = queue.findIndex((e) => e.name === name);
      if (i < 0 || controller.signal.aborted) return;
      const entry = queue.splice(i, 1)[0]!;
      waiting.delete(name);
      // The model is kept: the waiting request needs it at once, and parsing it again would double its wait.
      urgentWork.push(restoreOne(entry, inline, report, 'urgent').then((outcome) => finish(entry, outcome)));
    };
    // The first file is restored before the scheduler listens (~60 ms on a cold start: compiling the parser is most
    // of it). The first publication in the store's order is then there for the first request, and the parser
    // this thread uses for requests that wait is compiled before any of them arrives.
    // It counts as done once published: a late verdict on its sources (see publishChecked) comes in the background.
    const first = queue.shift();
    if (first) {
      waiting.delete(first.name);
      let published!: () => void;
      const publishedFirst = new Promise<void>((resolve) => (published = resolve));
      const work = restoreOne(first, inline, report, 'first', published).then((outcome) => finish(first, outcome));
      urgentWork.push(work);
      await Promise.race([publishedFirst, work]);
    }
    firstDone();
    recorded = await reading;
    const parser = queue.length > 0 ? await createFileParser({ threads: threadsFor(entries.length) }) : inline;
    report.threads = parser.threads;
    // Files in flight (read, queued for a worker, or being published): enough that reads and stats overlap the
    // parsing and every worker stays busy, few enough that a large store is never all in memory at once.
    const inFlight = Math.max(16, parser.threads * 8);
    const restoreNext = async (): Promise<void> => {
      for (;;) {
        let entry: Restorable | undefined;
        while (!entry && urgentNames.length > 0) {
          const i = queue.findIndex((e) => e.name === urgentNames[0]);
          urgentNames.shift();
          if (i >= 0) entry = queue.splice(i, 1)[0];
        }
        entry ??= queue.shift();
        if (!entry || controller.signal.aborted) return;
        waiting.delete(entry.name);
        finish(entry, await restoreOne(entry, parser, report));
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(inFlight, queue.length) }, restoreNext));
      await Promise.all(urgentWork);
    } finally {
      restoreNow = undefined;
      waiting.clear();
      urgentNames.length = 0;
      progress.stop();
      await parser.close();
      if (parser !== inline) await inline.close();
      recorded = new Map();
      // What was restored is written to the index now, unless the scheduler is stopping (the index already on
      // disk then stays: its entries still hold for the files not restored).
      if (!controller.signal.aborted) track(indexFile.release());
    }
    // Names persisted before that did not come back (quarantined, deleted) leave the state file.
    await state!.retain(new Set(scheduler!.list())).catch((error) => report.warnings.push(`could not update the state file: ${errorMessage(error)}`));
    report.ms = performance.now() - started;
    report.stale.sort((a, b) => a.name.localeCompare(b.name));
    const { summary, details } = restoreReportLines(report);
    log().info(summary);
    for (const line of details) log().warn(line);
    // Persisting reads data and may take long: it goes on after the report, in the background.
    track(Promise.all(persisting));
    return report;
  }

  /** Restore one file; `undefined` when it was not published (quarantined, vanished, refused). */
  async function restoreOne(
    entry: Restorable,
    parser: FileParser,
    report: RestoreReport,
    /**
     * `urgent`: a request waits for it, so its model is kept (and the index not used: the model is needed anyway).
     * `first`: the file restored before the server listens, parsed with its model kept even when indexed: that
     * compiles the parser this thread uses for urgent files (~40 ms once), so a request that waits for a file
     * is answered in one warm parse (measured: +50–108 ms after listening when the first file came from the
     * index, against +48–86 ms).
     */
    kind: 'queued' | 'first' | 'urgent' = 'queued',
    published?: () => void,
  ): Promise<Outcome | undefined> {
    const keepModel = kind !== 'queued';
    const { name } = entry;
    try {
      let bytes: Uint8Array | undefined;
      if (entry.mtime === undefined && store.readEntry) {
        const read = await store.readEntry(name, { signal: controller.signal });
        bytes = read?.bytes;
        if (read) Object.assign(entry, read.entry);
      } else {
        bytes = await store.read(name, { signal: controller.signal });
      }
      if (!bytes) {
        scheduler!.abandon(name, `its file ${store.describe(name)} was removed during the restore`);
        return undefined;
      }
      const file = store.describe(name);
      // A file that hashes as the index recorded it is not parsed again (but see `kind`).
      const record = kind === 'queued' ? recorded.get(name) : undefined;
      const checked = await parser.parse(bytes, file, name, { keepModel, expectHash: record?.hash });
      if (checked.unchanged) report.unchanged += 1;
      const source = storedSource(file, checked, bytes.length, record?.index);
      if (!source) {
        indexFile.delete(name);
        const q = await quarantine(name, bytes, checked, true);
        report.quarantined.push(q);
        scheduler!.abandon(name, `quarantined: ${formatProblem(checked.problems[0]!)}`);
        return undefined;
      }
      known.set(name, { hash: checked.hash, size: entry.size, mtime: entry.mtime, etag: entry.etag, source });
      indexFile.set(name, checked.hash, source.index);
      // A request waits for an urgent file: it is published at once, and again as `stale` if its sources say so
      // (their stats queue behind the restore's reads: waiting for them was ~30–45 ms of a ~75 ms answer).
      return await publishChecked(name, source, 'restore', published, kind === 'urgent' ? 0 : graceMs);
    } catch (error) {
      known.delete(name);
      indexFile.delete(name);
      const reason = `could not be restored: ${errorMessage(error)}`;
      report.warnings.push(`${name} ${reason}`);
      scheduler!.abandon(name, reason);
      return undefined;
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Reload

  async function reloadNow(names: readonly string[] | undefined, writeBack: boolean): Promise<ReloadReport> {
    const report: ReloadReport = { replaced: [], added: [], removed: [], unchanged: 0, quarantined: [], stale: [], warnings: [] };
    const seq = writeSeq;
    const listed = await store.list({ signal: controller.signal });
    const only = names ? new Set(names) : undefined;
    const entries = only ? listed.filter((e) => only.has(e.name)) : listed;
    sourceChecker().reset();

    // 1. Find what changed: same size and mtime as last seen, or same bytes, is unchanged.
    const changed: { entry: StoreEntry; bytes: Uint8Array; hash: string }[] = [];
    const reading = pLimit(16);
    await Promise.all(
      entries.map((entry) =>
        reading(async () => {
          const k = known.get(entry.name);
          if (k && k.size === entry.size && k.mtime === entry.mtime && k.etag === entry.etag) {
            report.unchanged += 1;
            return;
          }
          const bytes = await store.read(entry.name, { signal: controller.signal });
          if (!bytes) return;
          const hash = sha256(bytes);
          if (k && (k.hash === hash || (!writeBack && k.rejected === hash))) {
            Object.assign(k, { size: entry.size, mtime: entry.mtime, etag: entry.etag });
            report.unchanged += 1;
            return;
          }
          changed.push({ entry, bytes, hash });
        }),
      ),
    );
    // In listing order, so reports and logs do not depend on which read finished first.
    const order = new Map(entries.map((e, i) => [e.name, i]));
    changed.sort((a, b) => order.get(a.entry.name)! - order.get(b.entry.name)!);

    // 2. Validate every changed file before publishing any of them.
    const parser = await createFileParser({ threads: threadsFor(changed.length) });
    let checked: CheckedFile[];
    try {
      checked = await Promise.all(changed.map((c) => parser.parse(c.bytes, store.describe(c.entry.name), c.entry.name)));
    } finally {
      await parser.close();
    }

    // 3. Publish the valid ones; quarantine the others and keep what is served.
    const running = new Set(scheduler!.list());
    await Promise.all(
      changed.map(async ({ entry, bytes, hash }, i) => {
        const { name } = entry;
        const result = checked[i]!;
        await writes.run(name, async () => {
          if ((lastWrite.get(name) ?? 0) > seq) return; // a client published it since the listing: theirs wins
          const source = storedSource(store.describe(name), result, bytes.length);
          if (!source) {
            report.quarantined.push(await quarantine(name, bytes, result, !running.has(name) && writeBack));
            const k = known.get(name);
            if (k) k.rejected = hash;
            if (running.has(name) && k && writeBack) {
              // The store must hold what is served, or a crash would lose it: write the last good version back.
              const text = serialize(k.source.load().publication, { body: result.body || undefined });
              await store.write(name, text);
              const written = sha256(Buffer.from(text));
              known.set(name, { hash: written, source: k.source });
              indexFile.set(name, written, k.source.index);
              wrote(name);
            }
            return;
          }
          const previous = known.get(name);
          known.set(name, { hash, size: entry.size, mtime: entry.mtime, etag: entry.etag, source });
          indexFile.set(name, hash, source.index);
          try {
            const outcome = await publishChecked(name, source, 'reload');
            (running.has(name) ? report.replaced : report.added).push(name);
            if (outcome.stale) report.stale.push(outcome.stale);
            report.warnings.push(...outcome.warnings);
          } catch (error) {
            if (previous) known.set(name, previous);
            else known.delete(name);
            report.warnings.push(`${name} could not be published: ${errorMessage(error)}`);
          }
        });
      }),
    );

    // 4. Files gone from the store: unpublish what the plugin restored or wrote (not what another plugin holds).
    const present = new Set(listed.map((e) => e.name));
    for (const name of [...known.keys()]) {
      if (present.has(name) || (only && !only.has(name))) continue;
      await writes.run(name, async () => {
        if ((lastWrite.get(name) ?? 0) > seq || !known.has(name)) return;
        known.delete(name);
        indexFile.delete(name);
        if (await scheduler!.unpublish(name, { origin: 'reload' })) report.removed.push(name);
      });
    }

    const { summary, details } = reloadReportLines(store.location, report);
    log().info(summary);
    for (const line of details) log().warn(line);
    return report;
  }

  // -------------------------------------------------------------------------------------------------------------
  // The hooks

  const plugin: RestorePlugin = {
    name: 'restore',
    store,

    async start(ctx: StartContext) {
      scheduler = ctx.scheduler;
      state = new PersistedState(store, (m) => ctx.scheduler.log.warn(m));
      // Names are all `start` waits for: the server listens at once, and requests for these names wait. A store
      // that can name its files without a request or a stat per file does so; the rest of the listing (sizes,
      // dates) happens in the background.
      const listed = store.names ? undefined : await store.list({ signal: ctx.signal });
      const names = listed ? listed.map((e) => e.name) : await store.names!({ signal: ctx.signal });
      // A request waiting for a name brings it to the front of the queue: it is answered in one parse, not after
      // the files ahead of it.
      ctx.scheduler.expect(names, {
        onWait: (name) => {
          if (!waiting.has(name)) return;
          if (restoreNow) restoreNow(name);
          else urgentNames.push(name);
        },
      });
      for (const name of names) waiting.add(name);
      let firstDone!: () => void;
      const first = new Promise<void>((resolve) => (firstDone = resolve));
      restoring = track(
        restoreAll(names, listed, firstDone).catch((error) => {
          log().error(`restore: the restore failed: ${errorMessage(error)}`);
          for (const name of names) if (!known.has(name)) ctx.scheduler.abandon(name, `the restore failed: ${errorMessage(error)}`);
          throw error;
        }),
      );
      restoring.catch(() => undefined);
      // The rest goes on in the background; the first file is restored before the scheduler listens (one parse).
      await Promise.race([first, restoring.catch(() => undefined)]);
      const watch = options.watch;
      if (watch && store.watch) {
        watcher = store.watch(
          (names) => {
            void reloadQueued(names, false).catch((error) => log().error(`restore: reload after a change failed: ${errorMessage(error)}`));
          },
          { debounceMs: typeof watch === 'object' ? watch.debounceMs : undefined },
        );
      }
    },

    async publish(event: PublishEvent) {
      // Restored and reloaded publications came from the store: their file is already there, byte for byte.
      if (event.origin !== 'client' && !event.rollback) return;
      const { name, publication } = event;
      await writes.run(name, async () => {
        let body = event.body;
        if (body === undefined) {
          // Keep the prose the file already has: a client that sends only metadata must not erase it.
          const existing = await store.read(name);
          if (existing) body = parse(existing).body || undefined;
        }
        const text = serialize(publication, { body });
        await store.write(name, text, { signal: event.signal });
        const written = sha256(Buffer.from(text));
        const source = modelSource(publication, body);
        known.set(name, { hash: written, source });
        indexFile.set(name, written, source.index);
        wrote(name);
      });
    },

    async unpublish(event: UnpublishEvent) {
      const { name } = event;
      await writes.run(name, async () => {
        known.delete(name);
        indexFile.delete(name);
        wrote(name);
        if (event.rollback) {
          // A publish that was never acknowledged: forget it entirely, unless the file was the store's own.
          if (event.origin === 'client') await store.delete(name);
        } else if (event.origin !== 'reload') {
          // A reload unpublishes because the file is already gone; anything else moves it to the trash.
          await store.trash(name);
        }
        await state?.set(name, false);
      });
    },

    async persist(event: PersistEvent) {
      await state?.set(event.name, event.resident);
    },

    async stop(_ctx: StopContext) {
      watcher?.close();
      controller.abort(new RestoreError('STOPPED', 'the scheduler is stopping'));
      await Promise.all([...background]);
      await reloading.catch(() => undefined);
      await checker?.close();
      await indexFile.close();
      await store.close();
    },

    prioritize(name: string) {
      if (!waiting.has(name)) return false;
      urgentNames.push(name);
      return true;
    },

    restored() {
      if (!restoring) return Promise.reject(new RestoreError('NOT_STARTED', 'the restore plugin has not been started by a scheduler'));
      return restoring;
    },

    reload(reloadOptions = {}) {
      if (!scheduler) return Promise.reject(new RestoreError('NOT_STARTED', 'the restore plugin has not been started by a scheduler'));
      return reloadQueued(reloadOptions.names, true);
    },
  };

  /**
   * Reloads run one at a time, after the restore. One asked for (`cubemark reload`) writes the last good version
   * back over an invalid file; one started by the watch does not: the file may be half-saved by an editor that
   * is still writing it, and replacing it under the editor would lose the save. The invalid bytes are still
   * quarantined (once) and reported; the running publication is kept either way.
   */
  function reloadQueued(names: readonly string[] | undefined, writeBack: boolean): Promise<ReloadReport> {
    const run = async () => {
      await restoring?.catch(() => undefined);
      return reloadNow(names, writeBack);
    };
    const next = reloading.then(run, run);
    reloading = next.catch(() => undefined);
    return track(next);
  }
  return plugin;
}

/**
 * Workers by default: one per core. On this project's 2-core machine, restoring 10,000 publications took 68 s
 * with two workers against 100–125 s with none or one (the main thread then only takes results, publishes and
 * collects garbage); at 1,000 the difference is within noise (README, "Measurements").
 */
function autoThreads(): number {
  return availableParallelism();
}

/** `CUBEMARK_RESTORE_THREADS`, when it is a whole number. */
function threadsFromEnv(): number | undefined {
  const value = process.env.CUBEMARK_RESTORE_THREADS;
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

/**
 * A valid checked file as the scheduler holds it: its index and its packed bytes (~11 KB for a 203 KB, 60-cube
 * file). The model is parsed from them when a request first needs it (~4 ms), and again whenever the scheduler
 * has dropped it since; a model the check kept (a request is waiting) is handed over the first time. `undefined`
 * for an invalid file.
 */
function storedSource(file: string, checked: CheckedFile, size: number, recordedIndex?: PublicationIndex): PublicationSource | undefined {
  const { packed } = checked;
  const index = checked.unchanged ? recordedIndex : checked.index;
  if (!index || !packed) return undefined;
  let kept: PublicationDocument | undefined = checked.publication && { publication: checked.publication, body: checked.body };
  return {
    index,
    bytes: size,
    load() {
      if (kept) {
        const first = kept;
        kept = undefined;
        return first;
      }
      const result = parse(unpack(packed), { file });
      if (!result.publication) {
        throw new RestoreError('PARSE_FAILED', `${file} no longer parses as it did when it was restored: ${result.errors.map((e) => e.message).join('; ')}`);
      }
      return { publication: result.publication, body: result.body };
    },
  };
}

/** A publication a client published, as `Known` holds it (the scheduler holds the same model). */
function modelSource(publication: Publication, body: string | undefined): PublicationSource {
  const loaded: PublicationDocument = { publication, ...(body !== undefined && { body }) };
  return { index: publicationIndex(publication), bytes: 0, load: () => loaded };
}

/** Stores with fewer files than this are parsed on the main thread unless `threads` says otherwise. */
export const WORKER_THRESHOLD = 64;

