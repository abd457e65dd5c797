import { serialize } from '@cubemark/format';
import pLimit from 'p-limit';
import type { RestoreContext } from '../context.js';
import { errorMessage } from '../errors.js';
import { createFileParser } from '../parse/pool.js';
import { sha256, type CheckedFile } from '../parse/check.js';
import { publishChecked, quarantine } from '../publish/checked.js';
import { storedSource } from '../publish/source.js';
import { reloadReportLines, type ReloadReport } from '../restore/report.js';
import type { StoreEntry } from '../store/types.js';

/**
 * Queue a reload: reloads run one at a time, after the restore. `writeBack` (a reload asked for) writes the last
 * good version back over an invalid file; a watch's reload does not, as an editor may still be writing the file.
 */
export function reloadQueued(ctx: RestoreContext, names: readonly string[] | undefined, writeBack: boolean): Promise<ReloadReport> {
  const run = async () => {
    await ctx.restoring?.catch(() => undefined);
    return reloadNow(ctx, names, writeBack);
  };
  const next = ctx.reloading.then(run, run);
  ctx.reloading = next.catch(() => undefined);
  return ctx.track(next);
}

/** Re-read the store (or only `names`): validate what changed, publish the valid files, quarantine the others. */
async function reloadNow(ctx: RestoreContext, names: readonly string[] | undefined, writeBack: boolean): Promise<ReloadReport> {
  const { store, known, indexFile, writes, lastWrite, signal } = ctx;
  const report: ReloadReport = { replaced: [], added: [], removed: [], unchanged: 0, quarantined: [], stale: [], warnings: [] };
  const seq = ctx.writeSeq;
  const listed = await store.list({ signal });
  const only = names ? new Set(names) : undefined;
  const entries = only ? listed.filter((e) => only.has(e.name)) : listed;
  ctx.sourceChecker().reset();

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
        const bytes = await store.read(entry.name, { signal });
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
  const parser = await createFileParser({ threads: ctx.threadsFor(changed.length) });
  let checked: CheckedFile[];
  try {
    checked = await Promise.all(changed.map((c) => parser.parse(c.bytes, store.describe(c.entry.name), c.entry.name)));
  } finally {
    await parser.close();
  }

  // 3. Publish the valid ones; quarantine the others and keep what is served.
  const running = new Set(ctx.scheduler.list());
  await Promise.all(
    changed.map(async ({ entry, bytes, hash }, i) => {
      const { name } = entry;
      const result = checked[i]!;
      await writes.run(name, async () => {
        if ((lastWrite.get(name) ?? 0) > seq) return; // a client published it since the listing: theirs wins
        const source = storedSource(store.describe(name), result, bytes.length);
        if (!source) {
          report.quarantined.push(await quarantine(ctx, name, bytes, result, !running.has(name) && writeBack));
          const k = known.get(name);
          if (k) k.rejected = hash;
          if (running.has(name) && k && writeBack) {
            // The store must hold what is served, or a crash would lose it: write the last good version back.
            const text = serialize(k.source.load().publication, { body: result.body || undefined });
            await store.write(name, text);
            const written = sha256(Buffer.from(text));
            known.set(name, { hash: written, source: k.source });
            indexFile.set(name, written, k.source.index);
            ctx.wrote(name);
          }
          return;
        }
        const previous = known.get(name);
        known.set(name, { hash, size: entry.size, mtime: entry.mtime, etag: entry.etag, source });
        indexFile.set(name, hash, source.index);
        try {
          const outcome = await publishChecked(ctx, name, source, 'reload');
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
      if (await ctx.scheduler.unpublish(name, { origin: 'reload' })) report.removed.push(name);
    });
  }

  const { summary, details } = reloadReportLines(store.location, report);
  ctx.log.info(summary);
  for (const line of details) ctx.log.warn(line);
  return report;
}
