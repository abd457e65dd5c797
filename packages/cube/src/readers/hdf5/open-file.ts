import { openHdf5, PageCache, type Hdf5File, type ReadOptions } from '@cubemark/hdf5';
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

/** The parsed file behind `source`, opened on first use. `@cubemark/hdf5` errors become `Hdf5FormatError`s. */
export function openFile(source: ByteSource, uri: string, options?: RangeOptions): Promise<Hdf5File> {
  let file = files.get(source);
  if (!file) {
    file = openHdf5(source, { ...READ_OPTIONS, signal: options?.signal }).catch((error: unknown) => {
      files.delete(source);
      throw asFormatError(error, uri);
    });
    files.set(source, file);
  }
  return file;
}
