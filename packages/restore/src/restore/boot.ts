import type { StartContext } from '@cubemark/scheduler';
import type { RestoreContext } from '../context.js';
import { errorMessage, formatProblem } from '../errors.js';
import { createFileParser, type FileParser } from '../parse/pool.js';
import { Repersist } from '../persist/repersist.js';
import { publishChecked, quarantine, type Outcome } from '../publish/checked.js';
import { storedSource } from '../publish/source.js';
import type { StoreEntry } from '../store/types.js';
import { createProgress } from './progress.js';
import { restoreReportLines, type RestoreReport } from './report.js';

/** A file to restore: its name, and its size and dates when the listing gave them. */
type Restorable = Partial<StoreEntry> & { name: string };

/**
 * The `start` hook's restore: announce the store's names to the scheduler (requests for them wait), restore the
 * first file, and resolve; every other file is restored in the background (`ctx.restoring`).
 */
export async function beginRestore(ctx: RestoreContext, start: StartContext): Promise<void> {
  const { store } = ctx;
  // A store that can name its files without a request or a stat per file does so; sizes and dates come later.
  const listed = store.names ? undefined : await store.list({ signal: start.signal });
  const names = listed ? listed.map((e) => e.name) : await store.names!({ signal: start.signal });
  // A request waiting for a name brings it to the front of the queue: it is answered in one parse.
  start.scheduler.expect(names, { onWait: (name) => ctx.waiting.requested(name) });
  for (const name of names) ctx.waiting.names.add(name);
  let firstDone!: () => void;
  const first = new Promise<void>((resolve) => (firstDone = resolve));
  const restoring = ctx.track(
    restoreAll(ctx, names, listed, firstDone).catch((error) => {
      ctx.log.error(`restore: the restore failed: ${errorMessage(error)}`);
      for (const name of names) if (!ctx.known.has(name)) start.scheduler.abandon(name, `the restore failed: ${errorMessage(error)}`);
      throw error;
    }),
  );
  ctx.restoring = restoring;
  restoring.catch(() => undefined);
  await Promise.race([first, restoring.catch(() => undefined)]);
}

/** Restore every file; `firstDone` is called once the first file is published (or failed). */
async function restoreAll(ctx: RestoreContext, expected: readonly string[], listed: StoreEntry[] | undefined, firstDone: () => void): Promise<RestoreReport> {
  const { store, options, indexFile, waiting, signal } = ctx;
  const started = performance.now();
  const report: RestoreReport = { restored: 0, cubes: 0, unchanged: 0, ms: 0, threads: 0, quarantined: [], stale: [], warnings: [] };
  // Newest first when the listing has dates (the likeliest to be asked for after a crash); else in listing order.
  const entries: Restorable[] = listed
    ? listed.sort((a, b) => (a.mtime < b.mtime ? 1 : a.mtime > b.mtime ? -1 : a.name.localeCompare(b.name)))
    : expected.map((name) => ({ name }));
  const leftovers = await store.cleanup?.().catch(() => 0);
  if (leftovers) report.warnings.push(`removed ${leftovers} temporary file(s) left by writes a crash interrupted (none was acknowledged)`);
  // The index is read while the first file is restored (which does not use it).
  const reading = indexFile.read();
  const repersist = new Repersist(ctx, await ctx.state!.load());
  // Entries are recorded as files are restored, and written once, at the end.
  indexFile.hold();
  const progress = await createProgress(entries.length, { enabled: options.progress ?? 'auto', stream: options.progressStream });
  // A queue the in-flight slots pull from, so `prioritize` can move a name to its front.
  const queue = [...entries];
  const finish = (entry: Restorable, outcome: Outcome | undefined): void => {
    progress.tick(outcome?.cubes ?? 0);
    if (!outcome) return;
    report.restored += 1;
    report.cubes += outcome.cubes;
    if (outcome.stale) report.stale.push(outcome.stale);
    report.warnings.push(...outcome.warnings);
    repersist.restored(entry.name);
  };
  // Files a request waits for (and the first file) are parsed on this thread, at once, not after the queue.
  const inline = await createFileParser({ threads: 0 });
  const urgentWork: Promise<void>[] = [];
  waiting.now = (name: string) => {
    const i = queue.findIndex((e) => e.name === name);
    if (i < 0 || signal.aborted) return;
    const entry = queue.splice(i, 1)[0]!;
    waiting.names.delete(name);
    // The model is kept: the waiting request needs it at once.
    urgentWork.push(restoreOne(ctx, entry, inline, report, 'urgent').then((outcome) => finish(entry, outcome)));
  };
  // The first file is restored before the scheduler listens, which also compiles this thread's parser; it counts
  // as done once published (a late verdict on its sources comes in the background).
  const first = queue.shift();
  if (first) {
    waiting.names.delete(first.name);
    let published!: () => void;
    const publishedFirst = new Promise<void>((resolve) => (published = resolve));
    const work = restoreOne(ctx, first, inline, report, 'first', published).then((outcome) => finish(first, outcome));
    urgentWork.push(work);
    await Promise.race([publishedFirst, work]);
  }
  firstDone();
  ctx.recorded = await reading;
  const parser = queue.length > 0 ? await createFileParser({ threads: ctx.threadsFor(entries.length) }) : inline;
  report.threads = parser.threads;
  // Enough files in flight that reads and stats overlap the parsing, few enough that a store is never all in memory.
  const inFlight = Math.max(16, parser.threads * 8);
  const restoreNext = async (): Promise<void> => {
    for (;;) {
      let entry: Restorable | undefined;
      while (!entry && waiting.urgent.length > 0) {
        const i = queue.findIndex((e) => e.name === waiting.urgent[0]);
        waiting.urgent.shift();
        if (i >= 0) entry = queue.splice(i, 1)[0];
      }
      entry ??= queue.shift();
      if (!entry || signal.aborted) return;
      waiting.names.delete(entry.name);
      finish(entry, await restoreOne(ctx, entry, parser, report));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(inFlight, queue.length) }, restoreNext));
    await Promise.all(urgentWork);
  } finally {
    waiting.clear();
    progress.stop();
    await parser.close();
    if (parser !== inline) await inline.close();
    ctx.recorded = new Map();
    // Written now unless stopping (the index on disk then stays: its entries still hold for the files not restored).
    if (!signal.aborted) ctx.track(indexFile.release());
  }
  // Names persisted before that did not come back (quarantined, deleted) leave the state file.
  await ctx.state!.retain(new Set(ctx.scheduler.list())).catch((error) => report.warnings.push(`could not update the state file: ${errorMessage(error)}`));
  report.ms = performance.now() - started;
  report.stale.sort((a, b) => a.name.localeCompare(b.name));
  const { summary, details } = restoreReportLines(report);
  ctx.log.info(summary);
  for (const line of details) ctx.log.warn(line);
  // Persisting reads data and may take long: it goes on after the report, in the background.
  ctx.track(repersist.done());
  return report;
}

