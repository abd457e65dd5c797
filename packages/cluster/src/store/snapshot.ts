import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants } from 'node:zlib';
import { FORMAT_VERSION } from '@cubemark/format';
import { STATE_DIR, type PublicationStore, type StateFile, type StoreEntry } from '@cubemark/restore';
import type { Logger } from '@cubemark/scheduler';
import { messageOf } from '../errors.js';
import type { Connection } from '../redis/connection.js';
import type { Keys } from '../redis/keys.js';
import pLimit from 'p-limit';
import { LISTED_UPDATE } from '../redis/scripts.js';
import { listedOf, sha256, type Listed, type StoredMeta } from '../registry/record.js';

const compress = promisify(brotliCompress);
const decompress = promisify(brotliDecompress);

/** The snapshot's file in the store's `.cubemark/` (restore's `CLUSTER_INDEX_FILE`). */
export const SNAPSHOT_FILE: StateFile = 'cluster-index.json.br';

/**
 * Which code wrote a snapshot: its entries are trusted only by the code that made them (another version may judge
 * or index a file differently). Bump `LAYOUT` when what is recorded changes without a version change.
 */
const LAYOUT = 1;
const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
export const SNAPSHOT_FINGERPRINT = `cubemark-cluster ${VERSION} format ${FORMAT_VERSION} layout ${LAYOUT}`;

/** One publication in the snapshot: the store's listing of its file when the record was taken, and the record. */
export interface SnapshotEntry {
  size: number;
  mtime?: string;
  etag?: string;
  meta: StoredMeta;
}

/** Brotli quality: a 10,000-record snapshot packs in well under a second. */
const QUALITY = 5;
/** How long after a write the snapshot is written, once for a burst of writes. */
const DEBOUNCE_MS = 1_000;

/** Whether `entry` (the store's listing now) is the file the snapshot recorded. */
export function sameFile(recorded: SnapshotEntry | undefined, entry: StoreEntry): recorded is SnapshotEntry {
  return recorded !== undefined && recorded.size === entry.size && recorded.mtime === entry.mtime && recorded.etag === entry.etag;
}

function isEntry(value: unknown): value is SnapshotEntry {
  const e = value as Partial<SnapshotEntry> | null;
  const meta = e?.meta as Partial<StoredMeta> | undefined;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.size === 'number' &&
    typeof meta === 'object' &&
    typeof meta.id === 'string' &&
    typeof meta.hash === 'string' &&
    typeof meta.bytes === 'number' &&
    typeof meta.index === 'object' &&
    meta.index !== null &&
    Array.isArray(meta.index.cubes)
  );
}

/**
 * `.cubemark/cluster-index.json.br` in the store: what Redis held of each record (its meta) with the store's listing
 * of the file it came from (size, mtime, ETag). A refresh into a Redis that holds none of a file takes the record
 * from here, without reading the file, when the file is listed as recorded; the text is read from the store on
 * first use. It is a cache, never the truth: missing, unreadable or foreign, it costs only time. Written from
 * Redis (so any replica writes the same picture) by the replica that refreshed after a full refresh, and by the
 * replica that wrote, in the background, at most once a second, after its writes (a client's publish or unpublish).
 */
