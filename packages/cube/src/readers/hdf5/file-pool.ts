import type { ByteCounter, RangeOptions } from '../../bytes/types.js';
import { Hdf5FormatError, hdf5Reason } from './errors.js';
import { hdf5ReadCounter } from './io-counter.js';
import { loadH5wasm, type H5File, type H5wasm } from './load.js';
import { checkLocalHdf5File, localPath } from './local-file.js';

/**
 * One open h5wasm file per path, shared by every dataset and array reader on it and closed when the last lets go.
 * libhdf5 caches the file's metadata per handle, so sharing it means headers are read once however many
 * variables are opened.
 */

interface Entry {
  readonly path: string;
  readonly identity: string;
  readonly file: H5File;
  refs: number;
  closed: boolean;
}

/** The entry new leases on a path get; an entry for a replaced file stays open only for its existing leases. */
const current = new Map<string, Entry>();
const entries = new Set<Entry>();

/** A share of an open file. Release it exactly once (further calls do nothing). */
export interface Hdf5FileLease {
  readonly uri: string;
  /** Absolute host path. */
  readonly path: string;
  readonly h5: H5wasm;
  readonly file: H5File;
  /** Bytes read from this path (all handles, cumulative); see `hdf5ReadCounter`. */
  readonly counter: ByteCounter;
  /** False once released, or once `closeHdf5Files` closed the handle. */
  readonly open: boolean;
  release(): void;
}

function closeEntry(entry: Entry): void {
  if (entry.closed) return;
  entry.closed = true;
  entries.delete(entry);
  if (current.get(entry.path) === entry) current.delete(entry.path);
  entry.file.close();
}

/**
 * A lease on the h5wasm file behind `uri` (a local path or `file:` URI), opening it if no lease holds it.
 * Throws `ByteSourceError` NOT_FOUND / ACCESS_DENIED naming the path, `Hdf5FormatError` HDF5_REMOTE_UNSUPPORTED
 * for other schemes, HDF5_BAD_MAGIC for a file that is not HDF5, and HDF5_BAD_FILE when libhdf5 cannot open it.
 */
export async function leaseHdf5File(uri: string, options?: RangeOptions): Promise<Hdf5FileLease> {
  options?.signal?.throwIfAborted();
  const path = localPath(uri);
  const check = await checkLocalHdf5File(path, uri);
  const counter = hdf5ReadCounter(path);
  counter.requests += check.requests;
  counter.bytes += check.bytes;
  const h5 = await loadH5wasm();
  options?.signal?.throwIfAborted();

  // No await from here on: concurrent leases of one path cannot both open it.
  let entry = current.get(path);
  if (!entry || entry.identity !== check.identity) {
    let file: H5File;
    try {
      file = new h5.File(path, 'r');
    } catch (error) {
      throw new Hdf5FormatError('HDF5_BAD_FILE', uri, `libhdf5 could not open ${path}: ${hdf5Reason(error)}`, { cause: error });
    }
    entry = { path, identity: check.identity, file, refs: 0, closed: false };
    current.set(path, entry);
    entries.add(entry);
  }
  entry.refs += 1;
  const held = entry;
  let released = false;
  return {
    uri,
    path,
    h5,
    file: held.file,
    counter,
    get open() {
      return !released && !held.closed;
    },
    release() {
      if (released) return;
      released = true;
      held.refs -= 1;
      if (held.refs === 0) closeEntry(held);
    },
  };
}

/**
 * Close every h5wasm file this process holds, whoever leased it (for shutdown and tests). Datasets and readers
 * still holding leases then fail with DATASET_CLOSED. Returns how many files were closed.
 */
export function closeHdf5Files(): number {
  const all = [...entries];
  for (const entry of all) closeEntry(entry);
  return all.length;
}

/** How many h5wasm files are open (one per path, plus any replaced file still leased). */
export function openHdf5FileCount(): number {
  return entries.size;
}