/**
 * Restore one file; `undefined` when it was not published (quarantined, vanished, refused). `urgent`: a request
 * waits for it, so its model is kept and it is published without waiting for its source checks. `first`: parsed
 * with its model kept even when indexed, which compiles this thread's parser for the urgent files to come.
 */
async function restoreOne(
  ctx: RestoreContext,
  entry: Restorable,
  parser: FileParser,
  report: RestoreReport,
  kind: 'queued' | 'first' | 'urgent' = 'queued',
  published?: () => void,
): Promise<Outcome | undefined> {
  const { store, known, indexFile, signal } = ctx;
  const keepModel = kind !== 'queued';
  const { name } = entry;
  try {
    let bytes: Uint8Array | undefined;
    if (entry.mtime === undefined && store.readEntry) {
      const read = await store.readEntry(name, { signal });
      bytes = read?.bytes;
      if (read) Object.assign(entry, read.entry);
    } else {
      bytes = await store.read(name, { signal });
    }
    if (!bytes) {
      ctx.scheduler.abandon(name, `its file ${store.describe(name)} was removed during the restore`);
      return undefined;
    }
    const file = store.describe(name);
    // A file that hashes as the index recorded it is not parsed again (but see `kind`).
    const record = kind === 'queued' ? ctx.recorded.get(name) : undefined;
    const checked = await parser.parse(bytes, file, name, { keepModel, expectHash: record?.hash });
    if (checked.unchanged) report.unchanged += 1;
    const source = storedSource(file, checked, bytes.length, record?.index);
    if (!source) {
      indexFile.delete(name);
      const q = await quarantine(ctx, name, bytes, checked, true);
      report.quarantined.push(q);
      ctx.scheduler.abandon(name, `quarantined: ${formatProblem(checked.problems[0]!)}`);
      return undefined;
    }
    known.set(name, { hash: checked.hash, size: entry.size, mtime: entry.mtime, etag: entry.etag, source });
    indexFile.set(name, checked.hash, source.index);
    // An urgent file is published at once, and again as `stale` if its sources say so.
    return await publishChecked(ctx, name, source, 'restore', published, kind === 'urgent' ? 0 : ctx.graceMs);
  } catch (error) {
    known.delete(name);
    indexFile.delete(name);
    const reason = `could not be restored: ${errorMessage(error)}`;
    report.warnings.push(`${name} ${reason}`);
    ctx.scheduler.abandon(name, reason);
    return undefined;
  }
}
