import { openHdf5, PageCache, type Hdf5File, type ReadOptions } from '@cubemark/hdf5';
import { raceAbort } from '../../bytes/abort.js';
import { abortedError } from '../../bytes/failures.js';
import type { ByteSource, RangeOptions } from '../../bytes/types.js';
import { asFormatError } from './errors.js';

/**
 * One parsed HDF5 file per byte source: every dataset and array reader opened through the same source (a pool
 * shares one per URI) shares its metadata cache, so headers and chunk-index nodes are read once.
 */
const files = new WeakMap<ByteSource, Promise<Hdf5File>>();

/**
 * How this plugin reads files: 64 KiB read ahead at open, metadata pages of 4 KiB, and one page cache of 64 MiB
 * for every file the process opens (a server holding thousands of files keeps at most that much metadata).
 */
export const READ_OPTIONS: ReadOptions = { pageCache: new PageCache(64 * 1024 * 1024) };

/**
 * The parsed file behind `source`, opened on first use. `@cubemark/hdf5` errors become `Hdf5FormatError`s.
 * The open is shared, so no one caller's signal cancels it: each caller stops waiting when its own aborts.
 */
export function openFile(source: ByteSource, uri: string, options?: RangeOptions): Promise<Hdf5File> {
  let file = files.get(source);
  if (!file) {
    file = openHdf5(source, READ_OPTIONS).catch((error: unknown) => {
      files.delete(source);
      throw asFormatError(error, uri);
    });
    files.set(source, file);
  }
  return raceAbort(file, options?.signal, () => abortedError(uri, undefined, options?.signal?.reason));
}
