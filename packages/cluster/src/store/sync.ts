import { randomUUID } from 'node:crypto';
import { brotliDecompressSync } from 'node:zlib';
import { createFileParser, formatProblem, type CheckedFile, type FileParser, type PublicationStore, type StoreEntry } from '@cubemark/restore';
import type { Logger } from '@cubemark/scheduler';
import pLimit from 'p-limit';
import { messageOf } from '../errors.js';
import type { ClusterLock, HeldName } from '../lock/name-lock.js';
import type { Connection } from '../redis/connection.js';
import type { Keys } from '../redis/keys.js';
import { LISTED_UPDATE, SYNC_SET_METAS } from '../redis/scripts.js';
import { listedOf, sha256, type Listed, type StoredMeta } from '../registry/record.js';
import { sameFile, type ClusterSnapshot, type SnapshotEntry } from './snapshot.js';

/** What a refresh of the registry from the store did. */
export interface SyncReport {
  added: string[];
  /** Of `added`, how many were taken from the store's snapshot of the registry, their files not read. */
  fromSnapshot: number;
  replaced: string[];
  removed: string[];
  /** Files the registry already held as they are. */
  unchanged: number;
  /** Files that failed to parse or validate: `path:line:col CODE message` of the first problem. */
  quarantined: { name: string; problem: string; copy?: string }[];
  /** Names a client wrote while the refresh ran: theirs is kept. */
  skipped: string[];
  warnings: string[];
  ms: number;
  /**
   * Milliseconds listing; taking records from the snapshot (reading it, writing them); until the last file read;
   * then until the last parse and write (reads overlap the parsing).
   */
  phases: { list: number; snapshot: number; read: number; write: number };
}

/** What refreshing and repairing need. */
export interface SyncContext {
  redis: Connection;
  keys: Keys;
  store: PublicationStore;
  lock: ClusterLock;
  log: Logger;
  streamLength: number;
  /** The store's snapshot of the registry: read when Redis lacks names, written after a full refresh. */
  snapshot?: ClusterSnapshot;
  /** Parser threads for a refresh of `files` changed files (default: the restore plugin's choice). */
  threads?: number;
}

/** Store files read at once: enough to hide an S3 round trip behind the others. */
const READ_CONCURRENCY = 64;

function sameListing(listed: Listed | undefined, entry: StoreEntry): boolean {
  return listed !== undefined && listed.size === entry.size && listed.mtime === entry.mtime && listed.etag === entry.etag;
}

function metaFor(checked: CheckedFile, size: number, origin: 'restore' | 'reload'): StoredMeta {
  return { id: randomUUID(), hash: checked.hash, state: 'ready', warnings: [], publishedAt: new Date().toISOString(), origin, index: checked.index!, bytes: size };
}

/**
 * Makes the registry hold what the store holds (or, with `names`, those files): one listing of the store, compared
 * with what the registry recorded of each file (size, mtime, ETag; then its hash), so an unchanged store costs one
 * listing; changed files are read, parsed and validated (in worker threads when many), and written to Redis; names
 * whose file is gone are removed. Writes take no lock: each applies only if no replica holds the name's lock and
 * the record is still the one compared against, so a client's publish made meanwhile wins. An invalid file is
 * quarantined; if the registry holds a good version, that is written back over it, under the name's lock.
 */
