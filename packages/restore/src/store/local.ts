import { watch as watchFolder, type Dirent, type FSWatcher } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { PUBLICATION_NAME_MAX_LENGTH } from '@cubemark/format';
import { errorMessage, RestoreError } from '../errors.js';
import { syncDir, TEMPORARY, writeFileDurably } from './durable.js';
import {
  assertStoreName,
  nameOfFile,
  PUBLICATION_SUFFIX,
  QUARANTINE_DIR,
  stamp,
  STATE_DIR,
  STATE_FILE,
  INDEX_FILE,
  CLUSTER_INDEX_FILE,
  type StateFile,
  TRASH_DIR,
  type PublicationStore,
  type StoreEntry,
  type StoreWatcher,
} from './types.js';

export interface LocalStoreOptions {
  /** Create the folder if it does not exist (default: true: a first boot starts with an empty store). */
  create?: boolean;
}

/**
 * A folder of `.cube.md` files: the default store, and the one to keep in git. Writes are durable (see
 * `writeFileDurably`); trash and quarantine are renames within the folder, so they are atomic too.
 */
export class LocalStore implements PublicationStore {
  readonly kind = 'local';
  readonly location: string;
  readonly dataBase: string;
  /** Absolute path of the folder. */
  readonly dir: string;
  private readonly create: boolean;
  private ready?: Promise<void>;
  /** `.cubemark/.gitignore` written (or found) once per process, not at every write of the index. */
  private gitignored?: Promise<void>;

  constructor(dir: string, options: LocalStoreOptions = {}) {
    this.location = dir;
    this.dir = resolve(dir);
    this.dataBase = this.dir;
    this.create = options.create ?? true;
  }

  describe(name: string): string {
    return this.show(this.file(name));
  }

  async names(): Promise<string[]> {
    await this.ensure();
    const entries = await this.readdir();
    // The directory entry's type needs no stat; a symbolic link may point at a file, so it counts (list decides).
    return entries.filter((d) => d.isFile() || d.isSymbolicLink()).flatMap((d) => nameOfFile(d.name) ?? []);
  }

  async list(): Promise<StoreEntry[]> {
    await this.ensure();
    const names = (await this.readdir()).map((d) => d.name);
    const entries: StoreEntry[] = [];
    // Stats run in batches: tens of thousands at once would only queue in libuv's four threads.
    const files = names.filter((f) => nameOfFile(f) !== undefined);
    for (let i = 0; i < files.length; i += 1024) {
      const batch = await Promise.all(
        files.slice(i, i + 1024).map(async (f) => {
          const s = await stat(join(this.dir, f)).catch(() => undefined);
          // Gone since readdir, or a folder that happens to end in .cube.md: not a publication file.
          if (!s?.isFile()) return undefined;
          return { name: nameOfFile(f)!, size: s.size, mtime: s.mtime.toISOString() };
        }),
      );
      for (const e of batch) if (e) entries.push(e);
    }
    return entries;
  }

  private async readdir(): Promise<Dirent[]> {
    try {
      return await readdir(this.dir, { withFileTypes: true });
    } catch (error) {
      throw new RestoreError('STORE_UNAVAILABLE', `cannot list the store ${this.location}: ${errorMessage(error)}`, {
        location: this.location,
        cause: error,
      });
    }
  }

  async read(name: string): Promise<Uint8Array | undefined> {
    return (await this.readEntry(name))?.bytes;
  }

  async readEntry(name: string): Promise<{ bytes: Uint8Array; entry: StoreEntry } | undefined> {
    const path = this.file(name);
    try {
      const handle = await open(path, 'r');
      try {
        const s = await handle.stat();
        const bytes = await handle.readFile();
        return { bytes, entry: { name, size: s.size, mtime: s.mtime.toISOString() } };
      } finally {
        await handle.close();
      }
    } catch (error) {
      // ENOTDIR: a component of the path is a file, so this file cannot exist either.
      if (isMissing(error)) return undefined;
      throw new RestoreError('STORE_READ_FAILED', `cannot read ${this.show(path)}: ${errorMessage(error)}`, {
        location: this.location,
        key: name + PUBLICATION_SUFFIX,
        cause: error,
      });
    }
  }

  async write(name: string, content: string | Uint8Array): Promise<void> {
    const path = this.file(name, true);
    await this.ensure();
    try {
      await writeFileDurably(path, content);
    } catch (error) {
      const errno = (error as NodeJS.ErrnoException).code;
      const full = errno === 'ENOSPC' || errno === 'EDQUOT';
      const why = full ? 'the store is full (no space left on its device)' : errno === 'EROFS' || errno === 'EACCES' || errno === 'EPERM' ? 'the store cannot be written (read-only or permission denied)' : undefined;
      throw new RestoreError('STORE_WRITE_FAILED', `cannot write ${this.show(path)}${why ? `: ${why}` : ''}: ${errorMessage(error)}; nothing was published, the previous version (if any) is intact`, {
        location: this.location,
        key: name + PUBLICATION_SUFFIX,
        cause: error,
        statusCode: full ? 507 : 503,
      });
    }
  }

