import { createRequire } from 'node:module';
import { brotliCompress, brotliDecompress, constants } from 'node:zlib';
import { promisify } from 'node:util';
import { FORMAT_VERSION } from '@cubemark/format';
import type { CubeListing, PublicationIndex, Source } from '@cubemark/format';
import { errorMessage } from '../errors.js';
import { INDEX_FILE, STATE_DIR, type PublicationStore } from '../store/types.js';

const compress = promisify(brotliCompress);
const decompress = promisify(brotliDecompress);

/** What a publication file held when it was last found valid. */
export interface IndexedFile {
  /** SHA-256 of its bytes, hex. */
  hash: string;
  /** Its index, as `publicationIndex` built it from those bytes. */
  index: PublicationIndex;
}

/**
 * Which code wrote an index file. Entries are trusted only by the code that made them: another version of the
 * format or of this plugin may judge a file differently, or index it differently. Bump `LAYOUT` whenever what is
 * recorded, or how a file is judged, changes without a version change.
 */
const LAYOUT = 1;
const RESTORE_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
export const INDEX_FINGERPRINT = `cubemark-restore ${RESTORE_VERSION} format ${FORMAT_VERSION} layout ${LAYOUT}`;

/** One publication as the file records it: name, hash, title (or null), lazy bytes, cube numbers, sources. */
type Row = [string, string, string | null, number, number[], Source[]];

/**
 * `.cubemark/index.json.br`: each publication file's hash and index as of the last time the plugin found it valid
 * (a restore, a reload, or its own write). A restart reads each file and hashes it; a file whose bytes hash as
 * recorded is published with its recorded index instead of being parsed and validated again (a hash costs a small
 * fraction of a parse). Anything else is parsed as if there were no index.
 *
 * It is a cache, never the truth: the files are. A missing, unreadable or foreign index (another version wrote
 * it) costs only time, so it is written in the background, after the fact, and a crash between a write and its
 * update loses nothing: the file then simply does not hash as recorded.
 *
 * Cubes are recorded once per distinct (name, units, dims, shape, dtype) and publications refer to them by
 * number: a model run's files share most of theirs, so the index stays small (README, "Stores"), and the restored
 * indexes share the same (frozen) cube entries in memory.
 */
export class IndexFile {
  private readonly rows = new Map<string, Row>();
  /** The hashes in the index file as last read or written: a write that would not change them is skipped. */
  private onDisk = new Map<string, string>();
  private readonly cubeIds = new Map<string, number>();
  /** Cube entries already numbered, by identity: a file restored from the index brings back the very same ones. */
  private readonly idOf = new WeakMap<CubeListing, number>();
  private readonly cubes: CubeListing[] = [];
  private pending?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private held = false;
  private closed = false;

  constructor(
    private readonly store: PublicationStore,
    private readonly warn: (message: string) => void,
    /** False: nothing is read or written (every start parses every file). */
    private readonly enabled = true,
  ) {}

  /** The recorded entries; empty (with a warning, unless there is simply no file) when they cannot be used. */
  async read(): Promise<Map<string, IndexedFile>> {
    const entries = new Map<string, IndexedFile>();
    if (!this.enabled) return entries;
    let bytes: Uint8Array | undefined;
    try {
      bytes = await this.store.readState(INDEX_FILE);
    } catch (error) {
      this.warn(`restore: cannot read ${STATE_DIR}/${INDEX_FILE} (${errorMessage(error)}): every file is parsed`);
      return entries;
    }
    if (!bytes) return entries;
    try {
      const value = JSON.parse((await decompress(bytes)).toString('utf8')) as { fingerprint?: unknown; cubes?: unknown; files?: unknown };
      // Written by another version: its verdicts are not ours. Quietly parsed again, and rewritten.
      if (value.fingerprint !== INDEX_FINGERPRINT) return entries;
      if (!Array.isArray(value.cubes) || !value.cubes.every(isCube)) throw new Error('no valid table of cubes');
      const cubes = (value.cubes as CubeListing[]).map((c) => Object.freeze({ ...c, dims: Object.freeze(c.dims), shape: Object.freeze(c.shape) }) as CubeListing);
      if (!Array.isArray(value.files)) throw new Error('no list of files');
      for (const row of value.files as unknown[]) {
        if (!isRow(row, cubes.length)) throw new Error('a malformed entry');
        const [name, hash, title, lazyBytes, refs, sources] = row;
        const index: PublicationIndex = { name, ...(title !== null && { title }), cubes: refs.map((r) => cubes[r]!), lazyBytes, sources };
        entries.set(name, { hash, index });
      }
      this.onDisk = new Map([...entries].map(([name, e]) => [name, e.hash]));
    } catch (error) {
      this.warn(`restore: ${STATE_DIR}/${INDEX_FILE} is not usable (${errorMessage(error)}): every file is parsed, and it is rewritten`);
      entries.clear();
    }
    return entries;
  }

