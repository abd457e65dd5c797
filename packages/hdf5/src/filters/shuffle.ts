import { copyBoxUnshuffled } from '../values/box.js';

/**
 * Undo HDF5's shuffle filter: byte b of every element was stored in plane b. Bytes past the last whole element
 * are stored as they are. (Reads usually undo it while copying a chunk into place: `copyBoxUnshuffled`.)
 */
export function unshuffle(bytes: Uint8Array, size: number): Uint8Array {
  if (size <= 1) return bytes;
  const n = Math.floor(bytes.length / size);
  const out = new Uint8Array(bytes.length);
  copyBoxUnshuffled(bytes, [n], [0], out, [n], [0], [n], size);
  out.set(bytes.subarray(n * size), n * size);
  return out;
}