export class ClusterSnapshot {
  private pending?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly o: { redis: Connection; keys: Keys; store: PublicationStore; log: Logger }) {}

  private get file(): string {
    return `${this.o.store.location}/${STATE_DIR}/${SNAPSHOT_FILE}`;
  }

  /** The recorded entries; empty (with a warning, unless there is simply no file) when they cannot be used. */
  async read(): Promise<Map<string, SnapshotEntry>> {
    const entries = new Map<string, SnapshotEntry>();
    let bytes: Uint8Array | undefined;
    try {
      bytes = await this.o.store.readState(SNAPSHOT_FILE);
    } catch (error) {
      this.o.log.warn(`cluster: cannot read the registry's snapshot ${this.file} (${messageOf(error)}): every file is read`);
      return entries;
    }
    if (!bytes) return entries;
    try {
      const value = JSON.parse((await decompress(bytes)).toString('utf8')) as { fingerprint?: unknown; files?: unknown };
      if (value.fingerprint !== SNAPSHOT_FINGERPRINT) {
        this.o.log.warn(`cluster: the registry's snapshot ${this.file} was written by another version (${String(value.fingerprint)}): every file is read, and it is rewritten`);
        return entries;
      }
      if (typeof value.files !== 'object' || value.files === null) throw new Error('no table of files');
      for (const [name, entry] of Object.entries(value.files as Record<string, unknown>)) {
        if (!isEntry(entry)) throw new Error(`a malformed entry ('${name}')`);
        entries.set(name, entry);
      }
    } catch (error) {
      this.o.log.warn(`cluster: the registry's snapshot ${this.file} is not usable (${messageOf(error)}): every file is read, and it is rewritten`);
      entries.clear();
    }
    return entries;
  }

  /** Write the snapshot soon, once for a burst of writes (never awaited by a write). */
  schedule(): void {
    if (this.closed || this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.write();
    }, DEBOUNCE_MS);
    // A pending write never keeps a process alive: the snapshot is only a cache.
    this.pending.unref();
  }

  /** Write what Redis holds now (after any write under way); failures are warnings. */
  write(): Promise<void> {
    if (this.pending) {
      clearTimeout(this.pending);
      this.pending = undefined;
    }
    const run = async () => {
      try {
        await this.writeNow();
      } catch (error) {
        this.o.log.warn(`cluster: could not write the registry's snapshot ${this.file} (${messageOf(error)}): a cold refresh will read every file`);
      }
    };
    this.writing = this.writing.then(run, run);
    return this.writing;
  }

  private async writeNow(): Promise<void> {
    const { redis, keys, store } = this.o;
    const [metaJson, listedJson] = await Promise.all([redis.hgetall(keys.meta), redis.hgetall(keys.listed)]);
    const metas = new Map(Object.entries(metaJson).map(([name, json]) => [name, JSON.parse(json) as StoredMeta]));
    const listed = new Map(Object.entries(listedJson).map(([name, json]) => [name, JSON.parse(json) as Listed]));
    await this.listWritten(metas, listed);
    const files: Record<string, SnapshotEntry> = {};
    for (const name of [...metas.keys()].sort()) {
      const meta = metas.get(name)!;
      const at = listed.get(name);
      // Only a record whose file was listed as it is: the listing must vouch for the very bytes the meta describes.
      if (!at || at.hash !== meta.hash || at.size === undefined || meta.state !== 'ready') continue;
      files[name] = { size: at.size, ...(at.mtime !== undefined && { mtime: at.mtime }), ...(at.etag !== undefined && { etag: at.etag }), meta };
    }
    const json = JSON.stringify({ fingerprint: SNAPSHOT_FINGERPRINT, taken: new Date().toISOString(), files });
    await store.writeState(await compress(Buffer.from(json), { params: { [constants.BROTLI_PARAM_QUALITY]: QUALITY } }), SNAPSHOT_FILE as StateFile);
  }

  /**
   * Records written by clients carry no listing (the store's write does not return one): their files are listed
   * and read once, and where the bytes are the record's, the listing is recorded (in `listed` and in Redis).
   */
  private async listWritten(metas: Map<string, StoredMeta>, listed: Map<string, Listed>): Promise<void> {
    const { redis, keys, store } = this.o;
    const unlisted = [...metas].filter(([name, meta]) => listed.get(name)?.hash === meta.hash && listed.get(name)?.size === undefined);
    if (unlisted.length === 0) return;
    const entries = new Map((await store.list()).map((e) => [e.name, e]));
    const reading = pLimit(16);
    await Promise.all(
      unlisted.map(([name, meta]) =>
        reading(async () => {
          const entry = entries.get(name);
          const bytes = entry && (await store.read(name));
          if (!entry || !bytes || bytes.length !== entry.size || sha256(bytes) !== meta.hash) return;
          const at = listedOf(meta.hash, entry);
          if (await redis.eval(LISTED_UPDATE, 1, keys.listed, name, meta.hash, JSON.stringify(at))) listed.set(name, at);
        }),
      ),
    );
  }

  /** No more scheduled writes: one that was due is written now; waits for the one under way. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.pending) await this.write();
    await this.writing;
  }
}