  async trash(name: string): Promise<string | undefined> {
    const from = this.file(name);
    const to = join(this.dir, TRASH_DIR, `${name}.${stamp()}${PUBLICATION_SUFFIX}`);
    try {
      await mkdir(join(this.dir, TRASH_DIR), { recursive: true });
      await rename(from, to);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !(await exists(from))) return undefined;
      throw this.moveFailed(name, 'trash', error);
    }
    // Both entries must be on disk: the file gone from the store, and present in the trash.
    await Promise.all([syncDir(this.dir), syncDir(join(this.dir, TRASH_DIR))]);
    return this.show(to);
  }

  async delete(name: string): Promise<void> {
    try {
      await unlink(this.file(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw this.moveFailed(name, 'delete', error);
    }
    await syncDir(this.dir);
  }

  async quarantine(name: string, content: Uint8Array, report: string, options: { removeOriginal?: boolean } = {}): Promise<string> {
    assertStoreName(name, this.location);
    const dir = join(this.dir, QUARANTINE_DIR);
    // A file named past the name rule's length is cut to it, so the timestamped copy still fits a file name.
    const base = `${name.slice(0, PUBLICATION_NAME_MAX_LENGTH)}.${stamp()}`;
    const copy = join(dir, base + PUBLICATION_SUFFIX);
    try {
      await mkdir(dir, { recursive: true });
      await writeFileDurably(copy, content);
      await writeFileDurably(join(dir, `${base}.errors.txt`), report);
      if (options.removeOriginal) {
        const now = await this.read(name);
        if (now && Buffer.compare(now, content) === 0) await this.delete(name);
      }
    } catch (error) {
      throw this.moveFailed(name, 'quarantine', error);
    }
    return this.show(copy);
  }

  async readState(file: StateFile = STATE_FILE): Promise<Uint8Array | undefined> {
    try {
      return await readFile(join(this.dir, STATE_DIR, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new RestoreError('STORE_READ_FAILED', `cannot read ${STATE_DIR}/${file}: ${errorMessage(error)}`, {
        location: this.location,
        key: `${STATE_DIR}/${file}`,
        cause: error,
      });
    }
  }

  async writeState(content: string | Uint8Array, file: StateFile = STATE_FILE): Promise<void> {
    const dir = join(this.dir, STATE_DIR);
    try {
      // Not recursive: a store folder removed meanwhile is not silently made again.
      await mkdir(dir).catch(unlessExists);
      await writeFileDurably(join(dir, file), content);
      if (file !== STATE_FILE) {
        this.gitignored ??= ignoreInGit(dir);
        await this.gitignored.catch((error: unknown) => {
          this.gitignored = undefined; // tried again at the next write
          throw error;
        });
      }
    } catch (error) {
      throw new RestoreError('STORE_WRITE_FAILED', `cannot write ${STATE_DIR}/${file}: ${errorMessage(error)}`, {
        location: this.location,
        key: `${STATE_DIR}/${file}`,
        cause: error,
      });
    }
  }

  async cleanup(): Promise<number> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const leftovers = names.filter((f) => TEMPORARY.test(f));
    await Promise.all(leftovers.map((f) => unlink(join(this.dir, f)).catch(() => undefined)));
    return leftovers.length;
  }

  watch(listener: (names: string[]) => void, options: { debounceMs?: number } = {}): StoreWatcher {
    const debounceMs = options.debounceMs ?? 200;
    const pending = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    // fs.watch of the folder itself (not recursive): publication files live directly in it, and one watcher is
    // cheap whatever the number of files. An editor saving by rename and git replacing files both show up as
    // 'rename' events on the final name, so the event type is not trusted: the listener re-reads the file.
    const watcher: FSWatcher = watchFolder(this.dir, { persistent: false }, (_event, file) => {
      const name = typeof file === 'string' ? nameOfFile(file) : undefined;
      if (!name) return;
      pending.add(name);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const names = [...pending];
        pending.clear();
        listener(names);
      }, debounceMs);
    });
    watcher.on('error', () => undefined);
    return {
      close() {
        clearTimeout(timer);
        watcher.close();
      },
    };
  }

  async close(): Promise<void> {}

  /** The path of a publication file; `writing` asks for a publication name, not just a file of this folder. */
  private file(name: string, writing = false): string {
    assertStoreName(name, this.location, writing);
    return join(this.dir, name + PUBLICATION_SUFFIX);
  }

  /** Paths in messages are relative to the working directory when inside it, as the user typed them. */
  private show(path: string): string {
    const rel = relative(process.cwd(), path);
    return rel.startsWith('..') || rel === '' ? path : rel;
  }

  private ensure(): Promise<void> {
    return (this.ready ??= (async () => {
      if (!this.create) return;
      try {
        await mkdir(this.dir, { recursive: true });
      } catch (error) {
        this.ready = undefined;
        throw new RestoreError('STORE_UNAVAILABLE', `cannot create the store folder ${this.location}: ${errorMessage(error)}`, {
          location: this.location,
          cause: error,
        });
      }
    })());
  }

  private moveFailed(name: string, what: string, error: unknown): RestoreError {
    return new RestoreError('STORE_MOVE_FAILED', `cannot ${what} ${this.describe(name)}: ${errorMessage(error)}`, {
      location: this.location,
      key: name + PUBLICATION_SUFFIX,
      cause: error,
    });
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * A store kept in git should not commit the index (a cache that changes with every restart): `.cubemark/.gitignore`
 * says so, written once and left alone after that.
 */
async function ignoreInGit(dir: string): Promise<void> {
  const path = join(dir, '.gitignore');
  await writeFile(path, `# Written by cubemark's restore plugin: caches, rebuilt from the files.\n${INDEX_FILE}\n${CLUSTER_INDEX_FILE}\n`, { flag: 'wx' }).catch(unlessExists);
}

/** For a `catch` of a create-only call: that the thing is already there is fine. */
function unlessExists(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EEXIST') throw error;
}
