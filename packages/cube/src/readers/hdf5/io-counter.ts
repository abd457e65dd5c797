import type { ByteCounter } from '../../bytes/types.js';

/**
 * Byte accounting for h5wasm. libhdf5 reads host files itself, through Emscripten's NODERAWFS, so the byte
 * sources' counters never see it. Every such read (the sec2 driver's `pread`) goes through `FS.read`, which we wrap
 * once to add the bytes to the counter of the file's path. `/proc/self/io` `rchar` deltas agree with these
 * counts to within the ~100 bytes of reading `/proc/self/io` itself.
 */

/** The one Emscripten FS entry point we wrap; `stream.path` is the host path the file was opened with. */
export interface RawFs {
  read(stream: { path?: string }, buffer: ArrayBufferView, offset: number, length: number, position?: number): number;
}

const counters = new Map<string, ByteCounter>();

/**
 * The live counter of bytes h5wasm has read from the file at `path` (absolute, as opened) since this process
 * first opened it; shared by every handle on that path. Take deltas around the operation you measure.
 */
export function hdf5ReadCounter(path: string): ByteCounter {
  let counter = counters.get(path);
  if (!counter) {
    counter = { requests: 0, bytes: 0 };
    counters.set(path, counter);
  }
  return counter;
}

export function countReads(fs: RawFs): void {
  const read = fs.read;
  fs.read = function (this: unknown, stream, buffer, offset, length, position) {
    const n = read.call(this, stream, buffer, offset, length, position);
    const counter = stream.path === undefined ? undefined : counters.get(stream.path);
    if (counter) {
      counter.requests += 1;
      counter.bytes += n;
    }
    return n;
  };
}