  /** Record `name` as valid with these bytes' `hash` and `index` (written soon after). */
  set(name: string, hash: string, index: PublicationIndex): void {
    if (!this.enabled) return;
    const refs = index.cubes.map((c) => {
      const known = this.idOf.get(c);
      if (known !== undefined) return known;
      const key = `${c.name}\0${c.units}\0${c.dims.join('\x01')}\0${c.shape.join(',')}\0${c.dtype}`;
      let id = this.cubeIds.get(key);
      if (id === undefined) {
        id = this.cubes.push({ name: c.name, units: c.units, dims: [...c.dims], shape: [...c.shape], dtype: c.dtype }) - 1;
        this.cubeIds.set(key, id);
      }
      this.idOf.set(c, id);
      return id;
    });
    this.rows.set(name, [name, hash, index.title ?? null, index.lazyBytes, refs, index.sources]);
    this.schedule();
  }

  delete(name: string): void {
    if (this.rows.delete(name)) this.schedule();
  }

  /** No writes until `release` (a restore records thousands of entries: it is written once, at the end). */
  hold(): void {
    this.held = true;
  }

  /** Writes allowed again; what is recorded is written now. */
  release(): Promise<void> {
    this.held = false;
    return this.write();
  }

  /** Write the entries soon (`delayMs`), once for a burst of changes. */
  private schedule(delayMs = 1000): void {
    if (this.closed || this.held || this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.write();
    }, delayMs);
    // A pending write never keeps a process alive: the index is only a cache.
    this.pending.unref();
  }

  /** Write the entries now (after any write under way); failures are warnings. */
  write(): Promise<void> {
    if (!this.enabled) return this.writing;
    if (this.pending) {
      clearTimeout(this.pending);
      this.pending = undefined;
    }
    this.writing = this.writing.then(async () => {
      // Nothing changed since the file was read or written (a restart with every file as indexed): no write.
      if (this.rows.size === this.onDisk.size && [...this.rows].every(([name, row]) => this.onDisk.get(name) === row[1])) return;
      try {
        // Only the cubes still referred to, renumbered in order of first use.
        const renumber = new Map<number, number>();
        const cubes: CubeListing[] = [];
        const files = [...this.rows.values()]
          .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
          .map(([name, hash, title, lazyBytes, refs, sources]): Row => {
            const mapped = refs.map((r) => {
              let n = renumber.get(r);
              if (n === undefined) renumber.set(r, (n = cubes.push(this.cubes[r]!) - 1));
              return n;
            });
            return [name, hash, title, lazyBytes, mapped, sources];
          });
        const json = JSON.stringify({ fingerprint: INDEX_FINGERPRINT, cubes, files });
        const packed = await compress(Buffer.from(json), { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
        await this.store.writeState(packed, INDEX_FILE);
        this.onDisk = new Map(files.map((row) => [row[0], row[1]]));
      } catch (error) {
        this.warn(`restore: could not write ${STATE_DIR}/${INDEX_FILE} (${errorMessage(error)}): the next start parses more files`);
      }
    });
    return this.writing;
  }

  /** Write what is pending, then accept no more. */
  async close(): Promise<void> {
    const pending = this.pending !== undefined;
    this.closed = true;
    if (pending) await this.write();
    else await this.writing;
  }
}

function isCube(value: unknown): value is CubeListing {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Partial<CubeListing>;
  return typeof c.name === 'string' && typeof c.units === 'string' && Array.isArray(c.dims) && Array.isArray(c.shape) && typeof c.dtype === 'string';
}

function isRow(row: unknown, cubes: number): row is Row {
  return (
    Array.isArray(row) &&
    row.length === 6 &&
    typeof row[0] === 'string' &&
    typeof row[1] === 'string' &&
    (row[2] === null || typeof row[2] === 'string') &&
    typeof row[3] === 'number' &&
    Array.isArray(row[4]) &&
    row[4].every((r) => Number.isInteger(r) && r >= 0 && r < cubes) &&
    Array.isArray(row[5]) &&
    row[5].every((source: unknown) => typeof source === 'object' && source !== null && typeof (source as Source).uri === 'string')
  );
}