export async function syncFromStore(cx: SyncContext, origin: 'restore' | 'reload', options: { names?: readonly string[]; signal?: AbortSignal } = {}): Promise<SyncReport> {
  const started = performance.now();
  const { redis, keys, store } = cx;
  const { signal } = options;
  const report: SyncReport = { added: [], fromSnapshot: 0, replaced: [], removed: [], unchanged: 0, quarantined: [], skipped: [], warnings: [], ms: 0, phases: { list: 0, snapshot: 0, read: 0, write: 0 } };
  let mark = started;
  const phase = (name: keyof SyncReport['phases']) => {
    report.phases[name] = performance.now() - mark;
    mark = performance.now();
  };
  const only = options.names ? new Set(options.names) : undefined;
  // An empty registry (Redis lost its data): the snapshot is read while the store is listed.
  const early = cx.snapshot && !only && (await redis.hlen(keys.listed)) === 0 ? cx.snapshot.read() : undefined;
  const [listing, listedJson] = await Promise.all([store.list({ signal }), redis.hgetall(keys.listed)]);
  const entries = only ? listing.filter((e) => only.has(e.name)) : listing;
  const listed = new Map(Object.entries(listedJson).map(([name, json]) => [name, JSON.parse(json) as Listed]));
  phase('list');
  // Names the registry does not hold yet are announced: every replica's requests for them wait, not 404.
  const coming = entries.filter((e) => !listed.has(e.name)).map((e) => e.name);
  if (coming.length > 0) await announce(cx, 'expect', coming);

  // Each file whose listing differs from the record is read; if its bytes differ too, it is parsed and validated
  // (in worker threads when many may be) and written, the reads of the next files overlapping the parsing.
  const changed = entries.filter((e) => !sameListing(listed.get(e.name), e));
  report.unchanged += entries.length - changed.length;
  // Names Redis does not hold at all (it lost its data): taken from the snapshot where the file is listed as recorded.
  const snapshot = changed.some((e) => !listed.has(e.name)) && cx.snapshot ? await (early ?? cx.snapshot.read()) : undefined;
  const candidates = snapshot ? changed.filter((e) => listed.has(e.name) || !sameFile(snapshot.get(e.name), e)) : changed;
  if (snapshot) await takeFromSnapshot(cx, report, snapshot, changed.filter((e) => !listed.has(e.name) && sameFile(snapshot.get(e.name), e)));
  phase('snapshot');
  let listingUpdates = 0;
  const parser = await createFileParser(cx.threads !== undefined ? { threads: cx.threads } : candidates.length < 64 ? { threads: 0 } : {});
  const reading = pLimit(READ_CONCURRENCY);
  let reads = 0;
  try {
    await Promise.all(
      candidates.map((entry) =>
        reading(async () => {
          const { name } = entry;
          const recorded = listed.get(name);
          const bytes = await store.read(name, { signal });
          if (++reads === candidates.length) phase('read');
          if (!bytes) return;
          const hash = sha256(bytes);
          if (recorded?.hash === hash) {
            await redis.eval(LISTED_UPDATE, 1, keys.listed, name, hash, JSON.stringify(listedOf(hash, entry)));
            report.unchanged += 1;
            listingUpdates += 1;
            return;
          }
          // Handed back unawaited (in an object), so this read's slot goes to the next read during the parse.
          const parsed = parser.parse(bytes, store.describe(name), name).then(async (checked) => {
            if (!checked.index || !checked.packed) {
              // A good version can be written back only if Redis holds its text (a record from the snapshot may not).
              const held = recorded !== undefined && (await redis.hexists(keys.text, name)) === 1;
              report.quarantined.push(await quarantine(cx, name, bytes, checked, held));
              // Nothing good to write back: the record goes with the file.
              if (recorded && !held && (await redis.cmSyncDelete(...keys.record(name), name, recorded.hash, cx.streamLength))) report.removed.push(name);
              return;
            }
            const meta = metaFor(checked, bytes.length, origin);
            const seq = await redis.cmSyncSet(
              ...keys.record(name),
              name,
              recorded?.hash ?? '',
              JSON.stringify(meta),
              Buffer.from(checked.packed),
              meta.id,
              cx.streamLength,
              JSON.stringify(listedOf(checked.hash, entry)),
            );
            if (!seq) report.skipped.push(name);
            else (recorded ? report.replaced : report.added).push(name);
          });
          return { parsed };
        }).then((read) => read?.parsed),
      ),
    );
  } finally {
    await parser.close();
  }
  if (reads < candidates.length) phase('read');
  phase('write');

  // 3. Names whose file is gone from the store.
  const present = new Set(listing.map((e) => e.name));
  for (const [name, recorded] of listed) {
    if (present.has(name) || (only && !only.has(name))) continue;
    const seq = await redis.cmSyncDelete(...keys.record(name), name, recorded.hash, cx.streamLength);
    if (seq) report.removed.push(name);
    else report.skipped.push(name);
  }
  if (!only) await redis.set(keys.epoch, new Date().toISOString());
  if (coming.length > 0) await announce(cx, 'expected', []);
  report.ms = performance.now() - started;
  // The snapshot follows a full refresh, unless it was read and nothing besides it changed (it is current).
  const wrote = report.added.length - report.fromSnapshot + report.replaced.length + report.removed.length + report.quarantined.length + listingUpdates;
  if (!only && cx.snapshot && (wrote > 0 || !snapshot || snapshot.size === 0)) await cx.snapshot.write();
  return report;
}

/** Records of the snapshot written per script call. */
const SNAPSHOT_BATCH = 500;

/** Records of the snapshot whose file the store lists as recorded: written to Redis without their text. */
async function takeFromSnapshot(cx: SyncContext, report: SyncReport, snapshot: Map<string, SnapshotEntry>, entries: readonly StoreEntry[]): Promise<void> {
  const { redis, keys } = cx;
  const batches: StoreEntry[][] = [];
  for (let i = 0; i < entries.length; i += SNAPSHOT_BATCH) batches.push(entries.slice(i, i + SNAPSHOT_BATCH));
  await Promise.all(
    batches.map(async (batch) => {
      const args: (string | number)[] = [cx.streamLength];
      for (const entry of batch) {
        const { meta } = snapshot.get(entry.name)!;
        args.push(entry.name, JSON.stringify(meta), meta.id, JSON.stringify(listedOf(meta.hash, entry)));
      }
      const locks = batch.map((e) => keys.lock(e.name));
      const written = (await redis.eval(SYNC_SET_METAS, 6 + locks.length, keys.meta, keys.text, keys.listed, keys.seq, keys.pending, keys.changes, ...locks, ...args)) as string[];
      batch.forEach((entry, i) => {
        if (!written[i]) return void report.skipped.push(entry.name);
        report.added.push(entry.name);
        report.fromSnapshot += 1;
      });
    }),
  );
}

/**
 * `expect`: names a refresh is about to write (kept in the `restoring` set, for replicas that start meanwhile);
 * `expected`: the refresh is over, names not written will not come (quarantined).
 */
async function announce(cx: SyncContext, op: 'expect' | 'expected', names: readonly string[]): Promise<void> {
  const { redis, keys } = cx;
  const multi = redis.multi().del(keys.restoring);
  for (let i = 0; i < names.length; i += 10_000) multi.sadd(keys.restoring, ...names.slice(i, i + 10_000));
  await multi.xadd(keys.changes, 'MAXLEN', '~', cx.streamLength, '*', 'op', op).exec();
}

/**
 * A file that does not parse or validate: a copy goes to the store's quarantine with its problems. If the registry
 * holds a good version (`held`), that is written back over the file, holding the name's lock, so the store holds
 * what is served; otherwise the file is removed.
 */
async function quarantine(cx: SyncContext, name: string, bytes: Uint8Array, checked: CheckedFile, held: boolean): Promise<SyncReport['quarantined'][number]> {
  const problem = checked.problems[0] ? formatProblem(checked.problems[0]) : 'unreadable';
  const entry: SyncReport['quarantined'][number] = { name, problem };
  try {
    entry.copy = await cx.store.quarantine(name, bytes, checked.problems.map(formatProblem).join('\n') + '\n', { removeOriginal: !held });
    if (held) {
      await cx.lock.run(name, async () => {
        const packed = await cx.redis.hgetBuffer(cx.keys.text, name);
        if (packed) await cx.store.write(name, brotliDecompressSync(packed));
      });
    }
  } catch (error) {
    cx.log.error(`cluster: could not quarantine ${cx.store.describe(name)}: ${messageOf(error)}`);
  }
  return entry;
}

/**
 * Makes the registry agree with the store for one name, holding its lock (`held`): what a replica does when it
 * finds a write another one left unfinished (it died between the store and the registry). The store is the truth:
 * its file, if any, becomes the record; no file, no record.
 */
export async function repairFromStore(cx: SyncContext, held: HeldName, parser: FileParser): Promise<'kept' | 'written' | 'removed'> {
  const { redis, keys, store } = cx;
  const { name, token } = held;
  const [bytes, listedJson] = await Promise.all([store.read(name), redis.hget(keys.listed, name)]);
  const recorded = listedJson ? (JSON.parse(listedJson) as Listed) : undefined;
  if (!bytes) {
    await redis.cmFencedDelete(...keys.record(name), name, token, '', cx.streamLength);
    return recorded ? 'removed' : 'kept';
  }
  const hash = sha256(bytes);
  if (recorded?.hash === hash) {
    await redis.cmFencedPending(...keys.record(name), name, token, '');
    return 'kept';
  }
  const checked = await parser.parse(bytes, store.describe(name), name);
  if (!checked.index || !checked.packed) {
    cx.log.warn(`cluster: ${store.describe(name)} does not parse (${checked.problems.map(formatProblem).join('; ')}): the registry keeps what it had`);
    await redis.cmFencedPending(...keys.record(name), name, token, '');
    return 'kept';
  }
  const meta = metaFor(checked, bytes.length, 'restore');
  await redis.cmFencedSet(...keys.record(name), name, token, JSON.stringify(meta), Buffer.from(checked.packed), meta.id, cx.streamLength, JSON.stringify({ hash }));
  return 'written';
}

/** The report as log lines: a summary, then what was quarantined or skipped. */
export function syncReportLines(location: string, report: SyncReport, what: 'refreshed' | 'reloaded'): { summary: string; details: string[] } {
  const parts = [`${report.added.length} added${report.fromSnapshot ? ` (${report.fromSnapshot} from the store's snapshot, not read)` : ''}`, `${report.replaced.length} replaced`, `${report.removed.length} removed`, `${report.unchanged} unchanged`];
  if (report.quarantined.length) parts.push(`${report.quarantined.length} quarantined`);
  if (report.skipped.length) parts.push(`${report.skipped.length} written by clients meanwhile (kept)`);
  const details = [
    ...report.quarantined.slice(0, 20).map((q) => `quarantined ${q.problem}${q.copy ? ` → ${q.copy}` : ''}`),
    ...report.warnings.slice(0, 20),
  ];
  const { list, snapshot, read, write } = report.phases;
  const took = `${(report.ms / 1000).toFixed(1)} s (list ${(list / 1000).toFixed(1)}, ${report.fromSnapshot ? `snapshot ${(snapshot / 1000).toFixed(1)}, ` : ''}reads done after ${(read / 1000).toFixed(1)}, parsing and writing ${(write / 1000).toFixed(1)} more)`;
  return { summary: `cluster: ${what} the registry from ${location} in ${took}: ${parts.join(' · ')}`, details };
}
